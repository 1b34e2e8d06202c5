using Microsoft.EntityFrameworkCore;

namespace Datum.Contacts.EntityFrameworkCore;

/// <summary>This tenant's consents (versioned); changes are queued on the unit of work until commit.</summary>
internal sealed class ConsentRepository(EntityFrameworkCoreUnitOfWork uow) : IConsentRepository
{
    public async ValueTask<Consent?> FindAsync(ContactId contact, ConsentScope scope, CancellationToken cancellationToken)
    {
        var (contactKey, channel, listKey) = (contact.Value, scope.Channel.Value, ConsentRowMapper.ListKey(scope.List));
        var row = await uow.ConsentRows.AsNoTracking()
            .FirstOrDefaultAsync(r => r.ContactId == contactKey && r.Channel == channel && r.ListId == listKey, cancellationToken)
            .ConfigureAwait(false);
        return row is null ? null : uow.LoadConsent(row);
    }

    public async ValueTask<IReadOnlyList<Consent>> ForContactsAsync(IReadOnlyCollection<ContactId> contacts, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(contacts);
        var byContact = new Dictionary<Guid, List<ConsentRow>>();
        var order = contacts.Select(c => c.Value).Distinct().ToList();
        foreach (var chunk in order.Chunk(EntityFrameworkCoreUnitOfWork.ChunkSize))
        {
            var ids = chunk.ToList();
            var rows = await uow.ConsentRows.AsNoTracking()
                .Where(r => ids.Contains(r.ContactId))
                .OrderBy(r => r.ContactId).ThenBy(r => r.CreatedAtTicks).ThenBy(r => r.Channel).ThenBy(r => r.ListId)
                .ToListAsync(cancellationToken)
                .ConfigureAwait(false);
            foreach (var row in rows)
            {
                if (!byContact.TryGetValue(row.ContactId, out var held))
                {
                    byContact[row.ContactId] = held = [];
                }

                held.Add(row);
            }
        }

        // In the order the contacts were asked for, each contact's consents in the order they were recorded.
        return order.Where(byContact.ContainsKey).SelectMany(id => byContact[id]).Select(uow.LoadConsent).ToList();
    }

    public async ValueTask<IReadOnlyList<ConsentStateEntry>> StatesAsync(IReadOnlyCollection<ContactId> contacts, Channel channel, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(contacts);
        var slug = channel.Value;
        var found = new List<ConsentStateEntry>();
        foreach (var chunk in contacts.Select(c => c.Value).Distinct().Chunk(EntityFrameworkCoreUnitOfWork.ChunkSize))
        {
            var ids = chunk.ToList();
            var rows = await uow.ConsentRows.AsNoTracking()
                .Where(r => ids.Contains(r.ContactId) && r.Channel == slug)
                .Select(r => new { r.ContactId, r.ListId, r.State })
                .ToListAsync(cancellationToken)
                .ConfigureAwait(false);
            foreach (var row in rows)
            {
                found.Add(new ConsentStateEntry(new ContactId(row.ContactId), row.ListId == ConsentRow.ChannelWide ? null : new ListId(row.ListId), row.State));
            }
        }

        return found;
    }

    public void Add(Consent consent)
    {
        Check(consent);
        uow.ConsentChanges.Add(new ConsentChange(consent.Copy(), ConsentOperation.Add, null));
    }

    public void Update(Consent consent)
    {
        Check(consent);
        uow.ConsentChanges.Add(new ConsentChange(consent.Copy(), ConsentOperation.Update, ExpectedVersion(consent)));
    }

    public void Remove(Consent consent)
    {
        Check(consent);
        uow.ConsentChanges.Add(new ConsentChange(consent.Copy(), ConsentOperation.Remove, ExpectedVersion(consent)));
    }

    /// <summary>The version the consent was loaded at; for one added by this unit of work, its own (no stored row to check).</summary>
    private long? ExpectedVersion(Consent consent)
    {
        var key = (consent.ContactId, consent.Scope);
        if (uow.LoadedConsents.TryGetValue(key, out var version))
        {
            return version;
        }

        return uow.ConsentChanges.Exists(c => c.Operation == ConsentOperation.Add && (c.Consent.ContactId, c.Consent.Scope) == key)
            ? null
            : throw new InvalidOperationException("Only a consent loaded or added by this unit of work can be updated or removed through it.");
    }

    private void Check(Consent consent)
    {
        ArgumentNullException.ThrowIfNull(consent);
        uow.Guard.ThrowIfUnusable();
        uow.Guard.CheckTenant(consent.Tenant, EntityFrameworkCoreUnitOfWork.ConsentEntity);
    }
}
