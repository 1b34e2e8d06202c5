using Datum.Contacts.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore;

namespace Microsoft.Extensions.DependencyInjection;

/// <summary>Chooses the EF Core store.</summary>
public static class EntityFrameworkCoreContactManagementBuilderExtensions
{
    /// <summary>
    /// Keeps contacts in the database of <typeparamref name="TContext"/>, whose model must include
    /// <see cref="ContactManagementModelBuilderExtensions.ApplyContactManagementModel"/> (or use <see cref="ContactsDbContext"/>).
    /// Register the context as usual (<c>AddDbContext</c>, or <c>AddDbContextFactory</c>, which is preferred when
    /// registered: each unit of work then gets a context of its own without a service scope).
    /// </summary>
    /// <typeparam name="TContext">The host's context.</typeparam>
    /// <param name="builder">The contact management builder.</param>
    /// <returns>The builder.</returns>
    public static ContactManagementBuilder UseEntityFrameworkCore<TContext>(this ContactManagementBuilder builder)
        where TContext : DbContext
    {
        ArgumentNullException.ThrowIfNull(builder);
        return builder.UseStore<EntityFrameworkCoreStore<TContext>>("entity-framework-core", ServiceLifetime.Singleton);
    }
}
