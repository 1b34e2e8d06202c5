using Microsoft.Extensions.Time.Testing;
using System.Collections;
using System.Linq.Expressions;
using System.Reflection;
using static Datum.Contacts.Tests.CriteriaLanguage.CriteriaGenerators;

namespace Datum.Contacts.Tests.CriteriaLanguage;

/// <summary>
/// What a compiled criteria offers besides a yes or no: explanations, the compiler's cache, a query expression a
/// provider can parameterize, the extension point for consent and list membership, and the field catalogue.
/// </summary>
public sealed class CriteriaEvaluationTests
{
    // ------------------------------------------------------------------------------------------------
    // Explain
    // ------------------------------------------------------------------------------------------------

    private const string ExplainedText = "status = \"active\"\n  and (company contains \"acme\" or not phone isNotEmpty)\n  and customFields.score > 10";

    public static TheoryData<string, string, string?, string?, bool[], bool> ExplainCases() => new()
    {
        // status, company, phone, score -> per-condition results (before the not), overall result
        { "Active", "Globex Corp", null, null, [true, false, false, false], false },
        { "Inactive", "ACME Ltd", "+14155550123", "11", [false, true, true, true], false },
        { "Active", "ACME Ltd", null, "10.5", [true, true, false, true], true },
        { "Active", "Globex Corp", "+14155550123", "11", [true, false, true, true], false },
        { "Active", "Globex Corp", null, "11", [true, false, false, true], true },
    };

    [Theory]
    [MemberData(nameof(ExplainCases))]
    public void Explain_gives_each_condition_its_own_result_the_raw_value_it_saw_and_where_it_is(
        string status, string company, string? phone, string? score, bool[] matched, bool overall)
    {
        // Arrange
        var compiler = new CriteriaCompiler(clock: new FakeTimeProvider(Now));
        var compiled = compiler.Compile(ExplainedText);
        var contact = NewContact(new ContactDraft
        {
            Email = "someone@example.net",
            Status = Enum.Parse<ContactStatus>(status),
            Company = company,
            Phone = phone,
            CustomFields = new Dictionary<string, CustomFieldValue?> { ["score"] = score is null ? null : CustomFieldValue.FromNumber(decimal.Parse(score, System.Globalization.CultureInfo.InvariantCulture)) },
        });

        // Act
        var explanation = compiled.Explain(contact);

        // Assert
        var lines = ExplainedText.Split('\n');
        Assert.Equal(overall, explanation.Matched);
        Assert.Equal(compiled.Matches(contact), explanation.Matched);
        Assert.Collection(
            explanation.Conditions,
            c => AssertCondition(c, "status = \"active\"", "status", matched[0], status.ToLowerInvariant(), 1, 1),
            c => AssertCondition(c, "company contains \"acme\"", "company", matched[1], company, 2, lines[1].IndexOf("company", StringComparison.Ordinal) + 1),
            c => AssertCondition(c, "phone isNotEmpty", "phone", matched[2], phone, 2, lines[1].IndexOf("phone", StringComparison.Ordinal) + 1),
            c => AssertCondition(c, "customFields.score > 10", "customFields.score", matched[3], score, 3, lines[2].IndexOf("customFields", StringComparison.Ordinal) + 1));
    }

    private static void AssertCondition(CriteriaConditionExplanation explained, string condition, string field, bool matched, string? value, int line, int column)
    {
        Assert.Equal(condition, explained.Condition);
        Assert.Equal(field, explained.Field);
        Assert.Equal(matched, explained.Matched);
        Assert.Equal(value, explained.Value);
        Assert.Equal(CriteriaLocation.InText(line, column), explained.Location);
    }

