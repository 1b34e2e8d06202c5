using Xunit;

namespace Datum.Contacts.Specification.Tests;

/// <summary>
/// Lists themselves: every field, unique names, validation, versions, the audit of every change, deletion with its
/// memberships, integration sync state, criteria previews and tenant isolation.
/// </summary>
public abstract class ListSpecification : ContactManagementSpecification
{
    /// <summary>A list with every field set.</summary>
    protected static ListDraft FullDraft(string name = "Newsletter") => new()
    {
        Name = name,
        Description = "Monthly news\nfor every customer",
        Kind = ListKind.Static,
        CommunicationMethod = new CommunicationMethodDraft
        {
            Channel = "email",
            Settings = new Dictionary<string, string> { ["fromAddress"] = "news@example.com", ["template"] = "monthly-v2" },
        },
        Integrations =
        [
            new ListIntegrationDraft { System = "salesforce", Direction = SyncDirection.Push, FieldMapping = new Dictionary<string, string> { ["email"] = "Email", ["company"] = "Account" } },
            new ListIntegrationDraft { System = "hubspot", Direction = SyncDirection.Bidirectional },
            new ListIntegrationDraft { System = "mailchimp", Direction = SyncDirection.Pull },
        ],
        Tags = ["marketing", "monthly"],
    };

    /// <summary>A created list reads back with every field, no members, never synced, at version 1.</summary>
    [Fact]
    public async Task Creating_a_list_stores_every_field_at_version_1()
    {
        var tenant = NewTenant();
        Clock.AutoAdvanceAmount = TimeSpan.Zero;
        var now = Clock.GetUtcNow();

        var created = await Lists.CreateAsync(tenant, FullDraft(), Admin);
        var read = await Lists.GetAsync(tenant, created.Id);

        Assert.Equal(tenant, read.Tenant);
        Assert.Equal(created.Id, read.Id);
        Assert.Equal("Newsletter", read.Name);
        Assert.Equal("Monthly news\nfor every customer", read.Description);
        Assert.Equal(ListKind.Static, read.Kind);
        Assert.Null(read.Criteria);
        Assert.Equal(Channel.Email, read.CommunicationMethod!.Channel);
        Assert.Equal("news@example.com", read.CommunicationMethod.Settings["fromAddress"]);
        Assert.Equal("monthly-v2", read.CommunicationMethod.Settings["template"]);
        var integrations = read.Integrations.ToDictionary(i => i.System);
        Assert.Equal(["hubspot", "mailchimp", "salesforce"], integrations.Keys.Order(StringComparer.Ordinal));
        Assert.Equal(SyncDirection.Push, integrations["salesforce"].Direction);
        Assert.Equal(SyncDirection.Bidirectional, integrations["hubspot"].Direction);
        Assert.Equal(SyncDirection.Pull, integrations["mailchimp"].Direction);
        Assert.Equal(2, integrations["salesforce"].FieldMapping.Count);
        Assert.Equal("Email", integrations["salesforce"].FieldMapping["email"]);
        Assert.Equal("Account", integrations["salesforce"].FieldMapping["company"]);
        Assert.Empty(integrations["hubspot"].FieldMapping);
        Assert.All(read.Integrations, i => Assert.Equal(SyncStatus.NeverSynced, i.Status));
        Assert.All(read.Integrations, i => Assert.Null(i.LastSyncAt));
        Assert.All(read.Integrations, i => Assert.Null(i.Message));
        Assert.Equal(["marketing", "monthly"], read.Tags);
        Assert.Equal(0, read.MemberCount);
        Assert.Equal(1, read.Version);
        Assert.Equal(now, read.CreatedAt);
        Assert.Equal(now, read.UpdatedAt);
    }

    /// <summary>A list with only a name is a static list with nothing else set.</summary>
    [Fact]
    public async Task A_list_needs_only_a_name()
    {
        var tenant = NewTenant();

        var created = await Lists.CreateAsync(tenant, new ListDraft { Name = "  Plain  " }, Admin);
        var read = await Lists.GetAsync(tenant, created.Id);

        Assert.Equal("Plain", read.Name);
        Assert.Equal(ListKind.Static, read.Kind);
        Assert.Null(read.Description);
        Assert.Null(read.CommunicationMethod);
        Assert.Empty(read.Integrations);
        Assert.Empty(read.Tags);
    }

