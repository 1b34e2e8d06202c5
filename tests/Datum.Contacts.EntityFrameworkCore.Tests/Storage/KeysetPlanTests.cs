using System.Text.Json;
using System.Text.RegularExpressions;
using Datum.Contacts.Specification.Tests;
using Microsoft.Data.Sqlite;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Npgsql;
using Xunit;
using Xunit.Abstractions;

namespace Datum.Contacts.EntityFrameworkCore.Tests;

/// <summary>
/// Every keyset read seeks: for each listing, the page after a cursor 3,000 rows deep into 6,000 starts at the cursor
/// in the index instead of filtering every row before it. The SQL the store sends is recorded
/// (<see cref="SqlRecorder"/>) and explained with its parameters: on PostgreSQL with <c>EXPLAIN (ANALYZE, FORMAT JSON)</c>
/// (the sort key is in an index scan's "Index Cond", and "Rows Removed by Filter" on the listing's table stays under
/// 100; without a cursor the scan returns about a page); on SQLite with <c>EXPLAIN QUERY PLAN</c> (a <c>SEARCH ... USING INDEX (TenantId=? AND
/// key&gt;?)</c> and no temporary B-tree for the order).
/// </summary>
public abstract class KeysetPlanTests : ContactManagementSpecification
{
    /// <summary>The most rows a seek may remove by filter or return from its index scan; the position is at 3,000.</summary>
    protected const int Bound = 100;

    private const int PageSize = 50;

    private readonly SqlRecorder _recorder = new();
    private readonly KeysetPlanSeed _seed;
    private readonly ITestOutputHelper _output;

    protected KeysetPlanTests(KeysetPlanSeed seed, ITestOutputHelper output)
    {
        _seed = seed;
        _output = output;
    }

    /// <summary>The listings, for the theories.</summary>
    public static TheoryData<string> Listings => [.. Cases.Keys];

    /// <summary>Each listing: the column the seek must use in the index, and the read at a deep cursor.</summary>
    private static Dictionary<string, (string Key, Func<IUnitOfWork, KeysetPlanSeed, Task> Read)> Cases { get; } = BuildCases();

    protected abstract TestDatabase Database { get; }

    protected override void UseStore(ContactManagementBuilder builder) => Database.Use(builder, o => o.AddInterceptors(_recorder));

    /// <summary>The page after a deep cursor is read by seeking to the cursor in an index.</summary>
    /// <param name="listing">The listing.</param>
    [Theory]
    [MemberData(nameof(Listings))]
    public async Task A_page_deep_in_a_listing_seeks_to_its_cursor(string listing)
    {
        // Arrange
        var (key, read) = Cases[listing];
        var uow = await Store.BeginAsync(_seed.Tenant, default);
        await using var _ = uow;

        // Act
        var (__, commands) = await _recorder.CaptureAsync(async () =>
        {
            await read(uow, _seed);
            return true;
        });

        // Assert
        var queries = commands.Where(c => c.IsQuery).ToList();
        var page = queries.First(c => c.Text.Contains($"\"{key}\"", StringComparison.Ordinal));
        await AssertSeeksAsync(page, queries, key);
    }

    /// <summary>Checks the plan of <paramref name="page"/> (and of every other query of the read).</summary>
    protected abstract Task AssertSeeksAsync(RecordedCommand page, IReadOnlyList<RecordedCommand> queries, string key);

    protected void Log(string text) => _output.WriteLine(text);

