using System.Data.Common;
using System.Diagnostics;
using System.Globalization;
using Datum.Contacts.EntityFrameworkCore;
using Microsoft.Data.Sqlite;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata;
using Microsoft.EntityFrameworkCore.Storage;
using Microsoft.Extensions.DependencyInjection;
using Npgsql;

namespace Datum.Contacts.Benchmarks;

/// <summary>Opens a bulk writer for one table of the store's model.</summary>
internal interface IRowSinks
{
    /// <summary>A writer of <typeparamref name="TRow"/> rows.</summary>
    RowSink<TRow> Open<TRow>()
        where TRow : class;
}

/// <summary>
/// The seeded rows: the contacts of <see cref="ScaleContacts"/> mapped by the store's own
/// <see cref="ContactRowMapper.CopyTo"/>, generated once and written as they come (the contact rows), their child rows
/// (tags, social profiles, channels, custom values) kept and written after them, one table at a time on the same
/// connection and transaction; then the tenant's custom field definition (<see cref="CustomFieldRowMapper.ToRow"/>).
/// </summary>
internal static class ScaleSeed
{
    /// <summary>Writes the first <paramref name="size"/> contacts; returns what was written and how long it took.</summary>
    public static string Write(IRowSinks sinks, int size)
    {
        var watch = Stopwatch.StartNew();
        var tags = new List<ContactTagRow>();
        var profiles = new List<ContactSocialProfileRow>();
        var channels = new List<ContactChannelRow>();
        var values = new List<ContactCustomValueRow>();
        var written = new List<string>();
        using (var contacts = sinks.Open<ContactRow>())
        {
            foreach (var contact in ScaleContacts.Stream(size))
            {
                var row = new ContactRow();
                ContactRowMapper.CopyTo(contact, row);
                contacts.Add(row);
                tags.AddRange(row.Tags);
                profiles.AddRange(row.SocialProfiles);
                channels.AddRange(row.Channels);
                values.AddRange(row.CustomValues);
            }

            written.Add(contacts.Complete());
        }

        written.Add(Write(sinks, tags));
        written.Add(Write(sinks, profiles));
        written.Add(Write(sinks, channels));
        written.Add(Write(sinks, values));
        written.Add(Write(sinks, ScaleContacts.Schema.Definitions.Select(d => CustomFieldRowMapper.ToRow(ScaleContacts.Tenant, d))));
        return string.Create(CultureInfo.InvariantCulture, $"{string.Join("; ", written)} in {watch.Elapsed.TotalSeconds:F1} s");
    }

    private static string Write<TRow>(IRowSinks sinks, IEnumerable<TRow> rows)
        where TRow : class
    {
        using var sink = sinks.Open<TRow>();
        sink.AddRange(rows);
        return sink.Complete();
    }
}

/// <summary>
/// Checks the seeder against the store: creates a few of the same drafts through <see cref="IContactService"/> in a
/// tenant of their own, and compares every column of their rows (contact and child tables) with the seeded rows, except
/// what differs by design (tenant, id, times, source, version); then reads the seeded contacts back through the service.
/// </summary>
internal static class ScaleSeedCheck
{
    /// <summary>The tenant of the contacts created through the service.</summary>
    public static readonly TenantId VerifyTenant = TenantId.Parse("scale-verify");

    private static readonly HashSet<string> Ignored = new(StringComparer.Ordinal)
    {
        "TenantId", "Id", "ContactId", "CreatedAtTicks", "UpdatedAtTicks", "LastEngagementAtTicks", "Source", "Version",
    };

    public static async Task RunAsync(ScaleDatabase database, int size)
    {
        var fields = database.Scoped.GetRequiredService<ICustomFieldService>();
        foreach (var definition in ScaleContacts.Schema.Definitions)
        {
            await fields.DefineAsync(VerifyTenant, definition, ScaleDatabases.Actor);
        }

        await using var context = database.NewContext();
        var connection = context.Database.GetDbConnection();
        await connection.OpenAsync();
        var indexes = new[] { 0, 1, 2, 3, 5, 7, 8, 10, size - 1 }.Distinct().ToArray();
        foreach (var i in indexes)
        {
            var created = await database.Contacts.CreateAsync(VerifyTenant, ScaleContacts.Draft(i), ScaleDatabases.Actor);
            var seeded = await database.Contacts.GetAsync(ScaleContacts.Tenant, ScaleContacts.IdOf(i));
            if (seeded.Email != created.Email || seeded.Tags.ToString() != created.Tags.ToString() || seeded.CreatedAt != ScaleContacts.CreatedAt(i))
            {
                throw new InvalidOperationException($"Seeded contact {i} reads back as {seeded.Email} [{seeded.Tags}] {seeded.CreatedAt:O}; the service made {created.Email} [{created.Tags}].");
            }

            foreach (var type in new[] { typeof(ContactRow), typeof(ContactTagRow), typeof(ContactSocialProfileRow), typeof(ContactChannelRow), typeof(ContactCustomValueRow) })
            {
                var seededRows = await RowsAsync(connection, context.Model, type, ScaleContacts.Tenant, seeded.Id);
                var createdRows = await RowsAsync(connection, context.Model, type, VerifyTenant, created.Id);
                if (seededRows != createdRows)
                {
                    throw new InvalidOperationException($"Seeded contact {i}: the seeder's {type.Name} rows differ from the store's:\n  seeded:  {seededRows}\n  created: {createdRows}");
                }
            }
        }

        Console.WriteLine($"// Seed check: {indexes.Length} seeded contacts have the rows the contact service writes for the same drafts, and read back through it.");
    }

