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

/// <summary>An audit entry; its field changes are a JSON array.</summary>
internal sealed class AuditEntryRow : ITimeOrderedRow
{
    public string TenantId { get; set; } = string.Empty;

    public Guid Id { get; set; }

    public long OccurredAtTicks { get; set; }

    public ActorKind ActorKind { get; set; }

    public string ActorId { get; set; } = string.Empty;

    public string Action { get; set; } = string.Empty;

    public string EntityType { get; set; } = string.Empty;

    public string EntityId { get; set; } = string.Empty;

    public string Changes { get; set; } = "[]";

    public string? CorrelationId { get; set; }
}

/// <summary>
/// A contact list. The communication method, integrations and tags are JSON text: they are read and written with
/// the list, never searched. <see cref="MemberCount"/> is maintained by the store alone, from membership changes.
/// </summary>
internal sealed class ListRow
{
    public string TenantId { get; set; } = string.Empty;

    public Guid Id { get; set; }

    public string Name { get; set; } = string.Empty;

    /// <summary>The name's key (<see cref="ContactList.KeyOf"/>): unique per tenant, and what <c>memberOf</c> looks up.</summary>
    public string NameKey { get; set; } = string.Empty;

    public string? Description { get; set; }

    public ListKind Kind { get; set; }

    /// <summary>A dynamic list's criteria as canonical text (<see cref="Criteria.ToString"/>); null for a static list.</summary>
    public string? CriteriaText { get; set; }

    /// <summary>The communication method as JSON (channel and settings); null when none.</summary>
    public string? CommunicationMethod { get; set; }

    /// <summary>The integrations with their sync state, as a JSON array.</summary>
    public string Integrations { get; set; } = "[]";

    /// <summary>The tags in order, as a JSON array.</summary>
    public string Tags { get; set; } = "[]";

    /// <summary>The number of active memberships; only ever changed by adding the delta of a commit's membership changes.</summary>
    public long MemberCount { get; set; }

    public long CreatedAtTicks { get; set; }

    public long UpdatedAtTicks { get; set; }

    /// <summary>The list's version: the concurrency token. Membership changes do not move it.</summary>
    public long Version { get; set; }
}

/// <summary>A contact's membership of a list: one row per list and contact, referencing both.</summary>
internal sealed class ListMembershipRow
{
    public string TenantId { get; set; } = string.Empty;

    public Guid ListId { get; set; }

    public Guid ContactId { get; set; }

    public MembershipStatus Status { get; set; }

    public MembershipSource Source { get; set; }

    public long JoinedAtTicks { get; set; }

    public long UpdatedAtTicks { get; set; }

    public long? LastEngagementAtTicks { get; set; }

    public string? Notes { get; set; }

    /// <summary>Channels switched on or off for this list only, as a JSON object (channel → on).</summary>
    public string ChannelOverrides { get; set; } = "{}";

    public ContactFrequency? FrequencyOverride { get; set; }

    /// <summary>The membership's version: the concurrency token.</summary>
    public long Version { get; set; }

    /// <summary>The list, for criteria (<c>memberOf</c> looks the list up by its name key); never loaded.</summary>
    public ListRow? List { get; set; }
}

/// <summary>One membership history entry. No foreign keys: history outlives the lists and contacts it names.</summary>
internal sealed class MembershipHistoryRow : ITimeOrderedRow
{
    public string TenantId { get; set; } = string.Empty;

    public Guid Id { get; set; }

    public Guid ListId { get; set; }

    public Guid ContactId { get; set; }

    public long OccurredAtTicks { get; set; }

    public MembershipStatus? FromStatus { get; set; }

    public MembershipStatus? ToStatus { get; set; }

    public MembershipChangeReason Reason { get; set; }

    public ActorKind ActorKind { get; set; }

    public string ActorId { get; set; } = string.Empty;
}

