using System.Globalization;
using BenchmarkDotNet.Attributes;
using BenchmarkDotNet.Columns;
using BenchmarkDotNet.Configs;
using BenchmarkDotNet.Engines;
using BenchmarkDotNet.Jobs;
using BenchmarkDotNet.Reports;
using BenchmarkDotNet.Running;
using BenchmarkDotNet.Toolchains.InProcess.Emit;

namespace Datum.Contacts.Benchmarks;

/// <summary>
/// The provider and size parameters of the EF Core scale benchmarks (<c>DATUM_EF_SCALE_PROVIDERS</c>,
/// <c>DATUM_EF_SCALE_SIZES</c>; both providers at 100,000 and 1,000,000 by default). Every database is a copy of a
/// cached template (see <see cref="ScaleDatabases"/>).
/// </summary>
public abstract class EfScaleBenchmarkBase
{
    /// <summary>The provider.</summary>
    [ParamsSource(nameof(Providers))]
    public EfProvider Provider { get; set; }

    /// <summary>How many contacts the tenant holds.</summary>
    [ParamsSource(nameof(Sizes))]
    public int Size { get; set; }

    /// <summary>The providers to run.</summary>
    public static IEnumerable<EfProvider> Providers() => ScaleDatabases.Providers();

    /// <summary>The sizes to run.</summary>
    public static IEnumerable<int> Sizes() => ScaleDatabases.Sizes();

    internal static T Wait<T>(Task<T> task) => task.GetAwaiter().GetResult();

    internal static void Wait(ValueTask task) => task.AsTask().GetAwaiter().GetResult();
}

/// <summary>
/// The EF Core scale benchmarks run in the BenchmarkDotNet process (in-process toolchain): no generated project to build
/// per job (which can take minutes on a busy machine), and every case shares the process's cached templates. Short
/// operations: 3 warm-up and 10 measured iterations.
/// </summary>
public class InProcessConfig : ManualConfig
{
    /// <summary>The job.</summary>
    public InProcessConfig()
        : this(Job.Default.WithWarmupCount(3).WithIterationCount(10))
    {
    }

    /// <summary>A job, in process.</summary>
    /// <remarks>The toolchain's time limit per case covers the setup too, which may seed 1,000,000 contacts: 3 hours.</remarks>
    protected InProcessConfig(Job job) => AddJob(job.WithToolchain(new InProcessEmitToolchain(TimeSpan.FromHours(3), logOutput: true)));
}

/// <summary>
/// Operations of seconds to minutes, each invoked once per iteration (monitoring strategy, as for cold starts): one
/// launch, no warm-up beyond BenchmarkDotNet's first (jitting) invocation, 3 measured iterations.
/// </summary>
public class LongOperationConfig : InProcessConfig
{
    /// <summary>The job.</summary>
    public LongOperationConfig()
        : base(Job.Default.WithStrategy(RunStrategy.Monitoring).WithLaunchCount(1).WithWarmupCount(0).WithIterationCount(3))
    {
    }
}

/// <summary>
/// One page of the default listing (creation order, the default page size) through <see cref="IContactService.PageAsync"/>,
/// from a cursor at position 1,000 (the baseline) and at the end of the tenant (position size − page size, about
/// 1,000,000 at 1,000,000): keyset paging should cost the same wherever the page is (target: within 2x).
/// </summary>
[MemoryDiagnoser]
[Config(typeof(InProcessConfig))]
public class EfScalePageAtPositionBenchmarks : EfScaleBenchmarkBase
{
    private const int NearPosition = 1_000;
    private ScaleDatabase _database = null!;
    private ContactPageRequest _near = null!;
    private ContactPageRequest _far = null!;

    /// <summary>Copies the analyzed template and checks that each cursor's page starts at the contact after its position.</summary>
    [GlobalSetup]
    public async Task Setup()
    {
        _database = await ScaleDatabases.CopyAsync(Provider, ScaleKind.Analyzed, Size);
        var pageSize = new ContactManagementOptions().DefaultPageSize;
        _near = new ContactPageRequest(Cursor: CursorAfter(NearPosition));
        _far = new ContactPageRequest(Cursor: CursorAfter(Size - pageSize));
        await CheckAsync(_near, NearPosition);
        await CheckAsync(_far, Size - pageSize);
    }

