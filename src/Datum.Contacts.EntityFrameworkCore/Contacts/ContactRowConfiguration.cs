using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace Datum.Contacts.EntityFrameworkCore;

/// <summary>The <c>contacts</c> table.</summary>
internal sealed class ContactRowConfiguration(ContactModelLayout layout) : IEntityTypeConfiguration<ContactRow>
{
    public void Configure(EntityTypeBuilder<ContactRow> contact)
    {
        contact.ToTable(layout.Table("contacts"), layout.Schema);
        contact.HasKey(c => new { c.TenantId, c.Id });
        contact.Property(c => c.TenantId).HasMaxLength(TenantId.MaxLength);
        contact.Property(c => c.Version).IsConcurrencyToken();
        contact.Property(c => c.Status).HasConversion<int>();
        contact.Property(c => c.Source).HasConversion<int>();
        contact.Property(c => c.Frequency).HasConversion<int?>();
        foreach (var sortKey in new[] { nameof(ContactRow.SortLastName), nameof(ContactRow.SortEmail) })
        {
            var property = contact.Property<string>(sortKey);
            if (layout.SortCollation is not null)
            {
                property.UseCollation(layout.SortCollation);
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
    }
}
