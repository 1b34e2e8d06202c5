using Microsoft.Extensions.DependencyInjection;
using Xunit;

namespace Datum.Contacts.Specification.Tests;

/// <summary>
/// Memberships of static lists: adding and removing one by one and in bulk, idempotence, all-or-nothing calls,
/// unsubscribe and re-subscribe, membership details, members paged and filtered, contact deletion, the membership
/// history with "was this contact on the list at time T", and the domain events raised after commit.
/// </summary>
public abstract class ListMembershipSpecification : ContactManagementSpecification
{
    private static readonly ContactManagementOptions DefaultOptions = new();

    private async Task<List<Contact>> CreateContactsAsync(TenantId tenant, int count, string company = "Analytical Engines")
    {
        var created = new List<Contact>();
        for (var i = 0; i < count; i++)
        {
            created.Add(await Contacts.CreateAsync(tenant, NewDraft($"C{i}") with { Company = company }, Admin));
        }

        return created;
    }

    private Task<ContactList> CreateStaticAsync(TenantId tenant, string name = "Newsletter")
        => Lists.CreateAsync(tenant, new ListDraft { Name = name }, Admin);

    /// <summary>An added contact is an active, manual member with its times set and no overrides; the list counts it.</summary>
    [Fact]
    public async Task Adding_a_contact_to_a_static_list_makes_it_an_active_member()
    {
        var tenant = NewTenant();
        var contact = await Contacts.CreateAsync(tenant, NewDraft(), Admin);
        var list = await CreateStaticAsync(tenant);
        Clock.AutoAdvanceAmount = TimeSpan.Zero;
        var now = Clock.GetUtcNow();

        var result = await Lists.AddMembersAsync(tenant, list.Id, [contact.Id], MembershipSource.Manual, Admin);
        var membership = await Lists.FindMembershipAsync(tenant, list.Id, contact.Id);

        Assert.Equal(new MembershipChangeResult(1, 0), result);
        Assert.NotNull(membership);
        Assert.Equal(tenant, membership.Tenant);
        Assert.Equal(list.Id, membership.ListId);
        Assert.Equal(contact.Id, membership.ContactId);
        Assert.Equal(MembershipStatus.Active, membership.Status);
        Assert.True(membership.IsActive);
        Assert.Equal(MembershipSource.Manual, membership.Source);
        Assert.Equal(now, membership.JoinedAt);
        Assert.Equal(now, membership.UpdatedAt);
        Assert.Null(membership.LastEngagementAt);
        Assert.Null(membership.Notes);
        Assert.Empty(membership.ChannelOverrides);
        Assert.Null(membership.FrequencyOverride);
        Assert.Equal(1, membership.Version);
        Assert.Equal(1, (await Lists.GetAsync(tenant, list.Id)).MemberCount);
        Assert.Equal(1, (await Lists.GetAsync(tenant, list.Id)).Version);
        var member = Assert.Single(await AllMembersAsync(tenant, list.Id));
        Assert.Equal(contact.Id, member.Contact.Id);
        Assert.Equal("Ada", member.Contact.FirstName);
        Assert.Equal([list.Id], (await Lists.GetMembershipsAsync(tenant, contact.Id)).Select(m => m.ListId));
    }

    /// <summary>Adding a contact already on the list is not an error, and does not make a second membership or a second entry.</summary>
    [Fact]
    public async Task Adding_a_contact_twice_to_a_static_list_keeps_one_membership()
    {
        var tenant = NewTenant();
        var contact = await Contacts.CreateAsync(tenant, NewDraft(), Admin);
        var list = await CreateStaticAsync(tenant);
        await Lists.AddMembersAsync(tenant, list.Id, [contact.Id], MembershipSource.Manual, Admin);
        var first = await Lists.FindMembershipAsync(tenant, list.Id, contact.Id);

        var again = await Lists.AddMembersAsync(tenant, list.Id, [contact.Id], MembershipSource.Import, Admin);
        var twiceInOneCall = await Lists.AddMembersAsync(tenant, list.Id, [contact.Id, contact.Id], MembershipSource.Manual, Admin);

        Assert.Equal(new MembershipChangeResult(0, 1), again);
        Assert.Equal(new MembershipChangeResult(0, 1), twiceInOneCall);
        var membership = await Lists.FindMembershipAsync(tenant, list.Id, contact.Id);
        Assert.Equal(first!.JoinedAt, membership!.JoinedAt);
        Assert.Equal(MembershipSource.Manual, membership.Source);
        Assert.Equal(1, membership.Version);
        Assert.Equal(1, (await Lists.GetAsync(tenant, list.Id)).MemberCount);
        Assert.Single(await AllMembersAsync(tenant, list.Id));
        Assert.Single(await AllHistoryAsync(tenant, contact.Id));
        Assert.Equal(1, (await AllListAuditAsync(tenant, list.Id)).Count(e => e.Action == AuditActions.ListMembersAdded));
    }

    /// <summary>A contact named twice in one call is added once.</summary>
    [Fact]
    public async Task A_contact_named_twice_in_one_call_is_added_once()
    {
        var tenant = NewTenant();
        var contacts = await CreateContactsAsync(tenant, 2);
        var list = await CreateStaticAsync(tenant);

        var result = await Lists.AddMembersAsync(tenant, list.Id, [contacts[0].Id, contacts[1].Id, contacts[0].Id], MembershipSource.Manual, Admin);

        Assert.Equal(2, result.Changed);
        Assert.Equal(2, (await Lists.GetAsync(tenant, list.Id)).MemberCount);
        Assert.Single(await AllHistoryAsync(tenant, contacts[0].Id));
    }

