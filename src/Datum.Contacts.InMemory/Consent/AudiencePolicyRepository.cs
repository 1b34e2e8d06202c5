namespace Datum.Contacts.InMemory;

/// <summary>This tenant's audience policy (at most one), replaced at commit.</summary>
internal sealed class AudiencePolicyRepository(InMemoryUnitOfWork uow) : IAudiencePolicyRepository
{
    public ValueTask<AudiencePolicy?> FindAsync(CancellationToken cancellationToken)
    {
        cancellationToken.ThrowIfCancellationRequested();
        lock (uow.Partition.Gate)
        {
            return ValueTask.FromResult(uow.Consent.Policy);
        }
    }

    public void Save(AudiencePolicy policy)
    {
        ArgumentNullException.ThrowIfNull(policy);
        uow.Guard.ThrowIfUnusable();
        uow.Guard.CheckTenant(policy.Tenant, "audience policy");
        uow.NewPolicy = policy;
    }
}
