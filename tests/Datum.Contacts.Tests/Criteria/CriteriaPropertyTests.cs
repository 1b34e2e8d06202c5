using Microsoft.Extensions.Time.Testing;
using System.Text.Json;
using FsCheck;
using FsCheck.Fluent;
using FsCheck.Xunit;
using static Datum.Contacts.Tests.CriteriaLanguage.CriteriaGenerators;

namespace Datum.Contacts.Tests.CriteriaLanguage;

/// <summary>
/// Properties of the criteria language over random criteria and random contacts: the two forms round-trip, the
/// three evaluators agree, the two forms compile alike, the parsers fail only with the criteria error, and
/// <c>not</c> and the negative operators are exact complements.
/// </summary>
public sealed class CriteriaPropertyTests
{
    private static readonly FakeTimeProvider FixedClock = new(Now);
    private static readonly CriteriaCompiler Compiler = new(clock: FixedClock);
    private static readonly CriteriaCompiler Uncached = new(clock: FixedClock, cacheSize: 0);

    private static readonly CriteriaLimits Tight = new()
    {
        MaxLength = 60,
        MaxDepth = 3,
        MaxConditions = 3,
        MaxValueLength = 5,
        MaxListValues = 2,
        MaxDays = 10,
    };

    private static readonly string[] ErrorCodes =
    [
        "syntax_error", "unexpected_end", "unknown_field", "operator_not_applicable", "invalid_value", "limit_exceeded",
        "empty_range", "invalid_json", "unknown_property", "missing_property", "empty_group",
    ];

    /// <summary>A criteria and contacts to try it on.</summary>
    internal sealed record Case(Criteria Criteria, ContactCase[] Contacts)
    {
        public override string ToString() => $"{Criteria}  over {Contacts.Length} contacts";
    }

    private static Arbitrary<Case> Cases(Gen<Criteria> criteria) =>
        (from c in criteria
         from contacts in RandomContacts().ArrayOf(10)
         select new Case(c, contacts)).ToArbitrary();

    // ------------------------------------------------------------------------------------------------
    // (a) Round trips
    // ------------------------------------------------------------------------------------------------

    [Property(MaxTest = 400)]
    public Property Parsing_the_printed_text_of_any_criteria_gives_an_equal_criteria()
    {
        return Prop.ForAll(AnyCriteria().ToArbitrary(), criteria =>
        {
            var text = criteria.ToString();

            var parsed = Criteria.Parse(text);

            Assert.True(parsed == criteria, $"{text} parsed back as {parsed}");
            Assert.Equal(criteria.GetHashCode(), parsed.GetHashCode());
            Assert.Equal(text, parsed.ToString());
        });
    }

    [Property(MaxTest = 400)]
    public Property Parsing_the_json_of_any_criteria_gives_an_equal_criteria()
    {
        return Prop.ForAll(AnyCriteria().ToArbitrary(), criteria =>
        {
            var json = criteria.ToJson();

            var parsed = Criteria.ParseJson(json);
            var indented = Criteria.ParseJson(criteria.ToJson(indented: true));
            var serialized = JsonSerializer.Deserialize<Criteria>(JsonSerializer.Serialize(criteria));

            Assert.True(parsed == criteria, $"{json} parsed back as {parsed.ToJson()}");
            Assert.True(indented == criteria, $"indented {json} parsed back as {indented.ToJson()}");
            Assert.True(serialized == criteria, $"{json} through System.Text.Json came back as {serialized?.ToJson()}");
            Assert.Equal(json, parsed.ToJson());
        });
    }

    [Theory]
    [InlineData("not")]
    [InlineData("NOT")]
    public void A_field_named_like_the_keyword_not_is_either_refused_or_prints_text_that_parses_back(string name)
    {
        // Arrange
        CriteriaField field;
        try
        {
            field = CriteriaField.Of(name);
        }
        catch (ArgumentException)
        {
            return; // Refusing the name keeps every buildable criteria printable.
        }

        var criteria = Criteria.And(
            Criteria.Condition(CriteriaField.Of("status"), CriteriaOperator.Equals, "active"),
            Criteria.Condition(field, CriteriaOperator.Equals, "x"));

        // Act
        var fromText = Criteria.Parse(criteria.ToString());
        var fromJson = Criteria.ParseJson(criteria.ToJson());

        // Assert
        Assert.Equal(criteria, fromText);
        Assert.Equal(criteria, fromJson);
    }

