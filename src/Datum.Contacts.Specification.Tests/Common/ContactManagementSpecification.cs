using System.Security.Cryptography;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Time.Testing;
using Xunit;

namespace Datum.Contacts.Specification.Tests;

/// <summary>
/// The base of every conformance test class. An adapter's test project subclasses each area's class and
/// fills <see cref="UseStore"/>; every test uses fresh random tenants, so stores need no reset between tests.
/// </summary>
public abstract class ContactManagementSpecification : IDisposable
{
    private readonly List<ServiceProvider> _providers = [];
    private readonly System.Collections.Concurrent.ConcurrentBag<IServiceScope> _scopes = [];

    /// <summary>Creates the base with a fresh clock and service provider.</summary>
    protected ContactManagementSpecification()
    {
        Clock = new FakeTimeProvider(new DateTimeOffset(2026, 1, 5, 9, 0, 0, TimeSpan.Zero)) { AutoAdvanceAmount = TimeSpan.FromMilliseconds(1) };
        Services = CreateServices(Clock);
    }

    /// <summary>
    /// The clock the services read: it starts at 2026-01-05 09:00 UTC and each reading moves it on by
    /// <see cref="FakeTimeProvider.AutoAdvanceAmount"/> (1 ms, so that successive events are ordered; zero to stand still).
    /// </summary>
    protected FakeTimeProvider Clock { get; }

    /// <summary>The key contact tokens are signed with in every service provider the test builds (active unless the test says otherwise).</summary>
    protected TokenSigningKey SigningKey { get; } = NewSigningKey("spec-k1");

    /// <summary>The services under test, on the adapter's store.</summary>
    protected IServiceProvider Services { get; }

    /// <summary>The contact service, from a new scope (as a host's request would get it).</summary>
    protected IContactService Contacts => Resolve<IContactService>();

    /// <summary>The custom field service, from a new scope.</summary>
    protected ICustomFieldService CustomFields => Resolve<ICustomFieldService>();

    /// <summary>The audit trail, from a new scope.</summary>
    protected IAuditTrail Audit => Resolve<IAuditTrail>();

    /// <summary>The list service, from a new scope.</summary>
    protected IListService Lists => Resolve<IListService>();

    /// <summary>The raw store port, from a new scope.</summary>
    protected IContactManagementStore Store => Resolve<IContactManagementStore>();

    /// <summary>The consent service, from a new scope.</summary>
    protected IConsentService Consents => Resolve<IConsentService>();

    /// <summary>The suppression list service, from a new scope.</summary>
    protected ISuppressionService Suppressions => Resolve<ISuppressionService>();

    /// <summary>The engagement service, from a new scope.</summary>
    protected IEngagementService Engagements => Resolve<IEngagementService>();

    /// <summary>The audience service, from a new scope.</summary>
    protected IAudienceService Audiences => Resolve<IAudienceService>();

    /// <summary>The contact self-service, from a new scope.</summary>
    protected IContactSelfService SelfService => Resolve<IContactSelfService>();

    /// <summary>Evidence of a sign-up form with every field filled, for the tests' consent changes.</summary>
    protected static ConsentEvidenceDraft FormEvidence { get; } = new()
    {
        Source = ConsentSource.Form,
        PolicyVersion = "privacy-2026-01",
        IpAddress = "192.0.2.10",
        UserAgent = "SpecBrowser/1.0",
    };

    /// <summary>Resolves a service from a new scope of <see cref="Services"/>; the scope lives as long as the test.</summary>
    /// <typeparam name="T">The service type.</typeparam>
    protected T Resolve<T>()
        where T : notnull
    {
        var scope = Services.CreateScope();
        _scopes.Add(scope);
        return scope.ServiceProvider.GetRequiredService<T>();
    }

    /// <summary>An administrator actor for the tests' changes.</summary>
    protected static Actor Admin { get; } = Actor.Admin("spec-admin");

    /// <summary>A token signing key with a fresh random secret.</summary>
    /// <param name="id">The key id.</param>
    protected static TokenSigningKey NewSigningKey(string id) => new() { Id = id, Secret = Convert.ToBase64String(RandomNumberGenerator.GetBytes(32)) };

    /// <summary>Chooses the adapter's store on the builder (for example <c>builder.UseInMemoryStore()</c>).</summary>
    /// <param name="builder">The builder.</param>
    protected abstract void UseStore(ContactManagementBuilder builder);

