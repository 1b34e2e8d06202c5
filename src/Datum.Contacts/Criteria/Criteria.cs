using System.Text.Json.Serialization;

namespace Datum.Contacts;

/// <summary>
/// A criteria of the contact criteria language: an immutable tree of conditions joined by <c>and</c>,
/// <c>or</c> and <c>not</c>. Parse it from text (<see cref="Parse(string, CriteriaLimits?)"/>) or JSON
/// (<see cref="ParseJson(string, CriteriaLimits?)"/>); both forms give equal trees, and <see cref="ToString"/>
/// and <see cref="ToJson"/> print it back in canonical form. Compile it with <see cref="ICriteriaCompiler"/>.
/// </summary>
/// <remarks>
/// Equality is structural: two criteria are equal when they have the same shape, fields, operators and values,
/// wherever they were parsed from. Field names are compared case-insensitively; values exactly.
/// </remarks>
[JsonConverter(typeof(CriteriaJsonConverter))]
public abstract class Criteria : IEquatable<Criteria>
{
    /// <summary>The deepest tree that can be built at all, whatever the options say; keeps every walk over a tree shallow.</summary>
    public const int MaxSupportedDepth = 256;

    private string? _text;
    private int _hash;

    private protected Criteria(int depth, int conditionCount)
    {
        if (depth > MaxSupportedDepth)
        {
            throw new ArgumentException($"A criteria may be nested at most {MaxSupportedDepth} levels deep.");
        }

        Depth = depth;
        ConditionCount = conditionCount;
    }

    /// <summary>How deeply the tree nests: 1 for a single condition, one more per group or <c>not</c> around it.</summary>
    public int Depth { get; }

    /// <summary>How many conditions the tree holds.</summary>
    public int ConditionCount { get; }

    /// <summary>Parses the text form, such as <c>status = "active" and tags has "vip"</c>.</summary>
    /// <param name="text">The criteria text.</param>
    /// <param name="limits">The bounds to enforce; null for <see cref="CriteriaLimits"/> defaults.</param>
    /// <exception cref="InvalidCriteriaException">The text is not a criteria or exceeds a bound; the error names the line and column.</exception>
    public static Criteria Parse(string text, CriteriaLimits? limits = null)
    {
        Guard.Against.Null(text);
        return CriteriaParser.Parse(text, limits ?? CriteriaLimits.Default);
    }

    /// <summary>Parses the JSON form: the RFC's <c>{ "logic", "conditions" }</c> shape, with nested groups and <c>{ "not": ... }</c>.</summary>
    /// <param name="json">The criteria JSON.</param>
    /// <param name="limits">The bounds to enforce; null for <see cref="CriteriaLimits"/> defaults.</param>
    /// <exception cref="InvalidCriteriaException">The JSON is not a criteria or exceeds a bound; the error names the JSON path.</exception>
    public static Criteria ParseJson(string json, CriteriaLimits? limits = null)
    {
        Guard.Against.Null(json);
        return CriteriaJson.Parse(json, limits ?? CriteriaLimits.Default);
    }

    /// <summary>All of <paramref name="items"/> must hold. A single item is returned as it is.</summary>
    /// <param name="items">At least one criteria.</param>
    public static Criteria And(params Criteria[] items) => Group(CriteriaLogic.And, items);

    /// <summary>At least one of <paramref name="items"/> must hold. A single item is returned as it is.</summary>
    /// <param name="items">At least one criteria.</param>
    public static Criteria Or(params Criteria[] items) => Group(CriteriaLogic.Or, items);

    /// <summary>Negates a criteria.</summary>
    /// <param name="operand">The criteria to negate.</param>
    public static Criteria Not(Criteria operand) => new CriteriaNot(operand);

    /// <summary>Joins criteria with one logic. A single item is returned as it is.</summary>
    /// <param name="logic">And or or.</param>
    /// <param name="items">At least one criteria.</param>
    public static Criteria Group(CriteriaLogic logic, IReadOnlyList<Criteria> items)
    {
        Guard.Against.Null(items);
        return items.Count == 1 ? items[0] ?? throw new ArgumentException("An item is null.", nameof(items)) : new CriteriaGroup(logic, items);
    }

    /// <summary>A condition on one field.</summary>
    /// <param name="field">The field, such as <c>status</c>, <c>customFields.score</c> or <c>memberOf("VIP")</c>.</param>
    /// <param name="op">The operator.</param>
    /// <param name="values">The values: none for <c>isEmpty</c>/<c>isNotEmpty</c>, two for <c>between</c>, one or more for <c>in</c>/<c>notIn</c>, one otherwise.</param>
    public static CriteriaCondition Condition(CriteriaField field, CriteriaOperator op, params CriteriaValue[] values)
        => new(field, op, values);

    /// <summary>The canonical text form; parsing it gives an equal criteria.</summary>
    public override string ToString() => _text ??= CriteriaPrinter.Print(this);

    /// <summary>The canonical JSON form; parsing it gives an equal criteria. The root is always a <c>{ "logic", "conditions" }</c> group.</summary>
    /// <param name="indented">Whether to indent the JSON for people.</param>
    public string ToJson(bool indented = false) => CriteriaJson.Write(this, indented);

    /// <inheritdoc />
    public bool Equals(Criteria? other)
        => ReferenceEquals(this, other) || (other is not null && other.GetHashCode() == GetHashCode() && EqualsCore(other));

    /// <inheritdoc />
    public override bool Equals(object? obj) => obj is Criteria other && Equals(other);

