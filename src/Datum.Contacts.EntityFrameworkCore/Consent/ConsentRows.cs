namespace Datum.Contacts.EntityFrameworkCore;

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
