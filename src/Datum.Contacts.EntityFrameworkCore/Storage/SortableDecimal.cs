using System.Globalization;
using Microsoft.EntityFrameworkCore.Storage.ValueConversion;

namespace Datum.Contacts.EntityFrameworkCore;

/// <summary>
/// A decimal as text whose ordinal order is numeric order, for databases without an exact decimal type: a sign
/// digit, then for non-zero values a two-digit exponent and the significant digits, complemented for negatives
/// and closed by a letter so that a longer negative mantissa sorts first. Equal numbers encode alike because
/// the core strips trailing zeros.
/// </summary>
internal static class SortableDecimal
{
    public static readonly ValueConverter<decimal?, string?> Converter = new(
        value => value.HasValue ? Encode(value.Value) : null,
        text => text == null ? null : Decode(text));

    public static string Encode(decimal value)
    {
        if (value == 0)
        {
            return "1";
        }

        // The digits of |value| and the position of its decimal point: |value| = 0.d1d2d3... × 10^exponent.
        var text = Math.Abs(value).ToString(CultureInfo.InvariantCulture);
        var point = text.IndexOf('.', StringComparison.Ordinal);
        var whole = point < 0 ? text : text[..point];
        var digits = (point < 0 ? text : whole + text[(point + 1)..]).TrimStart('0').TrimEnd('0');
        var exponent = whole.TrimStart('0').Length;
        if (exponent == 0)
        {
            // 0.000123: the exponent is minus the count of zeros after the point.
            var fraction = text[(point + 1)..];
            exponent = -(fraction.Length - fraction.TrimStart('0').Length);
        }

        var biased = exponent + 50; // exponents of decimals lie in -28..29
        if (value > 0)
        {
            return string.Create(CultureInfo.InvariantCulture, $"2{biased:D2}{digits}");
        }

        var complemented = new string(digits.Select(d => (char)('9' - d + '0')).ToArray());
        return string.Create(CultureInfo.InvariantCulture, $"0{99 - biased:D2}{complemented}Z");
    }

    public static decimal Decode(string text)
    {
        if (text == "1")
        {
            return 0;
        }

        var negative = text[0] == '0';
        var biased = int.Parse(text.AsSpan(1, 2), CultureInfo.InvariantCulture);
        var exponent = (negative ? 99 - biased : biased) - 50;
        var digits = negative
            ? new string(text[3..^1].Select(d => (char)('9' - d + '0')).ToArray())
            : text[3..];
        var plain = exponent >= digits.Length ? digits + new string('0', exponent - digits.Length)
            : exponent <= 0 ? "0." + new string('0', -exponent) + digits
            : digits[..exponent] + "." + digits[exponent..];
        var magnitude = decimal.Parse(plain, NumberStyles.AllowDecimalPoint, CultureInfo.InvariantCulture);
        return CustomFieldValue.WithoutTrailingZeros(negative ? -magnitude : magnitude);
    }
}