    /// <summary>Two lists of a tenant cannot share a name, whatever the case; another tenant may use it.</summary>
    [Fact]
    public async Task List_names_are_unique_per_tenant_ignoring_case()
    {
        var (tenant, other) = (NewTenant(), NewTenant());
        var first = await Lists.CreateAsync(tenant, new ListDraft { Name = "Newsletter" }, Admin);
        var second = await Lists.CreateAsync(tenant, new ListDraft { Name = "Promotions" }, Admin);

        var onCreate = await Assert.ThrowsAsync<DuplicateListNameException>(() => Lists.CreateAsync(tenant, new ListDraft { Name = "NEWSLETTER" }, Admin));
        var onRename = await Assert.ThrowsAsync<DuplicateListNameException>(() => Lists.UpdateAsync(tenant, second.Id, new ListDraft { Name = "newsletter" }, null, Admin));
        var elsewhere = await Lists.CreateAsync(other, new ListDraft { Name = "newsletter" }, Admin);

        Assert.Equal("duplicate_list_name", onCreate.Code);
        Assert.Equal(first.Id, onCreate.ExistingListId);
        Assert.Equal(first.Id, onRename.ExistingListId);
        Assert.Equal(2, (await AllListsAsync(tenant)).Count);
        Assert.Equal("Promotions", (await Lists.GetAsync(tenant, second.Id)).Name);
        Assert.Equal(first.Id, (await Lists.FindByNameAsync(tenant, "  newsLETTER "))?.Id);
        Assert.Equal(elsewhere.Id, (await Lists.FindByNameAsync(other, "Newsletter"))?.Id);
        Assert.Null(await Lists.FindByNameAsync(tenant, "Nothing"));
    }

    /// <summary>A list may be renamed to another spelling of its own name.</summary>
    [Fact]
    public async Task A_list_can_change_the_case_of_its_own_name()
    {
        var tenant = NewTenant();
        var list = await Lists.CreateAsync(tenant, new ListDraft { Name = "newsletter" }, Admin);

        var renamed = await Lists.UpdateAsync(tenant, list.Id, new ListDraft { Name = "Newsletter" }, 1, Admin);

        Assert.Equal("Newsletter", renamed.Name);
        Assert.Equal(2, renamed.Version);
    }

    /// <summary>Every problem of an invalid list is reported at once, each with its field, and nothing is stored.</summary>
    [Fact]
    public async Task An_invalid_list_reports_every_problem_and_stores_nothing()
    {
        var tenant = NewTenant();
        var draft = new ListDraft
        {
            Name = " ",
            Kind = ListKind.Static,
            Criteria = Criteria.Parse("status = \"active\""),
            CommunicationMethod = new CommunicationMethodDraft { Channel = "e mail!" },
            Integrations =
            [
                new ListIntegrationDraft { System = "salesforce" },
                new ListIntegrationDraft { System = "Salesforce" },
                new ListIntegrationDraft { System = "9lives", Direction = (SyncDirection)42 },
            ],
        };

        var error = await Assert.ThrowsAsync<ValidationFailedException>(() => Lists.CreateAsync(tenant, draft, Admin));

        var fields = error.Errors.Select(e => e.Field).ToList();
        Assert.Contains("name", fields);
        Assert.Contains("criteria", fields);
        Assert.Contains("communicationMethod.channel", fields);
        Assert.Contains(error.Errors, e => e is { Field: "integrations[1].system", Code: "duplicate_system" });
        Assert.Contains("integrations[2].system", fields);
        Assert.Contains("integrations[2].direction", fields);
        Assert.Empty(await AllListsAsync(tenant));
        Assert.Empty(await AllAuditAsync(tenant));
    }

    /// <summary>A dynamic list without criteria is refused on the field <c>criteria</c>.</summary>
    [Fact]
    public async Task A_dynamic_list_needs_a_criteria()
    {
        var tenant = NewTenant();

        var error = await Assert.ThrowsAsync<ValidationFailedException>(() => Lists.CreateAsync(tenant, new ListDraft { Name = "Dynamic", Kind = ListKind.Dynamic }, Admin));

        Assert.Contains(error.Errors, e => e is { Field: "criteria", Code: "required" });
        Assert.Empty(await AllListsAsync(tenant));
    }

    /// <summary>A dynamic list's criteria is checked against the tenant's fields when saved; an unknown field is located.</summary>
    [Fact]
    public async Task A_criteria_with_an_unknown_field_is_refused_with_its_position()
    {
        var tenant = NewTenant();
        var draft = new ListDraft { Name = "Big feet", Kind = ListKind.Dynamic, Criteria = Criteria.Parse("status = \"active\" and shoeSize > 42") };

        var error = await Assert.ThrowsAsync<InvalidCriteriaException>(() => Lists.CreateAsync(tenant, draft, Admin));

        var problem = Assert.Single(error.Errors);
        Assert.Equal("unknown_field", problem.Code);
        Assert.Equal("shoeSize", problem.Token);
        Assert.Equal(1, problem.Location?.Line);
        Assert.Equal(23, problem.Location?.Column);
        Assert.Empty(await AllListsAsync(tenant));
        Assert.Empty(await AllAuditAsync(tenant));
    }

