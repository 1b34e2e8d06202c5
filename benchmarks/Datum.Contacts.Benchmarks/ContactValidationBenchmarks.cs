using BenchmarkDotNet.Attributes;

namespace Datum.Contacts.Benchmarks;

/// <summary>Validating a full contact draft.</summary>
[MemoryDiagnoser]
public class ContactValidationBenchmarks
{
    private readonly ContactManagementOptions _options = new();
    private ContactDraft _draft = new();
    private CustomFieldSchema _schema = CustomFieldSchema.Empty;

    /// <summary>Builds one typical draft and the schema declaring its two custom fields.</summary>
    [GlobalSetup]
    public void Setup()
    {
        _draft = ContactData.Draft(ContactData.NewFaker(), 1);
        _schema = new CustomFieldSchema(ContactData.CustomFieldDefinitions);
    }

    /// <summary>
    /// <see cref="ContactDetails.Validate"/> of names, title, company, email, phone, type, 3 tags, preferences
    /// (2 channels, frequency, time zone) and 2 custom fields.
    /// </summary>
    [Benchmark]
    public ContactDetails ValidateFullDraft() => ContactDetails.Validate(_draft, _schema, _options);
}
