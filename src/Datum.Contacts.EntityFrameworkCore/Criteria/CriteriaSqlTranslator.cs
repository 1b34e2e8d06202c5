using System.Linq.Expressions;
using System.Reflection;
using Microsoft.EntityFrameworkCore;

namespace Datum.Contacts.EntityFrameworkCore;

/// <summary>
/// Rewrites a criteria's query expression (<see cref="CompiledCriteria.Expression"/>, over <see cref="Contact"/>)
/// into one over <see cref="ContactRow"/> that EF Core translates to SQL: contact properties become columns, times
/// become tick columns, tags, channels, social profiles and custom fields become EXISTS over their tables,
/// <c>memberOf("list")</c> becomes a subquery of the membership table, <c>consent.&lt;channel&gt;</c> one of the
/// consent table, and ordinal string calls become the overloads providers translate. Values stay member reads of
/// constant objects, so EF Core sends each as a parameter. Anything the rewrite does not know is refused, never evaluated in memory.
/// </summary>
internal sealed class CriteriaSqlTranslator : ExpressionVisitor
{
    private static readonly MethodInfo StringStartsWith = typeof(string).GetMethod(nameof(string.StartsWith), [typeof(string)])!;
    private static readonly MethodInfo StringEndsWith = typeof(string).GetMethod(nameof(string.EndsWith), [typeof(string)])!;
    private static readonly MethodInfo TagsContainFolded = typeof(TagSet).GetMethod(nameof(TagSet.ContainsFolded), BindingFlags.Instance | BindingFlags.NonPublic)!;
    private static readonly MethodInfo ChannelEnabled = typeof(ContactPreferences).GetMethod(nameof(ContactPreferences.IsEnabled))!;
    private static readonly MethodInfo EnumerableAnyWhere = typeof(Enumerable).GetMethods()
        .Single(m => m.Name == nameof(Enumerable.Any) && m.GetParameters().Length == 2);
    private static readonly MethodInfo EfParameter = typeof(EF).GetMethod(nameof(EF.Parameter))!;
    private static readonly MethodInfo EnumerableContains = typeof(Enumerable).GetMethods()
        .Single(m => m.Name == nameof(Enumerable.Contains) && m.GetParameters().Length == 2);

    /// <summary>
    /// A contact's status on the list with a name key, spelled as the criteria language spells it
    /// (<see cref="MemberOfCriteriaExtension.Name"/>). The memberships are the contact's (same tenant, by the foreign
    /// key), and their list the tenant's, so a list key never reaches another tenant's lists.
    /// </summary>
    private static readonly Expression<Func<ContactRow, string, string?>> MembershipStatusOf = (contact, listKey) => contact.Memberships
        .Where(m => m.List!.NameKey == listKey)
        .Select(m => m.Status == MembershipStatus.Active ? "active"
            : m.Status == MembershipStatus.Pending ? "pending"
            : m.Status == MembershipStatus.Unsubscribed ? "unsubscribed"
            : null)
        .FirstOrDefault();

    /// <summary>
    /// The state of a contact's channel-wide consent for a channel, spelled as the criteria language spells it
    /// (<see cref="ConsentCriteriaExtension.Name"/>), <c>none</c> when it has none. The consents are the contact's
    /// (same tenant, by the foreign key).
    /// </summary>
    private static readonly Expression<Func<ContactRow, string, string>> ConsentStateOf = (contact, channel) => contact.Consents
        .Where(c => c.Channel == channel && c.ListId == ConsentRow.ChannelWide)
        .Select(c => c.State == ConsentState.Pending ? "pending"
            : c.State == ConsentState.Granted ? "granted"
            : c.State == ConsentState.Withdrawn ? "withdrawn"
            : "none")
        .FirstOrDefault() ?? "none";

    private static readonly Dictionary<string, string> Columns = new(StringComparer.Ordinal)
    {
        [nameof(Contact.FoldedFirstName)] = nameof(ContactRow.FoldedFirstName),
        [nameof(Contact.FoldedLastName)] = nameof(ContactRow.FoldedLastName),
        [nameof(Contact.FoldedTitle)] = nameof(ContactRow.FoldedTitle),
        [nameof(Contact.FoldedCompany)] = nameof(ContactRow.FoldedCompany),
        [nameof(Contact.FoldedEmail)] = nameof(ContactRow.FoldedEmail),
        [nameof(Contact.FoldedPhone)] = nameof(ContactRow.FoldedPhone),
        [nameof(Contact.FoldedType)] = nameof(ContactRow.FoldedType),
        [nameof(Contact.FoldedTimeZone)] = nameof(ContactRow.FoldedTimeZone),
        [nameof(Contact.Status)] = nameof(ContactRow.Status),
        [nameof(Contact.Source)] = nameof(ContactRow.Source),
        [nameof(Contact.CreatedAt)] = nameof(ContactRow.CreatedAtTicks),
        [nameof(Contact.UpdatedAt)] = nameof(ContactRow.UpdatedAtTicks),
        [nameof(Contact.LastEngagementAt)] = nameof(ContactRow.LastEngagementAtTicks),
    };

