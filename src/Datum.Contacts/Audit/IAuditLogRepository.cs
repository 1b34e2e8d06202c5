namespace Datum.Contacts;

/// <summary>
/// Store port for the append-only audit log. Entries added here are written by the unit of work's commit,
/// together with the change they describe. There is no update or delete.
/// </summary>
public interface IAuditLogRepository
{
    /// <summary>Queues an entry to be written when the unit of work commits.</summary>
    /// <param name="entry">The entry; its tenant must be the unit of work's.</param>
    void Append(AuditEntry entry);

    /// <summary>Reads committed entries, newest first (by time, then id), after an optional position.</summary>
    /// <param name="query">What to read.</param>
    /// <param name="cancellationToken">Cancels the read.</param>
    ValueTask<IReadOnlyList<AuditEntry>> ReadAsync(AuditLogQuery query, CancellationToken cancellationToken);
}

/// <summary>Which audit entries to read, newest first.</summary>
/// <param name="Limit">How many at most.</param>
/// <param name="EntityType">Only entries about this aggregate type; null for all.</param>
/// <param name="EntityId">Only entries about this aggregate (with <paramref name="EntityType"/>); null for all.</param>
/// <param name="Before">Only entries strictly older than this position (the last entry of the previous page).</param>
public sealed record AuditLogQuery(int Limit, string? EntityType = null, string? EntityId = null, AuditLogPosition? Before = null);

/// <summary>A position in the newest-first order of the audit log.</summary>
/// <param name="OccurredAt">The entry's time.</param>
/// <param name="Id">The entry's id, which breaks ties.</param>
public sealed record AuditLogPosition(DateTimeOffset OccurredAt, Guid Id)
{
    /// <summary>Whether <paramref name="entry"/> comes strictly after this position in newest-first order.</summary>
    /// <param name="entry">The entry to place.</param>
    public bool Precedes(AuditEntry entry)
    {
        Guard.Against.Null(entry);
        var byTime = entry.OccurredAt.UtcTicks.CompareTo(OccurredAt.UtcTicks);
        return byTime < 0 || (byTime == 0 && entry.Id.CompareTo(Id) < 0);
    }
}
