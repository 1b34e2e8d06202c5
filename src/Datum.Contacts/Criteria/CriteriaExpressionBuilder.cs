using System.Collections.Frozen;
using System.Linq.Expressions;
using System.Reflection;
using System.Runtime.CompilerServices;

namespace Datum.Contacts;

/// <summary>A constant a query provider turns into a query parameter: a read-only field on a constant object, as a closure would be.</summary>
/// <typeparam name="T">The value type.</typeparam>
internal sealed class CriteriaParameter<T>(T value)
{
    public readonly T Value = value;
}

/// <summary>Tests <c>source[start..end]</c>, writes the matches' offsets from <c>start</c> into <c>hits</c> (finding scans only), and returns how many matched.</summary>
internal delegate int CriteriaScan(Contact[] source, int[]? hits);

/// <summary>
/// Turns a bound criteria into an expression tree over <see cref="Contact"/>. Two flavours: for a query provider
/// (values as parameters, no blocks, sets as arrays) and for an in-process delegate (one call per condition to a
/// small non-inlined helper that reads the field once, enum sets as bit masks).
/// </summary>
/// <remarks>
/// The tree only reads contact properties, compares, and calls the few helpers of <see cref="CriteriaRuntime"/>
/// and <see cref="CriteriaClock"/>; nothing in a criteria chooses a member or a method.
/// </remarks>
internal sealed class CriteriaExpressionBuilder(TimeProvider clock, bool forQuery)
{
    private static readonly PropertyInfo[] ContactProperties = typeof(Contact).GetProperties(BindingFlags.Instance | BindingFlags.Public | BindingFlags.NonPublic);
    private static readonly MethodInfo StringContains = typeof(string).GetMethod(nameof(string.Contains), [typeof(string)])!;
    private static readonly MethodInfo StringStartsWith = typeof(string).GetMethod(nameof(string.StartsWith), [typeof(string), typeof(StringComparison)])!;
    private static readonly MethodInfo StringEndsWith = typeof(string).GetMethod(nameof(string.EndsWith), [typeof(string), typeof(StringComparison)])!;
    private static readonly MethodInfo StringIsNullOrEmpty = typeof(string).GetMethod(nameof(string.IsNullOrEmpty), [typeof(string)])!;
    private static readonly MethodInfo TagsContain = typeof(TagSet).GetMethod(nameof(TagSet.ContainsFolded), BindingFlags.Instance | BindingFlags.NonPublic)!;
    private static readonly MethodInfo ChannelEnabled = typeof(ContactPreferences).GetMethod(nameof(ContactPreferences.IsEnabled))!;
    private static readonly MethodInfo EnumerableContains = typeof(Enumerable).GetMethods()
        .Single(m => m.Name == nameof(Enumerable.Contains) && m.GetParameters().Length == 2);

    private readonly ParameterExpression _contact = Expression.Parameter(typeof(Contact), "contact");

    public Expression<Func<Contact, bool>> Build(BoundNode node) => Expression.Lambda<Func<Contact, bool>>(Node(node), _contact);

