using Microsoft.Extensions.Time.Testing;

namespace Datum.Contacts.Tests.Contacts;

public sealed class ContactIdTests
{
    [Fact]
    public void New_ids_are_version_7_uuids_ordered_by_time()
    {
        var clock = new FakeTimeProvider(new DateTimeOffset(2025, 1, 1, 0, 0, 0, TimeSpan.Zero));

        var first = ContactId.New(clock);
        clock.Advance(TimeSpan.FromMilliseconds(1));
        var second = ContactId.New(clock);

        Assert.Equal(7, first.Value.Version);
        Assert.True(first < second);
        Assert.True(second >= first);
    }

    [Fact]
    public void An_id_round_trips_through_its_text()
    {
        var id = ContactId.New(TimeProvider.System);

        Assert.Equal(id, ContactId.Parse(id.ToString()));
    }

    [Theory]
    [InlineData(null)]
    [InlineData("")]
    [InlineData("not-a-uuid")]
    [InlineData("00000000-0000-0000-0000-000000000000")]
    public void Parsing_a_malformed_or_empty_id_fails_on_the_id_field(string? text)
    {
        var errors = TestData.ErrorsOf(() => ContactId.Parse(text));

        Assert.Equal(("id", "invalid_id"), (errors[0].Field, errors[0].Code));
    }
}
