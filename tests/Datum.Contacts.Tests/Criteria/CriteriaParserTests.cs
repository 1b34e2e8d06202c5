namespace Datum.Contacts.Tests.CriteriaLanguage;

public sealed class CriteriaParserTests
{
    private const string IssueExample =
        "status = \"active\" and tags has \"vip\" and createdAt > 2025-01-01 and (company = \"Acme\" or email endsWith \"@acme.com\")";

    // ---------------------------------------------------------------- operators

    [Theory]
    [InlineData("firstName = \"a\"", CriteriaOperator.Equals)]
    [InlineData("firstName == \"a\"", CriteriaOperator.Equals)]
    [InlineData("firstName equals \"a\"", CriteriaOperator.Equals)]
    [InlineData("firstName EQUALS \"a\"", CriteriaOperator.Equals)]
    [InlineData("firstName != \"a\"", CriteriaOperator.NotEquals)]
    [InlineData("firstName <> \"a\"", CriteriaOperator.NotEquals)]
    [InlineData("firstName notEquals \"a\"", CriteriaOperator.NotEquals)]
    [InlineData("firstName contains \"a\"", CriteriaOperator.Contains)]
    [InlineData("firstName Contains \"a\"", CriteriaOperator.Contains)]
    [InlineData("firstName notContains \"a\"", CriteriaOperator.NotContains)]
    [InlineData("firstName not contains \"a\"", CriteriaOperator.NotContains)]
    [InlineData("firstName NOT CONTAINS \"a\"", CriteriaOperator.NotContains)]
    [InlineData("firstName startsWith \"a\"", CriteriaOperator.StartsWith)]
    [InlineData("firstName STARTSWITH \"a\"", CriteriaOperator.StartsWith)]
    [InlineData("firstName endsWith \"a\"", CriteriaOperator.EndsWith)]
    [InlineData("firstName endswith \"a\"", CriteriaOperator.EndsWith)]
    [InlineData("score > 1", CriteriaOperator.GreaterThan)]
    [InlineData("score greaterThan 1", CriteriaOperator.GreaterThan)]
    [InlineData("score >= 1", CriteriaOperator.GreaterThanOrEqual)]
    [InlineData("score greaterThanOrEqual 1", CriteriaOperator.GreaterThanOrEqual)]
    [InlineData("score < 1", CriteriaOperator.LessThan)]
    [InlineData("score lessThan 1", CriteriaOperator.LessThan)]
    [InlineData("score <= 1", CriteriaOperator.LessThanOrEqual)]
    [InlineData("score LESSTHANOREQUAL 1", CriteriaOperator.LessThanOrEqual)]
    [InlineData("tags has \"vip\"", CriteriaOperator.Has)]
    [InlineData("tags HAS \"vip\"", CriteriaOperator.Has)]
    [InlineData("phone isEmpty", CriteriaOperator.IsEmpty)]
    [InlineData("phone is empty", CriteriaOperator.IsEmpty)]
    [InlineData("phone IS EMPTY", CriteriaOperator.IsEmpty)]
    [InlineData("phone isNotEmpty", CriteriaOperator.IsNotEmpty)]
    [InlineData("phone is not empty", CriteriaOperator.IsNotEmpty)]
    [InlineData("phone Is Not Empty", CriteriaOperator.IsNotEmpty)]
    [InlineData("status in (\"active\")", CriteriaOperator.In)]
    [InlineData("status IN (\"active\")", CriteriaOperator.In)]
    [InlineData("status notIn (\"active\")", CriteriaOperator.NotIn)]
    [InlineData("status not in (\"active\")", CriteriaOperator.NotIn)]
    [InlineData("status NOT IN (\"active\")", CriteriaOperator.NotIn)]
    [InlineData("score between 1 and 2", CriteriaOperator.Between)]
    [InlineData("score BETWEEN 1 AND 2", CriteriaOperator.Between)]
    [InlineData("createdAt withinLast 30 days", CriteriaOperator.WithinLastDays)]
    [InlineData("createdAt WITHINLAST 30 DAYS", CriteriaOperator.WithinLastDays)]
    [InlineData("createdAt withinLast 1 day", CriteriaOperator.WithinLastDays)]
    [InlineData("createdAt moreThan 90 days ago", CriteriaOperator.MoreThanDaysAgo)]
    [InlineData("createdAt MoreThan 90 Days Ago", CriteriaOperator.MoreThanDaysAgo)]
    public void Every_operator_spelling_parses_to_its_operator(string text, CriteriaOperator expected)
    {
        var condition = ParseCondition(text);

        Assert.Equal(expected, condition.Operator);
    }

