using System.Collections.Frozen;
using System.Globalization;

namespace Datum.Contacts;

internal abstract class BoundNode;

internal sealed class BoundGroup(CriteriaLogic logic, BoundNode[] items) : BoundNode
{
    public CriteriaLogic Logic { get; } = logic;

    public BoundNode[] Items { get; } = items;
}

internal sealed class BoundNot(BoundNode operand) : BoundNode
{
    public BoundNode Operand { get; } = operand;
}

/// <summary>
/// A type-checked condition with its values converted to the field's type. Negative operators are bound as
/// their positive form with <see cref="Negated"/> set, so "not equal" is exactly the complement of "equal".
/// </summary>
internal sealed class BoundCondition : BoundNode
{
    public required CriteriaCondition Source { get; init; }

    public required CatalogField Field { get; init; }

    /// <summary>The positive operator (never NotEquals, NotContains, NotIn or IsNotEmpty).</summary>
    public required CriteriaOperator Operator { get; init; }

    public bool Negated { get; init; }

    /// <summary>
    /// The converted values: folded strings (text, extension choices, tags), enum numbers (enum choices),
    /// decimals, bools, DateOnly values, or for date-time fields one <see cref="TimeRange"/>; whole days for
    /// relative operators.
    /// </summary>
    public required object[] Values { get; init; }

    /// <summary>For <c>in</c>: the values as a frozen set of the field's value type.</summary>
    public object? Set { get; init; }
}

/// <summary>A date-time condition as a half-open range [Lower, Upper); a null bound is unbounded.</summary>
internal readonly record struct TimeRange(DateTimeOffset? Lower, DateTimeOffset? Upper);

/// <summary>
/// Binds a parsed criteria to a catalogue: resolves every field, checks every operator applies, converts every
/// value, and re-checks the limits (a criteria built in code never went through a parser). Collects every
/// problem before throwing.
/// </summary>
internal sealed class CriteriaBinder
{
    private readonly CriteriaCatalog _catalog;
    private readonly CriteriaLimits _limits;
    private readonly List<CriteriaError> _errors = [];
    private CriteriaCondition? _current;

    // Values of every condition bound so far: each may become a SQL parameter, so their sum is bounded too.
    private int _listValues;

    private CriteriaBinder(CriteriaCatalog catalog, CriteriaLimits limits)
    {
        _catalog = catalog;
        _limits = limits;
    }

    public static BoundNode Bind(Criteria criteria, CriteriaCatalog catalog, CriteriaLimits limits)
    {
        var binder = new CriteriaBinder(catalog, limits);
        if (criteria.Depth > limits.MaxDepth)
        {
            binder.Fail("limit_exceeded", $"the criteria nests {criteria.Depth} levels deep; at most {limits.MaxDepth} are allowed", null, null, $"at most {limits.MaxDepth} levels of nesting");
        }

        if (criteria.ConditionCount > limits.MaxConditions)
        {
            binder.Fail("limit_exceeded", $"the criteria has {criteria.ConditionCount} conditions; at most {limits.MaxConditions} are allowed", null, null, $"at most {limits.MaxConditions} conditions");
        }

        var length = criteria.ToString().Length;
        if (length > limits.MaxLength)
        {
            binder.Fail("limit_exceeded", $"the criteria is {length} characters long as text; at most {limits.MaxLength} are allowed", null, null, $"at most {limits.MaxLength} characters");
        }

        if (binder._errors.Count > 0)
        {
            throw new InvalidCriteriaException(binder._errors);
        }

        var bound = binder.Node(criteria);
        if (binder._listValues > limits.MaxTotalListValues)
        {
            binder.Fail("limit_exceeded", $"the criteria's lists hold {binder._listValues} values in all; at most {limits.MaxTotalListValues} are allowed", null, null, $"at most {limits.MaxTotalListValues} list values in all");
        }

        return binder._errors.Count > 0 ? throw new InvalidCriteriaException(binder._errors) : bound;
    }

    private BoundNode Node(Criteria criteria) => criteria switch
    {
        CriteriaGroup group => new BoundGroup(group.Logic, [.. group.Items.Select(Node)]),
        CriteriaNot not => new BoundNot(Node(not.Operand)),
        _ => Condition((CriteriaCondition)criteria),
    };

