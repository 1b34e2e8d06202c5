namespace Datum.Contacts.Tests.Contacts;

public sealed class ContactTests
{
    private static readonly DateTimeOffset Later = TestData.Now.AddHours(1);

    [Fact]
    public void Creating_a_contact_starts_at_version_1_with_the_given_details_and_times()
    {
        var id = ContactId.New(TimeProvider.System);
        var details = TestData.Details(TestData.Draft() with { Tags = ["vip"] });

        var contact = Contact.Create(TestData.Tenant, id, details, ContactSource.Form, TestData.Now);

        Assert.Equal(1, contact.Version);
        Assert.Equal(id, contact.Id);
        Assert.Equal(TestData.Tenant, contact.Tenant);
        Assert.Equal(ContactSource.Form, contact.Source);
        Assert.Equal(TestData.Now, contact.CreatedAt);
        Assert.Equal(TestData.Now, contact.UpdatedAt);
        Assert.Null(contact.LastEngagementAt);
        Assert.Equal("Ada", contact.FirstName);
        Assert.Equal("ada@example.com", contact.Email?.Value);
        Assert.Equal(["vip"], contact.Tags);
        Assert.Equal(ContactStatus.Active, contact.Status);
    }

    [Fact]
    public void Creating_a_contact_rejects_a_default_tenant_an_empty_id_or_an_unknown_source()
    {
        var details = TestData.Details(TestData.Draft());
        var id = ContactId.New(TimeProvider.System);

        Assert.Throws<ArgumentException>(() => Contact.Create(default, id, details, ContactSource.Manual, TestData.Now));
        Assert.Throws<ArgumentException>(() => Contact.Create(TestData.Tenant, default, details, ContactSource.Manual, TestData.Now));
        Assert.Throws<ArgumentOutOfRangeException>(() => Contact.Create(TestData.Tenant, id, details, (ContactSource)99, TestData.Now));
        Assert.Throws<ArgumentNullException>(() => Contact.Create(TestData.Tenant, id, null!, ContactSource.Manual, TestData.Now));
    }

    [Fact]
    public void Updating_a_loaded_contact_with_identical_details_changes_nothing_and_keeps_the_version()
    {
        var contact = TestData.LoadedContact();

        var changes = contact.Update(TestData.Details(TestData.Draft()), Later);

        Assert.Empty(changes);
        Assert.Equal(1, contact.Version);
        Assert.Equal(TestData.Now, contact.UpdatedAt);
    }

    [Fact]
    public void Updating_with_details_that_differ_only_by_cleaning_changes_nothing()
    {
        var contact = TestData.LoadedContact();
        var sameAfterCleaning = TestData.Draft() with { FirstName = "  Ada  ", Email = " ada@EXAMPLE.com " };

        var changes = contact.Update(TestData.Details(sameAfterCleaning), Later);

        Assert.Empty(changes);
        Assert.Equal(1, contact.Version);
    }

    [Fact]
    public void Updating_a_loaded_contact_lists_each_changed_field_from_old_to_new_and_moves_the_version()
    {
        var contact = TestData.LoadedContact();
        var draft = TestData.Draft() with { FirstName = "Augusta", LastName = null, Email = "augusta@example.com", Tags = ["vip"] };

        var changes = contact.Update(TestData.Details(draft), Later);

        Assert.Equal(
            [
                new FieldChange("email", "ada@example.com", "augusta@example.com"),
                new FieldChange("firstName", "Ada", "Augusta"),
                new FieldChange("lastName", "Lovelace", null),
                new FieldChange("tags", null, "[\"vip\"]"),
            ],
            changes);
        Assert.Equal(2, contact.Version);
        Assert.Equal(Later, contact.UpdatedAt);
        Assert.Equal(TestData.Now, contact.CreatedAt);
        Assert.Equal("Augusta", contact.FirstName);
        Assert.Null(contact.LastName);
    }

