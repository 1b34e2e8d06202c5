namespace Datum.Contacts.InMemory;

/// <summary>This tenant's lists; changes are queued on the unit of work until commit.</summary>
internal sealed class ListRepository(InMemoryUnitOfWork uow) : IContactListRepository
{
    private TenantPartition Partition => uow.Partition;

    public ValueTask<ContactList?> FindAsync(ListId id, CancellationToken cancellationToken)
    {
        cancellationToken.ThrowIfCancellationRequested();
        lock (Partition.Gate)
        {
            return ValueTask.FromResult(Load(Partition.Lists.GetValueOrDefault(id)));
        }
    }

    public ValueTask<ContactList?> FindByNameAsync(string name, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(name);
        cancellationToken.ThrowIfCancellationRequested();
        lock (Partition.Gate)
        {
            return ValueTask.FromResult(
                Partition.ListsByKey.TryGetValue(ContactList.KeyOf(name), out var id) ? Load(Partition.Lists[id]) : null);
        }
    }

    public ValueTask<IReadOnlyList<ContactList>> ListAsync(ListPageQuery query, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(query);
        cancellationToken.ThrowIfCancellationRequested();
        lock (Partition.Gate)
        {
            IReadOnlyList<ContactList> page = [.. Partition.Lists.Values
                .Where(l => query.After is not { } after || l.Id > after)
                .OrderBy(l => l.Id)
                .Take(query.Limit)
                .Select(l => Load(l)!)];
            return ValueTask.FromResult(page);
        }
    }

    public ValueTask<IReadOnlyList<ContactList>> ListDynamicAsync(CancellationToken cancellationToken)
    {
        cancellationToken.ThrowIfCancellationRequested();
        lock (Partition.Gate)
        {
            return ValueTask.FromResult(Partition.DynamicLists);
        }
    }

    public void Add(ContactList list)
    {
        ArgumentNullException.ThrowIfNull(list);
        uow.Guard.ThrowIfUnusable();
        uow.Guard.CheckTenant(list.Tenant, "list");
        uow.ListChanges.Add((list.Id, list.Copy(0), null));
    }

    public void Update(ContactList list)
    {
        ArgumentNullException.ThrowIfNull(list);
        uow.ListChanges.Add((list.Id, list.Copy(0), uow.Guard.ExpectedVersion(list)));
    }

    public void Remove(ContactList list)
    {
        ArgumentNullException.ThrowIfNull(list);
        uow.ListChanges.Add((list.Id, null, uow.Guard.ExpectedVersion(list)));
    }

    private ContactList? Load(ContactList? stored)
    {
        if (stored is null)
        {
            return null;
        }

        uow.Guard.Loaded(stored);
        return stored.Copy(Partition.ActiveCount(stored.Id));
    }
}
