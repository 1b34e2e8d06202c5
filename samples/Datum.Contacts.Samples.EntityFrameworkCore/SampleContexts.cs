using Datum.Contacts.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Design;

namespace Datum.Contacts.Samples.EntityFrameworkCore;

/// <summary>A host's context on SQLite: the ready <see cref="ContactsDbContext"/> model, migrated by Migrations/Sqlite.</summary>
public sealed class SampleSqliteDbContext(DbContextOptions<SampleSqliteDbContext> options) : ContactsDbContext(options)
{
    /// <summary>Options for a SQLite file.</summary>
    public static DbContextOptions<SampleSqliteDbContext> Options(string connectionString)
        => new DbContextOptionsBuilder<SampleSqliteDbContext>().UseSqlite(connectionString).Options;
}

/// <summary>A host's context on PostgreSQL, migrated by Migrations/Postgres.</summary>
public sealed class SamplePostgresDbContext(DbContextOptions<SamplePostgresDbContext> options) : ContactsDbContext(options)
{
    /// <summary>Options for a PostgreSQL database.</summary>
    public static DbContextOptions<SamplePostgresDbContext> Options(string connectionString)
        => new DbContextOptionsBuilder<SamplePostgresDbContext>().UseNpgsql(connectionString).Options;
}

/// <summary>What <c>dotnet ef</c> uses to build the SQLite context at design time.</summary>
public sealed class SampleSqliteDesignTimeFactory : IDesignTimeDbContextFactory<SampleSqliteDbContext>
{
    /// <inheritdoc />
    public SampleSqliteDbContext CreateDbContext(string[] args) => new(SampleSqliteDbContext.Options("Data Source=design-time.db"));
}

/// <summary>What <c>dotnet ef</c> uses to build the PostgreSQL context at design time (no connection is opened).</summary>
public sealed class SamplePostgresDesignTimeFactory : IDesignTimeDbContextFactory<SamplePostgresDbContext>
{
    /// <inheritdoc />
    public SamplePostgresDbContext CreateDbContext(string[] args) => new(SamplePostgresDbContext.Options("Host=localhost;Database=contacts"));
}
