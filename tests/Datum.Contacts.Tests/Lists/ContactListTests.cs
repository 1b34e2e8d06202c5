namespace Datum.Contacts.Tests.Lists;

public sealed class ContactListTests
{
    private static readonly TenantId Tenant = TenantId.Parse("acme");
    private static readonly DateTimeOffset Now = new(2026, 1, 2, 3, 4, 5, TimeSpan.Zero);

    private static ListDetails Details(string name = "Newsletter", ListKind kind = ListKind.Static, string? criteria = null, params ListIntegrationDraft[] integrations)
        => ListDetails.Validate(new ListDraft { Name = name, Kind = kind, Criteria = criteria is null ? null : Criteria.Parse(criteria), Integrations = integrations }, new ContactManagementOptions());

    [Fact]
    public void A_new_list_starts_at_version_1_with_no_members()
    {
        var list = ContactList.Create(Tenant, new ListId(Guid.CreateVersion7()), Details(), Now);

        Assert.Equal(1, list.Version);
        Assert.Equal(0, list.MemberCount);
        Assert.Equal(Now, list.CreatedAt);
        Assert.Equal(Now, list.UpdatedAt);
        Assert.Contains(list.DescribeAll(deleted: false), c => c is { Field: "name", OldValue: null, NewValue: "Newsletter" });
    }

    [Fact]
    public void Updating_moves_the_version_once_per_unit_of_work_and_reports_changes()
    {
        var list = ContactList.Create(Tenant, new ListId(Guid.CreateVersion7()), Details(), Now).Copy(0);

        var first = list.Update(Details("News"), Now.AddMinutes(1));
        var second = list.Update(Details("News letter"), Now.AddMinutes(2));
        var none = list.Update(Details("News letter"), Now.AddMinutes(3));

        Assert.Equal([new FieldChange("name", "Newsletter", "News")], first);
        Assert.Single(second);
        Assert.Empty(none);
        Assert.Equal(2, list.Version);
        Assert.Equal(Now.AddMinutes(2), list.UpdatedAt);
    }

    [Fact]
    public void The_kind_of_a_list_cannot_change()
    {
        var list = ContactList.Create(Tenant, new ListId(Guid.CreateVersion7()), Details(), Now);

        var error = Assert.Throws<ValidationFailedException>(() => list.Update(Details(kind: ListKind.Dynamic, criteria: "status = \"active\""), Now));

        Assert.Equal("kind_fixed", Assert.Single(error.Errors).Code);
    }

    [Fact]
    public void Integrations_that_stay_keep_their_sync_state_and_new_ones_start_never_synced()
    {
        var list = ContactList.Create(Tenant, new ListId(Guid.CreateVersion7()), Details(integrations: new ListIntegrationDraft { System = "crm" }), Now);
        list.SetSyncState("CRM", new SyncStatusUpdate { Status = SyncStatus.Failed, SyncedAt = Now, Message = "timeout" }, Now);

        list.Update(Details(integrations: [new ListIntegrationDraft { System = "crm", Direction = SyncDirection.Pull }, new ListIntegrationDraft { System = "erp" }]), Now);

        var crm = list.Integrations.Single(i => i.System == "crm");
        Assert.Equal((SyncStatus.Failed, Now, "timeout", SyncDirection.Pull), (crm.Status, crm.LastSyncAt!.Value, crm.Message!, crm.Direction));
        Assert.Equal(SyncStatus.NeverSynced, list.Integrations.Single(i => i.System == "erp").Status);
    }

    [Fact]
    public void Sync_state_of_an_unknown_system_or_with_a_bad_status_is_refused()
    {
        var list = ContactList.Create(Tenant, new ListId(Guid.CreateVersion7()), Details(integrations: new ListIntegrationDraft { System = "crm" }), Now);

        Assert.Throws<EntityNotFoundException>(() => list.SetSyncState("erp", new SyncStatusUpdate { Status = SyncStatus.Succeeded }, Now));
        var bad = Assert.Throws<ValidationFailedException>(() => list.SetSyncState("crm", new SyncStatusUpdate { Status = (SyncStatus)99 }, Now));
        Assert.Equal("status", Assert.Single(bad.Errors).Field);
    }

    [Fact]
    public void A_sync_update_without_a_time_keeps_the_last_sync_time()
    {
        var list = ContactList.Create(Tenant, new ListId(Guid.CreateVersion7()), Details(integrations: new ListIntegrationDraft { System = "crm" }), Now);
        list.SetSyncState("crm", new SyncStatusUpdate { Status = SyncStatus.Succeeded, SyncedAt = Now }, Now);

        var changes = list.SetSyncState("crm", new SyncStatusUpdate { Status = SyncStatus.InProgress }, Now.AddHours(1));

        Assert.Equal(Now, list.Integrations[0].LastSyncAt);
        Assert.Equal([new FieldChange("integrations.crm.syncStatus", "Succeeded", "InProgress")], changes);
    }
}
