using Microsoft.Extensions.Options;

namespace Datum.Contacts;

/// <summary>The list application service: validation, criteria checks, membership rules, audit, commit, events.</summary>
internal sealed class ListService(
    IContactManagementStore store,
    IOptions<ContactManagementOptions> options,
    AuditTrail audit,
    ListMaintenance maintenance,
    TimeProvider time) : IListService
{
    private readonly ContactManagementOptions _options = options.Value;

    public async Task<ContactList> CreateAsync(TenantId tenant, ListDraft draft, Actor actor, CancellationToken cancellationToken = default)
    {
        Guard.Against.DefaultTenant(tenant);
        Guard.Against.Null(draft);
        Guard.Against.Null(actor);
        var details = ListDetails.Validate(draft, _options);
        var uow = await store.BeginAsync(tenant, cancellationToken).ConfigureAwait(false);
        await using (uow.ConfigureAwait(false))
        {
            await EnsureNameIsFreeAsync(uow, details.Name, null, cancellationToken).ConfigureAwait(false);
            var work = maintenance.Begin(uow, actor);
            var list = ContactList.Create(tenant, ListId.New(time), details, work.Now);
            var compiled = await CheckCriteriaAsync(work, list, cancellationToken).ConfigureAwait(false);
            uow.Lists.Add(list);
            uow.AuditLog.Append(audit.Entry(tenant, actor, AuditActions.ListCreated, AuditEntityTypes.List, list.Id.ToString(), list.DescribeAll(deleted: false)));
            var added = 0;
            if (compiled is not null)
            {
                added = (await RefreshInAsync(work, list, compiled, cancellationToken).ConfigureAwait(false)).Entering;
            }

            await uow.CommitAsync(cancellationToken).ConfigureAwait(false);
            await maintenance.PublishAsync(work, cancellationToken).ConfigureAwait(false);
            return list.Copy(added);
        }
    }

    public async Task<ContactList?> FindAsync(TenantId tenant, ListId id, CancellationToken cancellationToken = default)
    {
        Guard.Against.DefaultTenant(tenant);
        var uow = await store.BeginAsync(tenant, cancellationToken).ConfigureAwait(false);
        await using (uow.ConfigureAwait(false))
        {
            return await uow.Lists.FindAsync(id, cancellationToken).ConfigureAwait(false);
        }
    }

    public async Task<ContactList> GetAsync(TenantId tenant, ListId id, CancellationToken cancellationToken = default)
        => await FindAsync(tenant, id, cancellationToken).ConfigureAwait(false) ?? throw NotFound(id);

    public async Task<ContactList?> FindByNameAsync(TenantId tenant, string name, CancellationToken cancellationToken = default)
    {
        Guard.Against.DefaultTenant(tenant);
        Guard.Against.Null(name);
        if (!Text.IsStorable(name))
        {
            return null; // no list name holds such a character (and its key could not even be computed)
        }

        var uow = await store.BeginAsync(tenant, cancellationToken).ConfigureAwait(false);
        await using (uow.ConfigureAwait(false))
        {
            return await uow.Lists.FindByNameAsync(name, cancellationToken).ConfigureAwait(false);
        }
    }

    public async Task<Page<ContactList>> PageAsync(TenantId tenant, PageRequest page, CancellationToken cancellationToken = default)
    {
        Guard.Against.DefaultTenant(tenant);
        Guard.Against.Null(page);
        var size = PageCursor.ResolveSize(page.Size, _options);
        const string scope = "lists";
        ListId? after = null;
        if (page.Cursor is not null)
        {
            var (_, id) = PageCursor.Decode(page.Cursor, scope);
            after = ListId.TryParse(id, out var parsed) ? parsed : throw PageCursor.Damaged();
        }

        var uow = await store.BeginAsync(tenant, cancellationToken).ConfigureAwait(false);
        await using (uow.ConfigureAwait(false))
        {
            var lists = await uow.Lists.ListAsync(new ListPageQuery(after, size + 1), cancellationToken).ConfigureAwait(false);
            return PageCursor.ToPage(lists, size, scope, l => (string.Empty, l.Id.ToString()));
        }
    }

    public async Task<ContactList> UpdateAsync(TenantId tenant, ListId id, ListDraft draft, long? expectedVersion, Actor actor, CancellationToken cancellationToken = default)
    {
        Guard.Against.DefaultTenant(tenant);
        Guard.Against.Null(draft);
        Guard.Against.Null(actor);
        var details = ListDetails.Validate(draft, _options);
        var uow = await store.BeginAsync(tenant, cancellationToken).ConfigureAwait(false);
        await using (uow.ConfigureAwait(false))
        {
            var list = await LoadAsync(uow, id, expectedVersion, cancellationToken).ConfigureAwait(false);
            var work = maintenance.Begin(uow, actor);
            var oldKey = list.NameKey;
            var oldCriteria = list.Criteria;
            if (ContactList.KeyOf(details.Name) != oldKey)
            {
                await EnsureNameIsFreeAsync(uow, details.Name, list.Id, cancellationToken).ConfigureAwait(false);
                await EnsureNotReferencedAsync(work, list, "renamed", cancellationToken).ConfigureAwait(false);
            }

            var changes = list.Update(details, work.Now);
            if (changes.Count == 0)
            {
                return list;
            }

            var criteriaChanged = list.Criteria is not null && list.Criteria != oldCriteria;
            var compiled = criteriaChanged ? await CheckCriteriaAsync(work, list, cancellationToken).ConfigureAwait(false) : null;
            uow.Lists.Update(list);
            uow.AuditLog.Append(audit.Entry(tenant, actor, AuditActions.ListUpdated, AuditEntityTypes.List, id.ToString(), changes));
            var count = list.MemberCount;
            if (compiled is not null)
            {
                // Dependents of this list must see its new criteria when the cascade re-evaluates them.
                var lists = await work.DynamicListsAsync(cancellationToken).ConfigureAwait(false);
                work.DynamicListsChanged([.. lists.Select(l => l.Id == list.Id ? list : l)]);
                var moved = await RefreshInAsync(work, list, compiled, cancellationToken).ConfigureAwait(false);
                count += moved.Entering - moved.LeavingActive;
            }

            await uow.CommitAsync(cancellationToken).ConfigureAwait(false);
            await maintenance.PublishAsync(work, cancellationToken).ConfigureAwait(false);
            return list.Copy(count);
        }
    }

    public async Task DeleteAsync(TenantId tenant, ListId id, long? expectedVersion, Actor actor, CancellationToken cancellationToken = default)
    {
        Guard.Against.DefaultTenant(tenant);
        Guard.Against.Null(actor);
        var uow = await store.BeginAsync(tenant, cancellationToken).ConfigureAwait(false);
        await using (uow.ConfigureAwait(false))
        {
            var list = await LoadAsync(uow, id, expectedVersion, cancellationToken).ConfigureAwait(false);
            var work = maintenance.Begin(uow, actor);
            await EnsureNotReferencedAsync(work, list, "deleted", cancellationToken).ConfigureAwait(false);
            var removed = await RemoveMembershipsAsync(work, id, cancellationToken).ConfigureAwait(false);
            uow.Lists.Remove(list);
            var changes = list.DescribeAll(deleted: true).Append(new FieldChange("memberships", removed.ToString(System.Globalization.CultureInfo.InvariantCulture), null)).ToList();
            uow.AuditLog.Append(audit.Entry(tenant, actor, AuditActions.ListDeleted, AuditEntityTypes.List, id.ToString(), changes));
            await uow.CommitAsync(cancellationToken).ConfigureAwait(false);
            await maintenance.PublishAsync(work, cancellationToken).ConfigureAwait(false);
        }
    }

    public Task<MembershipChangeResult> AddMembersAsync(TenantId tenant, ListId id, IReadOnlyCollection<ContactId> contacts, MembershipSource source, Actor actor, CancellationToken cancellationToken = default)
        => AddMembersAsync(tenant, id, contacts, source, MembershipStatus.Active, actor, cancellationToken);

    public Task<MembershipChangeResult> AddMembersAsync(TenantId tenant, ListId id, IReadOnlyCollection<ContactId> contacts, MembershipSource source, MembershipStatus status, Actor actor, CancellationToken cancellationToken = default)
    {
        if (status is not (MembershipStatus.Active or MembershipStatus.Pending))
        {
            throw new ValidationFailedException(new FieldError("status", "invalid_status", "status must be Active or Pending; unsubscribing is UnsubscribeAsync."));
        }

        if (!Enum.IsDefined(source) || source == MembershipSource.Dynamic)
        {
            throw new ValidationFailedException(new FieldError("source", "invalid_source", "source must be Manual, Import or Integration; Dynamic memberships come from criteria."));
        }

        var reason = source switch
        {
            MembershipSource.Import => MembershipChangeReason.Import,
            MembershipSource.Integration => MembershipChangeReason.Integration,
            _ => MembershipChangeReason.Manual,
        };
        return ChangeMembersAsync(tenant, id, contacts, actor, AuditActions.ListMembersAdded, "added", (work, contact, current) =>
        {
            if (current is null)
            {
                work.Join(id, contact, status, source, reason);
                return true;
            }

            return current.Status == MembershipStatus.Pending && status == MembershipStatus.Active && work.SetStatus(current, MembershipStatus.Active, reason);
        }, cancellationToken);
    }

    public Task<MembershipChangeResult> RemoveMembersAsync(TenantId tenant, ListId id, IReadOnlyCollection<ContactId> contacts, Actor actor, CancellationToken cancellationToken = default)
        => ChangeMembersAsync(tenant, id, contacts, actor, AuditActions.ListMembersRemoved, "removed", (work, _, current) =>
        {
            // An unsubscribed membership stays: it is what keeps the contact from being added back.
            if (current is null || current.Status == MembershipStatus.Unsubscribed)
            {
                return false;
            }

            work.Leave(current, MembershipChangeReason.Manual);
            return true;
        }, cancellationToken);

    public async Task<ListMembership> UnsubscribeAsync(TenantId tenant, ListId id, ContactId contact, Actor actor, CancellationToken cancellationToken = default)
        => (await ChangeMembershipAsync(tenant, id, contact, actor, AuditActions.ListMemberUnsubscribed, (work, _, membership, _) =>
        {
            work.SetStatus(membership, MembershipStatus.Unsubscribed, MembershipChangeReason.Unsubscribe);
            return Task.FromResult<ListMembership?>(membership);
        }, cancellationToken).ConfigureAwait(false))!;

    public Task<ListMembership?> ResubscribeAsync(TenantId tenant, ListId id, ContactId contact, Actor actor, CancellationToken cancellationToken = default)
        => ChangeMembershipAsync(tenant, id, contact, actor, AuditActions.ListMemberResubscribed, async (work, list, membership, ct) =>
        {
            if (membership.Status != MembershipStatus.Unsubscribed)
            {
                return membership;
            }

            if (list.Kind == ListKind.Dynamic)
            {
                var loaded = await work.Uow.Contacts.FindAsync(contact, ct).ConfigureAwait(false) ?? throw new EntityNotFoundException(AuditEntityTypes.Contact, contact.ToString());
                if (!await work.MatchesAsync(list, loaded, ct).ConfigureAwait(false))
                {
                    work.Leave(membership, MembershipChangeReason.Resubscribe);
                    return null;
                }
            }

            work.SetStatus(membership, MembershipStatus.Active, MembershipChangeReason.Resubscribe);
            return membership;
        }, cancellationToken);

    public async Task<ListMembership> UpdateMembershipAsync(TenantId tenant, ListId id, ContactId contact, MembershipDraft draft, long? expectedVersion, Actor actor, CancellationToken cancellationToken = default)
    {
        Guard.Against.DefaultTenant(tenant);
        Guard.Against.Null(draft);
        Guard.Against.Null(actor);
        var uow = await store.BeginAsync(tenant, cancellationToken).ConfigureAwait(false);
        await using (uow.ConfigureAwait(false))
        {
            _ = await LoadAsync(uow, id, null, cancellationToken).ConfigureAwait(false);
            var membership = await uow.Memberships.FindAsync(id, contact, cancellationToken).ConfigureAwait(false) ?? throw NotAMember(contact);
            if (expectedVersion is { } expected && expected != membership.Version)
            {
                throw new ConcurrencyConflictException("membership", $"{id}/{contact}", expected, membership.Version);
            }

            var changes = membership.Update(draft, time.GetUtcNow());
            if (changes.Count == 0)
            {
                return membership;
            }

            uow.Memberships.Update(membership);
            uow.AuditLog.Append(audit.Entry(tenant, actor, AuditActions.ListMembershipUpdated, AuditEntityTypes.List, id.ToString(), [new FieldChange("contact", null, contact.ToString()), .. changes]));
            await uow.CommitAsync(cancellationToken).ConfigureAwait(false);
            return membership;
        }
    }

    public async Task<ListMembership?> FindMembershipAsync(TenantId tenant, ListId id, ContactId contact, CancellationToken cancellationToken = default)
    {
        Guard.Against.DefaultTenant(tenant);
        var uow = await store.BeginAsync(tenant, cancellationToken).ConfigureAwait(false);
        await using (uow.ConfigureAwait(false))
        {
            return await uow.Memberships.FindAsync(id, contact, cancellationToken).ConfigureAwait(false);
        }
    }

    public async Task<IReadOnlyList<ListMembership>> GetMembershipsAsync(TenantId tenant, ContactId contact, CancellationToken cancellationToken = default)
    {
        Guard.Against.DefaultTenant(tenant);
        var uow = await store.BeginAsync(tenant, cancellationToken).ConfigureAwait(false);
        await using (uow.ConfigureAwait(false))
        {
            var memberships = await uow.Memberships.ForContactsAsync([contact], cancellationToken).ConfigureAwait(false);
            return [.. memberships.OrderBy(m => m.ListId)];
        }
    }

    public async Task<Page<ListMember>> GetMembersAsync(TenantId tenant, ListId id, ListMembersRequest request, CancellationToken cancellationToken = default)
    {
        Guard.Against.DefaultTenant(tenant);
        Guard.Against.Null(request);
        if (request.Status is { } status && !Enum.IsDefined(status))
        {
            throw new ValidationFailedException(new FieldError("status", "invalid_status", "status must be Active, Pending or Unsubscribed."));
        }

        var size = PageCursor.ResolveSize(request.Size, _options);
        var scope = $"members:{id}";
        ContactId? after = null;
        if (request.Cursor is not null)
        {
            var (_, contactId) = PageCursor.Decode(request.Cursor, scope);
            after = ContactId.TryParse(contactId, out var parsed) ? parsed : throw PageCursor.Damaged();
        }

        var uow = await store.BeginAsync(tenant, cancellationToken).ConfigureAwait(false);
        await using (uow.ConfigureAwait(false))
        {
            _ = await LoadAsync(uow, id, null, cancellationToken).ConfigureAwait(false);
            var work = maintenance.Begin(uow, Actor.System);
            var filter = request.Criteria is null ? null : await CompileSearchAsync(work, request.Criteria, cancellationToken).ConfigureAwait(false);
            var members = await uow.Memberships.PageAsync(new MembershipPageQuery(id, request.Status, filter, after, size + 1), cancellationToken).ConfigureAwait(false);
            return PageCursor.ToPage(members, size, scope, m => (string.Empty, m.Contact.Id.ToString()));
        }
    }

    public async Task<ListRefreshResult> RefreshAsync(TenantId tenant, ListId id, Actor actor, CancellationToken cancellationToken = default)
    {
        Guard.Against.DefaultTenant(tenant);
        Guard.Against.Null(actor);
        var uow = await store.BeginAsync(tenant, cancellationToken).ConfigureAwait(false);
        await using (uow.ConfigureAwait(false))
        {
            var list = await LoadAsync(uow, id, null, cancellationToken).ConfigureAwait(false);
            if (list.Criteria is null)
            {
                throw new ListOperationException(ListOperationException.DynamicListMembersCode, $"The list '{list.Name}' is static: only dynamic lists are refreshed from criteria.");
            }

            var work = maintenance.Begin(uow, actor);
            var compiled = await work.CompileAsync(list.Criteria, cancellationToken).ConfigureAwait(false);
            var moved = await RefreshInAsync(work, list, compiled, cancellationToken).ConfigureAwait(false);
            if (moved.IsEmpty)
            {
                return new ListRefreshResult(0, 0);
            }

            uow.AuditLog.Append(audit.Entry(tenant, actor, AuditActions.ListRefreshed, AuditEntityTypes.List, id.ToString(), Counts(("added", moved.Entering), ("removed", moved.Leaving))));
            await uow.CommitAsync(cancellationToken).ConfigureAwait(false);
            await maintenance.PublishAsync(work, cancellationToken).ConfigureAwait(false);
            return new ListRefreshResult(moved.Entering, moved.Leaving);
        }
    }

    public async Task<CriteriaPreview> PreviewAsync(TenantId tenant, Criteria criteria, int sampleSize, CancellationToken cancellationToken = default)
    {
        Guard.Against.DefaultTenant(tenant);
        Guard.Against.Null(criteria);
        if (sampleSize < 0 || sampleSize > _options.MaxPageSize)
        {
            throw new ValidationFailedException(new FieldError("sampleSize", "out_of_range", $"sampleSize must be between 0 and {_options.MaxPageSize}."));
        }

        var uow = await store.BeginAsync(tenant, cancellationToken).ConfigureAwait(false);
        await using (uow.ConfigureAwait(false))
        {
            var filter = await CompileSearchAsync(maintenance.Begin(uow, Actor.System), criteria, cancellationToken).ConfigureAwait(false);
            var count = await uow.Contacts.CountAsync(filter, cancellationToken).ConfigureAwait(false);
            IReadOnlyList<Contact> sample = sampleSize == 0 || count == 0
                ? []
                : await uow.Contacts.ListAsync(new ContactPageQuery(ContactSortField.CreatedAt, SortDirection.Ascending, null, sampleSize, filter), cancellationToken).ConfigureAwait(false);
            return new CriteriaPreview(count, sample);
        }
    }

    public async Task<IReadOnlyList<ListIntegration>> GetSyncStatusAsync(TenantId tenant, ListId id, CancellationToken cancellationToken = default)
        => (await GetAsync(tenant, id, cancellationToken).ConfigureAwait(false)).Integrations;

    public async Task<ContactList> UpdateSyncStatusAsync(TenantId tenant, ListId id, string system, SyncStatusUpdate update, Actor actor, CancellationToken cancellationToken = default)
    {
        Guard.Against.DefaultTenant(tenant);
        Guard.Against.NullOrWhiteSpace(system);
        Guard.Against.Null(update);
        Guard.Against.Null(actor);
        var uow = await store.BeginAsync(tenant, cancellationToken).ConfigureAwait(false);
        await using (uow.ConfigureAwait(false))
        {
            var list = await LoadAsync(uow, id, null, cancellationToken).ConfigureAwait(false);
            var changes = list.SetSyncState(system, update, time.GetUtcNow());
            if (changes.Count > 0)
            {
                uow.Lists.Update(list);
                uow.AuditLog.Append(audit.Entry(tenant, actor, AuditActions.ListSyncStatusChanged, AuditEntityTypes.List, id.ToString(), changes));
                await uow.CommitAsync(cancellationToken).ConfigureAwait(false);
            }

            return list;
        }
    }

    public async Task<Page<MembershipHistoryEntry>> GetHistoryAsync(TenantId tenant, ContactId contact, ListId? list, PageRequest page, CancellationToken cancellationToken = default)
    {
        Guard.Against.DefaultTenant(tenant);
        Guard.Against.Null(page);
        var size = PageCursor.ResolveSize(page.Size, _options);
        var scope = $"history:{contact}:{list}";
        MembershipHistoryPosition? before = null;
        if (page.Cursor is not null)
        {
            var (key, id) = PageCursor.Decode(page.Cursor, scope);
            before = new MembershipHistoryPosition(PageCursor.DecodeTime(key), Guid.TryParse(id, out var guid) ? guid : throw PageCursor.Damaged());
        }

        var uow = await store.BeginAsync(tenant, cancellationToken).ConfigureAwait(false);
        await using (uow.ConfigureAwait(false))
        {
            var entries = await uow.MembershipHistory.ReadAsync(new MembershipHistoryQuery(contact, list, null, before, size + 1), cancellationToken).ConfigureAwait(false);
            return PageCursor.ToPage(entries, size, scope, e => (PageCursor.EncodeTime(e.OccurredAt), e.Id.ToString("N")));
        }
    }

    public async Task<bool> WasMemberAsync(TenantId tenant, ListId id, ContactId contact, DateTimeOffset at, CancellationToken cancellationToken = default)
    {
        Guard.Against.DefaultTenant(tenant);
        var uow = await store.BeginAsync(tenant, cancellationToken).ConfigureAwait(false);
        await using (uow.ConfigureAwait(false))
        {
            var last = await uow.MembershipHistory.ReadAsync(new MembershipHistoryQuery(contact, id, at, null, 1), cancellationToken).ConfigureAwait(false);
            return last.Count > 0 && last[0].To == MembershipStatus.Active;
        }
    }

    public Task<Page<AuditEntry>> GetAuditLogAsync(TenantId tenant, ListId id, PageRequest page, CancellationToken cancellationToken = default)
        => audit.ReadEntityAsync(tenant, AuditEntityTypes.List, id.ToString(), page, cancellationToken);

    /// <summary>
    /// Compiles a criteria used to search (not saved): its fields must fit the catalogue and every list it names must exist.
    /// </summary>
    internal static async Task<CompiledCriteria> CompileSearchAsync(MembershipWork work, Criteria criteria, CancellationToken cancellationToken)
    {
        var compiled = await work.CompileAsync(criteria, cancellationToken).ConfigureAwait(false);
        await CheckReferencesAsync(work, criteria, null, cancellationToken).ConfigureAwait(false);
        return compiled;
    }

    /// <summary>Compiles a dynamic list's criteria and checks the lists it names: they exist and do not depend on this list.</summary>
    private static async Task<CompiledCriteria?> CheckCriteriaAsync(MembershipWork work, ContactList list, CancellationToken cancellationToken)
    {
        if (list.Criteria is null)
        {
            return null;
        }

        var compiled = await work.CompileAsync(list.Criteria, cancellationToken).ConfigureAwait(false);
        await CheckReferencesAsync(work, list.Criteria, list, cancellationToken).ConfigureAwait(false);
        return compiled;
    }

    private static async Task CheckReferencesAsync(MembershipWork work, Criteria criteria, ContactList? self, CancellationToken cancellationToken)
    {
        var references = MemberOfCriteriaExtension.References(criteria).ToList();
        if (references.Count == 0)
        {
            return;
        }

        var errors = new List<CriteriaError>();
        foreach (var (name, key, location) in references)
        {
            if (self is not null && key == self.NameKey)
            {
                errors.Add(new CriteriaError("circular_reference", $"memberOf(\"{name}\") refers to the list itself", location, name, "another list's name"));
            }
            else if (await work.Uow.Lists.FindByNameAsync(key, cancellationToken).ConfigureAwait(false) is null)
            {
                errors.Add(new CriteriaError("unknown_list", $"memberOf(\"{name}\"): this tenant has no list called '{name}'", location, name, "the name of an existing list"));
            }
        }

        if (errors.Count == 0 && self is not null)
        {
            var keys = references.Select(r => r.Key).Distinct(StringComparer.Ordinal).ToList();
            var lists = await work.DynamicListsAsync(cancellationToken).ConfigureAwait(false);
            if (ListGraph.FindCycle(self.NameKey, self.Name, keys, lists) is { } cycle)
            {
                var first = references.First(r => ContactList.KeyOf(cycle[1]) == r.Key);
                errors.Add(new CriteriaError(
                    "circular_reference",
                    $"memberOf(\"{first.Name}\") makes dynamic lists depend on each other in a circle: {string.Join(" → ", cycle)}",
                    first.Location,
                    first.Name,
                    "a list that does not depend on this one"));
            }
        }

        if (errors.Count > 0)
        {
            throw new InvalidCriteriaException(errors);
        }
    }

    /// <summary>
    /// Applies a dynamic list's delta, then re-evaluates the lists that depend on it for the contacts that moved: set-based
    /// at commit when the store can (memory independent of the list's size), else one queued change per membership.
    /// </summary>
    /// <returns>What the list's memberships move.</returns>
    private static async Task<MembershipDeltaCounts> RefreshInAsync(MembershipWork work, ContactList list, CompiledCriteria criteria, CancellationToken cancellationToken)
    {
        if (work.SetBased is { } store)
        {
            var expected = await store.CountAsync(list.Id, criteria, cancellationToken).ConfigureAwait(false);
            if (!expected.IsEmpty)
            {
                var change = work.QueueSetBased(store, list.Id, criteria, expected, null, expected.Entering + expected.Leaving, MembershipChangeReason.Criteria);
                await work.CascadeSetBasedAsync(store, list, change, cancellationToken).ConfigureAwait(false);
            }

            return expected;
        }

        var delta = await work.Uow.Memberships.DiffAsync(list.Id, criteria, cancellationToken).ConfigureAwait(false);
        var moved = new List<ContactId>(delta.Entering.Count + delta.Leaving.Count);
        foreach (var contact in delta.Entering)
        {
            work.Join(list.Id, contact, MembershipStatus.Active, MembershipSource.Dynamic, MembershipChangeReason.Criteria);
            moved.Add(contact);
        }

        var removedActive = 0;
        foreach (var membership in delta.Leaving)
        {
            removedActive += membership.IsActive ? 1 : 0;
            work.Leave(membership, MembershipChangeReason.Criteria);
            moved.Add(membership.ContactId);
        }

        await work.CascadeAsync(list, moved, cancellationToken).ConfigureAwait(false);
        return new MembershipDeltaCounts(delta.Entering.Count, delta.Leaving.Count, removedActive);
    }

    /// <summary>Removes every membership of a list being deleted (set-based when the store can); returns how many.</summary>
    private static async Task<int> RemoveMembershipsAsync(MembershipWork work, ListId list, CancellationToken cancellationToken)
    {
        if (work.SetBased is { } store)
        {
            var expected = await store.CountAsync(list, null, cancellationToken).ConfigureAwait(false);
            if (!expected.IsEmpty)
            {
                work.QueueSetBased(store, list, null, expected, null, expected.Leaving, MembershipChangeReason.ListDeleted);
            }

            return expected.Leaving;
        }

        var memberships = await work.Uow.Memberships.ForListAsync(list, cancellationToken).ConfigureAwait(false);
        foreach (var membership in memberships)
        {
            work.Leave(membership, MembershipChangeReason.ListDeleted);
        }

        return memberships.Count;
    }

    private async Task<MembershipChangeResult> ChangeMembersAsync(
        TenantId tenant,
        ListId id,
        IReadOnlyCollection<ContactId> contacts,
        Actor actor,
        string action,
        string verb,
        Func<MembershipWork, ContactId, ListMembership?, bool> change,
        CancellationToken cancellationToken)
    {
        Guard.Against.DefaultTenant(tenant);
        Guard.Against.Null(contacts);
        Guard.Against.Null(actor);
        var max = _options.MaxContactsPerListCall;
        if (contacts.Count > max)
        {
            throw new ListOperationException(ListOperationException.TooManyContactsCode, $"contacts: {contacts.Count} contacts were given; at most {max} are accepted per call (ContactManagementOptions.MaxContactsPerListCall).");
        }

        var distinct = contacts.Distinct().ToList();
        var uow = await store.BeginAsync(tenant, cancellationToken).ConfigureAwait(false);
        await using (uow.ConfigureAwait(false))
        {
            var list = await LoadAsync(uow, id, null, cancellationToken).ConfigureAwait(false);
            if (list.Kind == ListKind.Dynamic)
            {
                throw new ListOperationException(ListOperationException.DynamicListMembersCode, $"The list '{list.Name}' is dynamic: its members are the contacts its criteria matches, so they cannot be {verb} by hand. Change the criteria, or unsubscribe a contact from the list.");
            }

            var existing = new Dictionary<ContactId, ListMembership>();
            foreach (var chunk in distinct.Chunk(1_000))
            {
                var found = await uow.Contacts.ExistingAsync(chunk, cancellationToken).ConfigureAwait(false);
                if (found.Count != chunk.Length)
                {
                    var missing = chunk.First(c => !found.Contains(c));
                    throw new EntityNotFoundException(AuditEntityTypes.Contact, missing.ToString());
                }

                foreach (var membership in await uow.Memberships.FindManyAsync(id, chunk, cancellationToken).ConfigureAwait(false))
                {
                    existing[membership.ContactId] = membership;
                }
            }

            var work = maintenance.Begin(uow, actor);
            var changed = new List<ContactId>();
            foreach (var contact in distinct)
            {
                if (change(work, contact, existing.GetValueOrDefault(contact)))
                {
                    changed.Add(contact);
                }
            }

            if (changed.Count > 0)
            {
                await work.CascadeAsync(list, changed, cancellationToken).ConfigureAwait(false);
                uow.AuditLog.Append(audit.Entry(tenant, actor, action, AuditEntityTypes.List, id.ToString(), Counts((verb, changed.Count))));
                await uow.CommitAsync(cancellationToken).ConfigureAwait(false);
                await maintenance.PublishAsync(work, cancellationToken).ConfigureAwait(false);
            }

            return new MembershipChangeResult(changed.Count, distinct.Count - changed.Count);
        }
    }

    private async Task<ListMembership?> ChangeMembershipAsync(
        TenantId tenant,
        ListId id,
        ContactId contact,
        Actor actor,
        string action,
        Func<MembershipWork, ContactList, ListMembership, CancellationToken, Task<ListMembership?>> change,
        CancellationToken cancellationToken)
    {
        Guard.Against.DefaultTenant(tenant);
        Guard.Against.Null(actor);
        var uow = await store.BeginAsync(tenant, cancellationToken).ConfigureAwait(false);
        await using (uow.ConfigureAwait(false))
        {
            var list = await LoadAsync(uow, id, null, cancellationToken).ConfigureAwait(false);
            var membership = await uow.Memberships.FindAsync(id, contact, cancellationToken).ConfigureAwait(false) ?? throw NotAMember(contact);
            var work = maintenance.Begin(uow, actor);
            var before = membership.Status;
            var result = await change(work, list, membership, cancellationToken).ConfigureAwait(false);
            if (work.Changes.Count == 0)
            {
                return result;
            }

            await work.CascadeAsync(list, [contact], cancellationToken).ConfigureAwait(false);
            uow.AuditLog.Append(audit.Entry(tenant, actor, action, AuditEntityTypes.List, id.ToString(), [
                new FieldChange("contact", null, contact.ToString()),
                new FieldChange("status", before.ToString(), result?.Status.ToString()),
            ]));
            await uow.CommitAsync(cancellationToken).ConfigureAwait(false);
            await maintenance.PublishAsync(work, cancellationToken).ConfigureAwait(false);
            return result;
        }
    }

    private static async Task EnsureNameIsFreeAsync(IUnitOfWork uow, string name, ListId? self, CancellationToken cancellationToken)
    {
        var holder = await uow.Lists.FindByNameAsync(name, cancellationToken).ConfigureAwait(false);
        if (holder is not null && holder.Id != self)
        {
            throw new DuplicateListNameException(name, holder.Id);
        }
    }

    private static async Task EnsureNotReferencedAsync(MembershipWork work, ContactList list, string verb, CancellationToken cancellationToken)
    {
        var lists = await work.DynamicListsAsync(cancellationToken).ConfigureAwait(false);
        var users = lists.Where(l => l.Id != list.Id && ListGraph.ReferencedKeys(l).Contains(list.NameKey)).Select(l => $"'{l.Name}'").ToList();
        if (users.Count > 0)
        {
            throw new ListOperationException(ListOperationException.ListInUseCode, $"The list '{list.Name}' cannot be {verb}: the criteria of {string.Join(", ", users)} refer to it with memberOf(\"{list.Name}\"). Change those criteria first.");
        }
    }

    private static async Task<ContactList> LoadAsync(IUnitOfWork uow, ListId id, long? expectedVersion, CancellationToken cancellationToken)
    {
        var list = await uow.Lists.FindAsync(id, cancellationToken).ConfigureAwait(false) ?? throw NotFound(id);
        if (expectedVersion is { } expected && expected != list.Version)
        {
            throw new ConcurrencyConflictException(AuditEntityTypes.List, id.ToString(), expected, list.Version);
        }

        return list;
    }

    private static FieldChange[] Counts(params (string Name, int Count)[] counts)
        => [.. counts.Select(c => new FieldChange(c.Name, null, c.Count.ToString(System.Globalization.CultureInfo.InvariantCulture)))];

    private static EntityNotFoundException NotFound(ListId id) => new(AuditEntityTypes.List, id.ToString());

    private static ListOperationException NotAMember(ContactId contact)
        => new(ListOperationException.NotAMemberCode, $"The contact '{contact}' has no membership on this list.");
}