    [Fact]
    public void Explain_shows_every_kind_of_value_as_people_read_it_and_null_for_an_empty_one()
    {
        // Arrange
        var compiler = new CriteriaCompiler(clock: new FakeTimeProvider(Now));
        var compiled = compiler.Compile(
            "tags has \"vip\" or createdAt > 2025-01-01 or preferences.channels.sms = true or preferences.channels.email = true"
            + " or preferences.frequency = \"weekly\" or customFields.birthday = 2000-02-29 or customFields.vip = true"
            + " or nickname = \"ada\" or lastEngagementAt isEmpty or socialProfiles.github = \"ada\" or email = \"x\""
            + " or type = \"client\" or preferences.timeZone = \"Europe/Paris\" or source = \"import\" or customFields.score = 1"
            + " or lastName isEmpty or title = \"x\"");
        var contact = NewContact(
            new ContactDraft
            {
                Email = "Ada@EXAMPLE.com",
                Title = "Chief Engineer",
                Tags = ["VIP", "news"],
                Type = "Client",
                SocialProfiles = new Dictionary<string, string> { ["GitHub"] = "Ada" },
                Preferences = new ContactPreferencesDraft
                {
                    Channels = new Dictionary<string, bool> { ["sms"] = false },
                    Frequency = ContactFrequency.Weekly,
                    TimeZone = "Europe/Paris",
                },
                CustomFields = new Dictionary<string, CustomFieldValue?>
                {
                    ["birthday"] = new DateOnly(2000, 2, 29),
                    ["vip"] = true,
                    ["nickname"] = "Ada",
                },
            },
            new DateTimeOffset(2025, 1, 1, 8, 0, 0, TimeSpan.FromHours(1)),
            ContactSource.Import);

        // Act
        var explanation = compiled.Explain(contact);

        // Assert
        var expected = new (string Field, bool Matched, string? Value)[]
        {
            ("tags", true, "[\"VIP\", \"news\"]"),
            ("createdAt", false, "2025-01-01T08:00:00+01:00"),
            ("preferences.channels.sms", false, "false"),
            ("preferences.channels.email", true, "true"),
            ("preferences.frequency", true, "weekly"),
            ("customFields.birthday", true, "2000-02-29"),
            ("customFields.vip", true, "true"),
            ("customFields.nickname", true, "Ada"),
            ("lastEngagementAt", true, null),
            ("socialProfiles.github", true, "Ada"),
            ("email", false, "Ada@example.com"),
            ("type", true, "client"),
            ("preferences.timeZone", true, "Europe/Paris"),
            ("source", true, "import"),
            ("customFields.score", false, null),
            ("lastName", true, null),
            ("title", false, "Chief Engineer"),
        };
        Assert.Equal(expected, explanation.Conditions.Select(c => (c.Field, c.Matched, c.Value)).ToArray());
        Assert.True(explanation.Matched);
    }

    [Fact]
    public void Explain_reports_a_condition_under_not_by_its_own_result_and_locates_json_conditions_by_path()
    {
        // Arrange
        var compiler = new CriteriaCompiler(clock: new FakeTimeProvider(Now));
        var criteria = compiler.ParseJson(
            """{"logic":"or","conditions":[{"field":"status","operator":"equals","value":"inactive"},{"not":{"field":"tags","operator":"isEmpty"}}]}""");
        var compiled = compiler.Compile(criteria, Schema);
        var contact = NewContact(new ContactDraft { Email = "someone@example.net" });

        // Act
        var explanation = compiled.Explain(contact);

        // Assert
        Assert.False(explanation.Matched);
        Assert.Collection(
            explanation.Conditions,
            c =>
            {
                Assert.Equal("status = \"inactive\"", c.Condition);
                Assert.False(c.Matched);
                Assert.Equal("active", c.Value);
                Assert.Equal(CriteriaLocation.InJson("$.conditions[0]"), c.Location);
            },
            c =>
            {
                Assert.Equal("tags isEmpty", c.Condition);
                Assert.True(c.Matched);
                Assert.Null(c.Value);
                Assert.Equal(CriteriaLocation.InJson("$.conditions[1].not"), c.Location);
            });
    }

    [Fact]
    public void Explain_has_no_location_for_a_criteria_built_in_code_and_reads_the_clock_when_asked()
    {
        // Arrange
        var clock = new FakeTimeProvider(Now);
        var compiler = new CriteriaCompiler(clock: clock);
        var compiled = compiler.Compile(Criteria.Condition("lastEngagementAt", CriteriaOperator.WithinLastDays, 1), Schema);
        var contact = NewContact(new ContactDraft { Email = "someone@example.net" });
        contact.RecordEngagement(Now.AddHours(-1), Now);

        // Act
        var before = compiled.Explain(contact);
        clock.SetUtcNow(Now.AddDays(2));
        var after = compiled.Explain(contact);

        // Assert
        Assert.True(before.Matched);
        Assert.True(Assert.Single(before.Conditions).Matched);
        Assert.Null(before.Conditions[0].Location);
        Assert.False(after.Matched);
        Assert.False(Assert.Single(after.Conditions).Matched);
        Assert.Equal(before.Conditions[0].Value, after.Conditions[0].Value);
    }

    // ------------------------------------------------------------------------------------------------
    // Batch scan
    // ------------------------------------------------------------------------------------------------

