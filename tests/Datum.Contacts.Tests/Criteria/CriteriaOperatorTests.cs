using Microsoft.Extensions.Time.Testing;
using System.Globalization;
using static Datum.Contacts.Tests.CriteriaLanguage.CriteriaGenerators;

namespace Datum.Contacts.Tests.CriteriaLanguage;

/// <summary>
/// Every operator on every field type it applies to, each with a contact that matches, one that does not and one
/// without the value, checked through the three evaluators: the compiled predicate, the query expression and the
/// reference interpreter.
/// </summary>
public sealed class CriteriaOperatorTests
{
    // A clock that never moves: relative dates below are measured from Now = 2025-03-14T09:26:53Z.
    private static readonly FakeTimeProvider FixedClock = new(Now);
    private static readonly CriteriaCompiler Compiler = new(clock: FixedClock);

    private static readonly DateTimeOffset FarPast = new(2019, 6, 1, 12, 0, 0, TimeSpan.Zero);
    private static readonly DateTimeOffset FarFuture = new(2031, 6, 15, 12, 0, 0, TimeSpan.Zero);

    // ------------------------------------------------------------------------------------------------
    // Text fields
    // ------------------------------------------------------------------------------------------------

    private sealed record TextField(string Name, string Value, string Other, string Part, string Prefix, string Suffix);

    private static readonly TextField[] TextFields =
    [
        new("firstName", "Adelheid", "Grace", "ELH", "ADE", "EID"),
        new("lastName", "Lovelace", "Hopper", "VEL", "LOV", "ACE"),
        new("title", "Chief Engineer", "Director", "EF EN", "CHIEF", "NEER"),
        new("company", "Acme Industries", "Globex", "ME IND", "ACME", "TRIES"),
        new("email", "ada.lovelace@example.com", "grace@navy.mil", "LOVELACE@", "ADA.", "EXAMPLE.COM"),
        new("phone", "+14155550123", "+33612345678", "555", "+1415", "0123"),
        new("type", "prospect", "vendor", "OSP", "PRO", "PECT"),
        new("preferences.timeZone", "Europe/Paris", "America/New_York", "PE/PA", "EUROPE/", "/PARIS"),
        new("socialProfiles.linkedin", "https://linkedin.com/in/ada", "grace-h", "LINKEDIN.COM", "HTTPS://", "/IN/ADA"),
        new("customFields.nickname", "Ada the Countess", "Amazing Grace", "THE C", "ADA T", "TESS"),
        new("nickname", "Ada the Countess", "Amazing Grace", "THE C", "ADA T", "TESS"),
    ];

    public static TheoryData<string, string, string?, string?, bool> TextCases()
    {
        var data = new TheoryData<string, string, string?, string?, bool>();
        foreach (var f in TextFields)
        {
            var upper = f.Value.ToUpperInvariant();
            data.Add(f.Name, $"{f.Name} = \"{upper}\"", f.Value, f.Other, false);
            data.Add(f.Name, $"{f.Name} != \"{upper}\"", f.Other, f.Value, true);
            data.Add(f.Name, $"{f.Name} contains \"{f.Part}\"", f.Value, f.Other, false);
            data.Add(f.Name, $"{f.Name} notContains \"{f.Part}\"", f.Other, f.Value, true);
            data.Add(f.Name, $"{f.Name} startsWith \"{f.Prefix}\"", f.Value, f.Other, false);
            data.Add(f.Name, $"{f.Name} endsWith \"{f.Suffix}\"", f.Value, f.Other, false);
            data.Add(f.Name, $"{f.Name} in (\"nothing like it\", \"{upper}\")", f.Value, f.Other, false);
            data.Add(f.Name, $"{f.Name} notIn (\"nothing like it\", \"{upper}\")", f.Other, f.Value, true);
            data.Add(f.Name, $"{f.Name} isEmpty", null, f.Value, true);
            data.Add(f.Name, $"{f.Name} isNotEmpty", f.Value, null, false);
        }

        return data;
    }

    [Theory]
    [MemberData(nameof(TextCases))]
    public void A_text_operator_compares_case_insensitively_and_treats_a_missing_value_as_documented(
        string field, string criteria, string? matching, string? notMatching, bool missingMatches)
    {
        AssertCases(
            criteria,
            ($"{field} {Show(matching)}", TextContact(field, matching), true),
            ($"{field} {Show(notMatching)}", TextContact(field, notMatching), false),
            ($"{field} missing", TextContact(field, null), missingMatches));
    }

