using System.Text;
using FsCheck;
using FsCheck.Fluent;
using FsCheck.Xunit;
using Microsoft.Extensions.DependencyInjection;
using Xunit;

namespace Datum.Contacts.Specification.Tests;

/// <summary>
/// Searching and counting contacts with criteria: exactly the matching contacts of the tenant, in every sort and
/// page size, with the tenant's own fields, within the configured limits, and with hostile values taken as data.
/// </summary>
/// <remarks>
/// Expected results are computed in the tests from the contacts' public properties, with the documented semantics
/// (text compared on its NFC lower-case form, a date on a date-time field meaning that UTC day, missing values failing
/// every positive operator but <c>isEmpty</c>), never with the library's own evaluator, except in the property
/// <see cref="Search_returns_what_the_compiled_criteria_matches_for_random_contacts_and_criteria"/>, which holds the
/// store to <see cref="CompiledCriteria.Matches"/> over 100 cases (an adapter over a slow store may set fewer with
/// <c>[Properties(MaxTest = 30)]</c> on its subclass).
/// </remarks>
[Properties(MaxTest = 100)]
public abstract class CriteriaSearchSpecification : ContactManagementSpecification
{
    /// <summary>When the searches of <see cref="SearchCases"/> run: the clock stands still at this time.</summary>
    private static readonly DateTimeOffset SearchNow = new(2026, 3, 10, 12, 0, 0, TimeSpan.Zero);

    private static readonly DateOnly Today = DateOnly.FromDateTime(SearchNow.UtcDateTime);

    /// <summary>A 1,000-character value (the default longest criteria value) made of the characters SQL treats specially.</summary>
    private static readonly string LongHostileValue = string.Concat(Enumerable.Repeat("%_\\'\"; --x", 100));

    private readonly List<IServiceScope> _ownScopes = [];

    /// <summary>
    /// Each criteria of the representative set, with what it must match written independently of the library:
    /// text, choice, tags, date-time (UTC days, offsets, relative), custom number/text/boolean/date fields,
    /// preference channels, missing values, and nesting of <c>not</c>, <c>or</c> and <c>and</c>.
    /// </summary>
    private static readonly Dictionary<string, Func<Contact, bool>> Expectations = new(StringComparer.Ordinal)
    {
        // Text: case-insensitive on the NFC lower-case form, non-ASCII included.
        ["firstName = \"zoë\""] = c => TextIs(c.FirstName, "zoë"),
        ["firstName = \"JOSÉ\""] = c => TextIs(c.FirstName, "josé"),
        ["firstName = \"ΣΟΦΊΑ\""] = c => TextIs(c.FirstName, "σοφία"),
        ["firstName startsWith \"ZO\""] = c => TextStarts(c.FirstName, "zo"),
        ["firstName != \"zoë\""] = c => !TextIs(c.FirstName, "zoë"),
        ["lastName in (\"lovelace\", \"ZOLA\", \"ørsted\")"] = c => TextIs(c.LastName, "lovelace") || TextIs(c.LastName, "zola") || TextIs(c.LastName, "ørsted"),
        ["lastName notIn (\"LOVELACE\")"] = c => !TextIs(c.LastName, "lovelace"),
        ["company contains \"ACME\""] = c => TextContains(c.Company, "acme"),
        ["company notContains \"acme\""] = c => !TextContains(c.Company, "acme"),
        ["company endsWith \"GMBH\""] = c => TextEnds(c.Company, "gmbh"),
        ["company != \"acme corp\""] = c => !TextIs(c.Company, "acme corp"),
        ["company isEmpty"] = c => c.Company is null,
        ["email endsWith \"@BÜCHER.DE\""] = c => TextEnds(c.Email?.Value, "@bücher.de"),
        ["email isEmpty"] = c => c.Email is null,
        ["phone isNotEmpty"] = c => c.Phone is not null,
        ["type = \"CLIENT\""] = c => TextIs(c.Type?.Value, "client"),
        ["socialProfiles.github = \"ADA\""] = c => TextIs(c.SocialProfiles.GetValueOrDefault("github"), "ada"),
        ["preferences.timeZone startsWith \"europe/\""] = c => TextStarts(c.Preferences.TimeZone?.Value, "europe/"),

        // Choices.
        ["status = \"ACTIVE\""] = c => c.Status == ContactStatus.Active,
        ["status in (\"inactive\", \"Unsubscribed\")"] = c => c.Status is ContactStatus.Inactive or ContactStatus.Unsubscribed,
        ["status != \"active\""] = c => c.Status != ContactStatus.Active,
        ["source = \"import\""] = c => c.Source == ContactSource.Import,
        ["preferences.frequency isEmpty"] = c => c.Preferences.Frequency is null,
        ["preferences.frequency notIn (\"daily\", \"WEEKLY\")"] = c => c.Preferences.Frequency is not (ContactFrequency.Daily or ContactFrequency.Weekly),
        ["preferences.frequency = \"monthly\""] = c => c.Preferences.Frequency == ContactFrequency.Monthly,

        // Tags.
        ["tags has \"VIP\""] = c => HasTag(c, "vip"),
        ["tags has \"beta\""] = c => HasTag(c, "beta"),
        ["tags isEmpty"] = c => c.Tags.Count == 0,
        ["not tags has \"vip\""] = c => !HasTag(c, "vip"),

        // Date-times: a date means its whole UTC day; a date-time without offset is UTC.
        ["createdAt = 2026-03-02"] = c => Day(c.CreatedAt) == new DateOnly(2026, 3, 2),
        ["createdAt != 2026-03-02"] = c => Day(c.CreatedAt) != new DateOnly(2026, 3, 2),
        ["createdAt > 2026-03-01"] = c => Day(c.CreatedAt) > new DateOnly(2026, 3, 1),
        ["createdAt >= 2026-03-02"] = c => Day(c.CreatedAt) >= new DateOnly(2026, 3, 2),
        ["createdAt <= 2026-03-03"] = c => Day(c.CreatedAt) <= new DateOnly(2026, 3, 3),
        ["createdAt < 2026-03-04"] = c => Day(c.CreatedAt) < new DateOnly(2026, 3, 4),
        ["createdAt between 2026-03-02 and 2026-03-03"] = c => Day(c.CreatedAt) >= new DateOnly(2026, 3, 2) && Day(c.CreatedAt) <= new DateOnly(2026, 3, 3),
        ["createdAt >= 2026-03-02T01:00:00+01:00"] = c => c.CreatedAt >= new DateTimeOffset(2026, 3, 2, 0, 0, 0, TimeSpan.Zero),
        ["createdAt < 2026-03-02T00:00:00"] = c => c.CreatedAt < new DateTimeOffset(2026, 3, 2, 0, 0, 0, TimeSpan.Zero),
        ["createdAt = 2026-03-08T06:00:00Z"] = c => c.CreatedAt == new DateTimeOffset(2026, 3, 8, 6, 0, 0, TimeSpan.Zero),
        ["createdAt withinLast 7 days"] = c => c.CreatedAt >= SearchNow.AddDays(-7) && c.CreatedAt <= SearchNow,
        ["createdAt moreThan 8 days ago"] = c => c.CreatedAt < SearchNow.AddDays(-8),
        ["updatedAt > 2026-03-04"] = c => Day(c.UpdatedAt) > new DateOnly(2026, 3, 4),

        // Custom number.
        ["customFields.score > 10"] = c => Number(c) > 10m,
        ["customFields.score = 10.50"] = c => Number(c) == 10.5m,
        ["customFields.score = \"10\""] = c => Number(c) == 10m,
        ["customFields.score between -3 and 10"] = c => Number(c) >= -3m && Number(c) <= 10m,
        ["customFields.score in (10, -3, 0)"] = c => Number(c) is 10m or -3m or 0m,
        ["customFields.score != 10"] = c => Number(c) != 10m,
        ["customFields.score isEmpty"] = c => Number(c) is null,
        ["score <= 0"] = c => Number(c) <= 0m,

        // Custom text.
        ["customFields.note contains \"GOLD\""] = c => TextContains(Note(c), "gold"),
        ["note = \"SILVER\""] = c => TextIs(Note(c), "silver"),
        ["customFields.note isNotEmpty"] = c => Note(c) is not null,
        ["customFields.note notContains \"silver\""] = c => !TextContains(Note(c), "silver"),

        // Custom boolean.
        ["customFields.vip = true"] = c => Flag(c) == true,
        ["customFields.vip = false"] = c => Flag(c) == false,
        ["customFields.vip != true"] = c => Flag(c) != true,
        ["customFields.vip isEmpty"] = c => Flag(c) is null,

        // Custom date, relative ones against today's UTC date.
        ["customFields.since = 2026-03-01"] = c => Since(c) == new DateOnly(2026, 3, 1),
        ["customFields.since < 2026-01-01"] = c => Since(c) < new DateOnly(2026, 1, 1),
        ["customFields.since between 2026-02-08 and 2026-03-10"] = c => Since(c) >= new DateOnly(2026, 2, 8) && Since(c) <= new DateOnly(2026, 3, 10),
        ["customFields.since in (2025-12-31, 2026-03-11)"] = c => Since(c) == new DateOnly(2025, 12, 31) || Since(c) == new DateOnly(2026, 3, 11),
        ["customFields.since notIn (2026-03-01)"] = c => Since(c) != new DateOnly(2026, 3, 1),
        ["customFields.since withinLast 30 days"] = c => Since(c) >= Today.AddDays(-30) && Since(c) <= Today,
        ["customFields.since moreThan 30 days ago"] = c => Since(c) < Today.AddDays(-30),

        // Preference channels: an unset channel is enabled.
        ["preferences.channels.email = false"] = c => !ChannelOn(c, "email"),
        ["preferences.channels.sms = true"] = c => ChannelOn(c, "sms"),
        ["preferences.channels.SMS != false"] = c => ChannelOn(c, "sms"),

        // Nesting; and binds tighter than or.
        ["not (status = \"active\" and tags has \"vip\")"] = c => !(c.Status == ContactStatus.Active && HasTag(c, "vip")),
        ["(status = \"active\" or tags has \"newsletter\") and not company contains \"globex\""] = c => (c.Status == ContactStatus.Active || HasTag(c, "newsletter")) && !TextContains(c.Company, "globex"),
        ["firstName startsWith \"z\" and (customFields.score >= 10 or customFields.vip = true)"] = c => TextStarts(c.FirstName, "z") && (Number(c) >= 10m || Flag(c) == true),
        ["status = \"inactive\" or status = \"unsubscribed\" and tags isEmpty"] = c => c.Status == ContactStatus.Inactive || (c.Status == ContactStatus.Unsubscribed && c.Tags.Count == 0),
        ["not not (company = \"GLOBEX\")"] = c => TextIs(c.Company, "globex"),
        ["not (customFields.score > 0 or customFields.note isNotEmpty)"] = c => !(Number(c) > 0m || Note(c) is not null),
    };

