using Microsoft.Extensions.Time.Testing;
using System.Globalization;
using System.Linq.Dynamic.Core;
using System.Linq.Dynamic.Core.CustomTypeProviders;
using System.Text;
using FsCheck;
using FsCheck.Fluent;
using FsCheck.Xunit;
using static Datum.Contacts.Tests.CriteriaLanguage.CriteriaGenerators;

namespace Datum.Contacts.Tests.CriteriaLanguage;

/// <summary>
/// System.Linq.Dynamic.Core as an independent oracle of the criteria language: random criteria from a subset both
/// languages express, each printed in both syntaxes, must select the same random contacts through our compiled
/// criteria and through Dynamic LINQ's parsed and compiled lambda over <see cref="Contact"/>'s public members.
/// </summary>
/// <remarks>
/// The subset: <c>=</c>, <c>!=</c>, <c>startsWith</c>, <c>endsWith</c>, <c>contains</c> on text fields; number
/// comparisons on a number custom field; date-time comparisons with instants and whole UTC days; <c>status</c>
/// (<c>=</c>, <c>!=</c>, <c>in</c>); <c>tags has</c>; a channel flag; and <c>and</c>/<c>or</c>/<c>not</c> groups.
/// Our documented choices are written out on the Dynamic LINQ side: text compares on the case-folded form (NFC,
/// then invariant lower case), so the field is written <c>F.ToLowerInvariant().Normalize()</c> (contact text is
/// already NFC) against a literal folded the same way, with ordinal <c>StartsWith</c>/<c>EndsWith</c>; a missing
/// value fails every positive comparison and <c>!=</c> is its exact complement, so each condition is
/// <c>(F != null &amp;&amp; test)</c> and <c>!=</c> is <c>!(...)</c>; a date on a date-time field is that whole UTC day.
/// Dynamic LINQ is a test dependency only: the library never references it (see the README).
/// </remarks>
public sealed class DynamicLinqOraclePropertyTests
{
    private static readonly CriteriaCompiler Compiler = new(clock: new FakeTimeProvider(Now));

    private static readonly ParsingConfig DynamicLinqConfig = CreateConfig();

    /// <summary>
    /// Our compiled criteria and Dynamic LINQ select the same contacts. 200 cases of 10 contacts each (about a second);
    /// a failure prints both texts, the contact, and the seed to pass to <c>Replay</c>.
    /// </summary>
    [Property(MaxTest = 200, Arbitrary = [typeof(OracleArbitraries)])]
    public void Our_compiled_criteria_and_Dynamic_Linq_select_the_same_contacts(OracleCase @case)
    {
        var compiled = Compiler.Compile(Criteria.Parse(@case.Ours), Schema);
        var oracle = ((System.Linq.Expressions.Expression<Func<Contact, bool>>)DynamicExpressionParser.ParseLambda(
            DynamicLinqConfig, typeof(Contact), typeof(bool), @case.DynamicLinq)).Compile();
        foreach (var contact in @case.Contacts)
        {
            var ours = compiled.Predicate(contact);
            var theirs = oracle(contact);
            Assert.True(
                ours == theirs,
                $"ours: {@case.Ours}{Environment.NewLine}Dynamic LINQ: {@case.DynamicLinq}{Environment.NewLine}on {Describe(contact)}: ours {ours}, Dynamic LINQ {theirs}");
        }
    }

    /// <summary>The generators reach both outcomes often, or the property above would say little.</summary>
    [Fact]
    public void The_oracle_cases_select_some_contacts_and_leave_others()
    {
        var outcomes = new int[2];
        foreach (var @case in OracleArbitraries.Cases().Generator.Sample(100, 50))
        {
            var compiled = Compiler.Compile(Criteria.Parse(@case.Ours), Schema);
            foreach (var contact in @case.Contacts)
            {
                outcomes[compiled.Predicate(contact) ? 1 : 0]++;
            }
        }

        Assert.True(outcomes.Min() > outcomes.Sum() / 10, $"matches {outcomes[1]}, misses {outcomes[0]}");
    }

