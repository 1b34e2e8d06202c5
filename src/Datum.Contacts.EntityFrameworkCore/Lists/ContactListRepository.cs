using Microsoft.EntityFrameworkCore;

namespace Datum.Contacts.EntityFrameworkCore;

/// <summary>This tenant's lists; changes are queued on the unit of work until commit.</summary>
internal sealed class ContactListRepository(EntityFrameworkCoreUnitOfWork uow) : IContactListRepository
{
    public async ValueTask<ContactList?> FindAsync(ListId id, CancellationToken cancellationToken)
    {
        var key = id.Value;
        var row = await uow.ListRows.AsNoTracking().FirstOrDefaultAsync(r => r.Id == key, cancellationToken).ConfigureAwait(false);
        return row is null ? null : uow.LoadList(row);
    }

    public async ValueTask<ContactList?> FindByNameAsync(string name, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(name);
        var key = ContactList.KeyOf(name);
        if (!Text.IsStorable(key))
        {
            return null; // no stored name holds such a character, and PostgreSQL could not take it as a parameter
        }

        var row = await uow.ListRows.AsNoTracking().FirstOrDefaultAsync(r => r.NameKey == key, cancellationToken).ConfigureAwait(false);
        return row is null ? null : uow.LoadList(row);
    }

    public async ValueTask<IReadOnlyList<ContactList>> ListAsync(ListPageQuery query, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(query);
        var rows = uow.ListRows.AsNoTracking();
        if (query.After is { } after)
        {
            var key = after.Value;
            rows = rows.Where(r => r.Id.CompareTo(key) > 0);
        }

        var page = await rows.OrderBy(r => r.Id).Take(query.Limit).ToListAsync(cancellationToken).ConfigureAwait(false);
        return page.Select(uow.LoadList).ToList();
    }

    public async ValueTask<IReadOnlyList<ContactList>> ListDynamicAsync(CancellationToken cancellationToken)
    {
        var rows = await uow.ListRows.AsNoTracking()
            .Where(r => r.Kind == ListKind.Dynamic)
            .OrderBy(r => r.Id)
            .ToListAsync(cancellationToken)
            .ConfigureAwait(false);
        return rows.Select(uow.LoadList).ToList();
    }

    public void Add(ContactList list)
    {
        ArgumentNullException.ThrowIfNull(list);
        uow.Guard.ThrowIfUnusable();
        uow.Guard.CheckTenant(list.Tenant, "list");
        uow.ListChanges.Add((list.Copy(list.MemberCount), false, null));
    }

    public void Update(ContactList list)
    {
        ArgumentNullException.ThrowIfNull(list);
        uow.ListChanges.Add((list.Copy(list.MemberCount), false, uow.Guard.ExpectedVersion(list)));
    }

    public void Remove(ContactList list)
    {
        ArgumentNullException.ThrowIfNull(list);
        uow.ListChanges.Add((list.Copy(list.MemberCount), true, uow.Guard.ExpectedVersion(list)));
    }
}
