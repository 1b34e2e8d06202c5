using System.Globalization;
using System.Text;
using Datum.Contacts.Specification.Tests;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Time.Testing;
using Xunit;
using Xunit.Abstractions;

namespace Datum.Contacts.EntityFrameworkCore.Tests;

/// <summary>
/// Criteria run in SQL, every value a parameter: for each criteria the search and the count send one filtering
/// statement whose WHERE tests the criteria's columns, whose values travel only as parameters, and that reads
/// exactly the matching contacts (and their child rows), never the whole tenant.
/// </summary>
/// <remarks>
/// The 40 contacts are created once per provider (<see cref="SqlTranslationSeed"/>); each case searches and counts
/// them through services whose contexts record every command (<see cref="SqlRecorder"/>). Expected matches are
/// computed here from the contacts' public properties, not with the library's evaluator.
/// </remarks>
public abstract class SqlTranslationTests : ContactManagementSpecification
{
    private readonly SqlRecorder _recorder = new();
    private readonly SqlTranslationSeed _seed;
    private readonly ITestOutputHelper _output;

    protected SqlTranslationTests(SqlTranslationSeed seed, ITestOutputHelper output)
    {
        _seed = seed;
        _output = output;
    }

    /// <summary>The case names, for the theories.</summary>
    public static TheoryData<string> CaseNames => [.. Cases.Keys];

    private static Dictionary<string, SqlCase> Cases { get; } = new SqlCase[]
    {
        new("company equals", """company = "Quuxbridge Holdings" """, (c, _) => Is(c.Company, "quuxbridge holdings"), ["FoldedCompany"], [Text("quuxbridge holdings")]),
        new("company contains", """company contains "BRIDGE HOLD" """, (c, _) => Has(c.Company, "bridge hold"), ["FoldedCompany"], [Text("bridge hold")]),
        new("firstName startsWith", """firstName startsWith "Zyx" """, (c, _) => Fold(c.FirstName)?.StartsWith("zyx", StringComparison.Ordinal) == true, ["FoldedFirstName"], [Text("zyx")]),
        new("lastName endsWith", """lastName endsWith "worthington" """, (c, _) => Fold(c.LastName)?.EndsWith("worthington", StringComparison.Ordinal) == true, ["FoldedLastName"], [Text("worthington")]),
        new("email endsWith", """email endsWith "@plumbus-mail.test" """, (c, _) => Fold(c.Email?.Value)?.EndsWith("@plumbus-mail.test", StringComparison.Ordinal) == true, ["FoldedEmail"], [Text("@plumbus-mail.test")]),
        new("title in", """title in ("Chief Plumbus Officer", "VICE PLUMBUS")""", (c, _) => Is(c.Title, "chief plumbus officer") || Is(c.Title, "vice plumbus"), ["FoldedTitle"], [Text("chief plumbus officer"), Text("vice plumbus")]),
        new("tags has", """tags has "Plumbus-VIP" """, (c, _) => c.Tags.Any(t => Is(t, "plumbus-vip")), ["contact_tags", "FoldedTag", "EXISTS"], [Text("plumbus-vip")]),
        new("tags isEmpty", "tags isEmpty", (c, _) => c.Tags.Count == 0, ["contact_tags"], []),
        new("number between", "customFields.score between -12.75 and 4242.125", (c, _) => Score(c) is >= -12.75m and <= 4242.125m, ["contact_custom_values", "NumberValue", "EXISTS"], [Number(-12.75m), Number(4242.125m)]),
        new("number in", "customFields.score in (4242.125, -12.75, 7)", (c, _) => Score(c) is 4242.125m or -12.75m or 7m, ["contact_custom_values", "NumberValue"], [Number(4242.125m), Number(-12.75m)]),
        new("number greater than", "customFields.score > 38", (c, _) => Score(c) > 38m, ["contact_custom_values", "NumberValue"], []),
        new("date equals", "customFields.since = 2031-07-14", (c, _) => Since(c) == new DateOnly(2031, 7, 14), ["contact_custom_values", "DateValue"], [Date(new DateOnly(2031, 7, 14))]),
        new("date after", "customFields.since >= 2031-07-14", (c, _) => Since(c) >= new DateOnly(2031, 7, 14), ["contact_custom_values", "DateValue"], [Date(new DateOnly(2031, 7, 14))]),
        new("boolean", "customFields.vip = true", (c, _) => Vip(c) == true, ["contact_custom_values", "BooleanValue"], []),
        new("custom text", """customFields.note contains "KUMQUAT" """, (c, _) => Has(Note(c), "kumquat"), ["contact_custom_values", "FoldedText"], [Text("kumquat")]),
        new("social profile", """socialProfiles.github = "Plumbus-Dev" """, (c, _) => Is(c.SocialProfiles.GetValueOrDefault("github"), "plumbus-dev"), ["contact_social_profiles", "FoldedHandle", "Network"], [Text("plumbus-dev"), Text("github")]),
        new("channel off", "preferences.channels.email = false", (c, _) => c.Preferences.Channels.Any(p => p.Key.Value == "email" && !p.Value), ["contact_channels", "Enabled"], [Quoted("email")]),
        new("status in", """status in ("inactive", "UNSUBSCRIBED")""", (c, _) => c.Status is ContactStatus.Inactive or ContactStatus.Unsubscribed, ["Status"], []),
        new("createdAt between days", "createdAt between 2025-06-03 and 2025-06-05", (c, _) => Day(c.CreatedAt) >= new DateOnly(2025, 6, 3) && Day(c.CreatedAt) <= new DateOnly(2025, 6, 5), ["CreatedAtTicks"], [Ticks(new DateTimeOffset(2025, 6, 3, 0, 0, 0, TimeSpan.Zero)), Ticks(new DateTimeOffset(2025, 6, 6, 0, 0, 0, TimeSpan.Zero))]),
        new("createdAt before an instant", "createdAt < 2025-06-02T06:00:00Z", (c, _) => c.CreatedAt < new DateTimeOffset(2025, 6, 2, 6, 0, 0, TimeSpan.Zero), ["CreatedAtTicks"], [Ticks(new DateTimeOffset(2025, 6, 2, 6, 0, 0, TimeSpan.Zero))]),
        new("lastEngagementAt withinLast", "lastEngagementAt withinLast 7 days", (c, now) => c.LastEngagementAt >= now.AddDays(-7) && c.LastEngagementAt <= now, ["LastEngagementAtTicks"], [Ticks(SqlTranslationSeed.SearchNow.AddDays(-7))]),
        new("not contains", """not company contains "filler" """, (c, _) => !Has(c.Company, "filler"), ["FoldedCompany", "IS NULL"], [Text("filler")]),
        new("not tags has", """not tags has "T1" """, (c, _) => !c.Tags.Any(t => Is(t, "t1")), ["NOT", "EXISTS", "FoldedTag"], [Text("t1")]),
        new("or", """company = "Quuxbridge Holdings" or tags has "plumbus-vip" """, (c, _) => Is(c.Company, "quuxbridge holdings") || c.Tags.Any(t => Is(t, "plumbus-vip")), ["FoldedCompany", "FoldedTag", "OR"], [Text("quuxbridge holdings"), Text("plumbus-vip")]),
        new("and with nesting", """(status = "active" or customFields.vip = true) and not (tags isEmpty) and customFields.score < 0""", (c, _) => (c.Status == ContactStatus.Active || Vip(c) == true) && c.Tags.Count > 0 && Score(c) < 0m, ["Status", "BooleanValue", "contact_tags", "NumberValue", "OR"], []),
    }.ToDictionary(c => c.Name, StringComparer.Ordinal);