    private static async Task<string> RowsAsync(DbConnection connection, IModel model, Type type, TenantId tenant, ContactId id)
    {
        var entity = model.FindEntityType(type)!;
        var table = StoreObjectIdentifier.Table(entity.GetTableName()!, entity.GetSchema());
        var tenantProperty = entity.FindProperty(nameof(ContactRow.TenantId))!;
        var idProperty = entity.FindProperty(type == typeof(ContactRow) ? nameof(ContactRow.Id) : nameof(ContactTagRow.ContactId))!;
        await using var command = connection.CreateCommand();
        command.CommandText = $"SELECT * FROM \"{table.Name}\" WHERE \"{tenantProperty.GetColumnName(table)}\" = @tenant AND \"{idProperty.GetColumnName(table)}\" = @id";
        command.Parameters.Add(((RelationalTypeMapping)tenantProperty.GetTypeMapping()).CreateParameter(command, "@tenant", tenant.Value));
        command.Parameters.Add(((RelationalTypeMapping)idProperty.GetTypeMapping()).CreateParameter(command, "@id", id.Value));
        var rows = new List<string>();
        await using var reader = await command.ExecuteReaderAsync();
        while (await reader.ReadAsync())
        {
            var columns = Enumerable.Range(0, reader.FieldCount)
                .Where(k => !Ignored.Contains(reader.GetName(k)))
                .Select(k => reader.GetName(k) + "=" + Convert.ToString(reader.GetValue(k), CultureInfo.InvariantCulture));
            rows.Add(string.Join(",", columns));
        }

        rows.Sort(StringComparer.Ordinal);
        return string.Join(" | ", rows);
    }
}

/// <summary>
/// The audience data: granted email consent for every contact but every tenth, and the dynamic list
/// <see cref="ScaleDatabases.AudienceListName"/> of every contact, created through the list service. No suppressions,
/// sends or quiet hours; the rules keep the active contacts with consent and the email channel on.
/// </summary>
internal static class ScaleAudience
{
    /// <summary>The send time the audience is resolved at.</summary>
    public static readonly DateTimeOffset At = new(2026, 6, 1, 12, 0, 0, TimeSpan.Zero);

    /// <summary>The audience size the rules give for <paramref name="size"/> contacts.</summary>
    public static int Expected(int size)
        => Enumerable.Range(0, size).Count(i => ScaleContacts.IsActive(i) && ScaleContacts.EmailConsentGranted(i) && ScaleContacts.EmailOn(i));

    /// <summary>Writes the consents (through the store port, 10,000 per unit of work) and creates the list.</summary>
    public static async Task PrepareAsync(ScaleDatabase database, int size)
    {
        var store = database.Scoped.GetRequiredService<IContactManagementStore>();
        var tenant = ScaleContacts.Tenant;
        var grantedAt = ScaleContacts.Start.AddDays(-1);
        foreach (var chunk in Enumerable.Range(0, size).Where(ScaleContacts.EmailConsentGranted).Chunk(10_000))
        {
            var uow = await store.BeginAsync(tenant, default);
            await using (uow)
            {
                foreach (var i in chunk)
                {
                    var consent = Consent.New(tenant, ScaleContacts.IdOf(i), new ConsentScope(Channel.Email, null), grantedAt);
                    consent.Grant("bench-1", grantedAt);
                    uow.Consents.Add(consent);
                }

                await uow.CommitAsync(default);
            }
        }

        await database.Lists.CreateAsync(tenant, ScaleDatabases.ListDraft(ScaleDatabases.AudienceListName, "createdAt >= " + ScaleContacts.DayAfter(0)), ScaleDatabases.Actor);
    }
}
