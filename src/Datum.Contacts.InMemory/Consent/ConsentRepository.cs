namespace Datum.Contacts.InMemory;

/// <summary>This tenant's consents (versioned); changes are queued on the unit of work until commit.</summary>
internal sealed class ConsentRepository(InMemoryUnitOfWork uow) : IConsentRepository
{
    public ValueTask<Consent?> FindAsync(ContactId contact, ConsentScope scope, CancellationToken cancellationToken)
    {
        cancellationToken.ThrowIfCancellationRequested();
        lock (uow.Partition.Gate)
        {
            return ValueTask.FromResult(Load(uow.Consent.Find(contact, scope)));
        }
    }

    public ValueTask<IReadOnlyList<Consent>> ForContactsAsync(IReadOnlyCollection<ContactId> contacts, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(contacts);
        cancellationToken.ThrowIfCancellationRequested();
        lock (uow.Partition.Gate)
        {
            var found = new List<Consent>();
            foreach (var contact in contacts.Count == 1 ? contacts : contacts.Distinct())
            {
                if (uow.Consent.ByContact.TryGetValue(contact, out var byScope))
                {
                    foreach (var consent in byScope.Values)
                    {
                        found.Add(Load(consent)!);
                    }
                }
            }

            return ValueTask.FromResult<IReadOnlyList<Consent>>(found);
        }
    }

    public ValueTask<IReadOnlyList<ConsentStateEntry>> StatesAsync(IReadOnlyCollection<ContactId> contacts, Channel channel, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(contacts);
        cancellationToken.ThrowIfCancellationRequested();
        lock (uow.Partition.Gate)
        {
            var byContact = uow.Consent.ByContact;
            var found = new List<ConsentStateEntry>(Math.Min(contacts.Count, 4_096));
            var seen = contacts.Count > 1 ? new HashSet<ContactId>(contacts.Count) : null;
            foreach (var contact in contacts)
            {
                if ((seen is null || seen.Add(contact)) && byContact.TryGetValue(contact, out var byScope))
                {
                    foreach (var consent in byScope.Values)
                    {
                        if (consent.Channel == channel)
                        {
                            found.Add(new ConsentStateEntry(contact, consent.ListId, consent.State));
                        }
                    }
                }
            }

            return ValueTask.FromResult<IReadOnlyList<ConsentStateEntry>>(found);
        }
    }

    public void Add(Consent consent)
    {
        Check(consent);
        uow.ConsentChanges.Add(((consent.ContactId, consent.Scope), consent.Copy(), null));
    }

    public void Update(Consent consent)
    {
        Check(consent);
        uow.ConsentChanges.Add(((consent.ContactId, consent.Scope), consent.Copy(), ExpectedVersion(consent)));
    }

    public void Remove(Consent consent)
    {
        Check(consent);
        uow.ConsentChanges.Add(((consent.ContactId, consent.Scope), null, ExpectedVersion(consent)));
    }

    private long ExpectedVersion(Consent consent)
        => uow.LoadedConsents.TryGetValue((consent.ContactId, consent.Scope), out var version)
            ? version
            : uow.ConsentChanges.Any(c => c.Key == (consent.ContactId, consent.Scope) && c.ExpectedVersion is null)
                ? consent.Version
                : throw new InvalidOperationException("Only a consent loaded or added by this unit of work can be updated or removed through it.");

    private void Check(Consent consent)
    {
        ArgumentNullException.ThrowIfNull(consent);
        uow.Guard.ThrowIfUnusable();
        uow.Guard.CheckTenant(consent.Tenant, "consent");
    }

    private Consent? Load(Consent? stored)
    {
        if (stored is null)
        {
            return null;
        }

        uow.LoadedConsents[(stored.ContactId, stored.Scope)] = stored.Version;
        return stored.Copy();
    }
}