    [Fact]
    public void An_in_list_keeps_its_values_in_order()
    {
        var condition = ParseCondition("status in (\"active\", \"inactive\" ,\"unsubscribed\")");

        Assert.Equal<CriteriaValue>(["active", "inactive", "unsubscribed"], condition.Values);
    }

    [Fact]
    public void Between_holds_the_low_and_the_high_value()
    {
        var condition = ParseCondition("customFields.score between -1.5 and 10");

        Assert.Equal<CriteriaValue>([-1.5m, 10], condition.Values);
    }

    [Theory]
    [InlineData("createdAt withinLast 30 days", 30)]
    [InlineData("lastEngagementAt moreThan 0 days ago", 0)]
    [InlineData("updatedAt moreThan 36500 days ago", 36500)]
    public void Relative_date_operators_hold_their_number_of_days(string text, int days)
    {
        var condition = ParseCondition(text);

        var value = Assert.Single(condition.Values);
        Assert.Equal(CriteriaValueKind.Number, value.Kind);
        Assert.Equal(days, value.Number);
    }

    [Theory]
    [InlineData("phone isEmpty")]
    [InlineData("phone is not empty")]
    public void Emptiness_operators_take_no_value(string text)
    {
        Assert.Empty(ParseCondition(text).Values);
    }

    [Fact]
    public void Operators_need_no_spaces_around_symbols()
    {
        var criteria = Criteria.Parse("customFields.score>=-2 and status=\"active\"");

        Assert.Equal(Criteria.And(Cond("customFields.score", CriteriaOperator.GreaterThanOrEqual, -2), Eq("status", "active")), criteria);
    }

    // ---------------------------------------------------------------- precedence and grouping

    [Fact]
    public void And_binds_tighter_than_or()
    {
        var criteria = Criteria.Parse("firstName = \"a\" or firstName = \"b\" and firstName = \"c\"");

        Assert.Equal(Criteria.Or(A, Criteria.And(B, C)), criteria);
        var or = Assert.IsType<CriteriaGroup>(criteria);
        Assert.Equal(CriteriaLogic.Or, or.Logic);
        Assert.Equal(CriteriaLogic.And, Assert.IsType<CriteriaGroup>(or.Items[1]).Logic);
    }

    [Fact]
    public void And_binds_tighter_than_or_on_both_sides()
    {
        var criteria = Criteria.Parse("firstName = \"a\" and firstName = \"b\" or firstName = \"c\" and firstName = \"d\"");

        Assert.Equal(Criteria.Or(Criteria.And(A, B), Criteria.And(C, D)), criteria);
    }

    [Fact]
    public void A_chain_of_the_same_logic_is_one_flat_group()
    {
        var criteria = Criteria.Parse("firstName = \"a\" or firstName = \"b\" or firstName = \"c\" or firstName = \"d\"");

        var group = Assert.IsType<CriteriaGroup>(criteria);
        Assert.Equal(CriteriaLogic.Or, group.Logic);
        Assert.Equal([A, B, C, D], group.Items);
    }

    [Fact]
    public void Not_binds_tighter_than_and()
    {
        var criteria = Criteria.Parse("not firstName = \"a\" and firstName = \"b\"");

        Assert.Equal(Criteria.And(Criteria.Not(A), B), criteria);
    }

