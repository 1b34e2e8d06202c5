using Datum.Contacts.Specification.Tests;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Xunit;

namespace Datum.Contacts.EntityFrameworkCore.Tests;

/// <summary>
/// How a host wires the EF Core store: a context without the contact model is a clear error on first use; a plain
/// <c>AddDbContext</c> works as well as a factory; and every unit of work has a context of its own, never shared
/// with another unit of work or with the host's own scoped context.
/// </summary>
public abstract class HostWiringTests : IDisposable
{
    private static readonly Actor Admin = Actor.Admin("wiring");
    private readonly List<ServiceProvider> _providers = [];

    protected abstract TestDatabase Database { get; }

    /// <summary>A context whose model lacks the contact tables fails on first use, naming what to call.</summary>
    [Fact]
    public async Task A_context_without_the_contact_model_fails_on_first_use_naming_ApplyContactManagementModel()
    {
        // Arrange
        var services = Build(s =>
        {
            s.Services.AddDbContextFactory<BareContext>(Database.Configure);
            s.UseEntityFrameworkCore<BareContext>();
        });
        using var scope = services.CreateScope();
        var contacts = scope.ServiceProvider.GetRequiredService<IContactService>();
        var tenant = NewTenant();

        // Act
        var onCreate = await Assert.ThrowsAsync<InvalidOperationException>(() => contacts.CreateAsync(tenant, Draft(0), Admin));
        var onCount = await Assert.ThrowsAsync<InvalidOperationException>(() => contacts.CountAsync(tenant, null));

        // Assert
        Assert.Contains("ApplyContactManagementModel", onCreate.Message, StringComparison.Ordinal);
        Assert.Contains(nameof(BareContext), onCreate.Message, StringComparison.Ordinal);
        Assert.Contains("ApplyContactManagementModel", onCount.Message, StringComparison.Ordinal);
    }

    /// <summary>With <c>AddDbContext</c> (no factory) the store creates, finds, searches, counts and updates contacts.</summary>
    [Fact]
    public async Task AddDbContext_without_a_factory_works()
    {
        // Arrange
        var services = Build(s =>
        {
            s.Services.AddDbContext<ContactsDbContext>(Database.Configure);
            s.UseEntityFrameworkCore<ContactsDbContext>();
        });
        using var scope = services.CreateScope();
        var contacts = scope.ServiceProvider.GetRequiredService<IContactService>();
        var tenant = NewTenant();

        // Act
        var first = await contacts.CreateAsync(tenant, Draft(1) with { Tags = ["wired"] }, Admin);
        var second = await contacts.CreateAsync(tenant, Draft(2), Admin);
        var updated = await contacts.PatchAsync(tenant, second.Id, new ContactPatch { Tags = new[] { "wired", "twice" } }, second.Version, Admin);
        var found = await contacts.SearchAsync(tenant, Criteria.Parse("tags has \"wired\""), new ContactPageRequest());

        // Assert
        Assert.Equal(first.Id, (await contacts.GetAsync(tenant, first.Id)).Id);
        Assert.Equal(second.Id, (await contacts.FindByEmailAsync(tenant, "wired2@example.com"))?.Id);
        Assert.Equal(2, updated.Version);
        Assert.Equal(new[] { first.Id, second.Id }.Order(), found.Items.Select(c => c.Id).Order());
        Assert.Equal(1, await contacts.CountAsync(tenant, Criteria.Parse("tags has \"twice\"")));
        Assert.Equal(2, await contacts.CountAsync(tenant, null));
    }

    /// <summary>Which registration a units-of-work test uses.</summary>
    public static TheoryData<bool> Registrations => [true, false];

