using System.Data.Common;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Infrastructure;
using Microsoft.EntityFrameworkCore.Metadata;
using Xunit;

namespace Datum.Contacts.EntityFrameworkCore.Tests;

/// <summary>
/// The contact and list tables as the model lays them out and as the database created them: every key and index led by
/// the tenant id, the names a host chooses, and per provider the collation and number storage that make the
/// database order and compare like the core.
/// </summary>
public abstract class ModelTests
{
    private static readonly string[] TableNames =
        [
            "contacts", "contact_tags", "contact_social_profiles", "contact_channels", "contact_custom_values", "custom_fields", "audit_log",
            "lists", "list_memberships", "membership_history",
            "consents", "consent_evidence", "suppressions", "engagements", "audience_policies",
        ];

    protected abstract TestDatabase Database { get; }

    /// <summary>Sets the provider with a connection string that is never opened, for model-only tests.</summary>
    protected abstract void ConfigureOffline(DbContextOptionsBuilder options);

    /// <summary>Every primary key, unique constraint, index and foreign key of every contact table starts with TenantId, in the model.</summary>
    [Fact]
    public void Every_key_index_and_foreign_key_in_the_model_starts_with_TenantId()
    {
        // Arrange
        using var context = Database.NewContext();

        // Act
        var tables = context.Model.GetRelationalModel().Tables.ToList();
        var leads = tables.SelectMany(t =>
            new[] { ("primary key", t.PrimaryKey?.Name, t.PrimaryKey?.Columns[0].Name) }
                .Concat(t.UniqueConstraints.Select(u => ("unique constraint", (string?)u.Name, (string?)u.Columns[0].Name)))
                .Concat(t.Indexes.Select(i => ("index", (string?)i.Name, (string?)i.Columns[0].Name)))
                .Concat(t.ForeignKeyConstraints.Select(f => ("foreign key", (string?)f.Name, (string?)f.Columns[0].Name)))
                .Select(l => (Table: t.Name, Kind: l.Item1, Name: l.Item2, First: l.Item3)))
            .ToList();

        // Assert
        Assert.Equal(TableNames.Select(n => "contacts_" + n).Order(StringComparer.Ordinal), tables.Select(t => t.Name).Order(StringComparer.Ordinal));
        Assert.All(tables, t => Assert.NotNull(t.PrimaryKey));
        Assert.True(leads.Count(l => l.Kind == "index") >= 19, $"only {leads.Count(l => l.Kind == "index")} indexes");
        Assert.True(
            leads.Count(l => l.Kind == "foreign key") == 8,
            "the four child tables, consents and engagements each reference the contacts table, and memberships reference their list and contact");
        var stray = leads.Where(l => l.First != "TenantId").ToList();
        Assert.True(stray.Count == 0, "not led by TenantId: " + string.Join(", ", stray.Select(l => $"{l.Table} {l.Kind} {l.Name} ({l.First})")));
    }

    /// <summary>Every index the database holds on the contact tables (primary keys and unique ones included) starts with TenantId.</summary>
    [Fact]
    public async Task Every_index_in_the_database_starts_with_TenantId()
    {
        // Arrange
        await using var context = Database.NewContext();

        // Act
        var leads = await QueryAsync(context, IndexLeadsSql);

        // Assert
        Assert.Equal(TableNames.Select(n => "contacts_" + n).Order(StringComparer.Ordinal), leads.Select(l => l[0]).Distinct().Order(StringComparer.Ordinal));
        Assert.True(leads.Count >= 29, $"only {leads.Count} indexes: {string.Join(", ", leads.Select(l => l[1]))}");
        var stray = leads.Where(l => l[2] != "TenantId").ToList();
        Assert.True(stray.Count == 0, "not led by TenantId: " + string.Join(", ", stray.Select(l => $"{l[0]}.{l[1]} ({l[2]})")));
    }