    private static Dictionary<string, (string Key, Func<IUnitOfWork, KeysetPlanSeed, Task> Read)> BuildCases()
    {
        var cases = new Dictionary<string, (string, Func<IUnitOfWork, KeysetPlanSeed, Task>)>(StringComparer.Ordinal);
        var columns = new Dictionary<ContactSortField, string>
        {
            [ContactSortField.CreatedAt] = nameof(ContactRow.CreatedAtTicks),
            [ContactSortField.UpdatedAt] = nameof(ContactRow.UpdatedAtTicks),
            [ContactSortField.Email] = nameof(ContactRow.SortEmail),
            [ContactSortField.LastName] = nameof(ContactRow.SortLastName),
        };
        foreach (var (sort, column) in columns)
        {
            foreach (var direction in Enum.GetValues<SortDirection>())
            {
                cases[$"contacts by {sort} {direction}"] = (column, (uow, seed) =>
                    uow.Contacts.ListAsync(new ContactPageQuery(sort, direction, seed.ContactPosition(sort, direction), PageSize), default).AsTask());
            }
        }

        const string Ticks = nameof(AuditEntryRow.OccurredAtTicks);
        cases["audit log of the tenant"] = (Ticks, (uow, seed) =>
            uow.AuditLog.ReadAsync(new AuditLogQuery(PageSize, Before: KeysetPlanSeed.Before(seed.Audit).ToAudit()), default).AsTask());
        cases["audit log of one entity"] = (Ticks, (uow, seed) =>
            uow.AuditLog.ReadAsync(new AuditLogQuery(PageSize, AuditEntityTypes.Contact, seed.Owner.ToString(), KeysetPlanSeed.Before(seed.Audit).ToAudit()), default).AsTask());
        cases["membership history of a contact on a list"] = (Ticks, (uow, seed) =>
            uow.MembershipHistory.ReadAsync(new MembershipHistoryQuery(new ContactId(seed.Owner), new ListId(seed.List), null, KeysetPlanSeed.Before(seed.History).ToHistory(), PageSize), default).AsTask());
        cases["membership history of a contact"] = (Ticks, (uow, seed) =>
            uow.MembershipHistory.ReadAsync(new MembershipHistoryQuery(new ContactId(seed.Owner), null, null, KeysetPlanSeed.Before(seed.History).ToHistory(), PageSize), default).AsTask());
        cases["consent ledger of a contact"] = (Ticks, (uow, seed) =>
            uow.ConsentEvidence.ReadAsync(new ConsentEvidenceQuery(new ContactId(seed.Owner), null, null, KeysetPlanSeed.Before(seed.Evidence), PageSize), default).AsTask());
        cases["engagements of a contact (newest first, no cursor)"] = (nameof(EngagementRow.ContactId), (uow, seed) =>
            uow.Engagements.ReadAsync(new ContactId(seed.Owner), PageSize, default).AsTask());
        cases["list members"] = (nameof(ListMembershipRow.ContactId), (uow, seed) =>
            uow.Memberships.PageAsync(new MembershipPageQuery(new ListId(seed.List), null, null, seed.MemberAfter(null), PageSize), default).AsTask());
        cases["list members by status"] = (nameof(ListMembershipRow.ContactId), (uow, seed) =>
            uow.Memberships.PageAsync(new MembershipPageQuery(new ListId(seed.List), MembershipStatus.Pending, null, seed.MemberAfter(MembershipStatus.Pending), PageSize), default).AsTask());
        cases["suppressions"] = (nameof(SuppressionRow.Value), (uow, seed) =>
            uow.Suppressions.ListAsync((SuppressionKind.Email, KeysetPlanSeed.SuppressionAfter), PageSize, default).AsTask());
        return cases;
    }
}

/// <summary>
/// 6,000 rows in each table a keyset read pages, in one tenant, inserted in bulk and analyzed once per provider.
/// Every time and every last name appears twice, so the tie-breaker is exercised too.
/// </summary>
public abstract class KeysetPlanSeed : IAsyncLifetime
{
    /// <summary>Rows per table.</summary>
    public const int Rows = 6_000;

    /// <summary>How many rows of the read's order lie before the cursor.</summary>
    public const int Position = 3_000;

    private static readonly long Start = new DateTimeOffset(2025, 1, 1, 0, 0, 0, TimeSpan.Zero).UtcTicks;

    /// <summary>The tenant holding the rows.</summary>
    public TenantId Tenant { get; } = TenantId.Parse("plan-" + Guid.NewGuid().ToString("N")[..16]);

    /// <summary>The list every contact is on.</summary>
    public Guid List { get; } = Guid.NewGuid();

    /// <summary>The contact the audit log, history, ledger and engagements belong to.</summary>
    public Guid Owner => Contacts[0].Id;

    internal List<ContactRow> Contacts { get; private set; } = [];

    internal List<AuditEntryRow> Audit { get; private set; } = [];

    internal List<MembershipHistoryRow> History { get; private set; } = [];

    internal List<ConsentEvidenceRow> Evidence { get; private set; } = [];

    internal List<ListMembershipRow> Members { get; private set; } = [];

    /// <summary>The suppressed value the suppression cursor is on.</summary>
    public static string SuppressionAfter => $"s{Position:D5}@example.com";