    /// <summary>How a contact came onto a list is kept: import and integration are sources of their own.</summary>
    [Fact]
    public async Task The_source_of_a_membership_is_kept()
    {
        var tenant = NewTenant();
        var contacts = await CreateContactsAsync(tenant, 2);
        var list = await CreateStaticAsync(tenant);

        await Lists.AddMembersAsync(tenant, list.Id, [contacts[0].Id], MembershipSource.Import, Actor.Import("import-7"));
        await Lists.AddMembersAsync(tenant, list.Id, [contacts[1].Id], MembershipSource.Integration, Actor.Integration("salesforce"));

        Assert.Equal(MembershipSource.Import, (await Lists.FindMembershipAsync(tenant, list.Id, contacts[0].Id))!.Source);
        Assert.Equal(MembershipSource.Integration, (await Lists.FindMembershipAsync(tenant, list.Id, contacts[1].Id))!.Source);
        var imported = Assert.Single(await AllHistoryAsync(tenant, contacts[0].Id));
        Assert.Equal(MembershipChangeReason.Import, imported.Reason);
        Assert.Equal(Actor.Import("import-7"), imported.Actor);
        Assert.Equal(MembershipChangeReason.Integration, Assert.Single(await AllHistoryAsync(tenant, contacts[1].Id)).Reason);
    }

    /// <summary>A pending member is not counted until it is added as active; an existing membership is never downgraded.</summary>
    [Fact]
    public async Task A_pending_member_counts_only_once_activated()
    {
        var tenant = NewTenant();
        var contacts = await CreateContactsAsync(tenant, 2);
        var list = await CreateStaticAsync(tenant);
        await Lists.AddMembersAsync(tenant, list.Id, [contacts[1].Id], MembershipSource.Manual, Admin);

        var pending = await Lists.AddMembersAsync(tenant, list.Id, [contacts[0].Id, contacts[1].Id], MembershipSource.Import, MembershipStatus.Pending, Admin);
        var whilePending = await Lists.GetAsync(tenant, list.Id);
        var pendingMembers = await AllMembersAsync(tenant, list.Id, MembershipStatus.Pending);
        var wasMemberWhilePending = await Lists.WasMemberAsync(tenant, list.Id, contacts[0].Id, Clock.GetUtcNow());
        var pendingAgain = await Lists.AddMembersAsync(tenant, list.Id, [contacts[0].Id], MembershipSource.Import, MembershipStatus.Pending, Admin);
        var activated = await Lists.AddMembersAsync(tenant, list.Id, [contacts[0].Id], MembershipSource.Manual, Admin);
        var invalid = await Assert.ThrowsAsync<ValidationFailedException>(() => Lists.AddMembersAsync(tenant, list.Id, [contacts[0].Id], MembershipSource.Manual, MembershipStatus.Unsubscribed, Admin));

        Assert.Equal(new MembershipChangeResult(1, 1), pending);
        Assert.Equal(1, whilePending.MemberCount);
        Assert.Equal([contacts[0].Id], pendingMembers.Select(m => m.Contact.Id));
        Assert.Equal(MembershipSource.Import, pendingMembers[0].Membership.Source);
        Assert.Equal(MembershipStatus.Active, (await Lists.FindMembershipAsync(tenant, list.Id, contacts[1].Id))!.Status);
        Assert.False(wasMemberWhilePending);
        Assert.Equal(new MembershipChangeResult(0, 1), pendingAgain);
        Assert.Equal(new MembershipChangeResult(1, 0), activated);
        Assert.Contains(invalid.Errors, e => e.Field == "status");
        Assert.Equal(MembershipStatus.Active, (await Lists.FindMembershipAsync(tenant, list.Id, contacts[0].Id))!.Status);
        Assert.Equal(2, (await Lists.GetAsync(tenant, list.Id)).MemberCount);
        var history = await AllHistoryAsync(tenant, contacts[0].Id, list.Id);
        Assert.Equal(2, history.Count);
        Assert.True(history[0].IsEntry);
        Assert.Equal((MembershipStatus?)MembershipStatus.Pending, history[0].From);
        Assert.False(history[1].IsEntry);
        Assert.Equal((MembershipStatus?)MembershipStatus.Pending, history[1].To);
        Assert.True(await Lists.WasMemberAsync(tenant, list.Id, contacts[0].Id, Clock.GetUtcNow()));
    }

    /// <summary>The dynamic source is reserved to dynamic lists' criteria.</summary>
    [Fact]
    public async Task Adding_with_the_dynamic_source_is_refused()
    {
        var tenant = NewTenant();
        var contact = await Contacts.CreateAsync(tenant, NewDraft(), Admin);
        var list = await CreateStaticAsync(tenant);

        var error = await Assert.ThrowsAsync<ValidationFailedException>(() => Lists.AddMembersAsync(tenant, list.Id, [contact.Id], MembershipSource.Dynamic, Admin));

        Assert.Contains(error.Errors, e => e.Field == "source");
        Assert.Null(await Lists.FindMembershipAsync(tenant, list.Id, contact.Id));
    }

    /// <summary>A removed contact has no membership left; removing it again is not an error.</summary>
    [Fact]
    public async Task Removing_a_contact_from_a_static_list_ends_its_membership()
    {
        var tenant = NewTenant();
        var contacts = await CreateContactsAsync(tenant, 3);
        var list = await CreateStaticAsync(tenant);
        await Lists.AddMembersAsync(tenant, list.Id, [.. contacts.Select(c => c.Id)], MembershipSource.Manual, Admin);

        var removed = await Lists.RemoveMembersAsync(tenant, list.Id, [contacts[0].Id], Admin);
        var again = await Lists.RemoveMembersAsync(tenant, list.Id, [contacts[0].Id, contacts[1].Id], Admin);

        Assert.Equal(new MembershipChangeResult(1, 0), removed);
        Assert.Equal(new MembershipChangeResult(1, 1), again);
        Assert.Null(await Lists.FindMembershipAsync(tenant, list.Id, contacts[0].Id));
        Assert.Null(await Lists.FindMembershipAsync(tenant, list.Id, contacts[1].Id));
        Assert.Equal([contacts[2].Id], await ActiveMemberIdsAsync(tenant, list.Id));
        Assert.Equal(1, (await Lists.GetAsync(tenant, list.Id)).MemberCount);
        var exit = (await AllHistoryAsync(tenant, contacts[0].Id))[0];
        Assert.Equal((MembershipStatus?)MembershipStatus.Active, exit.From);
        Assert.Null(exit.To);
        Assert.Equal(MembershipChangeReason.Manual, exit.Reason);
        Assert.True(exit.IsExit);
        Assert.Equal(2, (await AllListAuditAsync(tenant, list.Id)).Count(e => e.Action == AuditActions.ListMembersRemoved));
    }