    [Theory]
    [InlineData("a\\u0000b")]
    [InlineData("a\\uD800b")]
    [InlineData("a\\uDC00")]
    [InlineData("a\\u202Eb")]
    [InlineData("a\\u0007")]
    public void A_list_name_no_text_value_could_hold_is_either_refused_or_round_trips(string escaped)
    {
        // Arrange
        var name = System.Text.RegularExpressions.Regex.Unescape(escaped);
        CriteriaField field;
        try
        {
            field = CriteriaField.MemberOf(name);
        }
        catch (ArgumentException)
        {
            return; // Refused like CriteriaValue.Of refuses such text.
        }

        var criteria = Criteria.Condition(field, CriteriaOperator.IsEmpty);

        // Act and assert
        Assert.Equal(criteria, Criteria.Parse(criteria.ToString()));
        Assert.Equal(criteria, Criteria.ParseJson(criteria.ToJson()));
    }

    [Theory]
    [InlineData("""{"field":"\uD800","operator":"isEmpty"}""")]
    [InlineData("""{"field":"status","operator":"equals","value":"\uD800"}""")]
    [InlineData("""{"field":"status","operator":"in","value":["active","a\uDC00"]}""")]
    [InlineData("""{"field":"status","operator":"\uDC00","value":"x"}""")]
    [InlineData("""{"logic":"\uD800","conditions":[]}""")]
    [InlineData("""{"\uD800":1}""")]
    public void Parsing_json_with_an_escaped_lone_surrogate_fails_with_the_criteria_error(string json)
    {
        var error = Assert.Throws<InvalidCriteriaException>(() => Criteria.ParseJson(json));

        Assert.All(error.Errors, e => Assert.StartsWith("$", e.Location?.JsonPath, StringComparison.Ordinal));
    }

    // ------------------------------------------------------------------------------------------------
    // (b) The three evaluators agree
    // ------------------------------------------------------------------------------------------------

    [Property(MaxTest = 300)]
    public Property The_compiled_predicate_the_query_expression_and_the_reference_interpreter_agree()
        => Prop.ForAll(Cases(WellTypedCriteria()), @case =>
        {
            var compiled = Compiler.Compile(@case.Criteria, Schema);
            var query = compiled.Expression.Compile();
            var contacts = @case.Contacts.Select(c => c.Build()).ToArray();
            var expected = new List<int>();
            for (var i = 0; i < contacts.Length; i++)
            {
                var contact = contacts[i];
                var predicate = compiled.Predicate(contact);
                var queried = query(contact);
                var reference = compiled.Interpret(contact, Now);
                Assert.True(
                    predicate == reference && queried == reference,
                    $"{compiled.Criteria} on {Describe(contact)}: predicate {predicate}, query expression {queried}, reference interpreter {reference}");
                if (reference)
                {
                    expected.Add(i);
                }
            }

            // The batch scan finds the same contacts, in order, over the whole array and over a slice of it.
            var found = new int[contacts.Length];
            Assert.Equal(expected, found.Take(compiled.FindMatches(contacts, found)));
            Assert.Equal(expected.Count, compiled.CountMatches(contacts));
            if (contacts.Length > 1)
            {
                var slice = new ArraySegment<Contact>(contacts, 1, contacts.Length - 1);
                Assert.Equal(expected.Where(i => i > 0).Select(i => i - 1), found.Take(compiled.FindMatches(slice, found)));
                Assert.Equal(expected.Count(i => i > 0), compiled.CountMatches(slice));
            }
        });

    /// <summary>
    /// The criteria and contacts of the property above are made to meet: over as many cases as it runs, both outcomes
    /// are common, or the property would say little.
    /// </summary>
    [Fact]
    public void The_generated_criteria_and_contacts_both_match_and_miss_often()
    {
        var outcomes = new int[2];

        foreach (var @case in Cases(WellTypedCriteria()).Generator.Sample(300))
        {
            var compiled = Compiler.Compile(@case.Criteria, Schema);
            foreach (var contact in @case.Contacts.Select(c => c.Build()))
            {
                outcomes[compiled.Interpret(contact, Now) ? 1 : 0]++;
            }
        }

        Assert.True(outcomes.Min() > outcomes.Sum() / 10, $"matches {outcomes[1]}, misses {outcomes[0]}");
    }

    [Property(MaxTest = 400)]
    public Property Single_conditions_of_every_kind_agree_in_the_three_evaluators()
    {
        // A tree hides a wrong condition behind and/or; one condition at a time shows it.
        return Prop.ForAll(Cases(WellTypedCondition()), @case =>
        {
            var compiled = Compiler.Compile(@case.Criteria, Schema);
            var query = compiled.Expression.Compile();
            foreach (var contact in @case.Contacts.Select(c => c.Build()))
            {
                var reference = compiled.Interpret(contact, Now);
                Assert.True(
                    compiled.Predicate(contact) == reference && query(contact) == reference,
                    $"{compiled.Criteria} on {Describe(contact)}: reference interpreter {reference}, predicate {compiled.Predicate(contact)}, query expression {query(contact)}");
            }
        });
    }