    [Theory]
    [InlineData("company = \"ÉCOLE\"", "company", "école", true)]
    [InlineData("company = \"ÉCOLE\"", "company", "ecole", false)]
    [InlineData("company = \"E\u0301COLE\"", "company", "école", true)]
    [InlineData("company = \"école\"", "company", "E\u0301cole", true)]
    [InlineData("company contains \"É\"", "company", "Café Noir", true)]
    [InlineData("lastName startsWith \"ÖZ\"", "lastName", "Özdemir", true)]
    [InlineData("lastName startsWith \"OZ\"", "lastName", "Özdemir", false)]
    [InlineData("lastName = \"STRAßE\"", "lastName", "Straße", true)]
    [InlineData("lastName = \"STRAẞE\"", "lastName", "Straße", true)]
    [InlineData("lastName = \"STRASSE\"", "lastName", "Straße", false)]
    [InlineData("lastName = \"straße\"", "lastName", "STRASSE", false)]
    [InlineData("lastName endsWith \"ß\"", "lastName", "Voß", true)]
    [InlineData("firstName = \"ЖАННА\"", "firstName", "Жанна", true)]
    [InlineData("title in (\"DIRECTEUR GÉNÉRAL\")", "title", "Directeur général", true)]
    [InlineData("customFields.nickname = \"ÅSA\"", "customFields.nickname", "åsa", true)]
    [InlineData("socialProfiles.linkedin = \"ÉLODIE\"", "socialProfiles.linkedin", "élodie", true)]
    [InlineData("email = \"ZOË@BÜCHER.EXAMPLE\"", "email", "zoë@bücher.example", true)]
    [InlineData("email endsWith \"@bücher.example\"", "email", "ada@xn--bcher-kva.example", true)]
    [InlineData("email endsWith \"@BÜCHER.EXAMPLE\"", "email", "ada@BÜCHER.example", true)]
    public void Text_comparison_folds_non_ascii_case_and_normalization_but_keeps_sharp_s(string criteria, string field, string value, bool expected)
    {
        AssertCases(criteria, ($"{field} {Show(value)}", TextContact(field, value), expected));
    }

    [Fact]
    public void A_social_profile_field_is_read_from_its_network_whatever_the_spelling_of_the_network()
    {
        var contact = NewContact(new ContactDraft
        {
            Email = "someone@example.net",
            SocialProfiles = new Dictionary<string, string> { ["LinkedIn"] = "ada", ["GitHub"] = "grace" },
        });

        AssertCases("socialProfiles.LINKEDIN = \"ADA\"", ("linkedin ada, github grace", contact, true));
        AssertCases("socialProfiles.github = \"ada\"", ("linkedin ada, github grace", contact, false));
        AssertCases("socialProfiles.mastodon isEmpty", ("no mastodon profile", contact, true));
    }

    // ------------------------------------------------------------------------------------------------
    // Choice fields
    // ------------------------------------------------------------------------------------------------

    [Theory]
    [InlineData("status = \"ACTIVE\"", "status", "Active", "Inactive", null)]
    [InlineData("status != \"active\"", "status", "Unsubscribed", "Active", null)]
    [InlineData("status in (\"inactive\", \"Unsubscribed\")", "status", "Unsubscribed", "Active", null)]
    [InlineData("status notIn (\"inactive\", \"unsubscribed\")", "status", "Active", "Inactive", null)]
    [InlineData("source = \"import\"", "source", "Import", "Manual", null)]
    [InlineData("source != \"Form\"", "source", "Integration", "Form", null)]
    [InlineData("source in (\"form\", \"integration\")", "source", "Form", "Import", null)]
    [InlineData("source notIn (\"form\", \"integration\")", "source", "Manual", "Integration", null)]
    [InlineData("preferences.frequency = \"weekly\"", "preferences.frequency", "Weekly", "Monthly", false)]
    [InlineData("preferences.frequency != \"WEEKLY\"", "preferences.frequency", "Monthly", "Weekly", true)]
    [InlineData("preferences.frequency in (\"daily\", \"quarterly\")", "preferences.frequency", "Quarterly", "Weekly", false)]
    [InlineData("preferences.frequency notIn (\"daily\", \"quarterly\")", "preferences.frequency", "Weekly", "Daily", true)]
    [InlineData("preferences.frequency isEmpty", "preferences.frequency", null, "Daily", true)]
    [InlineData("preferences.frequency isNotEmpty", "preferences.frequency", "Monthly", null, false)]
    public void A_choice_operator_compares_names_case_insensitively_and_treats_a_missing_value_as_documented(
        string criteria, string field, string? matching, string? notMatching, bool? missingMatches)
    {
        var cases = new List<(string, Contact, bool)>
        {
            ($"{field} {Show(matching)}", ChoiceContact(field, matching), true),
            ($"{field} {Show(notMatching)}", ChoiceContact(field, notMatching), false),
        };
        if (missingMatches is { } missing)
        {
            cases.Add(($"{field} missing", ChoiceContact(field, null), missing));
        }

        AssertCases(criteria, [.. cases]);
    }