    /// <summary>Drops the copy.</summary>
    [GlobalCleanup]
    public ValueTask Cleanup() => _database.DisposeAsync();

    /// <summary>The page after position 1,000.</summary>
    [Benchmark(Baseline = true)]
    public async Task<int> PageAt1000() => (await _database.Contacts.PageAsync(ScaleContacts.Tenant, _near)).Items.Count;

    /// <summary>The last page: after position size − page size.</summary>
    [Benchmark]
    public async Task<int> PageAtEnd() => (await _database.Contacts.PageAsync(ScaleContacts.Tenant, _far)).Items.Count;

    /// <summary>
    /// The cursor the contact service would hand out after the contact at <paramref name="position"/> (1-based) of the
    /// default listing: the seeded contacts are created in index order, so that contact is index <c>position − 1</c>.
    /// </summary>
    private static string CursorAfter(int position)
    {
        var i = position - 1;
        var scope = $"contacts:{ContactSortField.CreatedAt}:{SortDirection.Ascending}";
        return PageCursor.Encode(scope, PageCursor.EncodeTime(ScaleContacts.CreatedAt(i)), ScaleContacts.IdOf(i).ToString());
    }

    private async Task CheckAsync(ContactPageRequest request, int position)
    {
        var page = await _database.Contacts.PageAsync(ScaleContacts.Tenant, request);
        if (page.Items.Count == 0 || page.Items[0].Id != ScaleContacts.IdOf(position))
        {
            throw new InvalidOperationException($"The page after position {position:N0} does not start with contact {position:N0}.");
        }
    }
}

/// <summary>
/// Every contact, page after page (pages of 1,000, the largest allowed) through <see cref="IContactService.PageAsync"/>:
/// linear paging means the same time per page at 100,000 and 1,000,000 (the "Time per page" column).
/// </summary>
[MemoryDiagnoser]
[Config(typeof(PerPageConfig))]
public class EfScaleFullPagingBenchmarks : EfScaleBenchmarkBase
{
    /// <summary>The page size.</summary>
    public const int PageSize = 1_000;

    private ScaleDatabase _database = null!;

    /// <summary>Copies the analyzed template.</summary>
    [GlobalSetup]
    public async Task Setup() => _database = await ScaleDatabases.CopyAsync(Provider, ScaleKind.Analyzed, Size);

    /// <summary>Drops the copy.</summary>
    [GlobalCleanup]
    public ValueTask Cleanup() => _database.DisposeAsync();

    /// <summary>Pages through the tenant; fails unless every contact was seen.</summary>
    [Benchmark]
    public async Task<int> PageThroughAll()
    {
        var count = 0;
        string? cursor = null;
        do
        {
            var page = await _database.Contacts.PageAsync(ScaleContacts.Tenant, new ContactPageRequest(Size: PageSize, Cursor: cursor));
            count += page.Items.Count;
            cursor = page.NextCursor;
        }
        while (cursor is not null);

        return count == Size ? count : throw new InvalidOperationException($"Paged {count:N0} contacts of {Size:N0}.");
    }

    /// <summary>Adds the time per page.</summary>
    private sealed class PerPageConfig : LongOperationConfig
    {
        public PerPageConfig() => AddColumn(new TimePerPageColumn());
    }

    /// <summary>The mean divided by the number of pages (size / 1,000).</summary>
    private sealed class TimePerPageColumn : IColumn
    {
        public string Id => nameof(TimePerPageColumn);

        public string ColumnName => "Time per page";

        public bool AlwaysShow => true;

        public ColumnCategory Category => ColumnCategory.Custom;

        public int PriorityInCategory => 0;

        public bool IsNumeric => true;

        public UnitType UnitType => UnitType.Dimensionless;

