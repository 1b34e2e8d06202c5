namespace Datum.Contacts.Tests.ConsentManagement;

public sealed class SuppressionEntryTests
{
    [Theory]
    [InlineData("ada@example.com", "ada@example.com")]
    [InlineData("  Ada.Lovelace@EXAMPLE.com ", "ada.lovelace@example.com")]
    [InlineData("ADA@Example.COM", "ada@example.com")]
    public void An_email_is_kept_in_its_normalized_form(string value, string expected)
    {
        Assert.Equal(expected, SuppressionEntry.Normalize(SuppressionKind.Email, value));
    }

    [Fact]
    public void An_email_with_an_international_domain_is_kept_with_its_ascii_domain()
    {
        var normalized = SuppressionEntry.Normalize(SuppressionKind.Email, "Ada@Bücher.example");

        Assert.Equal(EmailAddress.Parse("ada@bücher.example").Normalized, normalized);
        Assert.EndsWith("@xn--bcher-kva.example", normalized, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("+1 (415) 555-0123", "+14155550123")]
    [InlineData("0044 20 7946 0958", "+442079460958")]
    public void A_phone_is_kept_in_e164(string value, string expected)
    {
        Assert.Equal(expected, SuppressionEntry.Normalize(SuppressionKind.Phone, value));
    }

    [Theory]
    [InlineData("example.com", "example.com")]
    [InlineData("EXAMPLE.Com", "example.com")]
    [InlineData("@example.com", "example.com")]
    [InlineData("  @Competitor.Example  ", "competitor.example")]
    [InlineData("bücher.example", "xn--bcher-kva.example")]
    public void An_email_domain_is_kept_lower_case_without_its_at_sign(string value, string expected)
    {
        Assert.Equal(expected, SuppressionEntry.Normalize(SuppressionKind.EmailDomain, value));
    }

    [Theory]
    [InlineData(SuppressionKind.Email, null, "invalid_email")]
    [InlineData(SuppressionKind.Email, "", "invalid_email")]
    [InlineData(SuppressionKind.Email, "not an email", "invalid_email")]
    [InlineData(SuppressionKind.Email, "example.com", "invalid_email")]
    [InlineData(SuppressionKind.Phone, null, "invalid_phone")]
    [InlineData(SuppressionKind.Phone, "415 555 0123", "invalid_phone")]
    [InlineData(SuppressionKind.Phone, "+1 415 CALL NOW", "invalid_phone")]
    [InlineData(SuppressionKind.EmailDomain, null, "invalid_domain")]
    [InlineData(SuppressionKind.EmailDomain, "", "invalid_domain")]
    [InlineData(SuppressionKind.EmailDomain, "@", "invalid_domain")]
    [InlineData(SuppressionKind.EmailDomain, "   ", "invalid_domain")]
    [InlineData(SuppressionKind.EmailDomain, "ada@example.com", "invalid_domain")]
    [InlineData(SuppressionKind.EmailDomain, "exa mple.com", "invalid_domain")]
    [InlineData(SuppressionKind.EmailDomain, "-example.com", "invalid_domain")]
    public void A_value_that_is_not_of_its_kind_is_refused_on_the_value_field(SuppressionKind kind, string? value, string code)
    {
        var error = Assert.Single(TestData.ErrorsOf(() => SuppressionEntry.Normalize(kind, value)));

        Assert.Equal(("value", code), (error.Field, error.Code));
        Assert.StartsWith("value ", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void An_undefined_kind_is_refused_on_the_kind_field()
    {
        var error = Assert.Single(TestData.ErrorsOf(() => SuppressionEntry.Normalize((SuppressionKind)9, "ada@example.com")));

        Assert.Equal(("kind", "invalid_kind"), (error.Field, error.Code));
    }

    [Fact]
    public void The_keys_of_a_contact_are_its_email_its_email_domain_and_its_phone()
    {
        var contact = TestData.NewContact(TestData.Draft() with { Email = "Ada@Example.COM", Phone = "+1 415 555 0123" });

        var keys = SuppressionEntry.KeysOf(contact).ToList();

        Assert.Equal(
            [
                (SuppressionKind.Email, "ada@example.com"),
                (SuppressionKind.EmailDomain, "example.com"),
                (SuppressionKind.Phone, "+14155550123"),
            ],
            keys);
    }

    [Fact]
    public void The_keys_of_a_contact_without_an_email_are_its_phone_only_and_without_a_phone_its_email_and_domain()
    {
        var phoneOnly = TestData.NewContact(TestData.Draft() with { Email = null, Phone = "+33 6 12 34 56 78" });
        var emailOnly = TestData.NewContact();

        Assert.Equal([(SuppressionKind.Phone, "+33612345678")], SuppressionEntry.KeysOf(phoneOnly));
        Assert.Equal([(SuppressionKind.Email, "ada@example.com"), (SuppressionKind.EmailDomain, "example.com")], SuppressionEntry.KeysOf(emailOnly));
    }

    [Fact]
    public void Each_key_of_a_contact_is_what_normalize_gives_for_its_kind()
    {
        var contact = TestData.NewContact(TestData.Draft() with { Email = "Zoë@Bücher.Example", Phone = "+44 20 7946 0958" });

        Assert.All(SuppressionEntry.KeysOf(contact), key =>
            Assert.Equal(key.Value, SuppressionEntry.Normalize(key.Kind, key.Kind switch
            {
                SuppressionKind.Email => contact.Email!.Value,
                SuppressionKind.EmailDomain => "@" + contact.Email!.Value.Split('@')[1],
                _ => contact.Phone!.Value,
            })));
    }
}