    [Fact]
    public void Counting_and_finding_matches_over_a_slice_gives_positions_within_the_slice_and_reads_the_clock_each_time()
    {
        // Arrange
        var clock = new FakeTimeProvider(Now);
        var compiled = new CriteriaCompiler(clock: clock).Compile(Criteria.Parse("lastEngagementAt withinLast 1 days and email endsWith \"@acme.com\""), Schema);
        var contacts = new[] { "a@acme.com", "b@example.net", "c@ACME.com", "d@acme.com" }
            .Select(email => NewContact(new ContactDraft { Email = email }))
            .ToArray();
        contacts[3].RecordEngagement(Now.AddDays(-3), Now);
        foreach (var contact in contacts.Take(3))
        {
            contact.RecordEngagement(Now.AddHours(-1), Now);
        }

        var found = new int[4];

        // Act
        var whole = compiled.FindMatches(contacts, found);
        var wholePositions = found.Take(whole).ToArray();
        var sliced = compiled.FindMatches(new ArraySegment<Contact>(contacts, 1, 3), found);
        var slicedPositions = found.Take(sliced).ToArray();
        clock.SetUtcNow(Now.AddDays(2));
        var later = compiled.CountMatches(contacts);

        // Assert
        Assert.Equal([0, 2], wholePositions);
        Assert.Equal([1], slicedPositions);
        Assert.Equal(0, later);
        Assert.Equal(0, compiled.CountMatches(ArraySegment<Contact>.Empty));
        Assert.Equal(0, compiled.CountMatches(default));
    }

    [Fact]
    public void Finding_matches_refuses_a_null_contact_naming_its_position_and_a_too_short_result_array()
    {
        // Arrange
        var compiled = new CriteriaCompiler().Compile(Criteria.Parse("status = \"active\""), Schema);
        var contacts = new[] { NewContact(new ContactDraft { Email = "a@example.net" }), null!, NewContact(new ContactDraft { Email = "b@example.net" }) };

        // Act
        var nullContact = Assert.Throws<ArgumentException>(() => compiled.CountMatches(new ArraySegment<Contact>(contacts, 1, 2)));
        var tooShort = Assert.Throws<ArgumentException>(() => compiled.FindMatches(contacts, new int[2]));

        // Assert
        Assert.Equal("contacts", nullContact.ParamName);
        Assert.Contains("position 0", nullContact.Message, StringComparison.Ordinal);
        Assert.Equal("matches", tooShort.ParamName);
        Assert.Contains("2 positions", tooShort.Message, StringComparison.Ordinal);
    }

    // ------------------------------------------------------------------------------------------------
    // Cache
    // ------------------------------------------------------------------------------------------------

    [Fact]
    public void Compiling_equal_criteria_for_the_same_schema_returns_the_cached_compilation()
    {
        // Arrange
        var compiler = new CriteriaCompiler();
        var sameDefinitions = new CustomFieldSchema(Schema.Definitions.Reverse());

        // Act
        var first = compiler.Compile(compiler.Parse("status = \"active\" and tags has \"vip\" and customFields.score > 1"), Schema);
        var reparsed = compiler.Compile(compiler.Parse("STATUS == \"active\"   AND tags HAS \"vip\" and customFields.score > 1.0"), Schema);
        var fromJson = compiler.Compile(compiler.ParseJson(first.Criteria.ToJson()), sameDefinitions);
        var built = compiler.Compile(
            Criteria.And(
                Criteria.Condition("status", CriteriaOperator.Equals, "active"),
                Criteria.Condition("tags", CriteriaOperator.Has, "vip"),
                Criteria.Condition("customFields.score", CriteriaOperator.GreaterThan, 1)),
            Schema);

        // Assert
        // The compiled work is shared; each result keeps its own tree (and positions) for Explain.
        Assert.Same(first.Predicate, reparsed.Predicate);
        Assert.Same(first.Predicate, fromJson.Predicate);
        Assert.Same(first.Predicate, built.Predicate);
        Assert.Same(first, compiler.Compile(first.Criteria, Schema));
        Assert.Equal(CriteriaLocation.InJson("$.conditions[0]"), fromJson.Explain(NewContact(new ContactDraft { Email = "someone@example.net" })).Conditions[0].Location);
        Assert.Equal(CriteriaLocation.InText(1, 1), first.Explain(NewContact(new ContactDraft { Email = "someone@example.net" })).Conditions[0].Location);
    }