/// <summary>
/// A contact's consent for a channel, or for a channel and one list. The key includes the list, so a channel-wide
/// consent is stored with <see cref="ChannelWide"/> (<see cref="Guid.Empty"/>, which no list has) in
/// <see cref="ListId"/>: a key column cannot be null.
/// </summary>
internal sealed class ConsentRow
{
    /// <summary>The <see cref="ListId"/> of a consent for the channel as a whole.</summary>
    public static readonly Guid ChannelWide = Guid.Empty;

    public string TenantId { get; set; } = string.Empty;

    public Guid ContactId { get; set; }

    public string Channel { get; set; } = string.Empty;

    /// <summary>The list the consent is scoped to; <see cref="ChannelWide"/> for the channel as a whole.</summary>
    public Guid ListId { get; set; }

    public ConsentState State { get; set; }

    public string? PolicyVersion { get; set; }

    public long CreatedAtTicks { get; set; }

    public long UpdatedAtTicks { get; set; }

    public long? GrantedAtTicks { get; set; }

    public long? WithdrawnAtTicks { get; set; }

    /// <summary>The SHA-256 (hex) of the last confirmation token's nonce; never the token.</summary>
    public string? TokenHash { get; set; }

    public long? TokenExpiresAtTicks { get; set; }

    /// <summary>The consent's version: the concurrency token.</summary>
    public long Version { get; set; }
}

/// <summary>One consent ledger entry. No foreign key: the ledger outlives the contact, as proof of what was allowed.</summary>
internal sealed class ConsentEvidenceRow : ITimeOrderedRow
{
    public string TenantId { get; set; } = string.Empty;

    public Guid Id { get; set; }

    public Guid ContactId { get; set; }

    public string Channel { get; set; } = string.Empty;

    /// <summary>The list the consent is scoped to; null for the channel as a whole.</summary>
    public Guid? ListId { get; set; }

    public ConsentAction Action { get; set; }

    public ConsentState FromState { get; set; }

    public ConsentState ToState { get; set; }

    public long OccurredAtTicks { get; set; }

    public ActorKind ActorKind { get; set; }

    public string ActorId { get; set; } = string.Empty;

    public ConsentSource Source { get; set; }

    public string? PolicyVersion { get; set; }

    public LawfulBasis LawfulBasis { get; set; }

    public string? IpAddress { get; set; }

    public string? UserAgent { get; set; }
}

/// <summary>One entry of the tenant's suppression list. No foreign key: it applies to whoever holds the address, now or later.</summary>
internal sealed class SuppressionRow
{
    public string TenantId { get; set; } = string.Empty;

    public SuppressionKind Kind { get; set; }

    /// <summary>The normalized address, phone or domain.</summary>
    public string Value { get; set; } = string.Empty;

    public SuppressionReason Reason { get; set; }

    public string? Note { get; set; }

    public long CreatedAtTicks { get; set; }

    public ActorKind ActorKind { get; set; }

    public string ActorId { get; set; } = string.Empty;
}

/// <summary>A send to, or an interaction of, a contact; removed with the contact.</summary>
internal sealed class EngagementRow : ITimeOrderedRow
{
    public string TenantId { get; set; } = string.Empty;

    public Guid Id { get; set; }

    public Guid ContactId { get; set; }

    public string Channel { get; set; } = string.Empty;

    /// <summary>The list it went through; null for none. No foreign key: the event stays when the list is deleted.</summary>
    public Guid? ListId { get; set; }

    public EngagementKind Kind { get; set; }

    public long OccurredAtTicks { get; set; }
}

/// <summary>A tenant's audience policy: one row per tenant, replaced on each save.</summary>
internal sealed class AudiencePolicyRow
{
    public string TenantId { get; set; } = string.Empty;

    /// <summary>The tenant's quiet hours start, as ticks since midnight (local time); null for no quiet hours.</summary>
    public long? QuietHoursStartTicks { get; set; }

    /// <summary>The tenant's quiet hours end, as ticks since midnight; null exactly when the start is.</summary>
    public long? QuietHoursEndTicks { get; set; }

    /// <summary>The IANA time zone of contacts without one; null for UTC.</summary>
    public string? DefaultTimeZone { get; set; }

    public long UpdatedAtTicks { get; set; }
}
