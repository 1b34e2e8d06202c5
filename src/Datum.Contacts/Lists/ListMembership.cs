using System.Globalization;

namespace Datum.Contacts;

/// <summary>
/// A contact's place on one list: its status, how it got there, when, and preference overrides that win over the
/// contact's own for this list. One per contact and list. Every change moves <see cref="Version"/> on by one per unit of work.
/// </summary>
public sealed class ListMembership
{
    /// <summary>Longest notes, in characters.</summary>
    public const int MaxNotesLength = 4_000;

    private static readonly IReadOnlyDictionary<Channel, bool> NoOverrides = new Dictionary<Channel, bool>();
    private bool _versionAdvanced;

    private ListMembership()
    {
    }

    /// <summary>The owning tenant.</summary>
    public TenantId Tenant { get; private set; }

    /// <summary>The list.</summary>
    public ListId ListId { get; private set; }

    /// <summary>The contact.</summary>
    public ContactId ContactId { get; private set; }

    /// <summary>Where the contact stands on the list.</summary>
    public MembershipStatus Status { get; private set; }

    /// <summary>How the contact came onto the list.</summary>
    public MembershipSource Source { get; private set; }

    /// <summary>When the membership was created.</summary>
    public DateTimeOffset JoinedAt { get; private set; }

    /// <summary>When the membership last changed.</summary>
    public DateTimeOffset UpdatedAt { get; private set; }

    /// <summary>When the contact last engaged through this list, if ever.</summary>
    public DateTimeOffset? LastEngagementAt { get; private set; }

    /// <summary>Free-text notes.</summary>
    public string? Notes { get; private set; }

    /// <summary>Channels switched on or off for this list only; they win over the contact's preferences.</summary>
    public IReadOnlyDictionary<Channel, bool> ChannelOverrides { get; private set; } = NoOverrides;

    /// <summary>The frequency for this list only; null to follow the contact's preference.</summary>
    public ContactFrequency? FrequencyOverride { get; private set; }

    /// <summary>The concurrency version: 1 when created, one more after each committed change.</summary>
    public long Version { get; private set; }

    /// <summary>Whether the contact counts as a member (status <see cref="MembershipStatus.Active"/>).</summary>
    public bool IsActive => Status == MembershipStatus.Active;

    /// <summary>Creates a membership.</summary>
    /// <param name="tenant">The owning tenant.</param>
    /// <param name="list">The list.</param>
    /// <param name="contact">The contact.</param>
    /// <param name="status">The initial status.</param>
    /// <param name="source">How the contact came onto the list.</param>
    /// <param name="now">The time of joining.</param>
    internal static ListMembership Create(TenantId tenant, ListId list, ContactId contact, MembershipStatus status, MembershipSource source, DateTimeOffset now)
    {
        Guard.Against.DefaultTenant(tenant);
        Guard.Against.UndefinedEnum(status, "Unknown membership status.");

        Guard.Against.UndefinedEnum(source, "Unknown membership source.");

        return new ListMembership
        {
            Tenant = tenant,
            ListId = list,
            ContactId = contact,
            Status = status,
            Source = source,
            JoinedAt = now,
            UpdatedAt = now,
            Version = 1,
            _versionAdvanced = true,
        };
    }

    /// <summary>Moves the membership to another status.</summary>
    /// <param name="status">The new status.</param>
    /// <param name="now">The time of the change.</param>
    /// <returns>The fields that changed; empty when the status was already that.</returns>
    internal IReadOnlyList<FieldChange> SetStatus(MembershipStatus status, DateTimeOffset now)
    {
        Guard.Against.UndefinedEnum(status, "Unknown membership status.");

        return Change(() => Status = status, now);
    }