    /// <summary>A criteria in both syntaxes, and contacts to try it on.</summary>
    /// <param name="Ours">Our text form.</param>
    /// <param name="DynamicLinq">The same criteria in Dynamic LINQ's text over <see cref="Contact"/>.</param>
    /// <param name="Contacts">The contacts.</param>
    public sealed record OracleCase(string Ours, string DynamicLinq, Contact[] Contacts)
    {
        /// <inheritdoc />
        public override string ToString() => $"ours: {Ours} | Dynamic LINQ: {DynamicLinq} | over {Contacts.Length} contacts";
    }

    /// <summary>The arbitrary of <see cref="OracleCase"/>, for <see cref="PropertyAttribute.Arbitrary"/>.</summary>
    public static class OracleArbitraries
    {
        /// <summary>Random criteria of the shared subset, in both syntaxes, with 10 random contacts.</summary>
        public static Arbitrary<OracleCase> Cases() =>
            (from pair in Tree(3)
             from contacts in RandomContacts().ArrayOf(10)
             select new OracleCase(pair.Ours.ToString(), pair.DynamicLinq, [.. contacts.Select(c => c.Build())])).ToArbitrary();
    }

    // ------------------------------------------------------------------------------------------------
    // Generators of (our criteria, Dynamic LINQ text) pairs.
    // ------------------------------------------------------------------------------------------------

    private readonly record struct Pair(Criteria Ours, string DynamicLinq);

    /// <summary>Our field, the member that is null when the value is missing, and the member holding the text.</summary>
    private static readonly (string Field, string Owner, string Member)[] TextFields =
    [
        ("firstName", "FirstName", "FirstName"), ("lastName", "LastName", "LastName"), ("title", "Title", "Title"),
        ("company", "Company", "Company"), ("email", "Email", "Email.Value"), ("type", "Type", "Type.Value.Value"), // ContactType? is a nullable struct
    ];

    private static readonly string[] TextValues =
    [
        "ada", "ADA", "Ada Lovelace", "özlem", "ÖZ", "straße", "STRASSE", "STRAßE", "école", "ÉCOLE", "E\u0301COLE", "Жанна",
        "e", "a", "acme", "ACME Industries", "@example.com", "example", "client", "prospect", "chief", "CEO", "zoë", "ada@", ".mil",
    ];

    private static readonly decimal[] Numbers = [-1.5m, 0m, 0.5m, 1m, 9.99m, 10m, 10.5m, 42m, 100m];

    private static readonly string[] Instants =
        ["2025-01-01T00:00:00Z", "2025-01-01T08:00:00Z", "2025-01-02T00:00:00Z", "2025-03-14T09:26:53Z", "2025-03-15T00:00:00Z", "2025-02-12T09:26:53Z"];

    private static readonly DateOnly[] Days = [new(2025, 1, 1), new(2025, 1, 2), new(2025, 3, 13), new(2025, 3, 14), new(2025, 3, 15)];

    private static Gen<Pair> Tree(int depth)
    {
        if (depth == 0)
        {
            return Condition();
        }

        var smaller = Tree(depth - 1);
        var group = from count in Gen.Choose(2, 3)
                    from items in smaller.ArrayOf(count)
                    from and in Gen.Elements(true, false)
                    select new Pair(
                        Criteria.Group(and ? CriteriaLogic.And : CriteriaLogic.Or, [.. items.Select(i => i.Ours)]),
                        "(" + string.Join(and ? " && " : " || ", items.Select(i => i.DynamicLinq)) + ")");
        var not = smaller.Select(p => new Pair(Criteria.Not(p.Ours), "!(" + p.DynamicLinq + ")"));
        return Gen.Frequency((4, Condition()), (1, not), (2, group));
    }