    /// <summary>The criteria texts of the representative set.</summary>
    public static TheoryData<string> SearchCases => [.. Expectations.Keys];

    /// <summary>Every sort field and direction, with pages of 2 and of 3.</summary>
    public static TheoryData<ContactSortField, SortDirection, int> SortsAndSizes
    {
        get
        {
            var data = new TheoryData<ContactSortField, SortDirection, int>();
            foreach (var sort in Enum.GetValues<ContactSortField>())
            {
                foreach (var direction in Enum.GetValues<SortDirection>())
                {
                    data.Add(sort, direction, 2);
                    data.Add(sort, direction, 3);
                }
            }

            return data;
        }
    }

    /// <summary>Criteria that do not fit the tenant, the error code expected, and the field the error must name.</summary>
    public static TheoryData<string, string, string> MisfitCriteria => new()
    {
        { "shoeSize = 42", "unknown_field", "shoeSize" },
        { "customFields.rating > 1", "unknown_field", "customFields.rating" },
        { "rating > 1", "unknown_field", "rating" },
        { "memberOf(\"VIP\") = \"member\"", "invalid_value", "memberOf(\"VIP\")" },
        { "memberOf(\"VIP\") = \"active\"", "unknown_list", "VIP" },
        { "createdAt > \"abc\"", "invalid_value", "createdAt" },
        { "customFields.score in (\"x\")", "invalid_value", "customFields.score" },
        { "customFields.score = true", "invalid_value", "customFields.score" },
        { "customFields.since = \"yesterday\"", "invalid_value", "customFields.since" },
        { "status = \"dormant\"", "invalid_value", "status" },
        { "preferences.channels.email = \"maybe\"", "invalid_value", "preferences.channels.email" },
        { "tags contains \"vip\"", "operator_not_applicable", "tags" },
        { "firstName > \"a\"", "operator_not_applicable", "firstName" },
        { "customFields.score between 5 and 1", "empty_range", "customFields.score" },
    };

    /// <summary>The configurable limits, by name.</summary>
    public static TheoryData<string> Limits => ["conditions", "depth", "value length", "list values", "days"];

    /// <summary>Values that would break a store that pasted them into a query or a LIKE pattern.</summary>
    public static TheoryData<string> HostileValues =>
        ["'); DROP TABLE contacts; --", "%", "_", "\\", "'", "\"", "100%", "under_score", "%_\\", "\\%", "%'--", LongHostileValue];

    /// <summary>A search returns exactly the contacts the criteria matches, and a count counts them, in text and JSON form.</summary>
    /// <param name="text">The criteria text.</param>
    [Theory]
    [MemberData(nameof(SearchCases))]
    public async Task Search_returns_exactly_the_matching_contacts(string text)
    {
        var tenant = NewTenant();
        var all = await SeedRepresentativeContactsAsync(tenant);
        var expected = all.Where(Expectations[text]).Select(c => c.Id).Order().ToList();
        Assert.True(expected.Count > 0 && expected.Count < all.Count, $"the seed data must tell '{text}' apart: it matches {expected.Count} of {all.Count}");
        var compiler = Resolve<ICriteriaCompiler>();
        var criteria = compiler.Parse(text);

        var found = await SearchAllAsync(Contacts, tenant, criteria, new ContactPageRequest(Size: 100));
        var count = await Contacts.CountAsync(tenant, criteria);
        var countFromJson = await Contacts.CountAsync(tenant, compiler.ParseJson(criteria.ToJson()));

        Assert.Equal(expected, found.Select(c => c.Id).Order());
        Assert.All(found, c => Assert.Equal(tenant, c.Tenant));
        Assert.Equal(expected.Count, count);
        Assert.Equal(expected.Count, countFromJson);
    }

    /// <summary>
    /// Paging a search in every sort field and direction visits every match exactly once, in order, and nothing
    /// else; every page but the last is full and the last has no next cursor.
    /// </summary>
    /// <param name="sort">The sort field.</param>
    /// <param name="direction">The direction.</param>
    /// <param name="size">The page size.</param>
    [Theory]
    [MemberData(nameof(SortsAndSizes))]
    public async Task Paging_a_search_visits_every_match_once_in_order(ContactSortField sort, SortDirection direction, int size)
    {
        var tenant = NewTenant();
        string?[] lastNames = ["Zed", "ávila", "Avila", null, "Émile", "brown", "Brown", "zed", null, "Ørsted", "Ng", "ng", "Çelik", "Ávila", "Brown"];
        Clock.AutoAdvanceAmount = TimeSpan.Zero; // equal times, so ties must be broken by id
        var ids = new List<ContactId>();
        for (var i = 0; i < lastNames.Length; i++)
        {
            if (i % 3 == 0)
            {
                Clock.Advance(TimeSpan.FromSeconds(1));
            }

            var created = await Contacts.CreateAsync(tenant, new ContactDraft
            {
                LastName = lastNames[i],
                Email = $"p{(i * 7) % lastNames.Length:D2}@example.com",
                Tags = i % 3 == 1 ? ["other"] : ["Match"],
                Status = i % 5 == 0 ? ContactStatus.Unsubscribed : ContactStatus.Active,
            }, Admin);
            ids.Add(created.Id);
        }

        // Later changes reorder updatedAt and move two contacts in and out of the matches.
        foreach (var (index, tags) in new (int, string[])[] { (12, ["match", "x"]), (1, ["MATCH"]), (2, ["other"]), (7, ["match"]) })
        {
            Clock.Advance(TimeSpan.FromSeconds(1));
            await Contacts.PatchAsync(tenant, ids[index], new ContactPatch { Tags = tags }, null, Admin);
        }

        var criteria = Criteria.Parse("tags has \"match\" and status != \"unsubscribed\"");
        var expected = (await AllContactsAsync(tenant))
            .Where(c => HasTag(c, "match") && c.Status != ContactStatus.Unsubscribed)
            .Select(c => new ContactPosition(ContactOrder.KeyOf(c, sort), c.Id))
            .Order(Comparer<ContactPosition>.Create((x, y) => ContactOrder.Compare(x, y, direction)))
            .Select(p => p.Id)
            .ToList();

        var pages = new List<Page<Contact>>();
        string? cursor = null;
        do
        {
            var page = await Contacts.SearchAsync(tenant, criteria, new ContactPageRequest(sort, direction, size, cursor));
            pages.Add(page);
            cursor = page.NextCursor;
            Assert.True(pages.Count <= lastNames.Length, "paging must end");
        }
        while (cursor is not null);

        Assert.Equal(expected, pages.SelectMany(p => p.Items).Select(c => c.Id));
        Assert.Equal((expected.Count + size - 1) / size, pages.Count);
        Assert.All(pages.Take(pages.Count - 1), p => Assert.Equal(size, p.Items.Count));
        Assert.InRange(pages[^1].Items.Count, 1, size);
        Assert.Null(pages[^1].NextCursor);
    }

