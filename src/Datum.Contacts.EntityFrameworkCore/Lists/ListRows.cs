namespace Datum.Contacts.EntityFrameworkCore;

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
