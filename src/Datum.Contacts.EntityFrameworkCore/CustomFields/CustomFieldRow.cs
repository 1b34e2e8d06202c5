namespace Datum.Contacts.EntityFrameworkCore;

/// <summary>A declared custom field.</summary>
internal sealed class CustomFieldRow
{
    public string TenantId { get; set; } = string.Empty;

    /// <summary>The name lower-cased: names are unique per tenant regardless of case.</summary>
    public string NameKey { get; set; } = string.Empty;

    public string Name { get; set; } = string.Empty;

    public CustomFieldType Type { get; set; }

    public string? Description { get; set; }
}