    [Fact]
    public void The_same_criteria_compiles_differently_for_a_schema_that_types_the_field_differently()
    {
        // Arrange
        var numberSchema = new CustomFieldSchema([new CustomFieldDefinition("score", CustomFieldType.Number)]);
        var textSchema = new CustomFieldSchema([new CustomFieldDefinition("score", CustomFieldType.Text)]);
        var compiler = new CriteriaCompiler(clock: new FakeTimeProvider(Now));
        var criteria = compiler.Parse("customFields.score = \"10\"");
        var numberContact = ContactUnder(numberSchema, CustomFieldValue.FromNumber(10.0m));
        var textContact = ContactUnder(textSchema, CustomFieldValue.FromText("10"));

        // Act
        var asNumber = compiler.Compile(criteria, numberSchema);
        var asText = compiler.Compile(criteria, textSchema);

        // Assert
        Assert.NotSame(asNumber.Predicate, asText.Predicate);
        Assert.Same(asNumber, compiler.Compile(criteria, numberSchema));
        AssertAllEvaluate(true, asNumber, numberContact, Now, "number 10");
        AssertAllEvaluate(false, asNumber, textContact, Now, "text \"10\"");
        AssertAllEvaluate(true, asText, textContact, Now, "text \"10\"");
        AssertAllEvaluate(false, asText, numberContact, Now, "number 10");

        // An operator only numbers take compiles for one schema and not the other, whatever is cached.
        var greater = compiler.Parse("customFields.score > 5");
        Assert.True(compiler.Compile(greater, numberSchema).Matches(numberContact));
        var error = Assert.Single(Assert.Throws<InvalidCriteriaException>(() => compiler.Compile(greater, textSchema)).Errors);
        Assert.Equal("operator_not_applicable", error.Code);
    }

    private static Contact ContactUnder(CustomFieldSchema schema, CustomFieldValue score)
        => Contact.Create(
            TestData.Tenant,
            ContactId.New(TimeProvider.System),
            TestData.Details(new ContactDraft { Email = "someone@example.net", CustomFields = new Dictionary<string, CustomFieldValue?> { ["score"] = score } }, schema),
            ContactSource.Manual,
            Now);

    [Fact]
    public void A_compiler_with_a_cache_size_of_zero_compiles_every_time()
    {
        var compiler = new CriteriaCompiler(cacheSize: 0);
        var criteria = compiler.Parse("status = \"active\"");

        var first = compiler.Compile(criteria, Schema);
        var second = compiler.Compile(criteria, Schema);

        Assert.NotSame(first, second);
        Assert.Equal(first.Criteria, second.Criteria);
    }

    [Fact]
    public void The_cache_stays_bounded_and_compiling_keeps_working_past_its_size()
    {
        // Arrange
        var compiler = new CriteriaCompiler(cacheSize: 10);
        var criteria = Enumerable.Range(0, 100).Select(i => compiler.Parse($"customFields.score = {i}")).ToArray();
        var contacts = Enumerable.Range(0, 100)
            .Select(i => NewContact(new ContactDraft { Email = "someone@example.net", CustomFields = new Dictionary<string, CustomFieldValue?> { ["score"] = i } }))
            .ToArray();

        // Act
        var compiled = criteria.Select(c => compiler.Compile(c, Schema)).ToArray();
        var recompiled = criteria.Select(c => compiler.Compile(c, Schema)).ToArray();
        var later = compiler.Compile(compiler.Parse("customFields.score = 100"), Schema);

        // Assert: a cache of ten can have kept at most ten of the first hundred compilations.
        Assert.InRange(compiled.Zip(recompiled).Count(p => ReferenceEquals(p.First.Predicate, p.Second.Predicate)), 0, 10);
        for (var i = 0; i < 100; i++)
        {
            Assert.True(compiled[i].Matches(contacts[i]));
            Assert.True(recompiled[i].Matches(contacts[i]));
            Assert.False(recompiled[i].Matches(contacts[(i + 1) % 100]));
        }

        Assert.False(later.Matches(contacts[99]));
        Assert.Same(later.Predicate, compiler.Compile(compiler.Parse("customFields.score = 100"), Schema).Predicate);
    }

    [Fact]
    public void Compiling_from_many_threads_at_once_gives_working_compilations()
    {
        // Arrange
        var compiler = new CriteriaCompiler(cacheSize: 4);
        var texts = Enumerable.Range(0, 12).Select(i => $"customFields.score >= {i} and tags isEmpty").ToArray();
        var contact = NewContact(new ContactDraft { Email = "someone@example.net", CustomFields = new Dictionary<string, CustomFieldValue?> { ["score"] = 6 } });
        var results = new bool[600];

        // Act
        Parallel.For(0, results.Length, i => results[i] = compiler.Compile(texts[i % texts.Length]).Matches(contact));

        // Assert
        for (var i = 0; i < results.Length; i++)
        {
            Assert.Equal(i % texts.Length <= 6, results[i]);
        }
    }

    // ------------------------------------------------------------------------------------------------
    // The query expression
    // ------------------------------------------------------------------------------------------------

