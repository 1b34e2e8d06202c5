using System.Diagnostics;
using System.Globalization;
using Datum.Contacts.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata;
using Microsoft.Extensions.DependencyInjection;
using Npgsql;

namespace Datum.Contacts.Benchmarks;

/// <summary>
/// The PostgreSQL database of the PostgreSQL benchmarks: <c>datum_contacts_bench</c> on the server of
/// <c>DATUM_CONTACTS_POSTGRES</c>, with the EF Core store's tables (<see cref="ContactsDbContext"/>, default prefix
/// <c>contacts_</c>) and the 1,000,000 <see cref="CriteriaData.Contacts"/> under the tenant <c>bench</c>. It is
/// created and loaded by the first process that needs it; later processes (BenchmarkDotNet runs every case in its own)
/// find the tenant loaded and skip the load.
/// </summary>
internal static class PostgresBenchmarkDatabase
{
    /// <summary>The environment variable holding the server's Npgsql connection string (<c>./build.sh postgres</c> prints it).</summary>
    public const string Variable = "DATUM_CONTACTS_POSTGRES";

    /// <summary>The database the benchmarks create on that server.</summary>
    public const string DatabaseName = "datum_contacts_bench";

    /// <summary>What the tenant ids of <see cref="PostgresBulkInsertBenchmarks"/> start with.</summary>
    public const string InsertTenantPrefix = "bench-insert-";

    /// <summary>The tenant holding the 1,000,000 contacts.</summary>
    public static readonly TenantId Tenant = TenantId.Parse("bench");

    private static readonly Lazy<string> LazyConnectionString = new(CreateDatabase, LazyThreadSafetyMode.ExecutionAndPublication);

    /// <summary>The connection string of <see cref="DatabaseName"/>; creates the database and its tables on first use.</summary>
    public static string ConnectionString => LazyConnectionString.Value;

    /// <summary>Services as a host configures them: the contact services over the EF Core store, with a context factory on the database.</summary>
    /// <param name="extra">More context options (an interceptor that records the SQL, for instance).</param>
    public static ServiceProvider BuildServices(Action<DbContextOptionsBuilder>? extra = null)
    {
        var connectionString = ConnectionString;
        var services = new ServiceCollection();
        services.AddDbContextFactory<ContactsDbContext>(options =>
        {
            options.UseNpgsql(connectionString);
            extra?.Invoke(options);
        });
        services.AddContactManagement().UseEntityFrameworkCore<ContactsDbContext>();
        return services.BuildServiceProvider(new ServiceProviderOptions { ValidateOnBuild = true, ValidateScopes = true });
    }

    /// <summary>A context on the database (for the load and the schema).</summary>
    public static ContactsDbContext NewContext()
        => new(new DbContextOptionsBuilder<ContactsDbContext>().UseNpgsql(ConnectionString).Options);

    /// <summary>
    /// Makes sure the tenant <see cref="Tenant"/> holds the 1,000,000 contacts and its custom field: loads them with
    /// binary COPY in one transaction when it does not (a failed load leaves nothing behind), then
    /// <c>VACUUM (ANALYZE)</c>s the tables and runs a <c>CHECKPOINT</c>. Prints what it did and how long it took.
    /// </summary>
    public static void EnsureLoaded()
    {
        using var connection = new NpgsqlConnection(ConnectionString);
        connection.Open();

        // One loader at a time, should two processes start together.
        Execute(connection, "SELECT pg_advisory_lock(4242)");
        try
        {
            var loaded = CountContacts(connection, Tenant.Value);
            if (loaded == CriteriaData.ContactCount)
            {
                Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"// PostgreSQL: tenant '{Tenant}' of {DatabaseName} already holds {loaded:N0} contacts; not loading."));
                return;
            }

