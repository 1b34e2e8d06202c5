namespace Datum.Contacts.EntityFrameworkCore;

// The tables. They are internal: hosts reach contacts through the services, never through these rows, so the
// store alone decides how a contact is laid out. Every key and index starts with the tenant id.
// Times are UTC ticks (bigint): exact to 100 ns on every provider, where timestamp types differ (PostgreSQL keeps
// microseconds, SQLite keeps text), and they order and compare as numbers everywhere.

/// <summary>One contact: its scalar fields, the case-folded copies criteria compare, and the listing sort keys.</summary>
internal sealed class ContactRow
{
    public string TenantId { get; set; } = string.Empty;

    public Guid Id { get; set; }

    public string? FirstName { get; set; }

    public string? LastName { get; set; }

    public string? Title { get; set; }

    public string? Company { get; set; }

    public string? Email { get; set; }

    /// <summary>The email's identity (<see cref="EmailAddress.Normalized"/>): unique per tenant, and the email sort key.</summary>
    public string? EmailNormalized { get; set; }

    public string? Phone { get; set; }

    public string? Type { get; set; }

    public ContactStatus Status { get; set; }

    public ContactSource Source { get; set; }

    public ContactFrequency? Frequency { get; set; }

    public string? TimeZone { get; set; }

    public string? FoldedFirstName { get; set; }

    public string? FoldedLastName { get; set; }

    public string? FoldedTitle { get; set; }

    public string? FoldedCompany { get; set; }

    public string? FoldedEmail { get; set; }

    public string? FoldedPhone { get; set; }

    public string? FoldedType { get; set; }

    public string? FoldedTimeZone { get; set; }

    /// <summary>The last-name sort key (<see cref="ContactOrder.KeyOf"/>): the folded last name, or empty.</summary>
    public string SortLastName { get; set; } = string.Empty;

    /// <summary>The email sort key: the normalized email, or empty.</summary>
    public string SortEmail { get; set; } = string.Empty;

    public long CreatedAtTicks { get; set; }

    public long UpdatedAtTicks { get; set; }

    public long? LastEngagementAtTicks { get; set; }

    /// <summary>The contact's quiet hours start, as ticks since midnight (local time); null when it follows the tenant's.</summary>
    public long? QuietHoursStartTicks { get; set; }

    /// <summary>The contact's quiet hours end, as ticks since midnight (local time); null exactly when the start is.</summary>
    public long? QuietHoursEndTicks { get; set; }

    public bool DoNotSellOrShare { get; set; }

    public long? GlobalPrivacyControlAtTicks { get; set; }

    public long? DeletionRequestedAtTicks { get; set; }

    /// <summary>The aggregate's version: the concurrency token.</summary>
    public long Version { get; set; }

    public List<ContactTagRow> Tags { get; set; } = [];

    public List<ContactSocialProfileRow> SocialProfiles { get; set; } = [];

    public List<ContactChannelRow> Channels { get; set; } = [];

    public List<ContactCustomValueRow> CustomValues { get; set; } = [];

    /// <summary>The contact's list memberships: only for criteria (<c>memberOf</c>) and set-based reads, never loaded with the contact.</summary>
    public List<ListMembershipRow> Memberships { get; set; } = [];

    /// <summary>The contact's consents: only for criteria (<c>consent.&lt;channel&gt;</c>), never loaded with the contact.</summary>
    public List<ConsentRow> Consents { get; set; } = [];
}

/// <summary>One tag of a contact, at its position in the contact's tag order.</summary>
internal sealed class ContactTagRow
{
    public string TenantId { get; set; } = string.Empty;

    public Guid ContactId { get; set; }

    public int Position { get; set; }

    public string Tag { get; set; } = string.Empty;

    /// <summary>The tag case-folded: what <c>tags has</c> compares.</summary>
    public string FoldedTag { get; set; } = string.Empty;
}

/// <summary>One social profile of a contact.</summary>
internal sealed class ContactSocialProfileRow
{
    public string TenantId { get; set; } = string.Empty;

    public Guid ContactId { get; set; }

    public string Network { get; set; } = string.Empty;

    public string Handle { get; set; } = string.Empty;

    public string FoldedHandle { get; set; } = string.Empty;
}

/// <summary>A channel the contact switched explicitly on or off (an absent channel is on).</summary>
internal sealed class ContactChannelRow
{
    public string TenantId { get; set; } = string.Empty;

    public Guid ContactId { get; set; }

    public string Channel { get; set; } = string.Empty;

    public bool Enabled { get; set; }
}

/// <summary>One custom field value of a contact, in the column of its type.</summary>
internal sealed class ContactCustomValueRow
{
    public string TenantId { get; set; } = string.Empty;

    public Guid ContactId { get; set; }

    /// <summary>The field's declared name, as the tenant's schema spells it.</summary>
    public string Name { get; set; } = string.Empty;

    public CustomFieldType Type { get; set; }

    public string? TextValue { get; set; }

    public string? FoldedText { get; set; }

    public decimal? NumberValue { get; set; }

    public bool? BooleanValue { get; set; }

    public DateOnly? DateValue { get; set; }
}
