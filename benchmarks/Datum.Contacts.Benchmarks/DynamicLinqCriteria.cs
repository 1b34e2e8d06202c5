using System.Linq.Dynamic.Core;
using System.Linq.Dynamic.Core.CustomTypeProviders;
using System.Linq.Expressions;

namespace Datum.Contacts.Benchmarks;

/// <summary>
/// The peer the criteria benchmarks measure our compiler against: System.Linq.Dynamic.Core, parsing the same three
/// criteria written in its own text language over <see cref="Contact"/>'s public members. It is used here and in the
/// tests' oracle only, never by the library: its text may name any public member and call the methods of any type
/// it is allowed, which is what our criteria catalogue exists to forbid.
/// </summary>
/// <remarks>
/// Same semantics as our criteria and the hand-written lambdas: text compares case-insensitively, written as
/// <c>ToLowerInvariant()</c> of the public value against a lower-case literal, with an ordinal <c>EndsWith</c> as
/// the hand-written lambda's (Dynamic LINQ cannot see the contact's folded copies, which are internal); a tag as any tag whose <c>ToLowerInvariant()</c> is the lower-case
/// literal (Dynamic LINQ reads <c>Tags.Contains("vip")</c> as the case-sensitive <c>Enumerable.Contains</c>, not
/// <see cref="TagSet.Contains"/>); dates as the instants the criteria binder gives (<c>&gt; 2025-01-01</c> is from 2025-01-02 00:00 UTC
/// on); a missing value fails every comparison.
/// </remarks>
internal static class DynamicLinqCriteria
{
    /// <summary><see cref="CriteriaCase.Simple"/> in Dynamic LINQ.</summary>
    public const string SimpleText = "Status == ContactStatus.Active";

    /// <summary><see cref="CriteriaCase.Medium"/> in Dynamic LINQ.</summary>
    public const string MediumText =
        "Status == ContactStatus.Active && Tags.Any(it.ToLowerInvariant() == \"vip\") && CreatedAt >= \"2025-01-02T00:00:00Z\""
        + " && ((Company != null && Company.ToLowerInvariant() == \"acme\") || (Email != null && Email.Value.ToLowerInvariant().EndsWith(\"@acme.com\", StringComparison.Ordinal)))";

    /// <summary><see cref="CriteriaCase.Heavy"/> in Dynamic LINQ (the 20 companies of the <c>in</c> lower-cased).</summary>
    public static readonly string HeavyText =
        "Status == ContactStatus.Active && Tags.Any(it.ToLowerInvariant() == \"vip\") && CreatedAt >= \"2024-01-01T00:00:00Z\""
        + " && CustomFields.ContainsKey(\"engagementScore\") && CustomFields[\"engagementScore\"].NumberValue >= 50"
        + " && Company != null && Company.ToLowerInvariant() in ("
        + string.Join(", ", CriteriaData.HeavyCompanies.Select(c => "\"" + c.ToLowerInvariant() + "\"")) + ")"
        + " && Preferences.IsEnabled(Channel.Email) && LastEngagementAt >= \"2024-06-02T00:00:00Z\""
        + " && !(Email != null && Email.Value.ToLowerInvariant().EndsWith(\"@example.com\", StringComparison.Ordinal))";

    /// <summary>
    /// The parsing configuration: Dynamic LINQ calls methods only on its predefined types and on the custom types
    /// it is given, so the few the criteria call (<see cref="ContactPreferences.IsEnabled"/>, the custom fields' <c>ContainsKey</c>) and the two named in
    /// them (<see cref="ContactStatus"/>, <see cref="Channel"/>) are listed here.
    /// </summary>
    public static readonly ParsingConfig Config = CreateConfig();

    /// <summary>The Dynamic LINQ text of a criteria.</summary>
    /// <param name="criteria">Which criteria.</param>
    public static string Text(CriteriaCase criteria) => criteria switch
    {
        CriteriaCase.Simple => SimpleText,
        CriteriaCase.Medium => MediumText,
        _ => HeavyText,
    };

    /// <summary>Parses Dynamic LINQ text into a lambda over <see cref="Contact"/> (<c>DynamicExpressionParser.ParseLambda</c>).</summary>
    /// <param name="text">The text.</param>
    public static Expression<Func<Contact, bool>> Parse(string text)
        => (Expression<Func<Contact, bool>>)DynamicExpressionParser.ParseLambda(Config, typeof(Contact), typeof(bool), text);

    /// <summary>Parses and compiles Dynamic LINQ text to a delegate.</summary>
    /// <param name="text">The text.</param>
    public static Func<Contact, bool> Compile(string text) => Parse(text).Compile();

    private static ParsingConfig CreateConfig()
    {
        var config = new ParsingConfig();
        config.CustomTypeProvider = new TypeProvider(config);
        return config;
    }

    private sealed class TypeProvider(ParsingConfig config) : DefaultDynamicLinqCustomTypeProvider(config, cacheCustomTypes: true)
    {
        private readonly HashSet<Type> _types =
        [
            typeof(ContactStatus), typeof(Channel), typeof(ContactPreferences),
            typeof(IReadOnlyDictionary<string, CustomFieldValue>),
        ];

        public override HashSet<Type> GetCustomTypes() => _types;
    }
}