    /// <summary>
    /// A scan over <c>source[start..end]</c> with the test inside the loop, so the JIT compiles the conditions
    /// into the loop body instead of calling a delegate per contact (a compiled delegate cannot be inlined).
    /// It returns the count of matches, and writes their offsets from <c>start</c> into <c>hits</c> when <paramref name="find"/>.
    /// </summary>
    /// <param name="node">The criteria.</param>
    /// <param name="find">Whether the scan writes the matches' offsets (<c>hits</c> must then be long enough) or only counts them.
    /// Counting adds the test's outcome instead of branching on it, which the JIT compiles without a branch: a
    /// mispredicted branch would also throw away the loads of the next contacts already under way.</param>
    public Expression<CriteriaScan> BuildScan(BoundNode node, bool find)
    {
        // for (index = 0; index < source.Length; index++): the shape in which the JIT drops the bounds check.
        // No explicit null test either: reading a field of a null contact throws, and CompiledCriteria turns that
        // into an ArgumentException naming the position.
        var source = Expression.Parameter(typeof(Contact[]), "source");
        var hits = Expression.Parameter(typeof(int[]), "hits");
        var index = Expression.Variable(typeof(int), "index");
        var count = Expression.Variable(typeof(int), "count");
        var done = Expression.Label(typeof(int), "done");
        var loop = Expression.Loop(
            Expression.Block(
                Expression.IfThen(Expression.GreaterThanOrEqual(index, Expression.ArrayLength(source)), Expression.Break(done, count)),
                Expression.Assign(_contact, Expression.ArrayIndex(source, index)),
                find
                    ? Expression.IfThen(
                        Node(node),
                        Expression.Block(
                            Expression.Assign(Expression.ArrayAccess(hits, count), index),
                            Expression.PreIncrementAssign(count)))
                    : Expression.AddAssign(count, Expression.Condition(Node(node), Expression.Constant(1), Expression.Constant(0))),
                Expression.PreIncrementAssign(index)),
            done);
        var body = Expression.Block(
            typeof(int),
            [index, count, _contact],
            Expression.Assign(index, Expression.Constant(0)),
            Expression.Assign(count, Expression.Constant(0)),
            loop);
        return Expression.Lambda<CriteriaScan>(body, source, hits);
    }

    private Expression Node(BoundNode node) => node switch
    {
        BoundGroup group => Balanced(group.Items.Select(Node).ToList(), group.Logic == CriteriaLogic.And ? Expression.AndAlso : Expression.OrElse),
        BoundNot not => Expression.Not(Node(not.Operand)),
        _ => Condition((BoundCondition)node),
    };

    /// <summary>
    /// Joins a group's tests as a balanced tree, depth log2(n), not a left-deep chain of n: every walk over the expression
    /// (the compiler's, EF Core's, a store's SQL translation) then recurses a few dozen levels, never thousands.
    /// </summary>
    /// <param name="items">The tests, in order (the order of evaluation is kept).</param>
    /// <param name="join">AndAlso or OrElse.</param>
    internal static Expression Balanced(IReadOnlyList<Expression> items, Func<Expression, Expression, BinaryExpression> join)
    {
        var level = items.ToList();
        while (level.Count > 1)
        {
            var next = new List<Expression>((level.Count + 1) / 2);
            for (var i = 0; i + 1 < level.Count; i += 2)
            {
                next.Add(join(level[i], level[i + 1]));
            }

            if (level.Count % 2 == 1)
            {
                next.Add(level[^1]);
            }

            level = next;
        }

        return level[0];
    }

    private Expression Condition(BoundCondition condition)
    {
        var body = !forQuery ? FastTest(condition)
            : condition.Field.Access is FieldAccess.Social or FieldAccess.Custom ? KeyedTest(condition)
            : Test(condition, Access(condition.Field));
        return condition.Negated ? Expression.Not(body) : body;
    }

    /// <summary>
    /// A condition on a keyed value (a social profile or custom field) for query providers:
    /// <c>CriteriaRuntime.ValueTest(reader(contact, key), value => test, whenMissing)</c>. A provider that keeps
    /// such values in rows of their own turns it into an EXISTS over those rows, and needs to know, without
    /// running the test, what it gives when the contact has no value: only <c>isEmpty</c> holds then.
    /// </summary>
    private MethodCallExpression KeyedTest(BoundCondition condition)
    {
        var read = Access(condition.Field);
        var value = Expression.Parameter(read.Type, "value");
        var test = Expression.Lambda(Test(condition, value), value);
        var whenMissing = condition.Operator == CriteriaOperator.IsEmpty;
        return Expression.Call(CriteriaRuntime.ValueTestMethod.MakeGenericMethod(read.Type), read, test, Expression.Constant(whenMissing));
    }

