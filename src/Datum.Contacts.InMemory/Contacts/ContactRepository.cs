namespace Datum.Contacts.InMemory;

/// <summary>This tenant's contacts, read from the partition under its lock; changes are queued on the unit of work until commit.</summary>
internal sealed class ContactRepository(InMemoryUnitOfWork uow) : IContactRepository
{
    private TenantPartition Partition => uow.Partition;

    public ValueTask<Contact?> FindAsync(ContactId id, CancellationToken cancellationToken)
    {
        cancellationToken.ThrowIfCancellationRequested();
        lock (Partition.Gate)
        {
            return ValueTask.FromResult(Load(Partition.Contacts.GetValueOrDefault(id)));
        }
    }

    public ValueTask<IReadOnlyList<Contact>> FindManyAsync(IReadOnlyCollection<ContactId> ids, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(ids);
        cancellationToken.ThrowIfCancellationRequested();
        lock (Partition.Gate)
        {
            var found = new List<Contact>(ids.Count);
            foreach (var id in ids.Distinct())
            {
                if (Partition.Contacts.TryGetValue(id, out var stored))
                {
                    found.Add(Load(stored)!);
                }
            }

            return ValueTask.FromResult<IReadOnlyList<Contact>>(found);
        }
    }

    public ValueTask<IReadOnlySet<ContactId>> ExistingAsync(IReadOnlyCollection<ContactId> ids, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(ids);
        cancellationToken.ThrowIfCancellationRequested();
        lock (Partition.Gate)
        {
            return ValueTask.FromResult<IReadOnlySet<ContactId>>(ids.Where(Partition.Contacts.ContainsKey).ToHashSet());
        }
    }

    public ValueTask<Contact?> FindByEmailAsync(EmailAddress email, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(email);
        cancellationToken.ThrowIfCancellationRequested();
        lock (Partition.Gate)
        {
            return ValueTask.FromResult(
                Partition.ContactsByEmail.TryGetValue(email.Normalized, out var id) ? Load(Partition.Contacts[id]) : null);
        }
    }

    public ValueTask<IReadOnlyList<Contact>> ListAsync(ContactPageQuery query, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(query);
        cancellationToken.ThrowIfCancellationRequested();
        lock (Partition.Gate)
        {
            using var scope = MemberOfCriteriaExtension.Use(Partition);
            using var consents = ConsentCriteriaExtension.Use(Partition.ConsentData);
            var order = Partition.Orders[query.Sort];
            var filter = query.Filter?.Predicate;
            var page = new List<Contact>(Math.Min(query.Limit, order.Count));
            foreach (var position in After(order, query))
            {
                if (page.Count == query.Limit)
                {
                    break;
                }

                // Test the stored instance; copy only what is returned.
                var stored = Partition.Contacts[position.Id];
                if (filter is null || filter(stored))
                {
                    page.Add(Load(stored)!);
                }
            }

            return ValueTask.FromResult<IReadOnlyList<Contact>>(page);
        }
    }

    public ValueTask<long> CountAsync(CompiledCriteria? filter, CancellationToken cancellationToken)
    {
        cancellationToken.ThrowIfCancellationRequested();
        lock (Partition.Gate)
        {
            if (filter is null)
            {
                return ValueTask.FromResult((long)Partition.Contacts.Count);
            }

            using var scope = MemberOfCriteriaExtension.Use(Partition);
            using var consents = ConsentCriteriaExtension.Use(Partition.ConsentData);
            return ValueTask.FromResult((long)filter.CountMatches(Partition.ScanArray));
        }
    }

    /// <summary>The positions strictly after the query's position, in the query's direction.</summary>
    private static IEnumerable<OrderEntry> After(SortedSet<OrderEntry> order, ContactPageQuery query)
    {
        var ascending = query.Direction == SortDirection.Ascending;
        if (order.Count == 0)
        {
            return [];
        }

        if (query.After is not { } position)
        {
            return ascending ? order : order.Reverse();
        }

        // A view's bounds must lie in order, so clamp the position to the set's ends before cutting the view.
        var after = new OrderEntry(position.Key, position.Id);
        var (min, max, compare) = (order.Min, order.Max, order.Comparer);
        if (ascending)
        {
            return compare.Compare(after, max) >= 0
                ? []
                : order.GetViewBetween(compare.Compare(after, min) < 0 ? min : after, max).Where(p => p != after);
        }

        return compare.Compare(after, min) <= 0
            ? []
            : order.GetViewBetween(min, compare.Compare(after, max) > 0 ? max : after).Reverse().Where(p => p != after);
    }

    public void Add(Contact contact)
    {
        ArgumentNullException.ThrowIfNull(contact);
        uow.Guard.ThrowIfUnusable();
        uow.Guard.CheckTenant(contact.Tenant, "contact");
        uow.ContactChanges.Add((contact.Id, contact.Copy(), null));
    }

    public void Update(Contact contact)
    {
        ArgumentNullException.ThrowIfNull(contact);
        uow.ContactChanges.Add((contact.Id, contact.Copy(), uow.Guard.ExpectedVersion(contact)));
    }

    public void Remove(Contact contact)
    {
        ArgumentNullException.ThrowIfNull(contact);
        uow.ContactChanges.Add((contact.Id, null, uow.Guard.ExpectedVersion(contact)));
    }

    internal Contact? Load(Contact? stored)
    {
        if (stored is null)
        {
            return null;
        }

        uow.Guard.Loaded(stored);
        return stored.Copy();
    }
}