    /// <summary>A tenant's custom field can be used in a dynamic list once it is declared.</summary>
    [Fact]
    public async Task A_dynamic_list_may_use_the_tenants_custom_fields()
    {
        var tenant = NewTenant();
        var criteria = Criteria.Parse("customFields.score > 10");
        await Assert.ThrowsAsync<InvalidCriteriaException>(() => Lists.CreateAsync(tenant, new ListDraft { Name = "High score", Kind = ListKind.Dynamic, Criteria = criteria }, Admin));
        await CustomFields.DefineAsync(tenant, new CustomFieldDefinition("score", CustomFieldType.Number), Admin);
        var high = await Contacts.CreateAsync(tenant, NewDraft() with { CustomFields = new Dictionary<string, CustomFieldValue?> { ["score"] = 11m } }, Admin);
        await Contacts.CreateAsync(tenant, NewDraft("Low") with { CustomFields = new Dictionary<string, CustomFieldValue?> { ["score"] = 3m } }, Admin);

        var list = await Lists.CreateAsync(tenant, new ListDraft { Name = "High score", Kind = ListKind.Dynamic, Criteria = criteria }, Admin);

        Assert.Equal(criteria, list.Criteria);
        Assert.Equal(1, list.MemberCount);
        Assert.Equal([high.Id], await ActiveMemberIdsAsync(tenant, list.Id));
    }

    /// <summary>A full update replaces the details, moves the version on by one and is audited field by field.</summary>
    [Fact]
    public async Task Updating_a_list_replaces_its_details_and_moves_the_version()
    {
        var tenant = NewTenant();
        var list = await Lists.CreateAsync(tenant, FullDraft(), Admin);
        Clock.Advance(TimeSpan.FromMinutes(5));

        var updated = await Lists.UpdateAsync(tenant, list.Id, FullDraft("Monthly news") with
        {
            Description = null,
            CommunicationMethod = new CommunicationMethodDraft { Channel = "sms", Settings = new Dictionary<string, string> { ["sender"] = "ACME" } },
            Integrations = [new ListIntegrationDraft { System = "salesforce", Direction = SyncDirection.Pull, FieldMapping = new Dictionary<string, string> { ["email"] = "Email" } }],
            Tags = ["monthly"],
        }, 1, Admin);
        var read = await Lists.GetAsync(tenant, list.Id);
        var audit = await AllListAuditAsync(tenant, list.Id);

        Assert.Equal(2, updated.Version);
        Assert.Equal(2, read.Version);
        Assert.Equal("Monthly news", read.Name);
        Assert.Null(read.Description);
        Assert.Equal(Channel.Sms, read.CommunicationMethod!.Channel);
        Assert.Equal("ACME", Assert.Single(read.CommunicationMethod.Settings).Value);
        var integration = Assert.Single(read.Integrations);
        Assert.Equal(SyncDirection.Pull, integration.Direction);
        Assert.Equal(["monthly"], read.Tags);
        Assert.Equal(list.CreatedAt, read.CreatedAt);
        Assert.True(read.UpdatedAt > read.CreatedAt);
        Assert.Equal([AuditActions.ListUpdated, AuditActions.ListCreated], audit.Select(e => e.Action));
        Assert.Contains(new FieldChange("name", "Newsletter", "Monthly news"), audit[0].Changes);
        Assert.Contains(new FieldChange("communicationMethod.channel", "email", "sms"), audit[0].Changes);
        Assert.Contains(new FieldChange("integrations.salesforce.direction", "Push", "Pull"), audit[0].Changes);
        Assert.Contains(audit[0].Changes, c => c.Field == "description" && c.NewValue is null);
        Assert.Contains(audit[0].Changes, c => c.Field.StartsWith("integrations.hubspot", StringComparison.Ordinal) && c.NewValue is null);
    }

    /// <summary>An update that changes nothing writes nothing and keeps the version.</summary>
    [Fact]
    public async Task An_update_that_changes_nothing_keeps_the_version()
    {
        var tenant = NewTenant();
        var list = await Lists.CreateAsync(tenant, FullDraft(), Admin);

        var same = await Lists.UpdateAsync(tenant, list.Id, FullDraft(), 1, Admin);

        Assert.Equal(1, same.Version);
        Assert.Equal(1, (await Lists.GetAsync(tenant, list.Id)).Version);
        Assert.Single(await AllListAuditAsync(tenant, list.Id));
    }

    /// <summary>An update or deletion based on a stale version is refused and changes nothing.</summary>
    [Fact]
    public async Task A_change_based_on_a_stale_version_is_refused()
    {
        var tenant = NewTenant();
        var list = await Lists.CreateAsync(tenant, FullDraft(), Admin);
        await Lists.UpdateAsync(tenant, list.Id, FullDraft() with { Description = "v2" }, 1, Admin);

        var onUpdate = await Assert.ThrowsAsync<ConcurrencyConflictException>(() => Lists.UpdateAsync(tenant, list.Id, FullDraft() with { Description = "stale" }, 1, Admin));
        var onDelete = await Assert.ThrowsAsync<ConcurrencyConflictException>(() => Lists.DeleteAsync(tenant, list.Id, 1, Admin));

        Assert.Equal(2, onUpdate.ActualVersion);
        Assert.Equal(1, onDelete.ExpectedVersion);
        var read = await Lists.GetAsync(tenant, list.Id);
        Assert.Equal("v2", read.Description);
        Assert.Equal(2, read.Version);
    }