    [Fact]
    public void Not_applies_to_a_parenthesized_group()
    {
        var criteria = Criteria.Parse("not (firstName = \"a\" or firstName = \"b\")");

        var not = Assert.IsType<CriteriaNot>(criteria);
        Assert.Equal(Criteria.Or(A, B), not.Operand);
    }

    [Fact]
    public void Not_not_is_kept_as_two_negations()
    {
        var criteria = Criteria.Parse("NOT not firstName = \"a\"");

        Assert.Equal(Criteria.Not(Criteria.Not(A)), criteria);
        Assert.Equal(3, criteria.Depth);
    }

    [Fact]
    public void Parentheses_override_precedence()
    {
        var criteria = Criteria.Parse("(firstName = \"a\" or firstName = \"b\") and firstName = \"c\"");

        Assert.Equal(Criteria.And(Criteria.Or(A, B), C), criteria);
    }

    [Fact]
    public void A_parenthesized_group_of_the_same_logic_stays_a_nested_group()
    {
        var criteria = Criteria.Parse("firstName = \"a\" and (firstName = \"b\" and firstName = \"c\")");

        var outer = Assert.IsType<CriteriaGroup>(criteria);
        Assert.Equal(2, outer.Items.Count);
        Assert.Equal(Criteria.And(B, C), outer.Items[1]);
        Assert.NotEqual(Criteria.And(A, B, C), criteria);
    }

    [Fact]
    public void Parentheses_around_a_single_condition_add_nothing()
    {
        var criteria = Criteria.Parse("((firstName = \"a\"))");

        Assert.Equal(A, criteria);
        Assert.Equal(1, criteria.Depth);
    }

    [Fact]
    public void Between_takes_only_the_first_and_so_a_following_and_joins_conditions()
    {
        var criteria = Criteria.Parse("customFields.score between 1 and 5 and status = \"active\"");

        Assert.Equal(Criteria.And(Cond("customFields.score", CriteriaOperator.Between, 1, 5), Eq("status", "active")), criteria);
    }

    [Fact]
    public void Keywords_are_case_insensitive_throughout()
    {
        var upper = Criteria.Parse("NOT status IN (\"active\") AND phone IS NOT EMPTY OR tags HAS \"x\" AND flag = TRUE");
        var lower = Criteria.Parse("not status in (\"active\") and phone is not empty or tags has \"x\" and flag = true");

        Assert.Equal(lower, upper);
        Assert.Equal(lower.ToString(), upper.ToString());
    }

    [Fact]
    public void Depth_and_condition_count_describe_the_tree()
    {
        var criteria = Criteria.Parse("not (firstName = \"a\" or (firstName = \"b\" and firstName = \"c\")) and firstName = \"d\"");

        Assert.Equal(5, criteria.Depth);
        Assert.Equal(4, criteria.ConditionCount);
    }

    // ---------------------------------------------------------------- fields

    [Theory]
    [InlineData("FIRSTNAME", "firstName")]
    [InlineData("Preferences.Frequency", "preferences.frequency")]
    [InlineData("preferences.TIMEZONE", "preferences.timeZone")]
    [InlineData("LastEngagementAt", "lastEngagementAt")]
    [InlineData("Preferences.Channels.EMAIL", "preferences.channels.email")]
    [InlineData("SOCIALPROFILES.LinkedIn", "socialProfiles.linkedin")]
    [InlineData("Consent.SMS", "consent.sms")]
    [InlineData("CUSTOMFIELDS.Score", "customFields.Score")]
    [InlineData("engagementScore", "engagementScore")]
    [InlineData("customFields.loyalty_tier-2", "customFields.loyalty_tier-2")]
    public void Field_names_are_put_in_their_canonical_spelling(string written, string canonical)
    {
        var condition = ParseCondition($"{written} isEmpty");

        Assert.Equal(canonical, condition.Field.Path);
        Assert.Null(condition.Field.Argument);
    }

