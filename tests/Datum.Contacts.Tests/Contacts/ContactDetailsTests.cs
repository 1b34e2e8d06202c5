namespace Datum.Contacts.Tests.Contacts;

public sealed class ContactDetailsTests
{
    private static readonly CustomFieldSchema Schema = new(
    [
        new CustomFieldDefinition("loyaltyScore", CustomFieldType.Number),
        new CustomFieldDefinition("birthday", CustomFieldType.Date),
        new CustomFieldDefinition("vip", CustomFieldType.Boolean),
        new CustomFieldDefinition("notes", CustomFieldType.Text),
    ]);

    [Fact]
    public void Validating_a_complete_draft_cleans_and_parses_every_field()
    {
        var draft = new ContactDraft
        {
            FirstName = "  Ada ",
            LastName = "Lovelace",
            Title = "Countess",
            Company = "Analytical Engines Ltd",
            Email = " Ada@Example.COM ",
            Phone = "+44 20 7946 0958",
            SocialProfiles = new Dictionary<string, string> { ["GitHub"] = " ada " },
            Type = "Client",
            Status = ContactStatus.Inactive,
            Preferences = new ContactPreferencesDraft
            {
                Channels = new Dictionary<string, bool> { ["SMS"] = false },
                Frequency = ContactFrequency.Weekly,
                TimeZone = "Europe/London",
            },
            Tags = ["vip"],
            CustomFields = new Dictionary<string, CustomFieldValue?> { ["LOYALTYSCORE"] = 42, ["vip"] = true },
        };

        var details = TestData.Details(draft, Schema);

        Assert.Equal("Ada", details.FirstName);
        Assert.Equal("Lovelace", details.LastName);
        Assert.Equal("Countess", details.Title);
        Assert.Equal("Analytical Engines Ltd", details.Company);
        Assert.Equal("ada@example.com", details.Email?.Normalized);
        Assert.Equal("+442079460958", details.Phone?.Value);
        Assert.Equal("ada", details.SocialProfiles["github"]);
        Assert.Equal(ContactType.Client, details.Type);
        Assert.Equal(ContactStatus.Inactive, details.Status);
        Assert.False(details.Preferences.IsEnabled(Channel.Sms));
        Assert.True(details.Preferences.IsEnabled(Channel.Email));
        Assert.Equal(ContactFrequency.Weekly, details.Preferences.Frequency);
        Assert.Equal("Europe/London", details.Preferences.TimeZone?.Value);
        Assert.Equal(["vip"], details.Tags);
        Assert.Equal(CustomFieldValue.FromNumber(42), details.CustomFields["loyaltyScore"]);
        Assert.Equal(CustomFieldValue.FromBoolean(true), details.CustomFields["vip"]);
    }

    [Fact]
    public void Blank_optional_text_fields_become_null()
    {
        var details = TestData.Details(TestData.Draft() with { FirstName = "   ", Title = "", Company = null });

        Assert.Null(details.FirstName);
        Assert.Null(details.Title);
        Assert.Null(details.Company);
    }

    [Fact]
    public void A_contact_with_only_a_phone_number_is_valid()
    {
        var details = TestData.Details(new ContactDraft { Phone = "+14155550123" });

        Assert.Null(details.Email);
        Assert.Equal("+14155550123", details.Phone?.Value);
    }

