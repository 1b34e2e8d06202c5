namespace Datum.Contacts;

/// <summary>A list as a host submits it; validated into <see cref="ListDetails"/> when created or updated.</summary>
public sealed record ListDraft
{
    /// <summary>The name, unique within the tenant (compared case-insensitively). Required.</summary>
    public string? Name { get; init; }

    /// <summary>What the list is for.</summary>
    public string? Description { get; init; }

    /// <summary>Static or dynamic. A list's kind cannot change after it is created.</summary>
    public ListKind Kind { get; init; } = ListKind.Static;

    /// <summary>For a dynamic list, the criteria its members match (required); must be null for a static list.</summary>
    public Criteria? Criteria { get; init; }

    /// <summary>How the list's members are reached; null for none.</summary>
    public CommunicationMethodDraft? CommunicationMethod { get; init; }

    /// <summary>External systems the list synchronizes with; at most one per system.</summary>
    public IReadOnlyList<ListIntegrationDraft>? Integrations { get; init; }

    /// <summary>Tags.</summary>
    public IReadOnlyList<string>? Tags { get; init; }
}

/// <summary>The channel a list uses and its settings (sender, template...), as a host submits them.</summary>
public sealed record CommunicationMethodDraft
{
    /// <summary>The channel: <c>email</c>, <c>sms</c>, <c>social</c> or a tenant-defined one. Required.</summary>
    public string? Channel { get; init; }

    /// <summary>Channel settings by name, such as <c>fromAddress</c>.</summary>
    public IReadOnlyDictionary<string, string>? Settings { get; init; }
}

/// <summary>An external system a list synchronizes with, as a host submits it.</summary>
public sealed record ListIntegrationDraft
{
    /// <summary>The system, a slug such as <c>salesforce</c>. Required.</summary>
    public string? System { get; init; }

    /// <summary>Which way it synchronizes.</summary>
    public SyncDirection Direction { get; init; } = SyncDirection.Push;

    /// <summary>Our field name → the external system's field name.</summary>
    public IReadOnlyDictionary<string, string>? FieldMapping { get; init; }
}

/// <summary>Editable details of a membership: notes and preference overrides that win over the contact's own.</summary>
public sealed record MembershipDraft
{
    /// <summary>Free-text notes.</summary>
    public string? Notes { get; init; }

    /// <summary>Channels switched on or off for this list only, by name.</summary>
    public IReadOnlyDictionary<string, bool>? Channels { get; init; }

    /// <summary>The frequency for this list only; null to follow the contact's preference.</summary>
    public ContactFrequency? Frequency { get; init; }
}

/// <summary>A new synchronization state for one integration of a list, as the integration reports it.</summary>
public sealed record SyncStatusUpdate
{
    /// <summary>The new status.</summary>
    public SyncStatus Status { get; init; }

    /// <summary>When the synchronization ran; null to leave the last sync time as it is.</summary>
    public DateTimeOffset? SyncedAt { get; init; }

    /// <summary>A message, such as the reason of a failure; null for none.</summary>
    public string? Message { get; init; }
}
