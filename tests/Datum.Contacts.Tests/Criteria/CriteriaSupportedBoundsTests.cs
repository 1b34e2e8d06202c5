using System.Text;
using Xunit;

namespace Datum.Contacts.Tests.CriteriaLanguage;

/// <summary>
/// No criteria within the loosest limits the options accept can crash the process: at the bounds, joined by
/// <c>or</c> and by <c>and</c>, in text and JSON form, and nested as deep as allowed, a criteria compiles and evaluates.
/// </summary>
public sealed class CriteriaSupportedBoundsTests
{
    private static readonly CriteriaLimits Loosest = new()
    {
        MaxLength = 10_000_000,
        MaxDepth = Criteria.MaxSupportedDepth,
        MaxConditions = CriteriaLimits.MaxSupportedConditions,
        MaxValueLength = 1_000_000,
        MaxListValues = CriteriaLimits.MaxSupportedListValues,
        MaxDays = 1_000_000,
    };

    /// <summary>The maximum number of conditions, joined by one logic: the last one names <c>ada@example.com</c>.</summary>
    /// <param name="logic">"or" or "and".</param>
    internal static string ManyConditions(string logic)
        => string.Join($" {logic} ", Enumerable.Range(0, CriteriaLimits.MaxSupportedConditions).Select(i => i == CriteriaLimits.MaxSupportedConditions - 1
            ? "email = \"ada@example.com\""
            : logic == "or" ? $"email = \"nobody{i}@example.com\"" : $"email != \"nobody{i}@example.com\""));

    /// <summary>Conditions nested in <c>not</c>s and parentheses as deep as the options allow (an even number of <c>not</c>s).</summary>
    internal static string DeepestNesting()
    {
        var nots = Criteria.MaxSupportedDepth - 1;
        nots -= nots % 2;
        return new StringBuilder().Insert(0, "not (", nots).Append("email = \"ada@example.com\"").Append(')', nots).ToString();
    }

    /// <summary>The maximum number of conditions, joined by or, and by and, compiles and evaluates, in text and JSON form.</summary>
    /// <param name="logic">"or" or "and".</param>
    [Theory]
    [InlineData("or")]
    [InlineData("and")]
    public void The_most_conditions_the_options_allow_compile_and_evaluate(string logic)
    {
        var compiler = new CriteriaCompiler(Loosest, cacheSize: 0);
        var criteria = compiler.Parse(ManyConditions(logic));
        var fromJson = compiler.ParseJson(criteria.ToJson());
        var ada = TestData.NewContact(new ContactDraft { Email = "ada@example.com" });
        var other = TestData.NewContact(new ContactDraft { Email = "nobody1@example.com" });

        Assert.Equal(CriteriaLimits.MaxSupportedConditions, criteria.ConditionCount);
        Assert.True(compiler.Compile(criteria, CustomFieldSchema.Empty).Matches(ada));
        Assert.True(compiler.Compile(fromJson, CustomFieldSchema.Empty).Matches(ada));
        Assert.Equal(logic == "or", compiler.Compile(fromJson, CustomFieldSchema.Empty).Matches(other));
        Assert.Equal(criteria.ToString(), fromJson.ToString());
    }

    /// <summary>One condition more than the bound is an InvalidCriteriaException naming the limit, not a crash.</summary>
    [Fact]
    public void One_condition_over_the_bound_is_an_invalid_criteria_naming_the_limit()
    {
        var text = ManyConditions("or") + " or email = \"one.more@example.com\"";

        var error = Assert.Throws<InvalidCriteriaException>(() => new CriteriaCompiler(Loosest, cacheSize: 0).Parse(text));

        Assert.Contains($"more than {CriteriaLimits.MaxSupportedConditions} conditions", error.Message, StringComparison.Ordinal);
    }

    /// <summary>Nesting as deep as the options allow compiles and evaluates, in text and JSON form.</summary>
    [Fact]
    public void The_deepest_nesting_the_options_allow_compiles_and_evaluates()
    {
        var compiler = new CriteriaCompiler(Loosest, cacheSize: 0);
        var criteria = compiler.Parse(DeepestNesting());
        var fromJson = compiler.ParseJson(criteria.ToJson());
        var ada = TestData.NewContact(new ContactDraft { Email = "ada@example.com" });

        Assert.True(criteria.Depth > Criteria.MaxSupportedDepth - 2);
        Assert.True(compiler.Compile(criteria, CustomFieldSchema.Empty).Matches(ada));
        Assert.True(compiler.Compile(fromJson, CustomFieldSchema.Empty).Matches(ada));
    }

    /// <summary>The options refuse more conditions or list values than the proven bounds, saying what the bound is.</summary>
    [Fact]
    public void The_options_refuse_limits_above_the_proven_bounds()
    {
        var limits = new CriteriaLimits { MaxConditions = 100_000, MaxListValues = 100_000 };

        var problems = limits.Validate("Criteria").ToList();

        Assert.Contains("Criteria.MaxConditions is 100000; it must be between 1 and 500.", problems);
        Assert.Contains("Criteria.MaxListValues is 100000; it must be between 1 and 1000.", problems);
    }
}