    /// <summary>Ten thousand contacts go onto a static list in one call, idempotently, and come off in one call.</summary>
    [Fact]
    public async Task Ten_thousand_contacts_are_added_and_removed_in_one_call()
    {
        const int Count = 10_000;
        var tenant = NewTenant();
        var ids = new List<ContactId>(Count);
        await using var uncommitted = new UncommittedContacts(Store, Clock);
        await using (var uow = await Store.BeginAsync(tenant, default))
        {
            for (var i = 0; i < Count; i++)
            {
                var contact = await uncommitted.NewAsync(tenant, new ContactDraft { Email = $"bulk{i}@example.com" });
                uow.Contacts.Add(contact);
                ids.Add(contact.Id);
            }

            await uow.CommitAsync(default);
        }

        var list = await CreateStaticAsync(tenant, "Everyone");

        var added = await Lists.AddMembersAsync(tenant, list.Id, ids, MembershipSource.Import, Admin);
        var afterAdd = await Lists.GetAsync(tenant, list.Id);
        var again = await Lists.AddMembersAsync(tenant, list.Id, ids, MembershipSource.Import, Admin);
        var firstPage = await Lists.GetMembersAsync(tenant, list.Id, new ListMembersRequest(Size: 1_000));
        var removed = await Lists.RemoveMembersAsync(tenant, list.Id, ids, Admin);

        Assert.Equal(new MembershipChangeResult(Count, 0), added);
        Assert.Equal(Count, afterAdd.MemberCount);
        Assert.Equal(new MembershipChangeResult(0, Count), again);
        Assert.Equal(1_000, firstPage.Items.Count);
        Assert.All(firstPage.Items, m => Assert.Equal(MembershipStatus.Active, m.Membership.Status));
        Assert.Equal(new MembershipChangeResult(Count, 0), removed);
        Assert.Equal(0, (await Lists.GetAsync(tenant, list.Id)).MemberCount);
        Assert.Empty((await Lists.GetMembersAsync(tenant, list.Id, new ListMembersRequest())).Items);
        Assert.Equal(2, (await Lists.GetHistoryAsync(tenant, ids[^1], list.Id, PageRequest.First)).Items.Count);
    }

    /// <summary>More contacts than one call accepts are refused before anything is read or written.</summary>
    [Fact]
    public async Task More_contacts_than_one_call_accepts_are_refused()
    {
        var tenant = NewTenant();
        var list = await CreateStaticAsync(tenant);
        var tooMany = Enumerable.Range(0, DefaultOptions.MaxContactsPerListCall + 1).Select(_ => ContactId.New(Clock)).ToList();

        var onAdd = await Assert.ThrowsAsync<ListOperationException>(() => Lists.AddMembersAsync(tenant, list.Id, tooMany, MembershipSource.Manual, Admin));
        var onRemove = await Assert.ThrowsAsync<ListOperationException>(() => Lists.RemoveMembersAsync(tenant, list.Id, tooMany, Admin));

        Assert.Equal(ListOperationException.TooManyContactsCode, onAdd.Code);
        Assert.Equal(ListOperationException.TooManyContactsCode, onRemove.Code);
        Assert.Single(await AllListAuditAsync(tenant, list.Id));
    }

    /// <summary>The limit per call is an option.</summary>
    [Fact]
    public async Task The_limit_of_contacts_per_call_is_configurable()
    {
        var services = CreateServices(Clock, o => o.MaxContactsPerListCall = 2);
        using var scope = services.CreateScope();
        var contacts = scope.ServiceProvider.GetRequiredService<IContactService>();
        var lists = scope.ServiceProvider.GetRequiredService<IListService>();
        var tenant = NewTenant();
        var ids = new List<ContactId>();
        for (var i = 0; i < 3; i++)
        {
            ids.Add((await contacts.CreateAsync(tenant, NewDraft($"C{i}"), Admin)).Id);
        }

        var list = await lists.CreateAsync(tenant, new ListDraft { Name = "Small" }, Admin);

        var error = await Assert.ThrowsAsync<ListOperationException>(() => lists.AddMembersAsync(tenant, list.Id, ids, MembershipSource.Manual, Admin));
        var accepted = await lists.AddMembersAsync(tenant, list.Id, ids[..2], MembershipSource.Manual, Admin);

        Assert.Equal(ListOperationException.TooManyContactsCode, error.Code);
        Assert.Equal(2, accepted.Changed);
        Assert.Equal(2, (await lists.GetAsync(tenant, list.Id)).MemberCount);
    }

    /// <summary>One unknown contact fails the whole call: no one is added, nothing is written.</summary>
    [Fact]
    public async Task Adding_an_unknown_contact_fails_and_adds_no_one()
    {
        var tenant = NewTenant();
        var contacts = await CreateContactsAsync(tenant, 2);
        var list = await CreateStaticAsync(tenant);
        var unknown = ContactId.New(Clock);

        var error = await Assert.ThrowsAsync<EntityNotFoundException>(() => Lists.AddMembersAsync(tenant, list.Id, [contacts[0].Id, unknown, contacts[1].Id], MembershipSource.Manual, Admin));

        Assert.Equal(unknown.ToString(), error.EntityId);
        Assert.Null(await Lists.FindMembershipAsync(tenant, list.Id, contacts[0].Id));
        Assert.Null(await Lists.FindMembershipAsync(tenant, list.Id, contacts[1].Id));
        Assert.Equal(0, (await Lists.GetAsync(tenant, list.Id)).MemberCount);
        Assert.Empty(await AllHistoryAsync(tenant, contacts[0].Id));
        Assert.Single(await AllListAuditAsync(tenant, list.Id));
    }

    /// <summary>Adding to or removing from a list that does not exist is not found.</summary>
    [Fact]
    public async Task Changing_the_members_of_an_unknown_list_is_not_found()
    {
        var tenant = NewTenant();
        var contact = await Contacts.CreateAsync(tenant, NewDraft(), Admin);
        var unknown = ListId.New(Clock);

        await Assert.ThrowsAsync<EntityNotFoundException>(() => Lists.AddMembersAsync(tenant, unknown, [contact.Id], MembershipSource.Manual, Admin));
        await Assert.ThrowsAsync<EntityNotFoundException>(() => Lists.RemoveMembersAsync(tenant, unknown, [contact.Id], Admin));
        await Assert.ThrowsAsync<EntityNotFoundException>(() => Lists.UnsubscribeAsync(tenant, unknown, contact.Id, Admin));

        Assert.Empty(await Lists.GetMembershipsAsync(tenant, contact.Id));
    }

