using Datum.Contacts;
using Microsoft.Extensions.DependencyInjection.Extensions;

namespace Microsoft.Extensions.DependencyInjection;

/// <summary>Configures Datum.Contacts; returned by <c>services.AddContactManagement(...)</c>. Store adapters add their <c>Use*</c> methods to it.</summary>
public sealed class ContactManagementBuilder
{
    internal ContactManagementBuilder(IServiceCollection services) => Services = services;

    /// <summary>The host's services.</summary>
    public IServiceCollection Services { get; }

    /// <summary>Changes options; may be called several times.</summary>
    /// <param name="configure">Changes the options.</param>
    public ContactManagementBuilder Configure(Action<ContactManagementOptions> configure)
    {
        Guard.Against.Null(configure);
        Services.Configure(configure);
        return this;
    }

    /// <summary>
    /// Makes <typeparamref name="TStore"/> the store. Store adapters call this from their own <c>Use*</c> method;
    /// choosing two different stores fails at start-up.
    /// </summary>
    /// <typeparam name="TStore">The adapter's store.</typeparam>
    /// <param name="name">The adapter's name, used in messages (such as <c>in-memory</c>).</param>
    /// <param name="lifetime">The store's lifetime: singleton for an in-process store, scoped for one bound to a DbContext.</param>
    public ContactManagementBuilder UseStore<TStore>(string name, ServiceLifetime lifetime)
        where TStore : class, IContactManagementStore
    {
        Guard.Against.NullOrWhiteSpace(name);
        var registration = new StoreRegistration(name, typeof(TStore));
        if (!Services.Any(d => d.ServiceType == typeof(StoreRegistration) && Equals(d.ImplementationInstance, registration)))
        {
            Services.AddSingleton(registration);
        }

        Services.TryAdd(new ServiceDescriptor(typeof(TStore), typeof(TStore), lifetime));
        Services.Replace(new ServiceDescriptor(typeof(IContactManagementStore), sp => sp.GetRequiredService<TStore>(), lifetime));
        return this;
    }
}

/// <summary>Records which store adapter a host chose, so start-up can tell none from two.</summary>
internal sealed record StoreRegistration(string Name, Type StoreType);
