namespace Datum.Contacts;

/// <summary>Whether a contact may be engaged at all.</summary>
public enum ContactStatus
{
    /// <summary>A live contact.</summary>
    Active = 1,

    /// <summary>Kept on record but not engaged (bounced, left the company...).</summary>
    Inactive = 2,

    /// <summary>The contact unsubscribed from everything.</summary>
    Unsubscribed = 3,
}

/// <summary>How the contact entered the system.</summary>
public enum ContactSource
{
    /// <summary>Entered by a user.</summary>
    Manual = 1,

    /// <summary>A bulk import.</summary>
    Import = 2,

    /// <summary>A sign-up form.</summary>
    Form = 3,

    /// <summary>An external system.</summary>
    Integration = 4,
}

/// <summary>How often the contact wants to hear from the tenant.</summary>
public enum ContactFrequency
{
    /// <summary>At most once a day.</summary>
    Daily = 1,

    /// <summary>At most once every 7 days.</summary>
    Weekly = 2,

    /// <summary>At most once a month.</summary>
    Monthly = 3,

    /// <summary>At most once a quarter.</summary>
    Quarterly = 4,
}