    /// <summary>
    /// The in-process test: one call to a small helper that takes the contact itself, reads the field and
    /// compares, and that the JIT does not inline into the compiled delegate. Compiling an expression costs
    /// mostly JIT time, and inlined string, hash-set, date-time and property code is what makes it slow
    /// (TagSet.Contains alone costs milliseconds), while a direct call costs a nanosecond at run time.
    /// </summary>
    private Expression FastTest(BoundCondition condition)
    {
        var field = condition.Field;
        var values = condition.Values;
        var op = condition.Operator;
        var contact = _contact;
        var access = Expression.Constant(field.Access);
        var key = Expression.Constant(field.Key, typeof(string));
        switch (field.Type)
        {
            case CriteriaFieldType.Text:
                return op switch
                {
                    CriteriaOperator.In => Runtime(nameof(CriteriaRuntime.TextIn), contact, access, key, Expression.Constant(condition.Set)),
                    CriteriaOperator.IsEmpty => Runtime(nameof(CriteriaRuntime.TextIsEmpty), contact, access, key),
                    _ => Runtime(nameof(CriteriaRuntime.TextTest), contact, access, key, Expression.Constant(op), Expression.Constant((string)values[0])),
                };
            case CriteriaFieldType.Choice:
                // Enum comparisons and bit masks compile cheaply inline; extension fields are plain expressions.
                return Test(condition, Access(field));
            case CriteriaFieldType.Tags:
                return op == CriteriaOperator.Has
                    ? Runtime(nameof(CriteriaRuntime.TagsHave), contact, Expression.Constant((string)values[0]))
                    : Runtime(nameof(CriteriaRuntime.TagsAreEmpty), contact);
            case CriteriaFieldType.Boolean when field.Access == FieldAccess.Channel:
                return Runtime(nameof(CriteriaRuntime.ChannelTest), contact, Expression.Constant(Channel.Parse(field.Key)), Expression.Constant(op), Expression.Constant(values.Length > 0 && (bool)values[0]));
            case CriteriaFieldType.Boolean:
                return Runtime(nameof(CriteriaRuntime.BooleanTest), contact, key, Expression.Constant(op), Expression.Constant(values.Length > 0 && (bool)values[0]));
            case CriteriaFieldType.Number:
                return op == CriteriaOperator.In
                    ? Runtime(nameof(CriteriaRuntime.NumberIn), contact, key, Expression.Constant(condition.Set))
                    : Runtime(nameof(CriteriaRuntime.NumberTest), contact, key, Expression.Constant(op), Expression.Constant(values.Length > 0 ? (decimal)values[0] : 0m), Expression.Constant(values.Length > 1 ? (decimal)values[1] : 0m));
            case CriteriaFieldType.Date:
                return op switch
                {
                    CriteriaOperator.In => Runtime(nameof(CriteriaRuntime.DateIn), contact, key, Expression.Constant(condition.Set)),
                    CriteriaOperator.WithinLastDays or CriteriaOperator.MoreThanDaysAgo
                        => Runtime(nameof(CriteriaRuntime.DateRelative), contact, key, Expression.Constant(op), Expression.Constant(clock, typeof(TimeProvider)), Expression.Constant((int)values[0])),
                    _ => Runtime(nameof(CriteriaRuntime.DateTest), contact, key, Expression.Constant(op), Expression.Constant(values.Length > 0 ? (DateOnly)values[0] : default), Expression.Constant(values.Length > 1 ? (DateOnly)values[1] : default)),
                };
            default:
                if (op == CriteriaOperator.IsEmpty)
                {
                    return Runtime(nameof(CriteriaRuntime.TimeIsEmpty), contact, access);
                }

                if (op is CriteriaOperator.WithinLastDays or CriteriaOperator.MoreThanDaysAgo)
                {
                    return Runtime(nameof(CriteriaRuntime.TimeRelative), contact, access, Expression.Constant(op), Expression.Constant(clock, typeof(TimeProvider)), Expression.Constant((int)values[0]));
                }

                var range = (TimeRange)values[0];
                return Runtime(
                    nameof(CriteriaRuntime.TimeInRange),
                    contact,
                    access,
                    Expression.Constant(range.Lower?.UtcTicks ?? long.MinValue),
                    Expression.Constant(range.Upper?.UtcTicks ?? long.MaxValue));
        }
    }

