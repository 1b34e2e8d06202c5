namespace Datum.Contacts.InMemory;

/// <summary>
/// Queues changes and applies them under the tenant's lock at commit, after checking every constraint, so a
/// unit of work is written whole or not at all, exactly as a database transaction would be.
/// </summary>
internal sealed partial class InMemoryUnitOfWork : IUnitOfWork
{
    private readonly TenantPartition _partition;
    private readonly UnitOfWorkGuard _guard;
    private readonly List<(ContactId Id, Contact? After, long? ExpectedVersion)> _contactChanges = [];
    private readonly List<CustomFieldDefinition> _newCustomFields = [];
    private readonly List<AuditEntry> _newAuditEntries = [];

    public InMemoryUnitOfWork(TenantPartition partition)
    {
        _partition = partition;
        _guard = new UnitOfWorkGuard(partition.Tenant, this);
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

    public TenantId Tenant => _partition.Tenant;

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

    public ValueTask CommitAsync(CancellationToken cancellationToken)
    {
        _guard.ThrowIfUnusable();
        cancellationToken.ThrowIfCancellationRequested();
        lock (_partition.Gate)
        {
            var staged = StageContacts();
            CheckEmails(staged);
            CheckCustomFields();
            var stagedLists = StageLists();
            var stagedMemberships = StageMemberships(staged, stagedLists);
            var stagedConsents = StageConsents(staged);
            if (staged.Count > 0)
            {
                _partition.ContactsChanged();
            }

            foreach (var (id, after) in staged)
            {
                if (_partition.Contacts.Remove(id, out var before))
                {
                    _partition.Unindex(before);
                    if (before.Email is { } oldEmail)
                    {
                        _partition.ContactsByEmail.Remove(oldEmail.Normalized);
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
                _partition.Contacts[id] = stored;
                _partition.AssignSlot(id);
                _partition.Index(stored);
                if (after.Email is { } email)
                {
                    _partition.ContactsByEmail[email.Normalized] = id;
                }
            }

            ApplyLists(stagedLists, stagedMemberships);
            ApplyConsents(stagedConsents);
            foreach (var (id, after) in staged)
            {
                if (after is null)
                {
                    _partition.FreeSlot(id);
                }
            }

            foreach (var definition in _newCustomFields)
            {
                _partition.CustomFields.Add(definition.Name, definition);
            }

            foreach (var entry in _newAuditEntries)
            {
                _partition.Audit.Add(entry);
                var key = (entry.EntityType, entry.EntityId);
                if (!_partition.AuditByEntity.TryGetValue(key, out var list))
                {
                    _partition.AuditByEntity[key] = list = [];
                }

                list.Add(entry);
            }
        }

        _guard.Committed();
        return ValueTask.CompletedTask;
    }

    public ValueTask DisposeAsync()
    {
        _guard.Dispose();
        return ValueTask.CompletedTask;
    }

    /// <summary>Replays the queued contact changes over the committed state, checking versions; the net state per id.</summary>
    private Dictionary<ContactId, Contact?> StageContacts()
    {
        var staged = new Dictionary<ContactId, Contact?>();
        foreach (var (id, after, expected) in _contactChanges)
        {
            var current = staged.TryGetValue(id, out var s) ? s : _partition.Contacts.GetValueOrDefault(id);
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

            if (_partition.ContactsByEmail.TryGetValue(email.Normalized, out var holder) && holder != id)
            {
                // The holder keeps the address unless this unit of work deletes it or moves it off the address.
                var holderAfter = staged.TryGetValue(holder, out var h) ? h : _partition.Contacts[holder];
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
        foreach (var definition in _newCustomFields)
        {
            if (_partition.CustomFields.ContainsKey(definition.Name) || !names.Add(definition.Name))
            {
                throw CustomFieldService.AlreadyDefined(definition.Name);
            }
        }
    }

    private ContactRepository ContactReader => (ContactRepository)Contacts;

    private sealed class ContactRepository(InMemoryUnitOfWork uow) : IContactRepository
    {
        private TenantPartition Partition => uow._partition;

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
        private static IEnumerable<ContactPosition> After(SortedSet<ContactPosition> order, ContactPageQuery query)
        {
            var ascending = query.Direction == SortDirection.Ascending;
            if (order.Count == 0)
            {
                return [];
            }

            if (query.After is not { } after)
            {
                return ascending ? order : order.Reverse();
            }

            // A view's bounds must lie in order, so clamp the position to the set's ends before cutting the view.
            var (min, max, compare) = (order.Min!, order.Max!, order.Comparer);
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
            uow._guard.ThrowIfUnusable();
            uow._guard.CheckTenant(contact.Tenant, "contact");
            uow._contactChanges.Add((contact.Id, contact.Copy(), null));
        }

        public void Update(Contact contact)
        {
            ArgumentNullException.ThrowIfNull(contact);
            uow._contactChanges.Add((contact.Id, contact.Copy(), uow._guard.ExpectedVersion(contact)));
        }

        public void Remove(Contact contact)
        {
            ArgumentNullException.ThrowIfNull(contact);
            uow._contactChanges.Add((contact.Id, null, uow._guard.ExpectedVersion(contact)));
        }

        internal Contact? Load(Contact? stored)
        {
            if (stored is null)
            {
                return null;
            }

            uow._guard.Loaded(stored);
            return stored.Copy();
        }
    }

    private sealed class CustomFieldRepository(InMemoryUnitOfWork uow) : ICustomFieldDefinitionRepository
    {
        public ValueTask<IReadOnlyList<CustomFieldDefinition>> ListAsync(CancellationToken cancellationToken)
        {
            cancellationToken.ThrowIfCancellationRequested();
            lock (uow._partition.Gate)
            {
                return ValueTask.FromResult<IReadOnlyList<CustomFieldDefinition>>([.. uow._partition.CustomFields.Values]);
            }
        }

        public void Add(CustomFieldDefinition definition)
        {
            ArgumentNullException.ThrowIfNull(definition);
            uow._guard.ThrowIfUnusable();
            uow._newCustomFields.Add(definition);
        }
    }

    private sealed class AuditLogRepository(InMemoryUnitOfWork uow) : IAuditLogRepository
    {
        public void Append(AuditEntry entry)
        {
            ArgumentNullException.ThrowIfNull(entry);
            uow._guard.ThrowIfUnusable();
            uow._guard.CheckTenant(entry.Tenant, "audit entry");
            uow._newAuditEntries.Add(entry);
        }

        public ValueTask<IReadOnlyList<AuditEntry>> ReadAsync(AuditLogQuery query, CancellationToken cancellationToken)
        {
            ArgumentNullException.ThrowIfNull(query);
            cancellationToken.ThrowIfCancellationRequested();
            lock (uow._partition.Gate)
            {
                IEnumerable<AuditEntry> source = query.EntityType is null
                    ? uow._partition.Audit
                    : query.EntityId is null
                        ? uow._partition.Audit.Where(e => e.EntityType == query.EntityType)
                        : uow._partition.AuditByEntity.GetValueOrDefault((query.EntityType, query.EntityId)) ?? [];
                var page = source
                    .Where(e => query.Before is null || query.Before.Precedes(e))
                    .OrderByDescending(e => e.OccurredAt.UtcTicks)
                    .ThenByDescending(e => e.Id)
                    .Take(query.Limit)
                    .ToList();
                return ValueTask.FromResult<IReadOnlyList<AuditEntry>>(page);
            }
        }
    }
}
