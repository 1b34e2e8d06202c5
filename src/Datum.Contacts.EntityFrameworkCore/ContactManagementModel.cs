using System.Globalization;
using Datum.Contacts;
using Datum.Contacts.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Storage.ValueConversion;

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
        var npgsql = modelBuilder.Model.GetAnnotations().Any(a => a.Name.StartsWith("Npgsql:", StringComparison.Ordinal));
        var collation = options.SortCollation ?? (npgsql ? "C" : null);
        var exactDecimals = options.ExactDecimals ?? npgsql;
        string Table(string name) => options.TablePrefix + name;

        modelBuilder.Entity<ContactRow>(contact =>
        {
            contact.ToTable(Table("contacts"), options.Schema);
            contact.HasKey(c => new { c.TenantId, c.Id });
            contact.Property(c => c.TenantId).HasMaxLength(TenantId.MaxLength);
            contact.Property(c => c.Version).IsConcurrencyToken();
            contact.Property(c => c.Status).HasConversion<int>();
            contact.Property(c => c.Source).HasConversion<int>();
            contact.Property(c => c.Frequency).HasConversion<int?>();
            foreach (var sortKey in new[] { nameof(ContactRow.SortLastName), nameof(ContactRow.SortEmail) })
            {
                var property = contact.Property<string>(sortKey);
                if (collation is not null)
                {
                    property.UseCollation(collation);
                }
            }

            contact.HasIndex(c => new { c.TenantId, c.EmailNormalized }).IsUnique();

            // The listing orders (keyset paging) and the catalogue's common fields.
            contact.HasIndex(c => new { c.TenantId, c.CreatedAtTicks, c.Id });
            contact.HasIndex(c => new { c.TenantId, c.UpdatedAtTicks, c.Id });
            contact.HasIndex(c => new { c.TenantId, c.SortLastName, c.Id });
            contact.HasIndex(c => new { c.TenantId, c.SortEmail, c.Id });
            contact.HasIndex(c => new { c.TenantId, c.Status });
            contact.HasIndex(c => new { c.TenantId, c.FoldedCompany });
            contact.HasIndex(c => new { c.TenantId, c.LastEngagementAtTicks });

            contact.HasMany(c => c.Tags).WithOne().HasForeignKey(t => new { t.TenantId, t.ContactId }).OnDelete(DeleteBehavior.Cascade);
            contact.HasMany(c => c.SocialProfiles).WithOne().HasForeignKey(s => new { s.TenantId, s.ContactId }).OnDelete(DeleteBehavior.Cascade);
            contact.HasMany(c => c.Channels).WithOne().HasForeignKey(s => new { s.TenantId, s.ContactId }).OnDelete(DeleteBehavior.Cascade);
            contact.HasMany(c => c.CustomValues).WithOne().HasForeignKey(v => new { v.TenantId, v.ContactId }).OnDelete(DeleteBehavior.Cascade);
        });

        modelBuilder.Entity<ListRow>(list =>
        {
            list.ToTable(Table("lists"), options.Schema);
            list.HasKey(l => new { l.TenantId, l.Id });
            list.Property(l => l.TenantId).HasMaxLength(TenantId.MaxLength);
            list.Property(l => l.Version).IsConcurrencyToken();
            list.Property(l => l.Kind).HasConversion<int>();
            var nameKey = list.Property(l => l.NameKey);
            if (collation is not null)
            {
                nameKey.UseCollation(collation);
            }

            list.HasIndex(l => new { l.TenantId, l.NameKey }).IsUnique();
            list.HasIndex(l => new { l.TenantId, l.Kind });
        });

        modelBuilder.Entity<ListMembershipRow>(membership =>
        {
            membership.ToTable(Table("list_memberships"), options.Schema);
            membership.HasKey(m => new { m.TenantId, m.ListId, m.ContactId });
            membership.Property(m => m.TenantId).HasMaxLength(TenantId.MaxLength);
            membership.Property(m => m.Version).IsConcurrencyToken();
            membership.Property(m => m.Status).HasConversion<int>();
            membership.Property(m => m.Source).HasConversion<int>();
            membership.Property(m => m.FrequencyOverride).HasConversion<int?>();
            membership.HasIndex(m => new { m.TenantId, m.ContactId });
            membership.HasIndex(m => new { m.TenantId, m.ListId, m.Status, m.ContactId });

            // Restrict, not cascade: the core removes memberships itself, one by one, to record their history.
            membership.HasOne(m => m.List).WithMany().HasForeignKey(m => new { m.TenantId, m.ListId }).OnDelete(DeleteBehavior.Restrict);
            membership.HasOne<ContactRow>().WithMany(c => c.Memberships).HasForeignKey(m => new { m.TenantId, m.ContactId }).OnDelete(DeleteBehavior.Restrict);
        });

        modelBuilder.Entity<MembershipHistoryRow>(entry =>
        {
            entry.ToTable(Table("membership_history"), options.Schema);
            entry.HasKey(e => new { e.TenantId, e.Id });
            entry.Property(e => e.TenantId).HasMaxLength(TenantId.MaxLength);
            entry.Property(e => e.FromStatus).HasConversion<int?>();
            entry.Property(e => e.ToStatus).HasConversion<int?>();
            entry.Property(e => e.Reason).HasConversion<int>();
            entry.Property(e => e.ActorKind).HasConversion<int>();
            entry.HasIndex(e => new { e.TenantId, e.ContactId, e.ListId, e.OccurredAtTicks, e.Id });
            entry.HasIndex(e => new { e.TenantId, e.ListId, e.OccurredAtTicks, e.Id });
        });

        modelBuilder.Entity<ConsentRow>(consent =>
        {
            consent.ToTable(Table("consents"), options.Schema);
            consent.HasKey(c => new { c.TenantId, c.ContactId, c.Channel, c.ListId });
            consent.Property(c => c.TenantId).HasMaxLength(TenantId.MaxLength);
            consent.Property(c => c.Version).IsConcurrencyToken();
            consent.Property(c => c.State).HasConversion<int>();

            // Cascade: the core removes a contact's consents itself before deleting it; the database removes one
            // a concurrent writer added meanwhile, and refuses one for a contact that is gone.
            consent.HasOne<ContactRow>().WithMany(c => c.Consents).HasForeignKey(c => new { c.TenantId, c.ContactId }).OnDelete(DeleteBehavior.Cascade);
        });

        modelBuilder.Entity<ConsentEvidenceRow>(entry =>
        {
            entry.ToTable(Table("consent_evidence"), options.Schema);
            entry.HasKey(e => new { e.TenantId, e.Id });
            entry.Property(e => e.TenantId).HasMaxLength(TenantId.MaxLength);
            entry.Property(e => e.Action).HasConversion<int>();
            entry.Property(e => e.FromState).HasConversion<int>();
            entry.Property(e => e.ToState).HasConversion<int>();
            entry.Property(e => e.ActorKind).HasConversion<int>();
            entry.Property(e => e.Source).HasConversion<int>();
            entry.Property(e => e.LawfulBasis).HasConversion<int>();
            entry.HasIndex(e => new { e.TenantId, e.ContactId, e.OccurredAtTicks, e.Id });
        });

        modelBuilder.Entity<SuppressionRow>(suppression =>
        {
            suppression.ToTable(Table("suppressions"), options.Schema);
            suppression.HasKey(s => new { s.TenantId, s.Kind, s.Value });
            suppression.Property(s => s.TenantId).HasMaxLength(TenantId.MaxLength);
            suppression.Property(s => s.Kind).HasConversion<int>();
            suppression.Property(s => s.Reason).HasConversion<int>();
            suppression.Property(s => s.ActorKind).HasConversion<int>();
            var value = suppression.Property(s => s.Value);
            if (collation is not null)
            {
                value.UseCollation(collation); // listed in (kind, value) order, by code point
            }
        });

        modelBuilder.Entity<EngagementRow>(engagement =>
        {
            engagement.ToTable(Table("engagements"), options.Schema);
            engagement.HasKey(e => new { e.TenantId, e.Id });
            engagement.Property(e => e.TenantId).HasMaxLength(TenantId.MaxLength);
            engagement.Property(e => e.Kind).HasConversion<int>();
            engagement.HasIndex(e => new { e.TenantId, e.ContactId, e.Channel, e.Kind, e.OccurredAtTicks });

            // Cascade: the core removes a contact's events itself before deleting it (RemoveForContact).
            engagement.HasOne<ContactRow>().WithMany().HasForeignKey(e => new { e.TenantId, e.ContactId }).OnDelete(DeleteBehavior.Cascade);
        });

        modelBuilder.Entity<AudiencePolicyRow>(policy =>
        {
            policy.ToTable(Table("audience_policies"), options.Schema);
            policy.HasKey(p => p.TenantId);
            policy.Property(p => p.TenantId).HasMaxLength(TenantId.MaxLength);
        });

        modelBuilder.Entity<ContactTagRow>(tag =>
        {
            tag.ToTable(Table("contact_tags"), options.Schema);
            tag.HasKey(t => new { t.TenantId, t.ContactId, t.Position });
            tag.Property(t => t.TenantId).HasMaxLength(TenantId.MaxLength);
            tag.HasIndex(t => new { t.TenantId, t.FoldedTag });
        });

        modelBuilder.Entity<ContactSocialProfileRow>(profile =>
        {
            profile.ToTable(Table("contact_social_profiles"), options.Schema);
            profile.HasKey(p => new { p.TenantId, p.ContactId, p.Network });
            profile.Property(p => p.TenantId).HasMaxLength(TenantId.MaxLength);
        });

        modelBuilder.Entity<ContactChannelRow>(channel =>
        {
            channel.ToTable(Table("contact_channels"), options.Schema);
            channel.HasKey(c => new { c.TenantId, c.ContactId, c.Channel });
            channel.Property(c => c.TenantId).HasMaxLength(TenantId.MaxLength);
        });

        modelBuilder.Entity<ContactCustomValueRow>(value =>
        {
            value.ToTable(Table("contact_custom_values"), options.Schema);
            value.HasKey(v => new { v.TenantId, v.ContactId, v.Name });
            value.Property(v => v.TenantId).HasMaxLength(TenantId.MaxLength);
            value.Property(v => v.Type).HasConversion<int>();
            var number = value.Property(v => v.NumberValue);
            if (!exactDecimals)
            {
                number.HasConversion(SortableDecimal.Converter);
                if (collation is not null)
                {
                    number.UseCollation(collation);
                }
            }

            value.HasIndex(v => new { v.TenantId, v.Name, v.FoldedText });
            value.HasIndex(v => new { v.TenantId, v.Name, v.NumberValue });
            value.HasIndex(v => new { v.TenantId, v.Name, v.DateValue });
        });

        modelBuilder.Entity<CustomFieldRow>(field =>
        {
            field.ToTable(Table("custom_fields"), options.Schema);
            field.HasKey(f => new { f.TenantId, f.NameKey });
            field.Property(f => f.TenantId).HasMaxLength(TenantId.MaxLength);
            field.Property(f => f.Type).HasConversion<int>();
        });

        modelBuilder.Entity<AuditEntryRow>(entry =>
        {
            entry.ToTable(Table("audit_log"), options.Schema);
            entry.HasKey(e => new { e.TenantId, e.Id });
            entry.Property(e => e.TenantId).HasMaxLength(TenantId.MaxLength);
            entry.Property(e => e.ActorKind).HasConversion<int>();
            entry.HasIndex(e => new { e.TenantId, e.OccurredAtTicks, e.Id });
            entry.HasIndex(e => new { e.TenantId, e.EntityType, e.EntityId, e.OccurredAtTicks, e.Id });
        });

        return modelBuilder;
    }
}

