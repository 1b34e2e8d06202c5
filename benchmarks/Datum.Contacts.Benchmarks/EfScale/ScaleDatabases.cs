using System.Diagnostics;
using System.Globalization;
using System.Security.Cryptography;
using System.Text;
using Datum.Contacts.EntityFrameworkCore;
using Microsoft.Data.Sqlite;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Npgsql;

namespace Datum.Contacts.Benchmarks;

/// <summary>The database providers of the EF Core scale benchmarks.</summary>
public enum EfProvider
{
    /// <summary>A SQLite file.</summary>
    Sqlite,

    /// <summary>A database on the PostgreSQL server of <c>DATUM_CONTACTS_POSTGRES</c>.</summary>
    Postgres,
}

/// <summary>What a cached template database holds, each built from the one before.</summary>
internal enum ScaleKind
{
    /// <summary>The store's schema and the seeded contacts, never analyzed (PostgreSQL: autovacuum off): a fresh bulk load.</summary>
    Raw,

    /// <summary>Raw, checked against contacts created through the service, then analyzed (PostgreSQL: autovacuum back on).</summary>
    Analyzed,

    /// <summary>Analyzed, plus the dynamic list <see cref="ScaleDatabases.HalfListName"/> (the first half) created through the list service, then analyzed.</summary>
    Listed,

    /// <summary>Analyzed, plus email consents and the dynamic list <see cref="ScaleDatabases.AudienceListName"/> of every contact, then analyzed.</summary>
    Audience,
}

/// <summary>
/// The databases of the EF Core scale benchmarks. Templates are seeded once per provider, size and store schema and
/// cached (SQLite: files under <c>artifacts/ef-scale</c>, or <c>DATUM_EF_SCALE_CACHE</c>; PostgreSQL: databases
/// <c>efscale_…</c> on the server, which last as long as it does); each measurement gets a copy
/// (<see cref="CopyAsync"/>: a file copy, or <c>CREATE DATABASE … TEMPLATE …</c>). A template's name carries a hash of
/// the schema EF Core creates, so a store whose model changed gets templates of its own.
/// </summary>
internal static class ScaleDatabases
{
    /// <summary>The name of the list of <see cref="ScaleKind.Listed"/>.</summary>
    public const string HalfListName = "half";

    /// <summary>The name of the list of <see cref="ScaleKind.Audience"/>.</summary>
    public const string AudienceListName = "everyone";

    /// <summary>What the seeder writes; bump it when the seeded data changes so old templates are not reused.</summary>
    private const string SeedVersion = "1";

    /// <summary>The actor of the changes the benchmarks make.</summary>
    public static readonly Actor Actor = Actor.Admin("benchmark");

    private static int _copies;

    /// <summary>The sizes to run: <c>DATUM_EF_SCALE_SIZES</c> (comma-separated), else 100,000 and 1,000,000.</summary>
    public static IEnumerable<int> Sizes()
        => Environment.GetEnvironmentVariable("DATUM_EF_SCALE_SIZES") is { Length: > 0 } sizes
            ? sizes.Split(',', StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries).Select(s => int.Parse(s, CultureInfo.InvariantCulture))
            : [100_000, 1_000_000];

    /// <summary>The providers to run: <c>DATUM_EF_SCALE_PROVIDERS</c> (comma-separated), else both.</summary>
    public static IEnumerable<EfProvider> Providers()
        => Environment.GetEnvironmentVariable("DATUM_EF_SCALE_PROVIDERS") is { Length: > 0 } names
            ? names.Split(',', StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries).Select(Enum.Parse<EfProvider>)
            : Enum.GetValues<EfProvider>();

    /// <summary>The number of contacts of the audience benchmark's list: <c>DATUM_EF_SCALE_AUDIENCE</c>, else 200,000.</summary>
    public static int AudienceSize()
        => Environment.GetEnvironmentVariable("DATUM_EF_SCALE_AUDIENCE") is { Length: > 0 } size ? int.Parse(size, CultureInfo.InvariantCulture) : 200_000;

    /// <summary>A fresh copy of a template (built first when missing), with the contact services over it.</summary>
    public static async Task<ScaleDatabase> CopyAsync(EfProvider provider, ScaleKind kind, int size)
    {
        var server = ScaleServer.For(provider);
        server.DropStaleCopies();
        var template = await EnsureTemplateAsync(server, kind, size);
        var name = string.Create(CultureInfo.InvariantCulture, $"efscale_run_{Interlocked.Increment(ref _copies)}_{Environment.ProcessId}");
        return new ScaleDatabase(server, name, server.Copy(template, name));
    }