    [Theory]
    [InlineData("status")]
    [InlineData("source")]
    [InlineData("createdAt")]
    [InlineData("updatedAt")]
    [InlineData("preferences.channels.email")]
    [InlineData("preferences.channels.whatsapp")]
    public void A_field_that_always_has_a_value_is_never_empty(string field)
    {
        var contacts = new (string, Contact)[]
        {
            ("a bare contact", NewContact(new ContactDraft { Email = "someone@example.net" })),
            ("a contact with every channel off", NewContact(new ContactDraft
            {
                Email = "someone@example.net",
                Status = ContactStatus.Unsubscribed,
                Preferences = new ContactPreferencesDraft { Channels = new Dictionary<string, bool> { ["email"] = false, ["whatsapp"] = false } },
            }, source: ContactSource.Integration)),
        };

        AssertCases($"{field} isEmpty", [.. contacts.Select(c => (c.Item1, c.Item2, false))]);
        AssertCases($"{field} isNotEmpty", [.. contacts.Select(c => (c.Item1, c.Item2, true))]);
    }

    // ------------------------------------------------------------------------------------------------
    // Number custom fields
    // ------------------------------------------------------------------------------------------------

    [Theory]
    [InlineData("customFields.score = 10", "10", "10.5", false)]
    [InlineData("customFields.score = 10.00", "10", "9.99", false)]
    [InlineData("customFields.score = \"10\"", "10.0", "11", false)]
    [InlineData("customFields.score != 10", "11", "10", true)]
    [InlineData("customFields.score > 10", "10.0001", "10", false)]
    [InlineData("customFields.score >= 10", "10", "9.9999", false)]
    [InlineData("customFields.score < 10", "9.9999", "10", false)]
    [InlineData("customFields.score <= 10", "10", "10.0001", false)]
    [InlineData("customFields.score between -1.5 and 10", "-1.5", "-1.5001", false)]
    [InlineData("customFields.score between -1.5 and 10", "10", "10.0001", false)]
    [InlineData("customFields.score in (1, 2.5, 10)", "2.50", "3", false)]
    [InlineData("customFields.score notIn (1, 2.5, 10)", "3", "2.5", true)]
    [InlineData("customFields.score isEmpty", null, "0", true)]
    [InlineData("customFields.score isNotEmpty", "0", null, false)]
    [InlineData("score > -5", "0", "-5", false)]
    [InlineData("CUSTOMFIELDS.SCORE <= -0.5", "-1", "0", false)]
    public void A_number_operator_compares_numbers_and_treats_a_missing_value_as_documented(
        string criteria, string? matching, string? notMatching, bool missingMatches)
    {
        static Contact With(string? number) => CustomContact("score", number is null ? null : CustomFieldValue.FromNumber(decimal.Parse(number, CultureInfo.InvariantCulture)));

        AssertCases(
            criteria,
            ($"score {Show(matching)}", With(matching), true),
            ($"score {Show(notMatching)}", With(notMatching), false),
            ("score missing", With(null), missingMatches));
    }

    [Fact]
    public void An_unset_custom_field_and_one_given_as_null_are_both_missing()
    {
        var absent = NewContact(new ContactDraft { Email = "someone@example.net" });
        var givenNull = CustomContact("score", null);

        AssertCases("customFields.score isEmpty", ("absent", absent, true), ("given as null", givenNull, true));
        AssertCases("customFields.score != 1", ("absent", absent, true), ("given as null", givenNull, true));
        AssertCases("customFields.score <= 1", ("absent", absent, false), ("given as null", givenNull, false));
    }

    // ------------------------------------------------------------------------------------------------
    // Boolean fields
    // ------------------------------------------------------------------------------------------------

    [Theory]
    [InlineData("customFields.vip = true", "true", "false", false)]
    [InlineData("customFields.vip = false", "false", "true", false)]
    [InlineData("customFields.vip = \"TRUE\"", "true", "false", false)]
    [InlineData("customFields.vip != true", "false", "true", true)]
    [InlineData("vip != false", "true", "false", true)]
    [InlineData("customFields.vip isEmpty", null, "false", true)]
    [InlineData("customFields.vip isNotEmpty", "false", null, false)]
    public void A_boolean_custom_field_operator_treats_a_missing_value_as_documented(
        string criteria, string? matching, string? notMatching, bool missingMatches)
    {
        static Contact With(string? flag) => CustomContact("vip", flag is null ? null : CustomFieldValue.FromBoolean(bool.Parse(flag)));

        AssertCases(
            criteria,
            ($"vip {Show(matching)}", With(matching), true),
            ($"vip {Show(notMatching)}", With(notMatching), false),
            ("vip missing", With(null), missingMatches));
    }