    /// <inheritdoc />
    /// <remarks>
    /// Computed once, when the node is built, from its children's (the tree is immutable): the compiler's cache finds an
    /// equal criteria parsed anew with one lookup, and two trees of different hashes differ without a walk.
    /// </remarks>
    public sealed override int GetHashCode() => _hash;

    /// <summary>Structural equality with a criteria of the same hash.</summary>
    private protected abstract bool EqualsCore(Criteria other);

    /// <summary>Sets the structural hash; each node's constructor calls it last.</summary>
    private protected void SetHash(int hash) => _hash = hash;

    /// <summary>Structural equality.</summary>
    /// <param name="left">The first criteria.</param>
    /// <param name="right">The second criteria.</param>
    public static bool operator ==(Criteria? left, Criteria? right) => left is null ? right is null : left.Equals(right);

    /// <summary>Structural inequality.</summary>
    /// <param name="left">The first criteria.</param>
    /// <param name="right">The second criteria.</param>
    public static bool operator !=(Criteria? left, Criteria? right) => !(left == right);
}

/// <summary>How the items of a group combine.</summary>
public enum CriteriaLogic
{
    /// <summary>Every item must hold.</summary>
    And = 0,

    /// <summary>At least one item must hold.</summary>
    Or = 1,
}

/// <summary>Two or more criteria joined by one logic.</summary>
public sealed class CriteriaGroup : Criteria
{
    internal CriteriaGroup(CriteriaLogic logic, IReadOnlyList<Criteria> items)
        : base(Checked(logic, items).Max(i => i.Depth) + 1, items.Sum(i => i.ConditionCount))
    {
        Logic = logic;
        _items = [.. items];
        Items = Array.AsReadOnly(_items);
        var hash = new HashCode();
        hash.Add(logic);
        foreach (var item in _items)
        {
            hash.Add(item.GetHashCode());
        }

        SetHash(hash.ToHashCode());
    }

    private readonly Criteria[] _items;

    /// <summary>And or or.</summary>
    public CriteriaLogic Logic { get; }

    /// <summary>The items, in order (two or more).</summary>
    public IReadOnlyList<Criteria> Items { get; }

    /// <inheritdoc />
    private protected override bool EqualsCore(Criteria other)
        => other is CriteriaGroup group && group.Logic == Logic && group._items.AsSpan().SequenceEqual(_items);

    private static IReadOnlyList<Criteria> Checked(CriteriaLogic logic, IReadOnlyList<Criteria> items)
    {
        Guard.Against.UndefinedEnum(logic, "Unknown logic.");

        Guard.Against.InvalidArgument(items.Count < 2, "A group needs at least two items.", nameof(items));

        Guard.Against.InvalidArgument(items.Any(i => i is null), "An item is null.", nameof(items));

        return items;
    }
}

/// <summary>The negation of a criteria.</summary>
public sealed class CriteriaNot : Criteria
{
    internal CriteriaNot(Criteria operand)
        : base((operand ?? throw new ArgumentNullException(nameof(operand))).Depth + 1, operand.ConditionCount)
    {
        Operand = operand;
        SetHash(HashCode.Combine(typeof(CriteriaNot), operand.GetHashCode()));
    }

    /// <summary>The negated criteria.</summary>
    public Criteria Operand { get; }

    /// <inheritdoc />
    private protected override bool EqualsCore(Criteria other) => other is CriteriaNot not && not.Operand.Equals(Operand);

}

/// <summary>One test on one field: <c>field operator values</c>.</summary>
public sealed class CriteriaCondition : Criteria
{
    internal CriteriaCondition(CriteriaField field, CriteriaOperator op, IReadOnlyList<CriteriaValue> values, CriteriaLocation? location = null)
        : base(1, 1)
    {
        Guard.Against.Null(field);
        Guard.Against.Null(values);
        Guard.Against.UndefinedEnum(op, "Unknown operator.");

        Guard.Against.InvalidArgument(values.Any(v => v is null), "A value is null.", nameof(values));

        var (min, max) = CriteriaOperators.Arity(op);
        if (values.Count < min || values.Count > max)
        {
            throw new ArgumentException($"The operator {CriteriaOperators.Name(op)} takes {CriteriaOperators.DescribeArity(op)}.", nameof(values));
        }

        Field = field;
        Operator = op;
        _values = [.. values];
        Values = Array.AsReadOnly(_values);
        Location = location;
        var hash = new HashCode();
        hash.Add(field);
        hash.Add(op);
        foreach (var value in _values)
        {
            hash.Add(value);
        }

        SetHash(hash.ToHashCode());
    }

    private readonly CriteriaValue[] _values;

    /// <summary>The field tested.</summary>
    public CriteriaField Field { get; }

    /// <summary>The operator.</summary>
    public CriteriaOperator Operator { get; }

    /// <summary>The values compared with: none, one, two (<c>between</c>) or a list (<c>in</c>, <c>notIn</c>).</summary>
    public IReadOnlyList<CriteriaValue> Values { get; }

    /// <summary>Where the condition starts in the parsed text or JSON; null when built in code. Not part of equality.</summary>
    public CriteriaLocation? Location { get; }

    /// <inheritdoc />
    private protected override bool EqualsCore(Criteria other)
        => other is CriteriaCondition condition
           && condition.Field.Equals(Field)
           && condition.Operator == Operator
           && condition._values.AsSpan().SequenceEqual(_values);
}
