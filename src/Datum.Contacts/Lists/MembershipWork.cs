namespace Datum.Contacts;

/// <summary>
/// The membership side of one unit of work: queues membership changes with their history entries (the domain events
/// handed to <see cref="IMembershipChangeHandler"/>s after the commit), and keeps dynamic lists current for the
/// contacts and lists the unit of work touches. The one place where dynamic membership rules live:
/// a contact that matches and has no membership joins; a member that stops matching leaves, unless unsubscribed,
/// which keeps them out.
/// </summary>
internal sealed class MembershipWork(IUnitOfWork uow, ICriteriaCompiler compiler, Actor actor, DateTimeOffset now)
{
    // What this unit of work has done to memberships so far (null: removed), laid over committed reads.
    private readonly Dictionary<(ContactId, ListId), ListMembership?> _pending = [];

    // Channel-wide consents this unit of work changed, laid over committed reads for consent.<channel>.
    private readonly Dictionary<(ContactId, Channel), Consent> _pendingConsents = [];
    private IReadOnlyList<ContactList>? _dynamicLists;
    private CustomFieldSchema? _schema;

    public IUnitOfWork Uow => uow;

    public Actor Actor => actor;

    public DateTimeOffset Now => now;

    /// <summary>The history entries queued, in order.</summary>
    public List<MembershipHistoryEntry> Changes { get; } = [];

    /// <summary>The set-based changes queued, in order; their history entries are read back after the commit.</summary>
    public List<SetBasedMembershipChange> SetBasedChanges { get; } = [];

    /// <summary>The store's set-based maintenance, when it has it: big refreshes and deletions then take bounded memory.</summary>
    public ISetBasedMembershipMaintenance? SetBased => uow.Memberships as ISetBasedMembershipMaintenance;

    /// <summary>Whether this unit of work changed any membership.</summary>
    public bool HasChanges => Changes.Count > 0 || SetBasedChanges.Count > 0;

    /// <summary>Queues a new membership.</summary>
    public ListMembership Join(ListId list, ContactId contact, MembershipStatus status, MembershipSource source, MembershipChangeReason reason)
    {
        var membership = ListMembership.Create(uow.Tenant, list, contact, status, source, now);
        uow.Memberships.Add(membership);
        _pending[(contact, list)] = membership;
        Record(list, contact, null, status, reason);
        return membership;
    }

    /// <summary>Queues a status change; nothing when the status is already that.</summary>
    public bool SetStatus(ListMembership membership, MembershipStatus status, MembershipChangeReason reason)
    {
        var from = membership.Status;
        if (membership.SetStatus(status, now).Count == 0)
        {
            return false;
        }

        uow.Memberships.Update(membership);
        _pending[(membership.ContactId, membership.ListId)] = membership;
        Record(membership.ListId, membership.ContactId, from, status, reason);
        return true;
    }

    /// <summary>Queues the removal of a membership.</summary>
    public void Leave(ListMembership membership, MembershipChangeReason reason)
    {
        uow.Memberships.Remove(membership);
        _pending[(membership.ContactId, membership.ListId)] = null;
        Record(membership.ListId, membership.ContactId, membership.Status, null, reason);
    }

    /// <summary>Records a consent this unit of work changed, so the re-evaluation of dynamic lists sees it.</summary>
    public void ConsentChanged(Consent consent)
    {
        if (consent.ListId is null)
        {
            _pendingConsents[(consent.ContactId, consent.Channel)] = consent;
        }
    }

    /// <summary>Re-evaluates the tenant's dynamic lists for a contact just created or changed in this unit of work.</summary>
    public async Task ContactChangedAsync(Contact contact, CancellationToken cancellationToken)
    {
        var lists = await DynamicListsAsync(cancellationToken).ConfigureAwait(false);
        if (lists.Count > 0)
        {
            await ReevaluateAsync([contact], lists, cancellationToken).ConfigureAwait(false);
        }
    }

    /// <summary>Removes every membership of a contact being deleted in this unit of work.</summary>
    public async Task ContactDeletedAsync(ContactId contact, CancellationToken cancellationToken)
    {
        var memberships = await uow.Memberships.ForContactsAsync([contact], cancellationToken).ConfigureAwait(false);
        foreach (var membership in memberships)
        {
            Leave(membership, MembershipChangeReason.ContactDeleted);
        }
    }