    private readonly ParameterExpression _contact;
    private readonly ParameterExpression _row = Expression.Parameter(typeof(ContactRow), "contact");

    private CriteriaSqlTranslator(ParameterExpression contact) => _contact = contact;

    /// <summary>The criteria as a filter on contact rows.</summary>
    /// <exception cref="NotSupportedException">The expression holds something this store cannot run in SQL.</exception>
    public static Expression<Func<ContactRow, bool>> Translate(CompiledCriteria criteria)
    {
        var expression = criteria.Expression;
        var translator = new CriteriaSqlTranslator(expression.Parameters[0]);
        return Expression.Lambda<Func<ContactRow, bool>>(translator.Visit(expression.Body), translator._row);
    }

    protected override Expression VisitParameter(ParameterExpression node)
        => node == _contact
            ? throw Unsupported(node)
            : node;

    protected override Expression VisitMember(MemberExpression node)
    {
        if (node.Expression == _contact)
        {
            return Columns.TryGetValue(node.Member.Name, out var column)
                ? Expression.Property(_row, column)
                : throw Unsupported(node);
        }

        if (node.Expression is MemberExpression { Member.Name: nameof(Contact.Preferences) } preferences && preferences.Expression == _contact)
        {
            return node.Member.Name == nameof(ContactPreferences.Frequency)
                ? Expression.Property(_row, nameof(ContactRow.Frequency))
                : throw Unsupported(node);
        }

        if (node.Expression is MemberExpression { Member.Name: nameof(Contact.Tags) } tags && tags.Expression == _contact
            && node.Member.Name == nameof(TagSet.Count))
        {
            // tags isEmpty: compared with 0 by the builder; the count of tag rows is the same number.
            return Expression.Call(
                typeof(Enumerable).GetMethods().Single(m => m.Name == nameof(Enumerable.Count) && m.GetParameters().Length == 1).MakeGenericMethod(typeof(ContactTagRow)),
                Expression.Property(_row, nameof(ContactRow.Tags)));
        }

        return base.VisitMember(node);
    }

    protected override Expression VisitBinary(BinaryExpression node)
    {
        if (TimeColumn(node.Left) is { } left)
        {
            return Compare(node.NodeType, left, node.Right);
        }

        if (TimeColumn(node.Right) is { } right)
        {
            return Compare(Mirror(node.NodeType), right, node.Left);
        }

        if (node.NodeType is ExpressionType.Equal or ExpressionType.NotEqual && node.Left.Type == typeof(bool))
        {
            // "flag = true" as the flag itself: PostgreSQL plans a bare [NOT] EXISTS as a (semi/anti) join, while
            // "EXISTS (...) = @value" stays a subplan run per row. The value only picks the shape; it is not sent.
            var equal = node.NodeType == ExpressionType.Equal;
            if (BoolValue(node.Right) is { } rightFlag)
            {
                return Choose(Visit(node.Left), rightFlag == equal);
            }

            if (BoolValue(node.Left) is { } leftFlag)
            {
                return Choose(Visit(node.Right), leftFlag == equal);
            }
        }

        if (node.NodeType == ExpressionType.Equal && (MembershipIs(node.Left, node.Right) ?? MembershipIs(node.Right, node.Left)) is { } membership)
        {
            return membership;
        }

        if (node.NodeType is ExpressionType.Equal or ExpressionType.NotEqual && node.Left.Type == typeof(string)
            && (Unstorable(node.Left) || Unstorable(node.Right)))
        {
            return Expression.Constant(node.NodeType == ExpressionType.NotEqual);
        }

        return base.VisitBinary(node);
    }

