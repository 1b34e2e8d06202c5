using System.Diagnostics;

namespace Datum.Contacts.Tests.Contacts;

public sealed class EmailAddressTests
{
    [Theory]
    [InlineData("user@example.com")]
    [InlineData("first.last@example.com")]
    [InlineData("user+newsletter@example.com")]
    [InlineData("user+tag+more@sub.example.co.uk")]
    [InlineData("o'brien@example.ie")]
    [InlineData("x@ex-ample.com")]
    [InlineData("!#$%&'*+-/=?^_`{|}~@example.com")]
    [InlineData("1234@123.example.org")]
    public void Parsing_a_common_valid_address_succeeds(string text)
    {
        var email = EmailAddress.Parse(text);

        Assert.Equal(text, email.Value);
        Assert.Equal(text.ToLowerInvariant(), email.Normalized);
    }

    [Fact]
    public void Parsing_an_address_with_an_internationalized_domain_normalizes_the_domain_to_punycode()
    {
        var email = EmailAddress.Parse("user@bücher.de");

        Assert.Equal("user@bücher.de", email.Value);
        Assert.Equal("user@xn--bcher-kva.de", email.Normalized);
        Assert.Equal("xn--bcher-kva.de", email.AsciiDomain);
    }

    [Fact]
    public void Parsing_an_address_with_a_punycode_domain_shows_the_domain_in_unicode_and_keeps_the_same_identity()
    {
        var email = EmailAddress.Parse("user@xn--bcher-kva.de");

        Assert.Equal("user@bücher.de", email.Value);
        Assert.Equal(EmailAddress.Parse("user@bücher.de"), email);
    }

    [Fact]
    public void Parsing_an_address_with_a_unicode_local_part_succeeds_and_folds_its_case()
    {
        var email = EmailAddress.Parse("Ünïcode@Bücher.DE");

        Assert.Equal("Ünïcode@bücher.de", email.Value);
        Assert.Equal("ünïcode@xn--bcher-kva.de", email.Normalized);
    }

    [Fact]
    public void Parsing_a_fully_internationalized_address_succeeds()
    {
        var email = EmailAddress.Parse("用户@例子.广告");

        Assert.Equal("用户@例子.广告", email.Value);
        Assert.StartsWith("用户@xn--", email.Normalized, StringComparison.Ordinal);
        Assert.EndsWith(".xn--4rr70v", email.Normalized, StringComparison.Ordinal);
    }

    [Fact]
    public void Parsing_an_address_in_decomposed_unicode_stores_the_composed_form()
    {
        var decomposed = "Jose\u0301@example.com";

        var email = EmailAddress.Parse(decomposed);

        Assert.Equal("Jos\u00E9@example.com", email.Value);
        Assert.Equal(EmailAddress.Parse("jos\u00E9@example.com"), email);
    }

    [Fact]
    public void Parsing_an_address_with_surrounding_whitespace_trims_it()
    {
        var email = EmailAddress.Parse("  \t user@example.com \r\n ");

        Assert.Equal("user@example.com", email.Value);
    }

    [Fact]
    public void Addresses_that_differ_only_in_case_are_equal()
    {
        var upper = EmailAddress.Parse("A@Example.COM");
        var lower = EmailAddress.Parse("a@example.com");

        Assert.Equal(lower, upper);
        Assert.True(upper == lower);
        Assert.False(upper != lower);
        Assert.Equal(lower.GetHashCode(), upper.GetHashCode());
        Assert.Equal("A@example.com", upper.Value);
        Assert.Equal("a@example.com", upper.Normalized);
    }

    [Fact]
    public void Addresses_with_different_plus_tags_are_different_addresses()
    {
        var plain = EmailAddress.Parse("user@example.com");
        var tagged = EmailAddress.Parse("user+news@example.com");

        Assert.NotEqual(plain, tagged);
        Assert.True(plain != tagged);
    }

    [Fact]
    public void An_address_is_not_equal_to_null()
    {
        var email = EmailAddress.Parse("user@example.com");

        Assert.False(email.Equals(null));
        Assert.False(email == null);
        Assert.True(null == (EmailAddress?)null);
    }

    [Fact]
    public void An_address_prints_as_its_value()
    {
        var email = EmailAddress.Parse("User@Example.com");

        Assert.Equal("User@example.com", email.ToString());
    }