    private BoundCondition Condition(CriteriaCondition condition)
    {
        _current = condition;
        if (condition.Field.Argument is { Length: var argumentLength } && argumentLength > _limits.MaxValueLength)
        {
            Fail("limit_exceeded", $"the list name is {argumentLength} characters long; at most {_limits.MaxValueLength} are allowed", condition.Location, CriteriaParser.Shorten(condition.Field.Argument), $"at most {_limits.MaxValueLength} characters");
            return Placeholder(condition);
        }

        var field = _catalog.Resolve(condition.Field);
        if (field is null)
        {
            UnknownField(condition);
            return Placeholder(condition);
        }

        if (!CriteriaCatalog.OperatorsOf(field.Type).Contains(condition.Operator))
        {
            var accepted = string.Join(", ", CriteriaCatalog.OperatorsOf(field.Type).Select(CriteriaOperators.Symbol));
            Fail(
                "operator_not_applicable",
                $"the operator {CriteriaOperators.Symbol(condition.Operator)} does not apply to {field.Name}, a {Describe(field.Type)} field; it takes {accepted}",
                condition.Location,
                CriteriaOperators.Symbol(condition.Operator),
                accepted);
            return Placeholder(condition);
        }

        var negated = CriteriaOperators.IsNegative(condition.Operator, out var op);
        _listValues += condition.Values.Count;
        if (condition.Values.Count > _limits.MaxListValues)
        {
            Fail("limit_exceeded", $"the list holds {condition.Values.Count} values; at most {_limits.MaxListValues} are allowed", condition.Location, null, $"at most {_limits.MaxListValues} values");
            return Placeholder(condition);
        }

        var errorsBefore = _errors.Count;
        object[] values;
        if (op is CriteriaOperator.WithinLastDays or CriteriaOperator.MoreThanDaysAgo)
        {
            values = [Days(condition.Values[0])];
        }
        else if (field.Type == CriteriaFieldType.DateTime && op != CriteriaOperator.IsEmpty)
        {
            values = [TimeRangeOf(field, op, condition.Values)];
        }
        else
        {
            values = [.. condition.Values.Select(v => Convert(field, v))];
        }

        if (_errors.Count > errorsBefore)
        {
            return Placeholder(condition);
        }

        if (op == CriteriaOperator.Between && !CheckRange(field, values, condition))
        {
            return Placeholder(condition);
        }

        return new BoundCondition
        {
            Source = condition,
            Field = field,
            Operator = op,
            Negated = negated,
            Values = values,
            Set = op == CriteriaOperator.In ? SetOf(field, values) : null,
        };
    }

    private static BoundCondition Placeholder(CriteriaCondition condition)
        => new() { Source = condition, Field = new CatalogField(condition.Field.ToString(), CriteriaFieldType.Text, FieldAccess.FirstName, true), Operator = CriteriaOperator.IsEmpty, Values = [] };

    private object Convert(CatalogField field, CriteriaValue value)
    {
        if (value.Kind == CriteriaValueKind.Text && value.Text!.Length > _limits.MaxValueLength)
        {
            return Invalid(value, $"the text value is {value.Text.Length} characters long; at most {_limits.MaxValueLength} are allowed", $"at most {_limits.MaxValueLength} characters", "limit_exceeded");
        }