    /// <summary>Replaces the notes and overrides.</summary>
    /// <param name="draft">The new details.</param>
    /// <param name="now">The time of the change.</param>
    /// <returns>The fields that changed.</returns>
    /// <exception cref="ValidationFailedException">A field is invalid; every problem is listed.</exception>
    internal IReadOnlyList<FieldChange> Update(MembershipDraft draft, DateTimeOffset now)
    {
        Guard.Against.Null(draft);
        var errors = new List<FieldError>();
        var notes = Text.CleanMultiline(draft.Notes, "notes", MaxNotesLength, errors);
        var channels = new Dictionary<Channel, bool>();
        foreach (var (name, on) in draft.Channels ?? new Dictionary<string, bool>())
        {
            if (Channel.TryParse(name, out var channel, out var error))
            {
                channels[channel] = on;
            }
            else
            {
                errors.Add(new FieldError($"channels.{name}", "invalid_channel", $"channels: the channel name {error}."));
            }
        }

        if (draft.Frequency is { } frequency && !Enum.IsDefined(frequency))
        {
            errors.Add(new FieldError("frequency", "invalid_frequency", "frequency must be Daily, Weekly, Monthly or Quarterly."));
        }

        if (errors.Count > 0)
        {
            throw new ValidationFailedException(errors);
        }

        return Change(
            () =>
            {
                Notes = notes;
                ChannelOverrides = channels.Count == 0 ? NoOverrides : channels;
                FrequencyOverride = draft.Frequency;
            },
            now);
    }

    /// <summary>Records an engagement through this list; the time only moves forward.</summary>
    /// <param name="at">When the contact engaged.</param>
    /// <param name="now">The time of the change.</param>
    /// <returns>The fields that changed; empty when the time did not move forward.</returns>
    internal IReadOnlyList<FieldChange> RecordEngagement(DateTimeOffset at, DateTimeOffset now)
        => LastEngagementAt is { } last && last >= at ? [] : Change(() => LastEngagementAt = at, now);

    /// <summary>Describes every field as audit text.</summary>
    internal SortedDictionary<string, string> Describe()
    {
        var fields = new SortedDictionary<string, string>(StringComparer.Ordinal);
        ContactSnapshot.Add(fields, "status", Status.ToString());
        ContactSnapshot.Add(fields, "source", Source.ToString());
        ContactSnapshot.Add(fields, "notes", Notes);
        foreach (var (channel, on) in ChannelOverrides)
        {
            ContactSnapshot.Add(fields, $"channels.{channel.Value}", on ? "on" : "off");
        }

        ContactSnapshot.Add(fields, "frequency", FrequencyOverride?.ToString());
        ContactSnapshot.Add(fields, "lastEngagementAt", LastEngagementAt?.ToString("O", CultureInfo.InvariantCulture));
        return fields;
    }

    /// <summary>Rebuilds a stored membership from trusted state (stores that keep rows).</summary>
    internal static ListMembership Restore(
        TenantId tenant,
        ListId list,
        ContactId contact,
        MembershipStatus status,
        MembershipSource source,
        DateTimeOffset joinedAt,
        DateTimeOffset updatedAt,
        DateTimeOffset? lastEngagementAt,
        string? notes,
        IReadOnlyDictionary<Channel, bool> channelOverrides,
        ContactFrequency? frequencyOverride,
        long version) => new()
        {
            Tenant = tenant,
            ListId = list,
            ContactId = contact,
            Status = status,
            Source = source,
            JoinedAt = joinedAt,
            UpdatedAt = updatedAt,
            LastEngagementAt = lastEngagementAt,
            Notes = notes,
            ChannelOverrides = channelOverrides.Count == 0 ? NoOverrides : channelOverrides,
            FrequencyOverride = frequencyOverride,
            Version = version,
        };

    /// <summary>An independent copy with the same state, for stores that keep objects in memory.</summary>
    internal ListMembership Copy()
    {
        var copy = (ListMembership)MemberwiseClone();
        copy._versionAdvanced = false;
        return copy;
    }

    private List<FieldChange> Change(Action apply, DateTimeOffset now)
    {
        var before = Describe();
        apply();
        var changes = ContactSnapshot.Diff(before, Describe());
        if (changes.Count > 0)
        {
            UpdatedAt = now;
            if (!_versionAdvanced)
            {
                Version++;
                _versionAdvanced = true;
            }
        }

        return changes;
    }
}