    /// <summary>
    /// Two units of work begun in the same scope run on two contexts (and not on the host's scoped one): they can
    /// query at the same time, and disposing one leaves the other able to read and commit.
    /// </summary>
    /// <param name="factory">Whether the host registered a context factory (else AddDbContext).</param>
    [Theory]
    [MemberData(nameof(Registrations))]
    public async Task Two_units_of_work_never_share_a_context(bool factory)
    {
        // Arrange
        var recorder = new SqlRecorder();
        var services = Build(s =>
        {
            void Options(DbContextOptionsBuilder o)
            {
                Database.Configure(o);
                o.AddInterceptors(recorder);
            }

            if (factory)
            {
                s.Services.AddDbContextFactory<ContactsDbContext>(Options);
            }
            else
            {
                s.Services.AddDbContext<ContactsDbContext>(Options);
            }

            s.UseEntityFrameworkCore<ContactsDbContext>();
        });
        var tenant = NewTenant();
        ContactId id;
        using (var seed = services.CreateScope())
        {
            id = (await seed.ServiceProvider.GetRequiredService<IContactService>().CreateAsync(tenant, Draft(3), Admin)).Id;
        }

        using var scope = services.CreateScope();
        var store = scope.ServiceProvider.GetRequiredService<IContactManagementStore>();
        var hostContext = factory ? null : scope.ServiceProvider.GetRequiredService<ContactsDbContext>();

        // Act
        var first = await store.BeginAsync(tenant, default);
        var second = await store.BeginAsync(tenant, default);
        await using var keepSecond = second;
        DbContext? firstContext;
        DbContext? secondContext;
        await using (first)
        {
            firstContext = (await recorder.CaptureAsync(async () => await first.Contacts.FindAsync(id, default))).Commands.Single().Context;
            secondContext = (await recorder.CaptureAsync(async () => await second.Contacts.FindAsync(id, default))).Commands.Single().Context;

            // One query on each at the same time would fail on a shared context ("a second operation was started on this context").
            for (var i = 0; i < 5; i++)
            {
                var reads = await Task.WhenAll(first.Contacts.CountAsync(null, default).AsTask(), second.Contacts.CountAsync(null, default).AsTask());
                Assert.All(reads, r => Assert.Equal(1, r));
            }
        }

        var contact = (await second.Contacts.FindAsync(id, default))!;
        contact.Update(ContactDetails.Validate(Draft(3) with { Title = "after the first was disposed" }, CustomFieldSchema.Empty, new ContactManagementOptions()), DateTimeOffset.UtcNow);
        second.Contacts.Update(contact);
        await second.CommitAsync(default);

        // Assert
        Assert.NotNull(firstContext);
        Assert.NotNull(secondContext);
        Assert.NotSame(firstContext, secondContext);
        if (hostContext is not null)
        {
            Assert.NotSame(hostContext, firstContext);
            Assert.NotSame(hostContext, secondContext);
        }

        using var check = services.CreateScope();
        Assert.Equal("after the first was disposed", (await check.ServiceProvider.GetRequiredService<IContactService>().GetAsync(tenant, id)).Title);
    }

    public void Dispose()
    {
        foreach (var provider in _providers)
        {
            provider.Dispose();
        }

        GC.SuppressFinalize(this);
    }

    private ServiceProvider Build(Action<ContactManagementBuilder> store)
    {
        var services = new ServiceCollection();
        store(services.AddContactManagement(_ => { }));
        var provider = services.BuildServiceProvider(new ServiceProviderOptions { ValidateOnBuild = true, ValidateScopes = true });
        _providers.Add(provider);
        return provider;
    }

    private static TenantId NewTenant() => TenantId.Parse("wiring-" + Guid.NewGuid().ToString("N")[..16]);

    private static ContactDraft Draft(int i) => new() { FirstName = $"Wired {i}", Email = $"wired{i}@example.com" };

    /// <summary>A host's context that forgot <c>ApplyContactManagementModel</c>.</summary>
    public sealed class BareContext(DbContextOptions<BareContext> options) : DbContext(options);
}

public sealed class SqliteHostWiringTests : HostWiringTests
{
    protected override TestDatabase Database => SqliteTestDatabase.Instance;
}

public sealed class PostgresHostWiringTests : HostWiringTests
{
    protected override TestDatabase Database => PostgresTestDatabase.Instance;
}