    /// <summary>Counting without criteria counts every contact of the tenant; with criteria only the matches; deletions count.</summary>
    [Fact]
    public async Task Counting_counts_all_contacts_or_only_the_matches()
    {
        var tenant = NewTenant();
        var all = await SeedRepresentativeContactsAsync(tenant);
        var active = Criteria.Parse("status = \"active\"");
        var nothing = Criteria.Parse("firstName = \"nobody at all\"");
        var activeCount = all.Count(c => c.Status == ContactStatus.Active);

        Assert.Equal(all.Count, await Contacts.CountAsync(tenant, null));
        Assert.Equal(activeCount, await Contacts.CountAsync(tenant, active));
        Assert.Equal(0, await Contacts.CountAsync(tenant, nothing));

        var removed = all.First(c => c.Status == ContactStatus.Active);
        await Contacts.DeleteAsync(tenant, removed.Id, null, Admin);

        Assert.Equal(all.Count - 1, await Contacts.CountAsync(tenant, null));
        Assert.Equal(activeCount - 1, await Contacts.CountAsync(tenant, active));
        Assert.Equal(0, await Contacts.CountAsync(NewTenant(), null));
        Assert.Equal(0, await Contacts.CountAsync(NewTenant(), active));
    }

    /// <summary>Searches and counts never see another tenant's contacts, even when they match.</summary>
    [Fact]
    public async Task Search_and_count_never_see_another_tenants_contacts()
    {
        var (a, b, empty) = (NewTenant(), NewTenant(), NewTenant());
        foreach (var tenant in new[] { a, b })
        {
            await CustomFields.DefineAsync(tenant, new CustomFieldDefinition("score", CustomFieldType.Number), Admin);
        }

        var mine = new Dictionary<TenantId, List<ContactId>> { [a] = [], [b] = [] };
        foreach (var (tenant, matching, other) in new[] { (a, 3, 1), (b, 2, 2) })
        {
            for (var i = 0; i < matching + other; i++)
            {
                var draft = new ContactDraft
                {
                    FirstName = "Shared",
                    Company = i < matching ? "Same Company" : "Elsewhere",
                    Email = i == 0 ? "same@example.com" : $"s{i}@example.com",
                    CustomFields = new Dictionary<string, CustomFieldValue?> { ["score"] = 5 },
                };
                var created = await Contacts.CreateAsync(tenant, draft, Admin);
                if (i < matching)
                {
                    mine[tenant].Add(created.Id);
                }
            }
        }

        var criteria = Criteria.Parse("company = \"same company\" and customFields.score > 1 and firstName = \"shared\"");
        var byEmail = Criteria.Parse("email = \"SAME@example.com\"");
        var plain = Criteria.Parse("firstName = \"shared\"");

        foreach (var tenant in new[] { a, b })
        {
            var found = await SearchAllAsync(Contacts, tenant, criteria, new ContactPageRequest(Size: 2));
            Assert.Equal(mine[tenant].Order(), found.Select(c => c.Id).Order());
            Assert.All(found, c => Assert.Equal(tenant, c.Tenant));
            Assert.Equal(mine[tenant].Count, await Contacts.CountAsync(tenant, criteria));
            var sameEmail = Assert.Single(await SearchAllAsync(Contacts, tenant, byEmail, new ContactPageRequest()));
            Assert.Equal(tenant, sameEmail.Tenant);
            Assert.Equal(1, await Contacts.CountAsync(tenant, byEmail));
        }

        Assert.Empty(await SearchAllAsync(Contacts, empty, plain, new ContactPageRequest()));
        Assert.Equal(0, await Contacts.CountAsync(empty, plain));
        Assert.Equal(0, await Contacts.CountAsync(empty, byEmail));
    }

    /// <summary>
    /// A criteria that does not fit the tenant's fields fails with <see cref="InvalidCriteriaException"/> naming the
    /// field, before anything is read: a tenant with no contacts at all rejects it the same way, and nothing changes.
    /// </summary>
    /// <param name="text">The criteria.</param>
    /// <param name="code">The error code expected.</param>
    /// <param name="field">The field the error must name.</param>
    [Theory]
    [MemberData(nameof(MisfitCriteria))]
    public async Task A_criteria_that_does_not_fit_the_tenant_fails_naming_the_field(string text, string code, string field)
    {
        var (full, bare, other) = (NewTenant(), NewTenant(), NewTenant());
        foreach (var tenant in new[] { full, bare })
        {
            await CustomFields.DefineAsync(tenant, new CustomFieldDefinition("score", CustomFieldType.Number), Admin);
            await CustomFields.DefineAsync(tenant, new CustomFieldDefinition("since", CustomFieldType.Date), Admin);
        }

        await CustomFields.DefineAsync(other, new CustomFieldDefinition("rating", CustomFieldType.Number), Admin);
        await Contacts.CreateAsync(other, NewDraft() with { CustomFields = new Dictionary<string, CustomFieldValue?> { ["rating"] = 5 } }, Admin);
        var existing = await Contacts.CreateAsync(full, NewDraft() with { CustomFields = new Dictionary<string, CustomFieldValue?> { ["score"] = 5 } }, Admin);
        var criteria = Criteria.Parse(text);

        foreach (var tenant in new[] { full, bare })
        {
            var onSearch = await Assert.ThrowsAsync<InvalidCriteriaException>(() => Contacts.SearchAsync(tenant, criteria, new ContactPageRequest()));
            var onCount = await Assert.ThrowsAsync<InvalidCriteriaException>(() => Contacts.CountAsync(tenant, criteria));

            foreach (var error in new[] { onSearch, onCount })
            {
                Assert.Equal("invalid_criteria", error.Code);
                Assert.Contains(error.Errors, e => e.Code == code && e.Message.Contains(field, StringComparison.Ordinal) && e.Location is not null);
                Assert.Contains(field, error.Message, StringComparison.Ordinal);
            }
        }

        Assert.Equal([existing.Id], (await AllContactsAsync(full)).Select(c => c.Id));
        Assert.Equal(1, await Contacts.CountAsync(full, null));
    }

    /// <summary>Every problem of a criteria is reported at once.</summary>
    [Fact]
    public async Task Several_misfits_are_reported_together()
    {
        var tenant = NewTenant();
        await CustomFields.DefineAsync(tenant, new CustomFieldDefinition("score", CustomFieldType.Number), Admin);

        var error = await Assert.ThrowsAsync<InvalidCriteriaException>(() => Contacts.SearchAsync(
            tenant, Criteria.Parse("shoeSize = 42 or (createdAt > \"abc\" and customFields.score contains \"1\")"), new ContactPageRequest()));

        Assert.Equal(["unknown_field", "invalid_value", "operator_not_applicable"], error.Errors.Select(e => e.Code));
    }

