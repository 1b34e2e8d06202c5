using Datum.Contacts;
using Datum.Contacts.EntityFrameworkCore;

namespace Microsoft.EntityFrameworkCore;

/// <summary>Where and how the contact management tables are laid out in a host's database.</summary>
public sealed class ContactModelOptions
{
    /// <summary>The database schema of the tables; null for the provider's default (<c>public</c>, <c>main</c>…).</summary>
    public string? Schema { get; set; }

    /// <summary>What every table name starts with. Default <c>contacts_</c>; may be empty.</summary>
    public string TablePrefix { get; set; } = "contacts_";

    /// <summary>
    /// The collation of the text columns that listings sort by, so that the database orders them as the core does
    /// (by code point). Null chooses: <c>"C"</c> on PostgreSQL (whose default collation is linguistic), nothing
    /// elsewhere (SQLite compares bytes already). Set it for another provider whose default collation is not binary.
    /// </summary>
    public string? SortCollation { get; set; }

    /// <summary>
    /// Whether the database has an exact decimal type that orders numerically (PostgreSQL's <c>numeric</c>). Null
    /// chooses: true on PostgreSQL; false elsewhere, where custom number values are stored as text encoded so that
    /// text order is numeric order (SQLite has no exact decimal).
    /// </summary>
    public bool? ExactDecimals { get; set; }
}

/// <summary>Adds the contact management tables to a host's EF Core model.</summary>
public static class ContactManagementModelBuilderExtensions
{
    /// <summary>
    /// Adds the contact management entities to the model. Call it from the host's
    /// <see cref="DbContext.OnModelCreating(ModelBuilder)"/>, then create the tables with the host's migrations.
    /// </summary>
    /// <param name="modelBuilder">The host's model builder.</param>
    /// <param name="configure">Schema, table prefix and provider choices; optional.</param>
    /// <returns>The model builder.</returns>
    public static ModelBuilder ApplyContactManagementModel(this ModelBuilder modelBuilder, Action<ContactModelOptions>? configure = null)
    {
        ArgumentNullException.ThrowIfNull(modelBuilder);
        var options = new ContactModelOptions();
        configure?.Invoke(options);
        ArgumentNullException.ThrowIfNull(options.TablePrefix, nameof(ContactModelOptions.TablePrefix));
        var layout = ContactModelLayout.Resolve(options, modelBuilder);

        // One configuration per table, each in its area's folder.
        modelBuilder.ApplyConfiguration(new ContactRowConfiguration(layout));
        modelBuilder.ApplyConfiguration(new ListRowConfiguration(layout));
        modelBuilder.ApplyConfiguration(new ListMembershipRowConfiguration(layout));
        modelBuilder.ApplyConfiguration(new MembershipHistoryRowConfiguration(layout));
        modelBuilder.ApplyConfiguration(new ConsentRowConfiguration(layout));
        modelBuilder.ApplyConfiguration(new ConsentEvidenceRowConfiguration(layout));
        modelBuilder.ApplyConfiguration(new SuppressionRowConfiguration(layout));
        modelBuilder.ApplyConfiguration(new EngagementRowConfiguration(layout));
        modelBuilder.ApplyConfiguration(new AudiencePolicyRowConfiguration(layout));
        modelBuilder.ApplyConfiguration(new ContactTagRowConfiguration(layout));
        modelBuilder.ApplyConfiguration(new ContactSocialProfileRowConfiguration(layout));
        modelBuilder.ApplyConfiguration(new ContactChannelRowConfiguration(layout));
        modelBuilder.ApplyConfiguration(new ContactCustomValueRowConfiguration(layout));
        modelBuilder.ApplyConfiguration(new CustomFieldRowConfiguration(layout));
        modelBuilder.ApplyConfiguration(new AuditEntryRowConfiguration(layout));

        return modelBuilder;
    }
}
