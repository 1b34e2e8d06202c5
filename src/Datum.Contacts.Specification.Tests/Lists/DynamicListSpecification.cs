using Microsoft.Extensions.DependencyInjection;
using Xunit;

namespace Datum.Contacts.Specification.Tests;

/// <summary>
/// Dynamic lists: created full, refreshed with counts, kept current by every contact change in the same call,
/// closed to manual membership changes, respecting unsubscribes, and criteria that refer to other lists with
/// <c>memberOf("...")</c> (unknown names, cycles, lists in use, chains), in lists and in contact search.
/// </summary>
public abstract class DynamicListSpecification : ContactManagementSpecification
{
    private static readonly Criteria AtAcme = Criteria.Parse("company = \"Acme\"");

    private Task<ContactList> CreateDynamicAsync(TenantId tenant, string name, string criteria)
        => Lists.CreateAsync(tenant, new ListDraft { Name = name, Kind = ListKind.Dynamic, Criteria = Criteria.Parse(criteria) }, Admin);

    private Task<Contact> CreateContactAsync(TenantId tenant, string name, string? company, params string[] tags)
        => Contacts.CreateAsync(tenant, NewDraft(name) with { Company = company, Tags = tags }, Admin);

    /// <summary>Each list's active members as counted by paging through them, and as its member count says (which must agree).</summary>
    private async Task<string> CountsAsync(TenantId tenant, params ContactList[] lists)
    {
        var parts = new List<string>();
        foreach (var list in lists)
        {
            var active = (await ActiveMemberIdsAsync(tenant, list.Id)).Count;
            Assert.Equal(active, (await Lists.GetAsync(tenant, list.Id)).MemberCount);
            parts.Add($"{list.Name}:{active}");
        }

        return string.Join(" ", parts);
    }

    private static List<ContactId> Ids(params Contact[] contacts) => [.. contacts.Select(c => c.Id).Order()];

    /// <summary>A new dynamic list holds exactly the contacts its criteria matches, as active dynamic members.</summary>
    [Fact]
    public async Task A_dynamic_list_is_created_with_every_matching_contact()
    {
        var tenant = NewTenant();
        var a1 = await CreateContactAsync(tenant, "A1", "Acme");
        var a2 = await CreateContactAsync(tenant, "A2", "ACME");
        await CreateContactAsync(tenant, "G1", "Globex");
        await CreateContactAsync(tenant, "N1", null);

        var list = await Lists.CreateAsync(tenant, new ListDraft { Name = "Acme people", Kind = ListKind.Dynamic, Criteria = AtAcme }, Admin);
        var read = await Lists.GetAsync(tenant, list.Id);
        var members = await AllMembersAsync(tenant, list.Id);

        Assert.Equal(ListKind.Dynamic, read.Kind);
        Assert.Equal(AtAcme, read.Criteria);
        Assert.Equal(2, list.MemberCount);
        Assert.Equal(2, read.MemberCount);
        Assert.Equal(Ids(a1, a2), members.Select(m => m.Contact.Id).Order());
        Assert.All(members, m => Assert.Equal(MembershipStatus.Active, m.Membership.Status));
        Assert.All(members, m => Assert.Equal(MembershipSource.Dynamic, m.Membership.Source));
        var entry = Assert.Single(await AllHistoryAsync(tenant, a1.Id));
        Assert.Equal(MembershipChangeReason.Criteria, entry.Reason);
        Assert.True(entry.IsEntry);
        Assert.Equal(AuditActions.ListCreated, Assert.Single(await AllListAuditAsync(tenant, list.Id)).Action);
    }

    /// <summary>A dynamic list's criteria may be given in the JSON form as well.</summary>
    [Fact]
    public async Task A_dynamic_list_accepts_criteria_parsed_from_json()
    {
        var tenant = NewTenant();
        var vip = await CreateContactAsync(tenant, "Vip", "Acme", "vip");
        await CreateContactAsync(tenant, "Plain", "Acme");
        var criteria = Resolve<ICriteriaCompiler>().ParseJson(Criteria.Parse("tags has \"VIP\"").ToJson());

        var list = await Lists.CreateAsync(tenant, new ListDraft { Name = "VIPs", Kind = ListKind.Dynamic, Criteria = criteria }, Admin);

        Assert.Equal([vip.Id], await ActiveMemberIdsAsync(tenant, list.Id));
    }