    [Fact]
    public void Changing_the_case_of_the_email_is_a_visible_change()
    {
        var contact = TestData.LoadedContact();

        var changes = contact.Update(TestData.Details(TestData.Draft() with { Email = "Ada@example.com" }), Later);

        Assert.Equal([new FieldChange("email", "ada@example.com", "Ada@example.com")], changes);
    }

    [Fact]
    public void Several_changes_in_one_unit_of_work_move_the_version_once()
    {
        var contact = TestData.LoadedContact();

        contact.Update(TestData.Details(TestData.Draft() with { FirstName = "Augusta" }), Later);
        contact.Update(TestData.Details(TestData.Draft() with { FirstName = "Ada Augusta" }), Later.AddMinutes(1));
        contact.RecordEngagement(Later, Later.AddMinutes(2));

        Assert.Equal(2, contact.Version);
        Assert.Equal(Later.AddMinutes(2), contact.UpdatedAt);
    }

    [Fact]
    public void Changing_a_contact_in_the_unit_of_work_that_created_it_keeps_version_1()
    {
        var contact = TestData.NewContact();

        var changes = contact.Update(TestData.Details(TestData.Draft() with { FirstName = "Augusta" }), Later);

        Assert.Single(changes);
        Assert.Equal(1, contact.Version);
    }

    [Fact]
    public void Each_new_unit_of_work_moves_the_version_once_more()
    {
        var contact = TestData.LoadedContact();
        contact.Update(TestData.Details(TestData.Draft() with { FirstName = "Augusta" }), Later);

        var reloaded = contact.Copy();
        reloaded.Update(TestData.Details(TestData.Draft() with { FirstName = "Ada" }), Later.AddDays(1));

        Assert.Equal(2, contact.Version);
        Assert.Equal(3, reloaded.Version);
    }

    [Fact]
    public void A_copy_is_independent_of_the_original()
    {
        var original = TestData.LoadedContact();
        var copy = original.Copy();

        copy.Update(TestData.Details(TestData.Draft() with { FirstName = "Augusta" }), Later);

        Assert.Equal("Ada", original.FirstName);
        Assert.Equal(1, original.Version);
        Assert.Equal("Augusta", copy.FirstName);
        Assert.Equal(original.Id, copy.Id);
    }

    [Fact]
    public void The_source_is_kept_by_an_update()
    {
        var contact = TestData.LoadedContact();

        contact.Update(TestData.Details(TestData.Draft() with { FirstName = "Augusta", Source = ContactSource.Integration }), Later);

        Assert.Equal(ContactSource.Manual, contact.Source);
    }

    [Fact]
    public void Recording_a_first_engagement_sets_it()
    {
        var contact = TestData.LoadedContact();
        var at = TestData.Now.AddMinutes(5);

        var changes = contact.RecordEngagement(at, Later);

        Assert.Equal([new FieldChange("lastEngagementAt", null, "2025-03-14T09:31:53.0000000+00:00")], changes);
        Assert.Equal(at, contact.LastEngagementAt);
        Assert.Equal(2, contact.Version);
        Assert.Equal(Later, contact.UpdatedAt);
    }

    [Fact]
    public void Recording_a_later_engagement_moves_it_forward()
    {
        var contact = TestData.NewContact();
        contact.RecordEngagement(TestData.Now.AddMinutes(5), Later);
        var loaded = contact.Copy();

        var changes = loaded.RecordEngagement(TestData.Now.AddMinutes(10), Later.AddMinutes(1));

        Assert.Single(changes);
        Assert.Equal(TestData.Now.AddMinutes(10), loaded.LastEngagementAt);
        Assert.Equal(2, loaded.Version);
    }

    [Theory]
    [InlineData(-1)]
    [InlineData(0)]
    public void Recording_an_earlier_or_equal_engagement_changes_nothing(int minutesAfterLast)
    {
        var contact = TestData.NewContact();
        var last = TestData.Now.AddMinutes(10);
        contact.RecordEngagement(last, Later);
        var loaded = contact.Copy();

        var changes = loaded.RecordEngagement(last.AddMinutes(minutesAfterLast), Later.AddDays(1));

        Assert.Empty(changes);
        Assert.Equal(last, loaded.LastEngagementAt);
        Assert.Equal(1, loaded.Version);
        Assert.Equal(Later, loaded.UpdatedAt);
    }