    protected abstract TestDatabase Database { get; }

    protected override void UseStore(ContactManagementBuilder builder) => Database.Use(builder, o => o.AddInterceptors(_recorder));

    /// <summary>
    /// The search runs the criteria as a WHERE over the tenant's rows with its values as parameters, and reads the
    /// matching contacts and nothing else; the count runs one COUNT with the same WHERE and reads one row.
    /// </summary>
    /// <param name="name">The case.</param>
    [Theory]
    [MemberData(nameof(CaseNames))]
    public async Task A_criteria_runs_in_SQL_as_a_parameterized_WHERE_that_reads_only_the_matches(string name)
    {
        // Arrange
        var sqlCase = Cases[name];
        var now = StopClockAt(SqlTranslationSeed.SearchNow);
        var criteria = Criteria.Parse(sqlCase.Criteria);
        var expected = _seed.Contacts.Where(c => sqlCase.Expected(c, now)).ToList();
        Assert.True(expected.Count > 0 && expected.Count < _seed.Contacts.Count, $"the seed must tell '{sqlCase.Criteria}' apart; it matches {expected.Count} of {_seed.Contacts.Count}");

        // Act
        var (page, searchCommands) = await _recorder.CaptureAsync(() => Contacts.SearchAsync(_seed.Tenant, criteria, new ContactPageRequest(Size: 100)));
        var (count, countCommands) = await _recorder.CaptureAsync(() => Contacts.CountAsync(_seed.Tenant, criteria));

        // Assert: the results.
        Assert.Equal(expected.Select(c => c.Id).Order(), page.Items.Select(c => c.Id).Order());
        Assert.Equal(expected.Count, count);
        Assert.Null(page.NextCursor);

        // The search: a filtered SELECT over the tenant's contacts, values as parameters only.
        var contactQueries = ContactQueries(searchCommands);
        Log("search", contactQueries);
        var main = contactQueries[0];
        AssertFilters(main, sqlCase);
        foreach (var command in searchCommands.Concat(countCommands))
        {
            AssertNoLiteralValues(command, sqlCase);
        }

        // It read the matches and their child rows, and not one row more.
        Assert.Equal(expected.Count, main.RowsRead);
        var childRows = expected.Sum(c => c.Tags.Count + c.SocialProfiles.Count + c.Preferences.Channels.Count + c.CustomFields.Count);
        Assert.Equal(expected.Count + childRows, contactQueries.Sum(c => c.RowsRead));

        // The count: one COUNT with the same filter, one row read.
        var counting = Assert.Single(ContactQueries(countCommands));
        Log("count", [counting]);
        Assert.Contains("COUNT(", counting.Text, StringComparison.OrdinalIgnoreCase);
        AssertFilters(counting, sqlCase);
        Assert.Equal(1, counting.RowsRead);
    }

