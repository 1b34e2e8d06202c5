using System.Text;
using Datum.Contacts.Specification.Tests;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Xunit;

namespace Datum.Contacts.EntityFrameworkCore.Tests;

/// <summary>
/// Values that would break a store that pasted them into SQL or a LIKE pattern, that a database cannot hold (NUL,
/// a lone surrogate) or that are huge: as contact fields they are stored and read back exactly, or refused with a
/// validation error naming the field and nothing stored; inside criteria they match exactly the contacts whose
/// values literally hold them, and the tables are intact afterwards.
/// </summary>
public abstract class HostileValueTests : ContactManagementSpecification
{
    private const string Sql = "'); DROP TABLE contacts_contacts; --";

    private static readonly string Megabyte = new('x', 1024 * 1024);

    /// <summary>The hostile values by a printable name (test names must not hold a NUL).</summary>
    private static readonly Dictionary<string, string> Values = new(StringComparer.Ordinal)
    {
        ["sql injection"] = Sql,
        ["percent"] = "%",
        ["underscore"] = "_",
        ["backslash"] = "\\",
        ["quote"] = "'",
        ["double quote"] = "\"",
        ["nul"] = "nul\0byte",
        ["lone surrogate"] = "lone\uD800surrogate",
        ["1 MB"] = Megabyte,
    };

    /// <summary>The values no contact may hold.</summary>
    private static readonly HashSet<string> MustBeRefused = new(StringComparer.Ordinal) { "nul", "lone surrogate", "1 MB" };

    /// <summary>The companies (and notes and tags) the criteria cases search: each hostile value, and look-alikes without it.</summary>
    private static readonly string?[] Companies =
    [
        "100% Pure", "100 Pure", "Under_Score", "UnderXScore", "Back\\Slash", "BackSlash", "\\Leading", "O'Brien", "OBrien",
        "Say \"Hi\"", "Say Hi", Sql, "Robert" + Sql + " Ltd", "%_\\'\"", "Plain", null,
    ];

    /// <summary>Every hostile value with every field that can hold text.</summary>
    public static TheoryData<string, string> ValuesAndFields
    {
        get
        {
            var data = new TheoryData<string, string>();
            foreach (var value in Values.Keys)
            {
                foreach (var holder in new[] { "firstName", "company", "tags", "customFields.note" })
                {
                    data.Add(value, holder);
                }
            }

            return data;
        }
    }

    /// <summary>The hostile values that a criteria can carry through the public API.</summary>
    public static TheoryData<string> CriteriaValues => ["sql injection", "percent", "underscore", "backslash", "quote", "double quote"];

    protected abstract TestDatabase Database { get; }

    protected override void UseStore(ContactManagementBuilder builder) => Database.Use(builder);

    /// <summary>
    /// A hostile value in a contact field is either stored and read back exactly (through the service and in the
    /// table's column) or refused with <see cref="ValidationFailedException"/> naming the field, storing nothing;
    /// NUL, a lone surrogate and 1 MB are always refused.
    /// </summary>
    /// <param name="name">Which value.</param>
    /// <param name="field">Which field holds it.</param>
    [Theory]
    [MemberData(nameof(ValuesAndFields))]
    public async Task A_hostile_field_value_is_stored_exactly_or_refused_naming_the_field(string name, string field)
    {
        // Arrange
        var value = Values[name];
        var tenant = NewTenant();
        await CustomFields.DefineAsync(tenant, new CustomFieldDefinition("note", CustomFieldType.Text), Admin);
        var auditBefore = (await AllAuditAsync(tenant)).Count;

        // Act: building the draft is part of it, since a host builds custom values from its input.
        Contact? created = null;
        ValidationFailedException? refused = null;
        try
        {
            var draft = new ContactDraft { Email = "hostile@example.com" };
            draft = field switch
            {
                "firstName" => draft with { FirstName = value },
                "company" => draft with { Company = value },
                "tags" => draft with { Tags = [value] },
                _ => draft with { CustomFields = new Dictionary<string, CustomFieldValue?> { ["note"] = CustomFieldValue.FromText(value) } },
            };
            created = await Contacts.CreateAsync(tenant, draft, Admin);
        }
        catch (ValidationFailedException exception)
        {
            refused = exception;
        }

        // Assert
        if (refused is not null)
        {
            var errorField = field == "tags" ? "tags[0]" : field;
            Assert.Contains(refused.Errors, e => e.Field == errorField);
            Assert.True(refused.Message.Length < 2_000, "the message must not echo the value");
            Assert.Equal(0, await Contacts.CountAsync(tenant, null));
            Assert.Equal(auditBefore, (await AllAuditAsync(tenant)).Count);
            await using var context = Database.NewContext();
            Assert.False(await context.Set<ContactRow>().AnyAsync(r => r.TenantId == tenant.Value));
            return;
        }

        Assert.False(MustBeRefused.Contains(name), $"the {name} value must be refused in {field}, but a contact was created");
        var read = await Contacts.GetAsync(tenant, created!.Id);
        var stored = await StoredValueAsync(tenant, created.Id, field);
        var readBack = field switch
        {
            "firstName" => read.FirstName,
            "company" => read.Company,
            "tags" => read.Tags.Single(),
            _ => read.CustomFields["note"].TextValue,
        };
        Assert.Equal(Encoding.UTF8.GetBytes(value), Encoding.UTF8.GetBytes(readBack!));
        Assert.Equal(Encoding.UTF8.GetBytes(value), Encoding.UTF8.GetBytes(stored!));
        Assert.Equal(created.Id, (await Contacts.FindByEmailAsync(tenant, "hostile@example.com"))?.Id);
    }