    private static async Task<string> EnsureTemplateAsync(ScaleServer server, ScaleKind kind, int size)
    {
        var name = string.Create(CultureInfo.InvariantCulture, $"efscale_{kind.ToString().ToLowerInvariant()}_{size}_{SchemaHash(server)}");
        if (server.Exists(name))
        {
            return name;
        }

        var watch = Stopwatch.StartNew();
        var building = name + "_building_" + Environment.ProcessId.ToString(CultureInfo.InvariantCulture);
        server.Drop(building);
        string connectionString;
        if (kind == ScaleKind.Raw)
        {
            connectionString = server.Create(building);
            await using (var context = server.NewContext(connectionString))
            {
                await context.Database.EnsureCreatedAsync();
            }

            server.PrepareForLoad(connectionString);
            Console.WriteLine($"// {server.Provider}: seeding {size:N0} contacts into {building}: " + server.Seed(connectionString, size));
        }
        else
        {
            var from = await EnsureTemplateAsync(server, kind == ScaleKind.Analyzed ? ScaleKind.Raw : ScaleKind.Analyzed, size);
            connectionString = server.Copy(from, building);
            await using var database = new ScaleDatabase(server, building, connectionString, keep: true);
            switch (kind)
            {
                case ScaleKind.Analyzed:
                    await ScaleSeedCheck.RunAsync(database, size);
                    break;
                case ScaleKind.Listed:
                    await database.Lists.CreateAsync(ScaleContacts.Tenant, ListDraft(HalfListName, ScaleContacts.FirstHalf(size)), Actor);
                    break;
                default:
                    await ScaleAudience.PrepareAsync(database, size);
                    break;
            }
        }

        if (kind == ScaleKind.Raw)
        {
            // A fresh bulk load: no statistics, and none gathered behind our back.
            server.ClearPools();
            server.EnsureNoStatistics(connectionString);
        }
        else
        {
            server.Analyze(connectionString);
        }

        server.Publish(building, name);
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"// {server.Provider}: built the template {name} in {watch.Elapsed.TotalSeconds:F1} s."));
        return name;
    }

    /// <summary>A dynamic list's draft.</summary>
    public static ListDraft ListDraft(string name, string criteria)
        => new() { Name = name, Kind = ListKind.Dynamic, Criteria = Criteria.Parse(criteria) };

    private static string SchemaHash(ScaleServer server)
    {
        using var context = server.NewContext(server.OfflineConnectionString);
        var script = context.Database.GenerateCreateScript() + SeedVersion;
        return Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(script)))[..10];
    }
}

/// <summary>A copy of a template: its connection string and the contact services over it; dropped when disposed.</summary>
internal sealed class ScaleDatabase : IAsyncDisposable
{
    private readonly ScaleServer _server;
    private readonly bool _keep;
    private readonly AsyncServiceScope _scope;

    public ScaleDatabase(ScaleServer server, string name, string connectionString, bool keep = false)
    {
        _server = server;
        _keep = keep;
        Name = name;
        ConnectionString = connectionString;
        var services = new ServiceCollection();
        services.AddDbContextFactory<ContactsDbContext>(o => server.Configure(o, connectionString));
        services.AddContactManagement().UseEntityFrameworkCore<ContactsDbContext>();
        Services = services.BuildServiceProvider(new ServiceProviderOptions { ValidateOnBuild = true, ValidateScopes = true });
        _scope = Services.CreateAsyncScope();
        Contacts = Scoped.GetRequiredService<IContactService>();
        Lists = Scoped.GetRequiredService<IListService>();
        Audience = Scoped.GetRequiredService<IAudienceService>();
    }

    /// <summary>The database's name (PostgreSQL) or file name stem (SQLite).</summary>
    public string Name { get; }

    /// <summary>Its connection string.</summary>
    public string ConnectionString { get; }

    /// <summary>The services.</summary>
    public ServiceProvider Services { get; }

    /// <summary>The services of the one scope the benchmarks use (scoped services, such as the contact service, come from it).</summary>
    public IServiceProvider Scoped => _scope.ServiceProvider;

    /// <summary>The contact service.</summary>
    public IContactService Contacts { get; }

    /// <summary>The list service.</summary>
    public IListService Lists { get; }

    /// <summary>The audience service.</summary>
    public IAudienceService Audience { get; }

    /// <summary>A context on the database.</summary>
    public ContactsDbContext NewContext() => _server.NewContext(ConnectionString);

