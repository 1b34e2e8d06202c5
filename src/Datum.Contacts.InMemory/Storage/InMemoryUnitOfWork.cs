namespace Datum.Contacts.InMemory;

/// <summary>
/// Queues changes and applies them under the tenant's lock at commit, after checking every constraint, so a
/// unit of work is written whole or not at all, exactly as a database transaction would be.
/// </summary>
internal sealed partial class InMemoryUnitOfWork : IUnitOfWork
{

    public InMemoryUnitOfWork(TenantPartition partition)
    {
        Partition = partition;
        Guard = new UnitOfWorkGuard(partition.Tenant, this);
        Contacts = new ContactRepository(this);
        CustomFields = new CustomFieldRepository(this);
        AuditLog = new AuditLogRepository(this);
        Lists = new ListRepository(this);
        Memberships = new MembershipRepository(this);
        MembershipHistory = new HistoryRepository(this);
        Consents = new ConsentRepository(this);
        ConsentEvidence = new ConsentEvidenceRepository(this);
        Suppressions = new SuppressionRepository(this);
        Engagements = new EngagementRepository(this);
        AudiencePolicies = new AudiencePolicyRepository(this);
    }

    public TenantId Tenant => Partition.Tenant;

    public IContactRepository Contacts { get; }

    public ICustomFieldDefinitionRepository CustomFields { get; }

    public IAuditLogRepository AuditLog { get; }

    public IContactListRepository Lists { get; }

    public IListMembershipRepository Memberships { get; }

    public IMembershipHistoryRepository MembershipHistory { get; }

    public IConsentRepository Consents { get; }

    public IConsentEvidenceRepository ConsentEvidence { get; }

    public ISuppressionRepository Suppressions { get; }

    public IEngagementRepository Engagements { get; }

    public IAudiencePolicyRepository AudiencePolicies { get; }

    /// <summary>The tenant's committed data; every read and the commit hold its lock.</summary>
    internal TenantPartition Partition { get; }

    /// <summary>The version and tenant checks the core asks of every store's unit of work.</summary>
    internal UnitOfWorkGuard Guard { get; }

    /// <summary>Contacts to add, update or remove at commit: the state after, or null when removed, and the version read (null when added here).</summary>
    internal List<(ContactId Id, Contact? After, long? ExpectedVersion)> ContactChanges { get; } = [];

    /// <summary>Custom field definitions to add at commit.</summary>
    internal List<CustomFieldDefinition> NewCustomFields { get; } = [];

    /// <summary>Audit entries to append at commit.</summary>
    internal List<AuditEntry> NewAuditEntries { get; } = [];

    public ValueTask CommitAsync(CancellationToken cancellationToken)
    {
        Guard.ThrowIfUnusable();
        cancellationToken.ThrowIfCancellationRequested();
        lock (Partition.Gate)
        {
            var staged = StageContacts();
            CheckEmails(staged);
            CheckCustomFields();
            var stagedLists = StageLists();
            var stagedMemberships = StageMemberships(staged, stagedLists);
            var stagedConsents = StageConsents(staged);
            if (staged.Count > 0)
            {
                Partition.ContactsChanged();
            }

            foreach (var (id, after) in staged)
            {
                if (Partition.Contacts.Remove(id, out var before))
                {
                    Partition.Unindex(before);
                    if (before.Email is { } oldEmail)
                    {
                        Partition.ContactsByEmail.Remove(oldEmail.Normalized);
                    }
                }
            }

            foreach (var (id, after) in staged)
            {
                if (after is null)
                {
                    continue;
                }

                var stored = after.Copy();
                Partition.Contacts[id] = stored;
                Partition.AssignSlot(id);
                Partition.Index(stored);
                if (after.Email is { } email)
                {
                    Partition.ContactsByEmail[email.Normalized] = id;
                }
            }

            ApplyLists(stagedLists, stagedMemberships);
            ApplyConsents(stagedConsents);
            foreach (var (id, after) in staged)
            {
                if (after is null)
                {
                    Partition.FreeSlot(id);
                }
            }

            foreach (var definition in NewCustomFields)
            {
                Partition.CustomFields.Add(definition.Name, definition);
            }

            foreach (var entry in NewAuditEntries)
            {
                Partition.Audit.Add(entry);
                var key = (entry.EntityType, entry.EntityId);
                if (!Partition.AuditByEntity.TryGetValue(key, out var list))
                {
                    Partition.AuditByEntity[key] = list = [];
                }

                list.Add(entry);
            }
        }

        Guard.Committed();
        return ValueTask.CompletedTask;
    }

    public ValueTask DisposeAsync()
    {
        Guard.Dispose();
        return ValueTask.CompletedTask;
    }

    /// <summary>Replays the queued contact changes over the committed state, checking versions; the net state per id.</summary>
    private Dictionary<ContactId, Contact?> StageContacts()
    {
        var staged = new Dictionary<ContactId, Contact?>();
        foreach (var (id, after, expected) in ContactChanges)
        {
            var current = staged.TryGetValue(id, out var s) ? s : Partition.Contacts.GetValueOrDefault(id);
            if (expected is null)
            {
                if (current is not null)
                {
                    throw new InvalidOperationException($"A contact with id '{id}' already exists; ids must be new.");
                }
            }
            else if (current is null || (!staged.ContainsKey(id) && current.Version != expected))
            {
                throw new ConcurrencyConflictException(AuditEntityTypes.Contact, id.ToString(), expected.Value, current?.Version);
            }

            staged[id] = after;
        }

        return staged;
    }

    private void CheckEmails(Dictionary<ContactId, Contact?> staged)
    {
        var claimed = new Dictionary<string, ContactId>(StringComparer.Ordinal);
        foreach (var (id, after) in staged)
        {
            if (after?.Email is not { } email)
            {
                continue;
            }

            if (!claimed.TryAdd(email.Normalized, id))
            {
                throw new DuplicateEmailException(claimed[email.Normalized]);
            }

            if (Partition.ContactsByEmail.TryGetValue(email.Normalized, out var holder) && holder != id)
            {
                // The holder keeps the address unless this unit of work deletes it or moves it off the address.
                var holderAfter = staged.TryGetValue(holder, out var h) ? h : Partition.Contacts[holder];
                if (holderAfter?.Email == email)
                {
                    throw new DuplicateEmailException(holder);
                }
            }
        }
    }

    private void CheckCustomFields()
    {
        var names = new HashSet<string>(StringComparer.OrdinalIgnoreCase);
        foreach (var definition in NewCustomFields)
        {
            if (Partition.CustomFields.ContainsKey(definition.Name) || !names.Add(definition.Name))
            {
                throw CustomFieldService.AlreadyDefined(definition.Name);
            }
        }
    }

    internal ContactRepository ContactReader => (ContactRepository)Contacts;
}