    /// <summary>Builds a service provider over the adapter's store. Stores that share state across providers must isolate by tenant, as the tests do.</summary>
    /// <param name="time">The clock.</param>
    /// <param name="configure">Extra option changes.</param>
    protected IServiceProvider CreateServices(TimeProvider time, Action<ContactManagementOptions>? configure = null)
        => CreateServices(time, configure, null);

    /// <summary>Builds a service provider over the adapter's store, with extra services (such as <see cref="IMembershipChangeHandler"/>s).</summary>
    /// <param name="time">The clock.</param>
    /// <param name="configure">Extra option changes.</param>
    /// <param name="configureServices">Extra service registrations, made before the store is chosen.</param>
    protected IServiceProvider CreateServices(TimeProvider time, Action<ContactManagementOptions>? configure, Action<IServiceCollection>? configureServices)
        => CreateServices(time, configure, configureServices, null);

    /// <summary>
    /// Builds a service provider with other options over the very store <see cref="Services"/> uses, as a host restarted
    /// with a new configuration would see its data (for key rotation, for instance).
    /// </summary>
    /// <param name="configure">The option changes, made after the defaults (<see cref="SigningKey"/> active).</param>
    protected IServiceProvider CreateServicesOverSameStore(Action<ContactManagementOptions> configure)
    {
        var scope = Services.CreateScope();
        _scopes.Add(scope);
        var store = scope.ServiceProvider.GetRequiredService<IContactManagementStore>();
        return CreateServices(Clock, configure, null, s => s.Replace(ServiceDescriptor.Singleton(store)));
    }

    private ServiceProvider CreateServices(TimeProvider time, Action<ContactManagementOptions>? configure, Action<IServiceCollection>? configureServices, Action<IServiceCollection>? afterStore)
    {
        var services = new ServiceCollection();
        services.AddSingleton(time);
        var builder = services.AddContactManagement(o =>
        {
            o.Tokens.SigningKeys.Add(SigningKey);
            o.Tokens.ActiveKeyId = SigningKey.Id;
            configure?.Invoke(o);
        });
        configureServices?.Invoke(services);
        UseStore(builder);
        afterStore?.Invoke(services);
        var provider = services.BuildServiceProvider(new ServiceProviderOptions { ValidateOnBuild = true });
        _providers.Add(provider);
        return provider;
    }

    /// <summary>A new tenant no other test uses.</summary>
    protected static TenantId NewTenant() => TenantId.Parse("spec-" + Guid.NewGuid().ToString("N")[..16]);

    /// <summary>A valid draft with a unique email address.</summary>
    /// <param name="firstName">The first name.</param>
    protected static ContactDraft NewDraft(string firstName = "Ada") => new()
    {
        FirstName = firstName,
        LastName = "Lovelace",
        Company = "Analytical Engines",
        Email = $"{firstName.ToLowerInvariant()}.{Guid.NewGuid():N}@example.com",
        Phone = "+44 20 7946 0958",
        Type = "prospect",
        Tags = ["vip", "newsletter"],
        Preferences = new ContactPreferencesDraft { Frequency = ContactFrequency.Weekly, TimeZone = "Europe/London" },
    };

    /// <summary>Counts every contact of a tenant by paging through all of them.</summary>
    /// <param name="tenant">The tenant.</param>
    protected async Task<List<Contact>> AllContactsAsync(TenantId tenant)
    {
        var all = new List<Contact>();
        string? cursor = null;
        do
        {
            var page = await Contacts.PageAsync(tenant, new ContactPageRequest(Size: 100, Cursor: cursor));
            all.AddRange(page.Items);
            cursor = page.NextCursor;
        }
        while (cursor is not null);
        return all;
    }

    /// <summary>Reads a tenant's whole audit log, newest first.</summary>
    /// <param name="tenant">The tenant.</param>
    protected async Task<List<AuditEntry>> AllAuditAsync(TenantId tenant)
    {
        var all = new List<AuditEntry>();
        string? cursor = null;
        do
        {
            var page = await Audit.ReadTenantAsync(tenant, new PageRequest(100, cursor));
            all.AddRange(page.Items);
            cursor = page.NextCursor;
        }
        while (cursor is not null);
        return all;
    }

    /// <summary>Reads every member of a list (optionally of one status or matching a criteria) by paging through all of them.</summary>
    /// <param name="tenant">The tenant.</param>
    /// <param name="list">The list.</param>
    /// <param name="status">Only this status; null for any.</param>
    /// <param name="criteria">Only members whose contact matches; null for all.</param>
    protected async Task<List<ListMember>> AllMembersAsync(TenantId tenant, ListId list, MembershipStatus? status = null, Criteria? criteria = null)
    {
        var all = new List<ListMember>();
        string? cursor = null;
        do
        {
            var page = await Lists.GetMembersAsync(tenant, list, new ListMembersRequest(status, criteria, 100, cursor));
            all.AddRange(page.Items);
            cursor = page.NextCursor;
        }
        while (cursor is not null);
        return all;
    }