    /// <summary>The memberOf case names, for the theory.</summary>
    public static TheoryData<string> MemberOfCaseNames => [.. MemberOfCases.Keys];

    /// <summary>memberOf criteria over the seed's two lists, with what they match from the contact's status on each (null: not on it).</summary>
    private static Dictionary<string, (string Criteria, Func<MembershipStatus?, MembershipStatus?, bool> Expected)> MemberOfCases { get; } = new(StringComparer.Ordinal)
    {
        ["equals"] = ("""memberOf("Plumbus Club") = "active" """, (club, _) => club == MembershipStatus.Active),
        ["not equals"] = ("""memberOf("plumbus club") != "active" """, (club, _) => club != MembershipStatus.Active),
        ["in"] = ("""memberOf("Plumbus Club") in ("pending", "unsubscribed")""", (club, _) => club is MembershipStatus.Pending or MembershipStatus.Unsubscribed),
        ["not in"] = ("""memberOf("Plumbus Club") notIn ("pending", "unsubscribed")""", (club, _) => club is not (MembershipStatus.Pending or MembershipStatus.Unsubscribed)),
        ["isEmpty"] = ("""memberOf("Plumbus Club") isEmpty""", (club, _) => club is null),
        ["isNotEmpty"] = ("""memberOf("PLUMBUS CLUB") isNotEmpty""", (club, _) => club is not null),
        ["inside not"] = ("""not (memberOf("Plumbus Club") = "active" or memberOf("Other Club") = "pending")""", (club, other) => !(club == MembershipStatus.Active || other == MembershipStatus.Pending)),
        ["two lists"] = ("""memberOf("Plumbus Club") = "unsubscribed" and not memberOf("Other Club") isEmpty""", (club, other) => club == MembershipStatus.Unsubscribed && other is not null),
    };

    /// <summary>
    /// memberOf becomes a subquery of the membership table joined to the tenant's list by its name key: the search and
    /// the count return exactly the contacts whose status on the list passes (not being on it included), the list
    /// key is a parameter, and the search reads only the matches.
    /// </summary>
    /// <param name="name">The case.</param>
    [Theory]
    [MemberData(nameof(MemberOfCaseNames))]
    public async Task A_memberOf_criteria_runs_in_SQL_as_a_membership_subquery(string name)
    {
        // Arrange
        var (text, matches) = MemberOfCases[name];
        StopClockAt(SqlTranslationSeed.SearchNow);
        var criteria = Criteria.Parse(text);
        var expected = _seed.Contacts
            .Where(c => matches(_seed.ClubStatus.TryGetValue(c.Id, out var club) ? club : null, _seed.OtherStatus.TryGetValue(c.Id, out var other) ? other : null))
            .ToList();
        Assert.True(expected.Count > 0 && expected.Count < _seed.Contacts.Count, $"the seed must tell '{text}' apart; it matches {expected.Count} of {_seed.Contacts.Count}");

        // Act
        var (page, searchCommands) = await _recorder.CaptureAsync(() => Contacts.SearchAsync(_seed.Tenant, criteria, new ContactPageRequest(Size: 100)));
        var (count, countCommands) = await _recorder.CaptureAsync(() => Contacts.CountAsync(_seed.Tenant, criteria));

        // Assert
        Assert.Equal(expected.Select(c => c.Id).Order(), page.Items.Select(c => c.Id).Order());
        Assert.Equal(expected.Count, count);
        var main = ContactQueries(searchCommands)[0];
        var counting = Assert.Single(ContactQueries(countCommands));
        Log("memberOf", [counting]);
        Assert.Equal(expected.Count, main.RowsRead);
        foreach (var command in new[] { main, counting })
        {
            var filter = command.Text[command.Text.IndexOf("WHERE", StringComparison.Ordinal)..];
            Assert.Contains("contacts_list_memberships", filter, StringComparison.Ordinal);
            Assert.Contains("contacts_lists", filter, StringComparison.Ordinal);
            Assert.Contains("NameKey", filter, StringComparison.Ordinal);
            Assert.DoesNotContain("plumbus club", command.Text, StringComparison.OrdinalIgnoreCase);
            Assert.Contains("plumbus club", command.ParameterTexts);
        }
    }

