namespace Datum.Contacts.Tests.Lists;

public sealed class ListMembershipTests
{
    private static readonly DateTimeOffset Now = new(2026, 1, 2, 3, 4, 5, TimeSpan.Zero);

    private static ListMembership NewMembership(MembershipStatus status = MembershipStatus.Active)
        => ListMembership.Create(TenantId.Parse("acme"), new ListId(Guid.CreateVersion7()), new ContactId(Guid.CreateVersion7()), status, MembershipSource.Manual, Now);

    [Fact]
    public void A_new_membership_records_its_status_source_and_join_time()
    {
        var membership = NewMembership();

        Assert.Equal((MembershipStatus.Active, MembershipSource.Manual, Now, Now, 1L), (membership.Status, membership.Source, membership.JoinedAt, membership.UpdatedAt, membership.Version));
        Assert.True(membership.IsActive);
        Assert.Empty(membership.ChannelOverrides);
    }

    [Fact]
    public void A_status_change_is_reported_once_and_moves_the_version_once_per_unit_of_work()
    {
        var membership = NewMembership().Copy();

        var first = membership.SetStatus(MembershipStatus.Unsubscribed, Now.AddDays(1));
        var again = membership.SetStatus(MembershipStatus.Unsubscribed, Now.AddDays(2));

        Assert.Equal([new FieldChange("status", "Active", "Unsubscribed")], first);
        Assert.Empty(again);
        Assert.Equal(2, membership.Version);
        Assert.Equal(Now.AddDays(1), membership.UpdatedAt);
        Assert.False(membership.IsActive);
    }

    [Fact]
    public void Notes_and_overrides_are_validated_and_replaced()
    {
        var membership = NewMembership();

        var changes = membership.Update(new MembershipDraft { Notes = " met at the fair ", Channels = new Dictionary<string, bool> { ["SMS"] = false }, Frequency = ContactFrequency.Monthly }, Now);

        Assert.Equal("met at the fair", membership.Notes);
        Assert.False(membership.ChannelOverrides[Channel.Sms]);
        Assert.Equal(ContactFrequency.Monthly, membership.FrequencyOverride);
        Assert.Equal(["channels.sms", "frequency", "notes"], changes.Select(c => c.Field));
    }

    [Fact]
    public void Bad_overrides_are_all_reported_and_change_nothing()
    {
        var membership = NewMembership();

        var error = Assert.Throws<ValidationFailedException>(() => membership.Update(new MembershipDraft { Notes = new string('n', ListMembership.MaxNotesLength + 1), Channels = new Dictionary<string, bool> { ["9lives"] = true }, Frequency = (ContactFrequency)9 }, Now));

        Assert.Equal(["notes", "channels.9lives", "frequency"], error.Errors.Select(e => e.Field));
        Assert.Null(membership.Notes);
        Assert.Equal(1, membership.Version);
    }

    [Fact]
    public void The_last_engagement_time_only_moves_forward()
    {
        var membership = NewMembership();

        membership.RecordEngagement(Now.AddDays(2), Now);
        var older = membership.RecordEngagement(Now.AddDays(1), Now);

        Assert.Empty(older);
        Assert.Equal(Now.AddDays(2), membership.LastEngagementAt);
    }
}