    /// <summary>A refresh brings the list in line with its criteria now and reports who joined and who left.</summary>
    [Fact]
    public async Task Refreshing_reports_who_joined_and_who_left()
    {
        var tenant = NewTenant();
        var fresh = await CreateContactAsync(tenant, "Fresh", null, "fresh");
        var old = await CreateContactAsync(tenant, "Old", null, "old");
        var list = await CreateDynamicAsync(tenant, "Timely", "(createdAt withinLast 1 days and tags has \"fresh\") or (createdAt moreThan 3 days ago and tags has \"old\")");
        Assert.Equal([fresh.Id], await ActiveMemberIdsAsync(tenant, list.Id));
        Clock.Advance(TimeSpan.FromDays(4));

        var result = await Lists.RefreshAsync(tenant, list.Id, Admin);
        var nothingLeft = await Lists.RefreshAsync(tenant, list.Id, Admin);

        Assert.Equal(new ListRefreshResult(1, 1), result);
        Assert.Equal(new ListRefreshResult(0, 0), nothingLeft);
        Assert.Equal([old.Id], await ActiveMemberIdsAsync(tenant, list.Id));
        Assert.Equal(1, (await Lists.GetAsync(tenant, list.Id)).MemberCount);
        Assert.Null(await Lists.FindMembershipAsync(tenant, list.Id, fresh.Id));
        var left = (await AllHistoryAsync(tenant, fresh.Id, list.Id))[0];
        Assert.Equal(MembershipChangeReason.Criteria, left.Reason);
        Assert.True(left.IsExit);
        var audit = await AllListAuditAsync(tenant, list.Id);
        Assert.Equal([AuditActions.ListRefreshed, AuditActions.ListCreated], audit.Select(e => e.Action));
        Assert.Contains(new FieldChange("added", null, "1"), audit[0].Changes);
        Assert.Contains(new FieldChange("removed", null, "1"), audit[0].Changes);
    }

    /// <summary>Only dynamic lists are refreshed.</summary>
    [Fact]
    public async Task Refreshing_a_static_list_is_refused()
    {
        var tenant = NewTenant();
        var list = await Lists.CreateAsync(tenant, new ListDraft { Name = "Static" }, Admin);

        var error = await Assert.ThrowsAsync<ListOperationException>(() => Lists.RefreshAsync(tenant, list.Id, Admin));

        Assert.Equal(ListOperationException.DynamicListMembersCode, error.Code);
        await Assert.ThrowsAsync<EntityNotFoundException>(() => Lists.RefreshAsync(tenant, ListId.New(Clock), Admin));
    }

    /// <summary>A contact created through the contact service is on every dynamic list it matches as soon as the call returns.</summary>
    [Fact]
    public async Task A_created_contact_joins_matching_dynamic_lists_immediately()
    {
        var tenant = NewTenant();
        var acme = await Lists.CreateAsync(tenant, new ListDraft { Name = "Acme", Kind = ListKind.Dynamic, Criteria = AtAcme }, Admin);
        var vip = await CreateDynamicAsync(tenant, "VIP", "tags has \"vip\"");

        var both = await CreateContactAsync(tenant, "Both", "Acme", "vip");
        var neither = await CreateContactAsync(tenant, "Neither", "Globex");

        Assert.Equal([both.Id], await ActiveMemberIdsAsync(tenant, acme.Id));
        Assert.Equal([both.Id], await ActiveMemberIdsAsync(tenant, vip.Id));
        Assert.Equal(1, (await Lists.GetAsync(tenant, acme.Id)).MemberCount);
        Assert.Empty(await Lists.GetMembershipsAsync(tenant, neither.Id));
        var membership = (await Lists.FindMembershipAsync(tenant, acme.Id, both.Id))!;
        Assert.Equal(MembershipSource.Dynamic, membership.Source);
        Assert.Equal(MembershipChangeReason.Criteria, (await AllHistoryAsync(tenant, both.Id, acme.Id))[0].Reason);
    }

    /// <summary>A changed contact joins the dynamic lists it now matches and leaves those it no longer matches, whichever way it is changed.</summary>
    [Fact]
    public async Task A_changed_contact_joins_and_leaves_dynamic_lists_immediately()
    {
        var tenant = NewTenant();
        var contact = await CreateContactAsync(tenant, "Ada", "Globex");
        var acme = await Lists.CreateAsync(tenant, new ListDraft { Name = "Acme", Kind = ListKind.Dynamic, Criteria = AtAcme }, Admin);
        var monthly = await CreateDynamicAsync(tenant, "Monthly", "preferences.frequency = \"monthly\"");
        Assert.Empty(await ActiveMemberIdsAsync(tenant, acme.Id));

        await Contacts.PatchAsync(tenant, contact.Id, new ContactPatch { Company = "Acme" }, null, Admin);
        var afterPatch = await ActiveMemberIdsAsync(tenant, acme.Id);
        await Contacts.UpdateAsync(tenant, contact.Id, NewDraft() with { Email = contact.Email!.Value, Company = "Initech" }, null, Admin);
        var afterUpdate = await ActiveMemberIdsAsync(tenant, acme.Id);
        await Contacts.SetPreferencesAsync(tenant, contact.Id, new ContactPreferencesDraft { Frequency = ContactFrequency.Monthly }, null, Admin);
        var afterPreferences = await ActiveMemberIdsAsync(tenant, monthly.Id);

        Assert.Equal([contact.Id], afterPatch);
        Assert.Empty(afterUpdate);
        Assert.Equal([contact.Id], afterPreferences);
        Assert.Equal(0, (await Lists.GetAsync(tenant, acme.Id)).MemberCount);
        Assert.Equal(1, (await Lists.GetAsync(tenant, monthly.Id)).MemberCount);
        Assert.Null(await Lists.FindMembershipAsync(tenant, acme.Id, contact.Id));
        var history = await AllHistoryAsync(tenant, contact.Id, acme.Id);
        Assert.Equal([false, true], history.Select(h => h.IsEntry));
        Assert.Equal([true, false], history.Select(h => h.IsExit));
        Assert.All(history, h => Assert.Equal(MembershipChangeReason.Criteria, h.Reason));
    }

