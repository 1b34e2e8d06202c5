using System.Diagnostics.CodeAnalysis;
using System.Globalization;
using System.Text;

namespace Datum.Contacts;

/// <summary>
/// An email address that passed a practical RFC 5321/5322 check. Its identity is case-insensitive:
/// two addresses are equal when their <see cref="Normalized"/> forms are.
/// </summary>
/// <remarks>
/// Accepted: a dot-atom local part (internationalized characters allowed, RFC 6531), an '@', and a domain
/// of at least two labels given in Unicode or ASCII (converted through IDNA). Rejected: quoted local parts,
/// comments, IP-literal domains, more than 64 octets before the '@', more than 254 in all.
/// </remarks>
public sealed class EmailAddress : IEquatable<EmailAddress>
{
    /// <summary>The longest address accepted, in UTF-8 octets with the domain in ASCII form (RFC 5321 path limit).</summary>
    public const int MaxLength = 254;

    /// <summary>The longest local part accepted, in UTF-8 octets.</summary>
    public const int MaxLocalPartLength = 64;

    private static readonly IdnMapping Idn = new() { UseStd3AsciiRules = true, AllowUnassigned = false };

    private EmailAddress(string value, string normalized)
    {
        Value = value;
        Normalized = normalized;
    }

    /// <summary>The address as given (trimmed, NFC), with the domain lower-cased in its Unicode form.</summary>
    public string Value { get; }

    /// <summary>The identity form: local part case-folded, domain in lower-case ASCII (punycode).</summary>
    public string Normalized { get; }

    /// <summary>The domain in lower-case ASCII (punycode) form.</summary>
    public string AsciiDomain => Normalized[(Normalized.LastIndexOf('@') + 1)..];

    /// <summary>Parses an address, throwing <see cref="ValidationFailedException"/> on the field <c>email</c> when invalid.</summary>
    /// <param name="value">The address text.</param>
    public static EmailAddress Parse(string? value)
        => TryParse(value, out var email, out var error)
            ? email
            : throw new ValidationFailedException(new FieldError("email", "invalid_email", $"email {error}."));

    /// <summary>Tries to parse an address.</summary>
    /// <param name="value">The address text.</param>
    /// <param name="email">The parsed address.</param>
    /// <param name="error">Why the text is not an acceptable address (a phrase such as "must contain one '@'").</param>
    public static bool TryParse([NotNullWhen(true)] string? value, [NotNullWhen(true)] out EmailAddress? email, [NotNullWhen(false)] out string? error)
    {
        email = null;
        if (string.IsNullOrWhiteSpace(value))
        {
            error = "is required";
            return false;
        }

        if (value.Length > MaxLength * 4)
        {
            error = $"must be at most {MaxLength} characters long";
            return false;
        }

        var text = value.Trim();
        if (Text.FindProblem(text, allowLineBreaks: false) is { } problem)
        {
            error = problem;
            return false;
        }

        text = text.Normalize(NormalizationForm.FormC);
        var at = text.IndexOf('@', StringComparison.Ordinal);
        if (at < 0 || at != text.LastIndexOf('@'))
        {
            error = "must contain exactly one '@'";
            return false;
        }

        var local = text[..at];
        var domain = text[(at + 1)..];

        // Case folding can lengthen a local part in UTF-8 (U+023A 'Ⱥ' folds to the 3-octet 'ⱥ'): both forms must fit,
        // so that the normalized form parses again to itself.
        var folded = Text.Fold(local);
        var localOctets = Math.Max(Encoding.UTF8.GetByteCount(local), Encoding.UTF8.GetByteCount(folded));
        if (CheckLocalPart(local, localOctets) is { } localError)
        {
            error = localError;
            return false;
        }

        if (!TryNormalizeDomain(domain, out var asciiDomain, out var unicodeDomain, out var domainError))
        {
            error = domainError;
            return false;
        }

        if (localOctets + 1 + asciiDomain.Length > MaxLength)
        {
            error = $"must be at most {MaxLength} characters long";
            return false;
        }

        email = new EmailAddress(local + "@" + unicodeDomain, folded + "@" + asciiDomain);
        error = null;
        return true;
    }