    /// <summary>consent criteria over the seed's consents, with what they match from the contact's channel-wide email and sms consent states.</summary>
    private static Dictionary<string, (string Criteria, Func<ConsentState, ConsentState, bool> Expected)> ConsentCases { get; } = new(StringComparer.Ordinal)
    {
        ["equals"] = ("""consent.email = "granted" """, (email, _) => email == ConsentState.Granted),
        ["not none"] = ("""consent.email != "none" """, (email, _) => email != ConsentState.None),
        ["none"] = ("""consent.EMAIL = "none" """, (email, _) => email == ConsentState.None),
        ["in"] = ("""consent.email in ("granted", "PENDING")""", (email, _) => email is ConsentState.Granted or ConsentState.Pending),
        ["not in"] = ("""consent.email notIn ("withdrawn")""", (email, _) => email != ConsentState.Withdrawn),
        ["other channel"] = ("""consent.sms = "granted" """, (_, sms) => sms == ConsentState.Granted),
        ["inside not"] = ("""not (consent.email = "granted" or consent.sms = "granted")""", (email, sms) => !(email == ConsentState.Granted || sms == ConsentState.Granted)),
    };

    /// <summary>The consent case names, for the theory.</summary>
    public static TheoryData<string> ConsentCaseNames => [.. ConsentCases.Keys];

    /// <summary>
    /// consent.&lt;channel&gt; becomes a subquery of the consent table for the contact's channel-wide consent, "none"
    /// when there is none (a list-scoped consent does not count): the search and the count return exactly the contacts
    /// whose state passes, the channel is a parameter, and the search reads only the matches.
    /// </summary>
    /// <param name="name">The case.</param>
    [Theory]
    [MemberData(nameof(ConsentCaseNames))]
    public async Task A_consent_criteria_runs_in_SQL_as_a_consent_subquery(string name)
    {
        // Arrange
        var (text, matches) = ConsentCases[name];
        StopClockAt(SqlTranslationSeed.SearchNow);
        var criteria = Criteria.Parse(text);
        ConsentState StateOf(IReadOnlyDictionary<ContactId, ConsentState> states, ContactId id) => states.TryGetValue(id, out var state) ? state : ConsentState.None;
        var expected = _seed.Contacts.Where(c => matches(StateOf(_seed.EmailConsent, c.Id), StateOf(_seed.SmsConsent, c.Id))).ToList();
        Assert.True(expected.Count > 0 && expected.Count < _seed.Contacts.Count, $"the seed must tell '{text}' apart; it matches {expected.Count} of {_seed.Contacts.Count}");

        // Act
        var (page, searchCommands) = await _recorder.CaptureAsync(() => Contacts.SearchAsync(_seed.Tenant, criteria, new ContactPageRequest(Size: 100)));
        var (count, countCommands) = await _recorder.CaptureAsync(() => Contacts.CountAsync(_seed.Tenant, criteria));

        // Assert
        Assert.Equal(expected.Select(c => c.Id).Order(), page.Items.Select(c => c.Id).Order());
        Assert.Equal(expected.Count, count);
        var main = ContactQueries(searchCommands)[0];
        var counting = Assert.Single(ContactQueries(countCommands));
        Log("consent", [counting]);
        Assert.Equal(expected.Count, main.RowsRead);
        foreach (var command in new[] { main, counting })
        {
            var filter = command.Text[command.Text.IndexOf("WHERE", StringComparison.Ordinal)..];
            Assert.Contains("contacts_consents", filter, StringComparison.Ordinal);
            Assert.Contains("COALESCE", filter, StringComparison.OrdinalIgnoreCase);
            Assert.DoesNotContain("'email'", command.Text, StringComparison.Ordinal);
            Assert.DoesNotContain("'sms'", command.Text, StringComparison.Ordinal);
            Assert.Contains(text.Contains("sms", StringComparison.Ordinal) ? "sms" : "email", command.ParameterTexts);
        }
    }