    /// <summary>The ids of a list's active members, in contact id order.</summary>
    /// <param name="tenant">The tenant.</param>
    /// <param name="list">The list.</param>
    protected async Task<List<ContactId>> ActiveMemberIdsAsync(TenantId tenant, ListId list)
        => [.. (await AllMembersAsync(tenant, list, MembershipStatus.Active)).Select(m => m.Contact.Id).Order()];

    /// <summary>Reads a contact's whole membership history (on one list or all), newest first.</summary>
    /// <param name="tenant">The tenant.</param>
    /// <param name="contact">The contact.</param>
    /// <param name="list">Only this list; null for all.</param>
    protected async Task<List<MembershipHistoryEntry>> AllHistoryAsync(TenantId tenant, ContactId contact, ListId? list = null)
    {
        var all = new List<MembershipHistoryEntry>();
        string? cursor = null;
        do
        {
            var page = await Lists.GetHistoryAsync(tenant, contact, list, new PageRequest(100, cursor));
            all.AddRange(page.Items);
            cursor = page.NextCursor;
        }
        while (cursor is not null);
        return all;
    }

    /// <summary>Reads a list's whole audit log, newest first.</summary>
    /// <param name="tenant">The tenant.</param>
    /// <param name="list">The list.</param>
    protected async Task<List<AuditEntry>> AllListAuditAsync(TenantId tenant, ListId list)
    {
        var all = new List<AuditEntry>();
        string? cursor = null;
        do
        {
            var page = await Lists.GetAuditLogAsync(tenant, list, new PageRequest(100, cursor));
            all.AddRange(page.Items);
            cursor = page.NextCursor;
        }
        while (cursor is not null);
        return all;
    }

    /// <summary>Reads a contact's whole consent ledger (of one scope or all), newest first.</summary>
    /// <param name="tenant">The tenant.</param>
    /// <param name="contact">The contact.</param>
    /// <param name="scope">Only this scope; null for all.</param>
    protected async Task<List<ConsentEvidence>> AllEvidenceAsync(TenantId tenant, ContactId contact, ConsentScope? scope = null)
    {
        var all = new List<ConsentEvidence>();
        string? cursor = null;
        do
        {
            var page = await Consents.GetEvidenceAsync(tenant, contact, scope, new PageRequest(100, cursor));
            all.AddRange(page.Items);
            cursor = page.NextCursor;
        }
        while (cursor is not null);
        return all;
    }

    /// <summary>The ids of a list's audience on a channel at a time, in the order they were streamed.</summary>
    /// <param name="tenant">The tenant.</param>
    /// <param name="list">The list.</param>
    /// <param name="channel">The channel.</param>
    /// <param name="at">The time of the send; null for now.</param>
    protected async Task<List<ContactId>> AudienceIdsAsync(TenantId tenant, ListId list, Channel channel, DateTimeOffset? at = null)
    {
        var ids = new List<ContactId>();
        await foreach (var member in Audiences.ResolveAudienceAsync(tenant, list, channel, at))
        {
            Assert.Equal(member.Contact.Id, member.Membership.ContactId);
            Assert.Equal(list, member.Membership.ListId);
            ids.Add(member.Contact.Id);
        }

        return ids;
    }

    /// <summary>Reads every list of a tenant, in creation order.</summary>
    /// <param name="tenant">The tenant.</param>
    protected async Task<List<ContactList>> AllListsAsync(TenantId tenant)
    {
        var all = new List<ContactList>();
        string? cursor = null;
        do
        {
            var page = await Lists.PageAsync(tenant, new PageRequest(100, cursor));
            all.AddRange(page.Items);
            cursor = page.NextCursor;
        }
        while (cursor is not null);
        return all;
    }

    /// <inheritdoc />
    public void Dispose()
    {
        Dispose(true);
        GC.SuppressFinalize(this);
    }

    /// <summary>Disposes the service providers.</summary>
    /// <param name="disposing">Whether called from <see cref="Dispose()"/>.</param>
    protected virtual void Dispose(bool disposing)
    {
        if (disposing)
        {
            foreach (var scope in _scopes)
            {
                scope.Dispose();
            }

            foreach (var provider in _providers)
            {
                provider.Dispose();
            }
        }
    }
}
