namespace Datum.Contacts.Tests.Contacts;

/// <summary>Contact types and channels share the slug rules.</summary>
public sealed class SlugTests
{
    [Theory]
    [InlineData("client", "client")]
    [InlineData("Client", "client")]
    [InlineData("  VENDOR ", "vendor")]
    [InlineData("key-account_2", "key-account_2")]
    [InlineData("x", "x")]
    public void Parsing_a_contact_type_lower_cases_and_trims_it(string text, string expected)
    {
        var type = ContactType.Parse(text);

        Assert.Equal(expected, type.Value);
        Assert.Equal(expected, type.ToString());
    }

    [Fact]
    public void A_type_that_only_lower_cases_to_ascii_is_rejected()
    {
        // U+212A KELVIN SIGN lower-cases to 'k'; the slug rule is about what was given, not what it folds to.
        Assert.False(ContactType.TryParse("\u212Aey-account", out _, out var error));
        Assert.Equal("must start with a letter a-z", error);
    }

    [Fact]
    public void Contact_types_compare_case_insensitively_through_parsing()
    {
        Assert.Equal(ContactType.Client, ContactType.Parse("CLIENT"));
        Assert.Equal(ContactType.Prospect, ContactType.Parse("Prospect"));
        Assert.Equal(ContactType.Vendor, ContactType.Parse("vendor"));
        Assert.NotEqual(ContactType.Client, ContactType.Vendor);
    }

    [Fact]
    public void Channels_compare_case_insensitively_through_parsing()
    {
        Assert.Equal(Channel.Email, Channel.Parse("EMAIL"));
        Assert.Equal(Channel.Sms, Channel.Parse(" Sms "));
        Assert.Equal(Channel.Social, Channel.Parse("social"));
        Assert.Equal("push", Channel.Parse("Push").Value);
    }

    [Theory]
    [InlineData(null, "is required")]
    [InlineData("", "is required")]
    [InlineData("   ", "is required")]
    [InlineData("1st", "must start with a letter a-z")]
    [InlineData("-client", "must start with a letter a-z")]
    [InlineData("_client", "must start with a letter a-z")]
    [InlineData("key account", "may contain only letters a-z, digits, '-' and '_'")]
    [InlineData("key.account", "may contain only letters a-z, digits, '-' and '_'")]
    [InlineData("clé", "may contain only letters a-z, digits, '-' and '_'")]
    [InlineData("éclair", "must start with a letter a-z")]
    [InlineData("client\0", "may contain only letters a-z, digits, '-' and '_'")]
    public void Parsing_a_malformed_slug_fails_with_a_reason(string? text, string reason)
    {
        var typeParsed = ContactType.TryParse(text, out _, out var typeError);
        var channelParsed = Channel.TryParse(text, out _, out var channelError);

        Assert.False(typeParsed);
        Assert.False(channelParsed);
        Assert.Equal(reason, typeError);
        Assert.Equal(reason, channelError);
    }

    [Fact]
    public void A_slug_of_64_characters_is_accepted_and_65_is_not()
    {
        Assert.True(ContactType.TryParse(new string('a', 64), out _, out _));
        Assert.False(ContactType.TryParse(new string('a', 65), out _, out var error));
        Assert.Equal("must be at most 64 characters long", error);
    }

    [Fact]
    public void A_huge_slug_is_rejected_on_length()
    {
        Assert.False(Channel.TryParse(new string('a', 1_000_000), out _, out var error));
        Assert.Equal("must be at most 64 characters long", error);
    }

    [Fact]
    public void Parsing_a_malformed_type_throws_a_validation_error_on_the_type_field()
    {
        var errors = TestData.ErrorsOf(() => ContactType.Parse("key account"));

        Assert.Equal("type", errors[0].Field);
        Assert.Equal("invalid_type", errors[0].Code);
    }

    [Fact]
    public void Parsing_a_malformed_channel_throws_a_validation_error_on_the_channel_field()
    {
        var errors = TestData.ErrorsOf(() => Channel.Parse("e-mail!"));

        Assert.Equal("channel", errors[0].Field);
        Assert.Equal("invalid_channel", errors[0].Code);
    }

    [Fact]
    public void A_default_slug_prints_as_empty_text()
    {
        Assert.Equal(string.Empty, default(ContactType).ToString());
        Assert.Equal(string.Empty, default(Channel).ToString());
    }
}