        switch (field.Type)
        {
            case CriteriaFieldType.Text:
            case CriteriaFieldType.Tags:
                return value.Kind == CriteriaValueKind.Text
                    ? Text.Fold(field.Type == CriteriaFieldType.Tags ? value.Text!.Trim() : value.Text!)
                    : Invalid(value, $"{field.Name} is a text field: {value} is not text", "text in double quotes");
            case CriteriaFieldType.Choice:
                var choices = field.Choices;
                var folded = value.Kind == CriteriaValueKind.Text ? Text.Fold(value.Text!) : null;
                var match = folded is null ? null : choices.FirstOrDefault(c => string.Equals(Text.Fold(c), folded, StringComparison.Ordinal));
                var expected = "one of " + string.Join(", ", choices.Select(c => $"\"{c}\""));
                if (match is null)
                {
                    return Invalid(value, $"{field.Name} is a choice field: {value} is not {expected}", expected);
                }

                return field.EnumType is { } enumType
                    ? (int)Enum.Parse(enumType, match, ignoreCase: true)
                    : Text.Fold(match);
            case CriteriaFieldType.Number:
                if (value.Kind == CriteriaValueKind.Number)
                {
                    return value.Number;
                }

                return value.Kind == CriteriaValueKind.Text
                       && decimal.TryParse(value.Text, NumberStyles.AllowLeadingSign | NumberStyles.AllowDecimalPoint, CultureInfo.InvariantCulture, out var number)
                    ? CustomFieldValue.WithoutTrailingZeros(number)
                    : Invalid(value, $"{field.Name} is a number field: {value} is not a number", "a number such as 42 or -1.5");
            case CriteriaFieldType.Boolean:
                if (value.Kind == CriteriaValueKind.Boolean)
                {
                    return value.Boolean;
                }

                return value.Kind == CriteriaValueKind.Text && bool.TryParse(value.Text, out var flag)
                    ? flag
                    : Invalid(value, $"{field.Name} is a true/false field: {value} is not true or false", "true or false");
            default:
                // Date: a calendar date only.
                return value.Kind == CriteriaValueKind.Text && CriteriaDates.TryParseDate(value.Text!, out var date)
                    ? date
                    : Invalid(value, $"{field.Name} is a date field: {value} is not a date (yyyy-MM-dd)", "a date such as 2025-01-31");
        }
    }

    /// <summary>
    /// Turns a date-time comparison into a half-open range. A date means its whole UTC day, so
    /// <c>createdAt = 2025-01-01</c> is that day, <c>&gt; 2025-01-01</c> starts the day after, <c>&lt;= 2025-01-01</c> ends with it.
    /// </summary>
    private object TimeRangeOf(CatalogField field, CriteriaOperator op, IReadOnlyList<CriteriaValue> values)
    {
        // Each value is a span [Start, End); End is null for the span that ends with time itself.
        var spans = new (DateTimeOffset Start, DateTimeOffset? End)[values.Count];
        for (var i = 0; i < values.Count; i++)
        {
            var value = values[i];
            if (value.Kind == CriteriaValueKind.Text && value.Text!.Length <= 64 && CriteriaDates.TryParseDate(value.Text, out var date))
            {
                spans[i] = (CriteriaDates.StartOf(date), date == DateOnly.MaxValue ? null : CriteriaDates.StartOf(date.AddDays(1)));
            }
            else if (value.Kind == CriteriaValueKind.Text && value.Text!.Length <= 64 && CriteriaDates.TryParseDateTime(value.Text, out var time))
            {
                spans[i] = (time, time.UtcTicks == DateTimeOffset.MaxValue.UtcTicks ? null : time.AddTicks(1));
            }
            else
            {
                return Invalid(value, $"{field.Name} is a date-time field: {value} is not a date (yyyy-MM-dd) or an ISO 8601 date-time", "a date such as 2025-01-31 or a date-time such as 2025-01-31T08:00:00Z");
            }
        }

        return op switch
        {
            CriteriaOperator.Equals => new TimeRange(spans[0].Start, spans[0].End),
            CriteriaOperator.GreaterThan => spans[0].End is { } end ? new TimeRange(end, null) : Nothing,
            CriteriaOperator.GreaterThanOrEqual => new TimeRange(spans[0].Start, null),
            CriteriaOperator.LessThan => new TimeRange(null, spans[0].Start),
            CriteriaOperator.LessThanOrEqual => new TimeRange(null, spans[0].End),
            _ => new TimeRange(spans[0].Start, spans[1].End), // Between
        };
    }

    /// <summary>A range no instant lies in: before the beginning of time.</summary>
    private static readonly TimeRange Nothing = new(null, DateTimeOffset.MinValue);

    private object Days(CriteriaValue value)
    {
        if (value.Kind != CriteriaValueKind.Number || value.Number < 0 || value.Number != decimal.Truncate(value.Number))
        {
            Fail("invalid_value", $"the number of days must be a whole number, 0 or more; found {value}", value.Location ?? _current?.Location, value.ToString(), "a whole number of days");
            return 0;
        }

        if (value.Number > _limits.MaxDays)
        {
            Fail("limit_exceeded", $"{value} days is more than the configured maximum of {_limits.MaxDays}", value.Location ?? _current?.Location, value.ToString(), $"at most {_limits.MaxDays} days");
            return 0;
        }

        return (int)value.Number;
    }