    private const string EveryNonChoiceCondition =
        "company = \"ACME\" or company contains \"acm\" or firstName startsWith \"a\" or lastName endsWith \"z\""
        + " or email in (\"a@b.example\", \"d@e.example\") or socialProfiles.github notContains \"x\" or nickname != \"N\""
        + " or customFields.nickname isEmpty or title notIn (\"ceo\") or phone isNotEmpty"
        + " or customFields.score = 10 or customFields.score between 1 and 2 or customFields.score in (3, 4) or customFields.score > 5"
        + " or customFields.score <= 6.5 or customFields.score notIn (7)"
        + " or customFields.vip = true or customFields.vip isNotEmpty or preferences.channels.email = false"
        + " or customFields.birthday = 2000-02-29 or customFields.birthday in (2001-01-01) or customFields.birthday between 2002-01-01 and 2002-12-31"
        + " or birthday withinLast 3 days or birthday moreThan 4 days ago or birthday >= 2003-03-03"
        + " or createdAt = 2025-01-01 or updatedAt > 2025-01-01T08:00:00Z or lastEngagementAt between 2025-02-01 and 2025-02-03"
        + " or createdAt withinLast 30 days or lastEngagementAt moreThan 90 days ago or lastEngagementAt isEmpty"
        + " or tags has \"vip\" or tags isEmpty";

    [Fact]
    public void The_query_expression_holds_every_value_as_a_parameter_and_no_block()
    {
        // Arrange
        var compiled = new CriteriaCompiler().Compile(EveryNonChoiceCondition);

        // Act
        var audit = ExpressionAudit.Of(compiled.Expression);

        // Assert
        Assert.Equal(0, audit.Blocks);
        Assert.Empty(audit.ValueConstants);
        Assert.Empty(audit.CollectionConstants);
        Assert.All(audit.FieldKeys, key => Assert.Contains(key, new[] { "nickname", "score", "vip", "birthday", "github" }));
        var parameters = audit.ParameterValues;
        Assert.Contains("acme", parameters);
        Assert.Contains("acm", parameters);
        Assert.Contains("a@b.example", parameters);
        Assert.Contains("n", parameters);
        Assert.Contains("vip", parameters);
        Assert.Contains(10m, parameters);
        Assert.Contains(3m, parameters);
        Assert.Contains(6.5m, parameters);
        Assert.Contains(true, parameters);
        Assert.Contains(false, parameters);
        Assert.Contains(new DateOnly(2000, 2, 29), parameters);
        Assert.Contains(new DateOnly(2001, 1, 1), parameters);
        Assert.Contains(new DateOnly(2003, 3, 3), parameters);
        Assert.Contains(new DateTimeOffset(2025, 1, 1, 0, 0, 0, TimeSpan.Zero), parameters);
        Assert.Contains(new DateTimeOffset(2025, 2, 4, 0, 0, 0, TimeSpan.Zero), parameters);
        Assert.Contains(audit.Calls, m => m.DeclaringType == typeof(CriteriaClock));
    }

    [Theory]
    [InlineData("status = \"inactive\"")]
    [InlineData("status in (\"inactive\", \"unsubscribed\")")]
    [InlineData("source notIn (\"form\")")]
    [InlineData("preferences.frequency = \"weekly\"")]
    [InlineData("preferences.frequency in (\"weekly\", \"daily\")")]
    public void The_query_expression_holds_a_choice_value_as_a_parameter_too(string criteria)
    {
        // Arrange
        var compiled = new CriteriaCompiler().Compile(criteria);

        // Act
        var audit = ExpressionAudit.Of(compiled.Expression);

        // Assert: a chosen status, source or frequency is a user's value like any other.
        Assert.Empty(audit.CollectionConstants);
        Assert.DoesNotContain(audit.Constants, c => c.Value is not null && (Nullable.GetUnderlyingType(c.Type) ?? c.Type).IsEnum && c.Type != typeof(StringComparison));
    }

    /// <summary>Walks a query expression: values reached through CriteriaParameter, bare constants, field keys of the readers, blocks, calls.</summary>
    private sealed class ExpressionAudit : ExpressionVisitor
    {
        private static readonly Type[] ValueTypes = [typeof(string), typeof(decimal), typeof(DateTimeOffset), typeof(DateOnly), typeof(bool)];

        public List<object?> ParameterValues { get; } = [];

        public List<ConstantExpression> Constants { get; } = [];

        public List<string> FieldKeys { get; } = [];

        public List<MethodInfo> Calls { get; } = [];

        public int Blocks { get; private set; }

        /// <summary>Constants of a value type that are not parameters (null constants, as in "is null", are no value).</summary>
        public IEnumerable<ConstantExpression> ValueConstants
            => Constants.Where(c => c.Value is not null && ValueTypes.Contains(Nullable.GetUnderlyingType(c.Type) ?? c.Type));

