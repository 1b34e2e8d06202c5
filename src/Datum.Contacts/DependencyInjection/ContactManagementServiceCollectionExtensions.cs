using Datum.Contacts;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Options;

namespace Microsoft.Extensions.DependencyInjection;

/// <summary>Adds Datum.Contacts to a host.</summary>
public static class ContactManagementServiceCollectionExtensions
{
    internal const string NoStoreMessage =
        "Datum.Contacts has no store. Choose one when adding it: services.AddContactManagement(...).UseInMemoryStore() "
        + "(package Datum.Contacts.InMemory), or another store adapter's Use* method.";

    /// <summary>Adds the contact management services with default options. Choose a store on the returned builder.</summary>
    /// <param name="services">The host's services.</param>
    public static ContactManagementBuilder AddContactManagement(this IServiceCollection services)
    {
        Guard.Against.Null(services);
        services.AddOptions<ContactManagementOptions>().ValidateOnStart();
        services.TryAddEnumerable(ServiceDescriptor.Singleton<IValidateOptions<ContactManagementOptions>, ContactManagementOptionsValidator>());
        services.TryAddSingleton(TimeProvider.System);

        // Without an adapter, resolving a service fails with a message that says what to call.
        services.TryAddScoped<IContactManagementStore>(_ => throw new InvalidOperationException(NoStoreMessage));

        // Lists are part of the core: memberOf("list") is always a criteria field.
        services.TryAddEnumerable(ServiceDescriptor.Singleton<ICriteriaExtension, MemberOfCriteriaExtension>());
        services.TryAddEnumerable(ServiceDescriptor.Singleton<ICriteriaExtension, ConsentCriteriaExtension>());
        services.TryAddSingleton<ICriteriaCompiler>(sp => new CriteriaCompiler(
            sp.GetRequiredService<IOptions<ContactManagementOptions>>(), sp.GetRequiredService<TimeProvider>(), sp.GetServices<ICriteriaExtension>()));
        services.TryAddScoped<AuditTrail>();
        services.TryAddScoped<IAuditTrail>(sp => sp.GetRequiredService<AuditTrail>());
        services.TryAddScoped<IContactService, ContactService>();
        services.TryAddScoped<ICustomFieldService, CustomFieldService>();
        services.TryAddScoped<ListMaintenance>();
        services.TryAddScoped<IListService, ListService>();
        services.TryAddSingleton<ContactTokens>();
        services.TryAddScoped<IConsentService, ConsentService>();
        services.TryAddScoped<ISuppressionService, SuppressionService>();
        services.TryAddScoped<IEngagementService, EngagementService>();
        services.TryAddScoped<IAudienceService, AudienceService>();
        services.TryAddScoped<IContactSelfService, ContactSelfService>();
        return new ContactManagementBuilder(services);
    }

    /// <summary>Adds the contact management services and configures their options. Choose a store on the returned builder.</summary>
    /// <param name="services">The host's services.</param>
    /// <param name="configure">Changes the options.</param>
    public static ContactManagementBuilder AddContactManagement(this IServiceCollection services, Action<ContactManagementOptions> configure)
    {
        Guard.Against.Null(configure);
        return services.AddContactManagement().Configure(configure);
    }
}
