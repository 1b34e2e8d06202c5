using System.Globalization;

namespace Datum.Contacts;

/// <summary>The lexical kind of a criteria value.</summary>
public enum CriteriaValueKind
{
    /// <summary>Text in double quotes; dates and date-times are text too (<c>2025-01-01</c> is the text "2025-01-01").</summary>
    Text = 0,

    /// <summary>A decimal number.</summary>
    Number = 1,

    /// <summary><c>true</c> or <c>false</c>.</summary>
    Boolean = 2,
}

/// <summary>
/// A literal value in a condition. Dates are text: the binder converts a value to the field's type (a date, a
/// number, a choice...) and reports the value's position when it does not convert.
/// </summary>
public sealed class CriteriaValue : IEquatable<CriteriaValue>
{
    private CriteriaValue(CriteriaValueKind kind, string? text, decimal number, bool boolean, CriteriaLocation? location)
    {
        Kind = kind;
        Text = text;
        Number = number;
        Boolean = boolean;
        Location = location;
    }

    /// <summary>The lexical kind.</summary>
    public CriteriaValueKind Kind { get; }

    /// <summary>The text, when <see cref="Kind"/> is <see cref="CriteriaValueKind.Text"/>.</summary>
    public string? Text { get; }

    /// <summary>The number, when <see cref="Kind"/> is <see cref="CriteriaValueKind.Number"/>; kept without trailing zeros.</summary>
    public decimal Number { get; }

    /// <summary>The flag, when <see cref="Kind"/> is <see cref="CriteriaValueKind.Boolean"/>.</summary>
    public bool Boolean { get; }

    /// <summary>Where the value is in the parsed text or JSON; null when built in code. Not part of equality.</summary>
    public CriteriaLocation? Location { get; }

    /// <summary>A text value.</summary>
    /// <param name="text">The text.</param>
    /// <exception cref="ArgumentException">The text holds a null character or broken UTF-16, which no contact field can hold either.</exception>
    public static CriteriaValue Of(string text)
    {
        Guard.Against.Null(text);
        if (Datum.Contacts.Text.FindProblem(text, allowLineBreaks: true) is { } problem)
        {
            throw new ArgumentException($"The value {problem}.", nameof(text));
        }

        return new(CriteriaValueKind.Text, text, 0, false, null);
    }

    /// <summary>A number value.</summary>
    /// <param name="number">The number.</param>
    public static CriteriaValue Of(decimal number) => new(CriteriaValueKind.Number, null, Normalize(number), false, null);

    /// <summary>A boolean value.</summary>
    /// <param name="flag">The flag.</param>
    public static CriteriaValue Of(bool flag) => new(CriteriaValueKind.Boolean, null, 0, flag, null);

    /// <summary>A date value, as the text <c>yyyy-MM-dd</c>.</summary>
    /// <param name="date">The date.</param>
    public static CriteriaValue Of(DateOnly date) => Of(date.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture));

    /// <summary>A date-time value, as ISO 8601 text with its offset.</summary>
    /// <param name="time">The instant.</param>
    public static CriteriaValue Of(DateTimeOffset time) => Of(time.ToString("yyyy-MM-dd'T'HH:mm:ss.FFFFFFFzzz", CultureInfo.InvariantCulture));

    /// <summary>Converts text.</summary>
    /// <param name="text">The text.</param>
    public static implicit operator CriteriaValue(string text) => Of(text);

    /// <summary>Converts a number.</summary>
    /// <param name="number">The number.</param>
    public static implicit operator CriteriaValue(decimal number) => Of(number);

    /// <summary>Converts a number.</summary>
    /// <param name="number">The number.</param>
    public static implicit operator CriteriaValue(int number) => Of(number);

    /// <summary>Converts a flag.</summary>
    /// <param name="flag">The flag.</param>
    public static implicit operator CriteriaValue(bool flag) => Of(flag);

    internal static CriteriaValue Str(string text, CriteriaLocation location) => new(CriteriaValueKind.Text, text, 0, false, location);

    internal static CriteriaValue Num(decimal number, CriteriaLocation location) => new(CriteriaValueKind.Number, null, Normalize(number), false, location);

    internal static CriteriaValue Flag(bool flag, CriteriaLocation location) => new(CriteriaValueKind.Boolean, null, 0, flag, location);

    private static decimal Normalize(decimal value) => CustomFieldValue.WithoutTrailingZeros(value);

    /// <inheritdoc />
    public bool Equals(CriteriaValue? other)
        => other is not null && other.Kind == Kind && Kind switch
        {
            CriteriaValueKind.Text => string.Equals(other.Text, Text, StringComparison.Ordinal),
            CriteriaValueKind.Number => other.Number == Number,
            _ => other.Boolean == Boolean,
        };

    /// <inheritdoc />
    public override bool Equals(object? obj) => Equals(obj as CriteriaValue);

    /// <inheritdoc />
    public override int GetHashCode() => Kind switch
    {
        CriteriaValueKind.Text => HashCode.Combine(Kind, StringComparer.Ordinal.GetHashCode(Text!)),
        CriteriaValueKind.Number => HashCode.Combine(Kind, Number),
        _ => HashCode.Combine(Kind, Boolean),
    };

    /// <summary>The value as the text form writes it: a quoted string, a number or <c>true</c>/<c>false</c>.</summary>
    public override string ToString() => Kind switch
    {
        CriteriaValueKind.Text => CriteriaPrinter.Quote(Text!),
        CriteriaValueKind.Number => Number.ToString(CultureInfo.InvariantCulture),
        _ => Boolean ? "true" : "false",
    };
}

