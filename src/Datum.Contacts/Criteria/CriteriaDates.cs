using System.Globalization;

namespace Datum.Contacts;

/// <summary>
/// The date and date-time forms the language accepts: <c>yyyy-MM-dd</c>, and ISO 8601 date-times
/// <c>yyyy-MM-ddTHH:mm[:ss[.fffffff]][Z|±HH:mm]</c> (no offset means UTC). Nothing culture-dependent.
/// </summary>
internal static class CriteriaDates
{
    private static readonly string[] DateTimeFormats =
    [
        "yyyy-MM-dd'T'HH:mm", "yyyy-MM-dd'T'HH:mm:ss", "yyyy-MM-dd'T'HH:mm:ss.FFFFFFF",
        "yyyy-MM-dd'T'HH:mmK", "yyyy-MM-dd'T'HH:mm:ssK", "yyyy-MM-dd'T'HH:mm:ss.FFFFFFFK",
    ];

    public static bool IsDateOrDateTime(string text) => TryParseDate(text, out _) || TryParseDateTime(text, out _);

    public static bool TryParseDate(string text, out DateOnly date)
        => DateOnly.TryParseExact(text, "yyyy-MM-dd", CultureInfo.InvariantCulture, DateTimeStyles.None, out date);

    public static bool TryParseDateTime(string text, out DateTimeOffset time)
        => DateTimeOffset.TryParseExact(
            text, DateTimeFormats, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal, out time);

    /// <summary>The start of a UTC day.</summary>
    public static DateTimeOffset StartOf(DateOnly date) => new(date.ToDateTime(TimeOnly.MinValue), TimeSpan.Zero);
}

/// <summary>
/// Relative dates evaluated at run time from the injected <see cref="TimeProvider"/>. Compiled criteria call
/// these with the clock as a constant, so a query provider evaluates them once per query, as a parameter.
/// </summary>
internal static class CriteriaClock
{
    public static DateTimeOffset Now(TimeProvider clock) => clock.GetUtcNow();

    /// <summary>Now minus whole days, clamped at the beginning of time.</summary>
    public static DateTimeOffset DaysAgo(TimeProvider clock, int days)
    {
        var now = clock.GetUtcNow();
        return now.UtcTicks - DateTimeOffset.MinValue.UtcTicks <= TimeSpan.TicksPerDay * (long)days
            ? DateTimeOffset.MinValue
            : now.AddDays(-days);
    }

    /// <summary>Today's UTC date.</summary>
    public static DateOnly Today(TimeProvider clock) => DateOnly.FromDateTime(clock.GetUtcNow().UtcDateTime);

    /// <summary>Today's UTC date minus whole days, clamped at the first date.</summary>
    public static DateOnly TodayMinus(TimeProvider clock, int days)
    {
        var today = Today(clock);
        return today.DayNumber <= days ? DateOnly.MinValue : today.AddDays(-days);
    }
}
