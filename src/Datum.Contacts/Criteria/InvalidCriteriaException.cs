namespace Datum.Contacts;

/// <summary>Where something is in a criteria: a line and column of the text form, or a JSON path of the JSON form.</summary>
public sealed record CriteriaLocation
{
    private CriteriaLocation(int line, int column, string? jsonPath)
    {
        Line = line;
        Column = column;
        JsonPath = jsonPath;
    }

    /// <summary>The 1-based line in the text form; 0 for a JSON location.</summary>
    public int Line { get; }

    /// <summary>The 1-based column (in UTF-16 characters) in the text form; 0 for a JSON location.</summary>
    public int Column { get; }

    /// <summary>The JSON path, such as <c>$.conditions[1].value</c>; null for a text location.</summary>
    public string? JsonPath { get; }

    /// <summary>A position in the text form.</summary>
    /// <param name="line">The 1-based line.</param>
    /// <param name="column">The 1-based column.</param>
    public static CriteriaLocation InText(int line, int column) => new(line, column, null);

    /// <summary>A position in the JSON form.</summary>
    /// <param name="path">The JSON path.</param>
    public static CriteriaLocation InJson(string path)
    {
        Guard.Against.NullOrEmpty(path);
        return new(0, 0, path);
    }

    /// <summary><c>line 1, column 12</c> or the JSON path.</summary>
    public override string ToString() => JsonPath ?? $"line {Line}, column {Column}";
}

/// <summary>One problem in a criteria.</summary>
/// <param name="Code">A stable code: <c>syntax_error</c>, <c>unknown_field</c>, <c>operator_not_applicable</c>, <c>invalid_value</c>, <c>limit_exceeded</c>...</param>
/// <param name="Message">What is wrong, for people.</param>
/// <param name="Location">Where; null when the criteria was built in code and the problem has no position.</param>
/// <param name="Token">The offending text, such as <c>"abc"</c> or <c>engagmentScore</c>; null when there is none (end of text).</param>
/// <param name="Expected">What would have been accepted there, such as <c>a date (yyyy-MM-dd)</c>.</param>
public sealed record CriteriaError(string Code, string Message, CriteriaLocation? Location, string? Token, string? Expected)
{
    /// <inheritdoc />
    public override string ToString() => Location is null ? Message : $"{Location}: {Message}";
}

/// <summary>A criteria could not be parsed or does not fit the field catalogue; <see cref="Errors"/> lists every problem found.</summary>
/// <remarks>The parsers raise only this exception for bad input, whatever the input is.</remarks>
public sealed class InvalidCriteriaException : ContactManagementException
{
    /// <summary>Creates the exception.</summary>
    /// <param name="errors">The problems found (at least one).</param>
    public InvalidCriteriaException(IReadOnlyList<CriteriaError> errors)
        : base("invalid_criteria", BuildMessage(errors))
    {
        Errors = errors;
    }

    /// <summary>Creates the exception from one problem.</summary>
    /// <param name="error">The problem.</param>
    public InvalidCriteriaException(CriteriaError error)
        : this([error ?? throw new ArgumentNullException(nameof(error))])
    {
    }

    /// <summary>Every problem found, in order of position.</summary>
    public IReadOnlyList<CriteriaError> Errors { get; }

    private static string BuildMessage(IReadOnlyList<CriteriaError> errors)
    {
        Guard.Against.Null(errors);
        Guard.Against.InvalidArgument(errors.Count == 0, "At least one error is required.", nameof(errors));

        return errors.Count == 1
            ? $"Invalid criteria: {errors[0]}"
            : $"Invalid criteria, {errors.Count} errors: " + string.Join("; ", errors);
    }
}

/// <summary>
/// Bounds on criteria, so a hostile or careless criteria cannot exhaust memory, stack or time. Part of
/// <see cref="ContactManagementOptions.Criteria"/>, checked at start-up.
/// </summary>
public sealed class CriteriaLimits
{
    /// <summary>The defaults.</summary>
    public static CriteriaLimits Default { get; } = new();

    /// <summary>Longest criteria text or JSON, in characters. Default 100,000; at most 10,000,000.</summary>
    public int MaxLength { get; set; } = 100_000;