    [Theory]
    [InlineData(null, "is required")]
    [InlineData("", "is required")]
    [InlineData("   ", "is required")]
    [InlineData("user.example.com", "exactly one '@'")]
    [InlineData("user@@example.com", "exactly one '@'")]
    [InlineData("a@b@example.com", "exactly one '@'")]
    [InlineData("@example.com", "local part before the '@'")]
    [InlineData("user@", "domain after the '@'")]
    [InlineData(".user@example.com", "'.'")]
    [InlineData("user.@example.com", "'.'")]
    [InlineData("us..er@example.com", "'..'")]
    [InlineData("\"john doe\"@example.com", "quoted local parts are not accepted")]
    [InlineData("\"john\"@example.com", "quoted local parts are not accepted")]
    [InlineData("john(comment)@example.com", "must not contain '('")]
    [InlineData("user@[192.168.0.1]", "not an IP address literal")]
    [InlineData("user@[IPv6:2001:db8::1]", "not an IP address literal")]
    [InlineData("user@localhost", "at least two labels")]
    [InlineData("user@example.123", "top-level domain of letters")]
    [InlineData("user@192.168.0.1", "top-level domain of letters")]
    [InlineData("user@example.c", "top-level domain of letters")]
    [InlineData("user@example..com", "domain")]
    [InlineData("user@example.com.", "domain labels of 1 to 63 characters")]
    [InlineData("user@-example.com", "valid domain name")]
    [InlineData("user@exa_mple.com", "valid domain name")]
    [InlineData("user@exa mple.com", "valid domain name")]
    [InlineData("us er@example.com", "must not contain ' '")]
    [InlineData("user\u00A0name@example.com", "must not contain")]
    [InlineData("user\tname@example.com", "control character U+0009")]
    [InlineData("user\u0001@example.com", "control character U+0001")]
    [InlineData("user\0@example.com", "null character")]
    [InlineData("user@exam\0ple.com", "null character")]
    [InlineData("user\u2028@example.com", "line separator")]
    public void Parsing_an_invalid_address_fails_with_a_reason(string? text, string reason)
    {
        var parsed = EmailAddress.TryParse(text, out var email, out var error);

        Assert.False(parsed);
        Assert.Null(email);
        Assert.Contains(reason, error, StringComparison.Ordinal);
    }

