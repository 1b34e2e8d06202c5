namespace Datum.Contacts;

/// <summary>The type of a tenant-declared custom field.</summary>
public enum CustomFieldType
{
    /// <summary>Free text.</summary>
    Text = 1,

    /// <summary>A decimal number.</summary>
    Number = 2,

    /// <summary>True or false.</summary>
    Boolean = 3,

    /// <summary>A calendar date without time.</summary>
    Date = 4,
}
