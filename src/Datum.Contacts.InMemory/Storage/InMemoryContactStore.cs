using System.Collections.Concurrent;

namespace Datum.Contacts.InMemory;

/// <summary>The in-memory store: one partition per tenant, each guarded by its own lock.</summary>
internal sealed class InMemoryContactStore : IContactManagementStore
{
    private readonly ConcurrentDictionary<TenantId, TenantPartition> _tenants = new();

    public ValueTask<IUnitOfWork> BeginAsync(TenantId tenant, CancellationToken cancellationToken)
    {
        if (tenant == default)
        {
            throw new ArgumentException("The tenant id is the default value; create one with TenantId.Parse.", nameof(tenant));
        }

        cancellationToken.ThrowIfCancellationRequested();
        var partition = _tenants.GetOrAdd(tenant, static t => new TenantPartition(t));
        return ValueTask.FromResult<IUnitOfWork>(new InMemoryUnitOfWork(partition));
    }
}