    /// <summary>A page of a search is cut in SQL: the store reads one row more than the page, not every match.</summary>
    [Fact]
    public async Task A_page_of_a_search_is_limited_in_SQL()
    {
        // Arrange
        StopClockAt(SqlTranslationSeed.SearchNow);
        var criteria = Criteria.Parse("tags isEmpty");
        var matches = _seed.Contacts.Where(c => c.Tags.Count == 0).OrderBy(c => c.CreatedAt).ThenBy(c => c.Id).ToList();
        Assert.True(matches.Count > 5, "the seed needs more than a page of matches");

        // Act
        var (page, commands) = await _recorder.CaptureAsync(() => Contacts.SearchAsync(_seed.Tenant, criteria, new ContactPageRequest(Size: 2)));

        // Assert
        Assert.Equal(matches.Take(2).Select(c => c.Id), page.Items.Select(c => c.Id));
        Assert.NotNull(page.NextCursor);
        var main = ContactQueries(commands)[0];
        Assert.Contains("LIMIT", main.Text, StringComparison.OrdinalIgnoreCase);
        Assert.Equal(3, main.RowsRead);
    }

    /// <summary>The same criteria run twice sends the same SQL: values change parameters, never the statement.</summary>
    [Fact]
    public async Task Criteria_that_differ_only_in_values_send_the_same_SQL()
    {
        // Arrange
        StopClockAt(SqlTranslationSeed.SearchNow);
        var first = Criteria.Parse("""company = "Quuxbridge Holdings" and customFields.score > 1 and customFields.since < 2031-07-15""");
        var second = Criteria.Parse("""company = "Elsewhere Entirely" and customFields.score > 99 and customFields.since < 2001-01-01""");

        // Act
        var (_, one) = await _recorder.CaptureAsync(() => Contacts.CountAsync(_seed.Tenant, first));
        var (_, other) = await _recorder.CaptureAsync(() => Contacts.CountAsync(_seed.Tenant, second));

        // Assert
        var a = Assert.Single(ContactQueries(one));
        var b = Assert.Single(ContactQueries(other));
        Assert.Equal(a.Text, b.Text);
        Assert.NotEqual(a.ParameterTexts.Order(StringComparer.Ordinal), b.ParameterTexts.Order(StringComparer.Ordinal));
    }

    /// <summary>A flag compared with true or false becomes the flag or its negation, which databases plan as a join.</summary>
    [Theory]
    [InlineData("preferences.channels.email = true", "NOT EXISTS")]
    [InlineData("preferences.channels.email = false", "EXISTS")]
    [InlineData("preferences.channels.email != false", "NOT EXISTS")]
    public async Task A_channel_flag_is_an_exists_not_a_comparison_with_a_flag_parameter(string text, string expected)
    {
        // Arrange
        StopClockAt(SqlTranslationSeed.SearchNow);
        var criteria = Criteria.Parse(text);

        // Act
        var (_, commands) = await _recorder.CaptureAsync(() => Contacts.CountAsync(_seed.Tenant, criteria));

        // Assert
        var query = Assert.Single(ContactQueries(commands));
        var filter = query.Text[query.Text.IndexOf("WHERE", StringComparison.Ordinal)..];
        Assert.Contains(expected + " (", filter, StringComparison.Ordinal);
        if (expected == "EXISTS")
        {
            Assert.DoesNotContain("NOT EXISTS", filter, StringComparison.Ordinal);
        }

        Assert.DoesNotMatch(@"\)\s*(=|<>)\s*[@$]", filter);
    }

    private DateTimeOffset StopClockAt(DateTimeOffset time)
    {
        Clock.AutoAdvanceAmount = TimeSpan.Zero;
        var now = Clock.GetUtcNow();
        Assert.True(time >= now, $"the clock already reads {now:O}");
        Clock.Advance(time - now);
        return Clock.GetUtcNow();
    }

    /// <summary>The queries over the contact tables (all but the custom field schema lookup).</summary>
    private static List<RecordedCommand> ContactQueries(IReadOnlyList<RecordedCommand> commands)
        => commands.Where(c => c.IsQuery && c.Text.Contains("contacts_contacts", StringComparison.Ordinal)).ToList();

    private static void AssertFilters(RecordedCommand command, SqlCase sqlCase)
    {
        var where = command.Text.IndexOf("WHERE", StringComparison.Ordinal);
        Assert.True(where >= 0, $"no WHERE in: {command.Text}");
        var filter = command.Text[where..];
        Assert.Contains("TenantId", filter, StringComparison.Ordinal);
        foreach (var fragment in sqlCase.Fragments)
        {
            Assert.True(filter.Contains(fragment, StringComparison.Ordinal), $"the WHERE of '{sqlCase.Criteria}' should mention {fragment}: {command.Text}");
        }

        foreach (var literal in sqlCase.Literals)
        {
            Assert.True(
                command.ParameterTexts.Any(p => literal.ParameterForms.Any(form => p.Contains(form, StringComparison.Ordinal))),
                $"'{literal.Forbidden}' of '{sqlCase.Criteria}' should be a parameter; parameters: {string.Join(", ", command.ParameterTexts)}");
        }
    }