    /// <summary>A static list cannot become dynamic, nor a dynamic one static.</summary>
    [Fact]
    public async Task A_list_kind_cannot_change()
    {
        var tenant = NewTenant();
        var fixedStatic = await Lists.CreateAsync(tenant, new ListDraft { Name = "Static" }, Admin);
        var fixedDynamic = await Lists.CreateAsync(tenant, new ListDraft { Name = "Dynamic", Kind = ListKind.Dynamic, Criteria = Criteria.Parse("status = \"active\"") }, Admin);

        var toDynamic = await Assert.ThrowsAsync<ValidationFailedException>(() => Lists.UpdateAsync(tenant, fixedStatic.Id, new ListDraft { Name = "Static", Kind = ListKind.Dynamic, Criteria = Criteria.Parse("status = \"active\"") }, null, Admin));
        var toStatic = await Assert.ThrowsAsync<ValidationFailedException>(() => Lists.UpdateAsync(tenant, fixedDynamic.Id, new ListDraft { Name = "Dynamic" }, null, Admin));

        Assert.Contains(toDynamic.Errors, e => e.Field == "kind");
        Assert.Contains(toStatic.Errors, e => e.Field == "kind");
        Assert.Equal(ListKind.Static, (await Lists.GetAsync(tenant, fixedStatic.Id)).Kind);
        Assert.Equal(ListKind.Dynamic, (await Lists.GetAsync(tenant, fixedDynamic.Id)).Kind);
        Assert.Equal(1, (await Lists.GetAsync(tenant, fixedDynamic.Id)).Version);
    }

    /// <summary>Every change of a list and of its members leaves one audit entry about the list, newest first.</summary>
    [Fact]
    public async Task Every_list_change_is_audited_newest_first()
    {
        var tenant = NewTenant();
        var contact = await Contacts.CreateAsync(tenant, NewDraft(), Admin);
        var list = await Lists.CreateAsync(tenant, FullDraft(), Admin);

        await Lists.UpdateAsync(tenant, list.Id, FullDraft() with { Description = "changed" }, null, Admin);
        await Lists.AddMembersAsync(tenant, list.Id, [contact.Id], MembershipSource.Manual, Admin);
        await Lists.UpdateMembershipAsync(tenant, list.Id, contact.Id, new MembershipDraft { Notes = "met at the fair" }, null, Admin);
        await Lists.UnsubscribeAsync(tenant, list.Id, contact.Id, Actor.System);
        await Lists.ResubscribeAsync(tenant, list.Id, contact.Id, Admin);
        await Lists.RemoveMembersAsync(tenant, list.Id, [contact.Id], Admin);
        await Lists.UpdateSyncStatusAsync(tenant, list.Id, "salesforce", new SyncStatusUpdate { Status = SyncStatus.Succeeded, SyncedAt = Clock.GetUtcNow() }, Actor.Integration("salesforce"));
        await Lists.DeleteAsync(tenant, list.Id, null, Admin);

        var audit = await AllListAuditAsync(tenant, list.Id);

        Assert.Equal(
            [
                AuditActions.ListDeleted, AuditActions.ListSyncStatusChanged, AuditActions.ListMembersRemoved, AuditActions.ListMemberResubscribed,
                AuditActions.ListMemberUnsubscribed, AuditActions.ListMembershipUpdated, AuditActions.ListMembersAdded, AuditActions.ListUpdated, AuditActions.ListCreated,
            ],
            audit.Select(e => e.Action));
        Assert.All(audit, e => Assert.Equal(AuditEntityTypes.List, e.EntityType));
        Assert.All(audit, e => Assert.Equal(list.Id.ToString(), e.EntityId));
        Assert.All(audit, e => Assert.Equal(tenant, e.Tenant));
        Assert.Equal(Actor.System, audit[4].Actor);
        Assert.Equal(Actor.Integration("salesforce"), audit[1].Actor);
        Assert.Contains(new FieldChange("added", null, "1"), audit[6].Changes);
        Assert.Contains(new FieldChange("removed", null, "1"), audit[2].Changes);
        Assert.Contains(new FieldChange("status", "Active", "Unsubscribed"), audit[4].Changes);
        Assert.Contains(new FieldChange("status", "Unsubscribed", "Active"), audit[3].Changes);
        Assert.Contains(new FieldChange("notes", null, "met at the fair"), audit[5].Changes);
        Assert.Contains(new FieldChange("contact", null, contact.Id.ToString()), audit[5].Changes);
        Assert.Contains(new FieldChange("name", "Newsletter", null), audit[0].Changes);
        Assert.Contains(new FieldChange("name", null, "Newsletter"), audit[^1].Changes);
        Assert.Equal(audit.OrderByDescending(e => e.OccurredAt).ThenByDescending(e => e.Id).Select(e => e.Id), audit.Select(e => e.Id));
    }

