using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;

namespace Datum.Contacts.EntityFrameworkCore;

/// <summary>
/// Queues changes and writes them at commit in one database transaction: contact rows, their child rows, custom
/// field definitions, lists, memberships (with the lists' member counts), membership history, consents, the consent
/// ledger, suppressions, engagement events, the audience policy and audit entries together (an outbox table will
/// join the same transaction). Every query
/// it issues is filtered by its tenant. Reads do not track; commit loads the rows it changes, checks the versions
/// the caller read, and lets the concurrency token catch anything that changed since.
/// </summary>
internal sealed partial class EntityFrameworkCoreUnitOfWork : IUnitOfWork
{
    private readonly DbContext _context;
    private readonly bool _ownsContext;
    private readonly AsyncServiceScope _scope;
    private readonly string _tenant;
    private readonly UnitOfWorkGuard _guard;
    private readonly List<(Contact Contact, bool Removed, long? ExpectedVersion)> _contactChanges = [];
    private readonly List<CustomFieldDefinition> _newCustomFields = [];
    private readonly List<AuditEntry> _newAuditEntries = [];

    public EntityFrameworkCoreUnitOfWork(TenantId tenant, DbContext context, bool ownsContext, AsyncServiceScope scope)
    {
        _guard = new UnitOfWorkGuard(tenant, this);
        _tenant = tenant.Value;
        _context = context;
        _ownsContext = ownsContext;
        _scope = scope;
        Contacts = new ContactRepository(this);
        CustomFields = new CustomFieldRepository(this);
        AuditLog = new AuditLogRepository(this);
        Lists = new ContactListRepository(this);
        Memberships = new ListMembershipRepository(this);
        MembershipHistory = new MembershipHistoryRepository(this);
        Consents = new ConsentRepository(this);
        ConsentEvidence = new ConsentEvidenceRepository(this);
        Suppressions = new SuppressionRepository(this);
        Engagements = new EngagementRepository(this);
        AudiencePolicies = new AudiencePolicyRepository(this);
    }

    public TenantId Tenant => _guard.Tenant;

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

    /// <summary>This tenant's contact rows: the only way the store reaches the contacts table.</summary>
    private IQueryable<ContactRow> ContactRows => _context.Set<ContactRow>().Where(r => r.TenantId == _tenant);

    /// <summary>This tenant's contact rows with every child row, untracked: what a contact is rebuilt from.</summary>
    private IQueryable<ContactRow> WholeContacts => ContactRows.AsNoTracking()
        .Include(r => r.Tags)
        .Include(r => r.SocialProfiles)
        .Include(r => r.Channels)
        .Include(r => r.CustomValues);

    public async ValueTask CommitAsync(CancellationToken cancellationToken)
    {
        _guard.ThrowIfUnusable();
        var strategy = _context.Database.CreateExecutionStrategy();
        await strategy.ExecuteAsync(
            this,
            static async (_, uow, ct) =>
            {
                uow._context.ChangeTracker.Clear();
                var transaction = await uow._context.Database.BeginTransactionAsync(ct).ConfigureAwait(false);
                await using var disposeTransaction = transaction.ConfigureAwait(false);
                try
                {
                    await uow.StageAsync(ct).ConfigureAwait(false);
                    await uow._context.SaveChangesAsync(ct).ConfigureAwait(false);
                    await transaction.CommitAsync(ct).ConfigureAwait(false);
                    return true;
                }
                catch (DbUpdateConcurrencyException exception)
                {
                    await transaction.RollbackAsync(CancellationToken.None).ConfigureAwait(false);
                    throw await uow.ConflictAsync(exception).ConfigureAwait(false);
                }
                catch (DbUpdateException)
                {
                    // A constraint caught what the checks before saving could not see (a concurrent writer): say which.
                    await transaction.RollbackAsync(CancellationToken.None).ConfigureAwait(false);
                    uow._context.ChangeTracker.Clear();
                    await uow.CheckVersionsAsync().ConfigureAwait(false);
                    await uow.CheckEmailsAsync(uow.StagedContacts(), CancellationToken.None).ConfigureAwait(false);
                    await uow.CheckCustomFieldsAsync(CancellationToken.None).ConfigureAwait(false);
                    await uow.DiagnoseListsAsync().ConfigureAwait(false);
                    await uow.DiagnoseConsentsAsync().ConfigureAwait(false);
                    throw;
                }
                finally
                {
                    uow._context.ChangeTracker.Clear();
                }
            },
            verifySucceeded: null,
            cancellationToken).ConfigureAwait(false);
        _guard.Committed();
    }