    [Fact]
    public void Custom_field_names_compare_case_insensitively()
    {
        Assert.Equal(Criteria.Parse("customFields.score = 1"), Criteria.Parse("CustomFields.SCORE = 1"));
        Assert.Equal(Criteria.Parse("customFields.score = 1").GetHashCode(), Criteria.Parse("CustomFields.SCORE = 1").GetHashCode());
    }

    [Fact]
    public void MemberOf_takes_the_list_name_as_its_argument()
    {
        var condition = ParseCondition("memberOf(\"VIP \\\"gold\\\" list\") = \"active\"");

        Assert.Equal("memberOf", condition.Field.Path);
        Assert.Equal("VIP \"gold\" list", condition.Field.Argument);
        Assert.Equal(CriteriaField.MemberOf("VIP \"gold\" list"), condition.Field);
        Assert.Equal("memberOf(\"VIP \\\"gold\\\" list\") = \"active\"", condition.ToString());
    }

    [Fact]
    public void MemberOf_is_case_insensitive()
    {
        var condition = ParseCondition("MEMBEROF (\"Newsletter\") isNotEmpty");

        Assert.Equal(CriteriaField.MemberOf("Newsletter"), condition.Field);
    }

    // ---------------------------------------------------------------- values

    [Theory]
    [InlineData(@"a\""b", "a\"b")]
    [InlineData(@"a\\b", "a\\b")]
    [InlineData(@"a\/b", "a/b")]
    [InlineData(@"a\nb", "a\nb")]
    [InlineData(@"a\rb", "a\rb")]
    [InlineData(@"a\tb", "a\tb")]
    [InlineData(@"\u00e9t\u00C9", "étÉ")]
    [InlineData(@"\uD83D\uDE00", "😀")]
    [InlineData(@"😀 Zoë 東京", "😀 Zoë 東京")]
    [InlineData(@"\u2028", "\u2028")]
    [InlineData(@"\\\""\\", "\\\"\\")]
    [InlineData("", "")]
    public void Escapes_in_strings_are_decoded(string written, string expected)
    {
        var condition = ParseCondition($"firstName = \"{written}\"");

        var value = Assert.Single(condition.Values);
        Assert.Equal(CriteriaValueKind.Text, value.Kind);
        Assert.Equal(expected, value.Text);
    }

    [Fact]
    public void A_string_may_span_lines()
    {
        var condition = ParseCondition("firstName = \"one\ntwo\"");

        Assert.Equal("one\ntwo", condition.Values[0].Text);
    }

    [Theory]
    [InlineData("42", "42")]
    [InlineData("-1.5", "-1.5")]
    [InlineData("+3", "3")]
    [InlineData("0.50", "0.5")]
    [InlineData("-0.001", "-0.001")]
    [InlineData("79228162514264337593543950335", "79228162514264337593543950335")]
    [InlineData("0.0000000000000000000000000001", "0.0000000000000000000000000001")]
    public void Numbers_may_be_negative_or_decimal(string written, string expected)
    {
        var value = Assert.Single(ParseCondition($"customFields.score = {written}").Values);

        Assert.Equal(CriteriaValueKind.Number, value.Kind);
        Assert.Equal(decimal.Parse(expected, System.Globalization.CultureInfo.InvariantCulture), value.Number);
        Assert.Equal(expected, value.ToString());
    }

    [Theory]
    [InlineData("true", true)]
    [InlineData("TRUE", true)]
    [InlineData("False", false)]
    public void Booleans_are_case_insensitive(string written, bool expected)
    {
        var value = Assert.Single(ParseCondition($"preferences.channels.email = {written}").Values);

        Assert.Equal(CriteriaValueKind.Boolean, value.Kind);
        Assert.Equal(expected, value.Boolean);
    }

