using Datum.Contacts.Samples.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Npgsql;
using Xunit;

namespace Datum.Contacts.EntityFrameworkCore.Tests;

// The samples keep one migration per provider; the model must not have moved on without them.
public sealed class MigrationTests
{
    [Fact]
    public void The_sqlite_sample_migrations_match_the_current_model()
    {
        using var context = new SampleSqliteDbContext(SampleSqliteDbContext.Options("Data Source=:memory:"));

        Assert.NotEmpty(context.Database.GetMigrations());
        Assert.False(context.Database.HasPendingModelChanges(), "The model changed: add a migration to samples/Datum.Contacts.Samples.EntityFrameworkCore (see its README).");
    }

    [Fact]
    public void The_postgres_sample_migrations_match_the_current_model()
    {
        using var context = new SamplePostgresDbContext(SamplePostgresDbContext.Options("Host=localhost;Database=unused"));

        Assert.NotEmpty(context.Database.GetMigrations());
        Assert.False(context.Database.HasPendingModelChanges(), "The model changed: add a migration to samples/Datum.Contacts.Samples.EntityFrameworkCore (see its README).");
    }

    [Fact]
    public async Task The_sqlite_migration_creates_a_database_the_store_works_on()
    {
        var path = Path.Combine(Path.GetTempPath(), $"datum-contacts-migrated-{Guid.NewGuid():N}.db");
        var connectionString = $"Data Source={path};Pooling=False";
        try
        {
            await using (var context = new SampleSqliteDbContext(SampleSqliteDbContext.Options(connectionString)))
            {
                await context.Database.MigrateAsync();
                Assert.Empty(await context.Database.GetPendingMigrationsAsync());
            }

            var services = new ServiceCollection();
            services.AddContactManagement().UseEntityFrameworkCore<SampleSqliteDbContext>();
            services.AddDbContextFactory<SampleSqliteDbContext>(o => o.UseSqlite(connectionString));
            await using var provider = services.BuildServiceProvider();
            var contacts = provider.GetRequiredService<IContactService>();
            var tenant = TenantId.Parse("migrated");

            var created = await contacts.CreateAsync(tenant, new ContactDraft { FirstName = "Émile", Email = "emile@example.net", Tags = ["vip"] }, Actor.System);
            var found = await contacts.SearchAsync(tenant, Criteria.Parse("firstName = \"ÉMILE\" and tags has \"VIP\""), new ContactPageRequest());

            Assert.Equal(created.Id, Assert.Single(found.Items).Id);

            // Lists, memberships, member counts and memberOf work on the migrated tables too.
            var lists = provider.GetRequiredService<IListService>();
            var list = await lists.CreateAsync(tenant, new ListDraft { Name = "Club" }, Actor.System);
            await lists.AddMembersAsync(tenant, list.Id, [created.Id], MembershipSource.Manual, Actor.System);
            var members = await contacts.SearchAsync(tenant, Criteria.Parse("memberOf(\"club\") = \"active\""), new ContactPageRequest());

            Assert.Equal(1, (await lists.GetAsync(tenant, list.Id)).MemberCount);
            Assert.Equal(created.Id, Assert.Single(members.Items).Id);

            // Consents, their ledger, consent criteria and suppressions too.
            var consents = provider.GetRequiredService<IConsentService>();
            await consents.GrantAsync(tenant, created.Id, new ConsentScope(Channel.Email, list.Id), new ConsentEvidenceDraft { Source = ConsentSource.Form }, Actor.System);
            await consents.GrantAsync(tenant, created.Id, new ConsentScope(Channel.Email, null), new ConsentEvidenceDraft { Source = ConsentSource.Form }, Actor.System);
            var consenting = await contacts.SearchAsync(tenant, Criteria.Parse("consent.email = \"granted\""), new ContactPageRequest());
            await provider.GetRequiredService<ISuppressionService>().AddAsync(tenant, new SuppressionDraft { Kind = SuppressionKind.EmailDomain, Value = "example.org" }, Actor.System);

            Assert.Equal(created.Id, Assert.Single(consenting.Items).Id);
            Assert.Equal(2, (await consents.GetEvidenceAsync(tenant, created.Id, null, new PageRequest())).Items.Count);
            Assert.NotNull(await provider.GetRequiredService<ISuppressionService>().FindAsync(tenant, SuppressionKind.EmailDomain, "example.org"));
        }
        finally
        {
            File.Delete(path);
        }
    }

    [Fact]
    public async Task The_postgres_migration_creates_a_database_the_store_works_on()
    {
        // A database of its own, so the migration starts from nothing.
        var server = new NpgsqlConnectionStringBuilder(PostgresTestDatabase.Instance.ConnectionString);
        var database = "datum_contacts_migrated_" + Guid.NewGuid().ToString("N")[..8];
        var admin = server.ConnectionString;
        await Execute(admin, $"CREATE DATABASE {database}");
        try
        {
            var connectionString = new NpgsqlConnectionStringBuilder(admin) { Database = database, Pooling = false }.ConnectionString;
            await using var context = new SamplePostgresDbContext(SamplePostgresDbContext.Options(connectionString));
            await context.Database.MigrateAsync();
            var tables = await context.Database
                .SqlQueryRaw<string>("SELECT table_name AS \"Value\" FROM information_schema.tables WHERE table_schema = 'public'")
                .ToListAsync();

            Assert.Empty(await context.Database.GetPendingMigrationsAsync());
            Assert.Contains("contacts_contacts", tables);
            Assert.Contains("contacts_contact_custom_values", tables);
            Assert.Contains("contacts_audit_log", tables);
            Assert.Contains("contacts_lists", tables);
            Assert.Contains("contacts_list_memberships", tables);
            Assert.Contains("contacts_membership_history", tables);
            Assert.Contains("contacts_consents", tables);
            Assert.Contains("contacts_consent_evidence", tables);
            Assert.Contains("contacts_suppressions", tables);
            Assert.Contains("contacts_engagements", tables);
            Assert.Contains("contacts_audience_policies", tables);
        }
        finally
        {
            await Execute(admin, $"DROP DATABASE IF EXISTS {database} WITH (FORCE)");
        }
    }

    private static async Task Execute(string connectionString, string sql)
    {
        await using var connection = new NpgsqlConnection(connectionString);
        await connection.OpenAsync();
        await using var command = new NpgsqlCommand(sql, connection);
        await command.ExecuteNonQueryAsync();
    }
}
