using Xunit;

namespace Datum.Contacts.Specification.Tests;

/// <summary>Create, read, update and delete of contacts, as every store must behave.</summary>
public abstract class ContactServiceSpecification : ContactManagementSpecification
{
    /// <summary>A created contact can be read back with every field.</summary>
    [Fact]
    public async Task Creating_a_contact_stores_every_field_at_version_1()
    {
        var tenant = NewTenant();
        await CustomFields.DefineAsync(tenant, new CustomFieldDefinition("score", CustomFieldType.Number), Admin);
        var draft = NewDraft() with
        {
            Title = "Countess",
            SocialProfiles = new Dictionary<string, string> { ["LinkedIn"] = "https://www.linkedin.com/in/ada" },
            CustomFields = new Dictionary<string, CustomFieldValue?> { ["score"] = 42.5m },
            Source = ContactSource.Form,
        };

        var created = await Contacts.CreateAsync(tenant, draft, Admin);
        var read = await Contacts.GetAsync(tenant, created.Id);

        Assert.Equal(1, read.Version);
        Assert.Equal(tenant, read.Tenant);
        Assert.Equal("Ada", read.FirstName);
        Assert.Equal("Lovelace", read.LastName);
        Assert.Equal("Countess", read.Title);
        Assert.Equal("Analytical Engines", read.Company);
        Assert.Equal(draft.Email, read.Email!.Value);
        Assert.Equal("+442079460958", read.Phone!.Value);
        Assert.Equal("https://www.linkedin.com/in/ada", read.SocialProfiles["linkedin"]);
        Assert.Equal(ContactType.Prospect, read.Type);
        Assert.Equal(ContactStatus.Active, read.Status);
        Assert.Equal(ContactSource.Form, read.Source);
        Assert.Equal(["vip", "newsletter"], read.Tags);
        Assert.Equal(ContactFrequency.Weekly, read.Preferences.Frequency);
        Assert.Equal("Europe/London", read.Preferences.TimeZone!.Value);
        Assert.Equal(42.5m, read.CustomFields["score"].NumberValue);
        Assert.Equal(created.CreatedAt, read.CreatedAt);
        Assert.Equal(read.CreatedAt, read.UpdatedAt);
        Assert.Null(read.LastEngagementAt);
    }

    /// <summary>Email lookup ignores case and surrounding spaces.</summary>
    [Fact]
    public async Task A_contact_is_found_by_email_whatever_the_case()
    {
        var tenant = NewTenant();
        var created = await Contacts.CreateAsync(tenant, NewDraft() with { Email = "Grace.Hopper@Navy.MIL" }, Admin);

        var found = await Contacts.FindByEmailAsync(tenant, "  grace.hopper@navy.mil ");

        Assert.NotNull(found);
        Assert.Equal(created.Id, found.Id);
        Assert.Null(await Contacts.FindByEmailAsync(tenant, "nobody@navy.mil"));
    }

    /// <summary>Unique email per tenant, compared case-insensitively; the existing holder is named.</summary>
    [Fact]
    public async Task Creating_a_contact_with_a_duplicate_email_fails()
    {
        var tenant = NewTenant();
        var first = await Contacts.CreateAsync(tenant, NewDraft() with { Email = "dup@example.com" }, Admin);

        var error = await Assert.ThrowsAsync<DuplicateEmailException>(() => Contacts.CreateAsync(tenant, NewDraft("Bob") with { Email = "DUP@Example.com" }, Admin));

        Assert.Equal(first.Id, error.ExistingContactId);
        Assert.Equal("duplicate_email", error.Code);
        Assert.DoesNotContain("dup@example.com", error.Message, StringComparison.OrdinalIgnoreCase);
        Assert.Single(await AllContactsAsync(tenant));
    }

    /// <summary>The same address may exist once in each tenant.</summary>
    [Fact]
    public async Task The_same_email_may_exist_in_two_tenants()
    {
        var (a, b) = (NewTenant(), NewTenant());
        await Contacts.CreateAsync(a, NewDraft() with { Email = "shared@example.com" }, Admin);

        var other = await Contacts.CreateAsync(b, NewDraft() with { Email = "shared@example.com" }, Admin);

        Assert.Equal(b, other.Tenant);
    }

