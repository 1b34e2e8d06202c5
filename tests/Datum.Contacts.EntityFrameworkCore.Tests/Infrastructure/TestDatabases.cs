using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Npgsql;

namespace Datum.Contacts.EntityFrameworkCore.Tests;

/// <summary>A database the tests share for the whole run; tests isolate themselves by random tenant.</summary>
public abstract class TestDatabase
{
    private readonly Lazy<string> _connectionString;

    protected TestDatabase() => _connectionString = new Lazy<string>(Create, LazyThreadSafetyMode.ExecutionAndPublication);

    /// <summary>The provider's name in test output.</summary>
    public abstract string Name { get; }

    /// <summary>The connection string of the run's database, created with the schema on first use.</summary>
    public string ConnectionString => _connectionString.Value;

    /// <summary>Sets the provider on context options.</summary>
    public abstract void Configure(DbContextOptionsBuilder options);

    /// <summary>Chooses the EF Core store over this database on a contact management builder.</summary>
    /// <param name="builder">The builder.</param>
    /// <param name="extra">More context options, such as an interceptor that records the SQL.</param>
    public void Use(ContactManagementBuilder builder, Action<DbContextOptionsBuilder>? extra = null)
    {
        _ = ConnectionString;
        builder.Services.AddDbContextFactory<ContactsDbContext>(options =>
        {
            Configure(options);
            extra?.Invoke(options);
        });
        builder.UseEntityFrameworkCore<ContactsDbContext>();
    }

    /// <summary>A context on this database, for tests that look at the tables.</summary>
    public ContactsDbContext NewContext()
    {
        var options = new DbContextOptionsBuilder<ContactsDbContext>();
        Configure(options);
        return new ContactsDbContext(options.Options);
    }

    protected abstract string Create();

    protected void CreateSchema()
    {
        using var context = NewContext();
        context.Database.EnsureCreated();
    }
}

/// <summary>A SQLite file in the temp folder, deleted when the run ends.</summary>
public sealed class SqliteTestDatabase : TestDatabase
{
    public static SqliteTestDatabase Instance { get; } = new();

    private string? _path;

    public override string Name => "SQLite";

    public override void Configure(DbContextOptionsBuilder options) => options.UseSqlite(ConnectionString);

    protected override string Create()
    {
        _path = Path.Combine(Path.GetTempPath(), $"datum-contacts-tests-{Guid.NewGuid():N}.db");
        var connectionString = $"Data Source={_path};Pooling=True;Default Timeout=60";
        AppDomain.CurrentDomain.ProcessExit += (_, _) =>
        {
            Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
            foreach (var file in new[] { _path, _path + "-wal", _path + "-shm", _path + "-journal" })
            {
                try
                {
                    File.Delete(file);
                }
                catch (IOException)
                {
                }
            }
        };
        var options = new DbContextOptionsBuilder<ContactsDbContext>().UseSqlite(connectionString).Options;
        using (var context = new ContactsDbContext(options))
        {
            context.Database.EnsureCreated();

            // Write-ahead logging lets readers run beside the one writer, as a host would configure it.
            context.Database.ExecuteSqlRaw("PRAGMA journal_mode=WAL;");
        }

        return connectionString;
    }
}

/// <summary>
/// The PostgreSQL server of <c>DATUM_CONTACTS_POSTGRES</c> (./build.sh test starts one). When its connection
/// string names no database, the run creates its own and drops it at the end. Without a reachable server
/// every PostgreSQL test fails, saying how to get one: they are never skipped.
/// </summary>
public sealed class PostgresTestDatabase : TestDatabase
{
    public const string Variable = "DATUM_CONTACTS_POSTGRES";

    public static PostgresTestDatabase Instance { get; } = new();

    public override string Name => "PostgreSQL";

    public override void Configure(DbContextOptionsBuilder options) => options.UseNpgsql(ConnectionString);

    protected override string Create()
    {
        var given = Environment.GetEnvironmentVariable(Variable);
        if (string.IsNullOrWhiteSpace(given))
        {
            throw new InvalidOperationException(
                $"No PostgreSQL server for the PostgreSQL tests: set {Variable} to an Npgsql connection string, or run ./build.sh test, which starts one.");
        }

        var builder = new NpgsqlConnectionStringBuilder(given);
        if (string.IsNullOrEmpty(builder.Database))
        {
            var database = "datum_contacts_test_" + Guid.NewGuid().ToString("N")[..12];
            Execute(given, $"CREATE DATABASE {database}");
            AppDomain.CurrentDomain.ProcessExit += (_, _) =>
            {
                NpgsqlConnection.ClearAllPools();
                Execute(given, $"DROP DATABASE IF EXISTS {database} WITH (FORCE)");
            };
            builder.Database = database;
        }

        var connectionString = builder.ConnectionString;
        var options = new DbContextOptionsBuilder<ContactsDbContext>().UseNpgsql(connectionString).Options;
        using var context = new ContactsDbContext(options);
        try
        {
            context.Database.EnsureCreated();
        }
        catch (NpgsqlException exception)
        {
            throw new InvalidOperationException($"The PostgreSQL server of {Variable} cannot be reached: {exception.Message}", exception);
        }

        return connectionString;
    }

    private static void Execute(string connectionString, string sql)
    {
        using var connection = new NpgsqlConnection(connectionString);
        connection.Open();
        using var command = new NpgsqlCommand(sql, connection);
        command.ExecuteNonQuery();
    }
}
