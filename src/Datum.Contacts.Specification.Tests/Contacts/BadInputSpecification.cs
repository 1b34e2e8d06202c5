using Xunit;

namespace Datum.Contacts.Specification.Tests;

/// <summary>Bad input gets a typed error naming the field, and the store is left exactly as it was.</summary>
public abstract class BadInputSpecification : ContactManagementSpecification
{
    /// <summary>Drafts broken in one field each.</summary>
    public static TheoryData<string, string> BrokenDrafts => new()
    {
        { "invalid email", "email" },
        { "invalid phone", "phone" },
        { "unknown time zone", "preferences.timeZone" },
        { "unknown custom field", "customFields.shoeSize" },
        { "custom field of the wrong type", "customFields.score" },
        { "10 MB first name", "firstName" },
        { "null byte in last name", "lastName" },
        { "null byte in email", "email" },
        { "control character in company", "company" },
        { "bad contact type", "type" },
        { "bad tag", "tags[1]" },
        { "no email and no phone", "email" },
        { "undefined status", "status" },
    };

    private static ContactDraft Break(ContactDraft draft, string how) => how switch
    {
        "invalid email" => draft with { Email = "ada@@example" },
        "invalid phone" => draft with { Phone = "555-CALL-NOW" },
        "unknown time zone" => draft with { Preferences = new ContactPreferencesDraft { TimeZone = "Atlantis/Central" } },
        "unknown custom field" => draft with { CustomFields = new Dictionary<string, CustomFieldValue?> { ["shoeSize"] = 42 } },
        "custom field of the wrong type" => draft with { CustomFields = new Dictionary<string, CustomFieldValue?> { ["score"] = "high" } },
        "10 MB first name" => draft with { FirstName = new string('a', 10 * 1024 * 1024) },
        "null byte in last name" => draft with { LastName = "Love\0lace" },
        "null byte in email" => draft with { Email = "ada\0@example.com" },
        "control character in company" => draft with { Company = "Acme\u0007" },
        "bad contact type" => draft with { Type = "VIP customer!" },
        "bad tag" => draft with { Tags = ["ok", "   "] },
        "no email and no phone" => draft with { Email = null, Phone = null },
        "undefined status" => draft with { Status = (ContactStatus)42 },
        _ => throw new ArgumentOutOfRangeException(nameof(how), how, null),
    };

    /// <summary>Creating from a broken draft fails with the field named and stores nothing.</summary>
    /// <param name="how">How the draft is broken.</param>
    /// <param name="field">The field the error must name.</param>
    [Theory]
    [MemberData(nameof(BrokenDrafts))]
    public async Task Creating_from_bad_input_fails_naming_the_field_and_stores_nothing(string how, string field)
    {
        var tenant = NewTenant();
        await CustomFields.DefineAsync(tenant, new CustomFieldDefinition("score", CustomFieldType.Number), Admin);
        var existing = await Contacts.CreateAsync(tenant, NewDraft("Existing"), Admin);
        var before = await AllAuditAsync(tenant);

        var error = await Assert.ThrowsAsync<ValidationFailedException>(() => Contacts.CreateAsync(tenant, Break(NewDraft(), how), Admin));

        Assert.Contains(error.Errors, e => e.Field == field);
        Assert.Contains(field, error.Message, StringComparison.Ordinal);
        Assert.True(error.Message.Length < 2_000, "the message must not echo huge input");
        Assert.Equal([existing.Id], (await AllContactsAsync(tenant)).Select(c => c.Id));
        Assert.Equal(before.Count, (await AllAuditAsync(tenant)).Count);
    }

    /// <summary>Updating from a broken draft fails with the field named and leaves the contact as it was.</summary>
    /// <param name="how">How the draft is broken.</param>
    /// <param name="field">The field the error must name.</param>
    [Theory]
    [MemberData(nameof(BrokenDrafts))]
    public async Task Updating_from_bad_input_fails_naming_the_field_and_changes_nothing(string how, string field)
    {
        var tenant = NewTenant();
        await CustomFields.DefineAsync(tenant, new CustomFieldDefinition("score", CustomFieldType.Number), Admin);
        var existing = await Contacts.CreateAsync(tenant, NewDraft(), Admin);

        var error = await Assert.ThrowsAsync<ValidationFailedException>(() => Contacts.UpdateAsync(tenant, existing.Id, Break(NewDraft(), how), 1, Admin));

        Assert.Contains(error.Errors, e => e.Field == field);
        var read = await Contacts.GetAsync(tenant, existing.Id);
        Assert.Equal(1, read.Version);
        Assert.Equal(existing.Email, read.Email);
        Assert.Single((await Contacts.GetAuditLogAsync(tenant, existing.Id, PageRequest.First)).Items);
    }

    /// <summary>Everything wrong with a draft is reported at once.</summary>
    [Fact]
    public async Task Every_problem_of_a_draft_is_reported_at_once()
    {
        var tenant = NewTenant();

        var error = await Assert.ThrowsAsync<ValidationFailedException>(() => Contacts.CreateAsync(tenant, new ContactDraft
        {
            FirstName = "A\0",
            Email = "no-at-sign",
            Phone = "12",
            Preferences = new ContactPreferencesDraft { TimeZone = "Nowhere/Town" },
            CustomFields = new Dictionary<string, CustomFieldValue?> { ["ghost"] = true },
        }, Admin));

        Assert.Equal(
            ["customFields.ghost", "email", "firstName", "phone", "preferences.timeZone"],
            error.Errors.Select(e => e.Field).Order(StringComparer.Ordinal));
        Assert.Empty(await AllContactsAsync(tenant));
    }

    /// <summary>Looking up a malformed address is a validation error, not a silent miss.</summary>
    [Fact]
    public async Task Finding_by_a_malformed_email_is_a_validation_error()
    {
        var error = await Assert.ThrowsAsync<ValidationFailedException>(() => Contacts.FindByEmailAsync(NewTenant(), "not-an-address"));

        Assert.Equal("email", error.Errors[0].Field);
    }
}