    [Theory]
    [InlineData("2025-01-31")]
    [InlineData("2025-01-31T08:00")]
    [InlineData("2025-01-31T08:00:00Z")]
    [InlineData("2025-01-31T08:00:00+02:00")]
    [InlineData("2025-01-31T08:00:00.1234567-05:30")]
    public void Bare_dates_and_date_times_become_text_values(string written)
    {
        var value = Assert.Single(ParseCondition($"createdAt > {written}").Values);

        Assert.Equal(CriteriaValueKind.Text, value.Kind);
        Assert.Equal(written, value.Text);
        Assert.Equal(Criteria.Parse($"createdAt > \"{written}\""), Criteria.Parse($"createdAt > {written}"));
    }

    [Fact]
    public void Text_values_compare_exactly()
    {
        Assert.NotEqual(Criteria.Parse("status = \"Active\""), Criteria.Parse("status = \"active\""));
        Assert.NotEqual(Criteria.Parse("customFields.score = \"1\""), Criteria.Parse("customFields.score = 1"));
        Assert.Equal(Criteria.Parse("customFields.score = 1.0"), Criteria.Parse("customFields.score = 1"));
    }

    // ---------------------------------------------------------------- positions

    [Fact]
    public void Conditions_and_values_know_their_line_and_column()
    {
        const string Text = "status = \"active\"\n  and tags has \"vip\"\n  and createdAt > 2025-01-01";

        var group = Assert.IsType<CriteriaGroup>(Criteria.Parse(Text));

        var conditions = group.Items.Cast<CriteriaCondition>().ToList();
        Assert.Equal(
            [CriteriaLocation.InText(1, 1), CriteriaLocation.InText(2, 7), CriteriaLocation.InText(3, 7)],
            conditions.Select(c => c.Location));
        Assert.Equal(
            [CriteriaLocation.InText(1, 10), CriteriaLocation.InText(2, 16), CriteriaLocation.InText(3, 19)],
            conditions.Select(c => c.Values[0].Location));
    }

    [Fact]
    public void A_line_break_inside_a_string_moves_later_positions_to_the_next_line()
    {
        const string Text = "firstName = \"line one\nline two\" and lastName = \"x\"";

        var group = Assert.IsType<CriteriaGroup>(Criteria.Parse(Text));

        var last = Assert.IsType<CriteriaCondition>(group.Items[1]);
        Assert.Equal(CriteriaLocation.InText(2, 15), last.Location);
        Assert.Equal(CriteriaLocation.InText(2, 26), last.Values[0].Location);
    }

    [Fact]
    public void Windows_line_endings_count_as_one_line_break()
    {
        var group = Assert.IsType<CriteriaGroup>(Criteria.Parse("firstName = \"a\"\r\n\r\n\tand lastName = \"b\""));

        Assert.Equal(CriteriaLocation.InText(3, 6), ((CriteriaCondition)group.Items[1]).Location);
    }

    [Fact]
    public void Values_of_a_list_know_their_positions_on_later_lines()
    {
        var condition = ParseCondition("status in (\n  \"active\",\n  \"inactive\"\n)");

        Assert.Equal([CriteriaLocation.InText(2, 3), CriteriaLocation.InText(3, 3)], condition.Values.Select(v => v.Location));
    }

    [Fact]
    public void Locations_are_not_part_of_equality()
    {
        Assert.Equal(Criteria.Parse("status = \"active\""), Criteria.Parse("\n\n    status   =   \"active\""));
        Assert.Equal(Eq("status", "active"), Criteria.Parse("status = \"active\""));
    }

    // ---------------------------------------------------------------- canonical text