        public string Legend => "Mean / (Size / 1,000): the time of one page of 1,000";

        public string GetValue(Summary summary, BenchmarkCase benchmarkCase) => GetValue(summary, benchmarkCase, summary.Style);

        public string GetValue(Summary summary, BenchmarkCase benchmarkCase, SummaryStyle style)
        {
            var mean = summary[benchmarkCase]?.ResultStatistics?.Mean;
            var size = benchmarkCase.Parameters["Size"] is int s ? s : 0;
            return mean is { } nanoseconds && size > 0
                ? string.Create(CultureInfo.InvariantCulture, $"{nanoseconds / 1e6 / (size / (double)PageSize):F2} ms")
                : "-";
        }

        public bool IsDefault(Summary summary, BenchmarkCase benchmarkCase) => false;

        public bool IsAvailable(Summary summary) => true;
    }
}

/// <summary>
/// A dynamic list that matches half the contacts (<see cref="ScaleContacts.FirstHalf"/>), created through
/// <see cref="IListService.CreateAsync"/> on a fresh copy of the analyzed template; and its criteria flipped to the
/// other half with <see cref="IListService.UpdateAsync"/> (every member leaves, the other half joins) on a fresh copy
/// of the template holding the list. Targets: under 30 s on PostgreSQL; peak managed memory (see
/// <c>ef-list-memory</c>) under 250 MB, independent of the number of members. Each iteration's member count is checked.
/// </summary>
[MemoryDiagnoser]
[Config(typeof(LongOperationConfig))]
public class EfScaleDynamicListBenchmarks : EfScaleBenchmarkBase
{
    private ScaleDatabase? _database;
    private ContactList _list = null!;

    /// <summary>A fresh copy of the analyzed template (not measured).</summary>
    [IterationSetup(Target = nameof(CreateHalfList))]
    public void FreshDatabase() => _database = Wait(ScaleDatabases.CopyAsync(Provider, ScaleKind.Analyzed, Size));

    /// <summary>A fresh copy of the template holding the list (not measured).</summary>
    [IterationSetup(Target = nameof(FlipCriteria))]
    public void FreshListedDatabase()
    {
        _database = Wait(ScaleDatabases.CopyAsync(Provider, ScaleKind.Listed, Size));
        _list = Wait(_database.Lists.FindByNameAsync(ScaleContacts.Tenant, ScaleDatabases.HalfListName))
            ?? throw new InvalidOperationException("The listed template has no list.");
    }

    /// <summary>Checks the list's member count, then drops the copy.</summary>
    [IterationCleanup]
    public void CheckAndDrop()
    {
        var list = Wait(_database!.Lists.GetAsync(ScaleContacts.Tenant, _list.Id));
        Wait(_database.DisposeAsync());
        if (list.MemberCount != Size / 2)
        {
            throw new InvalidOperationException($"The list has {list.MemberCount:N0} members; half of {Size:N0} expected.");
        }
    }

    /// <summary>Creates the list of the first half: it fills with size / 2 members.</summary>
    [Benchmark]
    public async Task CreateHalfList()
        => _list = await _database!.Lists.CreateAsync(ScaleContacts.Tenant, ScaleDatabases.ListDraft(ScaleDatabases.HalfListName, ScaleContacts.FirstHalf(Size)), ScaleDatabases.Actor);

    /// <summary>Changes the list's criteria to the second half: size / 2 leave, size / 2 join.</summary>
    [Benchmark]
    public async Task FlipCriteria()
        => _list = await _database!.Lists.UpdateAsync(ScaleContacts.Tenant, _list.Id, ScaleDatabases.ListDraft(ScaleDatabases.HalfListName, ScaleContacts.SecondHalf(Size)), _list.Version, ScaleDatabases.Actor);
}

