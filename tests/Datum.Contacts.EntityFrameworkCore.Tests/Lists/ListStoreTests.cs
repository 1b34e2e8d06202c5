using Datum.Contacts.Specification.Tests;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Xunit;
using Xunit.Abstractions;

namespace Datum.Contacts.EntityFrameworkCore.Tests;

/// <summary>
/// What only a database can get wrong about lists: member counts kept exact by concurrent commits, the refresh
/// diff running as set-based SQL (NULLs included), and ids ordered in SQL as .NET orders them.
/// </summary>
public abstract class ListStoreTests : ContactManagementSpecification
{
    private static readonly TimeSpan Patience = TimeSpan.FromSeconds(60);
    private readonly SqlRecorder _recorder = new();
    private readonly ITestOutputHelper _output;

    protected ListStoreTests(ITestOutputHelper output) => _output = output;

    protected abstract TestDatabase Database { get; }

    protected override void UseStore(ContactManagementBuilder builder) => Database.Use(builder, o => o.AddInterceptors(_recorder));

    /// <summary>
    /// Units of work add different contacts to one list at the same time, each on its own connection. First a rename
    /// that read the list (member count 0) before any add commits after all of them; then more adds run while two
    /// renames commit among them. Every add commits, the renames neither lose nor overwrite the count, and the stored
    /// member count is exactly the number of active members.
    /// </summary>
    [Fact]
    public async Task Concurrent_membership_writers_and_renames_keep_the_member_count_exact()
    {
        // Arrange
        const int Writers = 4;
        const int PerWriter = 5;
        var tenant = NewTenant();
        var list = await Lists.CreateAsync(tenant, new ListDraft { Name = "Crowd" }, Admin);
        async Task<ContactId[]> BatchAsync(string prefix)
        {
            var batch = new ContactId[PerWriter];
            for (var i = 0; i < PerWriter; i++)
            {
                batch[i] = (await Contacts.CreateAsync(tenant, NewDraft($"{prefix}{i}"), Admin)).Id;
            }

            return batch;
        }

        var first = new List<ContactId[]>();
        var second = new List<ContactId[]>();
        for (var w = 0; w < Writers; w++)
        {
            first.Add(await BatchAsync($"A{w}C"));
            second.Add(await BatchAsync($"B{w}C"));
        }

        async Task<MembershipChangeResult[]> AddAllAsync(List<ContactId[]> batches, Func<Task>? alongside = null)
        {
            var start = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
            var tasks = batches.Select(batch => Task.Run(async () =>
            {
                var lists = Lists;
                await start.Task.WaitAsync(Patience);
                return await lists.AddMembersAsync(tenant, list.Id, batch, MembershipSource.Manual, Admin);
            })).ToList();
            var other = alongside is null ? Task.CompletedTask : Task.Run(async () =>
            {
                await start.Task.WaitAsync(Patience);
                await alongside();
            });
            start.SetResult();
            await other.WaitAsync(Patience);
            return await Task.WhenAll(tasks).WaitAsync(Patience);
        }

        async Task RenameAsync(string name)
        {
            var lists = Lists;
            for (var attempt = 0; ; attempt++)
            {
                try
                {
                    await lists.UpdateAsync(tenant, list.Id, new ListDraft { Name = name }, null, Admin);
                    return;
                }
                catch (ConcurrencyConflictException) when (attempt < 20)
                {
                    // The other rename won this round: read the list again and retry.
                }
            }
        }

        // Act 1: a rename based on a read made before the adds, committed after them.
        var late = await Store.BeginAsync(tenant, default);
        var added = new List<MembershipChangeResult>();
        await using (late)
        {
            var stale = (await late.Lists.FindAsync(list.Id, default))!;
            added.AddRange(await AddAllAsync(first));
            stale.Update(ListDetails.Validate(new ListDraft { Name = "Crowd late" }, new ContactManagementOptions()), Clock.GetUtcNow());
            late.Lists.Update(stale);
            await late.CommitAsync(default);
        }

        var middle = await Lists.GetAsync(tenant, list.Id);

        // Act 2: adds and two renames at once.
        added.AddRange(await AddAllAsync(second, () => Task.WhenAll(RenameAsync("Crowd 0"), RenameAsync("Crowd 1"))));
        var after = await Lists.GetAsync(tenant, list.Id);

        // Assert
        Assert.All(added, a => Assert.Equal(PerWriter, a.Changed));
        Assert.Equal(Writers * PerWriter, middle.MemberCount);
        Assert.Equal("Crowd late", middle.Name);
        Assert.Equal(2 * Writers * PerWriter, after.MemberCount);
        Assert.Equal(2 * Writers * PerWriter, (await ActiveMemberIdsAsync(tenant, list.Id)).Count);
        Assert.Equal(after.MemberCount, await StoredCountAsync(tenant, list.Id));
        Assert.Contains(after.Name, new[] { "Crowd 0", "Crowd 1" });
        Assert.Equal(list.Version + 3, after.Version);
    }