    /// <summary>
    /// The same criteria is checked against each tenant's own fields: a custom field declared as a number in one tenant
    /// and as text in another compares as a number in the first and as text in the second, whatever was compiled first.
    /// </summary>
    [Fact]
    public async Task The_same_criteria_is_checked_against_each_tenants_own_fields()
    {
        var (numbers, texts) = (NewTenant(), NewTenant());
        await CustomFields.DefineAsync(numbers, new CustomFieldDefinition("score", CustomFieldType.Number), Admin);
        await CustomFields.DefineAsync(texts, new CustomFieldDefinition("score", CustomFieldType.Text), Admin);
        var ten = await Contacts.CreateAsync(numbers, NewDraft() with { CustomFields = new Dictionary<string, CustomFieldValue?> { ["score"] = 10 } }, Admin);
        await Contacts.CreateAsync(numbers, NewDraft() with { CustomFields = new Dictionary<string, CustomFieldValue?> { ["score"] = 2 } }, Admin);
        var tenText = await Contacts.CreateAsync(texts, NewDraft() with { CustomFields = new Dictionary<string, CustomFieldValue?> { ["score"] = "10" } }, Admin);
        var tenApples = await Contacts.CreateAsync(texts, NewDraft() with { CustomFields = new Dictionary<string, CustomFieldValue?> { ["score"] = "10 apples" } }, Admin);
        var equalsTen = Criteria.Parse("customFields.score = \"10\"");
        var containsTen = Criteria.Parse("customFields.score contains \"10\"");
        var aboveFive = Criteria.Parse("customFields.score > 5");

        var textMatches = await SearchAllAsync(Contacts, texts, equalsTen, new ContactPageRequest());
        var textContains = await SearchAllAsync(Contacts, texts, containsTen, new ContactPageRequest());
        var numberMatches = await SearchAllAsync(Contacts, numbers, equalsTen, new ContactPageRequest());
        var numberAbove = await SearchAllAsync(Contacts, numbers, aboveFive, new ContactPageRequest());
        var containsOnNumbers = await Assert.ThrowsAsync<InvalidCriteriaException>(() => Contacts.CountAsync(numbers, containsTen));
        var aboveOnTexts = await Assert.ThrowsAsync<InvalidCriteriaException>(() => Contacts.CountAsync(texts, aboveFive));

        Assert.Equal([tenText.Id], textMatches.Select(c => c.Id));
        Assert.Equal(new[] { tenText.Id, tenApples.Id }.Order(), textContains.Select(c => c.Id).Order());
        Assert.Equal([ten.Id], numberMatches.Select(c => c.Id));
        Assert.Equal([ten.Id], numberAbove.Select(c => c.Id));
        Assert.Equal("operator_not_applicable", Assert.Single(containsOnNumbers.Errors).Code);
        Assert.Equal("operator_not_applicable", Assert.Single(aboveOnTexts.Errors).Code);
    }

    /// <summary>
    /// Relative dates are measured from the clock when the search runs, not when the criteria was compiled: the same
    /// criteria stops matching as time passes, on a date-time field (inclusive at exactly N days) and on a date field.
    /// </summary>
    [Fact]
    public async Task Relative_dates_are_measured_from_the_clock_at_search_time()
    {
        var tenant = NewTenant();
        await CustomFields.DefineAsync(tenant, new CustomFieldDefinition("since", CustomFieldType.Date), Admin);
        Clock.AutoAdvanceAmount = TimeSpan.Zero;
        var today = DateOnly.FromDateTime(Clock.GetUtcNow().UtcDateTime);
        var contact = await Contacts.CreateAsync(tenant, NewDraft() with { CustomFields = new Dictionary<string, CustomFieldValue?> { ["since"] = today } }, Admin);
        await Contacts.CreateAsync(tenant, NewDraft("Undated"), Admin);
        var within = Criteria.Parse("createdAt withinLast 1 days");
        var before = Criteria.Parse("createdAt moreThan 1 days ago");
        var sinceToday = Criteria.Parse("customFields.since withinLast 0 days");
        var sinceBefore = Criteria.Parse("customFields.since moreThan 0 days ago");

        async Task<string> MatchesAsync()
        {
            var flags = new List<bool>();
            foreach (var criteria in new[] { within, before, sinceToday, sinceBefore })
            {
                var found = await SearchAllAsync(Contacts, tenant, criteria, new ContactPageRequest());
                var count = await Contacts.CountAsync(tenant, criteria);
                Assert.Equal(found.Count, count);
                flags.Add(found.Any(c => c.Id == contact.Id));
            }

            return string.Join(",", flags);
        }

        var atCreation = await MatchesAsync();
        Clock.Advance(TimeSpan.FromDays(1));
        var exactlyADayLater = await MatchesAsync();
        Clock.Advance(TimeSpan.FromMilliseconds(1));
        var justOverADayLater = await MatchesAsync();

        Assert.Equal("True,False,True,False", atCreation);
        Assert.Equal("True,False,False,True", exactlyADayLater);
        Assert.Equal("False,True,False,True", justOverADayLater);
    }

    /// <summary>
    /// Criteria over a configured limit are rejected when searching and counting (and by the configured compiler's
    /// parser); criteria exactly at the limit are accepted.
    /// </summary>
    /// <param name="limit">Which limit.</param>
    [Theory]
    [MemberData(nameof(Limits))]
    public async Task Criteria_over_a_configured_limit_are_rejected(string limit)
    {
        var services = CreateServices(Clock, o =>
        {
            o.Criteria.MaxConditions = 3;
            o.Criteria.MaxDepth = 3;
            o.Criteria.MaxValueLength = 10;
            o.Criteria.MaxListValues = 2;
            o.Criteria.MaxDays = 30;
        });
        var contacts = ResolveFrom<IContactService>(services);
        var compiler = ResolveFrom<ICriteriaCompiler>(services);
        var tenant = NewTenant();
        var named = await contacts.CreateAsync(tenant, NewDraft("a"), Admin);
        await contacts.CreateAsync(tenant, NewDraft("z"), Admin);
        static Criteria Name(string value) => Criteria.Condition("firstName", CriteriaOperator.Equals, value);
        var (atLimit, overLimit) = limit switch
        {
            "conditions" => (Criteria.Or(Name("a"), Name("b"), Name("c")), Criteria.Or(Name("a"), Name("b"), Name("c"), Name("d"))),
            "depth" => (Criteria.Not(Criteria.Not(Name("a"))), Criteria.Not(Criteria.Not(Criteria.Not(Name("a"))))),
            "value length" => (Criteria.Or(Name("a"), Name(new string('a', 10))), Criteria.Or(Name("a"), Name(new string('a', 11)))),
            "list values" => (Criteria.Condition("firstName", CriteriaOperator.In, "a", "b"), Criteria.Condition("firstName", CriteriaOperator.In, "a", "b", "c")),
            "days" => (Criteria.Condition("createdAt", CriteriaOperator.WithinLastDays, 30), Criteria.Condition("createdAt", CriteriaOperator.WithinLastDays, 31)),
            _ => throw new ArgumentOutOfRangeException(nameof(limit), limit, null),
        };

        var onSearch = await Assert.ThrowsAsync<InvalidCriteriaException>(() => contacts.SearchAsync(tenant, overLimit, new ContactPageRequest()));
        var onCount = await Assert.ThrowsAsync<InvalidCriteriaException>(() => contacts.CountAsync(tenant, overLimit));
        var onParse = Assert.Throws<InvalidCriteriaException>(() => compiler.Parse(overLimit.ToString()));
        var accepted = await contacts.SearchAsync(tenant, compiler.Parse(atLimit.ToString()), new ContactPageRequest());

        Assert.Contains(onSearch.Errors, e => e.Code == "limit_exceeded");
        Assert.Contains(onCount.Errors, e => e.Code == "limit_exceeded");
        Assert.Contains(onParse.Errors, e => e.Code == "limit_exceeded");
        Assert.Contains(named.Id, accepted.Items.Select(c => c.Id));
        Assert.Equal(2, await contacts.CountAsync(tenant, null));
    }

    /// <summary>Without configuration the default limits hold: 500 conditions are accepted, 501 are not.</summary>
    [Fact]
    public async Task Criteria_over_the_default_condition_limit_are_rejected()
    {
        var tenant = NewTenant();
        var contact = await Contacts.CreateAsync(tenant, NewDraft("n499"), Admin);
        static Criteria Conditions(int count) => Criteria.Or([.. Enumerable.Range(0, count).Select(i => (Criteria)Criteria.Condition("firstName", CriteriaOperator.Equals, $"n{i}"))]);

        var error = await Assert.ThrowsAsync<InvalidCriteriaException>(() => Contacts.SearchAsync(tenant, Conditions(501), new ContactPageRequest()));
        var countError = await Assert.ThrowsAsync<InvalidCriteriaException>(() => Contacts.CountAsync(tenant, Conditions(501)));
        var accepted = await Contacts.SearchAsync(tenant, Conditions(500), new ContactPageRequest());

        Assert.Contains(error.Errors, e => e.Code == "limit_exceeded");
        Assert.Contains(countError.Errors, e => e.Code == "limit_exceeded");
        Assert.Equal([contact.Id], accepted.Items.Select(c => c.Id));
    }