    /// <summary>A deleted contact leaves its dynamic lists in the same call, with the reason kept.</summary>
    [Fact]
    public async Task A_deleted_contact_leaves_dynamic_lists_immediately()
    {
        var tenant = NewTenant();
        var contact = await CreateContactAsync(tenant, "Ada", "Acme");
        var other = await CreateContactAsync(tenant, "Bob", "Acme");
        var acme = await Lists.CreateAsync(tenant, new ListDraft { Name = "Acme", Kind = ListKind.Dynamic, Criteria = AtAcme }, Admin);

        await Contacts.DeleteAsync(tenant, contact.Id, null, Admin);

        Assert.Equal([other.Id], await ActiveMemberIdsAsync(tenant, acme.Id));
        Assert.Equal(1, (await Lists.GetAsync(tenant, acme.Id)).MemberCount);
        Assert.Equal(MembershipChangeReason.ContactDeleted, (await AllHistoryAsync(tenant, contact.Id, acme.Id))[0].Reason);
        Assert.Equal(new ListRefreshResult(0, 0), await Lists.RefreshAsync(tenant, acme.Id, Admin));
    }

    /// <summary>Members of a dynamic list come from its criteria: adding or removing them by hand is refused and changes nothing.</summary>
    [Fact]
    public async Task Members_cannot_be_added_or_removed_by_hand_on_a_dynamic_list()
    {
        var tenant = NewTenant();
        var member = await CreateContactAsync(tenant, "In", "Acme");
        var outsider = await CreateContactAsync(tenant, "Out", "Globex");
        var list = await Lists.CreateAsync(tenant, new ListDraft { Name = "Acme", Kind = ListKind.Dynamic, Criteria = AtAcme }, Admin);

        var onAdd = await Assert.ThrowsAsync<ListOperationException>(() => Lists.AddMembersAsync(tenant, list.Id, [outsider.Id], MembershipSource.Manual, Admin));
        var onRemove = await Assert.ThrowsAsync<ListOperationException>(() => Lists.RemoveMembersAsync(tenant, list.Id, [member.Id], Admin));

        Assert.Equal(ListOperationException.DynamicListMembersCode, onAdd.Code);
        Assert.Equal(ListOperationException.DynamicListMembersCode, onRemove.Code);
        Assert.Equal([member.Id], await ActiveMemberIdsAsync(tenant, list.Id));
        Assert.Single(await AllListAuditAsync(tenant, list.Id));
    }

    /// <summary>Changing a dynamic list's criteria refreshes it in the same call, and is audited.</summary>
    [Fact]
    public async Task Changing_the_criteria_refreshes_the_list()
    {
        var tenant = NewTenant();
        var atAcme = await CreateContactAsync(tenant, "A", "Acme");
        var atGlobex = await CreateContactAsync(tenant, "G", "Globex");
        var list = await Lists.CreateAsync(tenant, new ListDraft { Name = "Target", Kind = ListKind.Dynamic, Criteria = AtAcme }, Admin);

        var updated = await Lists.UpdateAsync(tenant, list.Id, new ListDraft { Name = "Target", Kind = ListKind.Dynamic, Criteria = Criteria.Parse("company = \"Globex\"") }, 1, Admin);

        Assert.Equal(2, updated.Version);
        Assert.Equal(1, updated.MemberCount);
        Assert.Equal([atGlobex.Id], await ActiveMemberIdsAsync(tenant, list.Id));
        Assert.Null(await Lists.FindMembershipAsync(tenant, list.Id, atAcme.Id));
        Assert.Equal(1, (await Lists.GetAsync(tenant, list.Id)).MemberCount);
        Assert.Contains(new FieldChange("criteria", AtAcme.ToString(), Criteria.Parse("company = \"Globex\"").ToString()), (await AllListAuditAsync(tenant, list.Id))[0].Changes);
        Assert.Equal(MembershipChangeReason.Criteria, (await AllHistoryAsync(tenant, atAcme.Id, list.Id))[0].Reason);
    }