    /// <summary>
    /// Memberships reference their list and their contact with foreign keys that restrict deletion (the core removes
    /// memberships one by one, to record their history); history has none, as it outlives both. List names are unique
    /// per tenant by their key, and the member page and per-contact reads have tenant-led indexes.
    /// </summary>
    [Fact]
    public void Memberships_reference_their_list_and_contact_and_restrict_deletion()
    {
        // Arrange
        using var context = Database.NewContext();
        var model = context.GetService<IDesignTimeModel>().Model;

        // Act
        var memberships = model.FindEntityType(typeof(ListMembershipRow))!;
        var lists = model.FindEntityType(typeof(ListRow))!;
        var history = model.FindEntityType(typeof(MembershipHistoryRow))!;
        var foreignKeys = memberships.GetForeignKeys()
            .Select(f => (Principal: f.PrincipalEntityType.ClrType, Columns: string.Join(", ", f.Properties.Select(p => p.Name)), f.DeleteBehavior))
            .OrderBy(f => f.Principal.Name, StringComparer.Ordinal)
            .ToList();
        string[][] Indexes(IReadOnlyEntityType type) => type.GetIndexes().Select(i => i.Properties.Select(p => p.Name).ToArray()).ToArray();

        // Assert
        Assert.Equal("contacts_list_memberships", memberships.GetTableName());
        Assert.Equal(["TenantId", "ListId", "ContactId"], memberships.FindPrimaryKey()!.Properties.Select(p => p.Name));
        Assert.Equal(
            [
                (typeof(ContactRow), "TenantId, ContactId", DeleteBehavior.Restrict),
                (typeof(ListRow), "TenantId, ListId", DeleteBehavior.Restrict),
            ],
            foreignKeys);
        Assert.Contains(["TenantId", "ContactId"], Indexes(memberships));
        Assert.Contains(["TenantId", "ListId", "Status", "ContactId"], Indexes(memberships));
        Assert.Empty(history.GetForeignKeys());
        Assert.Equal(["TenantId", "Id"], history.FindPrimaryKey()!.Properties.Select(p => p.Name));
        Assert.Contains(["TenantId", "ContactId", "ListId", "OccurredAtTicks", "Id"], Indexes(history));
        Assert.Contains(["TenantId", "ListId", "OccurredAtTicks", "Id"], Indexes(history));
        var nameIndex = Assert.Single(lists.GetIndexes(), i => i.IsUnique);
        Assert.Equal(["TenantId", "NameKey"], nameIndex.Properties.Select(p => p.Name));
        Assert.True(lists.FindProperty(nameof(ListRow.Version))!.IsConcurrencyToken);
        Assert.True(memberships.FindProperty(nameof(ListMembershipRow.Version))!.IsConcurrencyToken);
    }

    /// <summary>
    /// The database refuses what the store's commit relies on it to refuse: a membership of a list or contact that is
    /// not there, deleting a list or contact that still has memberships, and a second list of a tenant with the same name key.
    /// </summary>
    [Fact]
    public async Task The_database_enforces_membership_references_and_unique_list_names()
    {
        // Arrange
        var tenant = "model-" + Guid.NewGuid().ToString("N")[..12];
        var contact = Guid.NewGuid();
        var list = Guid.NewGuid();
        await using (var setup = Database.NewContext())
        {
            setup.Add(new ContactRow { TenantId = tenant, Id = contact, Email = "m@example.com", EmailNormalized = "m@example.com" });
            setup.Add(new ListRow { TenantId = tenant, Id = list, Name = "Club", NameKey = "club", Kind = ListKind.Static, Version = 1 });
            setup.Add(new ListMembershipRow { TenantId = tenant, ListId = list, ContactId = contact, Status = MembershipStatus.Active, Source = MembershipSource.Manual, Version = 1 });
            await setup.SaveChangesAsync();
        }

        async Task<bool> RefusedAsync(Action<DbContext> change)
        {
            await using var context = Database.NewContext();
            change(context);
            try
            {
                await context.SaveChangesAsync();
                return false;
            }
            catch (DbUpdateException)
            {
                return true;
            }
        }

        // Act and assert
        Assert.True(await RefusedAsync(c => c.Add(new ListMembershipRow { TenantId = tenant, ListId = Guid.NewGuid(), ContactId = contact, Version = 1 })), "a membership of a missing list");
        Assert.True(await RefusedAsync(c => c.Add(new ListMembershipRow { TenantId = tenant, ListId = list, ContactId = Guid.NewGuid(), Version = 1 })), "a membership of a missing contact");
        Assert.True(await RefusedAsync(c => c.Add(new ListMembershipRow { TenantId = "other-" + tenant, ListId = list, ContactId = contact, Version = 1 })), "a membership across tenants");
        Assert.True(await RefusedAsync(c => c.Remove(new ListRow { TenantId = tenant, Id = list, Version = 1 })), "deleting a list with members");
        Assert.True(await RefusedAsync(c => c.Remove(new ContactRow { TenantId = tenant, Id = contact, Version = 0 })), "deleting a contact with memberships");
        Assert.True(await RefusedAsync(c => c.Add(new ListRow { TenantId = tenant, Id = Guid.NewGuid(), Name = "CLUB", NameKey = "club", Version = 1 })), "a second list named club");
        Assert.False(await RefusedAsync(c => c.Add(new ListRow { TenantId = "other-" + tenant, Id = Guid.NewGuid(), Name = "Club", NameKey = "club", Version = 1 })), "another tenant's club");
    }