    /// <summary>
    /// After the memberships of <paramref name="changedList"/> changed for some contacts, re-evaluates for those
    /// contacts every dynamic list whose criteria depends on it, directly or through other lists.
    /// </summary>
    public async Task CascadeAsync(ContactList changedList, IReadOnlyCollection<ContactId> contacts, CancellationToken cancellationToken)
    {
        if (contacts.Count == 0)
        {
            return;
        }

        var all = await DynamicListsAsync(cancellationToken).ConfigureAwait(false);
        var dependents = ListGraph.DependentsOf(changedList.NameKey, all);
        if (dependents.Count == 0)
        {
            return;
        }

        foreach (var chunk in contacts.Chunk(1_000))
        {
            var loaded = await uow.Contacts.FindManyAsync(chunk, cancellationToken).ConfigureAwait(false);
            await ReevaluateAsync(loaded, dependents, cancellationToken).ConfigureAwait(false);
        }
    }

    /// <summary>
    /// Queues a set-based change of a list's memberships (see <see cref="ISetBasedMembershipMaintenance"/>) with a block
    /// of history ids for the most it may move.
    /// </summary>
    public SetBasedMembershipChange QueueSetBased(
        ISetBasedMembershipMaintenance store,
        ListId list,
        CompiledCriteria? criteria,
        MembershipDeltaCounts? expected,
        SetBasedMembershipChange? within,
        int most,
        MembershipChangeReason reason)
    {
        var change = new SetBasedMembershipChange(list, criteria, expected, within, reason, actor, now, MembershipHistoryIds.Reserve(now, most));
        store.Queue(change);
        SetBasedChanges.Add(change);
        return change;
    }

    /// <summary>
    /// After a set-based change of <paramref name="changedList"/>, queues for every dynamic list that depends on it,
    /// directly or through others, in evaluation order, its re-evaluation for exactly the contacts the change moved.
    /// </summary>
    public async Task CascadeSetBasedAsync(ISetBasedMembershipMaintenance store, ContactList changedList, SetBasedMembershipChange change, CancellationToken cancellationToken)
    {
        var all = await DynamicListsAsync(cancellationToken).ConfigureAwait(false);
        foreach (var dependent in ListGraph.DependentsOf(changedList.NameKey, all))
        {
            var criteria = await CompileAsync(dependent.Criteria!, cancellationToken).ConfigureAwait(false);
            QueueSetBased(store, dependent.Id, criteria, null, change, change.Ids.Count, MembershipChangeReason.Criteria);
        }
    }

    /// <summary>Compiles a list's criteria against the tenant's catalogue (cached by the compiler).</summary>
    public async Task<CompiledCriteria> CompileAsync(Criteria criteria, CancellationToken cancellationToken)
        => compiler.Compile(criteria, await SchemaAsync(cancellationToken).ConfigureAwait(false));

    private async ValueTask<CustomFieldSchema> SchemaAsync(CancellationToken cancellationToken)
        => _schema ??= await CustomFieldService.LoadSchemaAsync(uow, cancellationToken).ConfigureAwait(false);

    /// <summary>Every dynamic list of the tenant, in an order where a list comes after the lists its criteria refers to.</summary>
    public async Task<IReadOnlyList<ContactList>> DynamicListsAsync(CancellationToken cancellationToken)
        => _dynamicLists ??= ListGraph.Order(await uow.Lists.ListDynamicAsync(cancellationToken).ConfigureAwait(false));

    /// <summary>Forgets the dynamic lists read, after this unit of work added or changed one.</summary>
    public void DynamicListsChanged(IReadOnlyList<ContactList> lists) => _dynamicLists = ListGraph.Order(lists);

    /// <summary>Whether a contact matches a dynamic list's criteria, with its memberships as this unit of work leaves them.</summary>
    public async Task<bool> MatchesAsync(ContactList list, Contact contact, CancellationToken cancellationToken)
    {
        var memberships = await LoadMembershipsAsync([contact.Id], [list], cancellationToken).ConfigureAwait(false);
        var criteria = await CompileAsync(list.Criteria!, cancellationToken).ConfigureAwait(false);
        using (MemberOfCriteriaExtension.Use(memberships))
        using (ConsentCriteriaExtension.Use(memberships))
        {
            return criteria.Predicate(contact);
        }
    }