        /// <summary>Constants holding a collection (array, list, set...) outside a parameter.</summary>
        public IEnumerable<ConstantExpression> CollectionConstants
            => Constants.Where(c => c.Value is IEnumerable and not string);

        public static ExpressionAudit Of(Expression expression)
        {
            var audit = new ExpressionAudit();
            audit.Visit(expression);
            return audit;
        }

        protected override Expression VisitMember(MemberExpression node)
        {
            if (node.Expression is ConstantExpression { Value: { } holder }
                && holder.GetType().IsGenericType
                && holder.GetType().GetGenericTypeDefinition() == typeof(CriteriaParameter<>))
            {
                var value = ((FieldInfo)node.Member).GetValue(holder);
                if (value is IEnumerable items and not string)
                {
                    ParameterValues.AddRange(items.Cast<object?>());
                }

                ParameterValues.Add(value);
                return node;
            }

            return base.VisitMember(node);
        }

        protected override Expression VisitMethodCall(MethodCallExpression node)
        {
            Calls.Add(node.Method);
            if (node.Method.DeclaringType == typeof(CriteriaRuntime) && node.Arguments is [var contact, ConstantExpression { Value: string key }])
            {
                // The readers of custom fields and social profiles take the field's name, which is not a value.
                FieldKeys.Add(key);
                Visit(contact);
                return node;
            }

            if (node.Method.IsGenericMethod && node.Method.GetGenericMethodDefinition() == CriteriaRuntime.ValueTestMethod
                && node.Arguments is [var read, var test, ConstantExpression { Value: bool }])
            {
                // ValueTest(read, test, whenMissing): the flag is how the test treats a missing value, fixed by the operator.
                Visit(read);
                Visit(test);
                return node;
            }

            return base.VisitMethodCall(node);
        }

        protected override Expression VisitConstant(ConstantExpression node)
        {
            Constants.Add(node);
            return node;
        }

        protected override Expression VisitBlock(BlockExpression node)
        {
            Blocks++;
            return base.VisitBlock(node);
        }
    }

    // ------------------------------------------------------------------------------------------------
    // Extensions: list membership and consent
    // ------------------------------------------------------------------------------------------------

    /// <summary>Membership in the list "VIP", read from tags: member:vip, pending:vip, left:vip.</summary>
    private sealed class FakeMembership : ICriteriaExtension
    {
        public string Prefix => "memberOf";

        public CriteriaExtensionField? Resolve(CriteriaField field)
            => string.Equals(field.Argument, "VIP", StringComparison.OrdinalIgnoreCase)
                ? new CriteriaExtensionField(
                    ["active", "pending", "unsubscribed"],
                    c => c.Tags.Contains("member:vip") ? "active" : c.Tags.Contains("pending:vip") ? "pending" : c.Tags.Contains("left:vip") ? "unsubscribed" : null)
                : null;
    }

    /// <summary>Consent for email, read from tags: consent:email, withdrawn:email.</summary>
    private sealed class FakeConsent : ICriteriaExtension
    {
        public string Prefix => "consent";

        public CriteriaExtensionField? Resolve(CriteriaField field)
            => field.Path == "consent.email"
                ? new CriteriaExtensionField(
                    ["granted", "withdrawn", "pending"],
                    c => c.Tags.Contains("consent:email") ? "granted" : c.Tags.Contains("withdrawn:email") ? "withdrawn" : null)
                : null;
    }

    private static CriteriaCompiler WithExtensions() => new(clock: new FakeTimeProvider(Now), extensions: [new FakeMembership(), new FakeConsent()]);

    private static Contact Tagged(params string[] tags) => NewContact(new ContactDraft { Email = "someone@example.net", Tags = tags });

