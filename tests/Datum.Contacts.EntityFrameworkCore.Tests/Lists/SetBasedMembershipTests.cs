using System.Data.Common;
using System.Globalization;
using Datum.Contacts.Specification.Tests;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Diagnostics;
using Microsoft.Extensions.DependencyInjection;
using Xunit;
using Xunit.Abstractions;

namespace Datum.Contacts.EntityFrameworkCore.Tests;

/// <summary>
/// What only the EF Core store's set-based maintenance of dynamic lists can get wrong: history ids built in SQL, a
/// concurrent writer between the count and the commit, pending members, and memory that does not grow with the list.
/// </summary>
public abstract class SetBasedMembershipTests : ContactManagementSpecification
{
    private readonly OnceAfterCommand _interceptor = new();

    protected abstract TestDatabase Database { get; }

    protected override void UseStore(ContactManagementBuilder builder) => Database.Use(builder, o => o.AddInterceptors(_interceptor));

    /// <summary>
    /// The history entries of a set-based fill have UUID version 7 ids, made in SQL, distinct in their random bits,
    /// increasing in contact id order, after every id made before the fill and before every id made after it.
    /// </summary>
    [Fact]
    public async Task History_ids_made_in_SQL_are_time_ordered_version_7_ids()
    {
        // Arrange
        var tenant = NewTenant();
        var contacts = await SeedAsync(Store, Clock, tenant, 300);
        var before = TimeOrderedGuid.Next(Clock.GetUtcNow());

        // Act
        var list = await Lists.CreateAsync(tenant, new ListDraft { Name = "Acme", Kind = ListKind.Dynamic, Criteria = Criteria.Parse("company = \"Acme\"") }, Admin);
        var after = TimeOrderedGuid.Next(Clock.GetUtcNow());

        // Assert
        var entries = new List<MembershipHistoryEntry>();
        foreach (var contact in contacts.Where((_, i) => i % 2 == 0))
        {
            entries.Add(Assert.Single(await AllHistoryAsync(tenant, contact, list.Id)));
        }

        var ids = entries.Select(e => e.Id).ToList();
        Assert.Equal(150, list.MemberCount);
        Assert.All(ids, id => Assert.Equal(7, id.Version));
        Assert.All(ids, id => Assert.Equal(0b10, id.Variant >> 2));
        Assert.All(ids, id => Assert.InRange(id, before, after));
        Assert.Equal(ids.Order(), entries.OrderBy(e => e.Contact).Select(e => e.Id));
        Assert.Equal(ids.Count, ids.Select(id => id.ToString()[19..]).Distinct().Count());
    }

    /// <summary>
    /// A member leaves from any status but unsubscribed: a pending membership that no longer matches is removed with a
    /// history entry from pending, and the member count, which counts active members only, does not move for it.
    /// </summary>
    [Fact]
    public async Task A_refresh_removes_pending_members_without_moving_the_count()
    {
        // Arrange
        var tenant = NewTenant();
        var contacts = await SeedAsync(Store, Clock, tenant, 4);
        var list = await Lists.CreateAsync(tenant, new ListDraft { Name = "Acme", Kind = ListKind.Dynamic, Criteria = Criteria.Parse("company = \"Acme\"") }, Admin);
        await using (var uow = await Store.BeginAsync(tenant, default))
        {
            uow.Memberships.Add(ListMembership.Create(tenant, list.Id, contacts[1], MembershipStatus.Pending, MembershipSource.Manual, Clock.GetUtcNow()));
            await uow.CommitAsync(default);
        }

        // Act
        var result = await Lists.RefreshAsync(tenant, list.Id, Admin);

        // Assert
        Assert.Equal(new ListRefreshResult(0, 1), result);
        Assert.Null(await Lists.FindMembershipAsync(tenant, list.Id, contacts[1]));
        Assert.Equal(2, (await Lists.GetAsync(tenant, list.Id)).MemberCount);
        var exit = Assert.Single(await AllHistoryAsync(tenant, contacts[1], list.Id));
        Assert.Equal(((MembershipStatus?)MembershipStatus.Pending, (MembershipStatus?)null), (exit.From, exit.To));
    }