    /// <summary>
    /// Consents and engagement events reference their contact and go with it (the core removes them itself first; the
    /// cascade covers a concurrent writer). The consent ledger and the suppression list have no foreign key: they
    /// outlive the contact. Consents are keyed by contact, channel and list, and versioned.
    /// </summary>
    [Fact]
    public void Consents_and_engagements_reference_their_contact_and_the_ledger_and_suppressions_nothing()
    {
        // Arrange
        using var context = Database.NewContext();
        var model = context.GetService<IDesignTimeModel>().Model;

        // Act
        var consents = model.FindEntityType(typeof(ConsentRow))!;
        var engagements = model.FindEntityType(typeof(EngagementRow))!;
        var evidence = model.FindEntityType(typeof(ConsentEvidenceRow))!;
        var suppressions = model.FindEntityType(typeof(SuppressionRow))!;
        var policies = model.FindEntityType(typeof(AudiencePolicyRow))!;
        static (Type, string, DeleteBehavior) Reference(IReadOnlyEntityType type)
        {
            var key = Assert.Single(type.GetForeignKeys());
            return (key.PrincipalEntityType.ClrType, string.Join(", ", key.Properties.Select(p => p.Name)), key.DeleteBehavior);
        }

        string[][] Indexes(IReadOnlyEntityType type) => type.GetIndexes().Select(i => i.Properties.Select(p => p.Name).ToArray()).ToArray();

        // Assert
        Assert.Equal(["TenantId", "ContactId", "Channel", "ListId"], consents.FindPrimaryKey()!.Properties.Select(p => p.Name));
        Assert.Equal((typeof(ContactRow), "TenantId, ContactId", DeleteBehavior.Cascade), Reference(consents));
        Assert.True(consents.FindProperty(nameof(ConsentRow.Version))!.IsConcurrencyToken);
        Assert.Equal(["TenantId", "Id"], engagements.FindPrimaryKey()!.Properties.Select(p => p.Name));
        Assert.Equal((typeof(ContactRow), "TenantId, ContactId", DeleteBehavior.Cascade), Reference(engagements));
        Assert.Contains(["TenantId", "ContactId", "Channel", "Kind", "OccurredAtTicks"], Indexes(engagements));
        Assert.Empty(evidence.GetForeignKeys());
        Assert.Equal(["TenantId", "Id"], evidence.FindPrimaryKey()!.Properties.Select(p => p.Name));
        Assert.Contains(["TenantId", "ContactId", "OccurredAtTicks", "Id"], Indexes(evidence));
        Assert.Empty(suppressions.GetForeignKeys());
        Assert.Equal(["TenantId", "Kind", "Value"], suppressions.FindPrimaryKey()!.Properties.Select(p => p.Name));
        Assert.Equal(["TenantId"], policies.FindPrimaryKey()!.Properties.Select(p => p.Name));
    }

