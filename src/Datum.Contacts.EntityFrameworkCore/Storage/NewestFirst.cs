using Microsoft.EntityFrameworkCore;

namespace Datum.Contacts.EntityFrameworkCore;

/// <summary>A row of an append-only table read newest first: the audit log, membership history, the consent ledger, engagements.</summary>
internal interface ITimeOrderedRow
{
    /// <summary>The time-ordered id, the tie-breaker between rows of the same time.</summary>
    Guid Id { get; }

    /// <summary>When it occurred, as UTC ticks.</summary>
    long OccurredAtTicks { get; }
}

/// <summary>The one newest-first read of the append-only tables: (time, id) descending, keyset-paged.</summary>
internal static class NewestFirst
{
    /// <summary>
    /// The rows that occurred at or before <paramref name="atOrBefore"/> (when given) and strictly before the position
    /// <paramref name="before"/> (when given), newest first by time and then id, at most <paramref name="limit"/>.
    /// </summary>
    public static Task<List<TRow>> PageAsync<TRow>(
        IQueryable<TRow> rows, DateTimeOffset? atOrBefore, (DateTimeOffset OccurredAt, Guid Id)? before, int limit, CancellationToken cancellationToken)
        where TRow : class, ITimeOrderedRow
    {
        if (atOrBefore is { } at)
        {
            var atTicks = at.UtcTicks;
            rows = rows.Where(e => e.OccurredAtTicks <= atTicks);
        }

        if (before is { } position)
        {
            rows = Keyset.After(rows, e => e.OccurredAtTicks, position.OccurredAt.UtcTicks, e => e.Id, position.Id, ascending: false);
        }

        return rows.OrderByDescending(e => e.OccurredAtTicks).ThenByDescending(e => e.Id).Take(limit).ToListAsync(cancellationToken);
    }
}
