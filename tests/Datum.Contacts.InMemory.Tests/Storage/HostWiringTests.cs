using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;
using Xunit;

namespace Datum.Contacts.InMemory.Tests;

// How a host wires the library: these need a real store package, so they live with the in-memory adapter.
public sealed class HostWiringTests
{
    [Fact]
    public void Without_a_store_start_up_validation_fails_saying_what_to_call()
    {
        var services = new ServiceCollection();
        services.AddContactManagement();
        using var provider = services.BuildServiceProvider();

        var error = Assert.Throws<OptionsValidationException>(() => provider.GetRequiredService<IStartupValidator>().Validate());

        Assert.Contains("UseInMemoryStore()", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Without_a_store_resolving_a_service_fails_saying_what_to_call()
    {
        var services = new ServiceCollection();
        services.AddContactManagement();
        using var provider = services.BuildServiceProvider();
        using var scope = provider.CreateScope();

        var error = Assert.ThrowsAny<Exception>(() => scope.ServiceProvider.GetRequiredService<IContactService>());

        Assert.Contains("UseInMemoryStore()", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Invalid_options_fail_at_start_up_listing_every_problem()
    {
        var services = new ServiceCollection();
        services.AddContactManagement(o =>
        {
            o.MaxPageSize = 0;
            o.MaxNameLength = -1;
        }).UseInMemoryStore();
        using var provider = services.BuildServiceProvider();

        var error = Assert.Throws<OptionsValidationException>(() => provider.GetRequiredService<IStartupValidator>().Validate());

        Assert.Contains(error.Failures, f => f.Contains("MaxPageSize", StringComparison.Ordinal));
        Assert.Contains(error.Failures, f => f.Contains("MaxNameLength", StringComparison.Ordinal));
    }

    [Fact]
    public void Adding_twice_and_choosing_the_store_twice_is_harmless()
    {
        var services = new ServiceCollection();
        services.AddContactManagement().UseInMemoryStore();
        services.AddContactManagement().UseInMemoryStore();
        using var provider = services.BuildServiceProvider(new ServiceProviderOptions { ValidateOnBuild = true, ValidateScopes = true });

        provider.GetRequiredService<IStartupValidator>().Validate();
        using var scope = provider.CreateScope();

        Assert.Single(services, d => d.ServiceType == typeof(IContactService));
        Assert.NotNull(scope.ServiceProvider.GetRequiredService<IContactService>());
        Assert.Same(
            scope.ServiceProvider.GetRequiredService<IContactManagementStore>(),
            provider.CreateScope().ServiceProvider.GetRequiredService<IContactManagementStore>());
    }

    [Fact]
    public async Task Data_written_in_one_scope_is_read_in_another()
    {
        var services = new ServiceCollection();
        services.AddContactManagement().UseInMemoryStore();
        await using var provider = services.BuildServiceProvider(new ServiceProviderOptions { ValidateOnBuild = true, ValidateScopes = true });
        var tenant = TenantId.Parse("acme");

        Contact created;
        await using (var scope = provider.CreateAsyncScope())
        {
            created = await scope.ServiceProvider.GetRequiredService<IContactService>().CreateAsync(tenant, new ContactDraft { Email = "ada@example.com" }, Actor.Admin("u1"));
        }

        await using (var scope = provider.CreateAsyncScope())
        {
            var read = await scope.ServiceProvider.GetRequiredService<IContactService>().GetAsync(tenant, created.Id);
            Assert.Equal("ada@example.com", read.Email!.Value);
        }
    }
}