    [Fact]
    public void Parsing_an_address_with_an_unpaired_surrogate_fails()
    {
        // Built in code: attribute arguments are stored as UTF-8, which cannot hold a lone surrogate.
        var text = "user" + '\uD800' + "@example.com";

        Assert.False(EmailAddress.TryParse(text, out _, out var error));
        Assert.Contains("unpaired UTF-16 surrogate at position 5", error, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("user\u200B@example.com")] // zero width space
    [InlineData("user\u00AD@example.com")] // soft hyphen
    [InlineData("user\u202E@example.com")] // right-to-left override
    public void Parsing_an_address_with_an_invisible_format_character_fails(string text)
    {
        Assert.False(EmailAddress.TryParse(text, out _, out _));
    }

    [Fact]
    public void Parsing_an_address_without_an_at_sign_throws_a_validation_error_on_the_email_field()
    {
        var errors = TestData.ErrorsOf(() => EmailAddress.Parse("user.example.com"));

        var error = Assert.Single(errors);
        Assert.Equal("email", error.Field);
        Assert.Equal("invalid_email", error.Code);
        Assert.Equal("email must contain exactly one '@'.", error.Message);
    }

    [Fact]
    public void Parsing_an_address_with_two_at_signs_fails()
    {
        var errors = TestData.ErrorsOf(() => EmailAddress.Parse("a@b@example.com"));

        Assert.Equal("email", errors[0].Field);
        Assert.Contains("exactly one '@'", errors[0].Message, StringComparison.Ordinal);
    }

    [Fact]
    public void A_local_part_of_64_octets_is_accepted()
    {
        var text = new string('a', 64) + "@example.com";

        Assert.True(EmailAddress.TryParse(text, out _, out _));
    }

    [Fact]
    public void Parsing_an_address_with_a_local_part_over_64_octets_fails()
    {
        var text = new string('a', 65) + "@example.com";

        var errors = TestData.ErrorsOf(() => EmailAddress.Parse(text));

        Assert.Equal("email", errors[0].Field);
        Assert.Contains("at most 64 octets before the '@'", errors[0].Message, StringComparison.Ordinal);
    }

    [Fact]
    public void The_local_part_limit_counts_utf8_octets_not_characters()
    {
        // 33 characters, 66 octets.
        var text = new string('é', 33) + "@example.com";

        Assert.False(EmailAddress.TryParse(text, out _, out var error));
        Assert.Contains("64 octets", error, StringComparison.Ordinal);
    }

    [Fact]
    public void An_address_of_exactly_254_octets_is_accepted()
    {
        var text = new string('a', 64) + "@" + Domain(189);

        var email = EmailAddress.Parse(text);

        Assert.Equal(254, email.Normalized.Length);
    }

    [Fact]
    public void Parsing_an_address_over_254_octets_fails()
    {
        var text = new string('a', 64) + "@" + Domain(190);

        Assert.False(EmailAddress.TryParse(text, out _, out var error));
        Assert.Contains("at most 254", error, StringComparison.Ordinal);
    }

    [Fact]
    public void Parsing_an_address_with_a_domain_label_over_63_characters_fails()
    {
        var text = "user@" + new string('a', 64) + ".com";

        Assert.False(EmailAddress.TryParse(text, out _, out var error));
        Assert.Contains("domain", error, StringComparison.Ordinal);
    }

    [Fact]
    public void Parsing_a_10_megabyte_string_fails_quickly_with_a_validation_error()
    {
        var huge = new string('a', 10 * 1024 * 1024) + "@example.com";
        var clock = Stopwatch.StartNew();

        var parsed = EmailAddress.TryParse(huge, out _, out var error);
        var thrown = Record.Exception(() => EmailAddress.Parse(huge));

        clock.Stop();
        Assert.False(parsed);
        Assert.Contains("at most 254 characters", error, StringComparison.Ordinal);
        var validation = Assert.IsType<ValidationFailedException>(thrown);
        Assert.Equal("email", validation.Errors[0].Field);
        Assert.True(clock.ElapsedMilliseconds < 500, $"Rejecting a 10 MB string took {clock.ElapsedMilliseconds} ms.");
    }

    [Fact]
    public void Parsing_a_long_string_of_whitespace_with_an_address_inside_is_rejected_by_length_first()
    {
        var padded = new string(' ', 2_000) + "user@example.com";

        Assert.False(EmailAddress.TryParse(padded, out _, out var error));
        Assert.Contains("at most 254", error, StringComparison.Ordinal);
    }

    [Fact]
    public void A_local_part_that_grows_past_64_octets_when_folded_is_rejected()
    {
        // 32 x U+023A (LATIN CAPITAL LETTER A WITH STROKE) = 64 octets; folded: 32 x U+2C65 = 96 octets.
        var text = new string('\u023A', 32) + "@example.com";

        Assert.False(EmailAddress.TryParse(text, out _, out var error));
        Assert.Contains("at most 64 octets before the '@'", error, StringComparison.Ordinal);
    }

    [Fact]
    public void The_normalized_form_of_a_local_part_that_grows_when_folded_parses_again_to_itself()
    {
        // 21 x U+023A = 42 octets; folded: 21 x U+2C65 = 63 octets, still within the limit.
        var email = EmailAddress.Parse(new string('\u023A', 21) + "@example.com");

        var reparsed = EmailAddress.TryParse(email.Normalized, out var again, out var error);

        Assert.True(reparsed, error);
        Assert.Equal(email.Normalized, again!.Normalized);
        Assert.Equal(new string('\u2C65', 21) + "@example.com", email.Normalized);
    }

    /// <summary>A valid ASCII domain of exactly <paramref name="length"/> characters ending in ".com".</summary>
    private static string Domain(int length)
    {
        var labels = new List<string>();
        var remaining = length - ".com".Length;
        var letter = 'a';
        while (remaining > 0)
        {
            if (remaining <= 63)
            {
                labels.Add(new string(letter, remaining));
                break;
            }

            // Leave room for a dot and at least one more character.
            var size = Math.Min(63, remaining - 2);
            labels.Add(new string(letter++, size));
            remaining -= size + 1;
        }

        var domain = string.Join('.', labels) + ".com";
        Assert.Equal(length, domain.Length);
        return domain;
    }
}
