using System.Text;
using System.Text.Json;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;

namespace Datum.Contacts.Tests.CriteriaLanguage;

public sealed class CriteriaLimitsTests
{
    private const int Hostile = 100_000;

    // Long enough for the hostile inputs, so the depth limit (not the length limit) is what stops them.
    private static readonly CriteriaLimits Roomy = new() { MaxLength = 10_000_000 };

    private static readonly CriteriaLimits Depth5 = new() { MaxDepth = 5 };

    private static readonly CriteriaLimits Small = new()
    {
        MaxLength = 200,
        MaxDepth = 5,
        MaxConditions = 3,
        MaxValueLength = 5,
        MaxListValues = 3,
        MaxDays = 100,
    };

    // ---------------------------------------------------------------- hostile nesting

    [Fact]
    public void Parentheses_nested_100000_deep_fail_with_limit_exceeded()
    {
        var text = new string('(', Hostile) + "status = \"active\"" + new string(')', Hostile);

        var error = SingleError(() => Criteria.Parse(text, Roomy));

        // Parentheses around one condition add no level to the tree; they have their own, looser bound.
        Assert.Equal("limit_exceeded", error.Code);
        Assert.Contains($"nests parentheses deeper than {Criteria.MaxSupportedDepth} levels", error.Message, StringComparison.Ordinal);
        Assert.Equal(CriteriaLocation.InText(1, Criteria.MaxSupportedDepth + 1), error.Location);
    }

