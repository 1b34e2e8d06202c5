using System.Globalization;

namespace Datum.Contacts;

/// <summary>
/// A daily window, in local time, when a contact must not be contacted, such as 21:00 to 08:00. The window starts at
/// <see cref="Start"/> (included) and ends at <see cref="End"/> (excluded); an end before the start spans midnight.
/// </summary>
public sealed record QuietHours
{
    private QuietHours(TimeOnly start, TimeOnly end)
    {
        Start = start;
        End = end;
    }

    /// <summary>The local time the window starts (included).</summary>
    public TimeOnly Start { get; }

    /// <summary>The local time the window ends (excluded).</summary>
    public TimeOnly End { get; }

    /// <summary>Creates a window; start and end must differ.</summary>
    /// <param name="start">The local time the window starts (included).</param>
    /// <param name="end">The local time the window ends (excluded).</param>
    /// <exception cref="ValidationFailedException">Start and end are equal.</exception>
    public static QuietHours Create(TimeOnly start, TimeOnly end)
        => start == end
            ? throw new ValidationFailedException(new FieldError("quietHours", "empty_quiet_hours", "quietHours: start and end must differ (an empty window is no quiet hours: leave both unset)."))
            : new QuietHours(start, end);

    /// <summary>Whether a local time falls in the window.</summary>
    /// <param name="local">The local time of day.</param>
    public bool Contains(TimeOnly local) => Start < End ? local >= Start && local < End : local >= Start || local < End;

    /// <summary>Reads a window from its two ends as <c>HH:mm</c>; null when both are unset.</summary>
    internal static QuietHours? Parse(string? start, string? end, string field, ICollection<FieldError> errors)
    {
        if (start is null && end is null)
        {
            return null;
        }

        var ok = TryEnd(start, "Start", "21:00", out var from) & TryEnd(end, "End", "08:00", out var to);
        if (ok && from == to)
        {
            errors.Add(new FieldError(field, "empty_quiet_hours", $"{field}: start and end must differ (leave both unset for no quiet hours)."));
            ok = false;
        }

        return ok ? new QuietHours(from, to) : null;

        bool TryEnd(string? text, string which, string example, out TimeOnly time)
        {
            if (text is not null && TimeOnly.TryParseExact(text.Trim(), ["HH:mm", "H:mm"], CultureInfo.InvariantCulture, DateTimeStyles.None, out time))
            {
                return true;
            }

            time = default;
            errors.Add(new FieldError($"{field}{which}", "invalid_time", $"{field}{which} must be a local time as HH:mm (such as {example}); set both ends or neither."));
            return false;
        }
    }

    /// <inheritdoc />
    public override string ToString() => $"{Start.ToString("HH:mm", CultureInfo.InvariantCulture)}-{End.ToString("HH:mm", CultureInfo.InvariantCulture)}";
}

/// <summary>A tenant's audience rules: its quiet hours and the time zone of contacts that have none.</summary>
/// <param name="Tenant">The owning tenant.</param>
/// <param name="QuietHours">The tenant's quiet hours; a contact's own win over them. Null for none.</param>
/// <param name="DefaultTimeZone">The time zone of contacts without one; null for UTC.</param>
/// <param name="UpdatedAt">When it last changed.</param>
public sealed record AudiencePolicy(TenantId Tenant, QuietHours? QuietHours, TimeZoneId? DefaultTimeZone, DateTimeOffset UpdatedAt)
{
    /// <summary>The policy of a tenant that never set one: no quiet hours, UTC.</summary>
    /// <param name="tenant">The tenant.</param>
    public static AudiencePolicy Default(TenantId tenant) => new(tenant, null, null, DateTimeOffset.UnixEpoch);
}

/// <summary>A tenant's audience policy as a host submits it.</summary>
public sealed record AudiencePolicyDraft
{
    /// <summary>When the tenant's quiet hours start, as local <c>HH:mm</c>; null (with <see cref="QuietHoursEnd"/>) for none.</summary>
    public string? QuietHoursStart { get; init; }

    /// <summary>When the tenant's quiet hours end, as local <c>HH:mm</c>.</summary>
    public string? QuietHoursEnd { get; init; }

    /// <summary>The IANA time zone of contacts without one, such as <c>Europe/Paris</c>; null for UTC.</summary>
    public string? DefaultTimeZone { get; init; }

    internal AudiencePolicy Validate(TenantId tenant, DateTimeOffset now)
    {
        var errors = new List<FieldError>();
        var quiet = QuietHours.Parse(QuietHoursStart, QuietHoursEnd, "quietHours", errors);
        TimeZoneId? zone = null;
        if (DefaultTimeZone is not null && !TimeZoneId.TryParse(DefaultTimeZone, out zone, out var error))
        {
            errors.Add(new FieldError("defaultTimeZone", "invalid_time_zone", $"defaultTimeZone {error}."));
        }

        return errors.Count > 0 ? throw new ValidationFailedException(errors) : new AudiencePolicy(tenant, quiet, zone, now);
    }
}