    /// <summary>
    /// The database refuses a consent or an engagement event of a contact that is not there, and one consent twice;
    /// deleting a contact takes its consents and events with it and leaves its ledger entries.
    /// </summary>
    [Fact]
    public async Task The_database_ties_consents_and_events_to_their_contact_and_keeps_the_ledger()
    {
        // Arrange
        var tenant = "model-" + Guid.NewGuid().ToString("N")[..12];
        var contact = Guid.NewGuid();
        ConsentRow Consent(Guid of) => new() { TenantId = tenant, ContactId = of, Channel = "email", ListId = ConsentRow.ChannelWide, State = ConsentState.Granted, Version = 1 };
        EngagementRow Event(Guid of) => new() { TenantId = tenant, Id = Guid.NewGuid(), ContactId = of, Channel = "email", Kind = EngagementKind.Sent };
        await using (var setup = Database.NewContext())
        {
            setup.Add(new ContactRow { TenantId = tenant, Id = contact, Email = "c@example.com", EmailNormalized = "c@example.com" });
            setup.Add(Consent(contact));
            setup.Add(Event(contact));
            setup.Add(new ConsentEvidenceRow { TenantId = tenant, Id = Guid.NewGuid(), ContactId = contact, Channel = "email", ActorId = "a" });
            await setup.SaveChangesAsync();
        }

        async Task<bool> RefusedAsync(Action<DbContext> change)
        {
            await using var context = Database.NewContext();
            change(context);
            try
            {
                await context.SaveChangesAsync();
                return false;
            }
            catch (DbUpdateException)
            {
                return true;
            }
        }

        // Act and assert
        Assert.True(await RefusedAsync(c => c.Add(Consent(Guid.NewGuid()))), "a consent of a missing contact");
        Assert.True(await RefusedAsync(c => c.Add(Consent(contact))), "the same consent twice");
        Assert.True(await RefusedAsync(c => c.Add(Event(Guid.NewGuid()))), "an event of a missing contact");
        Assert.False(await RefusedAsync(c => c.Add(new ConsentEvidenceRow { TenantId = tenant, Id = Guid.NewGuid(), ContactId = Guid.NewGuid(), Channel = "email", ActorId = "a" })), "a ledger entry of a deleted contact");
        Assert.False(await RefusedAsync(c => c.Remove(new ContactRow { TenantId = tenant, Id = contact, Version = 0 })), "deleting a contact with consents and events");
        await using var after = Database.NewContext();
        Assert.Empty(await after.Set<ConsentRow>().Where(r => r.TenantId == tenant).ToListAsync());
        Assert.Empty(await after.Set<EngagementRow>().Where(r => r.TenantId == tenant).ToListAsync());
        Assert.Equal(2, await after.Set<ConsentEvidenceRow>().CountAsync(r => r.TenantId == tenant));
    }

    /// <summary>A host's schema and table prefix name every table, with nothing else changed; no database is needed.</summary>
    [Fact]
    public void A_schema_and_table_prefix_name_every_table()
    {
        // Arrange
        var options = new DbContextOptionsBuilder<PrefixedContext>();
        ConfigureOffline(options);
        using var context = new PrefixedContext(options.Options);

        // Act
        var tables = context.Model.GetEntityTypes().Select(e => (Name: e.GetTableName(), Schema: e.GetSchema())).ToList();

        // Assert
        Assert.Equal(TableNames.Select(n => "x_" + n).Order(StringComparer.Ordinal), tables.Select(t => t.Name).Order(StringComparer.Ordinal));
        Assert.All(tables, t => Assert.Equal("crm", t.Schema));
        var contacts = context.Model.FindEntityType(typeof(ContactRow))!;
        Assert.Equal(["TenantId", "Id"], contacts.FindPrimaryKey()!.Properties.Select(p => p.Name));
    }