    /// <summary>A new criteria that does not fit the tenant's fields is refused and leaves the list as it was.</summary>
    [Fact]
    public async Task An_invalid_new_criteria_leaves_the_list_as_it_was()
    {
        var tenant = NewTenant();
        var member = await CreateContactAsync(tenant, "A", "Acme");
        var list = await Lists.CreateAsync(tenant, new ListDraft { Name = "Target", Kind = ListKind.Dynamic, Criteria = AtAcme }, Admin);

        var error = await Assert.ThrowsAsync<InvalidCriteriaException>(() => Lists.UpdateAsync(tenant, list.Id, new ListDraft { Name = "Target", Kind = ListKind.Dynamic, Criteria = Criteria.Parse("shoeSize = 42") }, null, Admin));

        Assert.Contains(error.Errors, e => e.Code == "unknown_field" && e.Location is not null);
        var read = await Lists.GetAsync(tenant, list.Id);
        Assert.Equal(AtAcme, read.Criteria);
        Assert.Equal(1, read.Version);
        Assert.Equal([member.Id], await ActiveMemberIdsAsync(tenant, list.Id));
    }

    /// <summary>An unsubscribed contact stays out of a dynamic list while its criteria still match, through contact changes and refreshes, and stays on every other list.</summary>
    [Fact]
    public async Task An_unsubscribed_contact_stays_out_of_a_dynamic_list_that_still_matches()
    {
        var tenant = NewTenant();
        var contact = await CreateContactAsync(tenant, "Ada", "Acme", "vip");
        var other = await CreateContactAsync(tenant, "Bob", "Acme");
        var acme = await Lists.CreateAsync(tenant, new ListDraft { Name = "Acme", Kind = ListKind.Dynamic, Criteria = AtAcme }, Admin);
        var vip = await CreateDynamicAsync(tenant, "VIP", "tags has \"vip\"");
        var manual = await Lists.CreateAsync(tenant, new ListDraft { Name = "Manual" }, Admin);
        await Lists.AddMembersAsync(tenant, manual.Id, [contact.Id], MembershipSource.Manual, Admin);

        var unsubscribed = await Lists.UnsubscribeAsync(tenant, acme.Id, contact.Id, Actor.System);
        await Contacts.PatchAsync(tenant, contact.Id, new ContactPatch { Title = "Countess" }, null, Admin);
        var refresh = await Lists.RefreshAsync(tenant, acme.Id, Admin);
        await Contacts.PatchAsync(tenant, contact.Id, new ContactPatch { Company = "Globex" }, null, Admin);
        var whileNotMatching = await Lists.FindMembershipAsync(tenant, acme.Id, contact.Id);
        await Contacts.PatchAsync(tenant, contact.Id, new ContactPatch { Company = "Acme" }, null, Admin);
        await Lists.UpdateAsync(tenant, acme.Id, new ListDraft { Name = "Acme", Kind = ListKind.Dynamic, Criteria = Criteria.Parse("company = \"ACME\" or company = \"Globex\"") }, null, Admin);

        Assert.Equal(MembershipStatus.Unsubscribed, unsubscribed.Status);
        Assert.Equal(new ListRefreshResult(0, 0), refresh);
        Assert.Equal(MembershipStatus.Unsubscribed, whileNotMatching?.Status);
        Assert.Equal(MembershipStatus.Unsubscribed, (await Lists.FindMembershipAsync(tenant, acme.Id, contact.Id))!.Status);
        Assert.Equal([other.Id], await ActiveMemberIdsAsync(tenant, acme.Id));
        Assert.Equal([contact.Id], (await AllMembersAsync(tenant, acme.Id, MembershipStatus.Unsubscribed)).Select(m => m.Contact.Id));
        Assert.Equal(1, (await Lists.GetAsync(tenant, acme.Id)).MemberCount);
        Assert.Equal([contact.Id], await ActiveMemberIdsAsync(tenant, vip.Id));
        Assert.Equal(MembershipStatus.Active, (await Lists.FindMembershipAsync(tenant, manual.Id, contact.Id))!.Status);
        Assert.Single(await AllHistoryAsync(tenant, contact.Id, acme.Id), h => h.Reason == MembershipChangeReason.Unsubscribe);
        Assert.Equal(2, (await AllHistoryAsync(tenant, contact.Id, acme.Id)).Count);
    }

