using Microsoft.Extensions.DependencyInjection;

namespace Datum.Contacts.Tests.DependencyInjection;

public sealed class ContactManagementOptionsValidatorTests
{
    private static readonly StoreRegistration InMemory = new("in-memory", typeof(FirstStore));
    private static readonly StoreRegistration Database = new("entity-framework-core", typeof(SecondStore));

    [Fact]
    public void Default_options_with_one_store_are_valid()
    {
        var validator = new ContactManagementOptionsValidator([InMemory]);

        var result = validator.Validate(null, new ContactManagementOptions());

        Assert.True(result.Succeeded);
        Assert.False(result.Failed);
    }

    [Fact]
    public void The_same_store_registered_twice_counts_as_one()
    {
        var validator = new ContactManagementOptionsValidator([InMemory, new StoreRegistration("in-memory", typeof(FirstStore))]);

        var result = validator.Validate(null, new ContactManagementOptions());

        Assert.True(result.Succeeded);
    }

    [Fact]
    public void Options_without_a_store_fail_and_say_what_to_call()
    {
        var validator = new ContactManagementOptionsValidator([]);

        var result = validator.Validate(null, new ContactManagementOptions());

        Assert.True(result.Failed);
        var failure = Assert.Single(result.Failures!);
        Assert.Contains("UseInMemoryStore()", failure, StringComparison.Ordinal);
    }

    [Fact]
    public void Options_with_two_stores_fail_and_name_both()
    {
        var validator = new ContactManagementOptionsValidator([InMemory, Database]);

        var result = validator.Validate(null, new ContactManagementOptions());

        Assert.True(result.Failed);
        var failure = Assert.Single(result.Failures!);
        Assert.Contains("2 stores", failure, StringComparison.Ordinal);
        Assert.Contains("in-memory", failure, StringComparison.Ordinal);
        Assert.Contains("entity-framework-core", failure, StringComparison.Ordinal);
        Assert.Contains("choose exactly one", failure, StringComparison.Ordinal);
    }

    [Fact]
    public void Every_out_of_range_option_is_reported_at_once()
    {
        var validator = new ContactManagementOptionsValidator([InMemory]);
        var options = new ContactManagementOptions
        {
            MaxNameLength = 0,
            MaxTagsPerContact = 10_001,
            MaxTagLength = -1,
            MaxSocialProfiles = 1_001,
            MaxSocialProfileLength = 4_001,
            MaxCustomFieldTextLength = 1_000_001,
            MaxCustomFieldsPerTenant = 0,
            MaxPageSize = 10_001,
            DefaultPageSize = 0,
            MaxContactsPerListCall = 0,
        };

        var result = validator.Validate(null, options);

        Assert.True(result.Failed);
        Assert.Equal(
            [
                "ContactManagementOptions.MaxNameLength is 0; it must be between 1 and 4000.",
                "ContactManagementOptions.MaxTagsPerContact is 10001; it must be between 1 and 10000.",
                "ContactManagementOptions.MaxTagLength is -1; it must be between 1 and 1000.",
                "ContactManagementOptions.MaxSocialProfiles is 1001; it must be between 1 and 1000.",
                "ContactManagementOptions.MaxSocialProfileLength is 4001; it must be between 1 and 4000.",
                "ContactManagementOptions.MaxCustomFieldTextLength is 1000001; it must be between 1 and 1000000.",
                "ContactManagementOptions.MaxCustomFieldsPerTenant is 0; it must be between 1 and 10000.",
                "ContactManagementOptions.MaxPageSize is 10001; it must be between 1 and 10000.",
                "ContactManagementOptions.DefaultPageSize is 0; it must be between 1 and 10001.",
                "ContactManagementOptions.MaxContactsPerListCall is 0; it must be between 1 and 100000.",
            ],
            result.Failures!);
    }

    [Fact]
    public void A_missing_store_and_a_bad_option_are_reported_together()
    {
        var validator = new ContactManagementOptionsValidator([]);

        var result = validator.Validate(null, new ContactManagementOptions { MaxNameLength = 0 });

        Assert.Equal(2, result.Failures!.Count());
        Assert.Contains(result.Failures!, f => f.Contains("UseInMemoryStore()", StringComparison.Ordinal));
        Assert.Contains(result.Failures!, f => f.Contains("MaxNameLength", StringComparison.Ordinal));
    }

    [Fact]
    public void A_default_page_size_above_the_maximum_page_size_fails()
    {
        var validator = new ContactManagementOptionsValidator([InMemory]);

        var result = validator.Validate(null, new ContactManagementOptions { MaxPageSize = 100, DefaultPageSize = 101 });

        var failure = Assert.Single(result.Failures!);
        Assert.Equal("ContactManagementOptions.DefaultPageSize is 101; it must be between 1 and 100.", failure);
    }

    [Fact]
    public void Options_at_their_upper_limits_are_valid()
    {
        var validator = new ContactManagementOptionsValidator([InMemory]);
        var options = new ContactManagementOptions
        {
            MaxNameLength = 4_000,
            MaxTagsPerContact = 10_000,
            MaxTagLength = 1_000,
            MaxSocialProfiles = 1_000,
            MaxSocialProfileLength = 4_000,
            MaxCustomFieldTextLength = 1_000_000,
            MaxCustomFieldsPerTenant = 10_000,
            MaxPageSize = 10_000,
            DefaultPageSize = 10_000,
        };

        var result = validator.Validate(null, options);

        Assert.True(result.Succeeded, result.FailureMessage);
    }

    private sealed class FirstStore;

    private sealed class SecondStore;
}
