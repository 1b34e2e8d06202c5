namespace Datum.Contacts;

/// <summary>How a contact wants to be reached: channels on or off, frequency, time zone and quiet hours.</summary>
public sealed class ContactPreferences
{
    internal ContactPreferences(IReadOnlyDictionary<Channel, bool> channels, ContactFrequency? frequency, TimeZoneId? timeZone, QuietHours? quietHours = null)
    {
        Channels = channels;
        Frequency = frequency;
        TimeZone = timeZone;
        QuietHours = quietHours;
    }

    /// <summary>No explicit preferences: every channel on, no frequency, no time zone.</summary>
    public static ContactPreferences Default { get; } = new(new Dictionary<Channel, bool>(), null, null);

    /// <summary>The channels the contact switched explicitly on (<c>true</c>) or off (<c>false</c>).</summary>
    public IReadOnlyDictionary<Channel, bool> Channels { get; }

    /// <summary>How often the contact wants to hear from the tenant; null for no preference.</summary>
    public ContactFrequency? Frequency { get; }

    /// <summary>The contact's IANA time zone; null when unknown.</summary>
    public TimeZoneId? TimeZone { get; }

    /// <summary>When the contact must not be contacted, in its local time; null to follow the tenant's (see <see cref="AudiencePolicy"/>).</summary>
    public QuietHours? QuietHours { get; }

    /// <summary>Whether the channel is on: a channel not switched explicitly is on.</summary>
    /// <param name="channel">The channel.</param>
    public bool IsEnabled(Channel channel) => !Channels.TryGetValue(channel, out var on) || on;

    internal static ContactPreferences Create(ContactPreferencesDraft? draft, ICollection<FieldError> errors)
    {
        if (draft is null)
        {
            return Default;
        }

        var channels = new Dictionary<Channel, bool>();
        foreach (var (name, on) in draft.Channels ?? new Dictionary<string, bool>())
        {
            if (Channel.TryParse(name, out var channel, out var error))
            {
                channels[channel] = on;
            }
            else
            {
                errors.Add(new FieldError($"preferences.channels.{name}", "invalid_channel", $"preferences.channels: the channel name '{Truncate(name)}' {error}."));
            }
        }

        if (draft.Frequency is { } frequency && !Enum.IsDefined(frequency))
        {
            errors.Add(new FieldError("preferences.frequency", "invalid_frequency", "preferences.frequency must be Daily, Weekly, Monthly or Quarterly."));
        }

        TimeZoneId? zone = null;
        if (draft.TimeZone is not null && !TimeZoneId.TryParse(draft.TimeZone, out zone, out var zoneError))
        {
            errors.Add(new FieldError("preferences.timeZone", "invalid_time_zone", $"preferences.timeZone {Truncate(zoneError)}."));
        }

        var quiet = Datum.Contacts.QuietHours.Parse(draft.QuietHoursStart, draft.QuietHoursEnd, "preferences.quietHours", errors);
        return new ContactPreferences(channels, draft.Frequency, zone, quiet);
    }

    internal ContactPreferencesDraft ToDraft() => new()
    {
        Channels = Channels.ToDictionary(p => p.Key.Value, p => p.Value),
        Frequency = Frequency,
        TimeZone = TimeZone?.Value,
        QuietHoursStart = QuietHours?.Start.ToString("HH:mm", System.Globalization.CultureInfo.InvariantCulture),
        QuietHoursEnd = QuietHours?.End.ToString("HH:mm", System.Globalization.CultureInfo.InvariantCulture),
    };

    private static string Truncate(string? text) => text is null ? string.Empty : text.Length <= 80 ? text : text[..80] + "…";
}

/// <summary>Preferences as a host submits them; validated into <see cref="ContactPreferences"/>.</summary>
public sealed record ContactPreferencesDraft
{
    /// <summary>Channels switched on or off by name (<c>email</c>, <c>sms</c>, <c>social</c>, or a tenant-defined channel).</summary>
    public IReadOnlyDictionary<string, bool>? Channels { get; init; }

    /// <summary>The preferred frequency; null for no preference.</summary>
    public ContactFrequency? Frequency { get; init; }

    /// <summary>The IANA time zone id, such as <c>Europe/Paris</c>; null when unknown.</summary>
    public string? TimeZone { get; init; }

    /// <summary>When the contact's quiet hours start, as local <c>HH:mm</c> (such as <c>21:00</c>); null (with <see cref="QuietHoursEnd"/>) to follow the tenant's.</summary>
    public string? QuietHoursStart { get; init; }

    /// <summary>When the contact's quiet hours end, as local <c>HH:mm</c> (such as <c>08:00</c>).</summary>
    public string? QuietHoursEnd { get; init; }
}