    /// <summary>
    /// Status changes and removals move the count by the change in active members only: unsubscribing an active
    /// member takes one off, re-subscribing puts it back, removing an unsubscribed one changes nothing; and
    /// several units of work unsubscribing different members at once leave the count exact.
    /// </summary>
    [Fact]
    public async Task Status_changes_and_removals_move_the_count_by_active_members_only()
    {
        // Arrange
        var tenant = NewTenant();
        var list = await Lists.CreateAsync(tenant, new ListDraft { Name = "Statuses" }, Admin);
        var ids = new List<ContactId>();
        for (var i = 0; i < 8; i++)
        {
            ids.Add((await Contacts.CreateAsync(tenant, NewDraft($"S{i}"), Admin)).Id);
        }

        await Lists.AddMembersAsync(tenant, list.Id, ids, MembershipSource.Manual, Admin);

        // Act
        await Task.WhenAll(ids.Take(4).Select(id => Task.Run(async () =>
        {
            var lists = Lists;
            await lists.UnsubscribeAsync(tenant, list.Id, id, Admin);
        }))).WaitAsync(Patience);
        var afterUnsubscribes = (await Lists.GetAsync(tenant, list.Id)).MemberCount;
        await Lists.ResubscribeAsync(tenant, list.Id, ids[0], Admin);
        await Lists.RemoveMembersAsync(tenant, list.Id, [ids[1], ids[5]], Admin); // ids[1] is unsubscribed and stays
        var final = await Lists.GetAsync(tenant, list.Id);

        // Assert
        Assert.Equal(4, afterUnsubscribes);
        Assert.Equal(4, final.MemberCount);
        Assert.Equal(4, (await ActiveMemberIdsAsync(tenant, list.Id)).Count);
        Assert.Equal(final.MemberCount, await StoredCountAsync(tenant, list.Id));
    }

    /// <summary>
    /// A refresh's diff is two set-based statements over the list's memberships and the tenant's contacts, not a read
    /// of every contact: each reads exactly the rows of its answer. A contact whose compared field is missing (NULL)
    /// does not match, so it enters nothing and, when on the list, leaves it; unsubscribed members never leave.
    /// </summary>
    [Fact]
    public async Task The_refresh_diff_is_two_set_based_statements_that_read_only_their_answer()
    {
        // Arrange
        var tenant = NewTenant();
        var list = await Lists.CreateAsync(tenant, new ListDraft { Name = "Acme people" }, Admin);
        var other = await Lists.CreateAsync(tenant, new ListDraft { Name = "Elsewhere" }, Admin);
        async Task<ContactId> Contact(string name, string? company) => (await Contacts.CreateAsync(tenant, NewDraft(name) with { Company = company }, Admin)).Id;
        var entering = await Contact("Entering", "Acme");
        var staying = await Contact("Staying", "ACME");
        var leavingActive = await Contact("LeavingActive", "Other");
        var leavingPending = await Contact("LeavingPending", null);
        var unsubscribedNull = await Contact("UnsubscribedNull", null);
        var unsubscribedOther = await Contact("UnsubscribedOther", "Beta");
        var unsubscribedMatching = await Contact("UnsubscribedMatching", "acme");
        var onOtherListOnly = await Contact("OtherListOnly", "Beta");
        var uow = await Store.BeginAsync(tenant, default);
        await using (uow)
        {
            var now = Clock.GetUtcNow();
            void Member(ListId on, ContactId contact, MembershipStatus status)
                => uow.Memberships.Add(ListMembership.Create(tenant, on, contact, status, MembershipSource.Manual, now));
            Member(list.Id, staying, MembershipStatus.Active);
            Member(list.Id, leavingActive, MembershipStatus.Active);
            Member(list.Id, leavingPending, MembershipStatus.Pending);
            Member(list.Id, unsubscribedNull, MembershipStatus.Unsubscribed);
            Member(list.Id, unsubscribedOther, MembershipStatus.Unsubscribed);
            Member(list.Id, unsubscribedMatching, MembershipStatus.Unsubscribed);
            Member(other.Id, onOtherListOnly, MembershipStatus.Active);
            Member(other.Id, entering, MembershipStatus.Active);
            await uow.CommitAsync(default);
        }

        var criteria = Resolve<ICriteriaCompiler>().Compile(Criteria.Parse("""company = "Acme" """), CustomFieldSchema.Empty);

        // Act
        var diffUow = await Store.BeginAsync(tenant, default);
        MembershipDelta delta;
        IReadOnlyList<RecordedCommand> commands;
        await using (diffUow)
        {
            (delta, commands) = await _recorder.CaptureAsync(async () => await diffUow.Memberships.DiffAsync(list.Id, criteria, default));
        }

        // Assert
        Assert.Equal([entering], delta.Entering);
        Assert.Equal(new[] { leavingActive, leavingPending }.Order(), delta.Leaving.Select(m => m.ContactId).Order());
        Assert.All(delta.Leaving, m => Assert.Equal(list.Id, m.ListId));
        foreach (var command in commands)
        {
            _output.WriteLine($"[{Database.Name}] {command}");
        }

        Assert.Equal(2, commands.Count);
        Assert.All(commands, c =>
        {
            Assert.True(c.IsQuery);
            Assert.Contains("contacts_contacts", c.Text, StringComparison.Ordinal);
            Assert.Contains("contacts_list_memberships", c.Text, StringComparison.Ordinal);
            Assert.Contains("NOT EXISTS", c.Text, StringComparison.Ordinal);
            Assert.Contains("FoldedCompany", c.Text, StringComparison.Ordinal);
            Assert.DoesNotContain("'acme'", c.Text, StringComparison.OrdinalIgnoreCase);
        });
        Assert.Equal(delta.Entering.Count, commands[0].RowsRead);
        Assert.Equal(delta.Leaving.Count, commands[1].RowsRead);
    }

