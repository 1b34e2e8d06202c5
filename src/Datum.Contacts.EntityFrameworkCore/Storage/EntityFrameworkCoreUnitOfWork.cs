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
    /// <summary>Most ids in one IN list.</summary>
    internal const int ChunkSize = 500;

    private readonly bool _ownsContext;
    private readonly AsyncServiceScope _scope;

    public EntityFrameworkCoreUnitOfWork(TenantId tenant, DbContext context, bool ownsContext, AsyncServiceScope scope)
    {
        Guard = new UnitOfWorkGuard(tenant, this);
        TenantKey = tenant.Value;
        Context = context;
        _ownsContext = ownsContext;
        _scope = scope;
        Contacts = SchemaCheckedRepository.Wrap<IContactRepository>(new ContactRepository(this));
        CustomFields = SchemaCheckedRepository.Wrap<ICustomFieldDefinitionRepository>(new CustomFieldRepository(this));
        AuditLog = SchemaCheckedRepository.Wrap<IAuditLogRepository>(new AuditLogRepository(this));
        Lists = SchemaCheckedRepository.Wrap<IContactListRepository>(new ContactListRepository(this));
        Dialect = SetBasedDialect.For(context);
        Memberships = Dialect is null
            ? SchemaCheckedRepository.Wrap<IListMembershipRepository>(new ListMembershipRepository(this))
            : SchemaCheckedRepository.Wrap<ISetBasedListMembershipRepository>(new ListMembershipRepository(this));
        MembershipHistory = SchemaCheckedRepository.Wrap<IMembershipHistoryRepository>(new MembershipHistoryRepository(this));
        Consents = SchemaCheckedRepository.Wrap<IConsentRepository>(new ConsentRepository(this));
        ConsentEvidence = SchemaCheckedRepository.Wrap<IConsentEvidenceRepository>(new ConsentEvidenceRepository(this));
        Suppressions = SchemaCheckedRepository.Wrap<ISuppressionRepository>(new SuppressionRepository(this));
        Engagements = SchemaCheckedRepository.Wrap<IEngagementRepository>(new EngagementRepository(this));
        AudiencePolicies = SchemaCheckedRepository.Wrap<IAudiencePolicyRepository>(new AudiencePolicyRepository(this));
    }

    public TenantId Tenant => Guard.Tenant;

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

    /// <summary>The context every query and the commit go through.</summary>
    internal DbContext Context { get; }

    /// <summary>The tenant id as stored: every query filters on it.</summary>
    internal string TenantKey { get; }

    /// <summary>The version and tenant checks the core asks of every store's unit of work.</summary>
    internal UnitOfWorkGuard Guard { get; }

    /// <summary>Audit entries to append at commit.</summary>
    internal List<AuditEntry> NewAuditEntries { get; } = [];

    public async ValueTask CommitAsync(CancellationToken cancellationToken)
    {
        Guard.ThrowIfUnusable();
        var strategy = Context.Database.CreateExecutionStrategy();
        try
        {
            await strategy.ExecuteAsync(
                this,
                static async (_, uow, ct) =>
                {
                    uow.Context.ChangeTracker.Clear();
                    uow._setBasedRows = 0;
                    var transaction = await uow.Context.Database.BeginTransactionAsync(ct).ConfigureAwait(false);
                    await using var disposeTransaction = transaction.ConfigureAwait(false);
                    try
                    {
                        await uow.StageAsync(ct).ConfigureAwait(false);
                        await uow.Context.SaveChangesAsync(ct).ConfigureAwait(false);
                        await uow.ApplySetBasedChangesAsync(removals: false, ct).ConfigureAwait(false);
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
                        uow.Context.ChangeTracker.Clear();
                        await uow.CheckVersionsAsync().ConfigureAwait(false);
                        await uow.CheckEmailsAsync(uow.StagedContacts(), CancellationToken.None).ConfigureAwait(false);
                        await uow.CheckCustomFieldsAsync(CancellationToken.None).ConfigureAwait(false);
                        await uow.DiagnoseListsAsync().ConfigureAwait(false);
                        await uow.DiagnoseConsentsAsync().ConfigureAwait(false);
                        throw;
                    }
                    finally
                    {
                        uow.Context.ChangeTracker.Clear();
                    }
                },
                verifySucceeded: null,
                cancellationToken).ConfigureAwait(false);
        }
        catch (Exception exception) when (StoreSchema.MissingTable(exception) is { } missing)
        {
            // A table of the model is missing: say which and how to create the schema, not the provider's message.
            throw missing;
        }

        Guard.Committed();
        await AnalyzeAfterSetBasedChangesAsync().ConfigureAwait(false);
        await TableStatistics.OptimizeAsync(Context).ConfigureAwait(false);
    }

    public async ValueTask DisposeAsync()
    {
        if (!Guard.Dispose())
        {
            return;
        }

        if (_ownsContext)
        {
            await Context.DisposeAsync().ConfigureAwait(false);
        }

        await _scope.DisposeAsync().ConfigureAwait(false);
    }

    /// <summary>Loads the rows the queued changes touch, checks versions, emails and names, and applies the changes to the context.</summary>
    private async Task StageAsync(CancellationToken cancellationToken)
    {
        var staged = StagedContacts();
        await CheckEmailsAsync(staged, cancellationToken).ConfigureAwait(false);
        await CheckCustomFieldsAsync(cancellationToken).ConfigureAwait(false);

        await StageContactsAsync(cancellationToken).ConfigureAwait(false);

        foreach (var definition in NewCustomFields)
        {
            Context.Add(CustomFieldRowMapper.ToRow(Tenant, definition));
        }

        await StageListsAsync(cancellationToken).ConfigureAwait(false);
        await StageConsentsAsync(cancellationToken).ConfigureAwait(false);

        foreach (var entry in NewAuditEntries)
        {
            Context.Add(AuditRowMapper.ToRow(entry));
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
            if (entry.Entity is ListRow list && ListChanges.FirstOrDefault(c => c.List.Id.Value == list.Id && c.ExpectedVersion is not null) is { List: not null } listChange)
            {
                Context.ChangeTracker.Clear();
                return await ListConflictAsync(list.Id, listChange.ExpectedVersion!.Value, exception).ConfigureAwait(false);
            }

            if (entry.Entity is ListMembershipRow membership && MembershipChanges.FirstOrDefault(c => c.Membership.ListId.Value == membership.ListId
                && c.Membership.ContactId.Value == membership.ContactId && c.ExpectedVersion is not null) is { } membershipChange)
            {
                Context.ChangeTracker.Clear();
                return await MembershipConflictAsync(membershipChange.Membership.ListId, membershipChange.Membership.ContactId, membershipChange.ExpectedVersion!.Value, exception).ConfigureAwait(false);
            }

            if (entry.Entity is ConsentRow consent && await ConsentConflictAsync(consent, exception).ConfigureAwait(false) is { } consentConflict)
            {
                return consentConflict;
            }
        }

        var id = ids.FirstOrDefault(i => i != Guid.Empty);
        var change = ContactChanges.FirstOrDefault(c => c.Contact.Id.Value == id && c.ExpectedVersion is not null);
        if (change.Contact is null)
        {
            change = ContactChanges.FirstOrDefault(c => c.ExpectedVersion is not null);
        }

        Context.ChangeTracker.Clear();
        return change.Contact is null
            ? new ConcurrencyConflictException(AuditEntityTypes.Contact, "unknown", 0, null, exception)
            : await ConflictAsync(change.Contact.Id.Value, change.ExpectedVersion!.Value, exception).ConfigureAwait(false);
    }
}