    /// <summary>
    /// A hostile criteria value is data: every text operator on company, a custom text field and tags matches exactly
    /// the contacts whose values literally hold it (<c>contains "%"</c> finds only a '%', <c>contains "_"</c> only an
    /// underscore), the search and the count agree, and afterwards the tables exist and the tenant holds the same contacts.
    /// </summary>
    /// <param name="name">Which value.</param>
    [Theory]
    [MemberData(nameof(CriteriaValues))]
    public async Task A_hostile_criteria_value_matches_exactly_the_contacts_that_literally_hold_it(string name)
    {
        // Arrange
        var value = Values[name];
        var (tenant, all) = await SeedAsync();
        var cases = new List<(Criteria Criteria, Func<Contact, bool> Expected)>();
        foreach (var (field, read) in new (string, Func<Contact, string?>)[] { ("company", c => c.Company), ("customFields.note", Note) })
        {
            cases.Add((Criteria.Condition(field, CriteriaOperator.Equals, value), c => Fold(read(c)) == Fold(value)));
            cases.Add((Criteria.Condition(field, CriteriaOperator.NotEquals, value), c => Fold(read(c)) != Fold(value)));
            cases.Add((Criteria.Condition(field, CriteriaOperator.Contains, value), c => Fold(read(c))?.Contains(Fold(value)!, StringComparison.Ordinal) == true));
            cases.Add((Criteria.Condition(field, CriteriaOperator.NotContains, value), c => Fold(read(c))?.Contains(Fold(value)!, StringComparison.Ordinal) != true));
            cases.Add((Criteria.Condition(field, CriteriaOperator.StartsWith, value), c => Fold(read(c))?.StartsWith(Fold(value)!, StringComparison.Ordinal) == true));
            cases.Add((Criteria.Condition(field, CriteriaOperator.EndsWith, value), c => Fold(read(c))?.EndsWith(Fold(value)!, StringComparison.Ordinal) == true));
            cases.Add((Criteria.Condition(field, CriteriaOperator.In, value, "Plain"), c => Fold(read(c)) == Fold(value) || Fold(read(c)) == "plain"));
            cases.Add((Criteria.Condition(field, CriteriaOperator.NotIn, value, "Plain"), c => Fold(read(c)) != Fold(value) && Fold(read(c)) != "plain"));
        }

        cases.Add((Criteria.Condition("tags", CriteriaOperator.Has, value), c => c.Tags.Any(t => Fold(t) == Fold(value))));
        cases.Add((Criteria.Not(Criteria.Condition("tags", CriteriaOperator.Has, value)), c => !c.Tags.Any(t => Fold(t) == Fold(value))));

        // Act and assert
        foreach (var (criteria, expectedOf) in cases)
        {
            var expected = all.Where(expectedOf).Select(c => c.Id).Order().ToList();
            var parsed = Criteria.Parse(criteria.ToString());
            var found = await Contacts.SearchAsync(tenant, parsed, new ContactPageRequest(Size: 100));
            var count = await Contacts.CountAsync(tenant, criteria);
            Assert.True(expected.SequenceEqual(found.Items.Select(c => c.Id).Order()), $"{criteria}: expected {expected.Count} contacts, found {found.Items.Count}: {string.Join(" | ", found.Items.Select(c => c.Company))}");
            Assert.Equal(expected.Count, count);
        }

        // The literal value is held by some contacts and not by all, so the cases tell matches apart.
        Assert.InRange(all.Count(c => Fold(c.Company)?.Contains(Fold(value)!, StringComparison.Ordinal) == true), 1, all.Count - 1);
        await AssertIntactAsync(tenant, all);
    }