    public async ValueTask DisposeAsync()
    {
        if (!_guard.Dispose())
        {
            return;
        }

        if (_ownsContext)
        {
            await _context.DisposeAsync().ConfigureAwait(false);
        }

        await _scope.DisposeAsync().ConfigureAwait(false);
    }

    /// <summary>Loads the rows the queued changes touch, checks versions, emails and names, and applies the changes to the context.</summary>
    private async Task StageAsync(CancellationToken cancellationToken)
    {
        var staged = StagedContacts();
        await CheckEmailsAsync(staged, cancellationToken).ConfigureAwait(false);
        await CheckCustomFieldsAsync(cancellationToken).ConfigureAwait(false);

        // Claim each contact to change at the version the caller read, before touching any row: the no-op update
        // locks the row until commit (PostgreSQL) and says whether the version still holds. Without it a child row
        // written by a concurrent winner could fail this commit with a key violation instead of a version conflict.
        var claims = _contactChanges
            .Where(c => c.ExpectedVersion is not null)
            .GroupBy(c => c.Contact.Id.Value)
            .Select(g => (Id: g.Key, Expected: g.First().ExpectedVersion!.Value))
            .ToList();
        foreach (var (id, expected) in claims)
        {
            var claimed = await ContactRows
                .Where(r => r.Id == id && r.Version == expected)
                .ExecuteUpdateAsync(set => set.SetProperty(r => r.Version, r => r.Version), cancellationToken)
                .ConfigureAwait(false);
            if (claimed == 0)
            {
                throw await ConflictAsync(id, expected, null).ConfigureAwait(false);
            }
        }

        var existingIds = claims.Select(c => c.Id).ToList();
        var rows = existingIds.Count == 0
            ? []
            : await ContactRows
                .Where(r => existingIds.Contains(r.Id))
                .Include(r => r.Tags)
                .Include(r => r.SocialProfiles)
                .Include(r => r.Channels)
                .Include(r => r.CustomValues)
                .AsSplitQuery()
                .ToDictionaryAsync(r => r.Id, cancellationToken)
                .ConfigureAwait(false);
        var written = new HashSet<Guid>();
        foreach (var (contact, removed, expected) in _contactChanges)
        {
            var id = contact.Id.Value;
            rows.TryGetValue(id, out var row);
            if (expected is null)
            {
                if (row is not null)
                {
                    throw new InvalidOperationException($"A contact with id '{contact.Id}' already exists; ids must be new.");
                }

                row = new ContactRow();
                ContactRowMapper.CopyTo(contact, row);
                _context.Add(row);
                rows[id] = row;
                written.Add(id);
                continue;
            }

            if (row is null || (!written.Contains(id) && row.Version != expected))
            {
                throw new ConcurrencyConflictException(AuditEntityTypes.Contact, contact.Id.ToString(), expected.Value, row?.Version);
            }

            written.Add(id);
            if (removed)
            {
                _context.Remove(row);
                rows.Remove(id);
            }
            else
            {
                ContactRowMapper.CopyTo(contact, row);
            }
        }

        foreach (var definition in _newCustomFields)
        {
            _context.Add(ContactRowMapper.ToRow(Tenant, definition));
        }

        await StageListsAsync(cancellationToken).ConfigureAwait(false);
        await StageConsentsAsync(cancellationToken).ConfigureAwait(false);

        foreach (var entry in _newAuditEntries)
        {
            _context.Add(ContactRowMapper.ToRow(entry));
        }
    }