    /// <summary>
    /// A contact that starts to match between the count of a criteria change and its commit makes the commit fail with
    /// a typed conflict, leaving the list, its members and its history as they were; the change applied again takes it in.
    /// </summary>
    [Fact]
    public async Task A_writer_between_the_count_and_the_commit_makes_the_change_conflict()
    {
        // Arrange
        var tenant = NewTenant();
        await SeedAsync(Store, Clock, tenant, 40);
        var list = await Lists.CreateAsync(tenant, new ListDraft { Name = "Acme", Kind = ListKind.Dynamic, Criteria = Criteria.Parse("company = \"Acme\"") }, Admin);
        var members = await ActiveMemberIdsAsync(tenant, list.Id);
        var flip = new ListDraft { Name = "Acme", Kind = ListKind.Dynamic, Criteria = Criteria.Parse("company = \"Globex\"") };
        Contact? late = null;

        // The writer commits right after the service counted the members that leave (the last count before the commit).
        _interceptor.Arm(
            command => command.CommandText.Contains("GROUP BY", StringComparison.Ordinal),
            async () => late = await Contacts.CreateAsync(tenant, NewDraft("Late") with { Company = "Globex" }, Admin));

        // Act
        var conflict = await Assert.ThrowsAsync<ConcurrencyConflictException>(() => Lists.UpdateAsync(tenant, list.Id, flip, null, Admin));
        var unchanged = await Lists.GetAsync(tenant, list.Id);
        var membersAfter = await ActiveMemberIdsAsync(tenant, list.Id);
        var lateHistory = await AllHistoryAsync(tenant, late!.Id);
        var memberHistory = await AllHistoryAsync(tenant, members[0], list.Id);
        var retried = await Lists.UpdateAsync(tenant, list.Id, flip, null, Admin);

        // Assert
        Assert.Equal(AuditEntityTypes.List, conflict.EntityType);
        Assert.Equal(list.Id.ToString(), conflict.EntityId);
        Assert.Equal((list.Version, list.Criteria, 20L), (unchanged.Version, unchanged.Criteria, unchanged.MemberCount));
        Assert.Equal(members, membersAfter);
        Assert.Empty(lateHistory);
        Assert.True(Assert.Single(memberHistory).IsEntry);
        Assert.Equal(21, retried.MemberCount);
        Assert.Contains(late.Id, await ActiveMemberIdsAsync(tenant, list.Id));
    }

    /// <summary>
    /// Contacts whose company alternates between Acme and Globex, made by the core and added in units of work of 5,000
    /// (the even ones at Acme).
    /// </summary>
    internal static async Task<List<ContactId>> SeedAsync(IContactManagementStore store, TimeProvider clock, TenantId tenant, int count)
    {
        var options = new ContactManagementOptions();
        var ids = new List<ContactId>(count);
        foreach (var chunk in Enumerable.Range(0, count).Chunk(5_000))
        {
            await using var uow = await store.BeginAsync(tenant, default);
            foreach (var i in chunk)
            {
                var draft = new ContactDraft { Email = string.Create(CultureInfo.InvariantCulture, $"c{i}@example.com"), Company = i % 2 == 0 ? "Acme" : "Globex" };
                var contact = Contact.Create(tenant, ContactId.New(clock), ContactDetails.Validate(draft, CustomFieldSchema.Empty, options), ContactSource.Import, clock.GetUtcNow());
                uow.Contacts.Add(contact);
                ids.Add(contact.Id);
            }

            await uow.CommitAsync(default);
        }

        return ids;
    }

    /// <summary>Runs an action once, right after the first reader command that matches a test has executed.</summary>
    private sealed class OnceAfterCommand : DbCommandInterceptor
    {
        private (Func<DbCommand, bool> Matches, Func<Task> Action)? _armed;

        public void Arm(Func<DbCommand, bool> matches, Func<Task> action) => _armed = (matches, action);

        public override async ValueTask<DbDataReader> ReaderExecutedAsync(DbCommand command, CommandExecutedEventData eventData, DbDataReader result, CancellationToken cancellationToken = default)
        {
            if (_armed is { } armed && armed.Matches(command))
            {
                _armed = null;
                await armed.Action();
            }

            return result;
        }
    }
}

public sealed class SqliteSetBasedMembershipTests : SetBasedMembershipTests
{
    protected override TestDatabase Database => SqliteTestDatabase.Instance;
}

public sealed class PostgresSetBasedMembershipTests : SetBasedMembershipTests
{
    protected override TestDatabase Database => PostgresTestDatabase.Instance;
}

/// <summary>Tests that measure the process's allocations: they run alone, after the others.</summary>
[CollectionDefinition(nameof(AllocationMeasurements), DisableParallelization = true)]
public sealed class AllocationMeasurements;