    /// <summary>
    /// Values that are SQL, LIKE wildcards, escapes, quotes or 1,000 characters long are data: each operator matches
    /// them literally (contains "%" finds only a '%'), on standard and custom text fields, and the store is intact afterwards.
    /// </summary>
    /// <param name="value">The hostile value.</param>
    [Theory]
    [MemberData(nameof(HostileValues))]
    public async Task Hostile_values_match_literally_and_leave_the_store_intact(string value)
    {
        var tenant = NewTenant();
        await CustomFields.DefineAsync(tenant, new CustomFieldDefinition("note", CustomFieldType.Text), Admin);
        string[] notes =
        [
            "Robert'); DROP TABLE contacts; -- Ltd", "'); DROP TABLE contacts; --", "100% Organic", "100 Percent", "Under_score", "Underxscore",
            "Back\\slash", "Backslash", "back\\%slash", "O'Brien \"Quoted\"", "O Brien Quoted", "a%_\\b", "Plain", "50%'-- off",
            LongHostileValue, LongHostileValue[..999] + "y", LongHostileValue + "z",
        ];
        var ids = new List<ContactId>();
        for (var i = 0; i < notes.Length; i++)
        {
            var created = await Contacts.CreateAsync(tenant, new ContactDraft
            {
                Email = $"h{i}@example.com",
                Company = notes[i].Length <= 200 ? notes[i] : $"Long note holder {i}",
                CustomFields = new Dictionary<string, CustomFieldValue?> { ["note"] = notes[i] },
            }, Admin);
            ids.Add(created.Id);
        }

        var all = new List<Contact>();
        foreach (var id in ids)
        {
            all.Add(await Contacts.GetAsync(tenant, id));
        }

        var checkedCases = 0;
        foreach (var (field, read) in new (string, Func<Contact, string?>)[] { ("company", c => c.Company), ("customFields.note", Note) })
        {
            var cases = new (CriteriaCondition Criteria, Func<string?, bool> Expected)[]
            {
                (Criteria.Condition(field, CriteriaOperator.Equals, value), v => TextIs(v, value)),
                (Criteria.Condition(field, CriteriaOperator.Contains, value), v => TextContains(v, value)),
                (Criteria.Condition(field, CriteriaOperator.NotContains, value), v => !TextContains(v, value)),
                (Criteria.Condition(field, CriteriaOperator.StartsWith, value), v => TextStarts(v, value)),
                (Criteria.Condition(field, CriteriaOperator.EndsWith, value), v => TextEnds(v, value)),
                (Criteria.Condition(field, CriteriaOperator.In, value, "Plain"), v => TextIs(v, value) || TextIs(v, "plain")),
                (Criteria.Condition(field, CriteriaOperator.NotIn, value, "Plain"), v => !(TextIs(v, value) || TextIs(v, "plain"))),
            };
            foreach (var (condition, expectedOf) in cases)
            {
                var parsed = Criteria.Parse(condition.ToString());
                Assert.Equal(condition, parsed);
                var expected = all.Where(c => expectedOf(read(c))).Select(c => c.Id).Order().ToList();

                var found = await SearchAllAsync(Contacts, tenant, parsed, new ContactPageRequest(Size: 5));

                Assert.True(expected.SequenceEqual(found.Select(c => c.Id).Order()), $"{condition}: expected {expected.Count} contacts, found {found.Count}");
                Assert.Equal(expected.Count, await Contacts.CountAsync(tenant, parsed));
                checkedCases++;
            }
        }

        var containing = all.Count(c => TextContains(Note(c), value));
        Assert.InRange(containing, 1, all.Count - 1);
        Assert.Equal(14, checkedCases);
        Assert.Equal(notes.Length, await Contacts.CountAsync(tenant, null));
        Assert.Equal(ids.Order(), (await AllContactsAsync(tenant)).Select(c => c.Id).Order());
        Assert.All(all, c => Assert.Equal(notes[ids.IndexOf(c.Id)], Note(c)));
    }

    /// <summary>
    /// For random small sets of contacts and random criteria over firstName, company, status, tags and createdAt,
    /// a search (all pages, any sort and page size) and a count return exactly the contacts for which the compiled
    /// criteria's <see cref="CompiledCriteria.Matches"/> holds, evaluated on the contacts as read back.
    /// </summary>
    /// <returns>The property.</returns>
    [Property]
    public Property Search_returns_what_the_compiled_criteria_matches_for_random_contacts_and_criteria()
    {
        Clock.AutoAdvanceAmount = TimeSpan.Zero; // relative dates must see the same now in the store and in Matches
        var compiler = Resolve<ICriteriaCompiler>();
        var cases =
            from count in Gen.Frequency((1, Gen.Choose(0, 1)), (6, Gen.Choose(2, 7)))
            from seeds in Gen.ArrayOf(SeedShapes(), count)
            from criteria in CriteriaShapes(3)
            from sort in Gen.Elements(Enum.GetValues<ContactSortField>())
            from direction in Gen.Elements(SortDirection.Ascending, SortDirection.Descending)
            from size in Gen.Choose(1, 3)
            from hoursAfter in Gen.Elements(0, 1, 30)
            select new SearchCase(seeds, criteria, sort, direction, size, hoursAfter);

        return Prop.ForAll(cases.ToArbitrary(), run =>
        {
            var tenant = NewTenant();
            var clockNow = Clock.GetUtcNow();
            var origin = new DateTimeOffset(clockNow.UtcDateTime.Date.AddDays(1), TimeSpan.Zero);
            Clock.Advance(origin - clockNow);
            var ids = new List<ContactId>();
            for (var i = 0; i < run.Seeds.Length; i++)
            {
                var seed = run.Seeds[i];
                Clock.Advance(TimeSpan.FromHours(seed.HoursAfterPrevious));
                var draft = new ContactDraft { FirstName = seed.FirstName, Company = seed.Company, Status = seed.Status, Tags = seed.Tags, Email = $"r{i}@example.com" };
                ids.Add(Contacts.CreateAsync(tenant, draft, Admin).GetAwaiter().GetResult().Id);
            }

            Clock.Advance(TimeSpan.FromHours(run.HoursAfterLast));
            var criteria = run.Criteria.Build(origin);
            var readBack = ids.Select(id => Contacts.GetAsync(tenant, id).GetAwaiter().GetResult()).ToList();
            var compiled = compiler.Compile(criteria, CustomFields.GetSchemaAsync(tenant).GetAwaiter().GetResult());
            var expected = readBack.Where(compiled.Matches).Select(c => c.Id).Order().ToList();

            var found = SearchAllAsync(Contacts, tenant, criteria, new ContactPageRequest(run.Sort, run.Direction, run.Size)).GetAwaiter().GetResult();
            var count = Contacts.CountAsync(tenant, criteria).GetAwaiter().GetResult();

            Assert.True(expected.SequenceEqual(found.Select(c => c.Id).Order()), $"{criteria}: expected [{string.Join(", ", expected)}], found [{string.Join(", ", found.Select(c => c.Id))}]");
            Assert.Equal(expected.Count, count);
            for (var i = 1; i < found.Count; i++)
            {
                var previous = new ContactPosition(ContactOrder.KeyOf(found[i - 1], run.Sort), found[i - 1].Id);
                var current = new ContactPosition(ContactOrder.KeyOf(found[i], run.Sort), found[i].Id);
                Assert.True(ContactOrder.Compare(previous, current, run.Direction) < 0, $"item {i} is out of order");
            }
        });
    }

    /// <inheritdoc />
    protected override void Dispose(bool disposing)
    {
        if (disposing)
        {
            foreach (var scope in _ownScopes)
            {
                scope.Dispose();
            }
        }

        base.Dispose(disposing);
    }

    /// <summary>Reads every page of a search.</summary>
    private static async Task<List<Contact>> SearchAllAsync(IContactService contacts, TenantId tenant, Criteria criteria, ContactPageRequest first)
    {
        var all = new List<Contact>();
        var request = first;
        for (var pages = 0; ; pages++)
        {
            Assert.True(pages < 1_000, "paging must end");
            var page = await contacts.SearchAsync(tenant, criteria, request);
            all.AddRange(page.Items);
            if (page.NextCursor is null)
            {
                break;
            }

            request = request with { Cursor = page.NextCursor };
        }

        Assert.Equal(all.Count, all.Select(c => c.Id).Distinct().Count());
        return all;
    }

    private T ResolveFrom<T>(IServiceProvider provider)
        where T : notnull
    {
        var scope = provider.CreateScope();
        _ownScopes.Add(scope);
        return scope.ServiceProvider.GetRequiredService<T>();
    }