    /// <summary>Unsubscribing from one list leaves every other membership of the contact as it was.</summary>
    [Fact]
    public async Task Unsubscribing_from_one_list_keeps_every_other_membership()
    {
        var tenant = NewTenant();
        var contacts = await CreateContactsAsync(tenant, 2);
        var news = await CreateStaticAsync(tenant, "News");
        var offers = await CreateStaticAsync(tenant, "Offers");
        var events = await CreateStaticAsync(tenant, "Events");
        foreach (var list in new[] { news, offers, events })
        {
            await Lists.AddMembersAsync(tenant, list.Id, [.. contacts.Select(c => c.Id)], MembershipSource.Manual, Admin);
        }

        var unsubscribed = await Lists.UnsubscribeAsync(tenant, offers.Id, contacts[0].Id, Actor.System);
        var again = await Lists.UnsubscribeAsync(tenant, offers.Id, contacts[0].Id, Admin);

        Assert.Equal(MembershipStatus.Unsubscribed, unsubscribed.Status);
        Assert.Equal(2, unsubscribed.Version);
        Assert.Equal(MembershipStatus.Unsubscribed, again.Status);
        var memberships = (await Lists.GetMembershipsAsync(tenant, contacts[0].Id)).ToDictionary(m => m.ListId);
        Assert.Equal(3, memberships.Count);
        Assert.Equal(MembershipStatus.Unsubscribed, memberships[offers.Id].Status);
        Assert.Equal(MembershipStatus.Active, memberships[news.Id].Status);
        Assert.Equal(MembershipStatus.Active, memberships[events.Id].Status);
        Assert.Equal(1, (await Lists.GetAsync(tenant, offers.Id)).MemberCount);
        Assert.Equal(2, (await Lists.GetAsync(tenant, news.Id)).MemberCount);
        Assert.Equal([contacts[1].Id], await ActiveMemberIdsAsync(tenant, offers.Id));
        var history = await AllHistoryAsync(tenant, contacts[0].Id, offers.Id);
        Assert.Equal(2, history.Count);
        Assert.Equal(MembershipChangeReason.Unsubscribe, history[0].Reason);
        Assert.Equal((MembershipStatus?)MembershipStatus.Unsubscribed, history[0].To);
        Assert.True(history[0].IsExit);
        Assert.Single(await AllListAuditAsync(tenant, offers.Id), e => e.Action == AuditActions.ListMemberUnsubscribed);
    }

    /// <summary>An unsubscribed contact stays unsubscribed when added again or removed; only re-subscribing brings it back.</summary>
    [Fact]
    public async Task An_unsubscribed_contact_is_not_added_back_by_a_bulk_add()
    {
        var tenant = NewTenant();
        var contact = await Contacts.CreateAsync(tenant, NewDraft(), Admin);
        var list = await CreateStaticAsync(tenant);
        await Lists.AddMembersAsync(tenant, list.Id, [contact.Id], MembershipSource.Manual, Admin);
        await Lists.UnsubscribeAsync(tenant, list.Id, contact.Id, Admin);

        var added = await Lists.AddMembersAsync(tenant, list.Id, [contact.Id], MembershipSource.Import, Admin);
        var removed = await Lists.RemoveMembersAsync(tenant, list.Id, [contact.Id], Admin);

        Assert.Equal(new MembershipChangeResult(0, 1), added);
        Assert.Equal(new MembershipChangeResult(0, 1), removed);
        Assert.Equal(MembershipStatus.Unsubscribed, (await Lists.FindMembershipAsync(tenant, list.Id, contact.Id))!.Status);
        Assert.Equal(0, (await Lists.GetAsync(tenant, list.Id)).MemberCount);
    }

    /// <summary>Re-subscribing is an explicit, audited act that makes the membership active again.</summary>
    [Fact]
    public async Task Re_subscribing_to_a_static_list_is_explicit_and_audited()
    {
        var tenant = NewTenant();
        var contact = await Contacts.CreateAsync(tenant, NewDraft(), Admin);
        var list = await CreateStaticAsync(tenant);
        await Lists.AddMembersAsync(tenant, list.Id, [contact.Id], MembershipSource.Manual, Admin);
        await Lists.UnsubscribeAsync(tenant, list.Id, contact.Id, Admin);

        var resubscribed = await Lists.ResubscribeAsync(tenant, list.Id, contact.Id, Admin);
        var again = await Lists.ResubscribeAsync(tenant, list.Id, contact.Id, Admin);

        Assert.Equal(MembershipStatus.Active, resubscribed!.Status);
        Assert.Equal(MembershipStatus.Active, again!.Status);
        Assert.Equal(MembershipSource.Manual, resubscribed.Source);
        Assert.Equal(1, (await Lists.GetAsync(tenant, list.Id)).MemberCount);
        var history = await AllHistoryAsync(tenant, contact.Id, list.Id);
        Assert.Equal([MembershipChangeReason.Resubscribe, MembershipChangeReason.Unsubscribe, MembershipChangeReason.Manual], history.Select(h => h.Reason));
        Assert.True(history[0].IsEntry);
        Assert.Equal((MembershipStatus?)MembershipStatus.Unsubscribed, history[0].From);
        var audit = await AllListAuditAsync(tenant, list.Id);
        Assert.Single(audit, e => e.Action == AuditActions.ListMemberResubscribed);
        Assert.Contains(new FieldChange("contact", null, contact.Id.ToString()), audit[0].Changes);
    }