    protected override Expression VisitMethodCall(MethodCallExpression node)
    {
        var method = node.Method;
        if (method == TagsContainFolded && IsContactMember(node.Object, nameof(Contact.Tags)))
        {
            if (Unstorable(node.Arguments[0]))
            {
                return Expression.Constant(false);
            }

            var tag = Expression.Parameter(typeof(ContactTagRow), "tag");
            var test = Expression.Equal(Expression.Property(tag, nameof(ContactTagRow.FoldedTag)), Visit(node.Arguments[0]));
            return Any(nameof(ContactRow.Tags), tag, test);
        }

        if (method == ChannelEnabled && node.Object is MemberExpression { Member.Name: nameof(Contact.Preferences) } preferences
            && preferences.Expression == _contact && node.Arguments[0] is ConstantExpression { Value: Channel channel })
        {
            // A channel is on unless the contact switched it off.
            var row = Expression.Parameter(typeof(ContactChannelRow), "channel");
            var off = Expression.AndAlso(
                Expression.Equal(Expression.Property(row, nameof(ContactChannelRow.Channel)), Parameter(channel.Value)),
                Expression.Not(Expression.Property(row, nameof(ContactChannelRow.Enabled))));
            return Expression.Not(Any(nameof(ContactRow.Channels), row, off));
        }

        if (method.IsGenericMethod && method.GetGenericMethodDefinition() == CriteriaRuntime.ValueTestMethod)
        {
            return KeyedTest(node);
        }

        if (method.DeclaringType == typeof(string) && node.Arguments.Count > 0 && Unstorable(node.Arguments[0]))
        {
            return Expression.Constant(false);
        }

        if (method.IsGenericMethod && method.GetGenericMethodDefinition() == EnumerableContains
            && method.GetGenericArguments()[0] == typeof(string) && Evaluate(node.Arguments[0]) is string[] texts)
        {
            // A text list (in, notIn) is one array parameter, whatever its length: no value is one statement variable.
            var storable = texts.All(Text.IsStorable) ? node.Arguments[0] : Parameter(texts.Where(Text.IsStorable).ToArray());
            return Expression.Call(method, OneParameter(storable), Visit(node.Arguments[1]));
        }

        if (method.DeclaringType == typeof(string) && method.Name is nameof(string.StartsWith) or nameof(string.EndsWith)
            && node.Arguments is [var operand, ConstantExpression { Value: StringComparison.Ordinal }])
        {
            // The folded value and operand are compared code unit by code unit; providers translate the one-argument
            // overload to an escaped LIKE or a substring comparison, which compare the same way on folded text.
            return Expression.Call(Visit(node.Object), method.Name == nameof(string.StartsWith) ? StringStartsWith : StringEndsWith, Visit(operand));
        }

        if (method.IsGenericMethod && method.GetGenericMethodDefinition() == EnumerableContains
            && method.GetGenericArguments()[0] == typeof(decimal))
        {
            return DecimalIn(node);
        }

        if (method == MemberOfCriteriaExtension.StatusOfMethod && node.Arguments[0] == _contact
            && node.Arguments[1] is ConstantExpression { Value: string listKey })
        {
            // memberOf("list"): the status of this contact's membership of the tenant's list with that name key, as a
            // correlated scalar subquery (null when the contact is not on the list, or there is no such list). A key no
            // stored name can have names no list.
            if (!Text.IsStorable(listKey))
            {
                return Expression.Constant(null, typeof(string));
            }

            var status = new Substitution(MembershipStatusOf.Parameters[0], _row).Visit(MembershipStatusOf.Body);
            return new Substitution(MembershipStatusOf.Parameters[1], Parameter(listKey)).Visit(status);
        }

        if (method == ConsentCriteriaExtension.StateOfMethod && node.Arguments[0] == _contact
            && node.Arguments[1] is ConstantExpression { Value: string channelSlug })
        {
            // consent.<channel>: the state of this contact's consent for the channel as a whole (no list), as a
            // correlated scalar subquery, "none" when there is no such consent.
            var state = new Substitution(ConsentStateOf.Parameters[0], _row).Visit(ConsentStateOf.Body);
            return new Substitution(ConsentStateOf.Parameters[1], Parameter(channelSlug)).Visit(state);
        }

        if (method.DeclaringType == typeof(CriteriaClock))
        {
            // Relative dates: a call on the constant clock, which EF Core evaluates once per query into a parameter.
            return node;
        }

        if (method.DeclaringType == typeof(string) || method.DeclaringType == typeof(Enumerable))
        {
            return base.VisitMethodCall(node);
        }

        throw Unsupported(node);
    }