    protected static async Task<List<string[]>> QueryAsync(DbContext context, string sql)
    {
        var connection = context.Database.GetDbConnection();
        await context.Database.OpenConnectionAsync();
        try
        {
            await using var command = connection.CreateCommand();
            command.CommandText = sql;
            await using var reader = await command.ExecuteReaderAsync();
            var rows = new List<string[]>();
            while (await reader.ReadAsync())
            {
                rows.Add(Enumerable.Range(0, reader.FieldCount).Select(i => reader.IsDBNull(i) ? "<null>" : Convert.ToString(reader.GetValue(i), System.Globalization.CultureInfo.InvariantCulture)!).ToArray());
            }

            return rows;
        }
        finally
        {
            await context.Database.CloseConnectionAsync();
        }
    }

    /// <summary>Rows of (table, index, first column) for every index of the contact tables.</summary>
    protected abstract string IndexLeadsSql { get; }

    /// <summary>A host's context with its own schema and table prefix.</summary>
    public sealed class PrefixedContext(DbContextOptions<PrefixedContext> options) : DbContext(options)
    {
        protected override void OnModelCreating(ModelBuilder modelBuilder)
            => modelBuilder.ApplyContactManagementModel(o =>
            {
                o.Schema = "crm";
                o.TablePrefix = "x_";
            });
    }
}

public sealed class SqliteModelTests : ModelTests
{
    protected override TestDatabase Database => SqliteTestDatabase.Instance;

    protected override string IndexLeadsSql => """
        SELECT m.name, il.name, ii.name
        FROM sqlite_master AS m, pragma_index_list(m.name) AS il, pragma_index_info(il.name) AS ii
        WHERE m.type = 'table' AND m.name LIKE 'contacts\_%' ESCAPE '\' AND ii.seqno = 0
        """;

    protected override void ConfigureOffline(DbContextOptionsBuilder options) => options.UseSqlite("Data Source=:memory:");

    /// <summary>
    /// SQLite has no exact decimal: custom numbers are stored as TEXT through the sortable encoding (the column holds
    /// exactly <see cref="SortableDecimal.Encode"/>), and the sort keys keep SQLite's binary collation.
    /// </summary>
    [Fact]
    public async Task Numbers_are_stored_as_sortable_text_and_sort_keys_keep_the_binary_collation()
    {
        // Arrange
        await using var context = Database.NewContext();
        var number = context.Model.FindEntityType(typeof(ContactCustomValueRow))!.FindProperty(nameof(ContactCustomValueRow.NumberValue))!;
        var contact = context.GetService<IDesignTimeModel>().Model.FindEntityType(typeof(ContactRow))!;
        var tenant = "model-" + Guid.NewGuid().ToString("N")[..12];
        var id = Guid.NewGuid();
        context.Add(new ContactRow
        {
            TenantId = tenant,
            Id = id,
            Email = "n@example.com",
            EmailNormalized = "n@example.com",
            CustomValues = [new ContactCustomValueRow { TenantId = tenant, ContactId = id, Name = "score", Type = CustomFieldType.Number, NumberValue = -12.5m }],
        });

        // Act
        await context.SaveChangesAsync();
        var stored = await QueryAsync(context, $"""SELECT typeof("NumberValue"), "NumberValue" FROM contacts_contact_custom_values WHERE "TenantId" = '{tenant}'""");

        // Assert
        Assert.Same(SortableDecimal.Converter, number.GetValueConverter());
        Assert.Equal("TEXT", number.GetRelationalTypeMapping().StoreType);
        Assert.Equal(["text", SortableDecimal.Encode(-12.5m)], Assert.Single(stored));
        Assert.Null(contact.FindProperty(nameof(ContactRow.SortLastName))!.GetCollation());
        Assert.Null(contact.FindProperty(nameof(ContactRow.SortEmail))!.GetCollation());
        Assert.Null(contact.Model.FindEntityType(typeof(ListRow))!.FindProperty(nameof(ListRow.NameKey))!.GetCollation());
        Assert.Null(contact.Model.FindEntityType(typeof(SuppressionRow))!.FindProperty(nameof(SuppressionRow.Value))!.GetCollation());
    }
}

public sealed class PostgresModelTests : ModelTests
{
    protected override TestDatabase Database => PostgresTestDatabase.Instance;

