using System.Globalization;
using BenchmarkDotNet.Attributes;
using Microsoft.Extensions.DependencyInjection;
using Npgsql;
using ParsedCriteria = Datum.Contacts.Criteria;

namespace Datum.Contacts.Benchmarks;

/// <summary>
/// Counting the contacts that match a criteria on PostgreSQL, over the 1,000,000 <see cref="CriteriaData.Contacts"/>
/// of the tenant <c>bench</c> (see <see cref="PostgresBenchmarkDatabase"/>): through the contact service over the EF
/// Core store, against the same count written by hand in SQL (the baseline). Needs <c>DATUM_CONTACTS_POSTGRES</c>.
/// </summary>
[MemoryDiagnoser]
[IterationCount(10)]
public class PostgresCriteriaCountBenchmarks
{
    private ServiceProvider _services = null!;
    private AsyncServiceScope _scope;
    private IContactService _contacts = null!;
    private ParsedCriteria _criteria = null!;
    private PostgresHandWrittenCount _handWritten = null!;
    private string _connectionString = string.Empty;

    /// <summary>Which criteria.</summary>
    [ParamsSource(nameof(Cases))]
    public CriteriaCase Criteria { get; set; }

    /// <summary>The criteria to run (see <see cref="CriteriaData.Cases"/>).</summary>
    public static IEnumerable<CriteriaCase> Cases() => CriteriaData.Cases();

    /// <summary>
    /// Creates and loads the database when needed, builds the services, and checks that the store, the hand-written
    /// SQL and the compiled criteria over the contacts in memory count the same matches (and prints them).
    /// </summary>
    [GlobalSetup]
    public void Setup()
    {
        PostgresBenchmarkDatabase.EnsureLoaded();
        _connectionString = PostgresBenchmarkDatabase.ConnectionString;
        _services = PostgresBenchmarkDatabase.BuildServices();
        _scope = _services.CreateAsyncScope();
        _contacts = _scope.ServiceProvider.GetRequiredService<IContactService>();
        _criteria = ParsedCriteria.Parse(CriteriaData.Text(Criteria));
        _handWritten = PostgresHandWrittenCount.For(Criteria);

        var byStore = StoreCount().GetAwaiter().GetResult();
        var bySql = HandWrittenSql().GetAwaiter().GetResult();
        var compiler = new CriteriaCompiler();
        var byMemory = compiler.Compile(compiler.Parse(CriteriaData.Text(Criteria)), CriteriaData.Schema).CountMatches(CriteriaData.Contacts);
        Console.WriteLine(string.Create(
            CultureInfo.InvariantCulture,
            $"// Criteria {Criteria} on PostgreSQL: store {byStore:N0}, hand-written SQL {bySql:N0}, compiled criteria in memory {byMemory:N0} of {CriteriaData.ContactCount:N0}."));
        if (byStore != bySql || byStore != byMemory)
        {
            throw new InvalidOperationException($"{Criteria}: the counts differ: store {byStore}, hand-written SQL {bySql}, in memory {byMemory}.");
        }
    }

    /// <summary>Releases the services.</summary>
    [GlobalCleanup]
    public async Task Cleanup()
    {
        await _scope.DisposeAsync();
        await _services.DisposeAsync();
        NpgsqlConnection.ClearAllPools();
    }

    /// <summary>
    /// The hand-written SQL: one parameterized <c>SELECT count(*)</c> over the same tables, on a pooled connection
    /// opened for the call (see <see cref="PostgresHandWrittenCount"/>).
    /// </summary>
    [Benchmark(Baseline = true)]
    public async Task<long> HandWrittenSql()
    {
        await using var connection = new NpgsqlConnection(_connectionString);
        await connection.OpenAsync();
        return await _handWritten.ExecuteAsync(connection);
    }

    /// <summary>
    /// <see cref="IContactService.CountAsync"/>: a unit of work (a new context from the factory), the tenant's custom
    /// field schema read, the compiler's cache hit, the criteria translated to SQL, and the count query.
    /// </summary>
    [Benchmark]
    public Task<long> StoreCount() => _contacts.CountAsync(PostgresBenchmarkDatabase.Tenant, _criteria);
}

/// <summary>
/// Inserting contacts through the EF Core store on PostgreSQL, into tables already holding the 1,000,000 contacts:
/// 1,000 new contacts added to one unit of work of the raw store port and committed (IContactService has no bulk
/// API). Every invocation writes into a tenant of its own; the result is per contact.
/// </summary>
[MemoryDiagnoser]
[InvocationCount(1)]
[WarmupCount(5)]
[IterationCount(15)]
public class PostgresBulkInsertBenchmarks
{
    /// <summary>How many contacts one invocation inserts.</summary>
    public const int BatchSize = 1_000;