/// <summary>The operators of the criteria language. Their JSON names are the camel-case names (<c>greaterThan</c>).</summary>
public enum CriteriaOperator
{
    /// <summary>Equal (<c>=</c>); text compares case-insensitively; a date on a date-time field means that UTC day.</summary>
    Equals = 0,

    /// <summary>Not equal (<c>!=</c>): exactly the contacts <see cref="Equals"/> does not match, empty values included.</summary>
    NotEquals = 1,

    /// <summary>Text contains the value, case-insensitively.</summary>
    Contains = 2,

    /// <summary>The complement of <see cref="Contains"/>.</summary>
    NotContains = 3,

    /// <summary>Text starts with the value, case-insensitively.</summary>
    StartsWith = 4,

    /// <summary>Text ends with the value, case-insensitively.</summary>
    EndsWith = 5,

    /// <summary>Greater than (<c>&gt;</c>); for a date on a date-time field, after that UTC day.</summary>
    GreaterThan = 6,

    /// <summary>Greater than or equal (<c>&gt;=</c>).</summary>
    GreaterThanOrEqual = 7,

    /// <summary>Less than (<c>&lt;</c>); for a date on a date-time field, before that UTC day.</summary>
    LessThan = 8,

    /// <summary>Less than or equal (<c>&lt;=</c>).</summary>
    LessThanOrEqual = 9,

    /// <summary>Between two values, both included (<c>between 1 and 5</c>; JSON value <c>[1, 5]</c>).</summary>
    Between = 10,

    /// <summary>Equal to one of a list of values (<c>in ("a", "b")</c>).</summary>
    In = 11,

    /// <summary>The complement of <see cref="In"/>.</summary>
    NotIn = 12,

    /// <summary>The field has no value (no phone, an unset custom field, no tags).</summary>
    IsEmpty = 13,

    /// <summary>The complement of <see cref="IsEmpty"/>.</summary>
    IsNotEmpty = 14,

    /// <summary>The tags hold the value, case-insensitively.</summary>
    Has = 15,

    /// <summary>The time lies within the last N days up to now (<c>withinLast 30 days</c>; JSON <c>withinLastDays</c>).</summary>
    WithinLastDays = 16,

    /// <summary>The time lies more than N days before now (<c>moreThan 90 days ago</c>; JSON <c>moreThanDaysAgo</c>).</summary>
    MoreThanDaysAgo = 17,
}

/// <summary>Names, symbols and arity of the operators, shared by the parsers and printers.</summary>
internal static class CriteriaOperators
{
    private static readonly string[] Names =
    [
        "equals", "notEquals", "contains", "notContains", "startsWith", "endsWith", "greaterThan", "greaterThanOrEqual",
        "lessThan", "lessThanOrEqual", "between", "in", "notIn", "isEmpty", "isNotEmpty", "has", "withinLastDays", "moreThanDaysAgo",
    ];

    private static readonly Dictionary<string, CriteriaOperator> ByName = Enumerable.Range(0, Names.Length)
        .ToDictionary(i => Names[i], i => (CriteriaOperator)i, StringComparer.OrdinalIgnoreCase);

    /// <summary>The JSON (and keyword) name.</summary>
    public static string Name(CriteriaOperator op) => Names[(int)op];

    public static bool TryParseName(string name, out CriteriaOperator op) => ByName.TryGetValue(name, out op);

    public static IEnumerable<string> AllNames => Names;

    /// <summary>The canonical text spelling of the operator itself (values excluded).</summary>
    public static string Symbol(CriteriaOperator op) => op switch
    {
        CriteriaOperator.Equals => "=",
        CriteriaOperator.NotEquals => "!=",
        CriteriaOperator.GreaterThan => ">",
        CriteriaOperator.GreaterThanOrEqual => ">=",
        CriteriaOperator.LessThan => "<",
        CriteriaOperator.LessThanOrEqual => "<=",
        CriteriaOperator.WithinLastDays => "withinLast",
        CriteriaOperator.MoreThanDaysAgo => "moreThan",
        _ => Name(op),
    };

    public static (int Min, int Max) Arity(CriteriaOperator op) => op switch
    {
        CriteriaOperator.IsEmpty or CriteriaOperator.IsNotEmpty => (0, 0),
        CriteriaOperator.Between => (2, 2),
        CriteriaOperator.In or CriteriaOperator.NotIn => (1, int.MaxValue),
        _ => (1, 1),
    };

    public static string DescribeArity(CriteriaOperator op) => op switch
    {
        CriteriaOperator.IsEmpty or CriteriaOperator.IsNotEmpty => "no value",
        CriteriaOperator.Between => "two values",
        CriteriaOperator.In or CriteriaOperator.NotIn => "a list of one or more values",
        CriteriaOperator.WithinLastDays or CriteriaOperator.MoreThanDaysAgo => "a whole number of days",
        _ => "one value",
    };

    /// <summary>Whether the operator matches exactly what another one does not (so empty values match it).</summary>
    public static bool IsNegative(CriteriaOperator op, out CriteriaOperator positive)
    {
        positive = op switch
        {
            CriteriaOperator.NotEquals => CriteriaOperator.Equals,
            CriteriaOperator.NotContains => CriteriaOperator.Contains,
            CriteriaOperator.NotIn => CriteriaOperator.In,
            CriteriaOperator.IsNotEmpty => CriteriaOperator.IsEmpty,
            _ => op,
        };
        return positive != op;
    }
}