    [Fact]
    public void An_engagement_at_the_same_instant_in_another_offset_is_not_newer()
    {
        var contact = TestData.NewContact();
        var last = new DateTimeOffset(2025, 3, 14, 12, 0, 0, TimeSpan.Zero);
        contact.RecordEngagement(last, Later);
        var loaded = contact.Copy();

        var changes = loaded.RecordEngagement(last.ToOffset(TimeSpan.FromHours(2)), Later.AddDays(1));

        Assert.Empty(changes);
    }

    [Fact]
    public void Setting_the_same_preferences_changes_nothing_and_different_ones_are_listed()
    {
        var contact = TestData.LoadedContact();
        var errors = new List<FieldError>();
        var weeklyInParis = ContactPreferences.Create(
            new ContactPreferencesDraft { Frequency = ContactFrequency.Weekly, TimeZone = "Europe/Paris", Channels = new Dictionary<string, bool> { ["sms"] = false } },
            errors);

        var none = contact.SetPreferences(ContactPreferences.Default, Later);
        var changes = contact.SetPreferences(weeklyInParis, Later);

        Assert.Empty(errors);
        Assert.Empty(none);
        Assert.Equal(
            [
                new FieldChange("preferences.channels.sms", null, "off"),
                new FieldChange("preferences.frequency", null, "Weekly"),
                new FieldChange("preferences.timeZone", null, "Europe/Paris"),
            ],
            changes);
        Assert.Equal(2, contact.Version);
    }

    [Fact]
    public void Describing_a_created_contact_lists_every_present_field_from_nothing()
    {
        var contact = TestData.NewContact(TestData.Draft() with { Phone = "+14155550123", Type = "prospect" });

        var created = contact.DescribeAll(deleted: false);

        Assert.All(created, c => Assert.Null(c.OldValue));
        Assert.Equal(
            ["email", "firstName", "lastName", "phone", "source", "status", "type"],
            created.Select(c => c.Field));
        Assert.Equal("+14155550123", created.Single(c => c.Field == "phone").NewValue);
    }

    [Fact]
    public void Describing_a_deleted_contact_lists_every_present_field_to_nothing()
    {
        var contact = TestData.NewContact();

        var deleted = contact.DescribeAll(deleted: true);

        Assert.All(deleted, c => Assert.Null(c.NewValue));
        Assert.Contains(new FieldChange("email", "ada@example.com", null), deleted);
    }

    [Fact]
    public void Splitting_one_tag_with_a_comma_into_two_tags_is_a_change()
    {
        var contact = TestData.LoadedContact(TestData.Draft() with { Tags = ["a, b"] });

        var changes = contact.Update(TestData.Details(TestData.Draft() with { Tags = ["a", "b"] }), Later);

        Assert.Equal([new FieldChange("tags", "[\"a, b\"]", "[\"a\",\"b\"]")], changes);
        Assert.Equal(2, contact.Version);
    }

    [Fact]
    public void Tags_are_described_as_readable_json_in_the_audit()
    {
        var contact = TestData.NewContact(TestData.Draft() with { Tags = ["Straße", "<b>\"quoted\"</b>"] });

        var tags = contact.DescribeAll(deleted: false).Single(c => c.Field == "tags");

        Assert.Equal("[\"Straße\",\"<b>\\\"quoted\\\"</b>\"]", tags.NewValue);
    }

    [Fact]
    public void Changing_a_tag_is_listed_as_a_change_of_the_tag_set()
    {
        var contact = TestData.LoadedContact(TestData.Draft() with { Tags = ["vip", "beta"] });

        var changes = contact.Update(TestData.Details(TestData.Draft() with { Tags = ["vip"] }), Later);

        Assert.Equal([new FieldChange("tags", "[\"vip\",\"beta\"]", "[\"vip\"]")], changes);
    }
}
