using Microsoft.Extensions.DependencyInjection;
using Xunit;

namespace Datum.Contacts.Specification.Tests;

/// <summary>
/// What a refresh, a criteria change and a deletion of a dynamic list leave, however the store applies them (one change
/// per membership, or set-based in the database): exactly the delta with its history, member counts and audit, new
/// memberships as the criteria makes them, a cascade through <c>memberOf</c> to exactly the contacts that moved, and
/// every change handed to the handlers once, in order.
/// </summary>
public abstract class ListRefreshSpecification : ContactManagementSpecification
{
    /// <summary>Matches early contacts for a day, keepers always, late contacts after a day.</summary>
    private static readonly Criteria Timely = Criteria.Parse(
        "(createdAt withinLast 1 days and tags has \"early\") or tags has \"keep\" or (createdAt moreThan 1 days ago and tags has \"late\")");

    private Task<ContactList> CreateDynamicAsync(TenantId tenant, string name, string criteria, IListService? lists = null)
        => (lists ?? Lists).CreateAsync(tenant, new ListDraft { Name = name, Kind = ListKind.Dynamic, Criteria = Criteria.Parse(criteria) }, Admin);

    private Task<Contact> CreateContactAsync(TenantId tenant, string name, string? company, params string[] tags)
        => Contacts.CreateAsync(tenant, NewDraft(name) with { Company = company, Tags = tags }, Admin);

    /// <summary>
    /// A refresh removes the members that stopped matching and adds the contacts that started, and nothing else:
    /// unsubscribed members stay (matching or not), each move has one history entry, the new membership is an active,
    /// dynamic one of this instant, and the count, the audit entry and the result agree.
    /// </summary>
    [Fact]
    public async Task A_refresh_applies_exactly_the_delta_with_history_counts_and_audit()
    {
        // Arrange
        var tenant = NewTenant();
        var leaver = await CreateContactAsync(tenant, "Leaver", null, "early");
        var unsubscribedLeaver = await CreateContactAsync(tenant, "UnsubscribedLeaver", null, "early");
        var keeper = await CreateContactAsync(tenant, "Keeper", null, "keep");
        var unsubscribedKeeper = await CreateContactAsync(tenant, "UnsubscribedKeeper", null, "keep");
        var joiner = await CreateContactAsync(tenant, "Joiner", null, "late");
        var outsider = await CreateContactAsync(tenant, "Outsider", null);
        var list = await Lists.CreateAsync(tenant, new ListDraft { Name = "Timely", Kind = ListKind.Dynamic, Criteria = Timely }, Admin);
        await Lists.UnsubscribeAsync(tenant, list.Id, unsubscribedLeaver.Id, Admin);
        await Lists.UnsubscribeAsync(tenant, list.Id, unsubscribedKeeper.Id, Admin);
        var before = await Lists.GetAsync(tenant, list.Id);
        Clock.Advance(TimeSpan.FromDays(2));
        var now = Clock.GetUtcNow();

        // Act
        var result = await Lists.RefreshAsync(tenant, list.Id, Admin);
        var again = await Lists.RefreshAsync(tenant, list.Id, Admin);

        // Assert
        Assert.Equal(4, list.MemberCount);
        Assert.Equal(2, before.MemberCount);
        Assert.Equal(new ListRefreshResult(1, 1), result);
        Assert.Equal(new ListRefreshResult(0, 0), again);
        Assert.Equal(new[] { keeper.Id, joiner.Id }.Order(), await ActiveMemberIdsAsync(tenant, list.Id));
        Assert.Equal(2, (await Lists.GetAsync(tenant, list.Id)).MemberCount);
        Assert.Equal(
            new[] { unsubscribedLeaver.Id, unsubscribedKeeper.Id }.Order(),
            (await AllMembersAsync(tenant, list.Id, MembershipStatus.Unsubscribed)).Select(m => m.Contact.Id).Order());
        Assert.Null(await Lists.FindMembershipAsync(tenant, list.Id, leaver.Id));
        Assert.Null(await Lists.FindMembershipAsync(tenant, list.Id, outsider.Id));

        var joined = (await Lists.FindMembershipAsync(tenant, list.Id, joiner.Id))!;
        Assert.Equal((MembershipStatus.Active, MembershipSource.Dynamic, joined.JoinedAt, 1L), (joined.Status, joined.Source, joined.UpdatedAt, joined.Version));
        Assert.True(joined.JoinedAt > now);
        Assert.Null(joined.Notes);
        Assert.Null(joined.LastEngagementAt);
        Assert.Empty(joined.ChannelOverrides);
        Assert.Null(joined.FrequencyOverride);

        var entry = Assert.Single(await AllHistoryAsync(tenant, joiner.Id, list.Id));
        Assert.Null(entry.From);
        Assert.Equal((MembershipStatus.Active, MembershipChangeReason.Criteria, Admin, joined.JoinedAt), (entry.To, entry.Reason, entry.Actor, entry.OccurredAt));
        Assert.Equal((tenant, list.Id, joiner.Id), (entry.Tenant, entry.List, entry.Contact));
        var exit = (await AllHistoryAsync(tenant, leaver.Id, list.Id))[0];
        Assert.Null(exit.To);
        Assert.Equal((MembershipStatus.Active, MembershipChangeReason.Criteria, Admin, joined.JoinedAt), (exit.From, exit.Reason, exit.Actor, exit.OccurredAt));
        Assert.Equal(2, (await AllHistoryAsync(tenant, unsubscribedLeaver.Id, list.Id)).Count);
        Assert.Empty(await AllHistoryAsync(tenant, outsider.Id));

        var audit = await AllListAuditAsync(tenant, list.Id);
        Assert.Equal(AuditActions.ListRefreshed, audit[0].Action);
        Assert.Contains(new FieldChange("added", null, "1"), audit[0].Changes);
        Assert.Contains(new FieldChange("removed", null, "1"), audit[0].Changes);
    }