    private bool CheckRange(CatalogField field, object[] values, CriteriaCondition condition)
    {
        var empty = values switch
        {
            [TimeRange range] => range.Lower is { } low && range.Upper is { } high && low >= high,
            [decimal low, decimal high] => low > high,
            [DateOnly low, DateOnly high] => low > high,
            _ => false,
        };
        if (empty)
        {
            Fail("empty_range", $"between on {field.Name}: the first value {condition.Values[0]} is after the second {condition.Values[1]}, so nothing could match", condition.Values[0].Location ?? condition.Location, condition.Values[0].ToString(), "the lower value first");
        }

        return !empty;
    }

    private static object SetOf(CatalogField field, object[] values) => field.Type switch
    {
        CriteriaFieldType.Number => values.Cast<decimal>().ToFrozenSet(),
        CriteriaFieldType.Date => values.Cast<DateOnly>().ToFrozenSet(),
        CriteriaFieldType.Choice when field.EnumType is not null => values.Cast<int>().Aggregate(0, (mask, v) => mask | (1 << v)),
        _ => values.Cast<string>().ToFrozenSet(StringComparer.Ordinal),
    };

    private void UnknownField(CriteriaCondition condition)
    {
        var field = condition.Field;
        if (CriteriaCatalog.IsExtensionNamespace(field) && _catalog.Resolve(field) is null)
        {
            var ns = field.Argument is not null ? "memberOf" : "consent";
            var provider = ns == "memberOf" ? "list support" : "consent support";
            Fail(
                "unknown_field",
                $"{field} is not available: {provider} is not registered for criteria, or has no such {(ns == "memberOf" ? "list" : "channel")}",
                condition.Location,
                field.ToString(),
                "a field of the catalogue");
            return;
        }

        var suggestion = Suggest(field.Path);
        Fail(
            "unknown_field",
            $"unknown field '{CriteriaParser.Shorten(field.ToString())}'" + (suggestion is null ? string.Empty : $"; did you mean '{suggestion}'?"),
            condition.Location,
            field.ToString(),
            "a standard field (firstName, lastName, email, status, tags, createdAt...), customFields.<declared name>, preferences.channels.<channel> or socialProfiles.<network>");
    }

    private string? Suggest(string name)
    {
        string? best = null;
        var bestDistance = int.MaxValue;
        foreach (var candidate in _catalog.KnownNames)
        {
            var distance = Distance(name.ToLowerInvariant(), candidate.ToLowerInvariant());
            var bare = candidate.StartsWith("customFields.", StringComparison.Ordinal)
                ? Distance(name.ToLowerInvariant(), candidate["customFields.".Length..].ToLowerInvariant())
                : int.MaxValue;
            distance = Math.Min(distance, bare);
            if (distance < bestDistance)
            {
                (best, bestDistance) = (candidate, distance);
            }
        }

        return bestDistance <= Math.Max(1, name.Length / 4) ? best : null;
    }

    private static int Distance(string a, string b)
    {
        if (Math.Abs(a.Length - b.Length) > 3)
        {
            return int.MaxValue;
        }

        var previous = new int[b.Length + 1];
        var current = new int[b.Length + 1];
        for (var j = 0; j <= b.Length; j++)
        {
            previous[j] = j;
        }

        for (var i = 1; i <= a.Length; i++)
        {
            current[0] = i;
            for (var j = 1; j <= b.Length; j++)
            {
                current[j] = Math.Min(Math.Min(current[j - 1] + 1, previous[j] + 1), previous[j - 1] + (a[i - 1] == b[j - 1] ? 0 : 1));
            }

            (previous, current) = (current, previous);
        }

        return previous[b.Length];
    }

    private int Invalid(CriteriaValue value, string message, string expected, string code = "invalid_value")
    {
        Fail(code, message, value.Location ?? _current?.Location, CriteriaParser.Shorten(value.ToString()), expected);
        return 0;
    }

    private void Fail(string code, string message, CriteriaLocation? location, string? token, string? expected)
        => _errors.Add(new CriteriaError(code, message, location, token, expected));

    private static string Describe(CriteriaFieldType type) => type switch
    {
        CriteriaFieldType.Text => "text",
        CriteriaFieldType.Choice => "choice",
        CriteriaFieldType.Number => "number",
        CriteriaFieldType.Boolean => "true/false",
        CriteriaFieldType.Date => "date",
        CriteriaFieldType.DateTime => "date-time",
        _ => "tags",
    };
}