    protected override string IndexLeadsSql => """
        SELECT t.relname, i.relname, a.attname
        FROM pg_index AS x
        JOIN pg_class AS i ON i.oid = x.indexrelid
        JOIN pg_class AS t ON t.oid = x.indrelid
        JOIN pg_namespace AS n ON n.oid = t.relnamespace
        JOIN pg_attribute AS a ON a.attrelid = t.oid AND a.attnum = x.indkey[0]
        WHERE n.nspname = current_schema() AND t.relname LIKE 'contacts\_%'
        """;

    protected override void ConfigureOffline(DbContextOptionsBuilder options) => options.UseNpgsql("Host=unused.invalid;Database=unused");

    /// <summary>
    /// PostgreSQL's default collation is linguistic, so the sort keys use collation "C" (code point order, as the
    /// core sorts); custom numbers are <c>numeric</c>, exact and numerically ordered, without a converter. The model
    /// says so, and so do the database's columns.
    /// </summary>
    [Fact]
    public async Task Sort_keys_use_collation_C_and_numbers_are_numeric()
    {
        // Arrange
        await using var context = Database.NewContext();
        var model = context.GetService<IDesignTimeModel>().Model;
        var contact = model.FindEntityType(typeof(ContactRow))!;
        var number = model.FindEntityType(typeof(ContactCustomValueRow))!.FindProperty(nameof(ContactCustomValueRow.NumberValue))!;

        // Act
        var columns = await QueryAsync(context, """
            SELECT column_name, data_type, coalesce(collation_name, '')
            FROM information_schema.columns
            WHERE table_schema = current_schema()
              AND ((table_name = 'contacts_contacts' AND column_name IN ('SortLastName', 'SortEmail', 'FoldedLastName'))
                OR (table_name = 'contacts_contact_custom_values' AND column_name = 'NumberValue')
                OR (table_name = 'contacts_lists' AND column_name = 'NameKey'))
            ORDER BY column_name
            """);

        // Assert
        Assert.Equal("C", contact.FindProperty(nameof(ContactRow.SortLastName))!.GetCollation());
        Assert.Equal("C", contact.FindProperty(nameof(ContactRow.SortEmail))!.GetCollation());
        Assert.Null(contact.FindProperty(nameof(ContactRow.FoldedLastName))!.GetCollation());
        Assert.Equal("C", model.FindEntityType(typeof(ListRow))!.FindProperty(nameof(ListRow.NameKey))!.GetCollation());
        Assert.Equal("C", model.FindEntityType(typeof(SuppressionRow))!.FindProperty(nameof(SuppressionRow.Value))!.GetCollation());
        Assert.Equal("numeric", number.GetColumnType());
        Assert.Null(number.GetValueConverter());
        Assert.Equal(
            [
                ["FoldedLastName", "text", ""],
                ["NameKey", "text", "C"],
                ["NumberValue", "numeric", ""],
                ["SortEmail", "text", "C"],
                ["SortLastName", "text", "C"],
            ],
            columns);
    }

    /// <summary>A host that turns exact decimals off on PostgreSQL gets the sortable text, compared in collation "C".</summary>
    [Fact]
    public void Turning_exact_decimals_off_stores_numbers_as_sortable_text_in_collation_C()
    {
        // Arrange
        var options = new DbContextOptionsBuilder<TextNumbersContext>();
        ConfigureOffline(options);
        using var context = new TextNumbersContext(options.Options);

        // Act
        var number = context.GetService<IDesignTimeModel>().Model.FindEntityType(typeof(ContactCustomValueRow))!.FindProperty(nameof(ContactCustomValueRow.NumberValue))!;

        // Assert
        Assert.Same(SortableDecimal.Converter, number.GetValueConverter());
        Assert.Equal("text", number.GetColumnType());
        Assert.Equal("C", number.GetCollation());
    }

    /// <summary>A host's context that keeps custom numbers as text on PostgreSQL.</summary>
    public sealed class TextNumbersContext(DbContextOptions<TextNumbersContext> options) : DbContext(options)
    {
        protected override void OnModelCreating(ModelBuilder modelBuilder)
            => modelBuilder.ApplyContactManagementModel(o => o.ExactDecimals = false);
    }
}
