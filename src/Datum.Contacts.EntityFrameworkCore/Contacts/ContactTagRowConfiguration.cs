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
    }
}
