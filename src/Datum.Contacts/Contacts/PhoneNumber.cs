using System.Diagnostics.CodeAnalysis;
using System.Text;

namespace Datum.Contacts;

/// <summary>A phone number in E.164 form: '+', a country code and subscriber number, 7 to 15 digits in all.</summary>
/// <remarks>Input may contain spaces, '-', '.', '(' and ')' between digits, and may start with the international prefix "00" instead of '+'.</remarks>
public sealed class PhoneNumber : IEquatable<PhoneNumber>
{
    private PhoneNumber(string value) => Value = value;

    /// <summary>The number in E.164 form, such as <c>+14155550123</c>.</summary>
    public string Value { get; }

    /// <summary>Parses a number, throwing <see cref="ValidationFailedException"/> on the field <c>phone</c> when invalid.</summary>
    /// <param name="value">The number text.</param>
    public static PhoneNumber Parse(string? value)
        => TryParse(value, out var phone, out var error)
            ? phone
            : throw new ValidationFailedException(new FieldError("phone", "invalid_phone", $"phone {error}."));

    /// <summary>Tries to parse a number.</summary>
    /// <param name="value">The number text.</param>
    /// <param name="phone">The parsed number.</param>
    /// <param name="error">Why the text is not an E.164 number.</param>
    public static bool TryParse([NotNullWhen(true)] string? value, [NotNullWhen(true)] out PhoneNumber? phone, [NotNullWhen(false)] out string? error)
    {
        phone = null;
        if (string.IsNullOrWhiteSpace(value))
        {
            error = "is required";
            return false;
        }

        if (value.Length > 64)
        {
            error = "must be at most 64 characters long";
            return false;
        }

        var text = value.Trim();
        int start;
        if (text.StartsWith('+'))
        {
            start = 1;
        }
        else if (text.StartsWith("00", StringComparison.Ordinal))
        {
            start = 2;
        }
        else
        {
            error = "must be in international E.164 form, starting with '+' and the country code (such as +14155550123)";
            return false;
        }

        var digits = new StringBuilder(16);
        for (var i = start; i < text.Length; i++)
        {
            var c = text[i];
            if (char.IsAsciiDigit(c))
            {
                digits.Append(c);
            }
            else if (c is not (' ' or '-' or '.' or '(' or ')'))
            {
                error = $"must contain only digits after the '+' (found '{(char.IsControl(c) ? $"U+{(int)c:X4}" : c.ToString())}' at position {i + 1})";
                return false;
            }
        }

        if (digits.Length is < 7 or > 15)
        {
            error = "must have 7 to 15 digits including the country code (E.164)";
            return false;
        }

        if (digits[0] == '0')
        {
            error = "must start its country code with a digit 1-9";
            return false;
        }

        phone = new PhoneNumber("+" + digits);
        error = null;
        return true;
    }

    /// <inheritdoc />
    public bool Equals(PhoneNumber? other) => other is not null && string.Equals(Value, other.Value, StringComparison.Ordinal);

    /// <inheritdoc />
    public override bool Equals(object? obj) => Equals(obj as PhoneNumber);

    /// <inheritdoc />
    public override int GetHashCode() => StringComparer.Ordinal.GetHashCode(Value);

    /// <summary>Compares two numbers.</summary>
    /// <param name="left">The first.</param>
    /// <param name="right">The second.</param>
    public static bool operator ==(PhoneNumber? left, PhoneNumber? right) => Equals(left, right);

    /// <summary>Compares two numbers.</summary>
    /// <param name="left">The first.</param>
    /// <param name="right">The second.</param>
    public static bool operator !=(PhoneNumber? left, PhoneNumber? right) => !Equals(left, right);

    /// <inheritdoc />
    public override string ToString() => Value;
}