    private static MethodCallExpression Runtime(string method, params Expression[] arguments)
        => Expression.Call(typeof(CriteriaRuntime).GetMethod(method, BindingFlags.Static | BindingFlags.Public)!, arguments);

    private Expression Access(CatalogField field)
    {
        var contact = _contact;
        return field.Access switch
        {
            FieldAccess.FirstName => Property(contact, nameof(Contact.FoldedFirstName)),
            FieldAccess.LastName => Property(contact, nameof(Contact.FoldedLastName)),
            FieldAccess.Title => Property(contact, nameof(Contact.FoldedTitle)),
            FieldAccess.Company => Property(contact, nameof(Contact.FoldedCompany)),
            FieldAccess.Email => Property(contact, nameof(Contact.FoldedEmail)),
            FieldAccess.Phone => Property(contact, nameof(Contact.FoldedPhone)),
            FieldAccess.Type => Property(contact, nameof(Contact.FoldedType)),
            FieldAccess.TimeZone => Property(contact, nameof(Contact.FoldedTimeZone)),
            FieldAccess.Social => Expression.Call(CriteriaRuntime.SocialProfileMethod, contact, Expression.Constant(field.Key)),
            FieldAccess.Status => Property(contact, nameof(Contact.Status)),
            FieldAccess.Source => Property(contact, nameof(Contact.Source)),
            FieldAccess.Frequency => Expression.Property(Property(contact, nameof(Contact.Preferences)), nameof(ContactPreferences.Frequency)),
            FieldAccess.Channel => Expression.Call(Property(contact, nameof(Contact.Preferences)), ChannelEnabled, Expression.Constant(Channel.Parse(field.Key))),
            FieldAccess.Tags => Property(contact, nameof(Contact.Tags)),
            FieldAccess.CreatedAt => Property(contact, nameof(Contact.CreatedAt)),
            FieldAccess.UpdatedAt => Property(contact, nameof(Contact.UpdatedAt)),
            FieldAccess.LastEngagementAt => Property(contact, nameof(Contact.LastEngagementAt)),
            FieldAccess.Custom => Expression.Call(CriteriaRuntime.CustomFieldMethod(field.Type), contact, Expression.Constant(field.Key)),
            _ => new ParameterReplacer(field.Extension!.Value.Parameters[0], contact).Visit(field.Extension.Value.Body),
        };
    }

    private static MemberExpression Property(Expression contact, string name)
        => Expression.Property(contact, ContactProperties.Single(p => p.Name == name));

