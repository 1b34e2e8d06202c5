using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace Datum.Contacts.EntityFrameworkCore;

/// <summary>The <c>contact_tags</c> table.</summary>
internal sealed class ContactTagRowConfiguration(ContactModelLayout layout) : IEntityTypeConfiguration<ContactTagRow>
{
    public void Configure(EntityTypeBuilder<ContactTagRow> tag)
    {
        tag.ToTable(layout.Table("contact_tags"), layout.Schema);
        tag.HasKey(t => new { t.TenantId, t.ContactId, t.Position });
        tag.Property(t => t.TenantId).HasMaxLength(TenantId.MaxLength);
        tag.HasIndex(t => new { t.TenantId, t.FoldedTag });

        // tags has: the correlated EXISTS per contact is a seek on this index whatever the statistics say. Without it a
        // planner with no statistics (a fresh or just bulk-loaded database) probes (TenantId, FoldedTag) once per contact
        // and reads every contact's row with that tag each time: quadratic.
        tag.HasIndex(t => new { t.TenantId, t.ContactId, t.FoldedTag });
    }
}