    private static void AssertNoLiteralValues(RecordedCommand command, SqlCase sqlCase)
    {
        foreach (var literal in sqlCase.Literals)
        {
            Assert.False(
                command.Text.Contains(literal.Forbidden, StringComparison.OrdinalIgnoreCase),
                $"'{literal.Forbidden}' of '{sqlCase.Criteria}' is pasted into the SQL: {command.Text}");
        }
    }

    private void Log(string what, IEnumerable<RecordedCommand> commands)
    {
        foreach (var command in commands)
        {
            _output.WriteLine($"[{Database.Name} {what}] {command}");
        }
    }

    private static string? Fold(string? value) => value?.Normalize(NormalizationForm.FormC).ToLowerInvariant().Normalize(NormalizationForm.FormC);

    private static bool Is(string? value, string folded) => Fold(value) == folded;

    private static bool Has(string? value, string folded) => Fold(value)?.Contains(folded, StringComparison.Ordinal) == true;

    private static DateOnly Day(DateTimeOffset time) => DateOnly.FromDateTime(time.UtcDateTime);

    private static decimal? Score(Contact c) => c.CustomFields.TryGetValue("score", out var v) ? v.NumberValue : null;

    private static string? Note(Contact c) => c.CustomFields.TryGetValue("note", out var v) ? v.TextValue : null;

    private static bool? Vip(Contact c) => c.CustomFields.TryGetValue("vip", out var v) ? v.BooleanValue : null;

    private static DateOnly? Since(Contact c) => c.CustomFields.TryGetValue("since", out var v) ? v.DateValue : null;

    private static Literal Text(string folded) => new(folded, [folded]);

    private static Literal Quoted(string text) => new($"'{text}'", [text]);

    private static Literal Number(decimal value)
        => new(value.ToString(CultureInfo.InvariantCulture), [value.ToString(CultureInfo.InvariantCulture), SortableDecimal.Encode(value)]);

    private static Literal Date(DateOnly value)
        => new(value.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture), [value.ToString(CultureInfo.InvariantCulture), value.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture)]);

    private static Literal Ticks(DateTimeOffset time)
    {
        var ticks = time.UtcTicks.ToString(CultureInfo.InvariantCulture);
        return new(ticks, [ticks]);
    }

    /// <summary>A criteria value: what must not appear in the SQL text, and what a parameter holding it contains (a LIKE pattern adds wildcards).</summary>
    private sealed record Literal(string Forbidden, string[] ParameterForms);

    /// <summary>A criteria, what it matches, what its WHERE must mention, and the values that must be parameters.</summary>
    private sealed record SqlCase(string Name, string Criteria, Func<Contact, DateTimeOffset, bool> Expected, string[] Fragments, Literal[] Literals);
}

/// <summary>The 40 contacts the SQL translation cases search, created once per provider in a tenant of their own.</summary>
public abstract class SqlTranslationSeed : IAsyncLifetime
{
    /// <summary>When the searches run: the clock a specification test starts with.</summary>
    public static readonly DateTimeOffset SearchNow = new(2026, 1, 5, 9, 0, 0, TimeSpan.Zero);

    private ServiceProvider? _services;

    /// <summary>The tenant the contacts belong to.</summary>
    public TenantId Tenant { get; } = TenantId.Parse("sql-" + Guid.NewGuid().ToString("N")[..16]);

    /// <summary>The contacts as read back.</summary>
    public IReadOnlyList<Contact> Contacts { get; private set; } = [];

    /// <summary>The contacts' statuses on the list "Plumbus Club" (absent: not on it).</summary>
    public IReadOnlyDictionary<ContactId, MembershipStatus> ClubStatus { get; private set; } = new Dictionary<ContactId, MembershipStatus>();

    /// <summary>The contacts' statuses on the list "Other Club" (absent: not on it).</summary>
    public IReadOnlyDictionary<ContactId, MembershipStatus> OtherStatus { get; private set; } = new Dictionary<ContactId, MembershipStatus>();

    /// <summary>The states of the contacts' channel-wide email consents (absent: none).</summary>
    public IReadOnlyDictionary<ContactId, ConsentState> EmailConsent { get; private set; } = new Dictionary<ContactId, ConsentState>();

    /// <summary>The states of the contacts' channel-wide sms consents (absent: none).</summary>
    public IReadOnlyDictionary<ContactId, ConsentState> SmsConsent { get; private set; } = new Dictionary<ContactId, ConsentState>();

    protected abstract TestDatabase Database { get; }

