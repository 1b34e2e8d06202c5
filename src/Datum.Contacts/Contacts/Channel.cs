namespace Datum.Contacts;

/// <summary>
/// A communication channel: <see cref="Email"/>, <see cref="Sms"/>, <see cref="Social"/>, or a tenant-defined
/// one. A lower-case slug: a letter, then letters, digits, '-' or '_', at most 64 characters.
/// </summary>
public readonly record struct Channel
{
    private Channel(string value) => Value = value;

    /// <summary>The slug.</summary>
    public string Value { get; }

    /// <summary>Email.</summary>
    public static Channel Email { get; } = new("email");

    /// <summary>Text messages.</summary>
    public static Channel Sms { get; } = new("sms");

    /// <summary>Social networks.</summary>
    public static Channel Social { get; } = new("social");

    /// <summary>Parses a channel (case-insensitive), throwing <see cref="ValidationFailedException"/> on the field <c>channel</c> when malformed.</summary>
    /// <param name="value">The channel text.</param>
    public static Channel Parse(string? value)
        => TryParse(value, out var channel, out var error)
            ? channel
            : throw new ValidationFailedException(new FieldError("channel", "invalid_channel", $"channel {error}."));

    /// <summary>Tries to parse a channel.</summary>
    /// <param name="value">The channel text.</param>
    /// <param name="channel">The parsed channel.</param>
    /// <param name="error">Why the text is not a channel.</param>
    public static bool TryParse(string? value, out Channel channel, out string? error)
    {
        var slug = Slug.Normalize(value, out error);
        channel = slug is null ? default : new Channel(slug);
        return slug is not null;
    }

    /// <inheritdoc />
    public override string ToString() => Value ?? string.Empty;
}
