namespace Datum.Contacts.InMemory;

/// <summary>The consent, ledger, suppression, engagement and policy side of the in-memory unit of work.</summary>
internal sealed partial class InMemoryUnitOfWork
{
    internal List<((ContactId Contact, ConsentScope Scope) Key, Consent? After, long? ExpectedVersion)> ConsentChanges { get; } = [];
    internal Dictionary<(ContactId, ConsentScope), long> LoadedConsents { get; } = [];
    internal List<ConsentEvidence> NewEvidence { get; } = [];
    internal List<((SuppressionKind, string) Key, SuppressionEntry? After)> SuppressionChanges { get; } = [];
    internal List<EngagementEvent> NewEngagements { get; } = [];
    internal HashSet<ContactId> EngagementsRemoved { get; } = [];
    internal AudiencePolicy? NewPolicy { get; set; }

    internal ConsentData Consent => Partition.ConsentData;

    /// <summary>Replays the queued consent changes, checking versions, newness, and that each consent's contact exists after this unit of work.</summary>
    private Dictionary<(ContactId Contact, ConsentScope Scope), Consent?> StageConsents(Dictionary<ContactId, Contact?> contacts)
    {
        var staged = new Dictionary<(ContactId Contact, ConsentScope Scope), Consent?>();
        foreach (var (key, after, expected) in ConsentChanges)
        {
            var current = staged.TryGetValue(key, out var s) ? s : Consent.Find(key.Contact, key.Scope);
            var entity = $"{key.Contact}/{key.Scope}";
            if (expected is null)
            {
                if (current is not null)
                {
                    // Another unit of work recorded this consent first.
                    throw new ConcurrencyConflictException("consent", entity, 0, current.Version);
                }
            }
            else if (current is null || (!staged.ContainsKey(key) && current.Version != expected))
            {
                throw new ConcurrencyConflictException("consent", entity, expected.Value, current?.Version);
            }

            staged[key] = after;
        }

        foreach (var (key, after) in staged)
        {
            var exists = contacts.TryGetValue(key.Contact, out var contact) ? contact is not null : Partition.Contacts.ContainsKey(key.Contact);
            if (after is not null && !exists)
            {
                throw new ConcurrencyConflictException(AuditEntityTypes.Contact, key.Contact.ToString(), after.Version, null);
            }
        }

        return staged;
    }

    /// <summary>Writes the staged consents and everything else of this side; called under the partition's lock, after every check passed.</summary>
    private void ApplyConsents(Dictionary<(ContactId Contact, ConsentScope Scope), Consent?> staged)
    {
        foreach (var (key, after) in staged)
        {
            if (after is null)
            {
                Consent.Delete(key.Contact, key.Scope);
            }
            else
            {
                Consent.Put(after.Copy());
            }
        }

        foreach (var entry in NewEvidence)
        {
            if (!Consent.Evidence.TryGetValue(entry.ContactId, out var ledger))
            {
                Consent.Evidence[entry.ContactId] = ledger = [];
            }

            ledger.Add(entry);
        }

        if (SuppressionChanges.Count > 0)
        {
            Consent.SuppressionsChanged();
        }

        foreach (var (key, after) in SuppressionChanges)
        {
            if (after is null)
            {
                Consent.Suppressions.Remove(key);
            }
            else
            {
                Consent.Suppressions[key] = after;
            }
        }

        foreach (var contact in EngagementsRemoved)
        {
            Consent.RemoveEngagements(contact);
        }

        foreach (var engagement in NewEngagements)
        {
            if (!EngagementsRemoved.Contains(engagement.ContactId))
            {
                Consent.Append(engagement);
            }
        }

        if (NewPolicy is not null)
        {
            Consent.Policy = NewPolicy;
        }
    }
}
