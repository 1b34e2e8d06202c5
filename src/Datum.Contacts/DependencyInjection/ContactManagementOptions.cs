namespace Datum.Contacts;

/// <summary>Limits and defaults of Datum.Contacts. Checked when the host starts; a bad value fails start-up.</summary>
public sealed class ContactManagementOptions
{
    /// <summary>Longest first name, last name, title or company, in characters. Default 200; at most 4,000.</summary>
    public int MaxNameLength { get; set; } = 200;

    /// <summary>Most distinct tags on one contact. Default 100; at most 10,000.</summary>
    public int MaxTagsPerContact { get; set; } = 100;

    /// <summary>Longest tag, in characters. Default 64; at most 1,000.</summary>
    public int MaxTagLength { get; set; } = 64;

    /// <summary>Most social profiles on one contact. Default 20; at most 1,000.</summary>
    public int MaxSocialProfiles { get; set; } = 20;

    /// <summary>Longest social profile handle or URL, in characters. Default 512; at most 4,000.</summary>
    public int MaxSocialProfileLength { get; set; } = 512;

    /// <summary>Longest text custom field value, in characters. Default 2,000; at most 1,000,000.</summary>
    public int MaxCustomFieldTextLength { get; set; } = 2_000;

    /// <summary>Most custom fields one tenant may declare. Default 200; at most 10,000.</summary>
    public int MaxCustomFieldsPerTenant { get; set; } = 200;

    /// <summary>Page size when a request names none. Default 50; at most <see cref="MaxPageSize"/>.</summary>
    public int DefaultPageSize { get; set; } = 50;

    /// <summary>Largest page size a request may ask for. Default 1,000; at most 10,000.</summary>
    public int MaxPageSize { get; set; } = 1_000;

    /// <summary>Most contacts one call may add to or remove from a list. Default 10,000; at most 100,000.</summary>
    public int MaxContactsPerListCall { get; set; } = 10_000;

    /// <summary>Bounds on criteria (length, depth, conditions, value length, list size, days), applied when parsing and compiling.</summary>
    public CriteriaLimits Criteria { get; set; } = new();

    /// <summary>How many compiled criteria the compiler keeps; 0 keeps none. Default 1,000; at most 100,000.</summary>
    public int MaxCachedCriteria { get; set; } = 1_000;

    /// <summary>How many members an audience resolution reads per unit of work. Default 1,000; between 10 and 10,000.</summary>
    public int AudienceBatchSize { get; set; } = 1_000;

    /// <summary>Signing keys and lifetimes of the tokens sent to contacts (double opt-in, self-service).</summary>
    public ContactTokenOptions Tokens { get; set; } = new();
}