            Load(connection, loaded);
        }
        finally
        {
            Execute(connection, "SELECT pg_advisory_unlock(4242)");
        }
    }

    /// <summary>Deletes every tenant <see cref="PostgresBulkInsertBenchmarks"/> created (their child rows go by cascade).</summary>
    /// <returns>How many contacts were deleted.</returns>
    public static int DeleteInsertTenants()
    {
        using var connection = new NpgsqlConnection(ConnectionString);
        connection.Open();
        const string Pattern = InsertTenantPrefix + "%";
        using var contacts = new NpgsqlCommand("""DELETE FROM contacts_contacts WHERE "TenantId" LIKE @pattern""", connection);
        contacts.Parameters.AddWithValue("pattern", Pattern);
        var deleted = contacts.ExecuteNonQuery();
        using var audit = new NpgsqlCommand("""DELETE FROM contacts_audit_log WHERE "TenantId" LIKE @pattern""", connection);
        audit.Parameters.AddWithValue("pattern", Pattern);
        audit.ExecuteNonQuery();
        return deleted;
    }

    /// <summary>The number of contacts in a tenant.</summary>
    public static long CountContacts(NpgsqlConnection connection, string tenant)
    {
        using var command = new NpgsqlCommand("""SELECT count(*) FROM contacts_contacts WHERE "TenantId" = @tenant""", connection);
        command.Parameters.AddWithValue("tenant", tenant);
        return (long)command.ExecuteScalar()!;
    }

    private static void Load(NpgsqlConnection connection, long partial)
    {
        var total = Stopwatch.StartNew();
        var contacts = CriteriaData.Contacts;
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"// PostgreSQL: loading {contacts.Length:N0} contacts into tenant '{Tenant}' of {DatabaseName} with binary COPY (found {partial:N0})..."));

        var watch = Stopwatch.StartNew();
        var tenant = Tenant.Value;
        var rows = new ContactRow[contacts.Length];
        for (var i = 0; i < contacts.Length; i++)
        {
            // The store's own mapping, then the benchmark tenant instead of CriteriaData's.
            var row = new ContactRow();
            ContactRowMapper.CopyTo(contacts[i], row);
            row.TenantId = tenant;
            row.Tags.ForEach(t => t.TenantId = tenant);
            row.SocialProfiles.ForEach(p => p.TenantId = tenant);
            row.Channels.ForEach(c => c.TenantId = tenant);
            row.CustomValues.ForEach(v => v.TenantId = tenant);
            rows[i] = row;
        }

        var mapped = watch.Elapsed;
        watch.Restart();

        using var context = NewContext();
        var model = context.Model;
        using (var transaction = connection.BeginTransaction())
        {
            using (var delete = new NpgsqlCommand("""DELETE FROM contacts_contacts WHERE "TenantId" = @tenant""", connection, transaction))
            {
                delete.Parameters.AddWithValue("tenant", tenant);
                delete.ExecuteNonQuery();
            }

            using (var delete = new NpgsqlCommand("""DELETE FROM contacts_custom_fields WHERE "TenantId" = @tenant""", connection, transaction))
            {
                delete.Parameters.AddWithValue("tenant", tenant);
                delete.ExecuteNonQuery();
            }

            var copied = new List<string>();
            copied.Add(PostgresCopy.Copy(connection, model, rows));
            copied.Add(PostgresCopy.Copy(connection, model, rows.SelectMany(r => r.Tags)));
            copied.Add(PostgresCopy.Copy(connection, model, rows.SelectMany(r => r.SocialProfiles)));
            copied.Add(PostgresCopy.Copy(connection, model, rows.SelectMany(r => r.Channels)));
            copied.Add(PostgresCopy.Copy(connection, model, rows.SelectMany(r => r.CustomValues)));
            copied.Add(PostgresCopy.Copy(connection, model, CriteriaData.Schema.Definitions.Select(f => CustomFieldRowMapper.ToRow(Tenant, f))));
            transaction.Commit();
            Console.WriteLine("// PostgreSQL: copied " + string.Join("; ", copied));
        }

        var copiedIn = watch.Elapsed;
        var loadedIn = total.Elapsed;
        watch.Restart();
        foreach (var table in new[] { "contacts_contacts", "contacts_contact_tags", "contacts_contact_social_profiles", "contacts_contact_channels", "contacts_contact_custom_values", "contacts_custom_fields" })
        {
            Execute(connection, "VACUUM (ANALYZE) " + table);
        }

        // Write the loaded pages out now rather than during the first measurements.
        Execute(connection, "CHECKPOINT");

        Console.WriteLine(string.Create(
            CultureInfo.InvariantCulture,
            $"// PostgreSQL: loaded {contacts.Length:N0} contacts in {loadedIn.TotalSeconds:F1} s (generating them, mapping them with ContactRowMapper.CopyTo in {mapped.TotalSeconds:F1} s, COPY in {copiedIn.TotalSeconds:F1} s), then VACUUM (ANALYZE) and CHECKPOINT in {watch.Elapsed.TotalSeconds:F1} s."));
    }

    private static void Execute(NpgsqlConnection connection, string sql)
    {
        using var command = new NpgsqlCommand(sql, connection) { CommandTimeout = 0 };
        command.ExecuteNonQuery();
    }

    private static string CreateDatabase()
    {
        var given = Environment.GetEnvironmentVariable(Variable);
        if (string.IsNullOrWhiteSpace(given))
        {
            throw new InvalidOperationException(
                $"The PostgreSQL benchmarks need a server: set {Variable} to an Npgsql connection string (a user that may create databases), "
                + "for example the one `./build.sh postgres` prints. They create and fill the database " + DatabaseName + " on it.");
        }

        var builder = new NpgsqlConnectionStringBuilder(given);
        var serverDatabase = string.IsNullOrEmpty(builder.Database) ? "postgres" : builder.Database;
        builder.Database = serverDatabase;
        using (var connection = new NpgsqlConnection(builder.ConnectionString))
        {
            try
            {
                connection.Open();
            }
            catch (NpgsqlException exception)
            {
                throw new InvalidOperationException($"The PostgreSQL server of {Variable} cannot be reached: {exception.Message}", exception);
            }

            using var exists = new NpgsqlCommand("SELECT count(*) FROM pg_database WHERE datname = @name", connection);
            exists.Parameters.AddWithValue("name", DatabaseName);
            if ((long)exists.ExecuteScalar()! == 0)
            {
                Execute(connection, "CREATE DATABASE " + DatabaseName);
                Console.WriteLine($"// PostgreSQL: created the database {DatabaseName}.");
            }
        }

        builder.Database = DatabaseName;
        builder.CommandTimeout = 0;
        var connectionString = builder.ConnectionString;
        using var context = new ContactsDbContext(new DbContextOptionsBuilder<ContactsDbContext>().UseNpgsql(connectionString).Options);
        context.Database.EnsureCreated();
        return connectionString;
    }
}