    /// <summary>A refused list change writes no audit entry.</summary>
    [Fact]
    public async Task A_failed_list_change_writes_no_audit_entry()
    {
        var tenant = NewTenant();
        var list = await Lists.CreateAsync(tenant, FullDraft(), Admin);
        await Lists.CreateAsync(tenant, new ListDraft { Name = "Taken" }, Admin);

        await Assert.ThrowsAsync<ValidationFailedException>(() => Lists.UpdateAsync(tenant, list.Id, FullDraft() with { Name = "" }, null, Admin));
        await Assert.ThrowsAsync<DuplicateListNameException>(() => Lists.UpdateAsync(tenant, list.Id, FullDraft() with { Name = "TAKEN" }, null, Admin));
        await Assert.ThrowsAsync<ConcurrencyConflictException>(() => Lists.DeleteAsync(tenant, list.Id, 7, Admin));
        await Assert.ThrowsAsync<EntityNotFoundException>(() => Lists.AddMembersAsync(tenant, list.Id, [ContactId.New(Clock)], MembershipSource.Manual, Admin));
        await Assert.ThrowsAsync<EntityNotFoundException>(() => Lists.UpdateSyncStatusAsync(tenant, list.Id, "zapier", new SyncStatusUpdate { Status = SyncStatus.Failed }, Admin));

        Assert.Equal([AuditActions.ListCreated], (await AllListAuditAsync(tenant, list.Id)).Select(e => e.Action));
        Assert.Equal(2, (await AllAuditAsync(tenant)).Count);
    }

    /// <summary>One integration's sync state is recorded and read back; the others keep theirs; the change is audited.</summary>
    [Fact]
    public async Task Sync_status_is_read_and_updated_per_integration()
    {
        var tenant = NewTenant();
        var list = await Lists.CreateAsync(tenant, FullDraft(), Admin);
        var syncedAt = new DateTimeOffset(2026, 1, 5, 8, 30, 0, TimeSpan.Zero);
        var integration = Actor.Integration("salesforce");

        var afterFailure = await Lists.UpdateSyncStatusAsync(tenant, list.Id, "salesforce", new SyncStatusUpdate { Status = SyncStatus.Failed, SyncedAt = syncedAt, Message = "401 from the API" }, integration);
        var running = await Lists.UpdateSyncStatusAsync(tenant, list.Id, "SALESFORCE", new SyncStatusUpdate { Status = SyncStatus.InProgress }, integration);
        var status = await Lists.GetSyncStatusAsync(tenant, list.Id);
        var audit = await AllListAuditAsync(tenant, list.Id);

        Assert.Equal(SyncStatus.Failed, afterFailure.Integrations.Single(i => i.System == "salesforce").Status);
        Assert.Equal(SyncStatus.InProgress, running.Integrations.Single(i => i.System == "salesforce").Status);
        var salesforce = status.Single(i => i.System == "salesforce");
        Assert.Equal(SyncStatus.InProgress, salesforce.Status);
        Assert.Equal(syncedAt, salesforce.LastSyncAt);
        Assert.Null(salesforce.Message);
        Assert.All(status.Where(i => i.System != "salesforce"), i => Assert.Equal(SyncStatus.NeverSynced, i.Status));
        Assert.All(status.Where(i => i.System != "salesforce"), i => Assert.Null(i.LastSyncAt));
        Assert.Equal([AuditActions.ListSyncStatusChanged, AuditActions.ListSyncStatusChanged, AuditActions.ListCreated], audit.Select(e => e.Action));
        Assert.Contains(new FieldChange("integrations.salesforce.syncStatus", "NeverSynced", "Failed"), audit[1].Changes);
        Assert.Contains(new FieldChange("integrations.salesforce.syncMessage", null, "401 from the API"), audit[1].Changes);
        Assert.Contains(audit[1].Changes, c => c.Field == "integrations.salesforce.lastSyncAt" && c.OldValue is null && c.NewValue is not null);
        Assert.Contains(new FieldChange("integrations.salesforce.syncStatus", "Failed", "InProgress"), audit[0].Changes);
        Assert.Equal(integration, audit[0].Actor);
    }

    /// <summary>Editing a list keeps the sync state of the integrations it keeps.</summary>
    [Fact]
    public async Task Integrations_keep_their_sync_state_when_the_list_is_edited()
    {
        var tenant = NewTenant();
        var list = await Lists.CreateAsync(tenant, FullDraft(), Admin);
        var syncedAt = new DateTimeOffset(2026, 1, 4, 22, 0, 0, TimeSpan.Zero);
        await Lists.UpdateSyncStatusAsync(tenant, list.Id, "hubspot", new SyncStatusUpdate { Status = SyncStatus.Succeeded, SyncedAt = syncedAt, Message = "42 rows" }, Admin);

        await Lists.UpdateAsync(tenant, list.Id, FullDraft() with { Description = "edited" }, null, Admin);
        var hubspot = (await Lists.GetSyncStatusAsync(tenant, list.Id)).Single(i => i.System == "hubspot");

        Assert.Equal(SyncStatus.Succeeded, hubspot.Status);
        Assert.Equal(syncedAt, hubspot.LastSyncAt);
        Assert.Equal("42 rows", hubspot.Message);
    }