    private Expression Test(BoundCondition condition, Expression value)
    {
        var values = condition.Values;
        switch (condition.Field.Type)
        {
            case CriteriaFieldType.Text:
            case CriteriaFieldType.Choice when condition.Field.EnumType is null:
                return condition.Operator switch
                {
                    CriteriaOperator.Equals => Expression.Equal(value, Value((string)values[0])),
                    CriteriaOperator.Contains => NotNullAnd(value, Expression.Call(value, StringContains, Value((string)values[0]))),
                    CriteriaOperator.StartsWith => NotNullAnd(value, Expression.Call(value, StringStartsWith, Value((string)values[0]), Expression.Constant(StringComparison.Ordinal))),
                    CriteriaOperator.EndsWith => NotNullAnd(value, Expression.Call(value, StringEndsWith, Value((string)values[0]), Expression.Constant(StringComparison.Ordinal))),
                    CriteriaOperator.In => NotNullAnd(value, In<string>(condition, value)),
                    _ => Expression.Call(StringIsNullOrEmpty, value), // IsEmpty
                };
            case CriteriaFieldType.Choice:
                return condition.Operator switch
                {
                    CriteriaOperator.Equals => Expression.Equal(value, Typed(Enum.ToObject(condition.Field.EnumType!, (int)values[0]), value.Type)),
                    CriteriaOperator.In => EnumIn(condition, value),
                    _ => IsNull(value),
                };
            case CriteriaFieldType.Tags:
                return condition.Operator == CriteriaOperator.Has
                    ? Expression.Call(value, TagsContain, Value((string)values[0]))
                    : Expression.Equal(Expression.Property(value, nameof(TagSet.Count)), Expression.Constant(0));
            case CriteriaFieldType.DateTime:
                return condition.Operator switch
                {
                    CriteriaOperator.IsEmpty => IsNull(value),
                    CriteriaOperator.WithinLastDays => Expression.AndAlso(
                        Expression.GreaterThanOrEqual(value, Lift(Clock(nameof(CriteriaClock.DaysAgo), (int)values[0]), value.Type)),
                        Expression.LessThanOrEqual(value, Lift(Clock(nameof(CriteriaClock.Now), null), value.Type))),
                    CriteriaOperator.MoreThanDaysAgo => Expression.LessThan(value, Lift(Clock(nameof(CriteriaClock.DaysAgo), (int)values[0]), value.Type)),
                    _ => Range(value, (TimeRange)values[0]),
                };
            default:
                // Number, Boolean, Date: typed comparisons; a missing value fails each of them.
                return condition.Operator switch
                {
                    CriteriaOperator.IsEmpty => IsNull(value),
                    CriteriaOperator.Equals => Expression.Equal(value, Typed(values[0], value.Type)),
                    CriteriaOperator.GreaterThan => Expression.GreaterThan(value, Typed(values[0], value.Type)),
                    CriteriaOperator.GreaterThanOrEqual => Expression.GreaterThanOrEqual(value, Typed(values[0], value.Type)),
                    CriteriaOperator.LessThan => Expression.LessThan(value, Typed(values[0], value.Type)),
                    CriteriaOperator.LessThanOrEqual => Expression.LessThanOrEqual(value, Typed(values[0], value.Type)),
                    CriteriaOperator.Between => Expression.AndAlso(
                        Expression.GreaterThanOrEqual(value, Typed(values[0], value.Type)),
                        Expression.LessThanOrEqual(value, Typed(values[1], value.Type))),
                    CriteriaOperator.WithinLastDays => Expression.AndAlso(
                        Expression.GreaterThanOrEqual(value, Lift(Clock(nameof(CriteriaClock.TodayMinus), (int)values[0]), value.Type)),
                        Expression.LessThanOrEqual(value, Lift(Clock(nameof(CriteriaClock.Today), null), value.Type))),
                    CriteriaOperator.MoreThanDaysAgo => Expression.LessThan(value, Lift(Clock(nameof(CriteriaClock.TodayMinus), (int)values[0]), value.Type)),
                    _ => condition.Field.Type == CriteriaFieldType.Number ? NullableIn<decimal>(condition, value) : NullableIn<DateOnly>(condition, value),
                };
        }
    }

    private Expression Range(Expression value, TimeRange range)
    {
        Expression? test = null;
        if (range.Lower is { } lower)
        {
            test = Expression.GreaterThanOrEqual(value, Typed(lower, value.Type));
        }

        if (range.Upper is { } upper)
        {
            var below = Expression.LessThan(value, Typed(upper, value.Type));
            test = test is null ? below : Expression.AndAlso(test, below);
        }

        // No bound at all (up to the end of time): any present value.
        return test ?? Expression.Not(IsNull(value));
    }

    private MethodCallExpression In<T>(BoundCondition condition, Expression value)
        where T : notnull
    {
        if (forQuery)
        {
            var array = condition.Values.Cast<T>().ToArray();
            return Expression.Call(EnumerableContains.MakeGenericMethod(typeof(T)), Parameter(array), value);
        }

        var set = (FrozenSet<T>)condition.Set!;
        return Expression.Call(Expression.Constant(set), typeof(FrozenSet<T>).GetMethod(nameof(FrozenSet<T>.Contains))!, value);
    }

    private Expression NullableIn<T>(BoundCondition condition, Expression value)
        where T : struct
    {
        var present = value.Type == typeof(T) ? value : Expression.Property(value, nameof(Nullable<T>.Value));
        var test = In<T>(condition, present);
        return value.Type == typeof(T) ? test : Expression.AndAlso(Expression.Property(value, nameof(Nullable<T>.HasValue)), test);
    }