    /// <summary>Unsubscribing or re-subscribing a contact that has no membership on the list is refused.</summary>
    [Fact]
    public async Task Unsubscribing_a_contact_that_is_not_on_the_list_is_refused()
    {
        var tenant = NewTenant();
        var contact = await Contacts.CreateAsync(tenant, NewDraft(), Admin);
        var list = await CreateStaticAsync(tenant);

        var onUnsubscribe = await Assert.ThrowsAsync<ListOperationException>(() => Lists.UnsubscribeAsync(tenant, list.Id, contact.Id, Admin));
        var onResubscribe = await Assert.ThrowsAsync<ListOperationException>(() => Lists.ResubscribeAsync(tenant, list.Id, contact.Id, Admin));

        Assert.Equal(ListOperationException.NotAMemberCode, onUnsubscribe.Code);
        Assert.Equal(ListOperationException.NotAMemberCode, onResubscribe.Code);
        Assert.Null(await Lists.FindMembershipAsync(tenant, list.Id, contact.Id));
        Assert.Empty(await AllHistoryAsync(tenant, contact.Id));
    }

    /// <summary>A membership keeps notes and channel and frequency overrides, versioned and audited.</summary>
    [Fact]
    public async Task A_membership_keeps_notes_and_preference_overrides()
    {
        var tenant = NewTenant();
        var contact = await Contacts.CreateAsync(tenant, NewDraft(), Admin);
        var list = await CreateStaticAsync(tenant);
        await Lists.AddMembersAsync(tenant, list.Id, [contact.Id], MembershipSource.Manual, Admin);
        Clock.Advance(TimeSpan.FromHours(1));

        var updated = await Lists.UpdateMembershipAsync(tenant, list.Id, contact.Id, new MembershipDraft
        {
            Notes = "Prefers text\nmessages",
            Channels = new Dictionary<string, bool> { ["SMS"] = true, ["email"] = false },
            Frequency = ContactFrequency.Monthly,
        }, 1, Admin);
        var read = await Lists.FindMembershipAsync(tenant, list.Id, contact.Id);
        var stale = await Assert.ThrowsAsync<ConcurrencyConflictException>(() => Lists.UpdateMembershipAsync(tenant, list.Id, contact.Id, new MembershipDraft { Notes = "stale" }, 1, Admin));
        var invalid = await Assert.ThrowsAsync<ValidationFailedException>(() => Lists.UpdateMembershipAsync(tenant, list.Id, contact.Id, new MembershipDraft { Channels = new Dictionary<string, bool> { ["no such channel!"] = true } }, null, Admin));

        Assert.Equal(2, updated.Version);
        Assert.NotNull(read);
        Assert.Equal(2, read.Version);
        Assert.Equal("Prefers text\nmessages", read.Notes);
        Assert.True(read.ChannelOverrides[Channel.Sms]);
        Assert.False(read.ChannelOverrides[Channel.Email]);
        Assert.Equal(2, read.ChannelOverrides.Count);
        Assert.Equal(ContactFrequency.Monthly, read.FrequencyOverride);
        Assert.True(read.UpdatedAt > read.JoinedAt);
        Assert.Equal(MembershipStatus.Active, read.Status);
        Assert.Equal(2, stale.ActualVersion);
        Assert.Contains(invalid.Errors, e => e.Field.StartsWith("channels", StringComparison.Ordinal));
        var audit = (await AllListAuditAsync(tenant, list.Id))[0];
        Assert.Equal(AuditActions.ListMembershipUpdated, audit.Action);
        Assert.Contains(new FieldChange("frequency", null, "Monthly"), audit.Changes);
        Assert.Contains(new FieldChange("channels.sms", null, "on"), audit.Changes);
        Assert.Contains(new FieldChange("channels.email", null, "off"), audit.Changes);
        Assert.Equal(1, (await AllHistoryAsync(tenant, contact.Id)).Count);
    }

    /// <summary>A membership change that changes nothing writes nothing.</summary>
    [Fact]
    public async Task An_unchanged_membership_keeps_its_version()
    {
        var tenant = NewTenant();
        var contact = await Contacts.CreateAsync(tenant, NewDraft(), Admin);
        var list = await CreateStaticAsync(tenant);
        await Lists.AddMembersAsync(tenant, list.Id, [contact.Id], MembershipSource.Manual, Admin);
        await Lists.UpdateMembershipAsync(tenant, list.Id, contact.Id, new MembershipDraft { Notes = "n" }, null, Admin);

        var same = await Lists.UpdateMembershipAsync(tenant, list.Id, contact.Id, new MembershipDraft { Notes = "n" }, 2, Admin);

        Assert.Equal(2, same.Version);
        Assert.Equal(1, (await AllListAuditAsync(tenant, list.Id)).Count(e => e.Action == AuditActions.ListMembershipUpdated));
    }

    /// <summary>Members page by cursor in contact order, with no repeats or gaps, even as members come and go between pages.</summary>
    [Fact]
    public async Task Members_page_by_cursor_without_repeats_or_gaps()
    {
        var tenant = NewTenant();
        var contacts = await CreateContactsAsync(tenant, 23);
        var list = await CreateStaticAsync(tenant);
        await Lists.AddMembersAsync(tenant, list.Id, [.. contacts.Select(c => c.Id)], MembershipSource.Manual, Admin);
        var late = await Contacts.CreateAsync(tenant, NewDraft("Late"), Admin);

        var pages = new List<Page<ListMember>>();
        string? cursor = null;
        do
        {
            var page = await Lists.GetMembersAsync(tenant, list.Id, new ListMembersRequest(Size: 5, Cursor: cursor));
            pages.Add(page);
            cursor = page.NextCursor;
            if (pages.Count == 1)
            {
                // Between pages: one member joins (after everyone) and one not yet read leaves.
                await Lists.AddMembersAsync(tenant, list.Id, [late.Id], MembershipSource.Manual, Admin);
                await Lists.RemoveMembersAsync(tenant, list.Id, [contacts[^1].Id], Admin);
            }
        }
        while (cursor is not null);

        var read = pages.SelectMany(p => p.Items).Select(m => m.Contact.Id).ToList();
        var expected = contacts.Select(c => c.Id).Where(id => id != contacts[^1].Id).Append(late.Id).Order().ToList();
        Assert.Equal(expected, read);
        Assert.All(pages.SkipLast(1), p => Assert.Equal(5, p.Items.Count));
        Assert.All(pages.SelectMany(p => p.Items), m => Assert.Equal(m.Contact.Id, m.Membership.ContactId));
    }