    /// <summary>Releases the services and drops the copy (unless it is becoming a template).</summary>
    public async ValueTask DisposeAsync()
    {
        await _scope.DisposeAsync();
        await Services.DisposeAsync();
        _server.ClearPools();
        if (!_keep)
        {
            _server.Drop(Name);
        }
    }
}

/// <summary>What differs between the providers: where databases live, how they are copied, loaded and analyzed.</summary>
internal abstract class ScaleServer
{
    /// <summary>The provider.</summary>
    public abstract EfProvider Provider { get; }

    /// <summary>A connection string good enough to build the model offline (for the schema hash).</summary>
    public abstract string OfflineConnectionString { get; }

    /// <summary>The server of a provider.</summary>
    public static ScaleServer For(EfProvider provider) => provider == EfProvider.Sqlite ? SqliteScaleServer.Instance : PostgresScaleServer.Instance;

    /// <summary>Points context options at a database.</summary>
    public abstract void Configure(DbContextOptionsBuilder options, string connectionString);

    /// <summary>A context on a database.</summary>
    public ContactsDbContext NewContext(string connectionString)
    {
        var options = new DbContextOptionsBuilder<ContactsDbContext>();
        Configure(options, connectionString);
        return new ContactsDbContext(options.Options);
    }

    /// <summary>Whether a database exists.</summary>
    public abstract bool Exists(string name);

    /// <summary>Creates an empty database; returns its connection string.</summary>
    public abstract string Create(string name);

    /// <summary>Copies a database; returns the copy's connection string.</summary>
    public abstract string Copy(string template, string name);

    /// <summary>Renames a database that is complete.</summary>
    public abstract void Publish(string building, string name);

    /// <summary>Drops a database if it exists.</summary>
    public abstract void Drop(string name);

    /// <summary>Closes the pooled connections (a database in use can be neither copied nor dropped).</summary>
    public abstract void ClearPools();

    /// <summary>The names of the copies (<c>efscale_run_&lt;n&gt;_&lt;pid&gt;</c>) and of the templates being built (<c>…_building_&lt;pid&gt;</c>) that exist.</summary>
    protected abstract IEnumerable<string> Copies();

    private bool _cleaned;

    /// <summary>Once per process: drops the copies and unfinished templates of processes that no longer run (a run killed mid-way).</summary>
    public void DropStaleCopies()
    {
        if (_cleaned)
        {
            return;
        }

        _cleaned = true;
        foreach (var name in Copies().ToArray())
        {
            var pid = int.Parse(name[(name.LastIndexOf('_') + 1)..], CultureInfo.InvariantCulture);
            if (pid != Environment.ProcessId && !IsRunning(pid))
            {
                Drop(name);
            }
        }
    }

    private static bool IsRunning(int pid)
    {
        try
        {
            using var process = Process.GetProcessById(pid);
            return !process.HasExited;
        }
        catch (ArgumentException)
        {
            return false;
        }
    }

    /// <summary>Settings for a fresh bulk load that the raw template keeps (PostgreSQL: autovacuum off, so nothing analyzes it).</summary>
    public virtual void PrepareForLoad(string connectionString)
    {
    }

    /// <summary>Writes the first <paramref name="size"/> <see cref="ScaleContacts"/> and the tenant's custom field; returns what it did.</summary>
    public abstract string Seed(string connectionString, int size);

    /// <summary>Gathers the planner's statistics (and turns autovacuum back on).</summary>
    public abstract void Analyze(string connectionString);

    /// <summary>Fails unless the database holds no planner statistics on the store's tables (the raw template and its copies).</summary>
    public void EnsureNoStatistics(string connectionString)
    {
        var found = CountStatistics(connectionString);
        if (found > 0)
        {
            throw new InvalidOperationException($"{Provider}: the database is meant to be un-analyzed but holds {found} planner statistics rows.");
        }
    }

    /// <summary>How many statistics rows the planner has (SQLite: <c>sqlite_stat1</c> rows; PostgreSQL: <c>pg_stats</c> rows of the public tables).</summary>
    protected abstract long CountStatistics(string connectionString);
}

/// <summary>SQLite files in the cache directory.</summary>
internal sealed class SqliteScaleServer : ScaleServer
{
    public static readonly SqliteScaleServer Instance = new();

    private readonly Lazy<string> _directory = new(FindDirectory);

    public override EfProvider Provider => EfProvider.Sqlite;

    public override string OfflineConnectionString => "Data Source=:memory:";

    public override void Configure(DbContextOptionsBuilder options, string connectionString) => options.UseSqlite(connectionString);

    public override bool Exists(string name) => File.Exists(PathOf(name));

