using Microsoft.Extensions.DependencyInjection;
using static Datum.Contacts.Tests.ConsentManagement.ConsentTestData;

namespace Datum.Contacts.Tests.ConsentManagement;

public sealed class ContactTokenOptionsTests
{
    private static readonly ContactManagementOptionsValidator Validator = new([new StoreRegistration("in-memory", typeof(ContactTokenOptionsTests))]);

    private static IReadOnlyList<string> FailuresOf(ContactTokenOptions tokens, Action<ContactManagementOptions>? configure = null)
    {
        var options = new ContactManagementOptions { Tokens = tokens };
        configure?.Invoke(options);
        var result = Validator.Validate(null, options);
        return result.Succeeded ? [] : [.. result.Failures!];
    }

    [Fact]
    public void The_default_options_without_any_key_are_valid()
    {
        Assert.Empty(FailuresOf(new ContactTokenOptions()));
    }

    [Fact]
    public void Two_good_keys_with_one_active_are_valid()
    {
        Assert.Empty(FailuresOf(TokenOptions("k-2", Key("k_1", 1), Key("k-2", 2))));
    }

    [Fact]
    public void A_secret_shorter_than_32_bytes_is_reported_with_its_option_name()
    {
        var shortKey = new TokenSigningKey { Id = "k1", Secret = Convert.ToBase64String(new byte[31]) };

        var failure = Assert.Single(FailuresOf(TokenOptions("k1", shortKey)));

        Assert.StartsWith("ContactManagementOptions.Tokens.SigningKeys[0].Secret must be base64 of at least 32 random bytes", failure, StringComparison.Ordinal);
        Assert.Contains("RandomNumberGenerator.GetBytes(32)", failure, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("")]
    [InlineData("   ")]
    [InlineData("not base64 at all, but long enough to hold thirty-two bytes!!")]
    [InlineData("AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA")]
    public void A_secret_that_is_not_base64_is_reported(string secret)
    {
        var failure = Assert.Single(FailuresOf(TokenOptions("k1", new TokenSigningKey { Id = "k1", Secret = secret })));

        Assert.StartsWith("ContactManagementOptions.Tokens.SigningKeys[0].Secret", failure, StringComparison.Ordinal);
    }

    [Fact]
    public void A_base64_secret_with_surrounding_white_space_is_accepted()
    {
        var key = Key("k1");
        key.Secret = $"  {key.Secret}\n";

        Assert.Empty(FailuresOf(TokenOptions("k1", key)));
    }

    [Fact]
    public void A_key_id_used_twice_is_reported_on_the_second_key()
    {
        var failure = Assert.Single(FailuresOf(TokenOptions("k1", Key("k1", 1), Key("k1", 2))));

        Assert.Equal("ContactManagementOptions.Tokens.SigningKeys[1].Id 'k1' is used twice.", failure);
    }

    [Theory]
    [InlineData("")]
    [InlineData(" ")]
    [InlineData("k.1")]
    [InlineData("k 1")]
    [InlineData("clé")]
    [InlineData("k/1")]
    public void A_key_id_with_characters_outside_letters_digits_dash_and_underscore_is_reported(string id)
    {
        var failures = FailuresOf(TokenOptions("k1", Key("k1"), Key(id, 2)));

        Assert.Equal(["ContactManagementOptions.Tokens.SigningKeys[1].Id must be 1 to 64 ASCII letters, digits, '-' or '_'."], failures);
    }

    [Fact]
    public void A_key_id_longer_than_64_characters_is_reported_and_64_is_accepted()
    {
        var longest = new string('k', 64);

        Assert.Empty(FailuresOf(TokenOptions(longest, Key(longest))));
        Assert.Single(FailuresOf(TokenOptions("k1", Key("k1"), Key(longest + "k"))), f => f.Contains("SigningKeys[1].Id", StringComparison.Ordinal));
    }

    [Fact]
    public void A_missing_key_is_reported_with_its_index()
    {
        var failures = FailuresOf(new ContactTokenOptions { SigningKeys = [Key("k1"), null!], ActiveKeyId = "k1" });

        Assert.Equal(["ContactManagementOptions.Tokens.SigningKeys[1].Id must be 1 to 64 ASCII letters, digits, '-' or '_'."], failures);
    }

    [Theory]
    [InlineData(null)]
    [InlineData("k3")]
    [InlineData("K1")]
    public void An_active_key_id_that_names_none_of_the_keys_is_reported(string? active)
    {
        var failure = Assert.Single(FailuresOf(new ContactTokenOptions { SigningKeys = [Key("k1"), Key("k2", 2)], ActiveKeyId = active }));

        Assert.Equal("ContactManagementOptions.Tokens.ActiveKeyId must name one of the SigningKeys.", failure);
    }

    [Fact]
    public void Null_signing_keys_are_reported()
    {
        var failure = Assert.Single(FailuresOf(new ContactTokenOptions { SigningKeys = null! }));

        Assert.Equal("ContactManagementOptions.Tokens.SigningKeys must not be null.", failure);
    }

    [Fact]
    public void Null_token_options_are_reported()
    {
        var failure = Assert.Single(FailuresOf(new ContactTokenOptions(), o => o.Tokens = null!));

        Assert.Equal("ContactManagementOptions.Tokens must not be null.", failure);
    }

    public static TheoryData<string, TimeSpan> LifetimesOutOfRange() => new()
    {
        { nameof(ContactTokenOptions.OptInTokenLifetime), TimeSpan.FromSeconds(59) },
        { nameof(ContactTokenOptions.OptInTokenLifetime), TimeSpan.FromDays(90).Add(TimeSpan.FromTicks(1)) },
        { nameof(ContactTokenOptions.OptInTokenLifetime), TimeSpan.Zero },
        { nameof(ContactTokenOptions.OptInTokenLifetime), TimeSpan.FromDays(-1) },
        { nameof(ContactTokenOptions.SelfServiceTokenLifetime), TimeSpan.FromSeconds(59) },
        { nameof(ContactTokenOptions.SelfServiceTokenLifetime), TimeSpan.FromDays(367) },
        { nameof(ContactTokenOptions.SelfServiceTokenLifetime), TimeSpan.MinValue },
    };

    [Theory]
    [MemberData(nameof(LifetimesOutOfRange))]
    public void A_lifetime_out_of_range_is_reported_with_its_name_and_value(string option, TimeSpan lifetime)
    {
        var tokens = new ContactTokenOptions();
        if (option == nameof(ContactTokenOptions.OptInTokenLifetime))
        {
            tokens.OptInTokenLifetime = lifetime;
        }
        else
        {
            tokens.SelfServiceTokenLifetime = lifetime;
        }

        var failure = Assert.Single(FailuresOf(tokens));

        Assert.StartsWith($"ContactManagementOptions.Tokens.{option} is {lifetime}; it must be between 1 minute and ", failure, StringComparison.Ordinal);
    }

    [Fact]
    public void Lifetimes_at_their_limits_are_valid()
    {
        Assert.Empty(FailuresOf(new ContactTokenOptions { OptInTokenLifetime = TimeSpan.FromMinutes(1), SelfServiceTokenLifetime = TimeSpan.FromMinutes(1) }));
        Assert.Empty(FailuresOf(new ContactTokenOptions { OptInTokenLifetime = TimeSpan.FromDays(90), SelfServiceTokenLifetime = TimeSpan.FromDays(366) }));
    }

    [Theory]
    [InlineData(9)]
    [InlineData(0)]
    [InlineData(-5)]
    [InlineData(10_001)]
    public void An_audience_batch_size_out_of_range_is_reported_with_its_name(int size)
    {
        var failure = Assert.Single(FailuresOf(new ContactTokenOptions(), o => o.AudienceBatchSize = size));

        Assert.Equal($"ContactManagementOptions.AudienceBatchSize is {size}; it must be between 10 and 10000.", failure);
    }

    [Theory]
    [InlineData(10)]
    [InlineData(10_000)]
    public void An_audience_batch_size_at_its_limits_is_valid(int size)
    {
        Assert.Empty(FailuresOf(new ContactTokenOptions(), o => o.AudienceBatchSize = size));
    }

    [Fact]
    public void Every_token_problem_is_reported_at_once()
    {
        var tokens = new ContactTokenOptions
        {
            SigningKeys = [new TokenSigningKey { Id = "k1", Secret = "c2hvcnQ=" }, Key("k1", 2), Key("bad id", 3)],
            ActiveKeyId = "k9",
            OptInTokenLifetime = TimeSpan.Zero,
            SelfServiceTokenLifetime = TimeSpan.FromDays(400),
        };

        var failures = FailuresOf(tokens, o => o.AudienceBatchSize = 1);

        Assert.Collection(
            failures,
            f => Assert.Equal("ContactManagementOptions.AudienceBatchSize is 1; it must be between 10 and 10000.", f),
            f => Assert.StartsWith("ContactManagementOptions.Tokens.SigningKeys[0].Secret", f, StringComparison.Ordinal),
            f => Assert.Equal("ContactManagementOptions.Tokens.SigningKeys[1].Id 'k1' is used twice.", f),
            f => Assert.StartsWith("ContactManagementOptions.Tokens.SigningKeys[2].Id", f, StringComparison.Ordinal),
            f => Assert.Equal("ContactManagementOptions.Tokens.ActiveKeyId must name one of the SigningKeys.", f),
            f => Assert.StartsWith("ContactManagementOptions.Tokens.OptInTokenLifetime", f, StringComparison.Ordinal),
            f => Assert.StartsWith("ContactManagementOptions.Tokens.SelfServiceTokenLifetime", f, StringComparison.Ordinal));
    }
}