    /// <summary>A cursor of one list's members cannot be used on another list.</summary>
    [Fact]
    public async Task A_members_cursor_of_another_list_is_rejected()
    {
        var tenant = NewTenant();
        var contacts = await CreateContactsAsync(tenant, 3);
        var first = await CreateStaticAsync(tenant, "First");
        var second = await CreateStaticAsync(tenant, "Second");
        await Lists.AddMembersAsync(tenant, first.Id, [.. contacts.Select(c => c.Id)], MembershipSource.Manual, Admin);
        await Lists.AddMembersAsync(tenant, second.Id, [.. contacts.Select(c => c.Id)], MembershipSource.Manual, Admin);
        var page = await Lists.GetMembersAsync(tenant, first.Id, new ListMembersRequest(Size: 1));

        var error = await Assert.ThrowsAsync<ValidationFailedException>(() => Lists.GetMembersAsync(tenant, second.Id, new ListMembersRequest(Size: 1, Cursor: page.NextCursor)));

        Assert.Equal("cursor", error.Errors[0].Field);
    }

    /// <summary>Members filter by membership status and by an extra criteria on the contact, alone or together.</summary>
    [Fact]
    public async Task Members_filter_by_status_and_by_criteria()
    {
        var tenant = NewTenant();
        var acme = await CreateContactsAsync(tenant, 3, "Acme");
        var globex = await CreateContactsAsync(tenant, 3, "Globex");
        var outsider = await Contacts.CreateAsync(tenant, NewDraft("Out") with { Company = "Acme" }, Admin);
        var waiting = await Contacts.CreateAsync(tenant, NewDraft("Wait") with { Company = "Acme" }, Admin);
        var list = await CreateStaticAsync(tenant);
        await Lists.AddMembersAsync(tenant, list.Id, [.. acme.Concat(globex).Select(c => c.Id)], MembershipSource.Manual, Admin);
        await Lists.AddMembersAsync(tenant, list.Id, [waiting.Id], MembershipSource.Manual, MembershipStatus.Pending, Admin);
        await Lists.UnsubscribeAsync(tenant, list.Id, acme[0].Id, Admin);
        await Lists.UnsubscribeAsync(tenant, list.Id, globex[1].Id, Admin);
        var atAcme = Criteria.Parse("company = \"acme\"");

        var all = await AllMembersAsync(tenant, list.Id);
        var active = await AllMembersAsync(tenant, list.Id, MembershipStatus.Active);
        var unsubscribed = await AllMembersAsync(tenant, list.Id, MembershipStatus.Unsubscribed);
        var pending = await AllMembersAsync(tenant, list.Id, MembershipStatus.Pending);
        var fromAcme = await AllMembersAsync(tenant, list.Id, criteria: atAcme);
        var activeFromAcme = await AllMembersAsync(tenant, list.Id, MembershipStatus.Active, atAcme);

        static List<ContactId> Ids(IEnumerable<ListMember> members) => [.. members.Select(m => m.Contact.Id).Order()];
        static List<ContactId> Of(params Contact[] contacts) => [.. contacts.Select(c => c.Id).Order()];
        Assert.Equal(Of([.. acme, .. globex, waiting]), Ids(all));
        Assert.Equal(Of(acme[1], acme[2], globex[0], globex[2]), Ids(active));
        Assert.All(active, m => Assert.Equal(MembershipStatus.Active, m.Membership.Status));
        Assert.Equal(Of(acme[0], globex[1]), Ids(unsubscribed));
        Assert.All(unsubscribed, m => Assert.Equal(MembershipStatus.Unsubscribed, m.Membership.Status));
        Assert.Equal(Of(waiting), Ids(pending));
        Assert.All(pending, m => Assert.Equal(MembershipStatus.Pending, m.Membership.Status));
        Assert.Equal(Of([.. acme, waiting]), Ids(fromAcme));
        Assert.DoesNotContain(outsider.Id, Ids(fromAcme));
        Assert.Equal(Of(acme[1], acme[2]), Ids(activeFromAcme));
        await Assert.ThrowsAsync<InvalidCriteriaException>(() => Lists.GetMembersAsync(tenant, list.Id, new ListMembersRequest(Criteria: Criteria.Parse("shoeSize = 1"))));
    }

    /// <summary>Deleting a contact removes every membership it had, keeps each in the history, and updates the counts.</summary>
    [Fact]
    public async Task Deleting_a_contact_removes_its_memberships()
    {
        var tenant = NewTenant();
        var contacts = await CreateContactsAsync(tenant, 2);
        var news = await CreateStaticAsync(tenant, "News");
        var offers = await CreateStaticAsync(tenant, "Offers");
        await Lists.AddMembersAsync(tenant, news.Id, [.. contacts.Select(c => c.Id)], MembershipSource.Manual, Admin);
        await Lists.AddMembersAsync(tenant, offers.Id, [contacts[0].Id], MembershipSource.Manual, Admin);
        await Lists.UnsubscribeAsync(tenant, offers.Id, contacts[0].Id, Admin);

        await Contacts.DeleteAsync(tenant, contacts[0].Id, null, Admin);

        Assert.Empty(await Lists.GetMembershipsAsync(tenant, contacts[0].Id));
        Assert.Null(await Lists.FindMembershipAsync(tenant, news.Id, contacts[0].Id));
        Assert.Null(await Lists.FindMembershipAsync(tenant, offers.Id, contacts[0].Id));
        Assert.Equal([contacts[1].Id], await ActiveMemberIdsAsync(tenant, news.Id));
        Assert.Empty(await AllMembersAsync(tenant, offers.Id));
        Assert.Equal(1, (await Lists.GetAsync(tenant, news.Id)).MemberCount);
        Assert.Equal(0, (await Lists.GetAsync(tenant, offers.Id)).MemberCount);
        var history = await AllHistoryAsync(tenant, contacts[0].Id);
        var exits = history.Where(h => h.Reason == MembershipChangeReason.ContactDeleted).ToList();
        Assert.Equal(2, exits.Count);
        Assert.Equal([news.Id, offers.Id], exits.Select(h => h.List).Order());
        Assert.All(exits, h => Assert.Null(h.To));
        Assert.Equal((MembershipStatus?)MembershipStatus.Unsubscribed, exits.Single(h => h.List == offers.Id).From);
        Assert.Equal(AuditActions.ContactDeleted, (await Contacts.GetAuditLogAsync(tenant, contacts[0].Id, PageRequest.First)).Items[0].Action);
        Assert.False(await Lists.WasMemberAsync(tenant, news.Id, contacts[0].Id, Clock.GetUtcNow()));
    }