    /// <summary>A full update replaces every detail and moves the version on by one.</summary>
    [Fact]
    public async Task A_full_update_replaces_the_details_and_moves_the_version()
    {
        var tenant = NewTenant();
        var created = await Contacts.CreateAsync(tenant, NewDraft(), Admin);
        Clock.Advance(TimeSpan.FromMinutes(5));

        var updated = await Contacts.UpdateAsync(tenant, created.Id, new ContactDraft { FirstName = "Augusta", Email = "augusta@example.com", Status = ContactStatus.Inactive }, 1, Admin);
        var read = await Contacts.GetAsync(tenant, created.Id);

        Assert.Equal(2, updated.Version);
        Assert.Equal(2, read.Version);
        Assert.Equal("Augusta", read.FirstName);
        Assert.Null(read.LastName);
        Assert.Null(read.Phone);
        Assert.Empty(read.Tags);
        Assert.Equal(ContactStatus.Inactive, read.Status);
        Assert.Equal(ContactSource.Manual, read.Source);
        Assert.True(read.UpdatedAt > read.CreatedAt);
        Assert.Equal(created.CreatedAt, read.CreatedAt);
    }

    /// <summary>A patch changes only what it sets; null clears; custom fields and profiles merge.</summary>
    [Fact]
    public async Task A_partial_update_changes_only_the_fields_it_sets()
    {
        var tenant = NewTenant();
        await CustomFields.DefineAsync(tenant, new CustomFieldDefinition("plan", CustomFieldType.Text), Admin);
        await CustomFields.DefineAsync(tenant, new CustomFieldDefinition("trial", CustomFieldType.Boolean), Admin);
        var created = await Contacts.CreateAsync(tenant, NewDraft() with
        {
            CustomFields = new Dictionary<string, CustomFieldValue?> { ["plan"] = "pro", ["trial"] = true },
            SocialProfiles = new Dictionary<string, string> { ["github"] = "ada", ["linkedin"] = "ada-l" },
        }, Admin);

        await Contacts.PatchAsync(tenant, created.Id, new ContactPatch
        {
            Title = "Dr",
            Phone = null,
            CustomFields = new Dictionary<string, CustomFieldValue?> { ["trial"] = null, ["plan"] = "team" },
            SocialProfiles = new Dictionary<string, string?> { ["github"] = null },
        }, created.Version, Admin);
        var read = await Contacts.GetAsync(tenant, created.Id);

        Assert.Equal("Dr", read.Title);
        Assert.Null(read.Phone);
        Assert.Equal("Ada", read.FirstName);
        Assert.Equal(created.Email, read.Email);
        Assert.Equal(["vip", "newsletter"], read.Tags);
        Assert.Equal("team", read.CustomFields["plan"].TextValue);
        Assert.False(read.CustomFields.ContainsKey("trial"));
        Assert.Equal(new Dictionary<string, string> { ["linkedin"] = "ada-l" }, read.SocialProfiles);
        Assert.Equal(2, read.Version);
    }

    /// <summary>An update that changes nothing writes nothing and keeps the version.</summary>
    [Fact]
    public async Task An_update_that_changes_nothing_keeps_the_version_and_writes_no_audit()
    {
        var tenant = NewTenant();
        var created = await Contacts.CreateAsync(tenant, NewDraft(), Admin);

        var same = await Contacts.PatchAsync(tenant, created.Id, new ContactPatch { FirstName = "Ada" }, 1, Admin);

        Assert.Equal(1, same.Version);
        Assert.Equal(1, (await Contacts.GetAsync(tenant, created.Id)).Version);
        Assert.Single(await AllAuditAsync(tenant));
    }