    /// <summary>Re-subscribing a contact that still matches makes it an active member again, explicitly and audited.</summary>
    [Fact]
    public async Task Re_subscribing_a_matching_contact_makes_it_active_again()
    {
        var tenant = NewTenant();
        var contact = await CreateContactAsync(tenant, "Ada", "Acme");
        var list = await Lists.CreateAsync(tenant, new ListDraft { Name = "Acme", Kind = ListKind.Dynamic, Criteria = AtAcme }, Admin);
        await Lists.UnsubscribeAsync(tenant, list.Id, contact.Id, Admin);

        var resubscribed = await Lists.ResubscribeAsync(tenant, list.Id, contact.Id, Admin);

        Assert.Equal(MembershipStatus.Active, resubscribed?.Status);
        Assert.Equal([contact.Id], await ActiveMemberIdsAsync(tenant, list.Id));
        Assert.Equal(1, (await Lists.GetAsync(tenant, list.Id)).MemberCount);
        var entry = (await AllHistoryAsync(tenant, contact.Id, list.Id))[0];
        Assert.Equal(MembershipChangeReason.Resubscribe, entry.Reason);
        Assert.True(entry.IsEntry);
        Assert.Equal(AuditActions.ListMemberResubscribed, (await AllListAuditAsync(tenant, list.Id))[0].Action);
    }

    /// <summary>Re-subscribing a contact that no longer matches removes its membership; it joins again when it matches again.</summary>
    [Fact]
    public async Task Re_subscribing_a_contact_that_no_longer_matches_removes_it()
    {
        var tenant = NewTenant();
        var contact = await CreateContactAsync(tenant, "Ada", "Acme");
        var list = await Lists.CreateAsync(tenant, new ListDraft { Name = "Acme", Kind = ListKind.Dynamic, Criteria = AtAcme }, Admin);
        await Lists.UnsubscribeAsync(tenant, list.Id, contact.Id, Admin);
        await Contacts.PatchAsync(tenant, contact.Id, new ContactPatch { Company = "Globex" }, null, Admin);

        var resubscribed = await Lists.ResubscribeAsync(tenant, list.Id, contact.Id, Admin);
        var afterResubscribe = await Lists.FindMembershipAsync(tenant, list.Id, contact.Id);
        await Contacts.PatchAsync(tenant, contact.Id, new ContactPatch { Company = "Acme" }, null, Admin);

        Assert.Null(resubscribed);
        Assert.Null(afterResubscribe);
        Assert.Equal([contact.Id], await ActiveMemberIdsAsync(tenant, list.Id));
        var history = await AllHistoryAsync(tenant, contact.Id, list.Id);
        Assert.Equal([MembershipChangeReason.Criteria, MembershipChangeReason.Resubscribe, MembershipChangeReason.Unsubscribe, MembershipChangeReason.Criteria], history.Select(h => h.Reason));
        Assert.Equal((MembershipStatus?)MembershipStatus.Unsubscribed, history[1].From);
        Assert.Null(history[1].To);
        Assert.Single(await AllListAuditAsync(tenant, list.Id), e => e.Action == AuditActions.ListMemberResubscribed);
    }

    /// <summary>Search and count can select contacts by their status on a list, and by having no membership at all.</summary>
    [Fact]
    public async Task Search_and_count_filter_by_membership_status()
    {
        var tenant = NewTenant();
        var active = await CreateContactAsync(tenant, "Active", null);
        var unsubscribed = await CreateContactAsync(tenant, "Unsub", null);
        var none = await CreateContactAsync(tenant, "None", null);
        var pending = await CreateContactAsync(tenant, "Pending", null);
        var vip = await Lists.CreateAsync(tenant, new ListDraft { Name = "VIP" }, Admin);
        await Lists.AddMembersAsync(tenant, vip.Id, [active.Id, unsubscribed.Id], MembershipSource.Manual, Admin);
        await Lists.AddMembersAsync(tenant, vip.Id, [pending.Id], MembershipSource.Manual, MembershipStatus.Pending, Admin);
        await Lists.UnsubscribeAsync(tenant, vip.Id, unsubscribed.Id, Admin);

        var cases = new Dictionary<string, List<ContactId>>
        {
            ["memberOf(\"VIP\") = \"active\""] = Ids(active),
            ["memberOf(\"vip\") = \"ACTIVE\""] = Ids(active),
            ["memberOf(\"VIP\") = \"unsubscribed\""] = Ids(unsubscribed),
            ["memberOf(\"VIP\") = \"pending\""] = Ids(pending),
            ["memberOf(\"VIP\") in (\"active\", \"unsubscribed\")"] = Ids(active, unsubscribed),
            ["memberOf(\"VIP\") isEmpty"] = Ids(none),
            ["memberOf(\"VIP\") isNotEmpty"] = Ids(active, unsubscribed, pending),
            ["not memberOf(\"VIP\") = \"active\""] = Ids(unsubscribed, none, pending),
            ["memberOf(\"VIP\") isEmpty or firstName = \"active\""] = Ids(active, none),
        };

        foreach (var (text, expected) in cases)
        {
            var criteria = Criteria.Parse(text);
            var found = await Contacts.SearchAsync(tenant, criteria, new ContactPageRequest(Size: 100));
            Assert.True(expected.SequenceEqual(found.Items.Select(c => c.Id).Order()), text);
            Assert.Equal(expected.Count, await Contacts.CountAsync(tenant, criteria));
            Assert.Equal(expected.Count, (await Lists.PreviewAsync(tenant, criteria, 10)).Count);
        }
    }