    /// <summary>The net state per contact id after the queued changes: the contact, or null when removed.</summary>
    private Dictionary<ContactId, Contact?> StagedContacts()
    {
        var staged = new Dictionary<ContactId, Contact?>();
        foreach (var (contact, removed, _) in _contactChanges)
        {
            staged[contact.Id] = removed ? null : contact;
        }

        return staged;
    }

    private async Task CheckEmailsAsync(Dictionary<ContactId, Contact?> staged, CancellationToken cancellationToken)
    {
        var claimed = new Dictionary<string, ContactId>(StringComparer.Ordinal);
        foreach (var (id, after) in staged)
        {
            if (after?.Email is { } email && !claimed.TryAdd(email.Normalized, id))
            {
                throw new DuplicateEmailException(claimed[email.Normalized]);
            }
        }

        if (claimed.Count == 0)
        {
            return;
        }

        var emails = claimed.Keys.ToList();
        var holders = await ContactRows.AsNoTracking()
            .Where(r => r.EmailNormalized != null && emails.Contains(r.EmailNormalized))
            .Select(r => new { r.Id, r.EmailNormalized })
            .ToListAsync(cancellationToken)
            .ConfigureAwait(false);
        foreach (var holder in holders)
        {
            var holderId = new ContactId(holder.Id);
            if (holderId == claimed[holder.EmailNormalized!])
            {
                continue;
            }

            // The holder keeps the address unless this unit of work deletes it or moves it off the address.
            if (!staged.TryGetValue(holderId, out var holderAfter) || holderAfter?.Email?.Normalized == holder.EmailNormalized)
            {
                throw new DuplicateEmailException(holderId);
            }
        }
    }

    private async Task CheckCustomFieldsAsync(CancellationToken cancellationToken)
    {
        if (_newCustomFields.Count == 0)
        {
            return;
        }

        var names = new HashSet<string>(StringComparer.Ordinal);
        foreach (var definition in _newCustomFields)
        {
            if (!names.Add(definition.Name.ToLowerInvariant()))
            {
                throw CustomFieldService.AlreadyDefined(definition.Name);
            }
        }

        var keys = names.ToList();
        var existing = await _context.Set<CustomFieldRow>().AsNoTracking()
            .Where(f => f.TenantId == _tenant && keys.Contains(f.NameKey))
            .Select(f => f.Name)
            .FirstOrDefaultAsync(cancellationToken)
            .ConfigureAwait(false);
        if (existing is not null)
        {
            throw CustomFieldService.AlreadyDefined(_newCustomFields.First(d => string.Equals(d.Name, existing, StringComparison.OrdinalIgnoreCase)).Name);
        }
    }

    /// <summary>The concurrency error for a save whose version check failed, naming the contact and the version now stored.</summary>
    private async Task<ConcurrencyConflictException> ConflictAsync(DbUpdateConcurrencyException exception)
    {
        var ids = exception.Entries.Select(e => e.Entity switch
        {
            ContactRow c => c.Id,
            ContactTagRow t => t.ContactId,
            ContactSocialProfileRow p => p.ContactId,
            ContactChannelRow c => c.ContactId,
            ContactCustomValueRow v => v.ContactId,
            _ => Guid.Empty,
        });
        foreach (var entry in exception.Entries)
        {
            if (entry.Entity is ListRow list && _listChanges.FirstOrDefault(c => c.List.Id.Value == list.Id && c.ExpectedVersion is not null) is { List: not null } listChange)
            {
                _context.ChangeTracker.Clear();
                return await ListConflictAsync(list.Id, listChange.ExpectedVersion!.Value, exception).ConfigureAwait(false);
            }

            if (entry.Entity is ListMembershipRow membership && _membershipChanges.FirstOrDefault(c => c.Membership.ListId.Value == membership.ListId
                && c.Membership.ContactId.Value == membership.ContactId && c.ExpectedVersion is not null) is { } membershipChange)
            {
                _context.ChangeTracker.Clear();
                return await MembershipConflictAsync(membershipChange.Membership.ListId, membershipChange.Membership.ContactId, membershipChange.ExpectedVersion!.Value, exception).ConfigureAwait(false);
            }

            if (entry.Entity is ConsentRow consent && await ConsentConflictAsync(consent, exception).ConfigureAwait(false) is { } consentConflict)
            {
                return consentConflict;
            }
        }

        var id = ids.FirstOrDefault(i => i != Guid.Empty);
        var change = _contactChanges.FirstOrDefault(c => c.Contact.Id.Value == id && c.ExpectedVersion is not null);
        if (change.Contact is null)
        {
            change = _contactChanges.FirstOrDefault(c => c.ExpectedVersion is not null);
        }

        _context.ChangeTracker.Clear();
        return change.Contact is null
            ? new ConcurrencyConflictException(AuditEntityTypes.Contact, "unknown", 0, null, exception)
            : await ConflictAsync(change.Contact.Id.Value, change.ExpectedVersion!.Value, exception).ConfigureAwait(false);
    }