    // ------------------------------------------------------------------------------------------------
    // (c) Text and JSON forms compile alike
    // ------------------------------------------------------------------------------------------------

    [Property(MaxTest = 200)]
    public Property The_text_and_json_forms_of_a_criteria_compile_to_predicates_that_agree()
    {
        return Prop.ForAll(Cases(WellTypedCriteria()), @case =>
        {
            var fromText = Uncached.Compile(Uncached.Parse(@case.Criteria.ToString()), Schema);
            var fromJson = Uncached.Compile(Uncached.ParseJson(@case.Criteria.ToJson()), Schema);
            var textQuery = fromText.Expression.Compile();
            var jsonQuery = fromJson.Expression.Compile();
            foreach (var contact in @case.Contacts.Select(c => c.Build()))
            {
                var text = fromText.Predicate(contact);
                Assert.True(
                    fromJson.Predicate(contact) == text && textQuery(contact) == text && jsonQuery(contact) == text,
                    $"{@case.Criteria} on {Describe(contact)}: text form {text}, JSON form {fromJson.Predicate(contact)}");
            }
        });
    }

    // ------------------------------------------------------------------------------------------------
    // (d) The parsers fail only with InvalidCriteriaException
    // ------------------------------------------------------------------------------------------------

    [Property(MaxTest = 1500)]
    public Property Parsing_criteria_like_noise_throws_nothing_but_the_criteria_error()
    {
        return Prop.ForAll(TextNoise().ToArbitrary(), ParsesOrFailsCleanly);
    }

    [Property(MaxTest = 1500)]
    public Property Parsing_damaged_criteria_text_throws_nothing_but_the_criteria_error()
    {
        return Prop.ForAll(MutatedText().ToArbitrary(), ParsesOrFailsCleanly);
    }

    [Property(MaxTest = 1000)]
    public Property Parsing_any_string_throws_nothing_but_the_criteria_error()
    {
        return Prop.ForAll(ArbMap.Default.ArbFor<string>(), text => ParsesOrFailsCleanly(text ?? string.Empty));
    }

    [Property(MaxTest = 1500)]
    public Property Parsing_json_like_noise_throws_nothing_but_the_criteria_error()
    {
        return Prop.ForAll(JsonNoise().ToArbitrary(), JsonParsesOrFailsCleanly);
    }

    [Property(MaxTest = 1500)]
    public Property Parsing_damaged_criteria_json_throws_nothing_but_the_criteria_error()
    {
        return Prop.ForAll(MutatedJson().ToArbitrary(), JsonParsesOrFailsCleanly);
    }

    /// <summary>
    /// Parses with the default and with tight limits. A failure must be the criteria error, with located errors of
    /// known codes; a success must print back to itself and compile or fail with the criteria error.
    /// </summary>
    private static void ParsesOrFailsCleanly(string text)
    {
        foreach (var limits in new[] { CriteriaLimits.Default, Tight })
        {
            try
            {
                var parsed = Criteria.Parse(text, limits);
                if (limits == CriteriaLimits.Default)
                {
                    Assert.Equal(parsed, Criteria.Parse(parsed.ToString()));
                }

                CompilesOrFailsCleanly(parsed);
            }
            catch (InvalidCriteriaException e)
            {
                Assert.NotEmpty(e.Errors);
                Assert.All(e.Errors, error =>
                {
                    Assert.Contains(error.Code, ErrorCodes);
                    Assert.NotNull(error.Location);
                    Assert.True(error.Location.Line >= 1 && error.Location.Column >= 1, $"{error} is not a text position");
                });
            }
        }
    }

    private static void JsonParsesOrFailsCleanly(string json)
    {
        foreach (var limits in new[] { CriteriaLimits.Default, Tight })
        {
            try
            {
                var parsed = Criteria.ParseJson(json, limits);
                if (limits == CriteriaLimits.Default)
                {
                    Assert.Equal(parsed, Criteria.ParseJson(parsed.ToJson()));
                }

                CompilesOrFailsCleanly(parsed);
            }
            catch (InvalidCriteriaException e)
            {
                Assert.NotEmpty(e.Errors);
                Assert.All(e.Errors, error =>
                {
                    Assert.Contains(error.Code, ErrorCodes);
                    Assert.NotNull(error.Location);
                    Assert.StartsWith("$", error.Location.JsonPath, StringComparison.Ordinal);
                });
            }
        }
    }

    private static void CompilesOrFailsCleanly(Criteria criteria)
    {
        try
        {
            var compiled = Uncached.Compile(criteria, Schema);
            var contact = NewContact(new ContactDraft { Email = "someone@example.net", Tags = ["vip"] });
            Assert.Equal(compiled.Interpret(contact, Now), compiled.Predicate(contact));
        }
        catch (InvalidCriteriaException e)
        {
            Assert.All(e.Errors, error => Assert.Contains(error.Code, ErrorCodes));
        }
    }