    private Expression EnumIn(BoundCondition condition, Expression value)
    {
        var enumType = condition.Field.EnumType!;
        var nullable = value.Type != enumType;
        var present = nullable ? Expression.Property(value, "Value") : value;
        Expression test;
        if (forQuery)
        {
            var array = Array.CreateInstance(enumType, condition.Values.Length);
            for (var i = 0; i < condition.Values.Length; i++)
            {
                array.SetValue(Enum.ToObject(enumType, (int)condition.Values[i]), i);
            }

            test = Expression.Call(EnumerableContains.MakeGenericMethod(enumType), ParameterOf(array, array.GetType()), present);
        }
        else
        {
            // One read, one shift: the enum's bit in the mask of accepted values.
            var bit = Expression.RightShift(Expression.Constant((int)condition.Set!), Expression.Convert(present, typeof(int)));
            test = Expression.NotEqual(Expression.And(bit, Expression.Constant(1)), Expression.Constant(0));
        }

        return nullable ? Expression.AndAlso(Expression.Property(value, "HasValue"), test) : test;
    }

    private static BinaryExpression NotNullAnd(Expression value, Expression test)
        => Expression.AndAlso(Expression.NotEqual(value, Expression.Constant(null, typeof(string))), test);

    private static Expression IsNull(Expression value)
        => value.Type.IsValueType && Nullable.GetUnderlyingType(value.Type) is null
            ? Expression.Constant(false)
            : Expression.Equal(value, Expression.Constant(null, value.Type));

    private MethodCallExpression Clock(string method, int? days)
    {
        var info = typeof(CriteriaClock).GetMethod(method, BindingFlags.Static | BindingFlags.Public)!;
        var clockConstant = Expression.Constant(clock, typeof(TimeProvider));
        return days is { } n ? Expression.Call(info, clockConstant, Expression.Constant(n)) : Expression.Call(info, clockConstant);
    }

    private static Expression Lift(Expression expression, Type type) => expression.Type == type ? expression : Expression.Convert(expression, type);

    private Expression Value(string text) => forQuery ? Parameter(text) : Expression.Constant(text, typeof(string));

    private Expression Typed(object value, Type type)
    {
        var underlying = Nullable.GetUnderlyingType(type) ?? type;
        Expression constant = forQuery ? ParameterOf(value, underlying) : Expression.Constant(value, underlying);
        return Lift(constant, type);
    }

    private static MemberExpression ParameterOf(object value, Type type)
    {
        var holder = Activator.CreateInstance(typeof(CriteriaParameter<>).MakeGenericType(type), value)!;
        return Expression.Field(Expression.Constant(holder), "Value");
    }

    private static MemberExpression Parameter<T>(T value)
        => Expression.Field(Expression.Constant(new CriteriaParameter<T>(value)), nameof(CriteriaParameter<T>.Value));

    private sealed class ParameterReplacer(ParameterExpression from, Expression to) : ExpressionVisitor
    {
        protected override Expression VisitParameter(ParameterExpression node) => node == from ? to : node;
    }
}

/// <summary>
/// The helpers compiled criteria call. The readers (social profiles, custom fields) appear in query expressions
/// too, and store adapters that translate criteria to SQL map them to their own columns; the tests appear only
/// in in-process delegates. None is inlined, which keeps compiling a criteria cheap (see the builder).
/// </summary>
internal static class CriteriaRuntime
{
    [MethodImpl(MethodImplOptions.NoInlining)]
    public static bool TextTest(Contact contact, FieldAccess field, string? key, CriteriaOperator op, string operand)
    {
        var value = ReadText(contact, field, key);
        return value is not null && op switch
        {
            CriteriaOperator.Equals => string.Equals(value, operand, StringComparison.Ordinal),
            CriteriaOperator.Contains => value.Contains(operand, StringComparison.Ordinal),
            CriteriaOperator.StartsWith => value.StartsWith(operand, StringComparison.Ordinal),
            _ => value.EndsWith(operand, StringComparison.Ordinal),
        };
    }