    [Theory]
    [InlineData("memberOf(\"VIP\") = \"active\"", "member:vip", true)]
    [InlineData("memberOf(\"VIP\") = \"active\"", "pending:vip", false)]
    [InlineData("memberOf(\"VIP\") = \"active\"", "", false)]
    [InlineData("memberOf(\"vip\") = \"ACTIVE\"", "member:vip", true)]
    [InlineData("memberOf(\"VIP\") != \"active\"", "", true)]
    [InlineData("memberOf(\"VIP\") != \"active\"", "member:vip", false)]
    [InlineData("memberOf(\"VIP\") in (\"pending\", \"unsubscribed\")", "left:vip", true)]
    [InlineData("memberOf(\"VIP\") in (\"pending\", \"unsubscribed\")", "member:vip", false)]
    [InlineData("memberOf(\"VIP\") notIn (\"pending\")", "", true)]
    [InlineData("memberOf(\"VIP\") notIn (\"pending\")", "pending:vip", false)]
    [InlineData("memberOf(\"VIP\") isEmpty", "", true)]
    [InlineData("memberOf(\"VIP\") isEmpty", "left:vip", false)]
    [InlineData("memberOf(\"VIP\") isNotEmpty", "pending:vip", true)]
    [InlineData("consent.email in (\"granted\")", "consent:email", true)]
    [InlineData("consent.email in (\"granted\")", "withdrawn:email", false)]
    [InlineData("consent.email in (\"granted\")", "", false)]
    [InlineData("consent.EMAIL = \"Withdrawn\"", "withdrawn:email", true)]
    [InlineData("consent.email isEmpty", "", true)]
    [InlineData("consent.email != \"granted\"", "", true)]
    [InlineData("memberOf(\"VIP\") = \"active\" and consent.email in (\"granted\")", "member:vip;consent:email", true)]
    [InlineData("memberOf(\"VIP\") = \"active\" and consent.email in (\"granted\")", "member:vip;withdrawn:email", false)]
    [InlineData("not memberOf(\"VIP\") = \"active\"", "", true)]
    public void An_extension_field_evaluates_like_a_choice_field_in_every_evaluator(string criteria, string tags, bool expected)
    {
        var compiled = WithExtensions().Compile(criteria);

        AssertAllEvaluate(expected, compiled, Tagged(tags.Length == 0 ? [] : tags.Split(';')), Now, $"tags [{tags}]");
    }

    [Fact]
    public void An_extension_field_explains_the_value_it_read_and_its_query_expression_holds_its_values_as_parameters()
    {
        var compiled = WithExtensions().Compile("memberOf(\"VIP\") in (\"active\", \"pending\") or consent.email = \"granted\"");

        var explanation = compiled.Explain(Tagged("pending:vip"));
        var audit = ExpressionAudit.Of(compiled.Expression);

        Assert.True(explanation.Matched);
        Assert.Equal(new[] { "memberOf(\"VIP\")", "consent.email" }, explanation.Conditions.Select(c => c.Field));
        Assert.Equal(new string?[] { "pending", null }, explanation.Conditions.Select(c => c.Value));
        Assert.Empty(audit.CollectionConstants);
        Assert.Contains("granted", audit.ParameterValues);
        Assert.Contains("pending", audit.ParameterValues);
    }

    [Theory]
    [InlineData("memberOf(\"VIP\") = \"gold\"", "invalid_value", "\"gold\"")]
    [InlineData("consent.email in (\"granted\", \"maybe\")", "invalid_value", "\"maybe\"")]
    [InlineData("memberOf(\"Other\") = \"active\"", "unknown_field", "memberOf(\"Other\")")]
    [InlineData("consent.sms = \"granted\"", "unknown_field", "consent.sms")]
    [InlineData("consent.email contains \"gr\"", "operator_not_applicable", "contains")]
    [InlineData("memberOf(\"VIP\") > \"active\"", "operator_not_applicable", ">")]
    public void A_bad_extension_condition_is_an_error_naming_the_offending_token(string criteria, string code, string token)
    {
        var compiler = WithExtensions();

        var error = Assert.Single(Assert.Throws<InvalidCriteriaException>(() => compiler.Compile(criteria)).Errors);

        Assert.Equal(code, error.Code);
        Assert.Equal(token, error.Token);
        Assert.NotNull(error.Location);
    }