    private static Gen<Pair> Condition() => Gen.Frequency(
        (4, TextCondition()),
        (2, NumberCondition()),
        (3, TimeCondition()),
        (2, StatusCondition()),
        (1, TagCondition()),
        (1, ChannelCondition()));

    private static Pair Make(string field, CriteriaOperator op, string dynamicLinq, params CriteriaValue[] values)
        => new(Criteria.Condition(CriteriaField.Of(field), op, values), dynamicLinq);

    private static Gen<Pair> TextCondition() =>
        from field in Gen.Elements(TextFields)
        from op in Gen.Elements(CriteriaOperator.Equals, CriteriaOperator.NotEquals, CriteriaOperator.StartsWith, CriteriaOperator.EndsWith, CriteriaOperator.Contains)
        from value in Gen.Elements(TextValues)
        select Make(field.Field, op, TextTest(field.Owner, field.Member, op, value), CriteriaValue.Of(value));

    private static string TextTest(string owner, string member, CriteriaOperator op, string value)
    {
        var folded = Literal(Fold(value));
        var read = member + ".ToLowerInvariant().Normalize()";
        var test = op switch
        {
            CriteriaOperator.StartsWith => $"{read}.StartsWith({folded}, StringComparison.Ordinal)",
            CriteriaOperator.EndsWith => $"{read}.EndsWith({folded}, StringComparison.Ordinal)",
            CriteriaOperator.Contains => $"{read}.Contains({folded})",
            _ => $"{read} == {folded}",
        };
        var present = $"({owner} != null && {test})";
        return op == CriteriaOperator.NotEquals ? "!" + present : present;
    }

    private static Gen<Pair> NumberCondition() =>
        from op in Gen.Elements(
            CriteriaOperator.Equals, CriteriaOperator.NotEquals, CriteriaOperator.GreaterThan, CriteriaOperator.GreaterThanOrEqual,
            CriteriaOperator.LessThan, CriteriaOperator.LessThanOrEqual)
        from n in Gen.Elements(Numbers)
        let symbol = op switch
        {
            CriteriaOperator.GreaterThan => ">",
            CriteriaOperator.GreaterThanOrEqual => ">=",
            CriteriaOperator.LessThan => "<",
            CriteriaOperator.LessThanOrEqual => "<=",
            _ => "==",
        }
        let present = $"(CustomFields.ContainsKey(\"score\") && CustomFields[\"score\"].NumberValue {symbol} {n.ToString(CultureInfo.InvariantCulture)}m)"
        select Make("customFields.score", op, op == CriteriaOperator.NotEquals ? "!" + present : present, CriteriaValue.Of(n));

    private static Gen<Pair> TimeCondition()
    {
        var ops = Gen.Elements(
            CriteriaOperator.Equals, CriteriaOperator.NotEquals, CriteriaOperator.GreaterThan, CriteriaOperator.GreaterThanOrEqual,
            CriteriaOperator.LessThan, CriteriaOperator.LessThanOrEqual);
        var fields = Gen.Elements(("createdAt", "CreatedAt"), ("lastEngagementAt", "LastEngagementAt"), ("updatedAt", "UpdatedAt"));
        var instant = from field in fields
                      from op in ops
                      from at in Gen.Elements(Instants)
                      select Make(field.Item1, op, Span(field.Item2, op, at, null), CriteriaValue.Of(at));
        var day = from field in fields
                  from op in ops
                  from d in Gen.Elements(Days)
                  select Make(field.Item1, op, Span(field.Item2, op, Start(d), Start(d.AddDays(1))), CriteriaValue.Of(d));
        return Gen.OneOf(instant, day);
    }

