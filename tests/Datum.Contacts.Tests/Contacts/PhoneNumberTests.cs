namespace Datum.Contacts.Tests.Contacts;

public sealed class PhoneNumberTests
{
    [Theory]
    [InlineData("+1 (415) 555-0123", "+14155550123")]
    [InlineData("0044 20 7946 0958", "+442079460958")]
    [InlineData("+33 1.23.45.67.89", "+33123456789")]
    [InlineData("  +14155550123  ", "+14155550123")]
    [InlineData("+1234567", "+1234567")]
    [InlineData("+123456789012345", "+123456789012345")]
    public void Parsing_a_number_in_international_form_normalizes_it_to_e164(string text, string expected)
    {
        var phone = PhoneNumber.Parse(text);

        Assert.Equal(expected, phone.Value);
        Assert.Equal(expected, phone.ToString());
    }

    [Fact]
    public void Numbers_written_differently_but_with_the_same_digits_are_equal()
    {
        var spaced = PhoneNumber.Parse("+1 (415) 555-0123");
        var compact = PhoneNumber.Parse("001-415-555-0123");

        Assert.Equal(compact, spaced);
        Assert.True(spaced == compact);
        Assert.Equal(compact.GetHashCode(), spaced.GetHashCode());
    }

    [Theory]
    [InlineData(null, "is required")]
    [InlineData("", "is required")]
    [InlineData("  ", "is required")]
    [InlineData("415 555 0123", "starting with '+'")]
    [InlineData("(415) 555-0123", "starting with '+'")]
    [InlineData("0 415 555 0123", "starting with '+'")]
    [InlineData("+1 415 CALL NOW", "only digits after the '+' (found 'C'")]
    [InlineData("+1 415 555 0123 ext 4", "only digits")]
    [InlineData("+1/415/555/0123", "found '/'")]
    [InlineData("+1 415\t555 0123", "found 'U+0009'")]
    [InlineData("++14155550123", "found '+'")]
    [InlineData("+123456", "7 to 15 digits")]
    [InlineData("+1234567890123456", "7 to 15 digits")]
    [InlineData("+", "7 to 15 digits")]
    [InlineData("+ (  ) - .", "7 to 15 digits")]
    [InlineData("+0 415 555 0123", "country code with a digit 1-9")]
    [InlineData("000 415 555 0123", "country code with a digit 1-9")]
    public void Parsing_an_invalid_number_fails_with_a_reason(string? text, string reason)
    {
        var parsed = PhoneNumber.TryParse(text, out var phone, out var error);

        Assert.False(parsed);
        Assert.Null(phone);
        Assert.Contains(reason, error, StringComparison.Ordinal);
    }

    [Fact]
    public void Parsing_a_number_without_a_plus_throws_a_validation_error_on_the_phone_field()
    {
        var errors = TestData.ErrorsOf(() => PhoneNumber.Parse("415 555 0123"));

        var error = Assert.Single(errors);
        Assert.Equal("phone", error.Field);
        Assert.Equal("invalid_phone", error.Code);
        Assert.StartsWith("phone must be in international E.164 form", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Parsing_a_very_long_string_fails_on_length_before_reading_it()
    {
        var huge = "+1" + new string('5', 1_000_000);

        Assert.False(PhoneNumber.TryParse(huge, out _, out var error));
        Assert.Equal("must be at most 64 characters long", error);
    }
}