    [Fact]
    public void Bad_choices_on_two_extension_fields_are_reported_together()
    {
        var compiler = WithExtensions();

        var errors = Assert.Throws<InvalidCriteriaException>(() => compiler.Compile("memberOf(\"VIP\") = \"gold\" and consent.email = \"nope\"")).Errors;

        Assert.Equal(new[] { "invalid_value", "invalid_value" }, errors.Select(e => e.Code));
        Assert.Equal(new[] { "\"gold\"", "\"nope\"" }, errors.Select(e => e.Token));
        Assert.Contains("active", errors[0].Expected, StringComparison.Ordinal);
        Assert.Contains("granted", errors[1].Expected, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("memberOf(\"VIP\") = \"active\"")]
    [InlineData("consent.email = \"granted\"")]
    public void Without_an_extension_its_fields_are_unknown(string criteria)
    {
        var compiler = new CriteriaCompiler();

        var error = Assert.Single(Assert.Throws<InvalidCriteriaException>(() => compiler.Compile(criteria)).Errors);

        Assert.Equal("unknown_field", error.Code);
    }

    // ------------------------------------------------------------------------------------------------
    // The catalogue
    // ------------------------------------------------------------------------------------------------

    [Fact]
    public void The_catalogue_lists_the_standard_and_declared_custom_fields_with_their_types_and_choices()
    {
        var fields = new CriteriaCompiler().GetCatalog(Schema).Fields.ToDictionary(f => f.Name);

        var expected = new (string Name, CriteriaFieldType Type, bool CanBeEmpty)[]
        {
            ("firstName", CriteriaFieldType.Text, true), ("lastName", CriteriaFieldType.Text, true), ("title", CriteriaFieldType.Text, true),
            ("company", CriteriaFieldType.Text, true), ("email", CriteriaFieldType.Text, true), ("phone", CriteriaFieldType.Text, true),
            ("type", CriteriaFieldType.Text, true), ("status", CriteriaFieldType.Choice, false), ("source", CriteriaFieldType.Choice, false),
            ("tags", CriteriaFieldType.Tags, true), ("createdAt", CriteriaFieldType.DateTime, false), ("updatedAt", CriteriaFieldType.DateTime, false),
            ("lastEngagementAt", CriteriaFieldType.DateTime, true), ("preferences.frequency", CriteriaFieldType.Choice, true),
            ("preferences.timeZone", CriteriaFieldType.Text, true), ("customFields.nickname", CriteriaFieldType.Text, true),
            ("customFields.score", CriteriaFieldType.Number, true), ("customFields.vip", CriteriaFieldType.Boolean, true),
            ("customFields.birthday", CriteriaFieldType.Date, true),
        };
        Assert.Equal(expected.Select(e => e.Name).Order(StringComparer.Ordinal), fields.Keys.Order(StringComparer.Ordinal));
        Assert.All(expected, e => Assert.Equal((e.Type, e.CanBeEmpty), (fields[e.Name].Type, fields[e.Name].CanBeEmpty)));
        Assert.Equal(new[] { "active", "inactive", "unsubscribed" }, fields["status"].Choices);
        Assert.Equal(new[] { "manual", "import", "form", "integration" }, fields["source"].Choices);
        Assert.Equal(new[] { "daily", "weekly", "monthly", "quarterly" }, fields["preferences.frequency"].Choices);
        Assert.All(fields.Values.Where(f => f.Type != CriteriaFieldType.Choice), f => Assert.Empty(f.Choices));
        Assert.Equal(
            new[] { CriteriaOperator.Has, CriteriaOperator.IsEmpty, CriteriaOperator.IsNotEmpty }.Order(),
            fields["tags"].Operators.Order());
        Assert.Equal(
            new[] { CriteriaOperator.Equals, CriteriaOperator.NotEquals, CriteriaOperator.IsEmpty, CriteriaOperator.IsNotEmpty }.Order(),
            fields["customFields.vip"].Operators.Order());
    }

    [Fact]
    public void A_field_takes_exactly_the_operators_the_catalogue_lists_for_it()
    {
        // Arrange
        var compiler = new CriteriaCompiler();
        var fields = compiler.GetCatalog(Schema).Fields;
        var mismatches = new List<string>();

        // Act
        foreach (var field in fields)
        {
            foreach (var op in Enum.GetValues<CriteriaOperator>())
            {
                var condition = Criteria.Condition(CriteriaField.Of(field.Name), op, ValuesFor(field, op));
                string outcome;
                try
                {
                    compiler.Compile(condition, Schema);
                    outcome = "compiles";
                }
                catch (InvalidCriteriaException e)
                {
                    outcome = string.Join(", ", e.Errors.Select(x => x.Code));
                }

                var listed = field.Operators.Contains(op);
                if (listed ? outcome != "compiles" : outcome != "operator_not_applicable")
                {
                    mismatches.Add($"{condition}: {(listed ? "listed" : "not listed")} but {outcome}");
                }
            }
        }

        // Assert
        Assert.Empty(mismatches);
    }

    private static CriteriaValue[] ValuesFor(CriteriaFieldDefinition field, CriteriaOperator op)
    {
        CriteriaValue low = field.Type switch
        {
            CriteriaFieldType.Choice => field.Choices[0],
            CriteriaFieldType.Number => 1,
            CriteriaFieldType.Boolean => true,
            CriteriaFieldType.Date or CriteriaFieldType.DateTime => "2025-01-01",
            _ => "x",
        };
        CriteriaValue high = field.Type switch
        {
            CriteriaFieldType.Number => 2,
            CriteriaFieldType.Date or CriteriaFieldType.DateTime => "2025-02-01",
            _ => low,
        };
        return op switch
        {
            CriteriaOperator.IsEmpty or CriteriaOperator.IsNotEmpty => [],
            CriteriaOperator.Between => [low, high],
            CriteriaOperator.In or CriteriaOperator.NotIn => [low, high],
            CriteriaOperator.WithinLastDays or CriteriaOperator.MoreThanDaysAgo => [3],
            _ => [low],
        };
    }
}