    /// <summary>
    /// <c>memberOf("list") = "status"</c> as EXISTS over the contact's memberships (index (TenantId, ContactId)): a
    /// semi-join the planner runs in one pass whatever its statistics, where the status as a scalar subquery is one
    /// lookup per contact. A contact has at most one membership per list, so both say the same; null when
    /// <paramref name="read"/> is not a <c>memberOf</c> read or the value is not a status (the scalar form handles it).
    /// </summary>
    private MethodCallExpression? MembershipIs(Expression read, Expression value)
    {
        if (read is not MethodCallExpression { Arguments: [var contact, ConstantExpression { Value: string listKey }] } call
            || call.Method != MemberOfCriteriaExtension.StatusOfMethod || contact != _contact || !Text.IsStorable(listKey)
            || value is not MemberExpression { Member: FieldInfo, Expression: ConstantExpression } || Evaluate(value) is not string text)
        {
            return null;
        }

        MembershipStatus? status = text switch
        {
            "active" => MembershipStatus.Active,
            "pending" => MembershipStatus.Pending,
            "unsubscribed" => MembershipStatus.Unsubscribed,
            _ => null,
        };
        if (status is null)
        {
            return null;
        }

        var membership = Expression.Parameter(typeof(ListMembershipRow), "membership");
        var test = Expression.AndAlso(
            Expression.Equal(Expression.Property(Expression.Property(membership, nameof(ListMembershipRow.List)), nameof(ListRow.NameKey)), Parameter(listKey)),
            Expression.Equal(Expression.Property(membership, nameof(ListMembershipRow.Status)), Parameter(status.Value)));
        return Any(nameof(ContactRow.Memberships), membership, test);
    }

    /// <summary>
    /// <c>ValueTest(reader(contact, key), value => test, whenMissing)</c> as EXISTS over the value rows: a row for
    /// the key that passes the test, or, when a missing value passes, no row for the key that fails it.
    /// </summary>
    private Expression KeyedTest(MethodCallExpression node)
    {
        var reader = (MethodCallExpression)node.Arguments[0];
        var test = (LambdaExpression)node.Arguments[1];
        var whenMissing = (bool)((ConstantExpression)node.Arguments[2]).Value!;
        var key = (string)((ConstantExpression)reader.Arguments[1]).Value!;
        if (reader.Arguments[0] != _contact)
        {
            throw Unsupported(node);
        }

        ParameterExpression row;
        string collection;
        Expression keyMatches;
        Expression value;
        if (reader.Method == CriteriaRuntime.SocialProfileMethod)
        {
            row = Expression.Parameter(typeof(ContactSocialProfileRow), "profile");
            collection = nameof(ContactRow.SocialProfiles);
            keyMatches = Expression.Equal(Expression.Property(row, nameof(ContactSocialProfileRow.Network)), Parameter(key));
            value = Expression.Property(row, nameof(ContactSocialProfileRow.FoldedHandle));
        }
        else
        {
            row = Expression.Parameter(typeof(ContactCustomValueRow), "field");
            collection = nameof(ContactRow.CustomValues);
            keyMatches = Expression.Equal(Expression.Property(row, nameof(ContactCustomValueRow.Name)), Parameter(key));
            value = Expression.Property(row, reader.Method.Name switch
            {
                nameof(CriteriaRuntime.CustomText) => nameof(ContactCustomValueRow.FoldedText),
                nameof(CriteriaRuntime.CustomNumber) => nameof(ContactCustomValueRow.NumberValue),
                nameof(CriteriaRuntime.CustomBoolean) => nameof(ContactCustomValueRow.BooleanValue),
                nameof(CriteriaRuntime.CustomDate) => nameof(ContactCustomValueRow.DateValue),
                _ => throw Unsupported(reader),
            });
        }

        var body = Visit(new Substitution(test.Parameters[0], value).Visit(test.Body));
        return whenMissing
            ? Expression.Not(Any(collection, row, Expression.AndAlso(keyMatches, Expression.Not(body))))
            : Any(collection, row, Expression.AndAlso(keyMatches, body));
    }

    /// <summary>
    /// <c>in</c> on a number: one array parameter (EF Core's primitive collection: <c>json_each</c> on SQLite,
    /// <c>= ANY</c> on PostgreSQL) whose elements take the column's mapping, so on stores that keep numbers as sortable
    /// text they are sent in that text. Not one parameter per value: SQLite refuses an expression tree that deep.
    /// </summary>
    private Expression DecimalIn(MethodCallExpression node)
    {
        var values = (decimal[])Evaluate(node.Arguments[0])!;
        var value = Visit(node.Arguments[1]);
        if (value is MemberExpression { Member.Name: nameof(Nullable<decimal>.Value) } nullable && nullable.Expression is { } column)
        {
            value = column;
        }

        if (values.Length == 0)
        {
            return Expression.Constant(false);
        }

        var list = value.Type == typeof(decimal) ? Parameter(values) : Parameter(values.Select(v => (decimal?)v).ToArray());
        return Expression.Call(EnumerableContains.MakeGenericMethod(value.Type), OneParameter(list), value);
    }