    private async Task ReevaluateAsync(IReadOnlyList<Contact> contacts, IReadOnlyList<ContactList> lists, CancellationToken cancellationToken)
    {
        var memberships = await LoadMembershipsAsync([.. contacts.Select(c => c.Id)], lists, cancellationToken).ConfigureAwait(false);
        var schema = await SchemaAsync(cancellationToken).ConfigureAwait(false);

        // No await below: the thread-static sources stay this loop's for its whole run.
        using var memberOf = MemberOfCriteriaExtension.Use(memberships);
        using var consents = ConsentCriteriaExtension.Use(memberships);
        foreach (var list in lists)
        {
            var criteria = compiler.Compile(list.Criteria!, schema);
            for (var i = 0; i < contacts.Count; i++)
            {
                var contact = contacts[i];
                var matches = criteria.Predicate(contact);
                var current = memberships.Find(contact.Id, list.Id);
                if (matches && current is null)
                {
                    memberships.Set(Join(list.Id, contact.Id, MembershipStatus.Active, MembershipSource.Dynamic, MembershipChangeReason.Criteria));
                }
                else if (!matches && current is not null && current.Status != MembershipStatus.Unsubscribed)
                {
                    Leave(current, MembershipChangeReason.Criteria);
                    memberships.Remove(contact.Id, list.Id);
                }
            }
        }
    }

    private async Task<ContactMemberships> LoadMembershipsAsync(IReadOnlyCollection<ContactId> contacts, IReadOnlyList<ContactList> lists, CancellationToken cancellationToken)
    {
        var keys = ListGraph.KeysOf(lists);
        var loaded = await uow.Memberships.ForContactsAsync(contacts, cancellationToken).ConfigureAwait(false);
        var memberships = new ContactMemberships(keys.Ids, loaded.Count);
        foreach (var membership in loaded)
        {
            memberships.Set(membership);
        }

        if (_pending.Count > 0)
        {
            var wanted = contacts as IReadOnlySet<ContactId> ?? contacts.ToHashSet();
            foreach (var ((contact, list), membership) in _pending)
            {
                if (!wanted.Contains(contact))
                {
                    continue;
                }

                if (membership is null)
                {
                    memberships.Remove(contact, list);
                }
                else
                {
                    memberships.Set(membership);
                }
            }
        }

        if (keys.ReadConsents)
        {
            foreach (var consent in await uow.Consents.ForContactsAsync(contacts, cancellationToken).ConfigureAwait(false))
            {
                memberships.SetConsent(consent);
            }

            foreach (var ((contact, _), consent) in _pendingConsents)
            {
                if (contacts.Contains(contact))
                {
                    memberships.SetConsent(consent);
                }
            }
        }

        // memberOf reads lists by name: the lists evaluated are named already; resolve the other names they refer to.
        foreach (var key in keys.Referenced)
        {
            if (keys.Resolved.TryGetValue(key, out var id))
            {
                memberships.Name(key, id);
            }
            else if (await uow.Lists.FindByNameAsync(key, cancellationToken).ConfigureAwait(false) is { } referenced)
            {
                memberships.Name(key, referenced.Id);
                keys.Resolved.TryAdd(key, referenced.Id);
            }
        }

        return memberships;
    }

    private void Record(ListId list, ContactId contact, MembershipStatus? from, MembershipStatus? to, MembershipChangeReason reason)
    {
        var entry = new MembershipHistoryEntry(TimeOrderedGuid.Next(now), uow.Tenant, list, contact, now, from, to, reason, actor);
        uow.MembershipHistory.Append(entry);
        Changes.Add(entry);
    }

    /// <summary>The memberships (and channel-wide consents) of the contacts being re-evaluated, as this unit of work leaves them.</summary>
    private sealed class ContactMemberships(IReadOnlyDictionary<string, ListId> named, int capacity) : IMembershipStatusSource, IConsentStateSource
    {
        private readonly Dictionary<(ContactId, ListId), ListMembership> _memberships = new(capacity);
        private Dictionary<string, ListId>? _others;
        private Dictionary<(ContactId, string), ConsentState>? _consents;

        public void SetConsent(Consent consent)
        {
            if (consent.ListId is null)
            {
                (_consents ??= [])[(consent.ContactId, consent.Channel.Value)] = consent.State;
            }
        }

        public ConsentState StateOf(ContactId contact, string channel)
            => _consents is not null && _consents.TryGetValue((contact, channel), out var state) ? state : ConsentState.None;

        public void Set(ListMembership membership) => _memberships[(membership.ContactId, membership.ListId)] = membership;

        public void Remove(ContactId contact, ListId list) => _memberships.Remove((contact, list));

        public ListMembership? Find(ContactId contact, ListId list) => _memberships.GetValueOrDefault((contact, list));

        public void Name(string key, ListId list) => (_others ??= new(StringComparer.Ordinal))[key] = list;

        public MembershipStatus? StatusOf(ContactId contact, string listKey)
            => (named.TryGetValue(listKey, out var list) || (_others?.TryGetValue(listKey, out list) ?? false))
                && _memberships.TryGetValue((contact, list), out var membership)
                ? membership.Status
                : null;
    }
}