    /// <summary>
    /// A criteria value no contact can hold (NUL, a lone surrogate) is refused by the text and JSON parsers with
    /// <see cref="InvalidCriteriaException"/> and by <see cref="CriteriaValue.Of(string)"/>, while the same criteria
    /// with a harmless value parses.
    /// </summary>
    /// <param name="name">Which value.</param>
    [Theory]
    [InlineData("nul")]
    [InlineData("lone surrogate")]
    public void A_criteria_value_no_contact_can_hold_is_refused_by_the_public_api(string name)
    {
        var value = Values[name];
        var escape = name == "nul" ? "\\u0000" : "\\uD800";
        const string text = "company contains \"a§b\"";
        const string json = """{ "logic": "and", "conditions": [ { "field": "company", "operator": "contains", "value": "a§b" } ] }""";

        Assert.Throws<ArgumentException>(() => CriteriaValue.Of(value));
        Assert.NotNull(Criteria.Parse(text.Replace("§", string.Empty, StringComparison.Ordinal)));
        Assert.NotNull(Criteria.ParseJson(json.Replace("§", string.Empty, StringComparison.Ordinal)));
        Assert.Throws<InvalidCriteriaException>(() => Criteria.Parse(text.Replace("§", escape, StringComparison.Ordinal)));
        Assert.Throws<InvalidCriteriaException>(() => Criteria.ParseJson(json.Replace("§", escape, StringComparison.Ordinal)));
    }

    /// <summary>
    /// A NUL that reaches the store inside a criteria anyway (built inside the library, past the public checks) matches
    /// nothing with a positive operator and everything with a negative one, without an error from the database
    /// (PostgreSQL refuses a NUL in a text parameter, so the store must not send it).
    /// </summary>
    [Fact]
    public async Task A_nul_that_reaches_the_store_in_a_criteria_matches_nothing_and_raises_no_database_error()
    {
        // Arrange
        var (tenant, all) = await SeedAsync();
        var unsafeValue = CriteriaValue.Str(Values["nul"], CriteriaLocation.InText(1, 1));
        var positive = new Criteria[]
        {
            Criteria.Condition("company", CriteriaOperator.Equals, unsafeValue),
            Criteria.Condition("company", CriteriaOperator.Contains, unsafeValue),
            Criteria.Condition("company", CriteriaOperator.StartsWith, unsafeValue),
            Criteria.Condition("customFields.note", CriteriaOperator.EndsWith, unsafeValue),
            Criteria.Condition("customFields.note", CriteriaOperator.In, unsafeValue),
            Criteria.Condition("tags", CriteriaOperator.Has, unsafeValue),
        };
        var negative = new Criteria[]
        {
            Criteria.Condition("company", CriteriaOperator.NotEquals, unsafeValue),
            Criteria.Condition("company", CriteriaOperator.NotContains, unsafeValue),
            Criteria.Condition("customFields.note", CriteriaOperator.NotIn, unsafeValue, "Plain"),
            Criteria.Not(Criteria.Condition("tags", CriteriaOperator.Has, unsafeValue)),
        };

        // Act and assert
        foreach (var criteria in positive)
        {
            Assert.Empty((await Contacts.SearchAsync(tenant, criteria, new ContactPageRequest(Size: 100))).Items);
            Assert.Equal(0, await Contacts.CountAsync(tenant, criteria));
        }

        var withoutPlain = all.Where(c => Fold(Note(c)) != "plain").Select(c => c.Id).Order().ToList();
        foreach (var criteria in negative)
        {
            var expected = criteria.ToString().Contains("Plain", StringComparison.Ordinal) ? withoutPlain : all.Select(c => c.Id).Order().ToList();
            Assert.Equal(expected, (await Contacts.SearchAsync(tenant, criteria, new ContactPageRequest(Size: 100))).Items.Select(c => c.Id).Order());
            Assert.Equal(expected.Count, await Contacts.CountAsync(tenant, criteria));
        }

        await AssertIntactAsync(tenant, all);
    }

