using System.Globalization;
using BenchmarkDotNet.Attributes;
using Microsoft.Extensions.DependencyInjection;

namespace Datum.Contacts.Benchmarks;

/// <summary>
/// <see cref="IContactService"/> over the in-memory store, with <see cref="ContactCount"/> contacts already in the
/// tenant. Each case runs in its own process with its own freshly seeded store.
/// </summary>
[MemoryDiagnoser]
public class InMemoryContactServiceBenchmarks
{
    private const int SampleSize = 1_024; // a power of two: the rotation below masks instead of dividing

    private static readonly TenantId Tenant = TenantId.Parse("bench-tenant");
    private static readonly Actor Actor = Actor.Admin("benchmark");
    private static readonly ContactPageRequest FirstPageByLastName = new(ContactSortField.LastName, SortDirection.Ascending, 50);

    private readonly ContactPatch[] _patches = [new() { FirstName = "Alexandra" }, new() { FirstName = "Alexandria" }];
    private ServiceProvider? _provider;
    private AsyncServiceScope _scope;
    private IContactService _contacts = null!;
    private ContactId[] _ids = [];
    private string[] _emails = [];
    private ContactDraft _newDraft = new();
    private ContactId _patched;
    private long _next;

    /// <summary>How many contacts the tenant holds before the measured calls.</summary>
    [Params(10_000, 100_000)]
    public int ContactCount { get; set; }

    /// <summary>
    /// Builds the provider, declares the drafts' two custom fields, creates <see cref="ContactCount"/> contacts
    /// through <see cref="IContactService.CreateAsync"/> and samples ids and emails to look up.
    /// </summary>
    [GlobalSetup]
    public async Task Setup()
    {
        var services = new ServiceCollection();
        services.AddContactManagement().UseInMemoryStore();
        _provider = services.BuildServiceProvider(new ServiceProviderOptions { ValidateOnBuild = true });
        _scope = _provider.CreateAsyncScope();
        _contacts = _scope.ServiceProvider.GetRequiredService<IContactService>();
        var customFields = _scope.ServiceProvider.GetRequiredService<ICustomFieldService>();
        foreach (var definition in ContactData.CustomFieldDefinitions)
        {
            await customFields.DefineAsync(Tenant, definition, Actor);
        }

        var f = ContactData.NewFaker();
        var created = new Contact[ContactCount];
        for (var i = 0; i < ContactCount; i++)
        {
            created[i] = await _contacts.CreateAsync(Tenant, ContactData.Draft(f, i), Actor);
        }

        var pick = new Random(ContactData.Seed);
        var sample = Enumerable.Range(0, SampleSize).Select(_ => created[pick.Next(created.Length)]).ToArray();
        _ids = [.. sample.Select(c => c.Id)];
        _emails = [.. sample.Select(c => c.Email!.Value)];
        _patched = created[created.Length / 2].Id;
        _newDraft = ContactData.Draft(f, -1);
    }

    /// <summary>Releases the scope and the provider (and with it the store).</summary>
    [GlobalCleanup]
    public async Task Cleanup()
    {
        await _scope.DisposeAsync();
        if (_provider is not null)
        {
            await _provider.DisposeAsync();
        }
    }

    /// <summary>Creates a full contact with a new email address each time (the tenant grows as it runs).</summary>
    [Benchmark]
    public Task<Contact> CreateAsync()
        => _contacts.CreateAsync(
            Tenant,
            _newDraft with { Email = string.Create(CultureInfo.InvariantCulture, $"new.contact.{++_next}@benchmark.example") },
            Actor);

    /// <summary>Gets a contact by id, rotating over 1,024 sampled ids.</summary>
    [Benchmark]
    public Task<Contact> GetAsync() => _contacts.GetAsync(Tenant, _ids[_next++ & (SampleSize - 1)]);

    /// <summary>Finds a contact by email address, rotating over 1,024 sampled addresses.</summary>
    [Benchmark]
    public Task<Contact?> FindByEmailAsync() => _contacts.FindByEmailAsync(Tenant, _emails[_next++ & (SampleSize - 1)]);

    /// <summary>Changes one field (the first name, alternating between two values so every call writes).</summary>
    [Benchmark]
    public Task<Contact> PatchAsync() => _contacts.PatchAsync(Tenant, _patched, _patches[_next++ & 1], expectedVersion: null, Actor);

    /// <summary>Reads the first page of 50 contacts sorted by last name.</summary>
    [Benchmark]
    public Task<Page<Contact>> PageFirst50ByLastNameAsync() => _contacts.PageAsync(Tenant, FirstPageByLastName);
}