    [Theory]
    [InlineData("preferences.channels.email = true", "email", true, false, true)]
    [InlineData("preferences.channels.email = false", "email", false, true, false)]
    [InlineData("preferences.channels.email != true", "email", false, true, false)]
    [InlineData("preferences.channels.email != false", "email", true, false, true)]
    [InlineData("preferences.channels.SMS = false", "sms", false, true, false)]
    [InlineData("preferences.channels.whatsapp = true", "whatsapp", true, false, true)]
    public void A_channel_is_on_unless_switched_off(string criteria, string channel, bool matching, bool notMatching, bool unsetMatches)
    {
        // Another channel is always switched the other way, so a criteria reading the wrong channel fails.
        static Contact With(string channel, bool? on) => NewContact(new ContactDraft
        {
            Email = "someone@example.net",
            Preferences = new ContactPreferencesDraft
            {
                Channels = on is { } value
                    ? new Dictionary<string, bool> { [channel] = value, ["social"] = !value }
                    : new Dictionary<string, bool> { ["social"] = false },
            },
        });

        AssertCases(
            criteria,
            ($"{channel} switched {(matching ? "on" : "off")}", With(channel, matching), true),
            ($"{channel} switched {(notMatching ? "on" : "off")}", With(channel, notMatching), false),
            ($"{channel} not switched", With(channel, null), unsetMatches));
    }

    // ------------------------------------------------------------------------------------------------
    // Date custom fields
    // ------------------------------------------------------------------------------------------------

    [Theory]
    [InlineData("customFields.birthday = 2000-02-29", "2000-02-29", "2000-03-01", false)]
    [InlineData("customFields.birthday = \"2000-02-29\"", "2000-02-29", "2000-02-28", false)]
    [InlineData("customFields.birthday != 2000-02-29", "2000-03-01", "2000-02-29", true)]
    [InlineData("customFields.birthday > 2000-02-29", "2000-03-01", "2000-02-29", false)]
    [InlineData("customFields.birthday >= 2000-02-29", "2000-02-29", "2000-02-28", false)]
    [InlineData("customFields.birthday < 2000-02-29", "2000-02-28", "2000-02-29", false)]
    [InlineData("customFields.birthday <= 2000-02-29", "2000-02-29", "2000-03-01", false)]
    [InlineData("customFields.birthday between 2000-01-01 and 2000-12-31", "2000-12-31", "2001-01-01", false)]
    [InlineData("customFields.birthday between 2000-01-01 and 2000-12-31", "2000-01-01", "1999-12-31", false)]
    [InlineData("customFields.birthday in (1999-12-31, 2000-02-29)", "2000-02-29", "2000-03-01", false)]
    [InlineData("customFields.birthday notIn (1999-12-31, 2000-02-29)", "2000-03-01", "1999-12-31", true)]
    [InlineData("customFields.birthday withinLast 7 days", "2025-03-07", "2025-03-06", false)]
    [InlineData("customFields.birthday withinLast 7 days", "2025-03-14", "2025-03-15", false)]
    [InlineData("customFields.birthday withinLast 0 days", "2025-03-14", "2025-03-13", false)]
    [InlineData("customFields.birthday moreThan 7 days ago", "2025-03-06", "2025-03-07", false)]
    [InlineData("customFields.birthday moreThan 0 days ago", "2025-03-13", "2025-03-14", false)]
    [InlineData("birthday isEmpty", null, "2000-02-29", true)]
    [InlineData("birthday isNotEmpty", "2000-02-29", null, false)]
    public void A_date_operator_compares_calendar_dates_with_today_in_utc_and_treats_a_missing_value_as_documented(
        string criteria, string? matching, string? notMatching, bool missingMatches)
    {
        static Contact With(string? date) => CustomContact("birthday", date is null ? null : CustomFieldValue.FromDate(DateOnly.ParseExact(date, "yyyy-MM-dd", CultureInfo.InvariantCulture)));

        AssertCases(
            criteria,
            ($"birthday {Show(matching)}", With(matching), true),
            ($"birthday {Show(notMatching)}", With(notMatching), false),
            ("birthday missing", With(null), missingMatches));
    }

    // ------------------------------------------------------------------------------------------------
    // Date-time fields
    // ------------------------------------------------------------------------------------------------

    private static readonly string[] DateTimeFields = ["createdAt", "updatedAt", "lastEngagementAt"];