    public override string Create(string name) => ConnectionStringOf(name);

    public override string Copy(string template, string name)
    {
        File.Copy(PathOf(template), PathOf(name), overwrite: true);
        return ConnectionStringOf(name);
    }

    public override void Publish(string building, string name) => File.Move(PathOf(building), PathOf(name), overwrite: true);

    public override void Drop(string name)
    {
        foreach (var suffix in new[] { string.Empty, "-journal", "-wal", "-shm" })
        {
            File.Delete(PathOf(name) + suffix);
        }
    }

    public override void ClearPools() => SqliteConnection.ClearAllPools();

    protected override IEnumerable<string> Copies()
        => Directory.EnumerateFiles(_directory.Value, "efscale_run_*.db")
            .Concat(Directory.EnumerateFiles(_directory.Value, "efscale_*_building_*.db"))
            .Select(f => Path.GetFileNameWithoutExtension(f));

    public override string Seed(string connectionString, int size)
    {
        using var context = NewContext(connectionString);
        var model = context.Model;
        using var connection = new SqliteConnection(connectionString);
        connection.Open();
        Execute(connection, "PRAGMA synchronous = OFF; PRAGMA cache_size = -262144;");
        string written;
        using (var transaction = connection.BeginTransaction())
        {
            written = ScaleSeed.Write(new Sinks(connection, transaction, model), size);
            transaction.Commit();
        }

        return written;
    }

    public override void Analyze(string connectionString)
    {
        using var connection = new SqliteConnection(connectionString);
        connection.Open();
        Execute(connection, "ANALYZE");
        connection.Close();
        ClearPools();
    }

    protected override long CountStatistics(string connectionString)
    {
        using var connection = new SqliteConnection(connectionString);
        connection.Open();
        using var exists = new SqliteCommand("SELECT count(*) FROM sqlite_master WHERE name = 'sqlite_stat1'", connection);
        if ((long)exists.ExecuteScalar()! == 0)
        {
            return 0;
        }

        using var rows = new SqliteCommand("SELECT count(*) FROM sqlite_stat1", connection);
        return (long)rows.ExecuteScalar()!;
    }

    private static void Execute(SqliteConnection connection, string sql)
    {
        using var command = new SqliteCommand(sql, connection) { CommandTimeout = 0 };
        command.ExecuteNonQuery();
    }

    private static string FindDirectory()
    {
        var directory = Environment.GetEnvironmentVariable("DATUM_EF_SCALE_CACHE");
        if (string.IsNullOrEmpty(directory))
        {
            var root = new DirectoryInfo(AppContext.BaseDirectory);
            while (root is not null && !File.Exists(Path.Combine(root.FullName, "Datum.Contacts.sln")))
            {
                root = root.Parent;
            }

            directory = root is null ? Path.Combine(Path.GetTempPath(), "datum-ef-scale") : Path.Combine(root.FullName, "artifacts", "ef-scale");
        }

        Directory.CreateDirectory(directory);
        return directory;
    }

    private sealed class Sinks(SqliteConnection connection, SqliteTransaction transaction, Microsoft.EntityFrameworkCore.Metadata.IModel model) : IRowSinks
    {
        public RowSink<TRow> Open<TRow>()
            where TRow : class
            => new SqliteInsert<TRow>(connection, transaction, model);
    }

    private string PathOf(string name) => Path.Combine(_directory.Value, name + ".db");

    private string ConnectionStringOf(string name) => new SqliteConnectionStringBuilder { DataSource = PathOf(name) }.ConnectionString;
}

/// <summary>Databases on the server of <c>DATUM_CONTACTS_POSTGRES</c>.</summary>
internal sealed class PostgresScaleServer : ScaleServer
{
    public static readonly PostgresScaleServer Instance = new();

    public override EfProvider Provider => EfProvider.Postgres;

    public override string OfflineConnectionString => "Host=localhost";

    public override void Configure(DbContextOptionsBuilder options, string connectionString) => options.UseNpgsql(connectionString);

    public override bool Exists(string name)
    {
        using var connection = Admin();
        using var command = new NpgsqlCommand("SELECT count(*) FROM pg_database WHERE datname = @name", connection);
        command.Parameters.AddWithValue("name", name);
        return (long)command.ExecuteScalar()! > 0;
    }

    public override string Create(string name)
    {
        OnServer($"CREATE DATABASE {name}");
        return ConnectionStringOf(name);
    }

    public override string Copy(string template, string name)
    {
        ClearPools();
        OnServer($"CREATE DATABASE {name} TEMPLATE {template}");
        return ConnectionStringOf(name);
    }

