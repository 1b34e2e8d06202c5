using System.Diagnostics.CodeAnalysis;

namespace Datum.Contacts;

/// <summary>An IANA time zone id (such as <c>Europe/Paris</c>) known to the runtime's time zone database.</summary>
public sealed class TimeZoneId : IEquatable<TimeZoneId>
{
    private readonly TimeZoneInfo _zone;

    private TimeZoneId(string value, TimeZoneInfo zone)
    {
        Value = value;
        _zone = zone;
    }

    /// <summary>The IANA id.</summary>
    public string Value { get; }

    /// <summary>The zone, for converting times to the contact's local time.</summary>
    public TimeZoneInfo Zone => _zone;

    /// <summary>Parses a zone id, throwing <see cref="ValidationFailedException"/> on the field <c>preferences.timeZone</c> when unknown.</summary>
    /// <param name="value">The IANA id.</param>
    public static TimeZoneId Parse(string? value)
        => TryParse(value, out var zone, out var error)
            ? zone
            : throw new ValidationFailedException(new FieldError("preferences.timeZone", "invalid_time_zone", $"preferences.timeZone {error}."));

    /// <summary>Tries to parse a zone id.</summary>
    /// <param name="value">The IANA id.</param>
    /// <param name="zone">The parsed zone.</param>
    /// <param name="error">Why the text is not a known IANA zone.</param>
    public static bool TryParse([NotNullWhen(true)] string? value, [NotNullWhen(true)] out TimeZoneId? zone, [NotNullWhen(false)] out string? error)
    {
        zone = null;
        if (string.IsNullOrWhiteSpace(value))
        {
            error = "is required";
            return false;
        }

        var id = value.Trim();
        if (id.Length > 64 || Text.FindProblem(id, allowLineBreaks: false) is not null)
        {
            error = "must be an IANA time zone id such as 'Europe/Paris'";
            return false;
        }

        if (!TimeZoneInfo.TryFindSystemTimeZoneById(id, out var info) || !info.HasIanaId)
        {
            error = $"must be an IANA time zone id known to this system, such as 'Europe/Paris' ('{id}' is not)";
            return false;
        }

        zone = new TimeZoneId(info.Id, info);
        error = null;
        return true;
    }

    /// <inheritdoc />
    public bool Equals(TimeZoneId? other) => other is not null && string.Equals(Value, other.Value, StringComparison.Ordinal);

    /// <inheritdoc />
    public override bool Equals(object? obj) => Equals(obj as TimeZoneId);

    /// <inheritdoc />
    public override int GetHashCode() => StringComparer.Ordinal.GetHashCode(Value);

    /// <inheritdoc />
    public override string ToString() => Value;
}