    /// <summary>Deepest nesting of groups and <c>not</c>s (a single condition is depth 1). Default 32; at most <see cref="Criteria.MaxSupportedDepth"/>.</summary>
    public int MaxDepth { get; set; } = 32;

    /// <summary>
    /// The most conditions any criteria may have, whatever the options say: proven at this bound, joined by <c>and</c> or
    /// <c>or</c>, on every store (compiled and evaluated in memory, translated to SQL and run on SQLite and PostgreSQL).
    /// SQLite parses a chain of <c>or</c>s as a tree as deep as the chain and refuses one deeper than 1,000.
    /// </summary>
    public const int MaxSupportedConditions = 500;

    /// <summary>The most values one <c>in</c> list may have, whatever the options say (each may become a SQL parameter).</summary>
    public const int MaxSupportedListValues = 1_000;

    /// <summary>
    /// The most values all of a criteria's conditions may hold together, whatever the options say. A database store
    /// sends each value as a parameter: SQLite takes at most 32,766 in one statement and PostgreSQL 65,535. Proven at
    /// this bound on every store, in text and number lists.
    /// </summary>
    public const int MaxSupportedTotalListValues = 10_000;

    /// <summary>Most conditions in one criteria. Default 500; at most <see cref="MaxSupportedConditions"/>.</summary>
    public int MaxConditions { get; set; } = 500;

    /// <summary>Longest text value, in characters. Default 1,000; at most 1,000,000.</summary>
    public int MaxValueLength { get; set; } = 1_000;

    /// <summary>Most values in one <c>in</c> or <c>notIn</c> list. Default 1,000; at most <see cref="MaxSupportedListValues"/>.</summary>
    public int MaxListValues { get; set; } = 1_000;

    /// <summary>Most values of all conditions together (a plain condition counts one, an <c>in</c> list its values). Default 10,000; at most <see cref="MaxSupportedTotalListValues"/>.</summary>
    public int MaxTotalListValues { get; set; } = MaxSupportedTotalListValues;

    /// <summary>Most days in <c>withinLast</c> and <c>moreThan ... days ago</c>. Default 36,500 (100 years); at most 1,000,000.</summary>
    public int MaxDays { get; set; } = 36_500;

    /// <summary>The error for a criteria nested deeper than <see cref="MaxDepth"/>, as the parsers report it.</summary>
    internal CriteriaError TooDeep(CriteriaLocation location, string? token)
        => new("limit_exceeded", $"the criteria nests deeper than {MaxDepth} levels, the configured maximum", location, token, $"at most {MaxDepth} levels of nesting");

    /// <summary>The error for a criteria with more than <see cref="MaxConditions"/> conditions, as the parsers report it.</summary>
    internal CriteriaError TooManyConditions(CriteriaLocation location, string? token)
        => new("limit_exceeded", $"the criteria has more than {MaxConditions} conditions, the configured maximum", location, token, $"at most {MaxConditions} conditions");

    internal IEnumerable<string> Validate(string prefix)
    {
        static string? Check(string name, int value, int min, int max)
            => value < min || value > max ? $"{name} is {value}; it must be between {min} and {max}." : null;

        return new[]
        {
            Check($"{prefix}.{nameof(MaxLength)}", MaxLength, 1, 10_000_000),
            Check($"{prefix}.{nameof(MaxDepth)}", MaxDepth, 1, Criteria.MaxSupportedDepth),
            Check($"{prefix}.{nameof(MaxConditions)}", MaxConditions, 1, MaxSupportedConditions),
            Check($"{prefix}.{nameof(MaxValueLength)}", MaxValueLength, 1, 1_000_000),
            Check($"{prefix}.{nameof(MaxListValues)}", MaxListValues, 1, MaxSupportedListValues),
            Check($"{prefix}.{nameof(MaxTotalListValues)}", MaxTotalListValues, 1, MaxSupportedTotalListValues),
            Check($"{prefix}.{nameof(MaxDays)}", MaxDays, 1, 1_000_000),
        }.OfType<string>();
    }
}
