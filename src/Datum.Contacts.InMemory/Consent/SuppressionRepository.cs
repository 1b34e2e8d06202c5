namespace Datum.Contacts.InMemory;

/// <summary>This tenant's suppression list; an entry replaces one of the same kind and value at commit.</summary>
internal sealed class SuppressionRepository(InMemoryUnitOfWork uow) : ISuppressionRepository
{
    public ValueTask<SuppressionEntry?> FindAsync(SuppressionKind kind, string value, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(value);
        cancellationToken.ThrowIfCancellationRequested();
        lock (uow.Partition.Gate)
        {
            return ValueTask.FromResult(uow.Consent.Suppressions.GetValueOrDefault((kind, value)));
        }
    }

    public ValueTask<IReadOnlyList<SuppressionEntry>> MatchAsync(IReadOnlyCollection<(SuppressionKind Kind, string Value)> keys, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(keys);
        cancellationToken.ThrowIfCancellationRequested();
        lock (uow.Partition.Gate)
        {
            var suppressions = uow.Consent.Suppressions;
            if (suppressions.Count == 0)
            {
                return ValueTask.FromResult<IReadOnlyList<SuppressionEntry>>([]);
            }

            // Each entry once, however many of the keys name it.
            var found = new List<SuppressionEntry>();
            foreach (var key in keys)
            {
                if (suppressions.TryGetValue(key, out var entry) && !found.Contains(entry))
                {
                    found.Add(entry);
                }
            }

            return ValueTask.FromResult<IReadOnlyList<SuppressionEntry>>(found);
        }
    }

    public ValueTask<IReadOnlyList<SuppressionEntry>> ListAsync((SuppressionKind Kind, string Value)? after, int limit, CancellationToken cancellationToken)
    {
        cancellationToken.ThrowIfCancellationRequested();
        lock (uow.Partition.Gate)
        {
            var order = uow.Consent.SuppressionOrder;
            var start = 0;
            if (after is { } a)
            {
                start = Array.BinarySearch(order, a, ConsentData.SuppressionComparer.Instance);
                start = start < 0 ? ~start : start + 1;
            }

            return ValueTask.FromResult<IReadOnlyList<SuppressionEntry>>(
                [.. order.Skip(start).Take(limit).Select(k => uow.Consent.Suppressions[k])]);
        }
    }

    public void Add(SuppressionEntry entry)
    {
        ArgumentNullException.ThrowIfNull(entry);
        uow.Guard.ThrowIfUnusable();
        uow.Guard.CheckTenant(entry.Tenant, "suppression entry");
        uow.SuppressionChanges.Add(((entry.Kind, entry.Value), entry));
    }

    public void Remove(SuppressionKind kind, string value)
    {
        ArgumentNullException.ThrowIfNull(value);
        uow.Guard.ThrowIfUnusable();
        uow.SuppressionChanges.Add(((kind, value), null));
    }
}
