using Xunit;

namespace Datum.Contacts.Specification.Tests;

/// <summary>Tenant-declared custom fields.</summary>
public abstract class CustomFieldSpecification : ContactManagementSpecification
{
    /// <summary>Declared fields are listed with their types, per tenant.</summary>
    [Fact]
    public async Task Declared_fields_are_listed_for_their_tenant_only()
    {
        var (a, b) = (NewTenant(), NewTenant());
        await CustomFields.DefineAsync(a, new CustomFieldDefinition("birthday", CustomFieldType.Date, "Day of birth"), Admin);
        await CustomFields.DefineAsync(a, new CustomFieldDefinition("newsletterOptInCount", CustomFieldType.Number), Admin);

        var schemaA = await CustomFields.GetSchemaAsync(a);
        var schemaB = await CustomFields.GetSchemaAsync(b);

        Assert.Equal(2, schemaA.Definitions.Count);
        Assert.Equal(CustomFieldType.Date, schemaA.Find("BIRTHDAY")!.Type);
        Assert.Equal("Day of birth", schemaA.Find("birthday")!.Description);
        Assert.Empty(schemaB.Definitions);
    }

    /// <summary>A name is declared once per tenant, case-insensitively.</summary>
    [Fact]
    public async Task Declaring_a_name_twice_fails()
    {
        var tenant = NewTenant();
        await CustomFields.DefineAsync(tenant, new CustomFieldDefinition("plan", CustomFieldType.Text), Admin);

        var error = await Assert.ThrowsAsync<ValidationFailedException>(() => CustomFields.DefineAsync(tenant, new CustomFieldDefinition("PLAN", CustomFieldType.Number), Admin));

        Assert.Equal("name", error.Errors[0].Field);
        Assert.Equal("already_defined", error.Errors[0].Code);
        Assert.Equal(CustomFieldType.Text, (await CustomFields.GetSchemaAsync(tenant)).Find("plan")!.Type);
    }

    /// <summary>The configured limit on declared fields holds.</summary>
    [Fact]
    public async Task A_tenant_cannot_declare_more_fields_than_configured()
    {
        var services = CreateServices(Clock, o => o.MaxCustomFieldsPerTenant = 2);
        var fields = Microsoft.Extensions.DependencyInjection.ServiceProviderServiceExtensions.GetRequiredService<ICustomFieldService>(services);
        var tenant = NewTenant();
        await fields.DefineAsync(tenant, new CustomFieldDefinition("one", CustomFieldType.Text), Admin);
        await fields.DefineAsync(tenant, new CustomFieldDefinition("two", CustomFieldType.Text), Admin);

        var error = await Assert.ThrowsAsync<ValidationFailedException>(() => fields.DefineAsync(tenant, new CustomFieldDefinition("three", CustomFieldType.Text), Admin));

        Assert.Equal("too_many", error.Errors[0].Code);
        Assert.Equal(2, (await fields.GetSchemaAsync(tenant)).Definitions.Count);
    }

    /// <summary>Values of each type round-trip; names resolve case-insensitively to the declared spelling.</summary>
    [Fact]
    public async Task Values_of_every_type_round_trip()
    {
        var tenant = NewTenant();
        await CustomFields.DefineAsync(tenant, new CustomFieldDefinition("note", CustomFieldType.Text), Admin);
        await CustomFields.DefineAsync(tenant, new CustomFieldDefinition("score", CustomFieldType.Number), Admin);
        await CustomFields.DefineAsync(tenant, new CustomFieldDefinition("vip", CustomFieldType.Boolean), Admin);
        await CustomFields.DefineAsync(tenant, new CustomFieldDefinition("since", CustomFieldType.Date), Admin);

        var created = await Contacts.CreateAsync(tenant, NewDraft() with
        {
            CustomFields = new Dictionary<string, CustomFieldValue?>
            {
                ["NOTE"] = "line one\nline two",
                ["score"] = -12.0625m,
                ["vip"] = false,
                ["since"] = new DateOnly(1999, 12, 31),
            },
        }, Admin);
        var read = await Contacts.GetAsync(tenant, created.Id);

        Assert.Equal("line one\nline two", read.CustomFields["note"].TextValue);
        Assert.Equal(-12.0625m, read.CustomFields["score"].NumberValue);
        Assert.False(read.CustomFields["vip"].BooleanValue);
        Assert.Equal(CustomFieldType.Boolean, read.CustomFields["vip"].Type);
        Assert.Equal(new DateOnly(1999, 12, 31), read.CustomFields["since"].DateValue);
    }

    /// <summary>A field declared in one tenant cannot be used in another.</summary>
    [Fact]
    public async Task A_field_of_another_tenant_is_unknown()
    {
        var (a, b) = (NewTenant(), NewTenant());
        await CustomFields.DefineAsync(a, new CustomFieldDefinition("score", CustomFieldType.Number), Admin);

        var error = await Assert.ThrowsAsync<ValidationFailedException>(() => Contacts.CreateAsync(b, NewDraft() with { CustomFields = new Dictionary<string, CustomFieldValue?> { ["score"] = 1 } }, Admin));

        Assert.Equal("unknown_field", error.Errors[0].Code);
    }
}
