namespace Datum.Contacts.Tests;

/// <summary>Shared arrange steps: a tenant, a fixed clock reading, valid drafts and contacts.</summary>
internal static class TestData
{
    public static TenantId Tenant { get; } = TenantId.Parse("t1");

    public static DateTimeOffset Now { get; } = new(2025, 3, 14, 9, 26, 53, TimeSpan.Zero);

    public static ContactDraft Draft() => new()
    {
        FirstName = "Ada",
        LastName = "Lovelace",
        Email = "ada@example.com",
    };

    public static ContactDetails Details(ContactDraft draft, CustomFieldSchema? schema = null, ContactManagementOptions? options = null)
        => ContactDetails.Validate(draft, schema ?? CustomFieldSchema.Empty, options ?? new ContactManagementOptions());

    /// <summary>A contact as <see cref="Contact.Create"/> returns it: already counted as changed in its unit of work.</summary>
    public static Contact NewContact(ContactDraft? draft = null, CustomFieldSchema? schema = null)
        => Contact.Create(Tenant, ContactId.New(TimeProvider.System), Details(draft ?? Draft(), schema), ContactSource.Manual, Now);

    /// <summary>A contact as a store hands it to a new unit of work: same state, version not yet moved.</summary>
    public static Contact LoadedContact(ContactDraft? draft = null, CustomFieldSchema? schema = null)
        => NewContact(draft, schema).Copy();

    /// <summary>Runs <paramref name="act"/>, expecting it to reject its input, and returns the reported errors.</summary>
    public static IReadOnlyList<FieldError> ErrorsOf(Action act)
        => Assert.Throws<ValidationFailedException>(act).Errors;

    public static IReadOnlyList<FieldError> ValidationErrors(ContactDraft draft, CustomFieldSchema? schema = null, ContactManagementOptions? options = null)
        => ErrorsOf(() => Details(draft, schema, options));
}