    private readonly string _run = Guid.NewGuid().ToString("N")[..8];
    private ServiceProvider _services = null!;
    private IContactManagementStore _store = null!;
    private ContactDetails[] _details = [];
    private Contact[] _batch = [];
    private TenantId _tenant;
    private int _invocation;

    /// <summary>Loads the database when needed, builds the services and validates the drafts once.</summary>
    [GlobalSetup]
    public void Setup()
    {
        PostgresBenchmarkDatabase.EnsureLoaded();
        var leftOver = PostgresBenchmarkDatabase.DeleteInsertTenants();
        if (leftOver > 0)
        {
            Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"// PostgreSQL: deleted {leftOver:N0} contacts left by an earlier bulk insert run."));
        }

        _services = PostgresBenchmarkDatabase.BuildServices();
        _store = _services.GetRequiredService<IContactManagementStore>();
        var f = ContactData.NewFaker(ContactData.Seed + 1);
        var options = new ContactManagementOptions();
        _details = Enumerable.Range(0, BatchSize)
            .Select(i => ContactDetails.Validate(CriteriaData.Draft(f, i), CriteriaData.Schema, options))
            .ToArray();
    }

    /// <summary>A new tenant and 1,000 new contacts for it (not measured).</summary>
    [IterationSetup]
    public void NewBatch()
    {
        _tenant = TenantId.Parse(string.Create(CultureInfo.InvariantCulture, $"{PostgresBenchmarkDatabase.InsertTenantPrefix}{_run}-{++_invocation}"));
        var now = DateTimeOffset.UtcNow;
        _batch = _details.Select(d => Contact.Create(_tenant, new ContactId(Guid.NewGuid()), d, ContactSource.Import, now)).ToArray();
    }

    /// <summary>Deletes the tenants the run created and releases the services.</summary>
    [GlobalCleanup]
    public async Task Cleanup()
    {
        var deleted = PostgresBenchmarkDatabase.DeleteInsertTenants();
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"// PostgreSQL: deleted the {deleted:N0} contacts the bulk insert run wrote."));
        await _services.DisposeAsync();
        NpgsqlConnection.ClearAllPools();
    }

    /// <summary><c>BeginAsync(tenant)</c>, <c>Contacts.Add</c> for each of the 1,000 contacts, <c>CommitAsync</c>.</summary>
    [Benchmark(OperationsPerInvoke = BatchSize)]
    public async Task BulkInsert()
    {
        var uow = await _store.BeginAsync(_tenant, CancellationToken.None);
        await using (uow)
        {
            foreach (var contact in _batch)
            {
                uow.Contacts.Add(contact);
            }

            await uow.CommitAsync(CancellationToken.None);
        }
    }
}

/// <summary>
/// The three criteria's counts written by hand in SQL over the store's tables, with the store's semantics: the
/// folded (lower-cased) columns compared with lower-case values, <c>EXISTS</c> over the tag, custom value and
/// channel rows (a channel is on unless a row switches it off), times as UTC tick columns. A date bound <c>&gt; D</c>
/// starts at the next day (00:00 UTC), <c>&gt;= D</c> at that day, as the criteria binder resolves them; the three
/// criteria have no relative dates. A missing email does not end with anything, so <c>not (email endsWith …)</c>
/// holds for it.
/// </summary>
internal sealed class PostgresHandWrittenCount
{
    /// <summary><c>status = "active"</c>.</summary>
    public const string SimpleSql = """
        SELECT count(*) FROM contacts_contacts c
        WHERE c."TenantId" = @tenant AND c."Status" = @active
        """;

    /// <summary><c>status = "active" and tags has "vip" and createdAt &gt; 2025-01-01 and (company = "Acme" or email endsWith "@acme.com")</c>.</summary>
    public const string MediumSql = """
        SELECT count(*) FROM contacts_contacts c
        WHERE c."TenantId" = @tenant
          AND c."Status" = @active
          AND EXISTS (SELECT 1 FROM contacts_contact_tags t
                      WHERE t."TenantId" = c."TenantId" AND t."ContactId" = c."Id" AND t."FoldedTag" = @tag)
          AND c."CreatedAtTicks" >= @createdFrom
          AND (c."FoldedCompany" = @company OR c."FoldedEmail" LIKE @emailPattern)
        """;