    /// <summary>
    /// Creates the contacts the representative criteria are checked on, at chosen times around UTC midnights, then
    /// stops the clock at <see cref="SearchNow"/>; returns them as read back.
    /// </summary>
    private async Task<List<Contact>> SeedRepresentativeContactsAsync(TenantId tenant)
    {
        await CustomFields.DefineAsync(tenant, new CustomFieldDefinition("score", CustomFieldType.Number), Admin);
        await CustomFields.DefineAsync(tenant, new CustomFieldDefinition("note", CustomFieldType.Text), Admin);
        await CustomFields.DefineAsync(tenant, new CustomFieldDefinition("vip", CustomFieldType.Boolean), Admin);
        await CustomFields.DefineAsync(tenant, new CustomFieldDefinition("since", CustomFieldType.Date), Admin);
        Clock.AutoAdvanceAmount = TimeSpan.Zero;

        static DateTimeOffset At(int month, int day, int hour, int minute = 0, int second = 0, int millisecond = 0)
            => new(2026, month, day, hour, minute, second, millisecond, TimeSpan.Zero);

        static Dictionary<string, CustomFieldValue?> Fields(decimal? score = null, string? note = null, bool? vip = null, DateOnly? since = null)
            => new()
            {
                ["score"] = score is { } s ? CustomFieldValue.FromNumber(s) : null,
                ["note"] = note is { } n ? CustomFieldValue.FromText(n) : null,
                ["vip"] = vip is { } v ? CustomFieldValue.FromBoolean(v) : null,
                ["since"] = since is { } d ? CustomFieldValue.FromDate(d) : null,
            };

        var seeds = new (DateTimeOffset At, ContactDraft Draft)[]
        {
            (At(2, 1, 8), new ContactDraft
            {
                FirstName = "Zoë", LastName = "Ørsted", Company = "Acme Corp", Email = "zoe@acme.com", Type = "client", Tags = ["vip", "Beta"],
                SocialProfiles = new Dictionary<string, string> { ["github"] = "zoe-o" },
                Preferences = new ContactPreferencesDraft { Frequency = ContactFrequency.Weekly, TimeZone = "Europe/Paris", Channels = new Dictionary<string, bool> { ["email"] = false } },
                CustomFields = Fields(10m, "Gold plan", true, new DateOnly(2026, 3, 1)),
            }),
            (At(3, 1, 23, 59, 59, 999), new ContactDraft
            {
                FirstName = "ZOË", LastName = "Lovelace", Company = "ACME corp", Email = "Zoe.L@BÜCHER.de", Type = "partner-gold", Status = ContactStatus.Inactive,
                Tags = ["newsletter"], Source = ContactSource.Import,
                Preferences = new ContactPreferencesDraft { Frequency = ContactFrequency.Daily, Channels = new Dictionary<string, bool> { ["sms"] = true } },
                CustomFields = Fields(10.5m, null, false, new DateOnly(2025, 12, 31)),
            }),
            (At(3, 2, 0), new ContactDraft
            {
                FirstName = "Zoe", Company = "Globex", Email = "c@xn--bcher-kva.de", Status = ContactStatus.Unsubscribed, Source = ContactSource.Form,
                Preferences = new ContactPreferencesDraft { Channels = new Dictionary<string, bool> { ["sms"] = false } },
                CustomFields = Fields(-3m, "silver", null, new DateOnly(2026, 2, 8)),
            }),
            (At(3, 2, 12), new ContactDraft
            {
                FirstName = "Łukasz", Phone = "+48 12 345 67 89", Tags = ["VIP"],
                Preferences = new ContactPreferencesDraft { Frequency = ContactFrequency.Monthly, TimeZone = "Europe/Warsaw" },
            }),
            (At(3, 3, 23, 59, 59, 999), new ContactDraft
            {
                FirstName = "Jose\u0301", LastName = "García", Company = "Straße GmbH", Email = "jose@example.com", Tags = ["beta", "b2b"],
                CustomFields = Fields(0m, null, false, new DateOnly(2026, 2, 7)),
            }),
            (At(3, 4, 0), new ContactDraft
            {
                FirstName = "Σοφία", LastName = "Παπαδοπούλου", Company = "acme corporation", Email = "sofia@example.gr", Status = ContactStatus.Inactive,
                Preferences = new ContactPreferencesDraft { Frequency = ContactFrequency.Quarterly, Channels = new Dictionary<string, bool> { ["email"] = true, ["sms"] = false } },
                CustomFields = Fields(100m, "GOLD", true, new DateOnly(2026, 3, 11)),
            }),
            (At(3, 8, 6), new ContactDraft
            {
                LastName = "Nobody", Company = "Initech", Email = "g@initech.com", Tags = ["churn-risk"], Source = ContactSource.Integration,
                CustomFields = Fields(note: "silver lining"),
            }),
            (At(3, 8, 6), new ContactDraft
            {
                FirstName = "Ada", LastName = "Lovelace", Company = "Analytical Engines", Email = "ada@example.com", Type = "client", Tags = ["vip", "newsletter"],
                SocialProfiles = new Dictionary<string, string> { ["GitHub"] = "Ada" },
                CustomFields = Fields(42.42m, null, false),
            }),
            (At(3, 9, 18), new ContactDraft
            {
                FirstName = "ada", LastName = "Byron", Company = "Acme Corp", Email = "ada.b@acme.com", Status = ContactStatus.Unsubscribed, Tags = ["newsletter"],
                Preferences = new ContactPreferencesDraft { Frequency = ContactFrequency.Weekly, TimeZone = "America/New_York" },
                CustomFields = Fields(since: new DateOnly(2026, 3, 10)),
            }),
            (At(3, 10, 11), new ContactDraft
            {
                FirstName = "Émile", LastName = "Zola", Email = "emile@example.fr",
                CustomFields = Fields(-0.5m, "Gold plan B"),
            }),
            (SearchNow, new ContactDraft
            {
                FirstName = "Zoë", LastName = "Zed", Company = "Globex", Email = "zoe@globex.com", Status = ContactStatus.Inactive, Tags = ["VIP", "beta"],
                CustomFields = Fields(10m, null, true),
            }),
        };

        var ids = new List<ContactId>();
        foreach (var (at, draft) in seeds)
        {
            if (at > At(3, 5, 10) && ids.Count == 6)
            {
                // Between the sixth and seventh contact, the first one changes: its updatedAt moves to 5 March.
                AdvanceTo(At(3, 5, 10));
                await Contacts.PatchAsync(tenant, ids[0], new ContactPatch { Title = "CEO" }, null, Admin);
            }

            AdvanceTo(at);
            ids.Add((await Contacts.CreateAsync(tenant, draft, Admin)).Id);
        }

        AdvanceTo(SearchNow);
        var all = new List<Contact>();
        foreach (var id in ids)
        {
            all.Add(await Contacts.GetAsync(tenant, id));
        }

        return all;
    }

    private void AdvanceTo(DateTimeOffset time)
    {
        var now = Clock.GetUtcNow();
        Assert.True(time >= now, $"the clock reads {now:O}, after {time:O}");
        Clock.Advance(time - now);
    }

    private static string Fold(string value) => value.Normalize(NormalizationForm.FormC).ToLowerInvariant().Normalize(NormalizationForm.FormC);

    private static bool TextIs(string? value, string expected) => value is not null && Fold(value) == Fold(expected);

    private static bool TextContains(string? value, string part) => value is not null && Fold(value).Contains(Fold(part), StringComparison.Ordinal);

    private static bool TextStarts(string? value, string part) => value is not null && Fold(value).StartsWith(Fold(part), StringComparison.Ordinal);

    private static bool TextEnds(string? value, string part) => value is not null && Fold(value).EndsWith(Fold(part), StringComparison.Ordinal);

    private static bool HasTag(Contact contact, string tag) => contact.Tags.Any(t => Fold(t) == Fold(tag));

    private static bool ChannelOn(Contact contact, string channel)
        => contact.Preferences.Channels.Where(p => p.Key.Value == channel).Select(p => (bool?)p.Value).SingleOrDefault() ?? true;

    private static DateOnly Day(DateTimeOffset time) => DateOnly.FromDateTime(time.UtcDateTime);

    private static CustomFieldValue? Custom(Contact contact, string name, CustomFieldType type)
        => contact.CustomFields.TryGetValue(name, out var value) && value.Type == type ? value : null;

    private static decimal? Number(Contact contact) => Custom(contact, "score", CustomFieldType.Number)?.NumberValue;

    private static string? Note(Contact contact) => Custom(contact, "note", CustomFieldType.Text)?.TextValue;

    private static bool? Flag(Contact contact) => Custom(contact, "vip", CustomFieldType.Boolean)?.BooleanValue;

    private static DateOnly? Since(Contact contact) => Custom(contact, "since", CustomFieldType.Date)?.DateValue;

    // ----- The property's generators -----

