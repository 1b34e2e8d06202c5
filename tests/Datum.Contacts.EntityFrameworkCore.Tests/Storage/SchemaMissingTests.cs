using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Npgsql;
using Xunit;

namespace Datum.Contacts.EntityFrameworkCore.Tests;

/// <summary>
/// A database without the contact management tables (the host never ran its migrations, or ran older ones) fails
/// with <see cref="ContactStoreSchemaMissingException"/>, naming the missing table and what to run, on reads and on
/// writes alike, not with the provider's own exception.
/// </summary>
public abstract class SchemaMissingTests : IDisposable
{
    private static readonly Actor Admin = Actor.Admin("schema");
    private readonly List<ServiceProvider> _providers = [];
    private string? _connectionString;

    /// <summary>A new, empty database on the provider; its connection string.</summary>
    protected abstract string CreateEmptyDatabase();

    /// <summary>Deletes the database of <see cref="CreateEmptyDatabase"/>.</summary>
    protected abstract void DropDatabase(string connectionString);

    /// <summary>Sets the provider on context options.</summary>
    protected abstract void Configure(DbContextOptionsBuilder options, string connectionString);

    [Fact]
    public async Task Reading_from_a_database_without_the_tables_fails_naming_the_missing_table_and_what_to_run()
    {
        // Arrange
        using var scope = Services().CreateScope();
        var contacts = scope.ServiceProvider.GetRequiredService<IContactService>();
        var tenant = NewTenant();

        // Act
        var onCount = await Assert.ThrowsAsync<ContactStoreSchemaMissingException>(() => contacts.CountAsync(tenant, null));
        var onFind = await Assert.ThrowsAsync<ContactStoreSchemaMissingException>(() => contacts.FindByEmailAsync(tenant, "nobody@example.com"));

        // Assert
        Assert.Equal("contacts_contacts", onCount.Table);
        Assert.Equal("contacts_contacts", onFind.Table);
        AssertAdvice(onCount);
        Assert.NotNull(onCount.InnerException);
    }

    [Fact]
    public async Task Writing_to_a_database_without_the_tables_fails_naming_the_missing_table_and_what_to_run()
    {
        // Arrange
        using var scope = Services().CreateScope();
        var contacts = scope.ServiceProvider.GetRequiredService<IContactService>();
        var lists = scope.ServiceProvider.GetRequiredService<IListService>();
        var tenant = NewTenant();

        // Act
        var onContact = await Assert.ThrowsAsync<ContactStoreSchemaMissingException>(
            () => contacts.CreateAsync(tenant, new ContactDraft { FirstName = "Ada", Email = "ada@example.com" }, Admin));
        var onList = await Assert.ThrowsAsync<ContactStoreSchemaMissingException>(
            () => lists.CreateAsync(tenant, new ListDraft { Name = "Newsletter" }, Admin));

        // Assert
        Assert.StartsWith("contacts_", onContact.Table, StringComparison.Ordinal);
        Assert.StartsWith("contacts_", onList.Table, StringComparison.Ordinal);
        AssertAdvice(onContact);
        AssertAdvice(onList);
    }

    [Fact]
    public async Task A_commit_into_a_schema_that_lacks_one_table_fails_naming_that_table()
    {
        // Arrange: the schema of older migrations, without the audit log.
        var provider = Services();
        using (var context = NewContext())
        {
            await context.Database.EnsureCreatedAsync();
            await context.Database.ExecuteSqlRawAsync("DROP TABLE contacts_audit_log");
        }

        using var scope = provider.CreateScope();
        var contacts = scope.ServiceProvider.GetRequiredService<IContactService>();
        var tenant = NewTenant();

        // Act: the contact's audit entry is written at commit, with the contact.
        var error = await Assert.ThrowsAsync<ContactStoreSchemaMissingException>(
            () => contacts.CreateAsync(tenant, new ContactDraft { FirstName = "Grace", Email = "grace@example.com" }, Admin));

        // Assert: nothing was written.
        Assert.Equal("contacts_audit_log", error.Table);
        AssertAdvice(error);
        Assert.Equal(0, await contacts.CountAsync(tenant, null));
    }

