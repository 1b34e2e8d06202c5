using System.Text;
using FsCheck;
using FsCheck.Fluent;
using FsCheck.Xunit;

namespace Datum.Contacts.Tests.Contacts;

public sealed class EmailAddressPropertyTests
{
    private const int Runs = 500;

    // Upper and lower case, ASCII and not; U+023A grows from 2 to 3 UTF-8 octets when folded.
    private const string LocalAlphabet = "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789!#$%&'*-/=?^_`{|}~éÉüÜøØωΩжЖ名\u023A";

    private const string AsciiLabelAlphabet = "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789";

    private const string IdnLabelAlphabet = "abcdefghijklmnopqrstuvwxyzüÜéÉñÑøжЖ例子";

    private static readonly string[] TopLevelDomains = ["com", "COM", "de", "Org", "info", "рф", "РФ", "广告", "xn--p1ai"];

    [Property(MaxTest = Runs)]
    public Property Parsing_the_value_or_the_normalized_form_of_a_valid_address_gives_the_same_normalized_form()
    {
        var addresses = ValidAddresses().ToArbitrary();

        return Prop.ForAll(addresses, text =>
        {
            var email = EmailAddress.Parse(text);
            var fromValue = EmailAddress.Parse(email.Value);
            var fromNormalized = EmailAddress.Parse(email.Normalized);
            return fromValue.Normalized == email.Normalized
                && fromNormalized.Normalized == email.Normalized
                && fromNormalized.Value == email.Normalized.Split('@')[0] + "@" + fromValue.Value.Split('@')[1];
        });
    }

    [Property(MaxTest = Runs)]
    public Property A_valid_address_written_in_upper_case_is_the_same_address()
    {
        var addresses = ValidAddresses().ToArbitrary();

        return Prop.ForAll(addresses, text =>
            EmailAddress.Parse(text.ToUpperInvariant()) == EmailAddress.Parse(text)
            && EmailAddress.Parse(text.ToLowerInvariant()) == EmailAddress.Parse(text));
    }

    [Property(MaxTest = Runs)]
    public Property The_normalized_form_of_a_valid_address_is_lower_case_with_an_ascii_domain()
    {
        var addresses = ValidAddresses().ToArbitrary();

        return Prop.ForAll(addresses, text =>
        {
            var email = EmailAddress.Parse(text);
            return string.Equals(email.Normalized, email.Normalized.ToLowerInvariant(), StringComparison.Ordinal)
                && email.AsciiDomain.All(char.IsAscii)
                && Encoding.UTF8.GetByteCount(email.Normalized) <= EmailAddress.MaxLength;
        });
    }

    [Property(MaxTest = Runs)]
    public Property Trying_to_parse_any_string_never_throws_and_reports_either_an_address_or_an_error()
    {
        var strings = ArbMap.Default.ArbFor<string>();

        return Prop.ForAll(strings, TryParseIsTotal);
    }

    [Property(MaxTest = Runs)]
    public Property Trying_to_parse_address_like_noise_never_throws_and_reports_either_an_address_or_an_error()
    {
        var fragments = Gen.Elements(
            "a", "Z", "0", "@", "@", ".", "..", "-", "+", "xn--", "[", "]", "\"", " ", "\t", "\0", "\u2028",
            "\uD800", "\uDC00", "é", "ü", "例", "ß", "İ", "\u0301", "\u200B", "com", "de", "123", "localhost");
        var noise = fragments.ListOf().Select(parts => string.Concat(parts)).ToArbitrary();

        return Prop.ForAll(noise, TryParseIsTotal);
    }

    [Property(MaxTest = Runs)]
    public Property Parse_throws_nothing_but_a_validation_error_on_the_email_field()
    {
        var strings = ArbMap.Default.ArbFor<string>();

        return Prop.ForAll(strings, text =>
        {
            var thrown = Record.Exception(() => EmailAddress.Parse(text));
            return thrown is null || thrown is ValidationFailedException { Errors: [{ Field: "email", Code: "invalid_email" }] };
        });
    }

    private static bool TryParseIsTotal(string? text)
    {
        var parsed = EmailAddress.TryParse(text, out var email, out var error);
        return parsed ? email is not null && error is null : email is null && !string.IsNullOrEmpty(error);
    }

    private static Gen<string> ValidAddresses()
    {
        var localAtom = Gen.Elements(LocalAlphabet.ToCharArray()).NonEmptyListOf().Select(Chars).Where(a => a.Length <= 8);
        var dotted = Gen.Choose(1, 3).SelectMany(n => localAtom.ListOf(n)).Select(atoms => string.Join('.', atoms));
        var plusTag = Gen.OneOf(
            Gen.Constant(string.Empty),
            Gen.Elements(AsciiLabelAlphabet.ToCharArray()).NonEmptyListOf().Select(c => "+" + Chars(c)).Where(t => t.Length <= 9));
        var local = dotted.SelectMany(d => plusTag, (d, tag) => d + tag)
            .Where(l => Encoding.UTF8.GetByteCount(Text.Fold(l)) <= EmailAddress.MaxLocalPartLength
                && Encoding.UTF8.GetByteCount(l) <= EmailAddress.MaxLocalPartLength);

        var label = Gen.OneOf(Label(AsciiLabelAlphabet), Label(IdnLabelAlphabet));
        var domain = Gen.Choose(1, 3).SelectMany(n => label.ListOf(n))
            .SelectMany(_ => Gen.Elements(TopLevelDomains), (labels, tld) => string.Join('.', labels) + "." + tld);

        return local.SelectMany(_ => domain, (l, d) => l + "@" + d);
    }

    // Letters and digits in chunks joined by single hyphens: never a leading, trailing or doubled hyphen.
    private static Gen<string> Label(string alphabet)
    {
        var chunk = Gen.Elements(alphabet.ToCharArray()).NonEmptyListOf().Select(Chars).Where(c => c.Length <= 10);
        return Gen.Choose(1, 2).SelectMany(n => chunk.ListOf(n)).Select(chunks => string.Join('-', chunks));
    }

    private static string Chars(IEnumerable<char> chars) => string.Concat(chars);
}