    private async Task<ConcurrencyConflictException> ConflictAsync(Guid id, long expected, Exception? inner)
    {
        var actual = await ContactRows.AsNoTracking().Where(r => r.Id == id).Select(r => (long?)r.Version).FirstOrDefaultAsync().ConfigureAwait(false);
        return new ConcurrencyConflictException(AuditEntityTypes.Contact, new ContactId(id).ToString(), expected, actual, inner);
    }

    /// <summary>After a failed save: a concurrency error when a contact to change no longer has the version the caller read.</summary>
    private async Task CheckVersionsAsync()
    {
        foreach (var (contact, _, expected) in _contactChanges.Where(c => c.ExpectedVersion is not null))
        {
            var id = contact.Id.Value;
            var actual = await ContactRows.AsNoTracking().Where(r => r.Id == id).Select(r => (long?)r.Version).FirstOrDefaultAsync().ConfigureAwait(false);
            if (actual != expected)
            {
                throw new ConcurrencyConflictException(AuditEntityTypes.Contact, contact.Id.ToString(), expected!.Value, actual);
            }
        }
    }

    private Contact Load(ContactRow row)
    {
        var contact = ContactRowMapper.ToContact(row);
        _guard.Loaded(contact);
        return contact;
    }

    private sealed class ContactRepository(EntityFrameworkCoreUnitOfWork uow) : IContactRepository
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
            uow._guard.ThrowIfUnusable();
            uow._guard.CheckTenant(contact.Tenant, "contact");
            uow._contactChanges.Add((contact.Copy(), false, null));
        }

        public void Update(Contact contact)
        {
            ArgumentNullException.ThrowIfNull(contact);
            uow._contactChanges.Add((contact.Copy(), false, uow._guard.ExpectedVersion(contact)));
        }

        public void Remove(Contact contact)
        {
            ArgumentNullException.ThrowIfNull(contact);
            uow._contactChanges.Add((contact.Copy(), true, uow._guard.ExpectedVersion(contact)));
        }
    }

    private sealed class CustomFieldRepository(EntityFrameworkCoreUnitOfWork uow) : ICustomFieldDefinitionRepository
    {
        public async ValueTask<IReadOnlyList<CustomFieldDefinition>> ListAsync(CancellationToken cancellationToken)
        {
            var tenant = uow._tenant;
            var rows = await uow._context.Set<CustomFieldRow>().AsNoTracking()
                .Where(f => f.TenantId == tenant)
                .OrderBy(f => f.NameKey)
                .ToListAsync(cancellationToken)
                .ConfigureAwait(false);
            return rows.Select(ContactRowMapper.ToDefinition).ToList();
        }

        public void Add(CustomFieldDefinition definition)
        {
            ArgumentNullException.ThrowIfNull(definition);
            uow._guard.ThrowIfUnusable();
            uow._newCustomFields.Add(definition);
        }
    }

    private sealed class AuditLogRepository(EntityFrameworkCoreUnitOfWork uow) : IAuditLogRepository
    {
        public void Append(AuditEntry entry)
        {
            ArgumentNullException.ThrowIfNull(entry);
            uow._guard.ThrowIfUnusable();
            uow._guard.CheckTenant(entry.Tenant, "audit entry");
            uow._newAuditEntries.Add(entry);
        }

        public async ValueTask<IReadOnlyList<AuditEntry>> ReadAsync(AuditLogQuery query, CancellationToken cancellationToken)
        {
            ArgumentNullException.ThrowIfNull(query);
            var tenant = uow._tenant;
            var rows = uow._context.Set<AuditEntryRow>().AsNoTracking().Where(e => e.TenantId == tenant);
            if (query.EntityType is { } type)
            {
                rows = rows.Where(e => e.EntityType == type);
                if (query.EntityId is { } entityId)
                {
                    rows = rows.Where(e => e.EntityId == entityId);
                }
            }

            var before = query.Before is { } position ? (position.OccurredAt, position.Id) : ((DateTimeOffset, Guid)?)null;
            var page = await NewestFirst.PageAsync(rows, null, before, query.Limit, cancellationToken).ConfigureAwait(false);
            return page.Select(ContactRowMapper.ToEntry).ToList();
        }
    }
}