    private static readonly (string Condition, string Instant, bool Expected)[] DateTimeBoundaries =
    [
        ("= 2025-01-01", "2024-12-31T23:59:59.9999999Z", false),
        ("= 2025-01-01", "2025-01-01T00:00:00Z", true),
        ("= 2025-01-01", "2025-01-01T23:59:59.9999999Z", true),
        ("= 2025-01-01", "2025-01-02T00:00:00Z", false),
        ("= 2025-01-01", "2025-01-02T00:30:00+01:00", true),
        ("= 2025-01-01", "2025-01-01T23:30:00-01:00", false),
        ("= 2025-01-01", "2025-01-01T00:30:00+01:00", false),
        ("!= 2025-01-01", "2025-01-01T12:00:00Z", false),
        ("!= 2025-01-01", "2025-01-02T00:00:00Z", true),
        ("!= 2025-01-01", "2024-12-31T23:59:59.9999999Z", true),
        ("> 2025-01-01", "2025-01-01T23:59:59.9999999Z", false),
        ("> 2025-01-01", "2025-01-02T00:00:00Z", true),
        ("> 2025-01-01", "2025-01-02T00:59:59+01:00", false),
        (">= 2025-01-01", "2024-12-31T23:59:59.9999999Z", false),
        (">= 2025-01-01", "2025-01-01T00:00:00Z", true),
        (">= 2025-01-01", "2025-01-01T00:00:00+01:00", false),
        ("< 2025-01-01", "2024-12-31T23:59:59.9999999Z", true),
        ("< 2025-01-01", "2025-01-01T00:00:00Z", false),
        ("< 2025-01-01", "2024-12-31T23:30:00-01:00", false),
        ("<= 2025-01-01", "2025-01-01T23:59:59.9999999Z", true),
        ("<= 2025-01-01", "2025-01-02T00:00:00Z", false),
        ("<= 2025-01-01", "2025-01-02T00:30:00+01:00", true),
        ("between 2025-01-01 and 2025-01-03", "2024-12-31T23:59:59.9999999Z", false),
        ("between 2025-01-01 and 2025-01-03", "2025-01-01T00:00:00Z", true),
        ("between 2025-01-01 and 2025-01-03", "2025-01-03T23:59:59.9999999Z", true),
        ("between 2025-01-01 and 2025-01-03", "2025-01-04T00:00:00Z", false),
        ("between 2025-01-01 and 2025-01-01", "2025-01-01T12:00:00Z", true),
        ("between 2025-01-01T08:00:00Z and 2025-01-01T09:00:00Z", "2025-01-01T07:59:59.9999999Z", false),
        ("between 2025-01-01T08:00:00Z and 2025-01-01T09:00:00Z", "2025-01-01T08:00:00Z", true),
        ("between 2025-01-01T08:00:00Z and 2025-01-01T09:00:00Z", "2025-01-01T09:00:00Z", true),
        ("between 2025-01-01T08:00:00Z and 2025-01-01T09:00:00Z", "2025-01-01T09:00:00.0000001Z", false),
        ("= 2025-01-01T08:00:00+02:00", "2025-01-01T06:00:00Z", true),
        ("= 2025-01-01T08:00:00+02:00", "2025-01-01T06:00:00.0000001Z", false),
        ("= 2025-01-01T08:00:00+02:00", "2025-01-01T08:00:00Z", false),
        ("= 2025-01-01T08:00", "2025-01-01T08:00:00Z", true),
        ("= 2025-01-01T08:00", "2025-01-01T08:00:00+01:00", false),
        ("> 2025-01-01T08:00:00", "2025-01-01T08:00:00Z", false),
        ("> 2025-01-01T08:00:00", "2025-01-01T08:00:00.0000001Z", true),
        (">= 2025-01-01T08:00:00-05:00", "2025-01-01T12:59:59.9999999Z", false),
        (">= 2025-01-01T08:00:00-05:00", "2025-01-01T13:00:00Z", true),
        (">= 2025-01-01T08:00:00-05:00", "2025-01-01T08:00:00-05:00", true),
        ("< 2025-01-01T08:00:00.5Z", "2025-01-01T08:00:00.4999999Z", true),
        ("< 2025-01-01T08:00:00.5Z", "2025-01-01T08:00:00.5Z", false),
        ("<= 2025-01-01T08:00:00.5Z", "2025-01-01T08:00:00.5Z", true),
        ("<= 2025-01-01T08:00:00.5Z", "2025-01-01T08:00:00.5000001Z", false),
        ("!= 2025-01-01T08:00:00Z", "2025-01-01T08:00:00Z", false),
        ("!= 2025-01-01T08:00:00Z", "2025-01-01T09:00:00+01:00", false),
        ("!= 2025-01-01T08:00:00Z", "2025-01-01T08:00:01Z", true),
        ("= \"2025-01-01\"", "2025-01-01T10:00:00Z", true),
    ];

    public static TheoryData<string, string, string, bool> DateTimeCases()
    {
        var data = new TheoryData<string, string, string, bool>();
        foreach (var field in DateTimeFields)
        {
            foreach (var (condition, instant, expected) in DateTimeBoundaries)
            {
                data.Add(field, condition, instant, expected);
            }
        }

        return data;
    }

    [Theory]
    [MemberData(nameof(DateTimeCases))]
    public void A_date_on_a_date_time_field_means_the_whole_utc_day_and_a_date_time_means_that_instant(string field, string condition, string instant, bool expected)
    {
        var at = DateTimeOffset.Parse(instant, CultureInfo.InvariantCulture, DateTimeStyles.RoundtripKind);

        AssertCases($"{field} {condition}", ($"{field} {instant}", TimeContact(field, at), expected));
    }