    /// <summary>The heavy criteria (<see cref="CriteriaData.HeavyText"/>).</summary>
    public const string HeavySql = """
        SELECT count(*) FROM contacts_contacts c
        WHERE c."TenantId" = @tenant
          AND c."Status" = @active
          AND EXISTS (SELECT 1 FROM contacts_contact_tags t
                      WHERE t."TenantId" = c."TenantId" AND t."ContactId" = c."Id" AND t."FoldedTag" = @tag)
          AND c."CreatedAtTicks" >= @createdFrom
          AND EXISTS (SELECT 1 FROM contacts_contact_custom_values v
                      WHERE v."TenantId" = c."TenantId" AND v."ContactId" = c."Id" AND v."Name" = @field AND v."NumberValue" >= @minScore)
          AND c."FoldedCompany" = ANY (@companies)
          AND NOT EXISTS (SELECT 1 FROM contacts_contact_channels ch
                          WHERE ch."TenantId" = c."TenantId" AND ch."ContactId" = c."Id" AND ch."Channel" = @channel AND NOT ch."Enabled")
          AND c."LastEngagementAtTicks" >= @engagedFrom
          AND (c."FoldedEmail" IS NULL OR c."FoldedEmail" NOT LIKE @excludedEmailPattern)
        """;

    private readonly Action<NpgsqlParameterCollection> _bind;

    private PostgresHandWrittenCount(string sql, Action<NpgsqlParameterCollection> bind)
    {
        Sql = sql;
        _bind = bind;
    }

    /// <summary>The query text.</summary>
    public string Sql { get; }

    /// <summary>The hand-written count of a criteria.</summary>
    /// <param name="criteria">Which criteria.</param>
    public static PostgresHandWrittenCount For(CriteriaCase criteria)
    {
        var tenant = PostgresBenchmarkDatabase.Tenant.Value;
        return criteria switch
        {
            CriteriaCase.Simple => new(SimpleSql, p =>
            {
                p.Add(new NpgsqlParameter<string>("tenant", tenant));
                p.Add(new NpgsqlParameter<int>("active", (int)ContactStatus.Active));
            }),
            CriteriaCase.Medium => new(MediumSql, p =>
            {
                p.Add(new NpgsqlParameter<string>("tenant", tenant));
                p.Add(new NpgsqlParameter<int>("active", (int)ContactStatus.Active));
                p.Add(new NpgsqlParameter<string>("tag", "vip"));
                p.Add(new NpgsqlParameter<long>("createdFrom", new DateTimeOffset(2025, 1, 2, 0, 0, 0, TimeSpan.Zero).UtcTicks));
                p.Add(new NpgsqlParameter<string>("company", "acme"));
                p.Add(new NpgsqlParameter<string>("emailPattern", "%@acme.com"));
            }),
            _ => new(HeavySql, p =>
            {
                p.Add(new NpgsqlParameter<string>("tenant", tenant));
                p.Add(new NpgsqlParameter<int>("active", (int)ContactStatus.Active));
                p.Add(new NpgsqlParameter<string>("tag", "vip"));
                p.Add(new NpgsqlParameter<long>("createdFrom", new DateTimeOffset(2024, 1, 1, 0, 0, 0, TimeSpan.Zero).UtcTicks));
                p.Add(new NpgsqlParameter<string>("field", "engagementScore"));
                p.Add(new NpgsqlParameter<decimal>("minScore", 50m));
                p.Add(new NpgsqlParameter<string[]>("companies", HeavyCompaniesFolded));
                p.Add(new NpgsqlParameter<string>("channel", "email"));
                p.Add(new NpgsqlParameter<long>("engagedFrom", new DateTimeOffset(2024, 6, 2, 0, 0, 0, TimeSpan.Zero).UtcTicks));
                p.Add(new NpgsqlParameter<string>("excludedEmailPattern", "%@example.com"));
            }),
        };
    }

    private static readonly string[] HeavyCompaniesFolded = CriteriaData.HeavyCompanies.Select(c => c.ToLowerInvariant()).ToArray();

    /// <summary>A command for the query on an open connection, its parameters bound.</summary>
    /// <param name="connection">The connection.</param>
    /// <param name="prefix">Put before the query (<c>EXPLAIN …</c>).</param>
    public NpgsqlCommand Command(NpgsqlConnection connection, string prefix = "")
    {
        var command = new NpgsqlCommand(prefix + Sql, connection);
        _bind(command.Parameters);
        return command;
    }

    /// <summary>Runs the count.</summary>
    /// <param name="connection">An open connection.</param>
    public async Task<long> ExecuteAsync(NpgsqlConnection connection)
    {
        await using var command = Command(connection);
        return (long)(await command.ExecuteScalarAsync())!;
    }
}