    /// <summary>A 1 MB criteria value is over the value limit: the search and the count fail with a limit error and read nothing.</summary>
    [Fact]
    public async Task A_one_megabyte_criteria_value_is_refused_as_over_the_limit()
    {
        // Arrange
        var (tenant, all) = await SeedAsync();
        var huge = new Criteria[]
        {
            Criteria.Condition("company", CriteriaOperator.Contains, Megabyte),
            Criteria.Condition("tags", CriteriaOperator.Has, Megabyte),
            Criteria.Condition("customFields.note", CriteriaOperator.In, "Plain", Megabyte),
        };

        // Act and assert
        foreach (var criteria in huge)
        {
            var onSearch = await Assert.ThrowsAsync<InvalidCriteriaException>(() => Contacts.SearchAsync(tenant, criteria, new ContactPageRequest()));
            var onCount = await Assert.ThrowsAsync<InvalidCriteriaException>(() => Contacts.CountAsync(tenant, criteria));
            Assert.Contains(onSearch.Errors, e => e.Code == "limit_exceeded");
            Assert.Contains(onCount.Errors, e => e.Code == "limit_exceeded");
            Assert.True(onSearch.Message.Length < 2_000, "the message must not echo the value");
        }

        Assert.Throws<InvalidCriteriaException>(() => Criteria.Parse($"company contains \"{Megabyte}\""));
        await AssertIntactAsync(tenant, all);
    }

    /// <summary>Creates one contact per company of <see cref="Companies"/>, with the same text as its note and its tag.</summary>
    private async Task<(TenantId Tenant, List<Contact> All)> SeedAsync()
    {
        var tenant = NewTenant();
        await CustomFields.DefineAsync(tenant, new CustomFieldDefinition("note", CustomFieldType.Text), Admin);
        var all = new List<Contact>();
        for (var i = 0; i < Companies.Length; i++)
        {
            var text = Companies[i];
            all.Add(await Contacts.CreateAsync(tenant, new ContactDraft
            {
                Email = $"h{i}@example.com",
                Company = text,
                Tags = text is null ? [] : [text],
                CustomFields = new Dictionary<string, CustomFieldValue?> { ["note"] = text is null ? null : CustomFieldValue.FromText(text) },
            }, Admin));
        }

        return (tenant, all);
    }

    /// <summary>Every table still answers, and the tenant holds exactly its contacts, as the service and the table see it.</summary>
    private async Task AssertIntactAsync(TenantId tenant, List<Contact> all)
    {
        Assert.Equal(all.Count, await Contacts.CountAsync(tenant, null));
        Assert.Equal(all.Select(c => c.Id).Order(), (await AllContactsAsync(tenant)).Select(c => c.Id).Order());
        await using var context = Database.NewContext();
        Assert.Equal(all.Count, await context.Set<ContactRow>().CountAsync(r => r.TenantId == tenant.Value));
        Assert.Equal(all.Sum(c => c.Tags.Count), await context.Set<ContactTagRow>().CountAsync(r => r.TenantId == tenant.Value));
        Assert.Equal(all.Sum(c => c.CustomFields.Count), await context.Set<ContactCustomValueRow>().CountAsync(r => r.TenantId == tenant.Value));
        Assert.Equal(all.Count + 1, await context.Set<AuditEntryRow>().CountAsync(r => r.TenantId == tenant.Value));
        _ = await context.Set<CustomFieldRow>().CountAsync();
        _ = await context.Set<ContactSocialProfileRow>().CountAsync();
        _ = await context.Set<ContactChannelRow>().CountAsync();
    }

    /// <summary>The field's value as its column holds it.</summary>
    private async Task<string?> StoredValueAsync(TenantId tenant, ContactId id, string field)
    {
        await using var context = Database.NewContext();
        var key = id.Value;
        return field switch
        {
            "firstName" => await context.Set<ContactRow>().Where(r => r.TenantId == tenant.Value && r.Id == key).Select(r => r.FirstName).SingleAsync(),
            "company" => await context.Set<ContactRow>().Where(r => r.TenantId == tenant.Value && r.Id == key).Select(r => r.Company).SingleAsync(),
            "tags" => await context.Set<ContactTagRow>().Where(r => r.TenantId == tenant.Value && r.ContactId == key).Select(r => r.Tag).SingleAsync(),
            _ => await context.Set<ContactCustomValueRow>().Where(r => r.TenantId == tenant.Value && r.ContactId == key).Select(r => r.TextValue).SingleAsync(),
        };
    }

    private static string? Note(Contact c) => c.CustomFields.TryGetValue("note", out var v) ? v.TextValue : null;

    private static string? Fold(string? value) => value?.Normalize(NormalizationForm.FormC).ToLowerInvariant().Normalize(NormalizationForm.FormC);
}

public sealed class SqliteHostileValueTests : HostileValueTests
{
    protected override TestDatabase Database => SqliteTestDatabase.Instance;
}

public sealed class PostgresHostileValueTests : HostileValueTests
{
    protected override TestDatabase Database => PostgresTestDatabase.Instance;
}