    [Theory]
    [InlineData("createdAt = 9999-12-31", true)]
    [InlineData("createdAt <= 9999-12-31", true)]
    [InlineData("createdAt between 9999-12-30 and 9999-12-31", true)]
    [InlineData("createdAt > 9999-12-31", false)]
    [InlineData("createdAt != 9999-12-31", false)]
    [InlineData("createdAt = 9999-12-31T23:59:59.9999999Z", true)]
    [InlineData("createdAt <= 9999-12-31T23:59:59.9999999Z", true)]
    [InlineData("createdAt > 9999-12-31T23:59:59.9999999Z", false)]
    public void The_last_tick_of_the_calendar_belongs_to_its_last_day(string criteria, bool expected)
    {
        AssertCases(criteria, ("created at DateTimeOffset.MaxValue", TimeContact("createdAt", DateTimeOffset.MaxValue), expected));
    }

    [Theory]
    [InlineData("lastEngagementAt = 2025-01-01", false)]
    [InlineData("lastEngagementAt != 2025-01-01", true)]
    [InlineData("lastEngagementAt > 2025-01-01", false)]
    [InlineData("lastEngagementAt >= 2025-01-01", false)]
    [InlineData("lastEngagementAt < 2025-01-01", false)]
    [InlineData("lastEngagementAt <= 2025-01-01T08:00:00Z", false)]
    [InlineData("lastEngagementAt between 2000-01-01 and 2100-01-01", false)]
    [InlineData("lastEngagementAt withinLast 36500 days", false)]
    [InlineData("lastEngagementAt moreThan 0 days ago", false)]
    [InlineData("lastEngagementAt isEmpty", true)]
    [InlineData("lastEngagementAt isNotEmpty", false)]
    public void A_contact_that_never_engaged_matches_only_the_negative_operators_on_last_engagement(string criteria, bool expected)
    {
        AssertCases(criteria, ("never engaged", TimeContact("lastEngagementAt", null), expected));
    }

    public static TheoryData<string, string, int, long, bool> RelativeCases()
    {
        var rows = new (string Condition, int Days, long Ticks, bool Expected)[]
        {
            ("withinLast 30 days", -30, 0, true),
            ("withinLast 30 days", -30, -1, false),
            ("withinLast 30 days", -30, 1, true),
            ("withinLast 30 days", -15, 0, true),
            ("withinLast 30 days", 0, 0, true),
            ("withinLast 30 days", 0, 1, false),
            ("withinLast 1 day", -1, 0, true),
            ("withinLast 0 days", 0, 0, true),
            ("withinLast 0 days", 0, -1, false),
            ("moreThan 30 days ago", -30, 0, false),
            ("moreThan 30 days ago", -30, -1, true),
            ("moreThan 30 days ago", -30, 1, false),
            ("moreThan 30 days ago", 0, 0, false),
            ("moreThan 1 day ago", -1, -1, true),
            ("moreThan 0 days ago", 0, -1, true),
            ("moreThan 0 days ago", 0, 0, false),
            ("moreThan 0 days ago", 0, 1, false),
        };
        var data = new TheoryData<string, string, int, long, bool>();
        foreach (var field in DateTimeFields)
        {
            foreach (var (condition, days, ticks, expected) in rows)
            {
                data.Add(field, condition, days, ticks, expected);
            }
        }

        return data;
    }

    [Theory]
    [MemberData(nameof(RelativeCases))]
    public void A_relative_date_time_condition_is_measured_from_now_to_the_tick(string field, string condition, int days, long ticks, bool expected)
    {
        var at = Now.AddDays(days).AddTicks(ticks);

        AssertCases($"{field} {condition}", ($"{field} now {days:+0;-0} days {ticks:+0;-0} ticks", TimeContact(field, at), expected));
    }

    [Fact]
    public void Relative_date_time_boundaries_hold_to_the_tick_when_now_is_not_a_whole_millisecond()
    {
        // Arrange
        var now = Now.AddTicks(1234);
        var compiler = new CriteriaCompiler(clock: new FakeTimeProvider(now));
        var within = compiler.Compile("createdAt withinLast 30 days");
        var before = compiler.Compile("createdAt moreThan 30 days ago");
        var boundary = now.AddTicks(-30 * TimeSpan.TicksPerDay);

        // Act and assert
        foreach (var at in new[] { boundary.AddTicks(-1), boundary, boundary.AddTicks(1), now, now.AddTicks(1) })
        {
            var contact = TimeContact("createdAt", at);
            var what = $"created {(at - boundary).Ticks} ticks after the boundary";
            AssertAllEvaluate(at >= boundary && at <= now, within, contact, now, what);
            AssertAllEvaluate(at < boundary, before, contact, now, what);
        }
    }

