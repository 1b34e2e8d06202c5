namespace Datum.Contacts.Tests.Contacts;

public sealed class ContactPatchTests
{
    private static readonly ContactDraft Current = new()
    {
        FirstName = "Ada",
        LastName = "Lovelace",
        Title = "Countess",
        Company = "Analytical Engines",
        Email = "ada@example.com",
        Phone = "+442079460958",
        SocialProfiles = new Dictionary<string, string> { ["github"] = "ada", ["linkedin"] = "in/ada" },
        Type = "client",
        Status = ContactStatus.Active,
        Preferences = new ContactPreferencesDraft { Frequency = ContactFrequency.Monthly },
        Tags = ["vip"],
        CustomFields = new Dictionary<string, CustomFieldValue?> { ["score"] = 10, ["notes"] = "first" },
        Source = ContactSource.Import,
    };

    [Fact]
    public void An_empty_patch_leaves_every_field_unchanged()
    {
        var patched = new ContactPatch().ApplyTo(Current);

        Assert.Equal(Current.FirstName, patched.FirstName);
        Assert.Equal(Current.LastName, patched.LastName);
        Assert.Equal(Current.Title, patched.Title);
        Assert.Equal(Current.Company, patched.Company);
        Assert.Equal(Current.Email, patched.Email);
        Assert.Equal(Current.Phone, patched.Phone);
        Assert.Equal(Current.SocialProfiles, patched.SocialProfiles);
        Assert.Equal(Current.Type, patched.Type);
        Assert.Equal(Current.Status, patched.Status);
        Assert.Same(Current.Preferences, patched.Preferences);
        Assert.Same(Current.Tags, patched.Tags);
        Assert.Equal(Current.CustomFields, patched.CustomFields);
        Assert.Equal(Current.Source, patched.Source);
    }

    [Fact]
    public void A_patch_sets_the_fields_it_gives_and_leaves_the_others()
    {
        var patch = new ContactPatch { FirstName = "Augusta", Status = ContactStatus.Inactive };

        var patched = patch.ApplyTo(Current);

        Assert.Equal("Augusta", patched.FirstName);
        Assert.Equal(ContactStatus.Inactive, patched.Status);
        Assert.Equal("Lovelace", patched.LastName);
        Assert.Equal("ada@example.com", patched.Email);
        Assert.Equal("client", patched.Type);
    }

    [Fact]
    public void A_patch_that_sets_a_field_to_null_clears_it()
    {
        var patch = new ContactPatch { Title = null, Phone = null, Type = null, Tags = null, Preferences = null };

        var patched = patch.ApplyTo(Current);

        Assert.Null(patched.Title);
        Assert.Null(patched.Phone);
        Assert.Null(patched.Type);
        Assert.Null(patched.Tags);
        Assert.Null(patched.Preferences);
        Assert.Equal("Ada", patched.FirstName);
    }

    [Fact]
    public void A_patch_replaces_the_whole_tag_set()
    {
        var patched = new ContactPatch { Tags = new[] { "newsletter", "beta" } }.ApplyTo(Current);

        Assert.Equal(["newsletter", "beta"], patched.Tags!);
    }

    [Fact]
    public void A_patch_merges_social_profiles_by_network_and_removes_those_set_to_null()
    {
        var patch = new ContactPatch
        {
            SocialProfiles = new Dictionary<string, string?> { ["LinkedIn"] = null, ["GITHUB"] = "lovelace", ["mastodon"] = "@ada" },
        };

        var patched = patch.ApplyTo(Current);

        Assert.Equal(2, patched.SocialProfiles!.Count);
        Assert.Equal("lovelace", patched.SocialProfiles["github"]);
        Assert.Equal("@ada", patched.SocialProfiles["mastodon"]);
        Assert.False(patched.SocialProfiles.ContainsKey("linkedin"));
    }

    [Fact]
    public void A_patch_merges_custom_fields_by_name_and_keeps_null_to_clear_them()
    {
        var patch = new ContactPatch
        {
            CustomFields = new Dictionary<string, CustomFieldValue?> { ["SCORE"] = 11, ["notes"] = null, ["vip"] = true },
        };

        var patched = patch.ApplyTo(Current);

        Assert.Equal(3, patched.CustomFields!.Count);
        Assert.Equal(CustomFieldValue.FromNumber(11), patched.CustomFields["score"]);
        Assert.Null(patched.CustomFields["notes"]);
        Assert.Equal(CustomFieldValue.FromBoolean(true), patched.CustomFields["vip"]);
    }

    [Fact]
    public void A_patch_never_changes_the_source()
    {
        var patched = new ContactPatch { FirstName = "Augusta" }.ApplyTo(Current);

        Assert.Equal(ContactSource.Import, patched.Source);
    }

    [Fact]
    public void A_patch_applied_to_a_loaded_contact_changes_only_the_patched_fields()
    {
        var schema = new CustomFieldSchema([new CustomFieldDefinition("score", CustomFieldType.Number), new CustomFieldDefinition("notes", CustomFieldType.Text)]);
        var contact = TestData.LoadedContact(Current, schema);
        var patch = new ContactPatch { Company = null, CustomFields = new Dictionary<string, CustomFieldValue?> { ["notes"] = null } };

        var draft = patch.ApplyTo(ContactDetails.ToDraft(contact));
        var changes = contact.Update(TestData.Details(draft, schema), TestData.Now.AddMinutes(1));

        Assert.Equal(
            [
                new FieldChange("company", "Analytical Engines", null),
                new FieldChange("customFields.notes", "first", null),
            ],
            changes);
        Assert.Equal("Ada", contact.FirstName);
        Assert.Equal(CustomFieldValue.FromNumber(10), contact.CustomFields["score"]);
        Assert.Equal(ContactSource.Manual, contact.Source);
    }
}