    [Fact]
    public void A_contact_without_email_or_phone_is_rejected()
    {
        var errors = TestData.ValidationErrors(new ContactDraft { FirstName = "Ada", Email = "  ", Phone = null });

        var error = Assert.Single(errors);
        Assert.Equal("email", error.Field);
        Assert.Equal("required", error.Code);
        Assert.Contains("phone", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void An_invalid_email_is_reported_on_the_email_field()
    {
        var errors = TestData.ValidationErrors(TestData.Draft() with { Email = "ada@localhost" });

        var error = Assert.Single(errors);
        Assert.Equal(("email", "invalid_email"), (error.Field, error.Code));
        Assert.Contains("at least two labels", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void An_invalid_phone_is_reported_on_the_phone_field_even_when_an_email_is_given()
    {
        var errors = TestData.ValidationErrors(TestData.Draft() with { Phone = "555-0123" });

        var error = Assert.Single(errors);
        Assert.Equal(("phone", "invalid_phone"), (error.Field, error.Code));
    }

    [Fact]
    public void A_10_megabyte_first_name_is_rejected_as_too_long()
    {
        var draft = TestData.Draft() with { FirstName = new string('a', 10 * 1024 * 1024) };

        var errors = TestData.ValidationErrors(draft);

        var error = Assert.Single(errors);
        Assert.Equal("firstName", error.Field);
        Assert.Equal("too_long", error.Code);
        Assert.Equal("firstName must be at most 200 characters long.", error.Message);
    }

    [Fact]
    public void A_name_at_the_configured_limit_is_accepted_and_one_more_character_is_not()
    {
        var options = new ContactManagementOptions { MaxNameLength = 5 };

        var accepted = TestData.Details(TestData.Draft() with { LastName = "abcde" }, options: options);
        var errors = TestData.ValidationErrors(TestData.Draft() with { FirstName = null, LastName = "abcdef" }, options: options);

        Assert.Equal("abcde", accepted.LastName);
        Assert.Equal(("lastName", "too_long"), (errors[0].Field, errors[0].Code));
    }

    [Fact]
    public void The_name_limit_applies_after_trimming()
    {
        var options = new ContactManagementOptions { MaxNameLength = 5 };

        var details = TestData.Details(TestData.Draft() with { FirstName = "   abcde   ", LastName = null }, options: options);

        Assert.Equal("abcde", details.FirstName);
    }

    [Theory]
    [InlineData("Ada\0", "null character at position 4")]
    [InlineData("Ada\nLovelace", "control character U+000A")]
    [InlineData("Ada\u0007", "control character U+0007")]
    [InlineData("Ada\u2029Lovelace", "line separator")]
    public void A_name_with_a_forbidden_character_is_rejected(string firstName, string reason)
    {
        var errors = TestData.ValidationErrors(TestData.Draft() with { FirstName = firstName });

        var error = Assert.Single(errors);
        Assert.Equal("firstName", error.Field);
        Assert.Equal("invalid_characters", error.Code);
        Assert.Contains(reason, error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void A_name_with_an_unpaired_surrogate_is_rejected()
    {
        var errors = TestData.ValidationErrors(TestData.Draft() with { Company = "Acme" + '\uDC00' });

        Assert.Equal(("company", "invalid_characters"), (errors[0].Field, errors[0].Code));
    }

    [Fact]
    public void A_name_with_an_emoji_is_accepted()
    {
        var details = TestData.Details(TestData.Draft() with { FirstName = "Ada 🚀" });

        Assert.Equal("Ada 🚀", details.FirstName);
    }

    [Fact]
    public void A_decomposed_name_is_stored_composed()
    {
        var details = TestData.Details(TestData.Draft() with { FirstName = "Ame\u0301lie" });

        Assert.Equal("Am\u00E9lie", details.FirstName);
    }

    [Fact]
    public void An_unknown_custom_field_is_reported_by_name()
    {
        var draft = TestData.Draft() with { CustomFields = new Dictionary<string, CustomFieldValue?> { ["shoeSize"] = 42 } };

        var errors = TestData.ValidationErrors(draft, Schema);

        var error = Assert.Single(errors);
        Assert.Equal("customFields.shoeSize", error.Field);
        Assert.Equal("unknown_field", error.Code);
    }

    [Fact]
    public void A_custom_field_of_the_wrong_type_is_reported_with_both_types()
    {
        var draft = TestData.Draft() with { CustomFields = new Dictionary<string, CustomFieldValue?> { ["loyaltyScore"] = "high" } };

        var errors = TestData.ValidationErrors(draft, Schema);

        var error = Assert.Single(errors);
        Assert.Equal("customFields.loyaltyScore", error.Field);
        Assert.Equal("wrong_type", error.Code);
        Assert.Equal("customFields.loyaltyScore expects a number value, not a text.", error.Message);
    }

    [Fact]
    public void A_custom_field_given_in_another_case_is_stored_under_its_declared_name()
    {
        var draft = TestData.Draft() with { CustomFields = new Dictionary<string, CustomFieldValue?> { ["BIRTHDAY"] = new DateOnly(1815, 12, 10) } };

        var details = TestData.Details(draft, Schema);

        var (name, value) = Assert.Single(details.CustomFields);
        Assert.Equal("birthday", name);
        Assert.Equal(new DateOnly(1815, 12, 10), value.DateValue);
    }

    [Fact]
    public void A_custom_field_given_twice_in_different_cases_is_reported_as_a_duplicate()
    {
        var draft = TestData.Draft() with { CustomFields = new Dictionary<string, CustomFieldValue?> { ["vip"] = true, ["VIP"] = false } };

        var errors = TestData.ValidationErrors(draft, Schema);

        Assert.Equal(("customFields.vip", "duplicate"), (errors[0].Field, errors[0].Code));
    }

    [Fact]
    public void A_null_custom_field_value_leaves_the_field_unset()
    {
        var draft = TestData.Draft() with { CustomFields = new Dictionary<string, CustomFieldValue?> { ["vip"] = null } };

        var details = TestData.Details(draft, Schema);

        Assert.Empty(details.CustomFields);
    }

    [Fact]
    public void A_text_custom_field_is_cleaned_like_multiline_text()
    {
        var options = new ContactManagementOptions { MaxCustomFieldTextLength = 20 };
        var ok = TestData.Draft() with { CustomFields = new Dictionary<string, CustomFieldValue?> { ["notes"] = "  line one\nline two  " } };
        var tooLong = TestData.Draft() with { CustomFields = new Dictionary<string, CustomFieldValue?> { ["notes"] = new string('n', 21) } };

        var details = TestData.Details(ok, Schema, options);
        var errors = TestData.ValidationErrors(tooLong, Schema, options);

        Assert.Equal("line one\nline two", details.CustomFields["notes"].TextValue);
        Assert.Equal(("customFields.notes", "too_long"), (errors[0].Field, errors[0].Code));
    }

    [Fact]
    public void A_very_long_unknown_custom_field_name_is_shortened_in_the_error()
    {
        var name = new string('z', 10_000);
        var draft = TestData.Draft() with { CustomFields = new Dictionary<string, CustomFieldValue?> { [name] = 1 } };

        var errors = TestData.ValidationErrors(draft, Schema);

        Assert.Equal("customFields." + new string('z', 64) + "…", errors[0].Field);
    }

    [Fact]
    public void A_draft_with_many_bad_fields_reports_every_error_at_once()
    {
        var draft = new ContactDraft
        {
            FirstName = "Ada\0",
            LastName = new string('x', 5_000),
            Email = "not-an-email",
            Phone = "12345",
            Type = "key account",
            Status = (ContactStatus)42,
            SocialProfiles = new Dictionary<string, string> { ["Git Hub"] = "ada" },
            Preferences = new ContactPreferencesDraft
            {
                Channels = new Dictionary<string, bool> { ["e mail"] = true },
                Frequency = (ContactFrequency)9,
                TimeZone = "Mars/Olympus",
            },
            Tags = ["ok", " "],
            CustomFields = new Dictionary<string, CustomFieldValue?> { ["shoeSize"] = 42, ["vip"] = "yes" },
        };

        var exception = Assert.Throws<ValidationFailedException>(() => TestData.Details(draft, Schema));

        var reported = exception.Errors.Select(e => (e.Field, e.Code)).ToList();
        Assert.Equal(
            [
                ("firstName", "invalid_characters"),
                ("lastName", "too_long"),
                ("email", "invalid_email"),
                ("phone", "invalid_phone"),
                ("type", "invalid_type"),
                ("status", "invalid_status"),
                ("socialProfiles", "invalid_network"),
                ("preferences.channels.e mail", "invalid_channel"),
                ("preferences.frequency", "invalid_frequency"),
                ("preferences.timeZone", "invalid_time_zone"),
                ("tags[1]", "required"),
                ("customFields.shoeSize", "unknown_field"),
                ("customFields.vip", "wrong_type"),
            ],
            reported);
        Assert.Equal("validation_failed", exception.Code);
        Assert.StartsWith("Validation failed with 13 errors: firstName:", exception.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void An_undefined_source_is_rejected()
    {
        var errors = TestData.ValidationErrors(TestData.Draft() with { Source = (ContactSource)0 });

        Assert.Equal(("source", "invalid_source"), (errors[0].Field, errors[0].Code));
    }

    [Fact]
    public void Social_profile_networks_are_normalized_to_slugs()
    {
        var draft = TestData.Draft() with { SocialProfiles = new Dictionary<string, string> { ["LinkedIn"] = "in/ada", [" GitHub "] = "ada" } };

        var details = TestData.Details(draft);

        Assert.Equal("in/ada", details.SocialProfiles["linkedin"]);
        Assert.Equal("ada", details.SocialProfiles["github"]);
    }

    [Fact]
    public void The_same_network_given_twice_in_different_cases_is_a_duplicate()
    {
        var draft = TestData.Draft() with { SocialProfiles = new Dictionary<string, string> { ["github"] = "ada", ["GitHub"] = "lovelace" } };

        var errors = TestData.ValidationErrors(draft);

        Assert.Equal(("socialProfiles.github", "duplicate"), (errors[0].Field, errors[0].Code));
    }

    [Fact]
    public void More_social_profiles_than_allowed_is_an_error()
    {
        var options = new ContactManagementOptions { MaxSocialProfiles = 1 };
        var draft = TestData.Draft() with { SocialProfiles = new Dictionary<string, string> { ["github"] = "ada", ["linkedin"] = "ada" } };

        var errors = TestData.ValidationErrors(draft, options: options);

        Assert.Equal(("socialProfiles", "too_many"), (errors[0].Field, errors[0].Code));
    }

    [Fact]
    public void A_social_profile_longer_than_allowed_is_reported_on_its_network()
    {
        var options = new ContactManagementOptions { MaxSocialProfileLength = 8 };
        var draft = TestData.Draft() with { SocialProfiles = new Dictionary<string, string> { ["GitHub"] = "ada-lovelace" } };

        var errors = TestData.ValidationErrors(draft, options: options);

        Assert.Equal(("socialProfiles.github", "too_long"), (errors[0].Field, errors[0].Code));
    }

    [Fact]
    public void Validating_requires_a_draft_a_schema_and_options()
    {
        Assert.Throws<ArgumentNullException>(() => ContactDetails.Validate(null!, CustomFieldSchema.Empty, new ContactManagementOptions()));
        Assert.Throws<ArgumentNullException>(() => ContactDetails.Validate(TestData.Draft(), null!, new ContactManagementOptions()));
        Assert.Throws<ArgumentNullException>(() => ContactDetails.Validate(TestData.Draft(), CustomFieldSchema.Empty, null!));
    }

    [Theory]
    [InlineData("Ada\u202Egnirts")]
    [InlineData("Ada\u2066x\u2069")]
    public void A_name_with_a_bidirectional_override_is_rejected(string firstName)
    {
        var error = Assert.Throws<ValidationFailedException>(() => ContactDetails.Validate(
            new ContactDraft { FirstName = firstName, Email = "ada@example.com" }, CustomFieldSchema.Empty, new ContactManagementOptions()));

        var fieldError = Assert.Single(error.Errors);
        Assert.Equal("firstName", fieldError.Field);
        Assert.Equal("invalid_characters", fieldError.Code);
    }
}
