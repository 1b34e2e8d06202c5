namespace Datum.Contacts.InMemory;

/// <summary>The append-only history of memberships, read newest first.</summary>
internal sealed class HistoryRepository(InMemoryUnitOfWork uow) : IMembershipHistoryRepository
{
    public void Append(MembershipHistoryEntry entry)
    {
        ArgumentNullException.ThrowIfNull(entry);
        uow.Guard.ThrowIfUnusable();
        uow.Guard.CheckTenant(entry.Tenant, "membership history entry");
        uow.NewHistory.Add(entry);
    }

    public ValueTask<IReadOnlyList<MembershipHistoryEntry>> ReadAsync(MembershipHistoryQuery query, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(query);
        cancellationToken.ThrowIfCancellationRequested();
        lock (uow.Partition.Gate)
        {
            IEnumerable<MembershipHistoryEntry> source = query.Contact is { } contact
                ? uow.Partition.HistoryByContact.GetValueOrDefault(contact) ?? []
                : uow.Partition.History;
            IReadOnlyList<MembershipHistoryEntry> page = [.. source
                .Where(e => (query.List is not { } list || e.List == list)
                    && (query.AtOrBefore is not { } at || e.OccurredAt.UtcTicks <= at.UtcTicks)
                    && (query.Before is not { } before || before.Precedes(e)))
                .OrderByDescending(e => e.OccurredAt.UtcTicks)
                .ThenByDescending(e => e.Id)
                .Take(query.Limit)];
            return ValueTask.FromResult(page);
        }
    }
}