    /// <summary>Moving to an address another contact holds fails and changes nothing.</summary>
    [Fact]
    public async Task Updating_to_an_email_another_contact_holds_fails()
    {
        var tenant = NewTenant();
        var ada = await Contacts.CreateAsync(tenant, NewDraft() with { Email = "ada@example.com" }, Admin);
        var bob = await Contacts.CreateAsync(tenant, NewDraft("Bob") with { Email = "bob@example.com" }, Admin);

        var error = await Assert.ThrowsAsync<DuplicateEmailException>(() => Contacts.PatchAsync(tenant, bob.Id, new ContactPatch { Email = "ADA@example.com" }, null, Admin));

        Assert.Equal(ada.Id, error.ExistingContactId);
        Assert.Equal("bob@example.com", (await Contacts.GetAsync(tenant, bob.Id)).Email!.Value);
    }

    /// <summary>Changing only the case of one's own address is not a duplicate.</summary>
    [Fact]
    public async Task Changing_the_case_of_ones_own_email_is_allowed()
    {
        var tenant = NewTenant();
        var ada = await Contacts.CreateAsync(tenant, NewDraft() with { Email = "ada@example.com" }, Admin);

        var updated = await Contacts.PatchAsync(tenant, ada.Id, new ContactPatch { Email = "Ada@example.com" }, null, Admin);

        Assert.Equal("Ada@example.com", updated.Email!.Value);
    }

    /// <summary>An address freed by one contact can be taken by another.</summary>
    [Fact]
    public async Task An_email_freed_by_a_change_or_a_deletion_can_be_reused()
    {
        var tenant = NewTenant();
        var ada = await Contacts.CreateAsync(tenant, NewDraft() with { Email = "first@example.com" }, Admin);
        await Contacts.PatchAsync(tenant, ada.Id, new ContactPatch { Email = "second@example.com" }, null, Admin);
        var bob = await Contacts.CreateAsync(tenant, NewDraft("Bob") with { Email = "first@example.com" }, Admin);
        await Contacts.DeleteAsync(tenant, bob.Id, null, Admin);

        var carol = await Contacts.CreateAsync(tenant, NewDraft("Carol") with { Email = "first@example.com" }, Admin);

        Assert.Equal(carol.Id, (await Contacts.FindByEmailAsync(tenant, "first@example.com"))!.Id);
    }

    /// <summary>Preferences are replaced whole and validated.</summary>
    [Fact]
    public async Task Setting_preferences_replaces_them()
    {
        var tenant = NewTenant();
        var created = await Contacts.CreateAsync(tenant, NewDraft(), Admin);

        var updated = await Contacts.SetPreferencesAsync(tenant, created.Id, new ContactPreferencesDraft
        {
            Channels = new Dictionary<string, bool> { ["sms"] = false, ["WhatsApp"] = true },
            Frequency = ContactFrequency.Monthly,
            TimeZone = "America/New_York",
        }, 1, Admin);
        var read = await Contacts.GetAsync(tenant, created.Id);

        Assert.Equal(2, updated.Version);
        Assert.False(read.Preferences.IsEnabled(Channel.Sms));
        Assert.True(read.Preferences.IsEnabled(Channel.Email));
        Assert.True(read.Preferences.IsEnabled(Channel.Parse("whatsapp")));
        Assert.Equal(ContactFrequency.Monthly, read.Preferences.Frequency);
        Assert.Equal("America/New_York", read.Preferences.TimeZone!.Value);
    }

    /// <summary>Bad preferences are rejected with every problem and change nothing.</summary>
    [Fact]
    public async Task Setting_invalid_preferences_fails_and_changes_nothing()
    {
        var tenant = NewTenant();
        var created = await Contacts.CreateAsync(tenant, NewDraft(), Admin);

        var error = await Assert.ThrowsAsync<ValidationFailedException>(() => Contacts.SetPreferencesAsync(tenant, created.Id, new ContactPreferencesDraft
        {
            Channels = new Dictionary<string, bool> { ["not a channel!"] = true },
            Frequency = (ContactFrequency)99,
            TimeZone = "Mars/Olympus_Mons",
        }, 1, Admin));

        Assert.Contains(error.Errors, e => e.Field == "preferences.timeZone");
        Assert.Contains(error.Errors, e => e.Field == "preferences.frequency");
        Assert.Contains(error.Errors, e => e.Field.StartsWith("preferences.channels", StringComparison.Ordinal));
        Assert.Equal(1, (await Contacts.GetAsync(tenant, created.Id)).Version);
    }