    /// <summary>A system the list does not synchronize with is not found, and nothing changes.</summary>
    [Fact]
    public async Task Updating_the_sync_status_of_an_unknown_system_is_not_found()
    {
        var tenant = NewTenant();
        var list = await Lists.CreateAsync(tenant, FullDraft(), Admin);

        await Assert.ThrowsAsync<EntityNotFoundException>(() => Lists.UpdateSyncStatusAsync(tenant, list.Id, "zapier", new SyncStatusUpdate { Status = SyncStatus.Succeeded }, Admin));
        await Assert.ThrowsAsync<EntityNotFoundException>(() => Lists.UpdateSyncStatusAsync(tenant, ListId.New(Clock), "salesforce", new SyncStatusUpdate { Status = SyncStatus.Succeeded }, Admin));
        await Assert.ThrowsAsync<EntityNotFoundException>(() => Lists.GetSyncStatusAsync(tenant, ListId.New(Clock)));

        Assert.All(await Lists.GetSyncStatusAsync(tenant, list.Id), i => Assert.Equal(SyncStatus.NeverSynced, i.Status));
        Assert.Equal(1, (await Lists.GetAsync(tenant, list.Id)).Version);
    }

    /// <summary>Deleting a list removes every membership, keeps them in the history and is audited with their number.</summary>
    [Fact]
    public async Task Deleting_a_list_removes_its_memberships()
    {
        var tenant = NewTenant();
        var contacts = new List<Contact>();
        for (var i = 0; i < 3; i++)
        {
            contacts.Add(await Contacts.CreateAsync(tenant, NewDraft($"C{i}"), Admin));
        }

        var list = await Lists.CreateAsync(tenant, FullDraft(), Admin);
        var kept = await Lists.CreateAsync(tenant, new ListDraft { Name = "Kept" }, Admin);
        await Lists.AddMembersAsync(tenant, list.Id, [.. contacts.Select(c => c.Id)], MembershipSource.Manual, Admin);
        await Lists.AddMembersAsync(tenant, kept.Id, [contacts[0].Id], MembershipSource.Manual, Admin);
        await Lists.UnsubscribeAsync(tenant, list.Id, contacts[2].Id, Admin);

        await Lists.DeleteAsync(tenant, list.Id, 1, Admin);

        Assert.Null(await Lists.FindAsync(tenant, list.Id));
        await Assert.ThrowsAsync<EntityNotFoundException>(() => Lists.GetAsync(tenant, list.Id));
        await Assert.ThrowsAsync<EntityNotFoundException>(() => Lists.GetMembersAsync(tenant, list.Id, new ListMembersRequest()));
        Assert.Null(await Lists.FindByNameAsync(tenant, "Newsletter"));
        foreach (var contact in contacts)
        {
            Assert.Null(await Lists.FindMembershipAsync(tenant, list.Id, contact.Id));
            Assert.DoesNotContain(await Lists.GetMembershipsAsync(tenant, contact.Id), m => m.ListId == list.Id);
            var last = (await AllHistoryAsync(tenant, contact.Id, list.Id))[0];
            Assert.Equal(MembershipChangeReason.ListDeleted, last.Reason);
            Assert.Null(last.To);
            Assert.NotNull(await Contacts.FindAsync(tenant, contact.Id));
        }

        Assert.Equal(MembershipStatus.Unsubscribed, (await AllHistoryAsync(tenant, contacts[2].Id, list.Id))[0].From);
        Assert.Equal(1, (await Lists.GetAsync(tenant, kept.Id)).MemberCount);
        var deleted = (await AllListAuditAsync(tenant, list.Id))[0];
        Assert.Equal(AuditActions.ListDeleted, deleted.Action);
        Assert.Contains(new FieldChange("memberships", "3", null), deleted.Changes);

        var again = await Lists.CreateAsync(tenant, new ListDraft { Name = "newsletter" }, Admin);
        Assert.Equal(0, again.MemberCount);
        Assert.Empty(await AllMembersAsync(tenant, again.Id));
    }

    /// <summary>Deleting a list that does not exist is not found.</summary>
    [Fact]
    public async Task Deleting_an_unknown_list_is_not_found()
    {
        var tenant = NewTenant();

        var error = await Assert.ThrowsAsync<EntityNotFoundException>(() => Lists.DeleteAsync(tenant, ListId.New(Clock), null, Admin));

        Assert.Equal("not_found", error.Code);
        Assert.Empty(await AllAuditAsync(tenant));
    }