    /// <summary>A criteria naming a list the tenant does not have is refused with <c>unknown_list</c>, in lists and in search.</summary>
    [Fact]
    public async Task A_criteria_naming_an_unknown_list_is_refused()
    {
        var (tenant, other) = (NewTenant(), NewTenant());
        await Lists.CreateAsync(other, new ListDraft { Name = "Elsewhere" }, Admin);
        var criteria = Criteria.Parse("status = \"active\" and memberOf(\"Elsewhere\") = \"active\"");

        var onCreate = await Assert.ThrowsAsync<InvalidCriteriaException>(() => Lists.CreateAsync(tenant, new ListDraft { Name = "Broken", Kind = ListKind.Dynamic, Criteria = criteria }, Admin));
        var onSearch = await Assert.ThrowsAsync<InvalidCriteriaException>(() => Contacts.SearchAsync(tenant, criteria, new ContactPageRequest()));
        var onCount = await Assert.ThrowsAsync<InvalidCriteriaException>(() => Contacts.CountAsync(tenant, criteria));

        foreach (var error in new[] { onCreate, onSearch, onCount })
        {
            var problem = Assert.Single(error.Errors);
            Assert.Equal("unknown_list", problem.Code);
            Assert.Equal(1, problem.Location?.Line);
            Assert.Equal(23, problem.Location?.Column);
        }

        Assert.Empty(await AllListsAsync(tenant));
    }

    /// <summary>A dynamic list that names itself is refused with <c>circular_reference</c>, on create and on update.</summary>
    [Fact]
    public async Task A_dynamic_list_that_refers_to_itself_is_refused()
    {
        var tenant = NewTenant();
        var existing = await CreateDynamicAsync(tenant, "Loop", "company = \"Acme\"");

        var onCreate = await Assert.ThrowsAsync<InvalidCriteriaException>(() => CreateDynamicAsync(tenant, "Self", "memberOf(\"SELF\") = \"active\""));
        var onUpdate = await Assert.ThrowsAsync<InvalidCriteriaException>(() => Lists.UpdateAsync(tenant, existing.Id, new ListDraft { Name = "Loop", Kind = ListKind.Dynamic, Criteria = Criteria.Parse("memberOf(\"loop\") isEmpty") }, null, Admin));

        Assert.Contains(onCreate.Errors, e => e.Code == "circular_reference" && e.Location is not null);
        Assert.Contains(onUpdate.Errors, e => e.Code == "circular_reference");
        Assert.Null(await Lists.FindByNameAsync(tenant, "Self"));
        Assert.Equal(Criteria.Parse("company = \"Acme\""), (await Lists.GetAsync(tenant, existing.Id)).Criteria);
    }

    /// <summary>Dynamic lists that would depend on each other in a circle are refused when saved, and nothing changes.</summary>
    [Fact]
    public async Task A_circle_of_dynamic_lists_is_refused()
    {
        var tenant = NewTenant();
        var a = await CreateDynamicAsync(tenant, "A", "company = \"Acme\"");
        var b = await CreateDynamicAsync(tenant, "B", "memberOf(\"A\") = \"active\"");
        var c = await CreateDynamicAsync(tenant, "C", "memberOf(\"B\") = \"active\" and tags has \"vip\"");

        var twoLists = await Assert.ThrowsAsync<InvalidCriteriaException>(() => Lists.UpdateAsync(tenant, a.Id, new ListDraft { Name = "A", Kind = ListKind.Dynamic, Criteria = Criteria.Parse("memberOf(\"B\") = \"active\"") }, null, Admin));
        var threeLists = await Assert.ThrowsAsync<InvalidCriteriaException>(() => Lists.UpdateAsync(tenant, a.Id, new ListDraft { Name = "A", Kind = ListKind.Dynamic, Criteria = Criteria.Parse("company = \"Acme\" or memberOf(\"C\") isNotEmpty") }, null, Admin));

        Assert.Contains(twoLists.Errors, e => e.Code == "circular_reference");
        Assert.Contains(threeLists.Errors, e => e.Code == "circular_reference");
        var read = await Lists.GetAsync(tenant, a.Id);
        Assert.Equal(Criteria.Parse("company = \"Acme\""), read.Criteria);
        Assert.Equal(1, read.Version);
        Assert.Equal(1, (await Lists.GetAsync(tenant, c.Id)).Version);
        Assert.Equal(1, (await Lists.GetAsync(tenant, b.Id)).Version);
    }

