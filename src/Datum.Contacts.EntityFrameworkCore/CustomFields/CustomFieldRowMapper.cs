namespace Datum.Contacts.EntityFrameworkCore;

/// <summary>Copies custom field definitions onto rows and rebuilds them from rows.</summary>
internal static class CustomFieldRowMapper
{
    public static CustomFieldRow ToRow(TenantId tenant, CustomFieldDefinition definition) => new()
    {
        TenantId = tenant.Value,
        NameKey = definition.Name.ToLowerInvariant(),
        Name = definition.Name,
        Type = definition.Type,
        Description = definition.Description,
    };

    public static CustomFieldDefinition ToDefinition(CustomFieldRow row) => new(row.Name, row.Type, row.Description);
}
