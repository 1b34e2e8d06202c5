using System.Collections;
using System.Diagnostics;
using System.Globalization;
using System.Reflection;
using Microsoft.Extensions.DependencyInjection;
using ParsedCriteria = Datum.Contacts.Criteria;

namespace Datum.Contacts.Benchmarks;

/// <summary>
/// Shared setup of the list benchmarks: an in-memory store built through dependency injection, loaded with the
/// <see cref="CriteriaData"/> contacts through the store's unit of work (no service call per contact), and the
/// committed contacts array the store scans.
/// </summary>
internal sealed class ListBenchmarkHost : IAsyncDisposable
{
    /// <summary>Who makes the benchmarks' changes.</summary>
    public static readonly Actor Actor = Actor.Admin("benchmark");

    private const int LoadBatch = 50_000;

    private readonly ServiceProvider _provider;
    private readonly AsyncServiceScope _scope;

    private ListBenchmarkHost()
    {
        var services = new ServiceCollection();
        services.AddContactManagement().UseInMemoryStore();
        _provider = services.BuildServiceProvider(new ServiceProviderOptions { ValidateOnBuild = true });
        _scope = _provider.CreateAsyncScope();
        var sp = _scope.ServiceProvider;
        Store = sp.GetRequiredService<IContactManagementStore>();
        Contacts = sp.GetRequiredService<IContactService>();
        Lists = sp.GetRequiredService<IListService>();
        CustomFields = sp.GetRequiredService<ICustomFieldService>();
        Compiler = sp.GetRequiredService<ICriteriaCompiler>();
        Maintenance = sp.GetRequiredService<ListMaintenance>();
    }

    /// <summary>The in-memory store (a singleton).</summary>
    public IContactManagementStore Store { get; }

    /// <summary>The contact service.</summary>
    public IContactService Contacts { get; }

    /// <summary>The list service.</summary>
    public IListService Lists { get; }

    /// <summary>The custom field service.</summary>
    public ICustomFieldService CustomFields { get; }

    /// <summary>The criteria compiler the services use.</summary>
    public ICriteriaCompiler Compiler { get; }

    /// <summary>What the contact service uses to keep dynamic lists current.</summary>
    public ListMaintenance Maintenance { get; }

    /// <summary>Resolves another service from the host's scope.</summary>
    /// <typeparam name="T">The service.</typeparam>
    public T Resolve<T>()
        where T : notnull => _scope.ServiceProvider.GetRequiredService<T>();

    /// <summary>A provider with the in-memory store; one scope, in which every service is resolved once.</summary>
    public static ListBenchmarkHost Create() => new();

    /// <summary>
    /// Declares <see cref="CriteriaData.Schema"/>'s field in the tenant and adds the first <paramref name="count"/>
    /// <see cref="CriteriaData.Stream"/> contacts, <see cref="LoadBatch"/> per unit of work. Prints how long it took.
    /// </summary>
    /// <param name="tenant">The tenant.</param>
    /// <param name="count">How many contacts.</param>
    public async Task LoadContactsAsync(TenantId tenant, int count)
    {
        var watch = Stopwatch.StartNew();
        foreach (var definition in CriteriaData.Schema.Definitions)
        {
            await CustomFields.DefineAsync(tenant, definition, Actor).ConfigureAwait(false);
        }

        foreach (var batch in CriteriaData.Stream(tenant, count).Chunk(LoadBatch))
        {
            var uow = await Store.BeginAsync(tenant, default).ConfigureAwait(false);
            await using (uow.ConfigureAwait(false))
            {
                foreach (var contact in batch)
                {
                    uow.Contacts.Add(contact);
                }

                await uow.CommitAsync(default).ConfigureAwait(false);
            }
        }

        GC.Collect();
        Console.WriteLine(string.Create(
            CultureInfo.InvariantCulture,
            $"// Loaded {count:N0} contacts into tenant '{tenant}' in {watch.Elapsed.TotalSeconds:F1} s; managed heap {GC.GetTotalMemory(forceFullCollection: true) / (1024.0 * 1024.0):F0} MB."));
    }

    /// <summary>Creates a dynamic list through <see cref="IListService.CreateAsync"/> (which fills it); prints how long it took.</summary>
    /// <param name="tenant">The tenant.</param>
    /// <param name="name">The list name.</param>
    /// <param name="criteria">The criteria text.</param>
    public async Task<ContactList> CreateDynamicListAsync(TenantId tenant, string name, string criteria)
    {
        var watch = Stopwatch.StartNew();
        var list = await Lists.CreateAsync(tenant, new ListDraft { Name = name, Kind = ListKind.Dynamic, Criteria = ParsedCriteria.Parse(criteria) }, Actor).ConfigureAwait(false);
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"// Created dynamic list '{name}' ({list.MemberCount:N0} members) in {watch.Elapsed.TotalSeconds:F1} s."));
        return list;
    }

    /// <summary>A criteria compiled the way the list service compiles it: this compiler, the tenant's schema from <see cref="ICustomFieldService"/>.</summary>
    /// <param name="tenant">The tenant.</param>
    /// <param name="criteria">The criteria.</param>
    public async Task<CompiledCriteria> CompileAsync(TenantId tenant, ParsedCriteria criteria)
        => Compiler.Compile(criteria, await CustomFields.GetSchemaAsync(tenant).ConfigureAwait(false));

    /// <summary>
    /// The array of committed contacts the in-memory store scans (its tenant partition's <c>ScanArray</c>), the very
    /// same instances; read by reflection, since the store is internal to its assembly. Builds it if a commit dropped it.
    /// </summary>
    /// <param name="tenant">The tenant.</param>
    /// <exception cref="InvalidOperationException">The store no longer has the members this reads.</exception>
    public Contact[] ScanArray(TenantId tenant)
    {
        const BindingFlags Flags = BindingFlags.Instance | BindingFlags.NonPublic | BindingFlags.Public;
        var tenants = Store.GetType().GetField("_tenants", Flags)?.GetValue(Store) as IDictionary
            ?? throw new InvalidOperationException($"{Store.GetType().Name} has no '_tenants' dictionary any more: update {nameof(ListBenchmarkHost)}.{nameof(ScanArray)}.");
        var partition = tenants[tenant] ?? throw new InvalidOperationException($"The store has no partition for tenant '{tenant}'.");
        return partition.GetType().GetProperty("ScanArray", Flags)?.GetValue(partition) as Contact[]
            ?? throw new InvalidOperationException($"{partition.GetType().Name} has no 'ScanArray' any more: update {nameof(ListBenchmarkHost)}.{nameof(ScanArray)}.");
    }

    /// <inheritdoc />
    public async ValueTask DisposeAsync()
    {
        await _scope.DisposeAsync().ConfigureAwait(false);
        await _provider.DisposeAsync().ConfigureAwait(false);
    }
}