    [Theory]
    [InlineData(IssueExample, "status = \"active\" and tags has \"vip\" and createdAt > \"2025-01-01\" and (company = \"Acme\" or email endsWith \"@acme.com\")")]
    [InlineData("STATUS == \"active\"", "status = \"active\"")]
    [InlineData("customFields.score <> 5", "customFields.score != 5")]
    [InlineData("CustomFields.Score greaterThanOrEqual 1.50", "customFields.Score >= 1.5")]
    [InlineData("score lessThan -2", "score < -2")]
    [InlineData("score lessThanOrEqual 0", "score <= 0")]
    [InlineData("score greaterThan 0", "score > 0")]
    [InlineData("firstName not in (\"a\",\"b\")", "firstName notIn (\"a\", \"b\")")]
    [InlineData("firstName NOT CONTAINS \"x\"", "firstName notContains \"x\"")]
    [InlineData("firstName STARTSWITH \"x\"", "firstName startsWith \"x\"")]
    [InlineData("phone is not empty", "phone isNotEmpty")]
    [InlineData("phone IS EMPTY", "phone isEmpty")]
    [InlineData("createdAt WITHINLAST 30 DAY", "createdAt withinLast 30 days")]
    [InlineData("lastEngagementAt moreThan 90 days ago", "lastEngagementAt moreThan 90 days ago")]
    [InlineData("createdAt between 2025-01-01 and 2025-12-31T23:59:59Z", "createdAt between \"2025-01-01\" and \"2025-12-31T23:59:59Z\"")]
    [InlineData("Preferences.Channels.Email = TRUE", "preferences.channels.email = true")]
    [InlineData("not not phone isEmpty", "not not phone isEmpty")]
    [InlineData("not (phone isEmpty or email isEmpty)", "not (phone isEmpty or email isEmpty)")]
    [InlineData("((phone isEmpty) or (email isEmpty)) and ((type = \"lead\"))", "(phone isEmpty or email isEmpty) and type = \"lead\"")]
    [InlineData("phone isEmpty and (email isEmpty and type isEmpty)", "phone isEmpty and (email isEmpty and type isEmpty)")]
    [InlineData("memberOf(\"VIP\") = \"active\"", "memberOf(\"VIP\") = \"active\"")]
    [InlineData("firstName = \"tab\\there \\u00e9 \\/ \\\"q\\\"\"", "firstName = \"tab\\there é / \\\"q\\\"\"")]
    public void Criteria_print_in_canonical_text(string text, string canonical)
    {
        var criteria = Criteria.Parse(text);

        Assert.Equal(canonical, criteria.ToString());
        Assert.Equal(criteria, Criteria.Parse(canonical));
    }

    [Fact]
    public void The_issue_example_parses_to_the_expected_tree()
    {
        var expected = Criteria.And(
            Eq("status", "active"),
            Cond("tags", CriteriaOperator.Has, "vip"),
            Cond("createdAt", CriteriaOperator.GreaterThan, CriteriaValue.Of(new DateOnly(2025, 1, 1))),
            Criteria.Or(Eq("company", "Acme"), Cond("email", CriteriaOperator.EndsWith, "@acme.com")));

        Assert.Equal(expected, Criteria.Parse(IssueExample));
        Assert.Equal(expected.GetHashCode(), Criteria.Parse(IssueExample).GetHashCode());
    }

    [Fact]
    public void Control_and_separator_characters_print_as_escapes()
    {
        var criteria = Eq("firstName", "a\"b\\c\nd\re\tf\u2028g\u2029");

        Assert.Equal("firstName = \"a\\\"b\\\\c\\nd\\re\\tf\\u2028g\\u2029\"", criteria.ToString());
    }

    [Fact]
    public void Dates_built_in_code_print_as_iso_text()
    {
        var criteria = Criteria.And(
            Cond("createdAt", CriteriaOperator.GreaterThan, CriteriaValue.Of(new DateOnly(2025, 1, 31))),
            Cond("updatedAt", CriteriaOperator.LessThan, CriteriaValue.Of(new DateTimeOffset(2025, 1, 31, 8, 0, 0, TimeSpan.FromHours(2)))));

        Assert.Equal("createdAt > \"2025-01-31\" and updatedAt < \"2025-01-31T08:00:00+02:00\"", criteria.ToString());
    }