/// <summary>
/// A decimal as text whose ordinal order is numeric order, for databases without an exact decimal type: a sign
/// digit, then for non-zero values a two-digit exponent and the significant digits, complemented for negatives
/// and closed by a letter so that a longer negative mantissa sorts first. Equal numbers encode alike because
/// the core strips trailing zeros.
/// </summary>
internal static class SortableDecimal
{
    public static readonly ValueConverter<decimal?, string?> Converter = new(
        value => value.HasValue ? Encode(value.Value) : null,
        text => text == null ? null : Decode(text));

    public static string Encode(decimal value)
    {
        if (value == 0)
        {
            return "1";
        }

        // The digits of |value| and the position of its decimal point: |value| = 0.d1d2d3... × 10^exponent.
        var text = Math.Abs(value).ToString(CultureInfo.InvariantCulture);
        var point = text.IndexOf('.', StringComparison.Ordinal);
        var whole = point < 0 ? text : text[..point];
        var digits = (point < 0 ? text : whole + text[(point + 1)..]).TrimStart('0').TrimEnd('0');
        var exponent = whole.TrimStart('0').Length;
        if (exponent == 0)
        {
            // 0.000123: the exponent is minus the count of zeros after the point.
            var fraction = text[(point + 1)..];
            exponent = -(fraction.Length - fraction.TrimStart('0').Length);
        }

        var biased = exponent + 50; // exponents of decimals lie in -28..29
        if (value > 0)
        {
            return string.Create(CultureInfo.InvariantCulture, $"2{biased:D2}{digits}");
        }

        var complemented = new string(digits.Select(d => (char)('9' - d + '0')).ToArray());
        return string.Create(CultureInfo.InvariantCulture, $"0{99 - biased:D2}{complemented}Z");
    }

    public static decimal Decode(string text)
    {
        if (text == "1")
        {
            return 0;
        }

        var negative = text[0] == '0';
        var biased = int.Parse(text.AsSpan(1, 2), CultureInfo.InvariantCulture);
        var exponent = (negative ? 99 - biased : biased) - 50;
        var digits = negative
            ? new string(text[3..^1].Select(d => (char)('9' - d + '0')).ToArray())
            : text[3..];
        var plain = exponent >= digits.Length ? digits + new string('0', exponent - digits.Length)
            : exponent <= 0 ? "0." + new string('0', -exponent) + digits
            : digits[..exponent] + "." + digits[exponent..];
        var magnitude = decimal.Parse(plain, NumberStyles.AllowDecimalPoint, CultureInfo.InvariantCulture);
        return CustomFieldValue.WithoutTrailingZeros(negative ? -magnitude : magnitude);
    }
}