/// <summary>Keyset paging over contact rows in the core's listing orders (<see cref="ContactOrder"/>).</summary>
internal static class ContactPaging
{
    public static IQueryable<ContactRow> Page(IQueryable<ContactRow> rows, ContactPageQuery query)
    {
        var ascending = query.Direction == SortDirection.Ascending;
        if (query.After is { } after)
        {
            var id = after.Id.Value;
            var ticks = after.Key.Time?.UtcTicks ?? 0;
            var text = after.Key.Text ?? string.Empty;
            rows = (query.Sort, ascending) switch
            {
                (ContactSortField.CreatedAt, true) => rows.Where(r => r.CreatedAtTicks > ticks || (r.CreatedAtTicks == ticks && r.Id.CompareTo(id) > 0)),
                (ContactSortField.CreatedAt, false) => rows.Where(r => r.CreatedAtTicks < ticks || (r.CreatedAtTicks == ticks && r.Id.CompareTo(id) < 0)),
                (ContactSortField.UpdatedAt, true) => rows.Where(r => r.UpdatedAtTicks > ticks || (r.UpdatedAtTicks == ticks && r.Id.CompareTo(id) > 0)),
                (ContactSortField.UpdatedAt, false) => rows.Where(r => r.UpdatedAtTicks < ticks || (r.UpdatedAtTicks == ticks && r.Id.CompareTo(id) < 0)),
                (ContactSortField.Email, true) => rows.Where(r => r.SortEmail.CompareTo(text) > 0 || (r.SortEmail == text && r.Id.CompareTo(id) > 0)),
                (ContactSortField.Email, false) => rows.Where(r => r.SortEmail.CompareTo(text) < 0 || (r.SortEmail == text && r.Id.CompareTo(id) < 0)),
                (ContactSortField.LastName, true) => rows.Where(r => r.SortLastName.CompareTo(text) > 0 || (r.SortLastName == text && r.Id.CompareTo(id) > 0)),
                (_, _) => rows.Where(r => r.SortLastName.CompareTo(text) < 0 || (r.SortLastName == text && r.Id.CompareTo(id) < 0)),
            };
        }

        IOrderedQueryable<ContactRow> ordered = (query.Sort, ascending) switch
        {
            (ContactSortField.CreatedAt, true) => rows.OrderBy(r => r.CreatedAtTicks),
            (ContactSortField.CreatedAt, false) => rows.OrderByDescending(r => r.CreatedAtTicks),
            (ContactSortField.UpdatedAt, true) => rows.OrderBy(r => r.UpdatedAtTicks),
            (ContactSortField.UpdatedAt, false) => rows.OrderByDescending(r => r.UpdatedAtTicks),
            (ContactSortField.Email, true) => rows.OrderBy(r => r.SortEmail),
            (ContactSortField.Email, false) => rows.OrderByDescending(r => r.SortEmail),
            (ContactSortField.LastName, true) => rows.OrderBy(r => r.SortLastName),
            (_, _) => rows.OrderByDescending(r => r.SortLastName),
        };
        ordered = ascending ? ordered.ThenBy(r => r.Id) : ordered.ThenByDescending(r => r.Id);
        return ordered.Take(query.Limit);
    }
}