    // ---------------------------------------------------------------- round trip

    public static TheoryData<string> TrickyTreeNames => [.. ParserTestTrees.All.Keys];

    [Theory]
    [MemberData(nameof(TrickyTreeNames))]
    public void Parsing_the_printed_text_gives_the_same_tree(string name)
    {
        var tree = ParserTestTrees.All[name];

        var text = tree.ToString();
        var parsed = Criteria.Parse(text);

        Assert.Equal(tree, parsed);
        Assert.Equal(tree.GetHashCode(), parsed.GetHashCode());
        Assert.Equal(text, parsed.ToString());
    }

    [Fact]
    public void A_group_of_one_item_is_that_item()
    {
        var item = Eq("status", "active");

        Assert.Same(item, Criteria.And(item));
        Assert.Same(item, Criteria.Or(item));
        Assert.Same(item, Criteria.Group(CriteriaLogic.And, [item]));
        Assert.Equal("status = \"active\" and phone isEmpty", Criteria.And(Criteria.Or(item), Cond("phone", CriteriaOperator.IsEmpty)).ToString());
    }

    [Theory]
    [InlineData("not")]
    [InlineData("AND")]
    [InlineData("or")]
    public void A_field_named_like_a_joining_keyword_is_refused_so_every_tree_prints_back(string name)
    {
        Assert.Throws<ArgumentException>(() => CriteriaField.Of(name));

        var error = Assert.Throws<InvalidCriteriaException>(() => Criteria.ParseJson($$"""{"field":"{{name}}","operator":"equals","value":1}"""));
        Assert.Equal("$.field", error.Errors[0].Location?.JsonPath);
    }

    // ---------------------------------------------------------------- helpers

    private static readonly CriteriaCondition A = Eq("firstName", "a");
    private static readonly CriteriaCondition B = Eq("firstName", "b");
    private static readonly CriteriaCondition C = Eq("firstName", "c");
    private static readonly CriteriaCondition D = Eq("firstName", "d");

    private static CriteriaCondition ParseCondition(string text) => Assert.IsType<CriteriaCondition>(Criteria.Parse(text));

    private static CriteriaCondition Eq(string field, CriteriaValue value) => Criteria.Condition(field, CriteriaOperator.Equals, value);

    private static CriteriaCondition Cond(string field, CriteriaOperator op, params CriteriaValue[] values) => Criteria.Condition(field, op, values);
}

/// <summary>Hand-picked criteria trees that are awkward to print and parse back; shared by the text and JSON tests.</summary>
internal static class ParserTestTrees
{
    public static IReadOnlyDictionary<string, Criteria> All { get; } = Build();