    /// <summary>A list other dynamic lists refer to cannot be renamed or deleted until they stop referring to it.</summary>
    [Fact]
    public async Task A_list_in_use_by_a_dynamic_list_cannot_be_renamed_or_deleted()
    {
        var tenant = NewTenant();
        var vip = await Lists.CreateAsync(tenant, new ListDraft { Name = "VIP" }, Admin);
        var user = await CreateDynamicAsync(tenant, "VIP at Acme", "memberOf(\"vip\") = \"active\" and company = \"Acme\"");

        var onRename = await Assert.ThrowsAsync<ListOperationException>(() => Lists.UpdateAsync(tenant, vip.Id, new ListDraft { Name = "Very important" }, null, Admin));
        var onDelete = await Assert.ThrowsAsync<ListOperationException>(() => Lists.DeleteAsync(tenant, vip.Id, null, Admin));
        var described = await Lists.UpdateAsync(tenant, vip.Id, new ListDraft { Name = "VIP", Description = "Still usable" }, null, Admin);

        Assert.Equal(ListOperationException.ListInUseCode, onRename.Code);
        Assert.Equal(ListOperationException.ListInUseCode, onDelete.Code);
        Assert.Contains("VIP at Acme", onDelete.Message, StringComparison.Ordinal);
        Assert.Equal("VIP", (await Lists.GetAsync(tenant, vip.Id)).Name);
        Assert.Equal("Still usable", described.Description);

        await Lists.UpdateAsync(tenant, user.Id, new ListDraft { Name = "VIP at Acme", Kind = ListKind.Dynamic, Criteria = AtAcme }, null, Admin);
        var renamed = await Lists.UpdateAsync(tenant, vip.Id, new ListDraft { Name = "Very important" }, null, Admin);
        await Lists.DeleteAsync(tenant, vip.Id, null, Admin);

        Assert.Equal("Very important", renamed.Name);
        Assert.Null(await Lists.FindAsync(tenant, vip.Id));
    }

    /// <summary>A dynamic list that depends on a static list follows its members as they are added, unsubscribed and removed.</summary>
    [Fact]
    public async Task A_dynamic_list_follows_the_static_list_it_depends_on()
    {
        var tenant = NewTenant();
        var ada = await CreateContactAsync(tenant, "Ada", "Acme");
        var bob = await CreateContactAsync(tenant, "Bob", "Acme");
        var eve = await CreateContactAsync(tenant, "Eve", "Globex");
        var vip = await Lists.CreateAsync(tenant, new ListDraft { Name = "VIP" }, Admin);
        var vipAtAcme = await CreateDynamicAsync(tenant, "VIP at Acme", "memberOf(\"VIP\") = \"active\" and company = \"Acme\"");
        var notVip = await CreateDynamicAsync(tenant, "Not VIP", "memberOf(\"VIP\") isEmpty");
        Assert.Empty(await ActiveMemberIdsAsync(tenant, vipAtAcme.Id));
        Assert.Equal(Ids(ada, bob, eve), await ActiveMemberIdsAsync(tenant, notVip.Id));

        await Lists.AddMembersAsync(tenant, vip.Id, [ada.Id, bob.Id, eve.Id], MembershipSource.Manual, Admin);
        var afterAdd = await ActiveMemberIdsAsync(tenant, vipAtAcme.Id);
        var notVipAfterAdd = await ActiveMemberIdsAsync(tenant, notVip.Id);
        await Lists.UnsubscribeAsync(tenant, vip.Id, ada.Id, Admin);
        var afterUnsubscribe = await ActiveMemberIdsAsync(tenant, vipAtAcme.Id);
        await Lists.RemoveMembersAsync(tenant, vip.Id, [bob.Id], Admin);
        var afterRemove = await ActiveMemberIdsAsync(tenant, vipAtAcme.Id);
        var notVipAfterRemove = await ActiveMemberIdsAsync(tenant, notVip.Id);
        await Lists.ResubscribeAsync(tenant, vip.Id, ada.Id, Admin);
        var afterResubscribe = await ActiveMemberIdsAsync(tenant, vipAtAcme.Id);
        var newcomer = await CreateContactAsync(tenant, "New", "Acme");

        Assert.Equal(Ids(ada, bob), afterAdd);
        Assert.Empty(notVipAfterAdd);
        Assert.Equal(Ids(bob), afterUnsubscribe);
        Assert.Empty(afterRemove);
        Assert.Equal(Ids(bob), notVipAfterRemove);
        Assert.Equal(Ids(ada), afterResubscribe);
        Assert.Equal(Ids(bob, newcomer), await ActiveMemberIdsAsync(tenant, notVip.Id));
        Assert.Equal(1, (await Lists.GetAsync(tenant, vipAtAcme.Id)).MemberCount);
        Assert.Equal(2, (await Lists.GetAsync(tenant, notVip.Id)).MemberCount);
        Assert.Equal(new ListRefreshResult(0, 0), await Lists.RefreshAsync(tenant, vipAtAcme.Id, Admin));
        Assert.Equal(new ListRefreshResult(0, 0), await Lists.RefreshAsync(tenant, notVip.Id, Admin));
    }