    [Fact]
    public void Not_nested_100000_deep_fails_with_limit_exceeded()
    {
        var text = new StringBuilder().Insert(0, "not ", Hostile).Append("status = \"active\"").ToString();

        var error = SingleError(() => Criteria.Parse(text, Roomy));

        Assert.Equal("limit_exceeded", error.Code);
        Assert.Contains("nests deeper", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Nested_groups_100000_deep_fail_with_limit_exceeded()
    {
        var text = new StringBuilder().Insert(0, "phone isEmpty and (", Hostile).Append("phone isEmpty").Append(')', Hostile).ToString();

        var error = SingleError(() => Criteria.Parse(text, Roomy));

        Assert.Equal("limit_exceeded", error.Code);
    }

    [Fact]
    public void Hostile_nesting_at_the_default_length_limit_fails_on_the_length()
    {
        var text = new string('(', Hostile) + "status = \"active\"" + new string(')', Hostile);

        var error = SingleError(() => Criteria.Parse(text));

        Assert.Equal("limit_exceeded", error.Code);
        Assert.Contains("characters long", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Hostile_nesting_fails_cleanly_even_at_the_largest_depth_limit()
    {
        var limits = new CriteriaLimits { MaxLength = 10_000_000, MaxDepth = Criteria.MaxSupportedDepth };
        var text = new StringBuilder().Insert(0, "not (", Hostile).Append("phone isEmpty").Append(')', Hostile).ToString();

        var error = SingleError(() => Criteria.Parse(text, limits));

        Assert.Equal("limit_exceeded", error.Code);
    }

    [Fact]
    public void Json_not_nested_100000_deep_fails_with_limit_exceeded()
    {
        var json = NestedJsonNots(Hostile);

        var error = SingleError(() => Criteria.ParseJson(json, Roomy));

        Assert.Equal("limit_exceeded", error.Code);
        Assert.Contains("nests deeper than 32 levels", error.Message, StringComparison.Ordinal);
        Assert.Equal("$", error.Location!.JsonPath);
    }

    [Fact]
    public void Json_groups_nested_100000_deep_fail_with_limit_exceeded()
    {
        var json = NestedJsonGroups(Hostile);

        var error = SingleError(() => Criteria.ParseJson(json, Roomy));

        Assert.Equal("limit_exceeded", error.Code);
        Assert.Contains("nests deeper than 32 levels", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Json_nested_10000_deep_through_the_serializer_fails_cleanly()
    {
        // 10,000 rather than 100,000: the serializer's own reader is slow on very deep documents, not the criteria reader.
        var json = "{\"Filter\":" + NestedJsonNots(Hostile / 10) + "}";
        var options = new JsonSerializerOptions { MaxDepth = Hostile };

        var error = SingleError(() => JsonSerializer.Deserialize<Holder>(json, options));

        Assert.Equal("limit_exceeded", error.Code);
    }

    // ---------------------------------------------------------------- depth at the limit

    [Theory]
    [InlineData(4, true)]
    [InlineData(5, false)]
    public void Nots_nest_up_to_the_depth_limit_in_text(int nots, bool accepted)
    {
        var text = new StringBuilder().Insert(0, "not ", nots).Append("phone isEmpty").ToString();

        AssertAcceptedOrTooDeep(() => Criteria.Parse(text, Depth5), accepted, nots + 1);
    }

    [Theory]
    [InlineData(4, true)]
    [InlineData(5, false)]
    public void Groups_nest_up_to_the_depth_limit_in_text(int groups, bool accepted)
    {
        // a and (a and (a and (a and a))) is four groups: depth 5.
        var text = new StringBuilder().Insert(0, "phone isEmpty and (", groups - 1).Append("phone isEmpty and phone isEmpty").Append(')', groups - 1).ToString();

        AssertAcceptedOrTooDeep(() => Criteria.Parse(text, Depth5), accepted, groups + 1);
    }

    [Theory]
    [InlineData(2, true)]
    [InlineData(3, false)]
    public void Nots_and_groups_together_nest_up_to_the_depth_limit_in_text(int pairs, bool accepted)
    {
        // not (a or not (a or b)): each pair adds a not and a group.
        var text = new StringBuilder().Insert(0, "not (phone isEmpty or ", pairs - 1).Append("not (phone isEmpty or email isEmpty)").Append(')', pairs - 1).ToString();

        AssertAcceptedOrTooDeep(() => Criteria.Parse(text, Depth5), accepted, (pairs * 2) + 1);
    }

    [Fact]
    public void Parentheses_around_a_condition_do_not_count_as_a_level()
    {
        // The tree is not(condition): depth 2, exactly the limit.
        var criteria = Criteria.Parse("not (status = \"active\")", new CriteriaLimits { MaxDepth = 2 });

        Assert.Equal(2, criteria.Depth);
    }

    [Theory]
    [InlineData(4, true)]
    [InlineData(5, false)]
    public void Nots_nest_up_to_the_depth_limit_in_json(int nots, bool accepted)
    {
        var json = NestedJsonNots(nots);

        AssertAcceptedOrTooDeep(() => Criteria.ParseJson(json, Depth5), accepted, nots + 1);
    }

    [Theory]
    [InlineData(4, true)]
    [InlineData(5, false)]
    public void Groups_nest_up_to_the_depth_limit_in_json(int groups, bool accepted)
    {
        var json = NestedJsonGroups(groups);

        AssertAcceptedOrTooDeep(() => Criteria.ParseJson(json, Depth5), accepted, groups + 1);
    }

    [Fact]
    public void A_criteria_at_the_depth_limit_round_trips_through_text_and_json()
    {
        var limits = Depth5;
        var atLimit = Criteria.Not(Criteria.Not(Criteria.Not(Criteria.Not(Criteria.Condition("phone", CriteriaOperator.IsEmpty)))));
        Assert.Equal(5, atLimit.Depth);

        Assert.Equal(atLimit, Criteria.Parse(atLimit.ToString(), limits));
        Assert.Equal(atLimit, Criteria.ParseJson(atLimit.ToJson(), limits));
    }

    [Fact]
    public void The_default_depth_limit_is_32()
    {
        Criteria deepest = Criteria.Condition("phone", CriteriaOperator.IsEmpty);
        for (var i = 1; i < 32; i++)
        {
            deepest = Criteria.Or(Criteria.Condition("email", CriteriaOperator.IsEmpty), deepest);
        }

        Assert.Equal(32, deepest.Depth);
        Assert.Equal(deepest, Criteria.Parse(deepest.ToString()));
        Assert.Equal(deepest, Criteria.ParseJson(deepest.ToJson()));
        var tooDeep = Criteria.Or(Criteria.Condition("email", CriteriaOperator.IsEmpty), deepest);
        Assert.Equal("limit_exceeded", SingleError(() => Criteria.Parse(tooDeep.ToString())).Code);
        Assert.Equal("limit_exceeded", SingleError(() => Criteria.ParseJson(tooDeep.ToJson())).Code);
    }

    // ---------------------------------------------------------------- other limits in text and json

    [Theory]
    [InlineData(3, true)]
    [InlineData(4, false)]
    public void The_number_of_conditions_is_bounded(int count, bool accepted)
    {
        var conditions = Enumerable.Range(0, count).Select(_ => Criteria.Condition("phone", CriteriaOperator.IsEmpty)).ToArray();
        var criteria = Criteria.Or(conditions);

        AssertAcceptedOrLimit(() => Criteria.Parse(criteria.ToString(), Small), accepted, "more than 3 conditions");
        AssertAcceptedOrLimit(() => Criteria.ParseJson(criteria.ToJson(), Small), accepted, "more than 3 conditions");
    }

    [Fact]
    public void The_condition_over_the_limit_is_the_one_reported()
    {
        var text = Criteria.Parse("phone isEmpty or email isEmpty or type isEmpty or title isEmpty").ToString();

        var textError = SingleError(() => Criteria.Parse(text, Small));
        var jsonError = SingleError(() => Criteria.ParseJson(Criteria.Parse(text).ToJson(), Small));

        Assert.Equal(CriteriaLocation.InText(1, 51), textError.Location);
        Assert.Equal(CriteriaLocation.InJson("$.conditions[3]"), jsonError.Location);
    }

    [Theory]
    [InlineData("abcde", true)]
    [InlineData("abcdef", false)]
    [InlineData("\u00e9\u00e9\u00e9\u00e9\u00e9", true)]
    public void The_length_of_a_text_value_is_bounded(string value, bool accepted)
    {
        var criteria = Criteria.Condition("firstName", CriteriaOperator.Equals, value);

        AssertAcceptedOrLimit(() => Criteria.Parse(criteria.ToString(), Small), accepted, "5 characters");
        AssertAcceptedOrLimit(() => Criteria.ParseJson(criteria.ToJson(), Small), accepted, "at most 5 are allowed");
    }

    [Fact]
    public void A_value_is_measured_after_its_escapes_are_decoded()
    {
        var criteria = Criteria.Parse("firstName = \"\\u0041\\u0042\\u0043\\u0044\\u0045\"", Small);

        Assert.Equal("ABCDE", ((CriteriaCondition)criteria).Values[0].Text);
    }

    [Fact]
    public void The_length_of_a_value_in_a_list_is_bounded()
    {
        Assert.Equal("limit_exceeded", SingleError(() => Criteria.Parse("firstName in (\"a\", \"abcdef\")", Small)).Code);
        var error = SingleError(() => Criteria.ParseJson("""{"field":"firstName","operator":"in","value":["a","abcdef"]}""", Small));
        Assert.Equal("limit_exceeded", error.Code);
        Assert.Equal("$.value[1]", error.Location!.JsonPath);
    }

    [Theory]
    [InlineData(3, true)]
    [InlineData(4, false)]
    public void The_number_of_values_in_a_list_is_bounded(int count, bool accepted)
    {
        var values = Enumerable.Range(1, count).Select(i => CriteriaValue.Of(i)).ToArray();
        var criteria = Criteria.Condition("customFields.score", CriteriaOperator.NotIn, values);

        AssertAcceptedOrLimit(() => Criteria.Parse(criteria.ToString(), Small), accepted, "more than 3 values");
        AssertAcceptedOrLimit(() => Criteria.ParseJson(criteria.ToJson(), Small), accepted, "at most 3 are allowed");
    }

    [Fact]
    public void The_list_value_over_the_limit_is_the_one_reported()
    {
        var error = SingleError(() => Criteria.Parse("customFields.score in (1, 2, 3, 4, 5)", Small));

        Assert.Equal(CriteriaLocation.InText(1, 33), error.Location);
        Assert.Equal("4", error.Token);
    }

    [Theory]
    [InlineData("withinLast", "withinLastDays", "", 100, true)]
    [InlineData("withinLast", "withinLastDays", "", 101, false)]
    [InlineData("moreThan", "moreThanDaysAgo", " ago", 100, true)]
    [InlineData("moreThan", "moreThanDaysAgo", " ago", 101, false)]
    public void The_number_of_days_is_bounded(string keyword, string name, string ago, int days, bool accepted)
    {
        var text = $"createdAt {keyword} {days} days{ago}";
        var json = $$"""{"field":"createdAt","operator":"{{name}}","value":{{days}}}""";

        AssertAcceptedOrLimit(() => Criteria.Parse(text, Small), accepted, "maximum of 100");
        AssertAcceptedOrLimit(() => Criteria.ParseJson(json, Small), accepted, "maximum of 100");
    }

    [Theory]
    [InlineData(200, true)]
    [InlineData(201, false)]
    public void The_length_of_the_whole_criteria_is_bounded(int length, bool accepted)
    {
        const string Condition = "firstName = \"x\"";
        var text = Condition + new string(' ', length - Condition.Length);
        const string JsonCondition = """{"field":"firstName","operator":"equals","value":"x"}""";
        var json = JsonCondition + new string(' ', length - JsonCondition.Length);

        AssertAcceptedOrLimit(() => Criteria.Parse(text, Small), accepted, $"{length} characters long");
        AssertAcceptedOrLimit(() => Criteria.ParseJson(json, Small), accepted, $"{length} characters long");
    }

    [Fact]
    public void A_criteria_over_the_length_limit_is_reported_at_its_start()
    {
        var text = new string(' ', 201);

        Assert.Equal(CriteriaLocation.InText(1, 1), SingleError(() => Criteria.Parse(text, Small)).Location);
        Assert.Equal(CriteriaLocation.InJson("$"), SingleError(() => Criteria.ParseJson(text, Small)).Location);
    }

    [Fact]
    public void A_compiler_parses_with_its_own_limits()
    {
        var compiler = new CriteriaCompiler(Small);

        Assert.Equal("limit_exceeded", SingleError(() => compiler.Parse("firstName = \"abcdef\"")).Code);
        Assert.Equal("limit_exceeded", SingleError(() => compiler.ParseJson("""{"field":"firstName","operator":"equals","value":"abcdef"}""")).Code);
        Assert.Same(Small, compiler.Limits);
    }

    // ---------------------------------------------------------------- criteria built in code

    public static TheoryData<string> OversizedInCode => [.. Oversized.Keys];

    [Theory]
    [MemberData(nameof(OversizedInCode))]
    public void Criteria_built_in_code_over_a_limit_are_rejected_by_compile(string name)
    {
        var (criteria, message) = Oversized[name];
        var compiler = new CriteriaCompiler(Small);

        var error = SingleError(() => compiler.Compile(criteria, CustomFieldSchema.Empty));

        Assert.Equal("limit_exceeded", error.Code);
        Assert.Contains(message, error.Message, StringComparison.Ordinal);
        Assert.Null(error.Location);
    }

    [Fact]
    public void Criteria_built_in_code_at_the_limits_compile()
    {
        var atLimits = Criteria.And(
            Criteria.Not(Criteria.Not(Criteria.Or(
                Criteria.Condition("firstName", CriteriaOperator.In, "abcde", "b", "c"),
                Criteria.Condition("createdAt", CriteriaOperator.WithinLastDays, 100)))),
            Criteria.Condition("phone", CriteriaOperator.IsEmpty));
        Assert.Equal(5, atLimits.Depth);

        var compiled = new CriteriaCompiler(Small).Compile(atLimits, CustomFieldSchema.Empty);

        Assert.Same(atLimits, compiled.Criteria);
    }

    [Fact]
    public void Criteria_parsed_under_looser_limits_are_rechecked_by_a_stricter_compiler()
    {
        var criteria = Criteria.Parse("firstName in (\"a\", \"b\", \"c\", \"d\") and createdAt withinLast 365 days");

        var exception = Assert.Throws<InvalidCriteriaException>(() => new CriteriaCompiler(Small).Compile(criteria, CustomFieldSchema.Empty));

        Assert.Equal(["limit_exceeded", "limit_exceeded"], exception.Errors.Select(e => e.Code));
        Assert.Equal([CriteriaLocation.InText(1, 1), CriteriaLocation.InText(1, 60)], exception.Errors.Select(e => e.Location));
    }

    [Fact]
    public void Criteria_cannot_be_built_deeper_than_the_supported_depth()
    {
        Criteria criteria = Criteria.Condition("phone", CriteriaOperator.IsEmpty);
        for (var i = 1; i < Criteria.MaxSupportedDepth; i++)
        {
            criteria = Criteria.Not(criteria);
        }

        Assert.Equal(256, criteria.Depth);
        var notTooDeep = criteria;
        var exception = Assert.Throws<ArgumentException>(() => Criteria.Not(notTooDeep));
        Assert.Contains("256", exception.Message, StringComparison.Ordinal);
        Assert.Throws<ArgumentException>(() => Criteria.And(Criteria.Condition("email", CriteriaOperator.IsEmpty), notTooDeep));
    }

    [Fact]
    public void A_compiler_refuses_limits_out_of_range()
    {
        var exception = Assert.Throws<ArgumentException>(() => new CriteriaCompiler(new CriteriaLimits { MaxDepth = 0 }));

        Assert.Contains("MaxDepth is 0", exception.Message, StringComparison.Ordinal);
        Assert.Throws<ArgumentOutOfRangeException>(() => new CriteriaCompiler(cacheSize: -1));
    }

    [Fact]
    public void A_criteria_whose_lists_hold_more_values_in_all_than_allowed_is_refused_naming_the_limit()
    {
        var limits = new CriteriaLimits { MaxListValues = 3, MaxTotalListValues = 5 };
        var compiler = new CriteriaCompiler(limits);
        var withinTotal = compiler.Parse("""email in ("a@x.io", "b@x.io", "c@x.io") and lastName in ("A", "B")""");
        var overTotal = compiler.Parse("""email in ("a@x.io", "b@x.io", "c@x.io") and lastName in ("A", "B") and firstName = "C" """);

        compiler.Compile(withinTotal, CustomFieldSchema.Empty);
        var refused = Assert.Throws<InvalidCriteriaException>(() => compiler.Compile(overTotal, CustomFieldSchema.Empty));

        var error = Assert.Single(refused.Errors);
        Assert.Equal("limit_exceeded", error.Code);
        Assert.Equal("the criteria's lists hold 6 values in all; at most 5 are allowed", error.Message);
    }

    // ---------------------------------------------------------------- options validated at start-up

    [Theory]
    [InlineData("MaxDepth", 0, "ContactManagementOptions.Criteria.MaxDepth is 0; it must be between 1 and 256.")]
    [InlineData("MaxDepth", 257, "ContactManagementOptions.Criteria.MaxDepth is 257; it must be between 1 and 256.")]
    [InlineData("MaxLength", 0, "ContactManagementOptions.Criteria.MaxLength is 0; it must be between 1 and 10000000.")]
    [InlineData("MaxConditions", 501, "ContactManagementOptions.Criteria.MaxConditions is 501; it must be between 1 and 500.")]
    [InlineData("MaxValueLength", -1, "ContactManagementOptions.Criteria.MaxValueLength is -1; it must be between 1 and 1000000.")]
    [InlineData("MaxListValues", 0, "ContactManagementOptions.Criteria.MaxListValues is 0; it must be between 1 and 1000.")]
    [InlineData("MaxTotalListValues", 10_001, "ContactManagementOptions.Criteria.MaxTotalListValues is 10001; it must be between 1 and 10000.")]
    [InlineData("MaxTotalListValues", 0, "ContactManagementOptions.Criteria.MaxTotalListValues is 0; it must be between 1 and 10000.")]
    [InlineData("MaxDays", 1_000_001, "ContactManagementOptions.Criteria.MaxDays is 1000001; it must be between 1 and 1000000.")]
    [InlineData("MaxCachedCriteria", -1, "ContactManagementOptions.MaxCachedCriteria is -1; it must be between 0 and 100000.")]
    [InlineData("MaxCachedCriteria", 100_001, "ContactManagementOptions.MaxCachedCriteria is 100001; it must be between 0 and 100000.")]
    public void Criteria_options_out_of_range_fail_at_start_up(string option, int value, string failure)
    {
        var exception = Assert.Throws<OptionsValidationException>(() => OptionsAtStartUp(o => Set(o, option, value)));

        Assert.Equal(failure, Assert.Single(exception.Failures));
    }

    [Fact]
    public void A_zero_criteria_depth_fails_at_start_up_naming_the_option()
    {
        var exception = Assert.Throws<OptionsValidationException>(() => OptionsAtStartUp(o => o.Criteria.MaxDepth = 0));

        Assert.Contains("ContactManagementOptions.Criteria.MaxDepth", exception.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Missing_criteria_limits_fail_at_start_up()
    {
        var exception = Assert.Throws<OptionsValidationException>(() => OptionsAtStartUp(o => o.Criteria = null!));

        Assert.Equal("ContactManagementOptions.Criteria must not be null.", Assert.Single(exception.Failures));
    }

    [Fact]
    public void Criteria_options_at_their_bounds_are_valid()
    {
        var options = OptionsAtStartUp(o =>
        {
            o.MaxCachedCriteria = 0;
            o.Criteria = new CriteriaLimits { MaxLength = 10_000_000, MaxDepth = 256, MaxConditions = 500, MaxValueLength = 1_000_000, MaxListValues = 1_000, MaxDays = 1_000_000 };
        });

        Assert.Equal(256, options.Criteria.MaxDepth);
        Assert.Equal(0, options.MaxCachedCriteria);
        Assert.True(new ContactManagementOptionsValidator([Store]).Validate(null, new ContactManagementOptions { MaxCachedCriteria = 100_000, Criteria = new CriteriaLimits { MaxDepth = 1 } }).Succeeded);
    }

    [Fact]
    public void Every_bad_criteria_option_is_reported_at_once()
    {
        var result = new ContactManagementOptionsValidator([Store]).Validate(
            null,
            new ContactManagementOptions { MaxCachedCriteria = -5, Criteria = new CriteriaLimits { MaxDepth = 300, MaxDays = 0 } });

        Assert.Equal(
            [
                "ContactManagementOptions.MaxCachedCriteria is -5; it must be between 0 and 100000.",
                "ContactManagementOptions.Criteria.MaxDepth is 300; it must be between 1 and 256.",
                "ContactManagementOptions.Criteria.MaxDays is 0; it must be between 1 and 1000000.",
            ],
            result.Failures!);
    }

    [Fact]
    public void Add_contact_management_validates_its_options_on_start()
    {
        var services = new ServiceCollection();

        services.AddContactManagement();

        Assert.Contains(services, d => d.ServiceType == typeof(IStartupValidator));
        Assert.Contains(services, d => d.ServiceType == typeof(IValidateOptions<ContactManagementOptions>));
    }

    // ---------------------------------------------------------------- helpers

    private static readonly StoreRegistration Store = new("in-memory", typeof(Holder));

    private static readonly Dictionary<string, (Criteria Criteria, string Message)> Oversized = new(StringComparer.Ordinal)
    {
        ["too deep"] = (
            Criteria.Not(Criteria.Not(Criteria.Not(Criteria.Not(Criteria.Not(Criteria.Condition("phone", CriteriaOperator.IsEmpty)))))),
            "nests 6 levels deep; at most 5"),
        ["too many conditions"] = (
            Criteria.And([.. Enumerable.Range(0, 4).Select(_ => Criteria.Condition("phone", CriteriaOperator.IsEmpty))]),
            "4 conditions; at most 3"),
        ["too long a value"] = (
            Criteria.Condition("firstName", CriteriaOperator.Equals, "abcdef"),
            "6 characters long; at most 5"),
        ["too long a choice value"] = (
            Criteria.Condition("status", CriteriaOperator.Equals, "inactive"),
            "8 characters long; at most 5"),
        ["too many list values"] = (
            Criteria.Condition("firstName", CriteriaOperator.NotIn, "a", "b", "c", "d"),
            "4 values; at most 3"),
        ["too many days"] = (
            Criteria.Condition("createdAt", CriteriaOperator.MoreThanDaysAgo, 101),
            "101 days is more than the configured maximum of 100"),
    };

    /// <summary>
    /// What a host does at start-up, without a container (this project references neither the container nor a
    /// store): AddContactManagement registers the configuration and the validator, and the options factory
    /// applies one and runs the other, exactly as ValidateOnStart does.
    /// </summary>
    private static ContactManagementOptions OptionsAtStartUp(Action<ContactManagementOptions> configure)
    {
        var services = new ServiceCollection();
        services.AddContactManagement(configure);
        var setups = services
            .Where(d => d.ServiceType == typeof(IConfigureOptions<ContactManagementOptions>))
            .Select(d => (IConfigureOptions<ContactManagementOptions>)d.ImplementationInstance!)
            .ToList();
        Assert.NotEmpty(setups);
        var factory = new OptionsFactory<ContactManagementOptions>(setups, [], [new ContactManagementOptionsValidator([Store])]);
        return factory.Create(Options.DefaultName);
    }

    private static void Set(ContactManagementOptions options, string option, int value)
    {
        switch (option)
        {
            case "MaxDepth": options.Criteria.MaxDepth = value; break;
            case "MaxLength": options.Criteria.MaxLength = value; break;
            case "MaxConditions": options.Criteria.MaxConditions = value; break;
            case "MaxValueLength": options.Criteria.MaxValueLength = value; break;
            case "MaxListValues": options.Criteria.MaxListValues = value; break;
            case "MaxTotalListValues": options.Criteria.MaxTotalListValues = value; break;
            case "MaxDays": options.Criteria.MaxDays = value; break;
            default: options.MaxCachedCriteria = value; break;
        }
    }

    private static string NestedJsonNots(int nots)
        => new StringBuilder().Insert(0, "{\"not\":", nots).Append("""{"field":"phone","operator":"isEmpty"}""").Append('}', nots).ToString();

    /// <summary>Groups of two nested <paramref name="groups"/> deep: depth groups + 1.</summary>
    private static string NestedJsonGroups(int groups)
    {
        const string Leaf = """{"field":"phone","operator":"isEmpty"}""";
        return new StringBuilder()
            .Insert(0, "{\"logic\":\"and\",\"conditions\":[" + Leaf + ",", groups - 1)
            .Append("{\"logic\":\"or\",\"conditions\":[" + Leaf + "," + Leaf + "]}")
            .Append(string.Concat(Enumerable.Repeat("]}", groups - 1)))
            .ToString();
    }

    private static void AssertAcceptedOrTooDeep(Func<Criteria> parse, bool accepted, int depth)
    {
        if (accepted)
        {
            Assert.Equal(depth, parse().Depth);
        }
        else
        {
            var error = SingleError(parse);
            Assert.Equal("limit_exceeded", error.Code);
            Assert.Contains("nests deeper than", error.Message, StringComparison.Ordinal);
        }
    }

    private static void AssertAcceptedOrLimit(Func<Criteria> parse, bool accepted, string message)
    {
        if (accepted)
        {
            Assert.NotNull(parse());
        }
        else
        {
            var error = SingleError(parse);
            Assert.Equal("limit_exceeded", error.Code);
            Assert.Contains(message, error.Message, StringComparison.Ordinal);
            Assert.False(string.IsNullOrWhiteSpace(error.Expected));
        }
    }

    private static CriteriaError SingleError(Func<object?> act)
        => Assert.Single(Assert.Throws<InvalidCriteriaException>(() => act()).Errors);

    private sealed class Holder
    {
        public Criteria? Filter { get; set; }
    }
}
