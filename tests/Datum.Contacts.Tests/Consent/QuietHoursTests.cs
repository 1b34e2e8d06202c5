namespace Datum.Contacts.Tests.ConsentManagement;

public sealed class QuietHoursTests
{
    private static TimeOnly At(string text) => TimeOnly.Parse(text, System.Globalization.CultureInfo.InvariantCulture);

    [Theory]
    [InlineData("12:00", true)]
    [InlineData("13:00", true)]
    [InlineData("13:59:59.9999999", true)]
    [InlineData("14:00", false)]
    [InlineData("11:59:59.9999999", false)]
    [InlineData("00:00", false)]
    public void A_daytime_window_includes_its_start_and_excludes_its_end(string time, bool expected)
    {
        var quiet = QuietHours.Create(new TimeOnly(12, 0), new TimeOnly(14, 0));

        Assert.Equal(expected, quiet.Contains(At(time)));
    }

    [Theory]
    [InlineData("21:00", true)]
    [InlineData("23:59:59.9999999", true)]
    [InlineData("00:00", true)]
    [InlineData("07:59", true)]
    [InlineData("08:00", false)]
    [InlineData("12:00", false)]
    [InlineData("20:59:59.9999999", false)]
    public void A_window_ending_before_it_starts_spans_midnight(string time, bool expected)
    {
        var quiet = QuietHours.Create(new TimeOnly(21, 0), new TimeOnly(8, 0));

        Assert.Equal(expected, quiet.Contains(At(time)));
    }

    [Fact]
    public void A_window_from_midnight_covers_the_early_hours_only()
    {
        var quiet = QuietHours.Create(TimeOnly.MinValue, new TimeOnly(6, 0));

        Assert.True(quiet.Contains(TimeOnly.MinValue));
        Assert.False(quiet.Contains(new TimeOnly(6, 0)));
        Assert.False(quiet.Contains(TimeOnly.MaxValue));
    }

    [Fact]
    public void A_window_with_equal_ends_is_refused()
    {
        var error = Assert.Single(TestData.ErrorsOf(() => QuietHours.Create(new TimeOnly(9, 0), new TimeOnly(9, 0))));

        Assert.Equal(("quietHours", "empty_quiet_hours"), (error.Field, error.Code));
    }

    [Fact]
    public void A_window_prints_as_its_two_ends_and_equals_another_with_the_same_ends()
    {
        var quiet = QuietHours.Create(new TimeOnly(21, 5), new TimeOnly(8, 0));

        Assert.Equal("21:05-08:00", quiet.ToString());
        Assert.Equal(QuietHours.Create(new TimeOnly(21, 5), new TimeOnly(8, 0)), quiet);
    }

    private static (QuietHours? Quiet, List<FieldError> Errors) Preferences(string? start, string? end)
    {
        var errors = new List<FieldError>();
        var preferences = ContactPreferences.Create(new ContactPreferencesDraft { QuietHoursStart = start, QuietHoursEnd = end }, errors);
        return (preferences.QuietHours, errors);
    }

    [Theory]
    [InlineData("21:00", "08:00", "21:00-08:00")]
    [InlineData(" 7:30 ", "9:05", "07:30-09:05")]
    [InlineData("00:00", "23:59", "00:00-23:59")]
    public void Preferences_read_quiet_hours_as_local_hh_mm(string start, string end, string expected)
    {
        var (quiet, errors) = Preferences(start, end);

        Assert.Empty(errors);
        Assert.Equal(expected, quiet?.ToString());
    }

    [Fact]
    public void Preferences_without_either_end_have_no_quiet_hours()
    {
        var (quiet, errors) = Preferences(null, null);

        Assert.Empty(errors);
        Assert.Null(quiet);
    }

    [Theory]
    [InlineData("21:00", null, "preferences.quietHoursEnd")]
    [InlineData(null, "08:00", "preferences.quietHoursStart")]
    public void Preferences_with_one_end_only_report_the_missing_one(string? start, string? end, string field)
    {
        var (quiet, errors) = Preferences(start, end);

        var error = Assert.Single(errors);
        Assert.Equal((field, "invalid_time"), (error.Field, error.Code));
        Assert.Contains("set both ends or neither", error.Message, StringComparison.Ordinal);
        Assert.Null(quiet);
    }

    [Theory]
    [InlineData("24:00")]
    [InlineData("21")]
    [InlineData("9pm")]
    [InlineData("21:00:00")]
    [InlineData("21:60")]
    [InlineData("")]
    [InlineData("21.00")]
    public void Preferences_report_an_end_that_is_not_hh_mm(string text)
    {
        var (_, startErrors) = Preferences(text, "08:00");
        var (_, endErrors) = Preferences("21:00", text);

        Assert.Equal(["preferences.quietHoursStart"], startErrors.Select(e => e.Field));
        Assert.Equal(["preferences.quietHoursEnd"], endErrors.Select(e => e.Field));
    }

    [Fact]
    public void Preferences_report_both_bad_ends_at_once()
    {
        var (_, errors) = Preferences("late", "early");

        Assert.Equal(["preferences.quietHoursStart", "preferences.quietHoursEnd"], errors.Select(e => e.Field));
    }

    [Fact]
    public void Preferences_with_equal_ends_are_refused()
    {
        var (quiet, errors) = Preferences("09:00", "9:00");

        var error = Assert.Single(errors);
        Assert.Equal(("preferences.quietHours", "empty_quiet_hours"), (error.Field, error.Code));
        Assert.Null(quiet);
    }

    [Fact]
    public void A_contact_draft_with_bad_quiet_hours_fails_validation_on_those_fields()
    {
        var draft = TestData.Draft() with { Preferences = new ContactPreferencesDraft { QuietHoursStart = "25:00" } };

        var errors = TestData.ValidationErrors(draft);

        Assert.Equal(["preferences.quietHoursStart", "preferences.quietHoursEnd"], errors.Select(e => e.Field));
    }

    [Fact]
    public void Quiet_hours_survive_a_round_trip_through_the_preferences_draft()
    {
        var errors = new List<FieldError>();
        var preferences = ContactPreferences.Create(new ContactPreferencesDraft { QuietHoursStart = "22:15", QuietHoursEnd = "06:45" }, errors);

        var again = ContactPreferences.Create(preferences.ToDraft(), errors);

        Assert.Empty(errors);
        Assert.Equal(preferences.QuietHours, again.QuietHours);
    }
}