    /// <summary>A deleted contact is gone; deleting it again is a not-found error.</summary>
    [Fact]
    public async Task A_deleted_contact_is_gone()
    {
        var tenant = NewTenant();
        var created = await Contacts.CreateAsync(tenant, NewDraft(), Admin);

        await Contacts.DeleteAsync(tenant, created.Id, 1, Admin);

        Assert.Null(await Contacts.FindAsync(tenant, created.Id));
        Assert.Null(await Contacts.FindByEmailAsync(tenant, created.Email!.Value));
        await Assert.ThrowsAsync<EntityNotFoundException>(() => Contacts.DeleteAsync(tenant, created.Id, null, Admin));
    }

    /// <summary>Missing contacts are a typed not-found error on every path.</summary>
    [Fact]
    public async Task Missing_contacts_are_reported_as_not_found()
    {
        var tenant = NewTenant();
        var missing = ContactId.New(Clock);

        var error = await Assert.ThrowsAsync<EntityNotFoundException>(() => Contacts.GetAsync(tenant, missing));
        await Assert.ThrowsAsync<EntityNotFoundException>(() => Contacts.UpdateAsync(tenant, missing, NewDraft(), null, Admin));
        await Assert.ThrowsAsync<EntityNotFoundException>(() => Contacts.PatchAsync(tenant, missing, new ContactPatch(), null, Admin));
        await Assert.ThrowsAsync<EntityNotFoundException>(() => Contacts.SetPreferencesAsync(tenant, missing, new ContactPreferencesDraft(), null, Admin));

        Assert.Equal("contact", error.EntityType);
        Assert.Equal(missing.ToString(), error.EntityId);
        Assert.Null(await Contacts.FindAsync(tenant, missing));
    }

    /// <summary>Another tenant's contact reads, updates and deletes as if it did not exist.</summary>
    [Fact]
    public async Task Another_tenants_contact_cannot_be_read_changed_or_deleted()
    {
        var (owner, intruder) = (NewTenant(), NewTenant());
        var created = await Contacts.CreateAsync(owner, NewDraft(), Admin);

        Assert.Null(await Contacts.FindAsync(intruder, created.Id));
        Assert.Null(await Contacts.FindByEmailAsync(intruder, created.Email!.Value));
        await Assert.ThrowsAsync<EntityNotFoundException>(() => Contacts.PatchAsync(intruder, created.Id, new ContactPatch { FirstName = "Eve" }, null, Admin));
        await Assert.ThrowsAsync<EntityNotFoundException>(() => Contacts.DeleteAsync(intruder, created.Id, null, Admin));
        Assert.Empty(await AllContactsAsync(intruder));
        Assert.Empty((await Contacts.GetAuditLogAsync(intruder, created.Id, PageRequest.First)).Items);

        var intact = await Contacts.GetAsync(owner, created.Id);
        Assert.Equal("Ada", intact.FirstName);
        Assert.Equal(1, intact.Version);
    }

    /// <summary>A returned contact is a copy, not the stored one; a host cannot change it anyway (its mutators are internal), so only the services change what is stored.</summary>
    [Fact]
    public async Task A_returned_contact_is_a_copy_not_the_stored_one()
    {
        var tenant = NewTenant();
        var created = await Contacts.CreateAsync(tenant, NewDraft(), Admin);

        var copy = await Contacts.GetAsync(tenant, created.Id);
        var again = await Contacts.GetAsync(tenant, created.Id);

        Assert.NotSame(created, copy);
        Assert.NotSame(copy, again);
        Assert.Equal((created.Id, created.FirstName, created.Version), (again.Id, again.FirstName, again.Version));
    }
}