    [MethodImpl(MethodImplOptions.NoInlining)]
    public static bool TextIn(Contact contact, FieldAccess field, string? key, FrozenSet<string> set)
        => ReadText(contact, field, key) is { } value && set.Contains(value);

    [MethodImpl(MethodImplOptions.NoInlining)]
    public static bool TextIsEmpty(Contact contact, FieldAccess field, string? key) => string.IsNullOrEmpty(ReadText(contact, field, key));

    [MethodImpl(MethodImplOptions.NoInlining)]
    public static bool TagsHave(Contact contact, string folded) => contact.Tags.ContainsFolded(folded);

    [MethodImpl(MethodImplOptions.NoInlining)]
    public static bool TagsAreEmpty(Contact contact) => contact.Tags.Count == 0;

    [MethodImpl(MethodImplOptions.NoInlining)]
    public static bool BooleanTest(Contact contact, string name, CriteriaOperator op, bool operand)
    {
        var value = CustomBoolean(contact, name);
        return op == CriteriaOperator.IsEmpty ? value is null : value == operand;
    }

    [MethodImpl(MethodImplOptions.NoInlining)]
    public static bool ChannelTest(Contact contact, Channel channel, CriteriaOperator op, bool operand)
        => op != CriteriaOperator.IsEmpty && contact.Preferences.IsEnabled(channel) == operand;

    [MethodImpl(MethodImplOptions.NoInlining)]
    public static bool NumberTest(Contact contact, string name, CriteriaOperator op, decimal low, decimal high)
        => Compare(CustomNumber(contact, name), op, low, high);

    [MethodImpl(MethodImplOptions.NoInlining)]
    public static bool NumberIn(Contact contact, string name, FrozenSet<decimal> set) => CustomNumber(contact, name) is { } v && set.Contains(v);

    [MethodImpl(MethodImplOptions.NoInlining)]
    public static bool DateTest(Contact contact, string name, CriteriaOperator op, DateOnly low, DateOnly high)
        => Compare(CustomDate(contact, name), op, low, high);

    [MethodImpl(MethodImplOptions.NoInlining)]
    public static bool DateIn(Contact contact, string name, FrozenSet<DateOnly> set) => CustomDate(contact, name) is { } v && set.Contains(v);

    [MethodImpl(MethodImplOptions.NoInlining)]
    public static bool DateRelative(Contact contact, string name, CriteriaOperator op, TimeProvider clock, int days)
        => CustomDate(contact, name) is { } v && (op == CriteriaOperator.WithinLastDays
            ? v >= CriteriaClock.TodayMinus(clock, days) && v <= CriteriaClock.Today(clock)
            : v < CriteriaClock.TodayMinus(clock, days));

    /// <summary>Whether the instant lies in [lower, upper) by UTC ticks.</summary>
    [MethodImpl(MethodImplOptions.NoInlining)]
    public static bool TimeInRange(Contact contact, FieldAccess field, long lower, long upper)
        => ReadTime(contact, field) is { } v && v.UtcTicks >= lower && v.UtcTicks < upper;

    [MethodImpl(MethodImplOptions.NoInlining)]
    public static bool TimeIsEmpty(Contact contact, FieldAccess field) => ReadTime(contact, field) is null;

    [MethodImpl(MethodImplOptions.NoInlining)]
    public static bool TimeRelative(Contact contact, FieldAccess field, CriteriaOperator op, TimeProvider clock, int days)
    {
        if (ReadTime(contact, field) is not { } v)
        {
            return false;
        }

        var since = CriteriaClock.DaysAgo(clock, days);
        return op == CriteriaOperator.WithinLastDays ? v >= since && v <= CriteriaClock.Now(clock) : v < since;
    }