    [Fact]
    public void An_already_compiled_relative_date_time_criteria_reads_the_clock_at_each_evaluation()
    {
        // Arrange
        var clock = new FakeTimeProvider(Now);
        var compiler = new CriteriaCompiler(clock: clock);
        var within = compiler.Compile("lastEngagementAt withinLast 1 days");
        var before = compiler.Compile("lastEngagementAt moreThan 1 day ago");
        var withinQuery = within.Expression.Compile();
        var beforeQuery = before.Expression.Compile();
        var contact = TimeContact("lastEngagementAt", Now.AddHours(-12));

        // Act and assert: one day after the engagement is still within the last day; one tick later it is not.
        AssertAllEvaluate(true, within, withinQuery, contact, clock.GetUtcNow(), "12 hours after engaging");
        AssertAllEvaluate(false, before, beforeQuery, contact, clock.GetUtcNow(), "12 hours after engaging");

        clock.SetUtcNow(Now.AddHours(12));
        AssertAllEvaluate(true, within, withinQuery, contact, clock.GetUtcNow(), "exactly one day after engaging");
        AssertAllEvaluate(false, before, beforeQuery, contact, clock.GetUtcNow(), "exactly one day after engaging");

        clock.SetUtcNow(Now.AddHours(12).AddTicks(1));
        AssertAllEvaluate(false, within, withinQuery, contact, clock.GetUtcNow(), "one day and a tick after engaging");
        AssertAllEvaluate(true, before, beforeQuery, contact, clock.GetUtcNow(), "one day and a tick after engaging");

        Assert.Same(within.Predicate, compiler.Compile("lastEngagementAt withinLast 1 days").Predicate);
    }

    [Fact]
    public void An_already_compiled_relative_date_criteria_moves_to_the_next_utc_day_at_midnight()
    {
        // Arrange
        var clock = new FakeTimeProvider(new DateTimeOffset(2025, 3, 14, 23, 59, 59, TimeSpan.Zero).AddTicks(TimeSpan.TicksPerSecond - 1));
        var compiler = new CriteriaCompiler(clock: clock);
        var today = compiler.Compile("customFields.birthday withinLast 0 days");
        var past = compiler.Compile("customFields.birthday moreThan 0 days ago");
        var todayQuery = today.Expression.Compile();
        var pastQuery = past.Expression.Compile();
        var contact = CustomContact("birthday", CustomFieldValue.FromDate(new DateOnly(2025, 3, 14)));

        // Act and assert
        AssertAllEvaluate(true, today, todayQuery, contact, clock.GetUtcNow(), "the last tick of its day");
        AssertAllEvaluate(false, past, pastQuery, contact, clock.GetUtcNow(), "the last tick of its day");

        clock.SetUtcNow(clock.GetUtcNow().AddTicks(1));
        AssertAllEvaluate(false, today, todayQuery, contact, clock.GetUtcNow(), "midnight UTC after its day");
        AssertAllEvaluate(true, past, pastQuery, contact, clock.GetUtcNow(), "midnight UTC after its day");
    }

    [Fact]
    public void Today_is_the_utc_date_even_when_the_clock_reads_in_another_offset()
    {
        // 2025-03-15T00:30+01:00 is still 2025-03-14 in UTC.
        var clock = new FakeTimeProvider(new DateTimeOffset(2025, 3, 15, 0, 30, 0, TimeSpan.FromHours(1)));
        var compiler = new CriteriaCompiler(clock: clock);
        var compiled = compiler.Compile("customFields.birthday withinLast 0 days");

        AssertAllEvaluate(true, compiled, CustomContact("birthday", CustomFieldValue.FromDate(new DateOnly(2025, 3, 14))), clock.GetUtcNow(), "born on the UTC day");
        AssertAllEvaluate(false, compiled, CustomContact("birthday", CustomFieldValue.FromDate(new DateOnly(2025, 3, 15))), clock.GetUtcNow(), "born on the local day");
    }

    // ------------------------------------------------------------------------------------------------
    // Tags
    // ------------------------------------------------------------------------------------------------

    [Theory]
    [InlineData("tags has \"VIP\"", "vip;news", true)]
    [InlineData("tags has \"VIP\"", "news", false)]
    [InlineData("tags has \"VIP\"", "", false)]
    [InlineData("tags has \" vip \"", "VIP", true)]
    [InlineData("tags has \"café\"", "CAFÉ", true)]
    [InlineData("tags has \"vi\"", "vip", false)]
    [InlineData("tags isEmpty", "", true)]
    [InlineData("tags isEmpty", "vip", false)]
    [InlineData("tags isNotEmpty", "vip", true)]
    [InlineData("tags isNotEmpty", "", false)]
    [InlineData("not tags has \"vip\"", "", true)]
    public void Tags_are_matched_whole_and_case_insensitively(string criteria, string tags, bool expected)
    {
        var contact = NewContact(new ContactDraft { Email = "someone@example.net", Tags = tags.Length == 0 ? [] : tags.Split(';') });

        AssertCases(criteria, ($"tags [{tags}]", contact, expected));
    }

    // ------------------------------------------------------------------------------------------------
    // not is plain negation
    // ------------------------------------------------------------------------------------------------