    /// <summary>
    /// Ids order in SQL as <see cref="Guid.CompareTo(Guid)"/> orders them (SQLite compares upper-case text,
    /// PostgreSQL uuid bytes): random ids, not only time-ordered ones, page and read back newest first in .NET order.
    /// </summary>
    [Fact]
    public async Task Ids_order_in_SQL_as_dotnet_orders_them()
    {
        // Arrange: history entries at one instant with random ids (the tie-break is the id alone), and lists.
        var tenant = NewTenant();
        var list = await Lists.CreateAsync(tenant, new ListDraft { Name = "Order" }, Admin);
        var contact = (await Contacts.CreateAsync(tenant, NewDraft(), Admin)).Id;
        var at = Clock.GetUtcNow();
        var random = new Random(20261122);
        var ids = Enumerable.Range(0, 60).Select(_ => RandomGuid(random)).ToList();
        ids.Add(Guid.Parse("00000000-0000-0000-0000-000000000001"));
        ids.Add(Guid.Parse("ffffffff-ffff-ffff-ffff-ffffffffffff"));
        ids.Add(Guid.Parse("7fffffff-ffff-ffff-ffff-ffffffffffff"));
        ids.Add(Guid.Parse("80000000-0000-0000-0000-000000000000"));
        ids.Add(Guid.Parse("00000000-0000-0000-8000-000000000000"));
        ids.Add(Guid.Parse("00000000-0000-0000-7fff-ffffffffffff"));
        var uow = await Store.BeginAsync(tenant, default);
        await using (uow)
        {
            foreach (var id in ids)
            {
                uow.MembershipHistory.Append(new MembershipHistoryEntry(id, tenant, list.Id, contact, at, null, MembershipStatus.Active, MembershipChangeReason.Manual, Admin));
            }

            var now = Clock.GetUtcNow();
            foreach (var id in ids.Take(20))
            {
                uow.Lists.Add(ContactList.Create(tenant, new ListId(id), ListDetails.Validate(new ListDraft { Name = "L " + id }, new ContactManagementOptions()), now));
            }

            await uow.CommitAsync(default);
        }

        // Act: read the history in pages of 7 from newest; page the lists.
        var read = new List<Guid>();
        MembershipHistoryPosition? before = null;
        var reader = await Store.BeginAsync(tenant, default);
        await using (reader)
        {
            while (true)
            {
                var page = await reader.MembershipHistory.ReadAsync(new MembershipHistoryQuery(contact, list.Id, null, before, 7), default);
                if (page.Count == 0)
                {
                    break;
                }

                read.AddRange(page.Select(e => e.Id));
                before = new MembershipHistoryPosition(page[^1].OccurredAt, page[^1].Id);
            }
        }

        var listed = (await AllListsAsync(tenant)).Select(l => l.Id.Value).ToList();

        // Assert
        Assert.Equal(ids.OrderDescending(), read);
        Assert.Equal(ids.Take(20).Append(list.Id.Value).Order(), listed);
    }

    /// <summary>The member count as the list row stores it.</summary>
    private async Task<long> StoredCountAsync(TenantId tenant, ListId list)
    {
        await using var context = Database.NewContext();
        return await context.Set<ListRow>().Where(r => r.TenantId == tenant.Value && r.Id == list.Value).Select(r => r.MemberCount).SingleAsync();
    }

    private static Guid RandomGuid(Random random)
    {
        var bytes = new byte[16];
        random.NextBytes(bytes);
        return new Guid(bytes);
    }
}

public sealed class SqliteListStoreTests(ITestOutputHelper output) : ListStoreTests(output)
{
    protected override TestDatabase Database => SqliteTestDatabase.Instance;
}

public sealed class PostgresListStoreTests(ITestOutputHelper output) : ListStoreTests(output)
{
    protected override TestDatabase Database => PostgresTestDatabase.Instance;
}