    /// <summary>The history holds every entry and exit of a contact, newest first, paged, on one list or on all.</summary>
    [Fact]
    public async Task The_membership_history_pages_newest_first()
    {
        var tenant = NewTenant();
        var contact = await Contacts.CreateAsync(tenant, NewDraft(), Admin);
        var list = await CreateStaticAsync(tenant, "News");
        var other = await CreateStaticAsync(tenant, "Other");

        await Lists.AddMembersAsync(tenant, list.Id, [contact.Id], MembershipSource.Manual, Admin);
        await Lists.RemoveMembersAsync(tenant, list.Id, [contact.Id], Admin);
        await Lists.AddMembersAsync(tenant, list.Id, [contact.Id], MembershipSource.Import, Actor.Import("batch-1"));
        await Lists.UnsubscribeAsync(tenant, list.Id, contact.Id, Actor.System);
        await Lists.ResubscribeAsync(tenant, list.Id, contact.Id, Admin);
        await Lists.AddMembersAsync(tenant, other.Id, [contact.Id], MembershipSource.Manual, Admin);

        var pages = new List<Page<MembershipHistoryEntry>>();
        string? cursor = null;
        do
        {
            var page = await Lists.GetHistoryAsync(tenant, contact.Id, list.Id, new PageRequest(2, cursor));
            pages.Add(page);
            cursor = page.NextCursor;
        }
        while (cursor is not null);
        var onList = pages.SelectMany(p => p.Items).ToList();
        var everywhere = await AllHistoryAsync(tenant, contact.Id);

        Assert.Equal([2, 2, 1], pages.Select(p => p.Items.Count));
        Assert.Equal(
            [MembershipChangeReason.Resubscribe, MembershipChangeReason.Unsubscribe, MembershipChangeReason.Import, MembershipChangeReason.Manual, MembershipChangeReason.Manual],
            onList.Select(e => e.Reason));
        Assert.Equal([MembershipStatus.Active, MembershipStatus.Unsubscribed, MembershipStatus.Active, (MembershipStatus?)null, MembershipStatus.Active], onList.Select(e => e.To));
        Assert.Equal([MembershipStatus.Unsubscribed, MembershipStatus.Active, (MembershipStatus?)null, MembershipStatus.Active, null], onList.Select(e => e.From));
        Assert.Equal([true, false, true, false, true], onList.Select(e => e.IsEntry));
        Assert.Equal([false, true, false, true, false], onList.Select(e => e.IsExit));
        Assert.Equal(Actor.System, onList[1].Actor);
        Assert.Equal(Actor.Import("batch-1"), onList[2].Actor);
        Assert.All(onList, e => Assert.Equal(tenant, e.Tenant));
        Assert.All(onList, e => Assert.Equal(contact.Id, e.Contact));
        Assert.All(onList, e => Assert.Equal(list.Id, e.List));
        Assert.Equal(onList.Select(e => e.Id).Distinct().Count(), onList.Count);
        Assert.Equal(onList.OrderByDescending(e => e.OccurredAt).Select(e => e.Id), onList.Select(e => e.Id));
        Assert.Equal(6, everywhere.Count);
        Assert.Equal(other.Id, everywhere[0].List);
        Assert.Equal(onList.Select(e => e.Id), everywhere.Skip(1).Select(e => e.Id));
    }

    /// <summary>Whether a contact was on a list at a time is answered from the history: before, during, between and after its memberships.</summary>
    [Fact]
    public async Task Was_member_answers_before_during_and_after_a_membership()
    {
        var tenant = NewTenant();
        var contact = await Contacts.CreateAsync(tenant, NewDraft(), Admin);
        var stranger = await Contacts.CreateAsync(tenant, NewDraft("Stranger"), Admin);
        var list = await CreateStaticAsync(tenant);
        var before = Clock.GetUtcNow();
        Clock.Advance(TimeSpan.FromHours(1));
        await Lists.AddMembersAsync(tenant, list.Id, [contact.Id], MembershipSource.Manual, Admin);
        var joined = (await Lists.FindMembershipAsync(tenant, list.Id, contact.Id))!.JoinedAt;
        Clock.Advance(TimeSpan.FromDays(2));
        await Lists.RemoveMembersAsync(tenant, list.Id, [contact.Id], Admin);
        var left = (await AllHistoryAsync(tenant, contact.Id, list.Id))[0].OccurredAt;
        Clock.Advance(TimeSpan.FromDays(3));
        await Lists.AddMembersAsync(tenant, list.Id, [contact.Id], MembershipSource.Manual, Admin);
        var rejoined = (await Lists.FindMembershipAsync(tenant, list.Id, contact.Id))!.JoinedAt;
        Clock.Advance(TimeSpan.FromDays(1));
        await Lists.UnsubscribeAsync(tenant, list.Id, contact.Id, Admin);
        var unsubscribed = (await AllHistoryAsync(tenant, contact.Id, list.Id))[0].OccurredAt;
        Clock.Advance(TimeSpan.FromDays(1));

        Assert.False(await Lists.WasMemberAsync(tenant, list.Id, contact.Id, before));
        Assert.False(await Lists.WasMemberAsync(tenant, list.Id, contact.Id, joined.AddTicks(-1)));
        Assert.True(await Lists.WasMemberAsync(tenant, list.Id, contact.Id, joined));
        Assert.True(await Lists.WasMemberAsync(tenant, list.Id, contact.Id, joined.AddDays(1)));
        Assert.True(await Lists.WasMemberAsync(tenant, list.Id, contact.Id, left.AddTicks(-1)));
        Assert.False(await Lists.WasMemberAsync(tenant, list.Id, contact.Id, left));
        Assert.False(await Lists.WasMemberAsync(tenant, list.Id, contact.Id, left.AddDays(1)));
        Assert.True(await Lists.WasMemberAsync(tenant, list.Id, contact.Id, rejoined.AddHours(1)));
        Assert.False(await Lists.WasMemberAsync(tenant, list.Id, contact.Id, unsubscribed.AddHours(1)));
        Assert.False(await Lists.WasMemberAsync(tenant, list.Id, contact.Id, Clock.GetUtcNow()));
        Assert.False(await Lists.WasMemberAsync(tenant, list.Id, stranger.Id, joined.AddDays(1)));
        Assert.True(await Lists.WasMemberAsync(tenant, list.Id, contact.Id, new DateTimeOffset(joined.UtcDateTime.AddHours(1)).ToOffset(TimeSpan.FromHours(-5))));
    }