    // ------------------------------------------------------------------------------------------------
    // (e) Negation
    // ------------------------------------------------------------------------------------------------

    [Property(MaxTest = 200)]
    public Property Not_a_criteria_matches_exactly_the_contacts_the_criteria_does_not()
    {
        return Prop.ForAll(Cases(WellTypedCriteria()), @case =>
        {
            var compiled = Compiler.Compile(@case.Criteria, Schema);
            var negated = Compiler.Compile(Criteria.Not(@case.Criteria), Schema);
            var negatedQuery = negated.Expression.Compile();
            foreach (var contact in @case.Contacts.Select(c => c.Build()))
            {
                var expected = !compiled.Predicate(contact);
                Assert.True(
                    negated.Predicate(contact) == expected && negatedQuery(contact) == expected && negated.Interpret(contact, Now) == expected,
                    $"not ({@case.Criteria}) on {Describe(contact)}: expected {expected}");
            }
        });
    }

    [Property(MaxTest = 200)]
    public Property A_negative_operator_matches_exactly_the_contacts_its_positive_form_does_not()
    {
        var pairs = new Dictionary<CriteriaOperator, CriteriaOperator>
        {
            [CriteriaOperator.Equals] = CriteriaOperator.NotEquals,
            [CriteriaOperator.Contains] = CriteriaOperator.NotContains,
            [CriteriaOperator.In] = CriteriaOperator.NotIn,
            [CriteriaOperator.IsEmpty] = CriteriaOperator.IsNotEmpty,
        };
        var positives = WellTypedCondition()
            .Select(c => (CriteriaCondition)c)
            .Where(c => pairs.ContainsKey(c.Operator));

        return Prop.ForAll(Cases(positives.Select(c => (Criteria)c)), @case =>
        {
            var positive = (CriteriaCondition)@case.Criteria;
            var negative = Criteria.Condition(positive.Field, pairs[positive.Operator], [.. positive.Values]);
            var compiledPositive = Compiler.Compile(positive, Schema);
            var compiledNegative = Compiler.Compile(negative, Schema);
            var negativeQuery = compiledNegative.Expression.Compile();
            foreach (var contact in @case.Contacts.Select(c => c.Build()))
            {
                var expected = !compiledPositive.Interpret(contact, Now);
                Assert.True(
                    compiledNegative.Predicate(contact) == expected && negativeQuery(contact) == expected && compiledNegative.Interpret(contact, Now) == expected,
                    $"{negative} on {Describe(contact)}: expected {expected} as the complement of {positive}");
            }
        });
    }

    // ------------------------------------------------------------------------------------------------
    // Comparisons partition the values
    // ------------------------------------------------------------------------------------------------

    [Property(MaxTest = 200)]
    public Property Less_equal_and_greater_split_every_present_value_and_or_equal_joins_them()
    {
        var comparable = WellTypedCondition()
            .Select(c => (CriteriaCondition)c)
            .Where(c => c.Operator == CriteriaOperator.GreaterThan);

        return Prop.ForAll(Cases(comparable.Select(c => (Criteria)c)), @case =>
        {
            var condition = (CriteriaCondition)@case.Criteria;
            var value = condition.Values[0];
            CompiledCriteria With(CriteriaOperator op, params CriteriaValue[] values) => Compiler.Compile(Criteria.Condition(condition.Field, op, values), Schema);
            var less = With(CriteriaOperator.LessThan, value);
            var equal = With(CriteriaOperator.Equals, value);
            var greater = With(CriteriaOperator.GreaterThan, value);
            var atMost = With(CriteriaOperator.LessThanOrEqual, value);
            var atLeast = With(CriteriaOperator.GreaterThanOrEqual, value);
            var between = With(CriteriaOperator.Between, value, value);
            var present = With(CriteriaOperator.IsNotEmpty);
            foreach (var contact in @case.Contacts.Select(c => c.Build()))
            {
                var (lt, eq, gt) = (less.Predicate(contact), equal.Predicate(contact), greater.Predicate(contact));
                var what = $"{condition.Field} vs {value} on {Describe(contact)}: < {lt}, = {eq}, > {gt}";
                Assert.True((lt ? 1 : 0) + (eq ? 1 : 0) + (gt ? 1 : 0) == (present.Predicate(contact) ? 1 : 0), what);
                Assert.True(atMost.Predicate(contact) == (lt || eq), what + $", <= {atMost.Predicate(contact)}");
                Assert.True(atLeast.Predicate(contact) == (gt || eq), what + $", >= {atLeast.Predicate(contact)}");
                Assert.True(between.Predicate(contact) == eq, what + $", between it and itself {between.Predicate(contact)}");
            }
        });
    }
}