/// <summary>
/// Filling a dynamic list and flipping its criteria allocate the same whatever the number of members: three times the
/// members take about the same memory, far below what one object per membership would need.
/// </summary>
public abstract class SetBasedMemoryTests : ContactManagementSpecification
{
    private readonly ITestOutputHelper _output;

    protected SetBasedMemoryTests(ITestOutputHelper output) => _output = output;

    protected abstract TestDatabase Database { get; }

    protected override void UseStore(ContactManagementBuilder builder) => Database.Use(builder);

    [Fact]
    public async Task Filling_and_flipping_a_list_allocate_independently_of_its_size()
    {
        // Arrange: batches of 4,000 contacts, so that the bigger tenant's fill and flip run in several.
        const int Small = 8_000;
        const int Big = 24_000;
        var batchSize = EntityFrameworkCoreUnitOfWork.SetBasedBatchSize;
        try
        {
            var warm = NewTenant();
            var small = NewTenant();
            var big = NewTenant();
            await SetBasedMembershipTests.SeedAsync(Store, Clock, warm, 2_000);
            await SetBasedMembershipTests.SeedAsync(Store, Clock, small, Small);
            await SetBasedMembershipTests.SeedAsync(Store, Clock, big, Big);

            // Warms up the JIT and EF Core's query cache with every statement shape, the batched ones included (a first,
            // middle and last batch): compiling a shape the first time allocates megabytes, which must not land in one
            // measurement only (the small tenant's fill fits one batch, the big one's does not).
            EntityFrameworkCoreUnitOfWork.SetBasedBatchSize = 300;
            await MeasureAsync(warm, 2_000);
            EntityFrameworkCoreUnitOfWork.SetBasedBatchSize = 4_000;

            // Act
            var (smallFill, smallFlip) = await MeasureAsync(small, Small);
            var (bigFill, bigFlip) = await MeasureAsync(big, Big);

            // Assert: one object per membership took about 11 KB per membership moved (2.2 GB for 200,000 joins); here
            // less than 1 KB per membership, and three times the members add a few batches' worth, not three times the bytes.
            _output.WriteLine(FormattableString.Invariant($"[{Database.Name}] fill {Small / 2:N0}: {smallFill:N0} B, {Big / 2:N0}: {bigFill:N0} B; flip {Small:N0}: {smallFlip:N0} B, {Big:N0}: {bigFlip:N0} B"));
            Assert.InRange(bigFill, 0, (Big / 2) * 1_000L);
            Assert.InRange(bigFlip, 0, Big * 1_000L);
            Assert.InRange(bigFill, 0, smallFill + 4_000_000);
            Assert.InRange(bigFlip, 0, smallFlip + 4_000_000);
        }
        finally
        {
            EntityFrameworkCoreUnitOfWork.SetBasedBatchSize = batchSize;
        }
    }

    /// <summary>Creates a list of the tenant's Acme half and flips it to the Globex half; returns the bytes each call allocated.</summary>
    private async Task<(long Fill, long Flip)> MeasureAsync(TenantId tenant, int contacts)
    {
        var acme = new ListDraft { Name = "Acme", Kind = ListKind.Dynamic, Criteria = Criteria.Parse("company = \"Acme\"") };
        var globex = acme with { Criteria = Criteria.Parse("company = \"Globex\"") };
        var lists = Lists;

        var start = GC.GetTotalAllocatedBytes(precise: true);
        var list = await lists.CreateAsync(tenant, acme, Admin);
        var filled = GC.GetTotalAllocatedBytes(precise: true);
        var flipped = await lists.UpdateAsync(tenant, list.Id, globex, null, Admin);
        var end = GC.GetTotalAllocatedBytes(precise: true);

        Assert.Equal(contacts / 2, list.MemberCount);
        Assert.Equal(contacts / 2, flipped.MemberCount);
        Assert.Equal(contacts / 2, (await lists.GetAsync(tenant, list.Id)).MemberCount);
        return (filled - start, end - filled);
    }
}

[Collection(nameof(AllocationMeasurements))]
public sealed class SqliteSetBasedMemoryTests(ITestOutputHelper output) : SetBasedMemoryTests(output)
{
    protected override TestDatabase Database => SqliteTestDatabase.Instance;
}

[Collection(nameof(AllocationMeasurements))]
public sealed class PostgresSetBasedMemoryTests(ITestOutputHelper output) : SetBasedMemoryTests(output)
{
    protected override TestDatabase Database => PostgresTestDatabase.Instance;
}