    protected abstract TestDatabase Database { get; }

    public async Task InitializeAsync()
    {
        var tenant = Tenant.Value;
        static long At(int i) => Start + (i / 2 * TimeSpan.TicksPerSecond);
        var indexes = Enumerable.Range(0, Rows).ToList();
        Contacts = indexes.Select(i => new ContactRow
        {
            TenantId = tenant,
            Id = Guid.NewGuid(),
            LastName = $"Name{i / 2:D5}",
            FoldedLastName = $"name{i / 2:D5}",
            SortLastName = $"name{i / 2:D5}",
            Email = $"c{i:D5}@example.com",
            EmailNormalized = $"c{i:D5}@example.com",
            FoldedEmail = $"c{i:D5}@example.com",
            SortEmail = $"c{i:D5}@example.com",
            Status = ContactStatus.Active,
            Source = ContactSource.Manual,
            CreatedAtTicks = At(i),
            UpdatedAtTicks = At(Rows - 1 - i),
            Version = 1,
        }).ToList();
        var owner = Contacts[0].Id;
        Audit = indexes.Select(i => new AuditEntryRow
        {
            TenantId = tenant, Id = Guid.NewGuid(), OccurredAtTicks = At(i), ActorKind = ActorKind.AdminUser, ActorId = "plan",
            Action = AuditActions.ContactUpdated, EntityType = AuditEntityTypes.Contact, EntityId = owner.ToString(),
        }).ToList();
        History = indexes.Select(i => new MembershipHistoryRow
        {
            TenantId = tenant, Id = Guid.NewGuid(), ListId = List, ContactId = owner, OccurredAtTicks = At(i),
            ToStatus = MembershipStatus.Active, Reason = MembershipChangeReason.Manual, ActorKind = ActorKind.AdminUser, ActorId = "plan",
        }).ToList();
        Evidence = indexes.Select(i => new ConsentEvidenceRow
        {
            TenantId = tenant, Id = Guid.NewGuid(), ContactId = owner, Channel = "email", Action = ConsentAction.Requested,
            FromState = ConsentState.None, ToState = ConsentState.Pending, OccurredAtTicks = At(i), ActorKind = ActorKind.AdminUser,
            ActorId = "plan", Source = ConsentSource.Form, LawfulBasis = LawfulBasis.Consent,
        }).ToList();
        var engagements = indexes.Select(i => new EngagementRow
        {
            TenantId = tenant, Id = Guid.NewGuid(), ContactId = owner, Channel = "email", Kind = i % 2 == 0 ? EngagementKind.Sent : EngagementKind.Opened, OccurredAtTicks = At(i),
        });
        Members = Contacts.Select((c, i) => new ListMembershipRow
        {
            TenantId = tenant, ListId = List, ContactId = c.Id, Status = i % 3 == 0 ? MembershipStatus.Pending : MembershipStatus.Active,
            Source = MembershipSource.Manual, JoinedAtTicks = Start, UpdatedAtTicks = Start, Version = 1,
        }).ToList();
        var suppressions = indexes.Select(i => new SuppressionRow
        {
            TenantId = tenant, Kind = SuppressionKind.Email, Value = $"s{i:D5}@example.com", Reason = SuppressionReason.Blocklist,
            CreatedAtTicks = Start, ActorKind = ActorKind.AdminUser, ActorId = "plan",
        });

        await using var context = Database.NewContext();
        context.ChangeTracker.AutoDetectChangesEnabled = false;
        context.AddRange(Contacts);
        context.AddRange(Audit);
        context.AddRange(History);
        context.AddRange(Evidence);
        context.AddRange(engagements);
        context.Add(new ListRow { TenantId = tenant, Id = List, Name = "Plan", NameKey = "plan", Kind = ListKind.Static, MemberCount = Rows, CreatedAtTicks = Start, UpdatedAtTicks = Start, Version = 1 });
        context.AddRange(Members);
        context.AddRange(suppressions);
        await context.SaveChangesAsync();
        await context.Database.ExecuteSqlRawAsync("ANALYZE");
    }

    public Task DisposeAsync() => Task.CompletedTask;