    /// <summary>The membership history of a deleted list still answers for the time the list existed.</summary>
    [Fact]
    public async Task Was_member_still_answers_after_the_list_is_deleted()
    {
        var tenant = NewTenant();
        var contact = await Contacts.CreateAsync(tenant, NewDraft(), Admin);
        var list = await CreateStaticAsync(tenant);
        await Lists.AddMembersAsync(tenant, list.Id, [contact.Id], MembershipSource.Manual, Admin);
        var joined = (await Lists.FindMembershipAsync(tenant, list.Id, contact.Id))!.JoinedAt;
        Clock.Advance(TimeSpan.FromDays(1));

        await Lists.DeleteAsync(tenant, list.Id, null, Admin);

        Assert.True(await Lists.WasMemberAsync(tenant, list.Id, contact.Id, joined.AddHours(1)));
        Assert.False(await Lists.WasMemberAsync(tenant, list.Id, contact.Id, Clock.GetUtcNow()));
    }

    /// <summary>Membership changes are handed to every registered handler once committed, one batch per call, in order.</summary>
    [Fact]
    public async Task Membership_changes_are_raised_as_events_after_commit()
    {
        var handler = new MembershipChangeRecorder();
        var services = CreateServices(Clock, null, s => s.AddSingleton<IMembershipChangeHandler>(handler));
        handler.Services = services;
        using var scope = services.CreateScope();
        var contacts = scope.ServiceProvider.GetRequiredService<IContactService>();
        var lists = scope.ServiceProvider.GetRequiredService<IListService>();
        var tenant = NewTenant();
        var ada = await contacts.CreateAsync(tenant, NewDraft(), Admin);
        var bob = await contacts.CreateAsync(tenant, NewDraft("Bob"), Admin);
        var list = await lists.CreateAsync(tenant, new ListDraft { Name = "News" }, Admin);
        Assert.Empty(handler.Batches);

        await lists.AddMembersAsync(tenant, list.Id, [ada.Id, bob.Id], MembershipSource.Manual, Admin);
        await lists.AddMembersAsync(tenant, list.Id, [ada.Id], MembershipSource.Manual, Admin);
        await lists.UnsubscribeAsync(tenant, list.Id, ada.Id, Admin);
        await contacts.DeleteAsync(tenant, bob.Id, null, Admin);
        await lists.DeleteAsync(tenant, list.Id, null, Admin);

        var batches = handler.Batches.ToList();
        Assert.Equal(4, batches.Count);
        Assert.Equal([ada.Id, bob.Id], batches[0].Select(e => e.Contact));
        Assert.All(batches[0], e => Assert.True(e.IsEntry));
        Assert.All(batches[0], e => Assert.Equal(MembershipChangeReason.Manual, e.Reason));
        Assert.Equal(MembershipChangeReason.Unsubscribe, Assert.Single(batches[1]).Reason);
        Assert.Equal(MembershipChangeReason.ContactDeleted, Assert.Single(batches[2]).Reason);
        Assert.Equal(bob.Id, batches[2][0].Contact);
        Assert.Equal(MembershipChangeReason.ListDeleted, Assert.Single(batches[3]).Reason);
        Assert.All(batches.SelectMany(b => b), e => Assert.Equal(tenant, e.Tenant));
        Assert.All(batches.SelectMany(b => b), e => Assert.Equal(list.Id, e.List));
        Assert.All(handler.CommittedWhenRaised, committed => Assert.True(committed));
        Assert.Equal(5, handler.CommittedWhenRaised.Count);
        var history = await lists.GetHistoryAsync(tenant, ada.Id, list.Id, PageRequest.First);
        Assert.Equal(history.Items.Select(e => e.Id).Reverse(), batches.SelectMany(b => b).Where(e => e.Contact == ada.Id).Select(e => e.Id));
    }

    /// <summary>A handler that throws neither fails the call nor undoes the change nor stops the other handlers.</summary>
    [Fact]
    public async Task A_throwing_handler_does_not_break_the_call()
    {
        var recorder = new MembershipChangeRecorder();
        var services = CreateServices(Clock, null, s =>
        {
            s.AddSingleton<IMembershipChangeHandler, ThrowingHandler>();
            s.AddSingleton<IMembershipChangeHandler>(recorder);
        });
        using var scope = services.CreateScope();
        var contacts = scope.ServiceProvider.GetRequiredService<IContactService>();
        var lists = scope.ServiceProvider.GetRequiredService<IListService>();
        var tenant = NewTenant();
        var ada = await contacts.CreateAsync(tenant, NewDraft(), Admin);
        var list = await lists.CreateAsync(tenant, new ListDraft { Name = "News" }, Admin);

        var result = await lists.AddMembersAsync(tenant, list.Id, [ada.Id], MembershipSource.Manual, Admin);
        await contacts.DeleteAsync(tenant, ada.Id, null, Admin);

        Assert.Equal(1, result.Changed);
        Assert.Equal(2, recorder.Batches.Count);
        Assert.Null(await contacts.FindAsync(tenant, ada.Id));
        Assert.Equal(2, (await lists.GetHistoryAsync(tenant, ada.Id, list.Id, PageRequest.First)).Items.Count);
    }

    /// <summary>A handler that always fails.</summary>
    private sealed class ThrowingHandler : IMembershipChangeHandler
    {
        /// <inheritdoc />
        public ValueTask HandleAsync(IReadOnlyList<MembershipHistoryEntry> changes, CancellationToken cancellationToken)
            => throw new InvalidOperationException("The handler failed on purpose.");
    }
}
