using Microsoft.EntityFrameworkCore;

namespace Datum.Contacts.EntityFrameworkCore;

/// <summary>This tenant's contacts: reads rebuild contacts from their rows; changes are queued on the unit of work until commit.</summary>
internal sealed class ContactRepository(EntityFrameworkCoreUnitOfWork uow) : IContactRepository
{
    private IQueryable<ContactRow> Whole => uow.WholeContacts;

    public async ValueTask<Contact?> FindAsync(ContactId id, CancellationToken cancellationToken)
    {
        var key = id.Value;
        var row = await Whole.AsSingleQuery().FirstOrDefaultAsync(r => r.Id == key, cancellationToken).ConfigureAwait(false);
        return row is null ? null : uow.Load(row);
    }

    public async ValueTask<IReadOnlyList<Contact>> FindManyAsync(IReadOnlyCollection<ContactId> ids, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(ids);
        var rows = await uow.LoadContactRowsAsync(ids.Select(i => i.Value), cancellationToken).ConfigureAwait(false);
        return ids.Distinct().Where(i => rows.ContainsKey(i.Value)).Select(i => uow.Load(rows[i.Value])).ToList();
    }

    public async ValueTask<IReadOnlySet<ContactId>> ExistingAsync(IReadOnlyCollection<ContactId> ids, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(ids);
        var existing = new HashSet<ContactId>();
        foreach (var chunk in ids.Select(i => i.Value).Distinct().Chunk(EntityFrameworkCoreUnitOfWork.ChunkSize))
        {
            var keys = chunk.ToList();
            var found = await uow.ContactRows.Where(r => keys.Contains(r.Id)).Select(r => r.Id).ToListAsync(cancellationToken).ConfigureAwait(false);
            existing.UnionWith(found.Select(id => new ContactId(id)));
        }

        return existing;
    }

    public async ValueTask<Contact?> FindByEmailAsync(EmailAddress email, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(email);
        var normalized = email.Normalized;
        var row = await Whole.AsSingleQuery().FirstOrDefaultAsync(r => r.EmailNormalized == normalized, cancellationToken).ConfigureAwait(false);
        return row is null ? null : uow.Load(row);
    }

    public async ValueTask<IReadOnlyList<Contact>> ListAsync(ContactPageQuery query, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(query);
        var rows = Whole;
        if (query.Filter is { } filter)
        {
            rows = rows.Where(CriteriaSqlTranslator.Translate(filter));
        }

        var page = await ContactPaging.Page(rows, query).AsSplitQuery().ToListAsync(cancellationToken).ConfigureAwait(false);
        return page.Select(uow.Load).ToList();
    }

    public async ValueTask<long> CountAsync(CompiledCriteria? filter, CancellationToken cancellationToken)
    {
        var rows = uow.ContactRows.AsNoTracking();
        if (filter is not null)
        {
            rows = rows.Where(CriteriaSqlTranslator.Translate(filter));
        }

        return await rows.LongCountAsync(cancellationToken).ConfigureAwait(false);
    }

    public void Add(Contact contact)
    {
        ArgumentNullException.ThrowIfNull(contact);
        uow.Guard.ThrowIfUnusable();
        uow.Guard.CheckTenant(contact.Tenant, "contact");
        uow.ContactChanges.Add((contact.Copy(), false, null));
    }

    public void Update(Contact contact)
    {
        ArgumentNullException.ThrowIfNull(contact);
        uow.ContactChanges.Add((contact.Copy(), false, uow.Guard.ExpectedVersion(contact)));
    }

    public void Remove(Contact contact)
    {
        ArgumentNullException.ThrowIfNull(contact);
        uow.ContactChanges.Add((contact.Copy(), true, uow.Guard.ExpectedVersion(contact)));
    }
}
