namespace Datum.Contacts.Tests.Lists;

public sealed class ListDetailsTests
{
    private static readonly ContactManagementOptions Options = new();

    [Fact]
    public void A_static_list_with_every_field_is_validated_and_cleaned()
    {
        var details = ListDetails.Validate(new ListDraft
        {
            Name = "  Newsletter  ",
            Description = "Monthly news\nfor clients",
            CommunicationMethod = new CommunicationMethodDraft { Channel = "EMAIL", Settings = new Dictionary<string, string> { ["fromAddress"] = " news@acme.test " } },
            Integrations = [new ListIntegrationDraft { System = "Salesforce", Direction = SyncDirection.Bidirectional, FieldMapping = new Dictionary<string, string> { ["email"] = "Email" } }],
            Tags = ["news", "NEWS", "clients"],
        }, Options);

        Assert.Equal("Newsletter", details.Name);
        Assert.Equal("Monthly news\nfor clients", details.Description);
        Assert.Equal(ListKind.Static, details.Kind);
        Assert.Null(details.Criteria);
        Assert.Equal(Channel.Email, details.CommunicationMethod!.Channel);
        Assert.Equal("news@acme.test", details.CommunicationMethod.Settings["fromAddress"]);
        var integration = Assert.Single(details.Integrations);
        Assert.Equal("salesforce", integration.System);
        Assert.Equal(SyncDirection.Bidirectional, integration.Direction);
        Assert.Equal(SyncStatus.NeverSynced, integration.Status);
        Assert.Null(integration.LastSyncAt);
        Assert.Equal(["news", "clients"], details.Tags);
    }

    [Fact]
    public void Every_problem_of_a_draft_is_reported_at_once_with_its_field()
    {
        var error = Assert.Throws<ValidationFailedException>(() => ListDetails.Validate(new ListDraft
        {
            Name = " ",
            Description = new string('d', ListDetails.MaxDescriptionLength + 1),
            Kind = ListKind.Dynamic,
            CommunicationMethod = new CommunicationMethodDraft { Channel = "e mail", Settings = new Dictionary<string, string> { ["from"] = "" } },
            Integrations =
            [
                new ListIntegrationDraft { System = "crm" },
                new ListIntegrationDraft { System = "CRM", Direction = (SyncDirection)42 },
            ],
            Tags = [""],
        }, Options));

        Assert.Equal(
            ["name", "description", "criteria", "communicationMethod.channel", "communicationMethod.settings.from", "integrations[1].system", "integrations[1].direction", "tags[0]"],
            error.Errors.Select(e => e.Field));
        Assert.Equal("required", error.Errors.Single(e => e.Field == "criteria").Code);
        Assert.Equal("duplicate_system", error.Errors.Single(e => e.Field == "integrations[1].system").Code);
    }

    [Fact]
    public void A_static_list_refuses_criteria_and_an_unknown_kind_is_refused()
    {
        var withCriteria = Assert.Throws<ValidationFailedException>(() => ListDetails.Validate(new ListDraft { Name = "a", Criteria = Criteria.Parse("status = \"active\"") }, Options));
        var unknownKind = Assert.Throws<ValidationFailedException>(() => ListDetails.Validate(new ListDraft { Name = "a", Kind = (ListKind)7 }, Options));

        Assert.Equal("not_allowed", Assert.Single(withCriteria.Errors).Code);
        Assert.Equal("invalid_kind", Assert.Single(unknownKind.Errors).Code);
    }

    [Fact]
    public void A_name_with_control_characters_or_too_long_is_refused()
    {
        var control = Assert.Throws<ValidationFailedException>(() => ListDetails.Validate(new ListDraft { Name = "news\u0007" }, Options));
        var tooLong = Assert.Throws<ValidationFailedException>(() => ListDetails.Validate(new ListDraft { Name = new string('n', ListDetails.MaxNameLength + 1) }, Options));

        Assert.Equal("invalid_characters", Assert.Single(control.Errors).Code);
        Assert.Equal("too_long", Assert.Single(tooLong.Errors).Code);
    }

    [Fact]
    public void Names_are_compared_by_a_trimmed_case_folded_key()
    {
        Assert.Equal(ContactList.KeyOf("VIP Clients"), ContactList.KeyOf("  vip clients "));
        Assert.Equal(ContactList.KeyOf("STRASSE"), ContactList.KeyOf("strasse"));
        Assert.NotEqual(ContactList.KeyOf("VIP"), ContactList.KeyOf("VIP 2"));
    }
}
