using System.Globalization;

namespace Datum.Contacts;

/// <summary>A typed value of a custom field. Create one with a factory or an implicit conversion (<c>["score"] = 42m</c>).</summary>
public sealed record CustomFieldValue
{
    private CustomFieldValue(CustomFieldType type, string? text, decimal number, bool boolean, DateOnly date)
    {
        Type = type;
        TextValue = text;
        NumberValue = number;
        BooleanValue = boolean;
        DateValue = date;
        // Broken UTF-16 cannot be normalized; such a value never passes validation, so it needs no folded form.
        FoldedText = text is null || Datum.Contacts.Text.FindProblem(text, allowLineBreaks: true) is not null ? null : Datum.Contacts.Text.Fold(text);
    }

    /// <summary>The value's type.</summary>
    public CustomFieldType Type { get; }

    /// <summary>The text, when <see cref="Type"/> is <see cref="CustomFieldType.Text"/>.</summary>
    public string? TextValue { get; }

    /// <summary>The number, when <see cref="Type"/> is <see cref="CustomFieldType.Number"/>.</summary>
    public decimal NumberValue { get; }

    /// <summary>The flag, when <see cref="Type"/> is <see cref="CustomFieldType.Boolean"/>.</summary>
    public bool BooleanValue { get; }

    /// <summary>The date, when <see cref="Type"/> is <see cref="CustomFieldType.Date"/>.</summary>
    public DateOnly DateValue { get; }

    /// <summary>The text case-folded (see Text.Fold), what criteria compare.</summary>
    internal string? FoldedText { get; }

    /// <summary>A text value.</summary>
    /// <param name="value">The text.</param>
    public static CustomFieldValue FromText(string value)
    {
        Guard.Against.Null(value);
        return new(CustomFieldType.Text, value, 0, false, default);
    }

    /// <summary>A number value.</summary>
    /// <param name="value">The number.</param>
    /// <remarks>The number is kept without trailing zeros (12.50 becomes 12.5), so equal numbers are equal values everywhere, audit included.</remarks>
    public static CustomFieldValue FromNumber(decimal value) => new(CustomFieldType.Number, null, WithoutTrailingZeros(value), false, default);

    /// <summary>A boolean value.</summary>
    /// <param name="value">The flag.</param>
    public static CustomFieldValue FromBoolean(bool value) => new(CustomFieldType.Boolean, null, 0, value, default);

    /// <summary>A date value.</summary>
    /// <param name="value">The date.</param>
    public static CustomFieldValue FromDate(DateOnly value) => new(CustomFieldType.Date, null, 0, false, value);

    /// <summary>The number without trailing zeros (12.50 becomes 12.5); criteria values follow the same rule.</summary>
    internal static decimal WithoutTrailingZeros(decimal value) => value / 1.000000000000000000000000000000000m;

    /// <summary>Converts text.</summary>
    /// <param name="value">The text.</param>
    public static implicit operator CustomFieldValue(string value) => FromText(value);

    /// <summary>Converts a number.</summary>
    /// <param name="value">The number.</param>
    public static implicit operator CustomFieldValue(decimal value) => FromNumber(value);

    /// <summary>Converts a number.</summary>
    /// <param name="value">The number.</param>
    public static implicit operator CustomFieldValue(int value) => FromNumber(value);

    /// <summary>Converts a number.</summary>
    /// <param name="value">The number.</param>
    public static implicit operator CustomFieldValue(long value) => FromNumber(value);

    /// <summary>Converts a flag.</summary>
    /// <param name="value">The flag.</param>
    public static implicit operator CustomFieldValue(bool value) => FromBoolean(value);

    /// <summary>Converts a date.</summary>
    /// <param name="value">The date.</param>
    public static implicit operator CustomFieldValue(DateOnly value) => FromDate(value);

    /// <summary>The value in invariant text: the text itself, a number such as <c>12.5</c>, <c>true</c>/<c>false</c>, or <c>yyyy-MM-dd</c>.</summary>
    public override string ToString() => Type switch
    {
        CustomFieldType.Text => TextValue!,
        CustomFieldType.Number => NumberValue.ToString(CultureInfo.InvariantCulture),
        CustomFieldType.Boolean => BooleanValue ? "true" : "false",
        CustomFieldType.Date => DateValue.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture),
        _ => string.Empty,
    };
}