    public async Task InitializeAsync()
    {
        var clock = new FakeTimeProvider(new DateTimeOffset(2025, 6, 1, 0, 0, 0, TimeSpan.Zero));
        var services = new ServiceCollection();
        services.AddSingleton<TimeProvider>(clock);
        Database.Use(services.AddContactManagement(_ => { }));
        _services = services.BuildServiceProvider();
        using var scope = _services.CreateScope();
        var contacts = scope.ServiceProvider.GetRequiredService<IContactService>();
        var fields = scope.ServiceProvider.GetRequiredService<ICustomFieldService>();
        var store = scope.ServiceProvider.GetRequiredService<IContactManagementStore>();
        var admin = Actor.Admin("sql-seed");
        await fields.DefineAsync(Tenant, new CustomFieldDefinition("score", CustomFieldType.Number), admin);
        await fields.DefineAsync(Tenant, new CustomFieldDefinition("note", CustomFieldType.Text), admin);
        await fields.DefineAsync(Tenant, new CustomFieldDefinition("vip", CustomFieldType.Boolean), admin);
        await fields.DefineAsync(Tenant, new CustomFieldDefinition("since", CustomFieldType.Date), admin);

        var ids = new List<ContactId>();
        for (var i = 0; i < 40; i++)
        {
            clock.Advance(TimeSpan.FromHours(6));
            ids.Add((await contacts.CreateAsync(Tenant, Draft(i), admin)).Id);
        }

        // Engagements at chosen distances before the search time; the store port records them (no service does yet).
        foreach (var (index, daysAgo) in new[] { (1, 0.5), (2, 3.0), (5, 6.9), (9, 7.5), (13, 20.0), (20, 100.0), (33, 365.0) })
        {
            var uow = await store.BeginAsync(Tenant, default);
            await using (uow)
            {
                var contact = (await uow.Contacts.FindAsync(ids[index], default))!;
                contact.RecordEngagement(SearchNow.AddDays(-daysAgo), clock.GetUtcNow());
                uow.Contacts.Update(contact);
                await uow.CommitAsync(default);
            }
        }

        // Two lists, and memberships of every status on them, written through the store port.
        var lists = scope.ServiceProvider.GetRequiredService<IListService>();
        var club = await lists.CreateAsync(Tenant, new ListDraft { Name = "Plumbus Club" }, admin);
        var otherClub = await lists.CreateAsync(Tenant, new ListDraft { Name = "Other Club" }, admin);
        var clubStatus = new Dictionary<ContactId, MembershipStatus>();
        var otherStatus = new Dictionary<ContactId, MembershipStatus>();
        var membershipWork = await store.BeginAsync(Tenant, default);
        await using (membershipWork)
        {
            for (var i = 0; i < ids.Count; i++)
            {
                MembershipStatus? inClub = (i % 5) switch { 0 => MembershipStatus.Active, 1 => MembershipStatus.Pending, 2 => MembershipStatus.Unsubscribed, _ => null };
                MembershipStatus? inOther = (i % 7) switch { 0 => MembershipStatus.Active, 1 => MembershipStatus.Pending, 3 => MembershipStatus.Unsubscribed, _ => null };
                foreach (var (list, status, statuses) in new[] { (club.Id, inClub, clubStatus), (otherClub.Id, inOther, otherStatus) })
                {
                    if (status is { } s)
                    {
                        membershipWork.Memberships.Add(ListMembership.Create(Tenant, list, ids[i], s, MembershipSource.Manual, clock.GetUtcNow()));
                        statuses[ids[i]] = s;
                    }
                }
            }

            await membershipWork.CommitAsync(default);
        }

        ClubStatus = clubStatus;
        OtherStatus = otherStatus;

        // Consents of every state, written through the store port; list-scoped ones must not count as channel-wide.
        var emailConsent = new Dictionary<ContactId, ConsentState>();
        var smsConsent = new Dictionary<ContactId, ConsentState>();
        var consentWork = await store.BeginAsync(Tenant, default);
        await using (consentWork)
        {
            var now = clock.GetUtcNow();
            for (var i = 0; i < ids.Count; i++)
            {
                var email = Consent.New(Tenant, ids[i], new ConsentScope(Channel.Email, null), now);
                switch (i % 4)
                {
                    case 0:
                        email.Grant("v1", now);
                        break;
                    case 1:
                        email.Request(new string('c', 64), now.AddDays(7), "v1", now);
                        break;
                    case 2:
                        email.Withdraw(now);
                        break;
                    default:
                        var listScoped = Consent.New(Tenant, ids[i], new ConsentScope(Channel.Email, club.Id), now);
                        listScoped.Grant("v1", now);
                        consentWork.Consents.Add(listScoped);
                        continue;
                }

                consentWork.Consents.Add(email);
                emailConsent[ids[i]] = email.State;
                if (i % 3 == 0)
                {
                    var sms = Consent.New(Tenant, ids[i], new ConsentScope(Channel.Sms, null), now);
                    sms.Grant(null, now);
                    consentWork.Consents.Add(sms);
                    smsConsent[ids[i]] = sms.State;
                }
            }

            await consentWork.CommitAsync(default);
        }

        EmailConsent = emailConsent;
        SmsConsent = smsConsent;

        var all = new List<Contact>();
        foreach (var id in ids)
        {
            all.Add(await contacts.GetAsync(Tenant, id));
        }

        Contacts = all;
    }