    /// <summary>
    /// Changing a list's criteria re-evaluates the lists that depend on it through <c>memberOf</c>, directly or not,
    /// for exactly the contacts whose membership moved: a dependent member that no longer matches for another reason
    /// stays until that list is refreshed, which then cascades in turn.
    /// </summary>
    [Fact]
    public async Task A_criteria_change_cascades_through_memberOf_to_exactly_the_contacts_that_moved()
    {
        // Arrange: A by company; B = A's members, or early contacts for a day; C = B's members.
        var tenant = NewTenant();
        var acme = await CreateContactAsync(tenant, "AcmeOne", "Acme");
        var globex = await CreateContactAsync(tenant, "GlobexOne", "Globex");
        var stale = await CreateContactAsync(tenant, "Stale", "Initech", "early");
        var a = await CreateDynamicAsync(tenant, "A", "company = \"Acme\"");
        var b = await CreateDynamicAsync(tenant, "B", "memberOf(\"A\") = \"active\" or (createdAt withinLast 1 days and tags has \"early\")");
        var c = await CreateDynamicAsync(tenant, "C", "memberOf(\"B\") = \"active\"");
        Clock.Advance(TimeSpan.FromDays(2));

        // Act
        var flipped = await Lists.UpdateAsync(tenant, a.Id, new ListDraft { Name = "A", Kind = ListKind.Dynamic, Criteria = Criteria.Parse("company = \"Globex\"") }, null, Admin);
        var afterFlip = (A: await ActiveMemberIdsAsync(tenant, a.Id), B: await ActiveMemberIdsAsync(tenant, b.Id), C: await ActiveMemberIdsAsync(tenant, c.Id));
        var refreshedB = await Lists.RefreshAsync(tenant, b.Id, Admin);

        // Assert
        Assert.Equal(1, flipped.MemberCount);
        Assert.Equal([globex.Id], afterFlip.A);
        Assert.Equal(new[] { globex.Id, stale.Id }.Order(), afterFlip.B);
        Assert.Equal(new[] { globex.Id, stale.Id }.Order(), afterFlip.C);
        Assert.Equal(new ListRefreshResult(0, 1), refreshedB);
        Assert.Equal([globex.Id], await ActiveMemberIdsAsync(tenant, b.Id));
        Assert.Equal([globex.Id], await ActiveMemberIdsAsync(tenant, c.Id));
        foreach (var list in new[] { a, b, c })
        {
            Assert.Equal((await ActiveMemberIdsAsync(tenant, list.Id)).Count, (await Lists.GetAsync(tenant, list.Id)).MemberCount);
        }

        var acmeOnC = await AllHistoryAsync(tenant, acme.Id, c.Id);
        Assert.Equal([null, MembershipStatus.Active], acmeOnC.Select(h => h.To));
        Assert.All(acmeOnC.Concat(await AllHistoryAsync(tenant, stale.Id)), h => Assert.Equal(MembershipChangeReason.Criteria, h.Reason));
        Assert.Equal([null, MembershipStatus.Active], (await AllHistoryAsync(tenant, stale.Id, c.Id)).Select(h => h.To));
    }

