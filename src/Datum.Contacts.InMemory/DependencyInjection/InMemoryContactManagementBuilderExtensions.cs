using Datum.Contacts.InMemory;

namespace Microsoft.Extensions.DependencyInjection;

/// <summary>Chooses the in-memory store.</summary>
public static class InMemoryContactManagementBuilderExtensions
{
    /// <summary>
    /// Keeps every tenant's data in this process's memory: thread-safe, tenant-partitioned, with atomic units of
    /// work and the same constraints as a database. Data lives as long as the service provider.
    /// </summary>
    /// <param name="builder">The builder from <c>AddContactManagement</c>.</param>
    public static ContactManagementBuilder UseInMemoryStore(this ContactManagementBuilder builder)
    {
        ArgumentNullException.ThrowIfNull(builder);
        return builder.UseStore<InMemoryContactStore>("in-memory", ServiceLifetime.Singleton);
    }
}