    public override void Publish(string building, string name)
    {
        ClearPools();
        OnServer($"ALTER DATABASE {building} RENAME TO {name}");
    }

    public override void Drop(string name)
    {
        ClearPools();
        OnServer($"DROP DATABASE IF EXISTS {name} WITH (FORCE)");
    }

    public override void ClearPools() => NpgsqlConnection.ClearAllPools();

    protected override IEnumerable<string> Copies()
    {
        using var connection = Admin();
        using var command = new NpgsqlCommand("SELECT datname FROM pg_database WHERE datname LIKE 'efscale\\_run\\_%' OR datname LIKE 'efscale\\_%\\_building\\_%'", connection);
        using var reader = command.ExecuteReader();
        var names = new List<string>();
        while (reader.Read())
        {
            names.Add(reader.GetString(0));
        }

        return names;
    }

    public override void PrepareForLoad(string connectionString) => SetAutovacuum(connectionString, "SET (autovacuum_enabled = false, toast.autovacuum_enabled = false)");

    public override string Seed(string connectionString, int size)
    {
        using var context = NewContext(connectionString);
        var model = context.Model;
        using var connection = new NpgsqlConnection(Unlimited(connectionString));
        connection.Open();
        string written;
        using (var transaction = connection.BeginTransaction())
        {
            written = ScaleSeed.Write(new Sinks(connection, model), size);
            transaction.Commit();
        }

        Execute(connection, "CHECKPOINT");
        return written;
    }

    public override void Analyze(string connectionString)
    {
        SetAutovacuum(connectionString, "RESET (autovacuum_enabled, toast.autovacuum_enabled)");
        using (var connection = new NpgsqlConnection(Unlimited(connectionString)))
        {
            connection.Open();
            Execute(connection, "VACUUM (ANALYZE)");
            Execute(connection, "CHECKPOINT");
        }

        ClearPools();
    }

    protected override long CountStatistics(string connectionString)
    {
        using var connection = new NpgsqlConnection(connectionString);
        connection.Open();
        using var command = new NpgsqlCommand("SELECT count(*) FROM pg_stats WHERE schemaname = 'public'", connection);
        return (long)command.ExecuteScalar()!;
    }

    private void SetAutovacuum(string connectionString, string change)
    {
        using var context = NewContext(connectionString);
        var tables = context.Model.GetEntityTypes().Select(e => e.GetSchema() is { } schema ? $"\"{schema}\".\"{e.GetTableName()}\"" : $"\"{e.GetTableName()}\"").Distinct().ToArray();
        using var connection = new NpgsqlConnection(connectionString);
        connection.Open();
        foreach (var table in tables)
        {
            Execute(connection, $"ALTER TABLE {table} {change}");
        }
    }

    private sealed class Sinks(NpgsqlConnection connection, Microsoft.EntityFrameworkCore.Metadata.IModel model) : IRowSinks
    {
        public RowSink<TRow> Open<TRow>()
            where TRow : class
            => new PostgresCopy<TRow>(connection, model);
    }

    private static void OnServer(string sql)
    {
        using var connection = Admin();
        Execute(connection, sql);
    }

    private static NpgsqlConnection Admin()
    {
        var builder = new NpgsqlConnectionStringBuilder(Server()) { Pooling = false };
        builder.Database = string.IsNullOrEmpty(builder.Database) ? "postgres" : builder.Database;
        var connection = new NpgsqlConnection(builder.ConnectionString);
        connection.Open();
        return connection;
    }

    private static string Server()
        => Environment.GetEnvironmentVariable(PostgresBenchmarkDatabase.Variable) is { Length: > 0 } given
            ? given
            : throw new InvalidOperationException(
                $"The PostgreSQL scale benchmarks need a server: set {PostgresBenchmarkDatabase.Variable} (`./build.sh postgres` prints it; `./build.sh bench ef-scale` starts one).");

    private static string ConnectionStringOf(string name)
        => new NpgsqlConnectionStringBuilder(Server()) { Database = name }.ConnectionString;

    /// <summary>The same database without a command timeout, for the load and the analysis (COPY's end waits for the whole load).</summary>
    private static string Unlimited(string connectionString)
        => new NpgsqlConnectionStringBuilder(connectionString) { CommandTimeout = 0 }.ConnectionString;

    private static void Execute(NpgsqlConnection connection, string sql)
    {
        using var command = new NpgsqlCommand(sql, connection) { CommandTimeout = 0 };
        command.ExecuteNonQuery();
    }
}