    /// <summary>
    /// Filling, flipping and deleting a dynamic list of 1,500 members hands every membership change to the handlers
    /// exactly once, in the order made, as the history records it, in calls of at most 1,000 changes.
    /// </summary>
    [Fact]
    public async Task Every_change_of_a_big_refresh_reaches_the_handlers_once_in_order()
    {
        // Arrange: 2,500 contacts, 1,500 at Acme.
        const int Count = 2_500;
        const int AtAcme = 1_500;
        var handler = new MembershipChangeRecorder();
        var services = CreateServices(Clock, null, s => s.AddSingleton<IMembershipChangeHandler>(handler));
        using var scope = services.CreateScope();
        var lists = scope.ServiceProvider.GetRequiredService<IListService>();
        var store = scope.ServiceProvider.GetRequiredService<IContactManagementStore>();
        var tenant = NewTenant();
        var ids = new List<ContactId>(Count);
        await using (var uncommitted = new UncommittedContacts(store, Clock))
        await using (var uow = await store.BeginAsync(tenant, default))
        {
            for (var i = 0; i < Count; i++)
            {
                var contact = await uncommitted.NewAsync(tenant, new ContactDraft { Email = $"many{i}@example.com", Company = i < AtAcme ? "Acme" : "Globex" });
                uow.Contacts.Add(contact);
                ids.Add(contact.Id);
            }

            await uow.CommitAsync(default);
        }

        // Act
        var list = await CreateDynamicAsync(tenant, "Acme", "company = \"Acme\"", lists);
        var filled = handler.Batches.ToList();
        handler.Batches.Clear();
        var flipped = await lists.UpdateAsync(tenant, list.Id, new ListDraft { Name = "Acme", Kind = ListKind.Dynamic, Criteria = Criteria.Parse("company = \"Globex\"") }, null, Admin);
        var flips = handler.Batches.ToList();
        handler.Batches.Clear();
        await lists.DeleteAsync(tenant, list.Id, null, Admin);
        var deletions = handler.Batches.ToList();

        // Assert
        Assert.Equal(AtAcme, list.MemberCount);
        Assert.Equal(Count - AtAcme, flipped.MemberCount);
        var acme = ids.Take(AtAcme).Order().ToList();
        var globex = ids.Skip(AtAcme).Order().ToList();
        AssertBatches(filled, acme.Select(c => (c, (MembershipStatus?)null, (MembershipStatus?)MembershipStatus.Active, MembershipChangeReason.Criteria)));
        AssertBatches(flips, globex.Select(c => (c, (MembershipStatus?)null, (MembershipStatus?)MembershipStatus.Active, MembershipChangeReason.Criteria))
            .Concat(acme.Select(c => (c, (MembershipStatus?)MembershipStatus.Active, (MembershipStatus?)null, MembershipChangeReason.Criteria))));
        AssertBatches(deletions, globex.Select(c => (c, (MembershipStatus?)MembershipStatus.Active, (MembershipStatus?)null, MembershipChangeReason.ListDeleted)));
        var history = await lists.GetHistoryAsync(tenant, acme[0], list.Id, PageRequest.First);
        Assert.Equal(history.Items.Select(h => h.Id).Reverse(), filled.Concat(flips).SelectMany(b => b).Where(e => e.Contact == acme[0]).Select(e => e.Id));
    }

    /// <summary>
    /// The batches hold exactly the expected changes (contact, from, to, reason), each once, of this list and instant,
    /// with ids that increase in the order handed over; no batch holds more than 1,000.
    /// </summary>
    private static void AssertBatches(
        List<IReadOnlyList<MembershipHistoryEntry>> batches,
        IEnumerable<(ContactId Contact, MembershipStatus? From, MembershipStatus? To, MembershipChangeReason Reason)> expected)
    {
        var changes = batches.SelectMany(b => b).ToList();
        Assert.All(batches, b => Assert.InRange(b.Count, 1, 1_000));
        Assert.Equal(
            expected.OrderBy(e => e.Contact).ThenBy(e => e.To is null),
            changes.Select(e => (e.Contact, e.From, e.To, e.Reason)).OrderBy(e => e.Contact).ThenBy(e => e.To is null));
        Assert.Equal(changes.Select(e => e.Id).Order(), changes.Select(e => e.Id));
        Assert.Single(changes.Select(e => (e.List, e.OccurredAt, e.Actor)).Distinct());
    }
}