    public async Task DisposeAsync()
    {
        if (_services is not null)
        {
            await _services.DisposeAsync();
        }
    }

    private static ContactDraft Draft(int i)
    {
        string[] firstNames = ["Ada", "Grace", "Émile", "Zoë", "Łukasz", "Σοφία", "José", "Mia"];
        var custom = new Dictionary<string, CustomFieldValue?>
        {
            ["score"] = i switch
            {
                13 => 4242.125m,
                14 => -12.75m,
                15 => 7m,
                _ when i % 2 == 0 => i * 1.5m - 20m,
                _ => null,
            },
            ["note"] = i switch
            {
                19 => CustomFieldValue.FromText("Kumquat season"),
                20 => CustomFieldValue.FromText("KUMQUATS"),
                _ when i % 4 == 1 => CustomFieldValue.FromText("plain note"),
                _ => null,
            },
            ["vip"] = (i % 5) switch
            {
                0 => true,
                1 => false,
                _ => null,
            },
            ["since"] = i switch
            {
                21 => new DateOnly(2031, 7, 14),
                23 => new DateOnly(2031, 7, 15),
                _ when i % 6 == 0 => new DateOnly(2020, 1, 1).AddDays(i),
                _ => null,
            },
        };
        var social = new Dictionary<string, string>();
        if (i == 24)
        {
            social["github"] = "Plumbus-Dev";
        }
        else if (i == 26)
        {
            social["github"] = "plumbus-dev2";
        }
        else if (i == 27)
        {
            social["twitter"] = "plumbus-dev";
        }
        else if (i % 4 == 2)
        {
            social["github"] = $"user{i}";
        }

        var channels = new Dictionary<string, bool>();
        if (i % 8 == 3)
        {
            channels["email"] = false;
        }

        if (i == 12)
        {
            channels["email"] = true;
        }

        if (i % 9 == 4)
        {
            channels["sms"] = false;
        }

        var tags = i % 3 == 0 ? new List<string>() : ["filler", $"t{i % 4}"];
        if (i is 11 or 28)
        {
            tags.Add(i == 11 ? "Plumbus-VIP" : "plumbus-vip");
        }

        return new ContactDraft
        {
            FirstName = i switch { 4 => "Zyxandra", 22 => "ZYXIE", _ => firstNames[i % firstNames.Length] },
            LastName = i switch { 6 => "Quillworthington", 31 => "ASHWORTHINGTON", _ => $"Filler{i}" },
            Title = i switch { 8 => "Chief Plumbus Officer", 9 => "Vice Plumbus", 10 => "Plumbus Intern", _ when i % 2 == 0 => "Engineer", _ => null },
            Company = i switch
            {
                3 => "Quuxbridge Holdings",
                17 => "QUUXBRIDGE HOLDINGS",
                25 => "Quuxbridge Holdings Ltd",
                _ when i % 7 == 0 => null,
                _ => $"Filler Co {i % 5}",
            },
            Email = i == 30 ? "someone@plumbus-mail.test" : $"sql{i}@example.com",
            Status = i % 6 == 1 ? ContactStatus.Inactive : i % 10 == 7 ? ContactStatus.Unsubscribed : ContactStatus.Active,
            Tags = tags,
            SocialProfiles = social,
            Preferences = channels.Count == 0 ? null : new ContactPreferencesDraft { Channels = channels },
            CustomFields = custom,
        };
    }
}

public sealed class SqliteSqlTranslationSeed : SqlTranslationSeed
{
    protected override TestDatabase Database => SqliteTestDatabase.Instance;
}

public sealed class PostgresSqlTranslationSeed : SqlTranslationSeed
{
    protected override TestDatabase Database => PostgresTestDatabase.Instance;
}

public sealed class SqliteSqlTranslationTests(SqliteSqlTranslationSeed seed, ITestOutputHelper output)
    : SqlTranslationTests(seed, output), IClassFixture<SqliteSqlTranslationSeed>
{
    protected override TestDatabase Database => SqliteTestDatabase.Instance;
}

public sealed class PostgresSqlTranslationTests(PostgresSqlTranslationSeed seed, ITestOutputHelper output)
    : SqlTranslationTests(seed, output), IClassFixture<PostgresSqlTranslationSeed>
{
    protected override TestDatabase Database => PostgresTestDatabase.Instance;
}
