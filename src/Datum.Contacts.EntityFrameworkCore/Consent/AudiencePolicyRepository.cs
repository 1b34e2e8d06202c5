using Microsoft.EntityFrameworkCore;

namespace Datum.Contacts.EntityFrameworkCore;

/// <summary>This tenant's audience policy (at most one), replaced at commit.</summary>
internal sealed class AudiencePolicyRepository(EntityFrameworkCoreUnitOfWork uow) : IAudiencePolicyRepository
{
    public async ValueTask<AudiencePolicy?> FindAsync(CancellationToken cancellationToken)
    {
        var row = await uow.PolicyRows.AsNoTracking().FirstOrDefaultAsync(cancellationToken).ConfigureAwait(false);
        return row is null ? null : ConsentRowMapper.ToPolicy(row);
    }

    public void Save(AudiencePolicy policy)
    {
        ArgumentNullException.ThrowIfNull(policy);
        uow.Guard.ThrowIfUnusable();
        uow.Guard.CheckTenant(policy.Tenant, "audience policy");
        uow.NewPolicy = policy;
    }
}