    /// <summary>The position of the contact with <see cref="Position"/> contacts before it in the listing's order.</summary>
    internal ContactPosition ContactPosition(ContactSortField sort, SortDirection direction)
    {
        var ordered = Contacts.OrderBy(c => sort switch
        {
            ContactSortField.CreatedAt => c.CreatedAtTicks.ToString("D20", System.Globalization.CultureInfo.InvariantCulture),
            ContactSortField.UpdatedAt => c.UpdatedAtTicks.ToString("D20", System.Globalization.CultureInfo.InvariantCulture),
            ContactSortField.Email => c.SortEmail,
            _ => c.SortLastName,
        }, StringComparer.Ordinal).ThenBy(c => c.Id).ToList();
        var contact = ordered[direction == SortDirection.Ascending ? Position : Rows - 1 - Position];
        var key = sort switch
        {
            ContactSortField.CreatedAt => new ContactSortKey(new DateTimeOffset(contact.CreatedAtTicks, TimeSpan.Zero), null),
            ContactSortField.UpdatedAt => new ContactSortKey(new DateTimeOffset(contact.UpdatedAtTicks, TimeSpan.Zero), null),
            ContactSortField.Email => new ContactSortKey(null, contact.SortEmail),
            _ => new ContactSortKey(null, contact.SortLastName),
        };
        return new ContactPosition(key, new ContactId(contact.Id));
    }

    /// <summary>The position of the row with <see cref="Position"/> newer rows before it, newest first.</summary>
    internal static (DateTimeOffset OccurredAt, Guid Id) Before<TRow>(IEnumerable<TRow> rows)
        where TRow : ITimeOrderedRow
    {
        var row = rows.OrderBy(r => r.OccurredAtTicks).ThenBy(r => r.Id).ElementAt(Rows - 1 - Position);
        return (new DateTimeOffset(row.OccurredAtTicks, TimeSpan.Zero), row.Id);
    }

    /// <summary>The member with <see cref="Position"/> members before it by contact id (a third as many for one status: a third are pending).</summary>
    internal ContactId MemberAfter(MembershipStatus? status)
        => new(Members.Where(m => status is null || m.Status == status).OrderBy(m => m.ContactId).ElementAt(status is null ? Position : Position / 3).ContactId);
}

/// <summary>Positions in the newest-first tables as their queries take them.</summary>
internal static class KeysetPositions
{
    public static AuditLogPosition ToAudit(this (DateTimeOffset OccurredAt, Guid Id) position) => new(position.OccurredAt, position.Id);

    public static MembershipHistoryPosition ToHistory(this (DateTimeOffset OccurredAt, Guid Id) position) => new(position.OccurredAt, position.Id);
}

public sealed class PostgresKeysetPlanSeed : KeysetPlanSeed
{
    protected override TestDatabase Database => PostgresTestDatabase.Instance;
}

public sealed class SqliteKeysetPlanSeed : KeysetPlanSeed
{
    protected override TestDatabase Database => SqliteTestDatabase.Instance;
}