    private static Gen<SeedShape> SeedShapes() =>
        from first in Gen.Elements<string?>(null, "Ada", "ada", "ADA", "Zoë", "ZOË", "Zoe", "José", "Łukasz", "Σοφία")
        from company in Gen.Elements<string?>(null, "Acme", "ACME Corp", "acme corporation", "Globex", "Straße GmbH", "50% Off_Ltd")
        from status in Gen.Elements(ContactStatus.Active, ContactStatus.Inactive, ContactStatus.Unsubscribed)
        from tags in Gen.SubListOf(new[] { "vip", "Beta", "ünï", "b2b" })
        from hours in Gen.Elements(0, 0, 1, 5, 12, 23, 24, 47)
        select new SeedShape(first, company, status, [.. tags], hours);

    private static Gen<CriteriaShape> CriteriaShapes(int depth)
    {
        var leaf = Gen.OneOf(
            TextConditions("firstName", "ada", "ADA", "zoë", "ZO", "OË", "e", "josé", "JOSE", "łu", "σοφία", "ΣΟΦΊΑ", "a", "x"),
            TextConditions("company", "acme", "ACME CORP", "corp", "acme corporation", "globex", "straße", "GMBH", "%", "_", "off_ltd", "e", "x"),
            StatusConditions(),
            TagConditions(),
            CreatedAtConditions());
        if (depth == 0)
        {
            return leaf;
        }

        var inner = CriteriaShapes(depth - 1);
        return Gen.Frequency(
            (3, leaf),
            (1, from n in Gen.Choose(2, 3) from items in Gen.ArrayOf(inner, n) select (CriteriaShape)new GroupShape(CriteriaLogic.And, items)),
            (1, from n in Gen.Choose(2, 3) from items in Gen.ArrayOf(inner, n) select (CriteriaShape)new GroupShape(CriteriaLogic.Or, items)),
            (1, inner.Select(operand => (CriteriaShape)new NotShape(operand))));
    }

    private static Gen<TermShape[]> ValuesFor(CriteriaOperator op, Gen<TermShape> value) => op switch
    {
        CriteriaOperator.IsEmpty or CriteriaOperator.IsNotEmpty => Gen.Constant(Array.Empty<TermShape>()),
        CriteriaOperator.In or CriteriaOperator.NotIn => from n in Gen.Choose(1, 3) from values in Gen.ArrayOf(value, n) select values,
        _ => value.Select(v => new[] { v }),
    };

    private static Gen<CriteriaShape> TextConditions(string field, params string[] fragments) =>
        from op in Gen.Elements(
            CriteriaOperator.Equals, CriteriaOperator.NotEquals, CriteriaOperator.Contains, CriteriaOperator.NotContains, CriteriaOperator.StartsWith,
            CriteriaOperator.EndsWith, CriteriaOperator.In, CriteriaOperator.NotIn, CriteriaOperator.IsEmpty, CriteriaOperator.IsNotEmpty)
        from values in ValuesFor(op, Gen.Elements(fragments).Select(TermShape.Text))
        select (CriteriaShape)new ConditionShape(field, op, values);

    private static Gen<CriteriaShape> StatusConditions() =>
        from op in Gen.Elements(CriteriaOperator.Equals, CriteriaOperator.NotEquals, CriteriaOperator.In, CriteriaOperator.NotIn)
        from values in ValuesFor(op, Gen.Elements("active", "INACTIVE", "Unsubscribed").Select(TermShape.Text))
        select (CriteriaShape)new ConditionShape("status", op, values);

    private static Gen<CriteriaShape> TagConditions() =>
        from op in Gen.Elements(CriteriaOperator.Has, CriteriaOperator.Has, CriteriaOperator.IsEmpty, CriteriaOperator.IsNotEmpty)
        from values in ValuesFor(op, Gen.Elements("VIP", "beta", "ÜNÏ", "b2b", "none").Select(TermShape.Text))
        select (CriteriaShape)new ConditionShape("tags", op, values);

    private static Gen<CriteriaShape> CreatedAtConditions()
    {
        var day = Gen.Choose(-1, 8).Select(TermShape.Day);
        var hour = Gen.Choose(0, 160).Select(TermShape.Hour);
        var between =
            from asDays in Gen.Elements(true, false)
            from a in Gen.Choose(-1, 8)
            from b in Gen.Choose(-1, 8)
            let low = Math.Min(a, b)
            let high = Math.Max(a, b)
            select asDays ? new[] { TermShape.Day(low), TermShape.Day(high) } : new[] { TermShape.Hour(low * 24), TermShape.Hour(high * 24) };
        return
            from op in Gen.Elements(
                CriteriaOperator.Equals, CriteriaOperator.NotEquals, CriteriaOperator.GreaterThan, CriteriaOperator.GreaterThanOrEqual, CriteriaOperator.LessThan,
                CriteriaOperator.LessThanOrEqual, CriteriaOperator.Between, CriteriaOperator.WithinLastDays, CriteriaOperator.MoreThanDaysAgo,
                CriteriaOperator.IsEmpty, CriteriaOperator.IsNotEmpty)
            from values in op switch
            {
                CriteriaOperator.Between => between,
                CriteriaOperator.WithinLastDays or CriteriaOperator.MoreThanDaysAgo => Gen.Choose(0, 4).Select(n => new[] { TermShape.Count(n) }),
                _ => ValuesFor(op, Gen.OneOf(day, hour)),
            }
            select (CriteriaShape)new ConditionShape("createdAt", op, values);
    }

    /// <summary>A generated contact: its fields and how many hours after the previous one it is created.</summary>
    private sealed record SeedShape(string? FirstName, string? Company, ContactStatus Status, string[] Tags, int HoursAfterPrevious)
    {
        public override string ToString() => $"+{HoursAfterPrevious}h {FirstName ?? "-"} / {Company ?? "-"} / {Status} / [{string.Join(", ", Tags)}]";
    }

    /// <summary>A generated run of the property.</summary>
    private sealed record SearchCase(SeedShape[] Seeds, CriteriaShape Criteria, ContactSortField Sort, SortDirection Direction, int Size, int HoursAfterLast)
    {
        public override string ToString()
            => $"contacts [{string.Join("; ", Seeds.Select(s => s.ToString()))}] +{HoursAfterLast}h, criteria {Criteria}, {Sort} {Direction} by {Size}";
    }

    /// <summary>A generated criteria whose date values are relative to the UTC midnight the run starts at.</summary>
    private abstract record CriteriaShape
    {
        public abstract Criteria Build(DateTimeOffset origin);
    }

    private sealed record ConditionShape(string Field, CriteriaOperator Operator, TermShape[] Values) : CriteriaShape
    {
        public override Criteria Build(DateTimeOffset origin) => Criteria.Condition(Field, Operator, [.. Values.Select(v => v.Build(origin))]);

        public override string ToString() => $"{Field} {Operator} ({string.Join(", ", Values.Select(v => v.ToString()))})";
    }

    private sealed record GroupShape(CriteriaLogic Logic, CriteriaShape[] Items) : CriteriaShape
    {
        public override Criteria Build(DateTimeOffset origin) => Criteria.Group(Logic, [.. Items.Select(i => i.Build(origin))]);

        public override string ToString() => "(" + string.Join($" {Logic} ", Items.Select(i => i.ToString())) + ")";
    }

    private sealed record NotShape(CriteriaShape Operand) : CriteriaShape
    {
        public override Criteria Build(DateTimeOffset origin) => Criteria.Not(Operand.Build(origin));

        public override string ToString() => $"not {Operand}";
    }

    /// <summary>A generated value: text, a day or an hour after the origin, or a number of days.</summary>
    private sealed record TermShape(string Kind, string? Literal, int Offset)
    {
        public static TermShape Text(string text) => new("text", text, 0);

        public static TermShape Day(int days) => new("day", null, days);

        public static TermShape Hour(int hours) => new("hour", null, hours);

        public static TermShape Count(int days) => new("count", null, days);

        public CriteriaValue Build(DateTimeOffset origin) => Kind switch
        {
            "text" => CriteriaValue.Of(Literal!),
            "day" => CriteriaValue.Of(DateOnly.FromDateTime(origin.UtcDateTime).AddDays(Offset)),
            "hour" => CriteriaValue.Of(origin.AddHours(Offset)),
            _ => CriteriaValue.Of(Offset),
        };

        public override string ToString() => Kind switch
        {
            "text" => $"\"{Literal}\"",
            "count" => Offset.ToString(System.Globalization.CultureInfo.InvariantCulture),
            _ => $"origin+{Offset}{Kind[0]}",
        };
    }