    public void Dispose()
    {
        foreach (var provider in _providers)
        {
            provider.Dispose();
        }

        if (_connectionString is not null)
        {
            DropDatabase(_connectionString);
        }

        GC.SuppressFinalize(this);
    }

    private static void AssertAdvice(ContactStoreSchemaMissingException error)
    {
        Assert.Contains($"'{error.Table}'", error.Message, StringComparison.Ordinal);
        Assert.Contains("apply the migrations that include ApplyContactManagementModel", error.Message, StringComparison.Ordinal);
        Assert.Contains("Database.EnsureCreated() for tests", error.Message, StringComparison.Ordinal);
    }

    private static TenantId NewTenant() => TenantId.Parse("schema-" + Guid.NewGuid().ToString("N")[..16]);

    private string ConnectionString => _connectionString ??= CreateEmptyDatabase();

    private ContactsDbContext NewContext()
    {
        var options = new DbContextOptionsBuilder<ContactsDbContext>();
        Configure(options, ConnectionString);
        return new ContactsDbContext(options.Options);
    }

    private ServiceProvider Services()
    {
        var connectionString = ConnectionString;
        var services = new ServiceCollection();
        services.AddDbContextFactory<ContactsDbContext>(o => Configure(o, connectionString));
        services.AddContactManagement(_ => { }).UseEntityFrameworkCore<ContactsDbContext>();
        var provider = services.BuildServiceProvider(new ServiceProviderOptions { ValidateOnBuild = true, ValidateScopes = true });
        _providers.Add(provider);
        return provider;
    }
}

public sealed class SqliteSchemaMissingTests : SchemaMissingTests
{
    protected override string CreateEmptyDatabase()
        => $"Data Source={Path.Combine(Path.GetTempPath(), $"datum-contacts-empty-{Guid.NewGuid():N}.db")};Pooling=False";

    protected override void DropDatabase(string connectionString)
    {
        var path = new Microsoft.Data.Sqlite.SqliteConnectionStringBuilder(connectionString).DataSource;
        File.Delete(path);
    }

    protected override void Configure(DbContextOptionsBuilder options, string connectionString) => options.UseSqlite(connectionString);
}

public sealed class PostgresSchemaMissingTests : SchemaMissingTests
{
    protected override string CreateEmptyDatabase()
    {
        // A database of its own on the run's server: the shared test database has the tables.
        _ = PostgresTestDatabase.Instance.ConnectionString; // fails saying how to get a server when there is none
        var server = new NpgsqlConnectionStringBuilder(Environment.GetEnvironmentVariable(PostgresTestDatabase.Variable)) { Database = "postgres" };
        var database = "datum_contacts_empty_" + Guid.NewGuid().ToString("N")[..12];
        Execute(server.ConnectionString, $"CREATE DATABASE {database}");
        return new NpgsqlConnectionStringBuilder(server.ConnectionString) { Database = database }.ConnectionString;
    }

    protected override void DropDatabase(string connectionString)
    {
        var builder = new NpgsqlConnectionStringBuilder(connectionString);
        var database = builder.Database;
        NpgsqlConnection.ClearAllPools();
        builder.Database = "postgres";
        Execute(builder.ConnectionString, $"DROP DATABASE IF EXISTS {database} WITH (FORCE)");
    }

    protected override void Configure(DbContextOptionsBuilder options, string connectionString) => options.UseNpgsql(connectionString);

    private static void Execute(string connectionString, string sql)
    {
        using var connection = new NpgsqlConnection(connectionString);
        connection.Open();
        using var command = new NpgsqlCommand(sql, connection);
        command.ExecuteNonQuery();
    }
}