    /// <summary>In a chain of dynamic lists (C depends on B, which depends on A), every list stays current after each change.</summary>
    [Fact]
    public async Task A_chain_of_dynamic_lists_stays_current()
    {
        var tenant = NewTenant();
        var a = await CreateDynamicAsync(tenant, "A", "company = \"Acme\"");
        var b = await CreateDynamicAsync(tenant, "B", "memberOf(\"A\") = \"active\" and tags has \"vip\"");
        var c = await CreateDynamicAsync(tenant, "C", "memberOf(\"B\") = \"active\" and status = \"active\"");

        var ada = await CreateContactAsync(tenant, "Ada", "Acme", "vip");
        var created = await CountsAsync(tenant, a, b, c);
        await Contacts.PatchAsync(tenant, ada.Id, new ContactPatch { Company = "Globex" }, null, Admin);
        var moved = await CountsAsync(tenant, a, b, c);
        await Lists.UpdateAsync(tenant, a.Id, new ListDraft { Name = "A", Kind = ListKind.Dynamic, Criteria = Criteria.Parse("company = \"Globex\"") }, null, Admin);
        var retargeted = await CountsAsync(tenant, a, b, c);
        await Lists.UnsubscribeAsync(tenant, b.Id, ada.Id, Admin);
        var unsubscribedFromB = await CountsAsync(tenant, a, b, c);
        await Lists.ResubscribeAsync(tenant, b.Id, ada.Id, Admin);
        var resubscribedToB = await CountsAsync(tenant, a, b, c);
        await Contacts.DeleteAsync(tenant, ada.Id, null, Admin);

        Assert.Equal("A:1 B:1 C:1", created);
        Assert.Equal("A:0 B:0 C:0", moved);
        Assert.Equal("A:1 B:1 C:1", retargeted);
        Assert.Equal("A:1 B:0 C:0", unsubscribedFromB);
        Assert.Equal("A:1 B:1 C:1", resubscribedToB);
        foreach (var list in new[] { a, b, c })
        {
            Assert.Equal(0, (await Lists.GetAsync(tenant, list.Id)).MemberCount);
            Assert.Empty(await AllMembersAsync(tenant, list.Id));
        }

        var historyOfC = await AllHistoryAsync(tenant, ada.Id, c.Id);
        Assert.Equal(
            [MembershipChangeReason.ContactDeleted, MembershipChangeReason.Criteria, MembershipChangeReason.Criteria, MembershipChangeReason.Criteria, MembershipChangeReason.Criteria, MembershipChangeReason.Criteria],
            historyOfC.Select(h => h.Reason));
    }

    /// <summary>Contact changes that affect dynamic lists raise their membership changes as events after the call.</summary>
    [Fact]
    public async Task Dynamic_membership_changes_are_raised_as_events()
    {
        var handler = new MembershipChangeRecorder();
        var services = CreateServices(Clock, null, s => s.AddSingleton<IMembershipChangeHandler>(handler));
        handler.Services = services;
        using var scope = services.CreateScope();
        var contacts = scope.ServiceProvider.GetRequiredService<IContactService>();
        var lists = scope.ServiceProvider.GetRequiredService<IListService>();
        var tenant = NewTenant();
        var list = await lists.CreateAsync(tenant, new ListDraft { Name = "Acme", Kind = ListKind.Dynamic, Criteria = AtAcme }, Admin);
        var follower = await lists.CreateAsync(tenant, new ListDraft { Name = "Follower", Kind = ListKind.Dynamic, Criteria = Criteria.Parse("memberOf(\"Acme\") = \"active\"") }, Admin);

        var ada = await contacts.CreateAsync(tenant, NewDraft() with { Company = "Acme" }, Admin);
        await contacts.PatchAsync(tenant, ada.Id, new ContactPatch { Company = "Globex" }, null, Admin);

        var batches = handler.Batches.ToList();
        Assert.Equal(2, batches.Count);
        Assert.Equal([list.Id, follower.Id], batches[0].Select(e => e.List));
        Assert.All(batches[0], e => Assert.True(e.IsEntry));
        Assert.Equal([list.Id, follower.Id], batches[1].Select(e => e.List));
        Assert.All(batches[1], e => Assert.True(e.IsExit));
        Assert.All(batches.SelectMany(b => b), e => Assert.Equal(MembershipChangeReason.Criteria, e.Reason));
        Assert.All(batches.SelectMany(b => b), e => Assert.Equal(ada.Id, e.Contact));
        Assert.All(handler.CommittedWhenRaised, committed => Assert.True(committed));
    }
}