    private static string Start(DateOnly day) => day.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture) + "T00:00:00Z";

    /// <summary>An instant (<paramref name="next"/> null) or the UTC day [<paramref name="start"/>, <paramref name="next"/>).</summary>
    private static string Span(string member, CriteriaOperator op, string start, string? next)
    {
        var q = (string s) => "\"" + s + "\"";
        var test = op switch
        {
            CriteriaOperator.GreaterThan => next is null ? $"{member} > {q(start)}" : $"{member} >= {q(next)}",
            CriteriaOperator.GreaterThanOrEqual => $"{member} >= {q(start)}",
            CriteriaOperator.LessThan => $"{member} < {q(start)}",
            CriteriaOperator.LessThanOrEqual => next is null ? $"{member} <= {q(start)}" : $"{member} < {q(next)}",
            _ => next is null ? $"{member} == {q(start)}" : $"({member} >= {q(start)} && {member} < {q(next)})",
        };
        return op == CriteriaOperator.NotEquals ? $"!({test})" : $"({test})";
    }

    private static Gen<Pair> StatusCondition()
    {
        var statuses = Enum.GetValues<ContactStatus>();
        var single = from op in Gen.Elements(CriteriaOperator.Equals, CriteriaOperator.NotEquals)
                     from status in Gen.Elements(statuses)
                     from upper in Gen.Elements(false, true)
                     select Make("status", op, $"Status {(op == CriteriaOperator.Equals ? "==" : "!=")} ContactStatus.{status}", StatusValue(status, upper));
        var @in = from chosen in Gen.SubListOf(statuses).Where(s => s.Count > 0)
                  select new Pair(
                      Criteria.Condition(CriteriaField.Of("status"), CriteriaOperator.In, [.. chosen.Select(s => StatusValue(s, false))]),
                      "(" + string.Join(" || ", chosen.Select(s => $"Status == ContactStatus.{s}")) + ")");
        return Gen.Frequency((3, single), (1, @in));
    }

    private static CriteriaValue StatusValue(ContactStatus status, bool upper)
    {
        var name = status.ToString();
        return CriteriaValue.Of(upper ? name.ToUpperInvariant() : name.ToLowerInvariant());
    }

    private static Gen<Pair> TagCondition() =>
        from tag in Gen.Elements("vip", "VIP", "News", "café", "CAFÉ", "straße", "e", "other")
        select Make("tags", CriteriaOperator.Has, $"Tags.Any(it.ToLowerInvariant().Normalize() == {Literal(Fold(tag))})", CriteriaValue.Of(tag));

    private static Gen<Pair> ChannelCondition() =>
        from channel in Gen.Elements(("email", "Email"), ("sms", "Sms"))
        from enabled in Gen.Elements(true, false)
        select Make($"preferences.channels.{channel.Item1}", CriteriaOperator.Equals, $"(Preferences.IsEnabled(Channel.{channel.Item2}) == {(enabled ? "true" : "false")})", CriteriaValue.Of(enabled));

    /// <summary>Our documented fold: NFC, then invariant lower case (then NFC again).</summary>
    private static string Fold(string value) => value.Normalize(NormalizationForm.FormC).ToLowerInvariant().Normalize(NormalizationForm.FormC);

    /// <summary>A Dynamic LINQ string literal (the values above hold no quote or backslash).</summary>
    private static string Literal(string value) => "\"" + value + "\"";

    private static ParsingConfig CreateConfig()
    {
        var config = new ParsingConfig();
        config.CustomTypeProvider = new TypeProvider(config);
        return config;
    }

    /// <summary>Dynamic LINQ calls methods only on its predefined types and the custom types it is given.</summary>
    private sealed class TypeProvider(ParsingConfig config) : DefaultDynamicLinqCustomTypeProvider(config, cacheCustomTypes: true)
    {
        private readonly HashSet<Type> _types =
            [typeof(ContactStatus), typeof(Channel), typeof(ContactPreferences), typeof(IReadOnlyDictionary<string, CustomFieldValue>)];

        public override HashSet<Type> GetCustomTypes() => _types;
    }
}
