namespace Datum.Contacts.Tests.Contacts;

public sealed class TimeZoneIdTests
{
    [Theory]
    [InlineData("Europe/Paris")]
    [InlineData("America/New_York")]
    [InlineData("Asia/Kolkata")]
    [InlineData("UTC")]
    public void Parsing_a_known_iana_id_succeeds(string id)
    {
        var zone = TimeZoneId.Parse(id);

        Assert.Equal(id, zone.Value);
        Assert.Equal(id, zone.ToString());
        Assert.True(zone.Zone.HasIanaId);
    }

    [Fact]
    public void Parsing_an_id_with_surrounding_whitespace_trims_it()
    {
        var zone = TimeZoneId.Parse("  Europe/Paris ");

        Assert.Equal("Europe/Paris", zone.Value);
        Assert.Equal(TimeZoneId.Parse("Europe/Paris"), zone);
    }

    [Fact]
    public void A_parsed_zone_converts_times_to_local_time()
    {
        var zone = TimeZoneId.Parse("Europe/Paris");
        var noonUtcInJuly = new DateTimeOffset(2025, 7, 1, 12, 0, 0, TimeSpan.Zero);

        var local = TimeZoneInfo.ConvertTime(noonUtcInJuly, zone.Zone);

        Assert.Equal(TimeSpan.FromHours(2), local.Offset);
    }

    [Theory]
    [InlineData("Mars/Olympus", "'Mars/Olympus' is not")]
    [InlineData("Pacific Standard Time", "IANA time zone id known to this system")]
    [InlineData("W. Europe Standard Time", "IANA time zone id known to this system")]
    [InlineData("Europe/Paris\0", "IANA time zone id such as 'Europe/Paris'")]
    [InlineData("Europe/Paris/Montmartre/And/Some/Very/Long/Suffix/That/Goes/On/Past/The/Limit", "IANA time zone id such as 'Europe/Paris'")]
    [InlineData("", "is required")]
    [InlineData("   ", "is required")]
    [InlineData(null, "is required")]
    public void Parsing_an_unknown_or_non_iana_id_fails(string? id, string reason)
    {
        var parsed = TimeZoneId.TryParse(id, out var zone, out var error);

        Assert.False(parsed);
        Assert.Null(zone);
        Assert.Contains(reason, error, StringComparison.Ordinal);
    }

    [Fact]
    public void Parsing_an_unknown_id_throws_a_validation_error_on_the_time_zone_field()
    {
        var errors = TestData.ErrorsOf(() => TimeZoneId.Parse("Mars/Olympus"));

        var error = Assert.Single(errors);
        Assert.Equal("preferences.timeZone", error.Field);
        Assert.Equal("invalid_time_zone", error.Code);
    }
}