    /// <summary>An ordered comparison, isEmpty, or between (both ends included); a missing value fails all but isEmpty.</summary>
    private static bool Compare<T>(T? value, CriteriaOperator op, T low, T high)
        where T : struct, IComparable<T>
    {
        if (op == CriteriaOperator.IsEmpty)
        {
            return value is null;
        }

        if (value is not { } v)
        {
            return false;
        }

        var toLow = v.CompareTo(low);
        return op switch
        {
            CriteriaOperator.Equals => toLow == 0,
            CriteriaOperator.GreaterThan => toLow > 0,
            CriteriaOperator.GreaterThanOrEqual => toLow >= 0,
            CriteriaOperator.LessThan => toLow < 0,
            CriteriaOperator.LessThanOrEqual => toLow <= 0,
            _ => toLow >= 0 && v.CompareTo(high) <= 0, // Between
        };
    }

    private static string? ReadText(Contact contact, FieldAccess field, string? key) => field switch
    {
        FieldAccess.FirstName => contact.FoldedFirstName,
        FieldAccess.LastName => contact.FoldedLastName,
        FieldAccess.Title => contact.FoldedTitle,
        FieldAccess.Company => contact.FoldedCompany,
        FieldAccess.Email => contact.FoldedEmail,
        FieldAccess.Phone => contact.FoldedPhone,
        FieldAccess.Type => contact.FoldedType,
        FieldAccess.TimeZone => contact.FoldedTimeZone,
        FieldAccess.Social => SocialProfile(contact, key!),
        _ => CustomText(contact, key!),
    };

    private static DateTimeOffset? ReadTime(Contact contact, FieldAccess field) => field switch
    {
        FieldAccess.CreatedAt => contact.CreatedAt,
        FieldAccess.UpdatedAt => contact.UpdatedAt,
        _ => contact.LastEngagementAt,
    };

    /// <summary>The <see cref="ValueTest{T}"/> method definition.</summary>
    public static readonly MethodInfo ValueTestMethod = typeof(CriteriaRuntime).GetMethod(nameof(ValueTest))!;

    /// <summary>
    /// A keyed value's test in query expressions: <paramref name="whenMissing"/> when the contact has no value,
    /// else the test. Evaluating it in process checks that <paramref name="whenMissing"/> is what the test says.
    /// </summary>
    public static bool ValueTest<T>(T value, Func<T, bool> test, bool whenMissing) => value is null ? whenMissing : test(value);

    public static readonly MethodInfo SocialProfileMethod = typeof(CriteriaRuntime).GetMethod(nameof(SocialProfile))!;

    public static MethodInfo CustomFieldMethod(CriteriaFieldType type) => typeof(CriteriaRuntime).GetMethod(type switch
    {
        CriteriaFieldType.Text => nameof(CustomText),
        CriteriaFieldType.Number => nameof(CustomNumber),
        CriteriaFieldType.Boolean => nameof(CustomBoolean),
        _ => nameof(CustomDate),
    })!;

    /// <summary>The folded value of a social profile, or null.</summary>
    public static string? SocialProfile(Contact contact, string network)
        => contact.FoldedSocialProfiles.TryGetValue(network, out var value) ? value : null;

    /// <summary>The folded text of a text custom field, or null.</summary>
    public static string? CustomText(Contact contact, string name)
        => contact.CustomFields.TryGetValue(name, out var value) && value.Type == CustomFieldType.Text ? value.FoldedText : null;

    /// <summary>The number of a number custom field, or null.</summary>
    public static decimal? CustomNumber(Contact contact, string name)
        => contact.CustomFields.TryGetValue(name, out var value) && value.Type == CustomFieldType.Number ? value.NumberValue : null;

    /// <summary>The flag of a boolean custom field, or null.</summary>
    public static bool? CustomBoolean(Contact contact, string name)
        => contact.CustomFields.TryGetValue(name, out var value) && value.Type == CustomFieldType.Boolean ? value.BooleanValue : null;

    /// <summary>The date of a date custom field, or null.</summary>
    public static DateOnly? CustomDate(Contact contact, string name)
        => contact.CustomFields.TryGetValue(name, out var value) && value.Type == CustomFieldType.Date ? value.DateValue : null;
}