    [Theory]
    [InlineData("not company = \"Acme\"", true)]
    [InlineData("not company != \"Acme\"", false)]
    [InlineData("not company contains \"a\"", true)]
    [InlineData("not company notContains \"a\"", false)]
    [InlineData("not customFields.score > 5", true)]
    [InlineData("not customFields.score in (1, 2)", true)]
    [InlineData("not customFields.score notIn (1, 2)", false)]
    [InlineData("not lastEngagementAt isEmpty", false)]
    [InlineData("not lastEngagementAt isNotEmpty", true)]
    [InlineData("not (customFields.score > 5 or customFields.score <= 5)", true)]
    [InlineData("customFields.score > 5 or not customFields.score > 5", true)]
    [InlineData("customFields.score > 5 and not customFields.score > 5", false)]
    [InlineData("not not customFields.vip = true", false)]
    [InlineData("not customFields.birthday withinLast 30 days", true)]
    [InlineData("not preferences.frequency in (\"daily\")", true)]
    public void Not_is_plain_negation_even_on_a_missing_value(string criteria, bool expected)
    {
        var contact = TimeContact("lastEngagementAt", null);

        AssertCases(criteria, ("a contact without company, custom fields, frequency or engagement", contact, expected));
    }

    // ------------------------------------------------------------------------------------------------
    // Arrange helpers
    // ------------------------------------------------------------------------------------------------

    private static void AssertCases(string criteria, params (string What, Contact Contact, bool Expected)[] cases)
    {
        var compiled = Compiler.Compile(criteria);
        var query = compiled.Expression.Compile();
        foreach (var (what, contact, expected) in cases)
        {
            AssertAllEvaluate(expected, compiled, query, contact, FixedClock.GetUtcNow(), what);
        }
    }

    private static string Show(string? value) => value is null ? "missing" : $"'{value}'";

    private static Contact TextContact(string field, string? value)
    {
        var draft = new ContactDraft { Email = "someone@example.net" };
        draft = field switch
        {
            "firstName" => draft with { FirstName = value },
            "lastName" => draft with { LastName = value },
            "title" => draft with { Title = value },
            "company" => draft with { Company = value },
            "email" => draft with { Email = value, Phone = "+15550001111" },
            "phone" => draft with { Phone = value },
            "type" => draft with { Type = value },
            "preferences.timeZone" => draft with { Preferences = new ContactPreferencesDraft { TimeZone = value } },
            "socialProfiles.linkedin" => draft with
            {
                SocialProfiles = value is null
                    ? new Dictionary<string, string> { ["github"] = "someone" }
                    : new Dictionary<string, string> { ["linkedin"] = value, ["github"] = "someone" },
            },
            "customFields.nickname" or "nickname" => draft with
            {
                CustomFields = new Dictionary<string, CustomFieldValue?> { ["nickname"] = value is null ? null : CustomFieldValue.FromText(value) },
            },
            _ => throw new ArgumentOutOfRangeException(nameof(field), field, "No such text field in these tests."),
        };
        return NewContact(draft);
    }

    private static Contact ChoiceContact(string field, string? value)
    {
        var draft = new ContactDraft { Email = "someone@example.net" };
        return field switch
        {
            "status" => NewContact(draft with { Status = Enum.Parse<ContactStatus>(value!) }),
            "source" => NewContact(draft, source: Enum.Parse<ContactSource>(value!)),
            "preferences.frequency" => NewContact(draft with
            {
                Preferences = new ContactPreferencesDraft { Frequency = value is null ? null : Enum.Parse<ContactFrequency>(value) },
            }),
            _ => throw new ArgumentOutOfRangeException(nameof(field), field, "No such choice field in these tests."),
        };
    }

    private static Contact CustomContact(string name, CustomFieldValue? value)
        => NewContact(new ContactDraft
        {
            Email = "someone@example.net",
            CustomFields = new Dictionary<string, CustomFieldValue?> { [name] = value },
        });

    /// <summary>A contact whose <paramref name="field"/> is <paramref name="at"/> and whose other two time fields are far away.</summary>
    private static Contact TimeContact(string field, DateTimeOffset? at)
    {
        var draft = new ContactDraft { Email = "someone@example.net" };
        Contact contact;
        switch (field)
        {
            case "createdAt":
                contact = NewContact(draft, at!.Value);
                contact.RecordEngagement(FarFuture, FarFuture.AddDays(1));
                break;
            case "updatedAt":
                contact = NewContact(draft, FarPast);
                contact.RecordEngagement(FarFuture, at!.Value);
                break;
            case "lastEngagementAt":
                contact = NewContact(draft, FarPast);
                if (at is { } engaged)
                {
                    contact.RecordEngagement(engaged, FarFuture);
                }

                break;
            default:
                throw new ArgumentOutOfRangeException(nameof(field), field, "No such date-time field.");
        }

        return contact;
    }
}
