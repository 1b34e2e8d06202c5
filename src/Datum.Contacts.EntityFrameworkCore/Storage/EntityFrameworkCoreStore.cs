using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;

namespace Datum.Contacts.EntityFrameworkCore;

/// <summary>
/// The EF Core store: each unit of work gets its own <typeparamref name="TContext"/>, from the host's
/// <see cref="IDbContextFactory{TContext}"/> when it registered one, else from a new service scope.
/// </summary>
internal sealed class EntityFrameworkCoreStore<TContext>(IServiceScopeFactory scopes) : IContactManagementStore
    where TContext : DbContext
{
    public async ValueTask<IUnitOfWork> BeginAsync(TenantId tenant, CancellationToken cancellationToken)
    {
        if (tenant == default)
        {
            throw new ArgumentException("The tenant id is the default value; create one with TenantId.Parse.", nameof(tenant));
        }

        cancellationToken.ThrowIfCancellationRequested();
        var scope = scopes.CreateAsyncScope();
        try
        {
            var factory = scope.ServiceProvider.GetService<IDbContextFactory<TContext>>();
            DbContext context = factory is null
                ? scope.ServiceProvider.GetRequiredService<TContext>()
                : await factory.CreateDbContextAsync(cancellationToken).ConfigureAwait(false);
            if (context.Model.FindEntityType(typeof(ContactRow)) is null)
            {
                throw new InvalidOperationException(
                    $"{typeof(TContext).Name} does not hold the contact management model: call modelBuilder.ApplyContactManagementModel() in its OnModelCreating.");
            }

            return new EntityFrameworkCoreUnitOfWork(tenant, context, ownsContext: factory is not null, scope);
        }
        catch
        {
            await scope.DisposeAsync().ConfigureAwait(false);
            throw;
        }
    }
}