    private static Dictionary<string, Criteria> Build()
    {
        var a = Criteria.Condition("firstName", CriteriaOperator.Equals, "a");
        var b = Criteria.Condition("lastName", CriteriaOperator.Contains, "b");
        var c = Criteria.Condition("tags", CriteriaOperator.Has, "c");
        var d = Criteria.Condition("phone", CriteriaOperator.IsEmpty);
        var e = Criteria.Condition("customFields.score", CriteriaOperator.Between, -1.5m, 10);

        return new Dictionary<string, Criteria>(StringComparer.Ordinal)
        {
            ["single condition"] = a,
            ["nested groups"] = Criteria.And(a, Criteria.Or(b, Criteria.And(c, d)), e),
            ["same logic nested"] = Criteria.And(a, Criteria.And(b, c)),
            ["group first"] = Criteria.Or(Criteria.And(a, b), c),
            ["not of a group"] = Criteria.Not(Criteria.Or(a, b)),
            ["not not"] = Criteria.Not(Criteria.Not(a)),
            ["not not of a group"] = Criteria.Not(Criteria.Not(Criteria.And(a, b))),
            ["group of nots"] = Criteria.Or(Criteria.Not(a), Criteria.Not(Criteria.And(b, c)), Criteria.Not(Criteria.Not(d))),
            ["collapsed single-item groups"] = Criteria.And(Criteria.Or(a), Criteria.Group(CriteriaLogic.Or, [Criteria.And(b)]), c),
            ["quotes and backslashes"] = Criteria.Condition("company", CriteriaOperator.Equals, "say \"hi\" \\ \\\" \\\\ to \"\"\""),
            ["line breaks and tabs"] = Criteria.Condition("title", CriteriaOperator.StartsWith, "line1\nline2\r\n\tend\r"),
            ["non-ascii"] = Criteria.Condition("lastName", CriteriaOperator.Equals, "Zoë Ñandú Øresund 東京 Straße İ"),
            ["emoji"] = Criteria.Condition("firstName", CriteriaOperator.In, "🎉 party", "👍🏽", "👨‍👩‍👧"),
            ["line separators"] = Criteria.Condition("title", CriteriaOperator.Contains, "a\u2028b\u2029c"),
            ["keywords inside strings"] = Criteria.Condition("company", CriteriaOperator.In, "and", "or", "not (", ")", "in (\"x\")", "is not empty"),
            ["empty string"] = Criteria.Condition("company", CriteriaOperator.NotEquals, string.Empty),
            ["memberOf with escapes"] = Criteria.Condition(CriteriaField.MemberOf("The \"Best\" \\ List\n2"), CriteriaOperator.Equals, "active"),
            ["mixed value kinds"] = Criteria.Condition("customFields.x", CriteriaOperator.NotIn, "1", 1, true, false, -0.25m),
            ["extreme numbers"] = Criteria.Or(
                Criteria.Condition("customFields.score", CriteriaOperator.GreaterThan, decimal.MaxValue),
                Criteria.Condition("customFields.score", CriteriaOperator.LessThan, decimal.MinValue),
                Criteria.Condition("customFields.score", CriteriaOperator.Equals, 0.0000000000000000000000000001m)),
            ["dates"] = Criteria.And(
                Criteria.Condition("createdAt", CriteriaOperator.Between, CriteriaValue.Of(new DateOnly(2025, 1, 1)), CriteriaValue.Of(new DateTimeOffset(2025, 12, 31, 23, 59, 59, TimeSpan.FromHours(-5)))),
                Criteria.Condition("customFields.birthday", CriteriaOperator.In, CriteriaValue.Of(new DateOnly(2000, 2, 29)))),
            ["relative dates and emptiness"] = Criteria.Or(
                Criteria.Condition("createdAt", CriteriaOperator.WithinLastDays, 30),
                Criteria.Not(Criteria.Condition("lastEngagementAt", CriteriaOperator.MoreThanDaysAgo, 0)),
                Criteria.Condition("preferences.frequency", CriteriaOperator.IsNotEmpty)),
            ["every field family"] = Criteria.And(
                Criteria.Condition("preferences.channels.sms", CriteriaOperator.NotEquals, true),
                Criteria.Condition("socialProfiles.linkedin", CriteriaOperator.EndsWith, "/in/ada"),
                Criteria.Condition("consent.email", CriteriaOperator.In, "granted", "pending"),
                Criteria.Condition("engagementScore", CriteriaOperator.GreaterThanOrEqual, 3)),
            ["deep alternation"] = DeepAlternation(a, b, 12),
        };
    }

    // not (x and not (x or not (...))): 3 levels per step, far from the default depth limit of 32.
    private static Criteria DeepAlternation(Criteria a, Criteria b, int steps)
    {
        var tree = a;
        for (var i = 0; i < steps / 3; i++)
        {
            tree = Criteria.Not(i % 2 == 0 ? Criteria.And(b, tree) : Criteria.Or(tree, b));
        }

        return tree;
    }
}
