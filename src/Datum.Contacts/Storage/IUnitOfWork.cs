namespace Datum.Contacts;

/// <summary>
/// The entry point of a store adapter: opens units of work, each bound to one tenant so that nothing done
/// through it can reach another tenant's data.
/// </summary>
/// <remarks>
/// Adapters register their implementation with <c>ContactManagementBuilder.UseStore</c>. A store adapter holds no
/// business rule: it persists what the core hands it and enforces the constraints the ports document.
/// </remarks>
public interface IContactManagementStore
{
    /// <summary>Opens a unit of work for one tenant.</summary>
    /// <param name="tenant">The tenant every repository of the unit of work is bound to.</param>
    /// <param name="cancellationToken">Cancels opening.</param>
    ValueTask<IUnitOfWork> BeginAsync(TenantId tenant, CancellationToken cancellationToken);
}

/// <summary>
/// A set of changes to one tenant's aggregates, their audit entries (and, later, outbox events) that
/// <see cref="CommitAsync"/> writes all together or not at all. Disposing without committing discards them.
/// </summary>
public interface IUnitOfWork : IAsyncDisposable
{
    /// <summary>The tenant this unit of work is bound to.</summary>
    TenantId Tenant { get; }

    /// <summary>The tenant's contacts.</summary>
    IContactRepository Contacts { get; }

    /// <summary>The tenant's custom field definitions.</summary>
    ICustomFieldDefinitionRepository CustomFields { get; }

    /// <summary>The tenant's lists.</summary>
    IContactListRepository Lists { get; }

    /// <summary>The tenant's list memberships.</summary>
    IListMembershipRepository Memberships { get; }

    /// <summary>The tenant's membership history.</summary>
    IMembershipHistoryRepository MembershipHistory { get; }

    /// <summary>The tenant's audit log.</summary>
    IAuditLogRepository AuditLog { get; }

    /// <summary>The tenant's consents.</summary>
    IConsentRepository Consents { get; }

    /// <summary>The tenant's consent ledger.</summary>
    IConsentEvidenceRepository ConsentEvidence { get; }

    /// <summary>The tenant's suppression list.</summary>
    ISuppressionRepository Suppressions { get; }

    /// <summary>The tenant's engagement events.</summary>
    IEngagementRepository Engagements { get; }

    /// <summary>The tenant's audience policy.</summary>
    IAudiencePolicyRepository AudiencePolicies { get; }

    /// <summary>
    /// Writes every queued change atomically. Throws <see cref="DuplicateEmailException"/>,
    /// <see cref="DuplicateListNameException"/>, <see cref="ConcurrencyConflictException"/> or
    /// <see cref="ValidationFailedException"/> when a store constraint fails, having written nothing. A unit of work commits at most once.
    /// </summary>
    /// <param name="cancellationToken">Cancels the commit (before anything is written).</param>
    ValueTask CommitAsync(CancellationToken cancellationToken);
}