/// <summary>PostgreSQL: <c>EXPLAIN (ANALYZE, FORMAT JSON)</c> of the recorded SQL with its parameters.</summary>
public sealed class PostgresKeysetPlanTests(PostgresKeysetPlanSeed seed, ITestOutputHelper output)
    : KeysetPlanTests(seed, output), IClassFixture<PostgresKeysetPlanSeed>
{
    protected override TestDatabase Database => PostgresTestDatabase.Instance;

    protected override async Task AssertSeeksAsync(RecordedCommand page, IReadOnlyList<RecordedCommand> queries, string key)
    {
        // The page itself: an index scan whose index condition holds the key. With a cursor, the key is a range there
        // (the read starts at the cursor; the planner may still read the range in a bitmap and sort its top rows, when
        // its estimates say so). Without a cursor (a contact's latest engagements), the index must give the order: the
        // scan returns about a page, not all of the contact's rows to be sorted.
        var plan = await ExplainAsync(page);
        var seek = Nodes(plan).FirstOrDefault(n => n.TryGetProperty("Index Cond", out var condition) && condition.GetString()!.Contains($"\"{key}\"", StringComparison.Ordinal));
        Assert.True(seek.ValueKind == JsonValueKind.Object, $"no index scan has \"{key}\" in its Index Cond:{Environment.NewLine}{plan}");
        if (!seek.GetProperty("Index Cond").GetString()!.Contains($"\"{key}\" <", StringComparison.Ordinal)
            && !seek.GetProperty("Index Cond").GetString()!.Contains($"\"{key}\" >", StringComparison.Ordinal))
        {
            Assert.InRange(seek.GetProperty("Actual Rows").GetDouble(), 0, Bound);
        }

        // Every query of the read (split-query children repeat the page): no filter on the listing's table removes
        // rows in proportion to the position. (Other tables, such as a small child table, may be scanned whole.)
        var table = TableOf(plan, seek);
        foreach (var query in queries)
        {
            var queryPlan = query == page ? plan : await ExplainAsync(query);
            var removed = Nodes(queryPlan)
                .Where(n => n.TryGetProperty("Relation Name", out var relation) && relation.GetString() == table)
                .Sum(n => n.TryGetProperty("Rows Removed by Filter", out var rows) ? rows.GetDouble() : 0);
            Assert.True(removed < Bound, $"{removed} rows of {table} removed by filter:{Environment.NewLine}{query}{Environment.NewLine}{queryPlan}");
        }
    }

    /// <summary>The table an index scan reads: its own, or, for a bitmap index scan, that of the heap scan above it.</summary>
    private static string? TableOf(JsonElement plan, JsonElement scan)
    {
        if (scan.TryGetProperty("Relation Name", out var relation))
        {
            return relation.GetString();
        }

        var index = scan.GetProperty("Index Name").GetString();
        return Nodes(plan)
            .First(n => n.TryGetProperty("Relation Name", out _) && n.TryGetProperty("Plans", out var children)
                && children.EnumerateArray().Any(c => c.TryGetProperty("Index Name", out var name) && name.GetString() == index))
            .GetProperty("Relation Name").GetString();
    }

    private static IEnumerable<JsonElement> Nodes(JsonElement node)
        => node.TryGetProperty("Plans", out var children) ? children.EnumerateArray().SelectMany(Nodes).Prepend(node) : [node];

    private async Task<JsonElement> ExplainAsync(RecordedCommand command)
    {
        await using var connection = new NpgsqlConnection(Database.ConnectionString);
        await connection.OpenAsync();
        await using var explain = new NpgsqlCommand("EXPLAIN (ANALYZE, FORMAT JSON) " + command.Text, connection);
        foreach (var parameter in command.Parameters)
        {
            explain.Parameters.AddWithValue(parameter.Name, parameter.Value ?? DBNull.Value);
        }

        var json = (string)(await explain.ExecuteScalarAsync())!;
        var plan = JsonDocument.Parse(json).RootElement[0].GetProperty("Plan").Clone();
        Log(command + Environment.NewLine + plan);
        return plan;
    }
}

/// <summary>SQLite: <c>EXPLAIN QUERY PLAN</c> of the recorded SQL.</summary>
public sealed class SqliteKeysetPlanTests(SqliteKeysetPlanSeed seed, ITestOutputHelper output)
    : KeysetPlanTests(seed, output), IClassFixture<SqliteKeysetPlanSeed>
{
    protected override TestDatabase Database => SqliteTestDatabase.Instance;

    protected override async Task AssertSeeksAsync(RecordedCommand page, IReadOnlyList<RecordedCommand> queries, string key)
    {
        await using var connection = new SqliteConnection(Database.ConnectionString);
        await connection.OpenAsync();
        await using var explain = connection.CreateCommand();
        explain.CommandText = "EXPLAIN QUERY PLAN " + page.Text;
        foreach (var parameter in page.Parameters)
        {
            explain.Parameters.AddWithValue(parameter.Name, parameter.Value ?? DBNull.Value);
        }

        var details = new List<string>();
        await using (var reader = await explain.ExecuteReaderAsync())
        {
            while (await reader.ReadAsync())
            {
                details.Add(reader.GetString(3));
            }
        }

        var plan = string.Join(Environment.NewLine, details);
        Log(page + Environment.NewLine + plan);

        // A search of an index on the tenant (and the list), then a range or an equality on the key; never a sort.
        var seek = new Regex($@"^SEARCH \S+ USING (COVERING )?INDEX \S+ \(TenantId=\?( AND \w+=\?)* AND {key}(>|<|=)\?", RegexOptions.None, TimeSpan.FromSeconds(1));
        Assert.True(details.Any(seek.IsMatch), $"no index search on {key}:{Environment.NewLine}{plan}");
        Assert.DoesNotContain(details, d => d.Contains("TEMP B-TREE", StringComparison.Ordinal));
    }
}