/// <summary>
/// <see cref="IContactService.CountAsync"/> of <c>tags has "vip"</c> (10% of the contacts) on a fresh copy of the raw
/// template: just bulk-loaded, never analyzed (PostgreSQL: autovacuum off on its tables; SQLite: no
/// <c>sqlite_stat1</c>). One count per copy, so whatever the store does to its statistics never helps the next one.
/// </summary>
[Config(typeof(LongOperationConfig))]
public class EfScaleTagsCountBenchmarks : EfScaleBenchmarkBase
{
    private static readonly Criteria Vip = Criteria.Parse($"tags has \"{ScaleContacts.VipTag}\"");
    private ScaleDatabase? _database;
    private long _count;

    /// <summary>A fresh copy of the raw template, checked to hold no planner statistics (not measured).</summary>
    [IterationSetup]
    public void FreshDatabase()
    {
        _database = Wait(ScaleDatabases.CopyAsync(Provider, ScaleKind.Raw, Size));
        ScaleServer.For(Provider).EnsureNoStatistics(_database.ConnectionString);
    }

    /// <summary>Checks the count, then drops the copy.</summary>
    [IterationCleanup]
    public void CheckAndDrop()
    {
        Wait(_database!.DisposeAsync());
        if (_count != Size / 10)
        {
            throw new InvalidOperationException($"tags has vip counted {_count:N0}; {Size / 10:N0} expected.");
        }
    }

    /// <summary>The count.</summary>
    [Benchmark]
    public async Task<long> CountTagsHas() => _count = await _database!.Contacts.CountAsync(ScaleContacts.Tenant, Vip);
}

/// <summary>
/// <see cref="IAudienceService.ResolveAudienceAsync"/> on email of a dynamic list of 200,000 members
/// (<c>DATUM_EF_SCALE_AUDIENCE</c>) on SQLite against the same on PostgreSQL (the baseline), in one process: the
/// target is a ratio within 3x. Each resolution's size is checked against the rules applied by hand.
/// </summary>
[MemoryDiagnoser]
[Config(typeof(LongOperationConfig))]
public class EfScaleAudienceBenchmarks
{
    private readonly int _size = ScaleDatabases.AudienceSize();
    private ScaleDatabase _sqlite = null!;
    private ScaleDatabase _postgres = null!;
    private ListId _sqliteList;
    private ListId _postgresList;
    private int _expected;

    /// <summary>Copies both audience templates.</summary>
    [GlobalSetup]
    public async Task Setup()
    {
        _expected = ScaleAudience.Expected(_size);
        _sqlite = await ScaleDatabases.CopyAsync(EfProvider.Sqlite, ScaleKind.Audience, _size);
        _postgres = await ScaleDatabases.CopyAsync(EfProvider.Postgres, ScaleKind.Audience, _size);
        _sqliteList = (await _sqlite.Lists.FindByNameAsync(ScaleContacts.Tenant, ScaleDatabases.AudienceListName))!.Id;
        _postgresList = (await _postgres.Lists.FindByNameAsync(ScaleContacts.Tenant, ScaleDatabases.AudienceListName))!.Id;
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"// Audience: a list of {_size:N0} members; the rules keep {_expected:N0}."));
    }

    /// <summary>Drops the copies.</summary>
    [GlobalCleanup]
    public async Task Cleanup()
    {
        await _sqlite.DisposeAsync();
        await _postgres.DisposeAsync();
    }

    /// <summary>The audience on PostgreSQL.</summary>
    [Benchmark(Baseline = true)]
    public Task<int> PostgresAudience() => ResolveAsync(_postgres, _postgresList);

    /// <summary>The audience on SQLite.</summary>
    [Benchmark]
    public Task<int> SqliteAudience() => ResolveAsync(_sqlite, _sqliteList);

    private async Task<int> ResolveAsync(ScaleDatabase database, ListId list)
    {
        var count = 0;
        await foreach (var _ in database.Audience.ResolveAudienceAsync(ScaleContacts.Tenant, list, Channel.Email, ScaleAudience.At))
        {
            count++;
        }

        return count == _expected ? count : throw new InvalidOperationException($"The audience has {count:N0} members; the rules give {_expected:N0}.");
    }
}