    /// <summary>A tenant's lists page in creation order without gaps or repeats.</summary>
    [Fact]
    public async Task Lists_page_in_creation_order_without_gaps_or_repeats()
    {
        var tenant = NewTenant();
        var created = new List<ListId>();
        for (var i = 0; i < 7; i++)
        {
            created.Add((await Lists.CreateAsync(tenant, new ListDraft { Name = $"List {i}" }, Admin)).Id);
        }

        var pages = new List<Page<ContactList>>();
        string? cursor = null;
        do
        {
            var page = await Lists.PageAsync(tenant, new PageRequest(3, cursor));
            pages.Add(page);
            cursor = page.NextCursor;
        }
        while (cursor is not null);

        Assert.Equal([3, 3, 1], pages.Select(p => p.Items.Count));
        Assert.Equal(created, pages.SelectMany(p => p.Items).Select(l => l.Id));
    }

    /// <summary>A preview counts the matches of an unsaved criteria and returns the first ones, without creating a list.</summary>
    [Fact]
    public async Task A_preview_counts_and_samples_matches_without_creating_a_list()
    {
        var tenant = NewTenant();
        var acme = new List<Contact>();
        for (var i = 0; i < 5; i++)
        {
            acme.Add(await Contacts.CreateAsync(tenant, NewDraft($"Acme{i}") with { Company = "Acme" }, Admin));
            await Contacts.CreateAsync(tenant, NewDraft($"Other{i}") with { Company = "Globex" }, Admin);
        }

        await Lists.CreateAsync(tenant, new ListDraft { Name = "Existing" }, Admin);
        var auditBefore = (await AllAuditAsync(tenant)).Count;

        var preview = await Lists.PreviewAsync(tenant, Criteria.Parse("company = \"ACME\""), 3);
        var countOnly = await Lists.PreviewAsync(tenant, Criteria.Parse("company = \"ACME\""), 0);
        var none = await Lists.PreviewAsync(tenant, Criteria.Parse("company = \"Initech\""), 10);

        Assert.Equal(5, preview.Count);
        Assert.Equal(acme.Take(3).Select(c => c.Id), preview.Sample.Select(c => c.Id));
        Assert.Equal(5, countOnly.Count);
        Assert.Empty(countOnly.Sample);
        Assert.Equal(0, none.Count);
        Assert.Empty(none.Sample);
        Assert.Single(await AllListsAsync(tenant));
        Assert.Equal(auditBefore, (await AllAuditAsync(tenant)).Count);
    }

    /// <summary>A preview checks its criteria like a saved one: unknown fields and lists are refused.</summary>
    [Fact]
    public async Task A_preview_of_an_invalid_criteria_is_refused()
    {
        var tenant = NewTenant();

        var unknownField = await Assert.ThrowsAsync<InvalidCriteriaException>(() => Lists.PreviewAsync(tenant, Criteria.Parse("shoeSize = 42"), 5));
        var unknownList = await Assert.ThrowsAsync<InvalidCriteriaException>(() => Lists.PreviewAsync(tenant, Criteria.Parse("memberOf(\"Nope\") = \"active\""), 5));
        var badSize = await Assert.ThrowsAsync<ValidationFailedException>(() => Lists.PreviewAsync(tenant, Criteria.Parse("status = \"active\""), -1));

        Assert.Contains(unknownField.Errors, e => e.Code == "unknown_field");
        Assert.Contains(unknownList.Errors, e => e.Code == "unknown_list");
        Assert.Contains(badSize.Errors, e => e.Field == "sampleSize");
        Assert.Empty(await AllListsAsync(tenant));
    }

