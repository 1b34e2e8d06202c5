using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;

namespace Datum.Contacts;

/// <summary>The contact application service: validation, duplicate and version checks, audit, commit.</summary>
internal sealed partial class ContactService(
    IContactManagementStore store,
    IOptions<ContactManagementOptions> options,
    AuditTrail audit,
    TimeProvider time,
    ListMaintenance lists,
    ILogger<ContactService>? logger = null) : IContactService
{
    // Logging is optional: a host without AddLogging() still gets a working service.
    private readonly ILogger _logger = logger ?? NullLogger<ContactService>.Instance;
    private readonly ContactManagementOptions _options = options.Value;

    public async Task<Contact> CreateAsync(TenantId tenant, ContactDraft draft, Actor actor, CancellationToken cancellationToken = default)
    {
        Guard.Against.DefaultTenant(tenant);
        Guard.Against.Null(draft);
        Guard.Against.Null(actor);

        var uow = await store.BeginAsync(tenant, cancellationToken).ConfigureAwait(false);
        await using (uow.ConfigureAwait(false))
        {
            var schema = await CustomFieldService.LoadSchemaAsync(uow, cancellationToken).ConfigureAwait(false);
            var details = ContactDetails.Validate(draft, schema, _options);
            await EnsureEmailIsFreeAsync(uow, details.Email, null, cancellationToken).ConfigureAwait(false);

            var contact = Contact.Create(tenant, ContactId.New(time), details, draft.Source, time.GetUtcNow());
            uow.Contacts.Add(contact);
            uow.AuditLog.Append(audit.Entry(tenant, actor, AuditActions.ContactCreated, AuditEntityTypes.Contact, contact.Id.ToString(), contact.DescribeAll(deleted: false)));
            var work = lists.Begin(uow, actor);
            await work.ContactChangedAsync(contact, cancellationToken).ConfigureAwait(false);
            await uow.CommitAsync(cancellationToken).ConfigureAwait(false);
            await lists.PublishAsync(work, cancellationToken).ConfigureAwait(false);

            LogCreated(_logger, tenant.Value, contact.Id, actor.Kind);
            return contact;
        }
    }

    public async Task<Contact?> FindAsync(TenantId tenant, ContactId id, CancellationToken cancellationToken = default)
    {
        Guard.Against.DefaultTenant(tenant);
        var uow = await store.BeginAsync(tenant, cancellationToken).ConfigureAwait(false);
        await using (uow.ConfigureAwait(false))
        {
            return await uow.Contacts.FindAsync(id, cancellationToken).ConfigureAwait(false);
        }
    }

    public async Task<Contact> GetAsync(TenantId tenant, ContactId id, CancellationToken cancellationToken = default)
        => await FindAsync(tenant, id, cancellationToken).ConfigureAwait(false) ?? throw NotFound(id);

    public async Task<Contact?> FindByEmailAsync(TenantId tenant, string email, CancellationToken cancellationToken = default)
    {
        Guard.Against.DefaultTenant(tenant);
        Guard.Against.Null(email);
        var address = EmailAddress.Parse(email);
        var uow = await store.BeginAsync(tenant, cancellationToken).ConfigureAwait(false);
        await using (uow.ConfigureAwait(false))
        {
            return await uow.Contacts.FindByEmailAsync(address, cancellationToken).ConfigureAwait(false);
        }
    }

    public Task<Contact> UpdateAsync(TenantId tenant, ContactId id, ContactDraft draft, long? expectedVersion, Actor actor, CancellationToken cancellationToken = default)
    {
        Guard.Against.Null(draft);
        return ChangeDetailsAsync(tenant, id, _ => draft, expectedVersion, actor, cancellationToken);
    }

    public Task<Contact> PatchAsync(TenantId tenant, ContactId id, ContactPatch patch, long? expectedVersion, Actor actor, CancellationToken cancellationToken = default)
    {
        Guard.Against.Null(patch);
        return ChangeDetailsAsync(tenant, id, contact => patch.ApplyTo(ContactDetails.ToDraft(contact)), expectedVersion, actor, cancellationToken);
    }

    public Task<Contact> SetPreferencesAsync(TenantId tenant, ContactId id, ContactPreferencesDraft preferences, long? expectedVersion, Actor actor, CancellationToken cancellationToken = default)
    {
        Guard.Against.Null(preferences);
        var errors = new List<FieldError>();
        var validated = ContactPreferences.Create(preferences, errors);
        if (errors.Count > 0)
        {
            throw new ValidationFailedException(errors);
        }

        return ChangeAsync(
            tenant, id, expectedVersion, actor, AuditActions.ContactPreferencesChanged,
            (_, contact, _) => Task.FromResult(contact.SetPreferences(validated, time.GetUtcNow())),
            cancellationToken);
    }

    public async Task DeleteAsync(TenantId tenant, ContactId id, long? expectedVersion, Actor actor, CancellationToken cancellationToken = default)
    {
        Guard.Against.DefaultTenant(tenant);
        Guard.Against.Null(actor);
        var uow = await store.BeginAsync(tenant, cancellationToken).ConfigureAwait(false);
        await using (uow.ConfigureAwait(false))
        {
            var contact = await LoadAsync(uow, id, expectedVersion, cancellationToken).ConfigureAwait(false);
            var work = lists.Begin(uow, actor);
            await work.ContactDeletedAsync(id, cancellationToken).ConfigureAwait(false);

            // Consent states and engagement events go with the contact; the consent ledger stays, as proof.
            foreach (var consent in await uow.Consents.ForContactsAsync([id], cancellationToken).ConfigureAwait(false))
            {
                uow.Consents.Remove(consent);
            }

            uow.Engagements.RemoveForContact(id);
            uow.Contacts.Remove(contact);
            uow.AuditLog.Append(audit.Entry(tenant, actor, AuditActions.ContactDeleted, AuditEntityTypes.Contact, id.ToString(), contact.DescribeAll(deleted: true)));
            await uow.CommitAsync(cancellationToken).ConfigureAwait(false);
            await lists.PublishAsync(work, cancellationToken).ConfigureAwait(false);
            LogDeleted(_logger, tenant.Value, id, actor.Kind);
        }
    }

    public Task<Page<Contact>> PageAsync(TenantId tenant, ContactPageRequest request, CancellationToken cancellationToken = default)
        => ListAsync(tenant, null, request, cancellationToken);

    public Task<Page<Contact>> SearchAsync(TenantId tenant, Criteria criteria, ContactPageRequest request, CancellationToken cancellationToken = default)
    {
        Guard.Against.Null(criteria);
        return ListAsync(tenant, criteria, request, cancellationToken);
    }

    public async Task<long> CountAsync(TenantId tenant, Criteria? criteria, CancellationToken cancellationToken = default)
    {
        Guard.Against.DefaultTenant(tenant);
        var uow = await store.BeginAsync(tenant, cancellationToken).ConfigureAwait(false);
        await using (uow.ConfigureAwait(false))
        {
            var filter = await CompileAsync(uow, criteria, cancellationToken).ConfigureAwait(false);
            return await uow.Contacts.CountAsync(filter, cancellationToken).ConfigureAwait(false);
        }
    }

    private async Task<CompiledCriteria?> CompileAsync(IUnitOfWork uow, Criteria? criteria, CancellationToken cancellationToken)
        => criteria is null
            ? null
            : await ListService.CompileSearchAsync(lists.Begin(uow, Actor.System), criteria, cancellationToken).ConfigureAwait(false);

    private async Task<Page<Contact>> ListAsync(TenantId tenant, Criteria? criteria, ContactPageRequest request, CancellationToken cancellationToken)
    {
        Guard.Against.DefaultTenant(tenant);
        Guard.Against.Null(request);
        if (!Enum.IsDefined(request.Sort))
        {
            throw new ValidationFailedException(new FieldError("sort", "invalid_sort", "sort must be CreatedAt, UpdatedAt, Email or LastName."));
        }

        if (!Enum.IsDefined(request.Direction))
        {
            throw new ValidationFailedException(new FieldError("direction", "invalid_direction", "direction must be Ascending or Descending."));
        }

        var size = PageCursor.ResolveSize(request.Size, _options);
        var scope = $"contacts:{request.Sort}:{request.Direction}";
        var isTime = request.Sort is ContactSortField.CreatedAt or ContactSortField.UpdatedAt;
        ContactPosition? after = null;
        if (request.Cursor is not null)
        {
            var (key, id) = PageCursor.Decode(request.Cursor, scope);
            var contactId = ContactId.TryParse(id, out var parsed) ? parsed : throw PageCursor.Damaged();
            var sortKey = isTime ? new ContactSortKey(PageCursor.DecodeTime(key), null) : new ContactSortKey(null, key);
            after = new ContactPosition(sortKey, contactId);
        }

        var uow = await store.BeginAsync(tenant, cancellationToken).ConfigureAwait(false);
        await using (uow.ConfigureAwait(false))
        {
            var filter = await CompileAsync(uow, criteria, cancellationToken).ConfigureAwait(false);
            var contacts = await uow.Contacts.ListAsync(new ContactPageQuery(request.Sort, request.Direction, after, size + 1, filter), cancellationToken).ConfigureAwait(false);
            return PageCursor.ToPage(contacts, size, scope, c =>
            {
                var key = ContactOrder.KeyOf(c, request.Sort);
                return (isTime ? PageCursor.EncodeTime(key.Time!.Value) : key.Text!, c.Id.ToString());
            });
        }
    }

    public Task<Page<AuditEntry>> GetAuditLogAsync(TenantId tenant, ContactId id, PageRequest page, CancellationToken cancellationToken = default)
        => audit.ReadEntityAsync(tenant, AuditEntityTypes.Contact, id.ToString(), page, cancellationToken);

    private Task<Contact> ChangeDetailsAsync(TenantId tenant, ContactId id, Func<Contact, ContactDraft> draftOf, long? expectedVersion, Actor actor, CancellationToken cancellationToken)
        => ChangeAsync(
            tenant, id, expectedVersion, actor, AuditActions.ContactUpdated,
            async (uow, contact, ct) =>
            {
                var schema = await CustomFieldService.LoadSchemaAsync(uow, ct).ConfigureAwait(false);
                var details = ContactDetails.Validate(draftOf(contact), schema, _options);
                if (details.Email is not null && details.Email != contact.Email)
                {
                    await EnsureEmailIsFreeAsync(uow, details.Email, contact.Id, ct).ConfigureAwait(false);
                }

                return contact.Update(details, time.GetUtcNow());
            },
            cancellationToken);

    /// <summary>Loads, checks the version, applies a change, and commits it with its audit entry when anything changed.</summary>
    private async Task<Contact> ChangeAsync(
        TenantId tenant,
        ContactId id,
        long? expectedVersion,
        Actor actor,
        string action,
        Func<IUnitOfWork, Contact, CancellationToken, Task<IReadOnlyList<FieldChange>>> change,
        CancellationToken cancellationToken)
    {
        Guard.Against.DefaultTenant(tenant);
        Guard.Against.Null(actor);
        var uow = await store.BeginAsync(tenant, cancellationToken).ConfigureAwait(false);
        await using (uow.ConfigureAwait(false))
        {
            var contact = await LoadAsync(uow, id, expectedVersion, cancellationToken).ConfigureAwait(false);
            var changes = await change(uow, contact, cancellationToken).ConfigureAwait(false);
            if (changes.Count == 0)
            {
                return contact;
            }

            uow.Contacts.Update(contact);
            uow.AuditLog.Append(audit.Entry(tenant, actor, action, AuditEntityTypes.Contact, id.ToString(), changes));
            var work = lists.Begin(uow, actor);
            await work.ContactChangedAsync(contact, cancellationToken).ConfigureAwait(false);
            await uow.CommitAsync(cancellationToken).ConfigureAwait(false);
            await lists.PublishAsync(work, cancellationToken).ConfigureAwait(false);
            LogChanged(_logger, tenant.Value, id, contact.Version, changes.Count, actor.Kind);
            return contact;
        }
    }

    /// <summary>Loads a contact for a change, or throws <see cref="EntityNotFoundException"/>; checks the version when one is expected.</summary>
    internal static async Task<Contact> LoadAsync(IUnitOfWork uow, ContactId id, long? expectedVersion, CancellationToken cancellationToken)
    {
        var contact = await uow.Contacts.FindAsync(id, cancellationToken).ConfigureAwait(false) ?? throw NotFound(id);
        if (expectedVersion is { } expected && expected != contact.Version)
        {
            throw new ConcurrencyConflictException(AuditEntityTypes.Contact, id.ToString(), expected, contact.Version);
        }

        return contact;
    }

    private static async Task EnsureEmailIsFreeAsync(IUnitOfWork uow, EmailAddress? email, ContactId? self, CancellationToken cancellationToken)
    {
        if (email is null)
        {
            return;
        }

        var holder = await uow.Contacts.FindByEmailAsync(email, cancellationToken).ConfigureAwait(false);
        if (holder is not null && holder.Id != self)
        {
            throw new DuplicateEmailException(holder.Id);
        }
    }

    private static EntityNotFoundException NotFound(ContactId id) => new(AuditEntityTypes.Contact, id.ToString());

    [LoggerMessage(EventId = 1001, Level = LogLevel.Information, Message = "Contact {ContactId} created in tenant {Tenant} by a {ActorKind}")]
    private static partial void LogCreated(ILogger logger, string tenant, ContactId contactId, ActorKind actorKind);

    [LoggerMessage(EventId = 1002, Level = LogLevel.Information, Message = "Contact {ContactId} in tenant {Tenant} changed to version {Version} ({FieldCount} fields) by a {ActorKind}")]
    private static partial void LogChanged(ILogger logger, string tenant, ContactId contactId, long version, int fieldCount, ActorKind actorKind);

    [LoggerMessage(EventId = 1003, Level = LogLevel.Information, Message = "Contact {ContactId} deleted in tenant {Tenant} by a {ActorKind}")]
    private static partial void LogDeleted(ILogger logger, string tenant, ContactId contactId, ActorKind actorKind);
}