    /// <summary>A collection EF Core sends as one array parameter, whatever the context's parameterized collection mode.</summary>
    private static MethodCallExpression OneParameter(Expression collection)
        => Expression.Call(EfParameter.MakeGenericMethod(collection.Type), collection);

    private static bool? BoolValue(Expression expression)
        => expression switch
        {
            ConstantExpression { Value: bool value } => value,
            MemberExpression { Member: FieldInfo, Expression: ConstantExpression } when expression.Type == typeof(bool) => (bool)Evaluate(expression)!,
            _ => null,
        };

    private static Expression Choose(Expression predicate, bool keep)
        => keep ? predicate : predicate is UnaryExpression { NodeType: ExpressionType.Not } not ? not.Operand : Expression.Not(predicate);

    private static bool Unstorable(Expression expression)
        => expression is MemberExpression { Member: FieldInfo, Expression: ConstantExpression } && expression.Type == typeof(string)
            && Evaluate(expression) is string text && !Text.IsStorable(text);

    private Expression? TimeColumn(Expression side)
    {
        var member = Unconvert(side) as MemberExpression;
        return member is not null && member.Expression == _contact
            && member.Member.Name is nameof(Contact.CreatedAt) or nameof(Contact.UpdatedAt) or nameof(Contact.LastEngagementAt)
            ? VisitMember(member)
            : null;
    }

    /// <summary>A time comparison on ticks. A comparison with a missing time is false, as in C#, even under <c>not</c>.</summary>
    private static BinaryExpression Compare(ExpressionType type, Expression column, Expression other)
    {
        var otherValue = Unconvert(other);
        if (otherValue is ConstantExpression { Value: null })
        {
            return type == ExpressionType.Equal
                ? Expression.Equal(column, Expression.Constant(null, column.Type))
                : Expression.NotEqual(column, Expression.Constant(null, column.Type));
        }

        Expression ticks = Expression.Property(otherValue, nameof(DateTimeOffset.UtcTicks));
        if (ticks.Type != column.Type)
        {
            ticks = Expression.Convert(ticks, column.Type);
        }

        var comparison = Expression.MakeBinary(type, column, ticks);
        return column.Type == typeof(long)
            ? comparison
            : Expression.AndAlso(Expression.NotEqual(column, Expression.Constant(null, column.Type)), comparison);
    }

    private static ExpressionType Mirror(ExpressionType type) => type switch
    {
        ExpressionType.GreaterThan => ExpressionType.LessThan,
        ExpressionType.GreaterThanOrEqual => ExpressionType.LessThanOrEqual,
        ExpressionType.LessThan => ExpressionType.GreaterThan,
        ExpressionType.LessThanOrEqual => ExpressionType.GreaterThanOrEqual,
        _ => type,
    };

    private static Expression Unconvert(Expression expression)
        => expression is UnaryExpression { NodeType: ExpressionType.Convert } convert ? Unconvert(convert.Operand) : expression;

    private bool IsContactMember(Expression? expression, string name)
        => expression is MemberExpression member && member.Expression == _contact && member.Member.Name == name;

    private MethodCallExpression Any(string collection, ParameterExpression row, Expression test)
        => Expression.Call(
            EnumerableAnyWhere.MakeGenericMethod(row.Type),
            Expression.Property(_row, collection),
            Expression.Lambda(test, row));

    private static MemberExpression Parameter<T>(T value)
        => Expression.Field(Expression.Constant(new CriteriaParameter<T>(value)), nameof(CriteriaParameter<T>.Value));

    /// <summary>The value of a parameter the builder made: a field of a constant object.</summary>
    private static object? Evaluate(Expression expression)
        => expression is MemberExpression { Member: FieldInfo field, Expression: ConstantExpression holder }
            ? field.GetValue(holder.Value)
            : throw Unsupported(expression);

    private static NotSupportedException Unsupported(Expression node)
        => new($"The EF Core store cannot translate this part of a criteria to SQL: {node}.");

    /// <summary>Replaces a lambda's parameter with the column it stands for.</summary>
    private sealed class Substitution(ParameterExpression from, Expression to) : ExpressionVisitor
    {
        protected override Expression VisitParameter(ParameterExpression node) => node == from ? to : node;
    }
}