    private static string? CheckLocalPart(string local, int localOctets)
    {
        if (local.Length == 0)
        {
            return "must have a local part before the '@'";
        }

        if (localOctets > MaxLocalPartLength)
        {
            return $"must have at most {MaxLocalPartLength} octets before the '@'";
        }

        if (local[0] == '.' || local[^1] == '.' || local.Contains("..", StringComparison.Ordinal))
        {
            return "must not start or end its local part with '.' or contain '..'";
        }

        foreach (var c in local)
        {
            // Invisible format characters (zero-width space, soft hyphen, bidi marks) would make two addresses
            // that look the same differ in identity, so they are refused.
            if (c >= 128 && char.GetUnicodeCategory(c) == UnicodeCategory.Format)
            {
                return $"must not contain the invisible character U+{(int)c:X4} in its local part";
            }

            var allowed = c < 128
                ? char.IsAsciiLetterOrDigit(c) || "!#$%&'*+-/=?^_`{|}~.".Contains(c, StringComparison.Ordinal)
                : !char.IsWhiteSpace(c) && !char.IsControl(c);
            if (!allowed)
            {
                return $"must not contain '{c}' in its local part (quoted local parts are not accepted)";
            }
        }

        return null;
    }

    private static bool TryNormalizeDomain(string domain, out string ascii, out string unicode, [NotNullWhen(false)] out string? error)
    {
        ascii = unicode = string.Empty;
        if (domain.Length == 0)
        {
            error = "must have a domain after the '@'";
            return false;
        }

        if (domain.StartsWith('['))
        {
            error = "must use a domain name, not an IP address literal";
            return false;
        }

        try
        {
            ascii = Idn.GetAscii(domain).ToLowerInvariant();
            unicode = Idn.GetUnicode(ascii);
        }
        catch (ArgumentException)
        {
            error = "must have a valid domain name (letters, digits and hyphens in dot-separated labels, or an internationalized name)";
            return false;
        }

        if (ascii.Length > 253)
        {
            error = "must have a domain of at most 253 characters in ASCII form";
            return false;
        }

        var labels = ascii.Split('.');
        if (labels.Length < 2)
        {
            error = "must have a domain with at least two labels, such as 'example.com'";
            return false;
        }

        foreach (var label in labels)
        {
            if (label.Length is 0 or > 63)
            {
                error = "must have domain labels of 1 to 63 characters";
                return false;
            }
        }

        var tld = labels[^1];
        if (tld.Length < 2 || !(tld.All(char.IsAsciiLetter) || tld.StartsWith("xn--", StringComparison.Ordinal)))
        {
            error = "must end in a top-level domain of letters, such as '.com'";
            return false;
        }

        error = null;
        return true;
    }

    /// <inheritdoc />
    public bool Equals(EmailAddress? other) => other is not null && string.Equals(Normalized, other.Normalized, StringComparison.Ordinal);

    /// <inheritdoc />
    public override bool Equals(object? obj) => Equals(obj as EmailAddress);

    /// <inheritdoc />
    public override int GetHashCode() => StringComparer.Ordinal.GetHashCode(Normalized);

    /// <summary>Compares two addresses by identity.</summary>
    /// <param name="left">The first.</param>
    /// <param name="right">The second.</param>
    public static bool operator ==(EmailAddress? left, EmailAddress? right) => Equals(left, right);

    /// <summary>Compares two addresses by identity.</summary>
    /// <param name="left">The first.</param>
    /// <param name="right">The second.</param>
    public static bool operator !=(EmailAddress? left, EmailAddress? right) => !Equals(left, right);

    /// <inheritdoc />
    public override string ToString() => Value;
}