    /// <summary>Nothing of one tenant's lists and memberships can be read or changed from another tenant, even with the right ids.</summary>
    [Fact]
    public async Task Another_tenant_can_neither_see_nor_change_a_list()
    {
        var (owner, intruder) = (NewTenant(), NewTenant());
        var contact = await Contacts.CreateAsync(owner, NewDraft() with { Company = "Acme" }, Admin);
        var list = await Lists.CreateAsync(owner, FullDraft(), Admin);
        var dynamic = await Lists.CreateAsync(owner, new ListDraft { Name = "Acme", Kind = ListKind.Dynamic, Criteria = Criteria.Parse("company = \"Acme\"") }, Admin);
        await Lists.AddMembersAsync(owner, list.Id, [contact.Id], MembershipSource.Manual, Admin);
        var intruderContact = await Contacts.CreateAsync(intruder, NewDraft("Eve") with { Company = "Acme" }, Admin);
        var intruderList = await Lists.CreateAsync(intruder, new ListDraft { Name = "Mine" }, Admin);
        var now = Clock.GetUtcNow();

        Assert.Null(await Lists.FindAsync(intruder, list.Id));
        Assert.Null(await Lists.FindByNameAsync(intruder, "Newsletter"));
        Assert.Equal([intruderList.Id], (await AllListsAsync(intruder)).Select(l => l.Id));
        Assert.Null(await Lists.FindMembershipAsync(intruder, list.Id, contact.Id));
        Assert.Empty(await Lists.GetMembershipsAsync(intruder, contact.Id));
        Assert.Empty((await Lists.GetHistoryAsync(intruder, contact.Id, null, PageRequest.First)).Items);
        Assert.False(await Lists.WasMemberAsync(intruder, list.Id, contact.Id, now));
        Assert.Empty((await Lists.GetAuditLogAsync(intruder, list.Id, PageRequest.First)).Items);
        await Assert.ThrowsAsync<EntityNotFoundException>(() => Lists.GetAsync(intruder, list.Id));
        await Assert.ThrowsAsync<EntityNotFoundException>(() => Lists.GetMembersAsync(intruder, list.Id, new ListMembersRequest()));
        await Assert.ThrowsAsync<EntityNotFoundException>(() => Lists.GetSyncStatusAsync(intruder, list.Id));
        await Assert.ThrowsAsync<EntityNotFoundException>(() => Lists.UpdateAsync(intruder, list.Id, FullDraft("Stolen"), null, Admin));
        await Assert.ThrowsAsync<EntityNotFoundException>(() => Lists.DeleteAsync(intruder, list.Id, null, Admin));
        await Assert.ThrowsAsync<EntityNotFoundException>(() => Lists.AddMembersAsync(intruder, list.Id, [intruderContact.Id], MembershipSource.Manual, Admin));
        await Assert.ThrowsAsync<EntityNotFoundException>(() => Lists.RemoveMembersAsync(intruder, list.Id, [contact.Id], Admin));
        await Assert.ThrowsAsync<EntityNotFoundException>(() => Lists.UnsubscribeAsync(intruder, list.Id, contact.Id, Admin));
        await Assert.ThrowsAsync<EntityNotFoundException>(() => Lists.ResubscribeAsync(intruder, list.Id, contact.Id, Admin));
        await Assert.ThrowsAsync<EntityNotFoundException>(() => Lists.UpdateMembershipAsync(intruder, list.Id, contact.Id, new MembershipDraft { Notes = "x" }, null, Admin));
        await Assert.ThrowsAsync<EntityNotFoundException>(() => Lists.RefreshAsync(intruder, dynamic.Id, Admin));
        await Assert.ThrowsAsync<EntityNotFoundException>(() => Lists.UpdateSyncStatusAsync(intruder, list.Id, "salesforce", new SyncStatusUpdate { Status = SyncStatus.Failed }, Admin));
        await Assert.ThrowsAsync<EntityNotFoundException>(() => Lists.AddMembersAsync(intruder, intruderList.Id, [contact.Id], MembershipSource.Manual, Admin));
        await Assert.ThrowsAsync<EntityNotFoundException>(() => Lists.AddMembersAsync(owner, list.Id, [intruderContact.Id], MembershipSource.Manual, Admin));

        var read = await Lists.GetAsync(owner, list.Id);
        Assert.Equal("Newsletter", read.Name);
        Assert.Equal(1, read.Version);
        Assert.Equal(1, read.MemberCount);
        Assert.Equal([contact.Id], await ActiveMemberIdsAsync(owner, list.Id));
        Assert.Equal([contact.Id], await ActiveMemberIdsAsync(owner, dynamic.Id));
        Assert.Equal(0, (await Lists.GetAsync(intruder, intruderList.Id)).MemberCount);
        Assert.Empty(await Lists.GetMembershipsAsync(intruder, intruderContact.Id));
        Assert.All(await AllAuditAsync(intruder), e => Assert.NotEqual(list.Id.ToString(), e.EntityId));
    }

    /// <summary>The same list names in two tenants are two lists: dynamic lists and memberOf each resolve within their tenant.</summary>
    [Fact]
    public async Task Lists_of_the_same_name_in_two_tenants_stay_apart()
    {
        var (a, b) = (NewTenant(), NewTenant());
        var inA = await Contacts.CreateAsync(a, NewDraft() with { Company = "Acme" }, Admin);
        var inB = await Contacts.CreateAsync(b, NewDraft() with { Company = "Acme" }, Admin);
        var vipA = await Lists.CreateAsync(a, new ListDraft { Name = "VIP" }, Admin);
        var vipB = await Lists.CreateAsync(b, new ListDraft { Name = "VIP" }, Admin);
        var criteria = Criteria.Parse("memberOf(\"VIP\") = \"active\"");
        var followersA = await Lists.CreateAsync(a, new ListDraft { Name = "VIP followers", Kind = ListKind.Dynamic, Criteria = criteria }, Admin);
        var followersB = await Lists.CreateAsync(b, new ListDraft { Name = "VIP followers", Kind = ListKind.Dynamic, Criteria = criteria }, Admin);

        await Lists.AddMembersAsync(a, vipA.Id, [inA.Id], MembershipSource.Manual, Admin);

        Assert.Equal([inA.Id], await ActiveMemberIdsAsync(a, followersA.Id));
        Assert.Empty(await ActiveMemberIdsAsync(b, followersB.Id));
        Assert.Equal(0, (await Lists.GetAsync(b, vipB.Id)).MemberCount);
        Assert.Equal(0, await Contacts.CountAsync(b, criteria));
        Assert.Equal(1, await Contacts.CountAsync(a, criteria));
        Assert.Empty(await Lists.GetMembershipsAsync(b, inB.Id));
    }
}
