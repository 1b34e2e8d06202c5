namespace Datum.Contacts;

/// <summary>How a contact wants to be reached: channels on or off, frequency, and time zone.</summary>
public sealed class ContactPreferences
{
    internal ContactPreferences(IReadOnlyDictionary<Channel, bool> channels, ContactFrequency? frequency, TimeZoneId? timeZone)
    {
        Channels = channels;
        Frequency = frequency;
        TimeZone = timeZone;
    }

    /// <summary>No explicit preferences: every channel on, no frequency, no time zone.</summary>
    public static ContactPreferences Default { get; } = new(new Dictionary<Channel, bool>(), null, null);

    /// <summary>The channels the contact switched explicitly on (<c>true</c>) or off (<c>false</c>).</summary>
    public IReadOnlyDictionary<Channel, bool> Channels { get; }

    /// <summary>How often the contact wants to hear from the tenant; null for no preference.</summary>
    public ContactFrequency? Frequency { get; }

    /// <summary>The contact's IANA time zone; null when unknown.</summary>
    public TimeZoneId? TimeZone { get; }

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

        return new ContactPreferences(channels, draft.Frequency, zone);
    }

    internal ContactPreferencesDraft ToDraft() => new()
    {
        Channels = Channels.ToDictionary(p => p.Key.Value, p => p.Value),
        Frequency = Frequency,
        TimeZone = TimeZone?.Value,
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
}