    /// <summary>
    /// No criteria within the loosest limits the options accept can crash the process: the most conditions, joined by
    /// or and by and, and the deepest nesting, in text and JSON form, are counted and searched by every store.
    /// </summary>
    /// <param name="shape">"or", "and" or "nested".</param>
    [Theory]
    [InlineData("or")]
    [InlineData("and")]
    [InlineData("nested")]
    public async Task Criteria_at_the_proven_bounds_run_on_every_store(string shape)
    {
        var services = CreateServices(Clock, o => o.Criteria = LoosestCriteriaLimits());
        var contacts = services.GetRequiredService<IContactService>();
        var compiler = services.GetRequiredService<ICriteriaCompiler>();
        var tenant = NewTenant();
        var ada = await contacts.CreateAsync(tenant, NewDraft() with { Email = "ada@example.com" }, Admin);
        await contacts.CreateAsync(tenant, NewDraft("Bob") with { Email = "nobody1@example.com" }, Admin);
        var text = shape switch
        {
            "nested" => new System.Text.StringBuilder().Insert(0, "not (", (Criteria.MaxSupportedDepth - 2) & ~1).Append("email = \"ada@example.com\"").Append(')', (Criteria.MaxSupportedDepth - 2) & ~1).ToString(),
            _ => string.Join($" {shape} ", Enumerable.Range(0, CriteriaLimits.MaxSupportedConditions).Select(i => i == CriteriaLimits.MaxSupportedConditions - 1
                ? "email = \"ada@example.com\""
                : shape == "or" ? $"email = \"nobody{i}@example.com\"" : $"email != \"nobody{i}@example.com\"")),
        };
        var criteria = compiler.Parse(text);

        var count = await contacts.CountAsync(tenant, criteria);
        var countFromJson = await contacts.CountAsync(tenant, compiler.ParseJson(criteria.ToJson()));
        var found = await contacts.SearchAsync(tenant, criteria, new ContactPageRequest(Size: 10));

        var expected = shape == "or" ? 2 : 1;
        Assert.Equal(expected, count);
        Assert.Equal(expected, countFromJson);
        Assert.Contains(found.Items, c => c.Id == ada.Id);
    }

    /// <summary>
    /// The largest lists the options accept, on every store: a number custom field <c>in</c> the most values, and as many
    /// full lists as the criteria-wide total of values allows, of text and of numbers, in text and JSON form, counted
    /// and searched. One value more than that total is refused, naming the limit.
    /// </summary>
    /// <param name="shape">"number-in", "text-in-total" or "number-in-total".</param>
    [Theory]
    [InlineData("number-in")]
    [InlineData("text-in-total")]
    [InlineData("number-in-total")]
    public async Task Criteria_with_full_in_lists_at_the_proven_bounds_run_on_every_store(string shape)
    {
        var services = CreateServices(Clock, o => o.Criteria = LoosestCriteriaLimits());
        var contacts = services.GetRequiredService<IContactService>();
        var compiler = services.GetRequiredService<ICriteriaCompiler>();
        var customFields = services.GetRequiredService<ICustomFieldService>();
        var tenant = NewTenant();
        await customFields.DefineAsync(tenant, new CustomFieldDefinition("score", CustomFieldType.Number), Admin);
        var ada = await contacts.CreateAsync(tenant, NewDraft() with { Email = "ada@example.com", CustomFields = new Dictionary<string, CustomFieldValue?> { ["score"] = 999 } }, Admin);
        await contacts.CreateAsync(tenant, NewDraft("Bob") with { Email = "bob@example.com", CustomFields = new Dictionary<string, CustomFieldValue?> { ["score"] = 5_000 } }, Admin);
        const int Lists = CriteriaLimits.MaxSupportedTotalListValues / CriteriaLimits.MaxSupportedListValues;
        var text = shape switch
        {
            "number-in" => NumberIn(0),
            "text-in-total" => string.Join(" and ", Enumerable.Range(0, Lists).Select(EmailIn)),
            _ => string.Join(" and ", Enumerable.Range(0, Lists).Select(NumberIn)),
        };
        var criteria = compiler.Parse(text);
        var oneValueTooMany = compiler.Parse($"{text} and email in (\"ada@example.com\")");

        var count = await contacts.CountAsync(tenant, criteria);
        var countFromJson = await contacts.CountAsync(tenant, compiler.ParseJson(criteria.ToJson()));
        var found = await contacts.SearchAsync(tenant, criteria, new ContactPageRequest(Size: 10));
        var refused = shape == "number-in" ? null : await Assert.ThrowsAsync<InvalidCriteriaException>(() => contacts.CountAsync(tenant, oneValueTooMany));

        Assert.Equal(1, count);
        Assert.Equal(1, countFromJson);
        Assert.Equal(ada.Id, Assert.Single(found.Items).Id);
        if (refused is not null)
        {
            var error = Assert.Single(refused.Errors);
            Assert.Equal("limit_exceeded", error.Code);
            Assert.Contains($"at most {CriteriaLimits.MaxSupportedTotalListValues}", error.Message, StringComparison.Ordinal);
        }

        // Each list holds the most values one list may: all but one miss, and the matching one comes last.
        static string EmailIn(int list) => "email in (" + string.Join(", ", Enumerable.Range(0, CriteriaLimits.MaxSupportedListValues - 1)
            .Select(i => $"\"n{list}.{i}@example.com\"").Append("\"ada@example.com\"")) + ")";

        static string NumberIn(int list) => "customFields.score in (" + string.Join(", ", Enumerable.Range(list * 7, CriteriaLimits.MaxSupportedListValues - 1)
            .Select(i => (-i - 1).ToString(System.Globalization.CultureInfo.InvariantCulture)).Append("999")) + ")";
    }

    /// <summary>
    /// One list of the most values a list may, <c>in</c> and <c>notIn</c>, on a number field (0, 1, 2, ...: the shape
    /// SQLite once refused as too deep an expression) and on a text field: every store finds exactly the contacts whose
    /// value is (or is not) in the list, counted and searched.
    /// </summary>
    /// <param name="field">"number" or "text".</param>
    /// <param name="op">"in" or "notIn".</param>
    [Theory]
    [InlineData("number", "in")]
    [InlineData("number", "notIn")]
    [InlineData("text", "in")]
    [InlineData("text", "notIn")]
    public async Task A_full_in_or_notIn_list_matches_exactly_the_contacts_it_names(string field, string op)
    {
        var services = CreateServices(Clock, o => o.Criteria = LoosestCriteriaLimits());
        var contacts = services.GetRequiredService<IContactService>();
        var customFields = services.GetRequiredService<ICustomFieldService>();
        var tenant = NewTenant();
        await customFields.DefineAsync(tenant, new CustomFieldDefinition("score", CustomFieldType.Number), Admin);
        async Task<ContactId> CreateAsync(string email, decimal score)
            => (await contacts.CreateAsync(tenant, NewDraft() with { Email = email, CustomFields = new Dictionary<string, CustomFieldValue?> { ["score"] = score } }, Admin)).Id;
        var listed = new[] { await CreateAsync("ada@example.com", 7), await CreateAsync("n998@example.com", 998.5m) };
        var unlisted = new[] { await CreateAsync("bob@example.com", 5_000), await CreateAsync("n1000@example.com", -1) };
        var values = field == "number"
            ? Enumerable.Range(0, CriteriaLimits.MaxSupportedListValues - 1).Select(i => i.ToString(System.Globalization.CultureInfo.InvariantCulture)).Append("998.5")
            : Enumerable.Range(0, CriteriaLimits.MaxSupportedListValues - 1).Select(i => $"\"N{i}@Example.com\"").Append("\"ADA@example.com\"");
        var criteria = Criteria.Parse($"{(field == "number" ? "customFields.score" : "email")} {op} ({string.Join(", ", values)})", LoosestCriteriaLimits());

        var count = await contacts.CountAsync(tenant, criteria);
        var found = await contacts.SearchAsync(tenant, criteria, new ContactPageRequest(Size: 10));

        var expected = op == "in" ? listed : unlisted;
        Assert.Equal(expected.Length, count);
        Assert.Equal(expected.Order(), found.Items.Select(c => c.Id).Order());
    }

    /// <summary>The loosest limits the options validator accepts.</summary>
    private static CriteriaLimits LoosestCriteriaLimits() => new()
    {
        MaxLength = 10_000_000,
        MaxDepth = Criteria.MaxSupportedDepth,
        MaxConditions = CriteriaLimits.MaxSupportedConditions,
        MaxValueLength = 1_000_000,
        MaxListValues = CriteriaLimits.MaxSupportedListValues,
        MaxTotalListValues = CriteriaLimits.MaxSupportedTotalListValues,
        MaxDays = 1_000_000,
    };
}
