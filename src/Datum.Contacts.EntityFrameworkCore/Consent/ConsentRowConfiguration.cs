using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace Datum.Contacts.EntityFrameworkCore;

/// <summary>The <c>consents</c> table.</summary>
internal sealed class ConsentRowConfiguration(ContactModelLayout layout) : IEntityTypeConfiguration<ConsentRow>
{
    public void Configure(EntityTypeBuilder<ConsentRow> consent)
    {
        consent.ToTable(layout.Table("consents"), layout.Schema);
        consent.HasKey(c => new { c.TenantId, c.ContactId, c.Channel, c.ListId });
        consent.Property(c => c.TenantId).HasMaxLength(TenantId.MaxLength);
        consent.Property(c => c.Version).IsConcurrencyToken();
        consent.Property(c => c.State).HasConversion<int>();

        // Cascade: the core removes a contact's consents itself before deleting it; the database removes one
        // a concurrent writer added meanwhile, and refuses one for a contact that is gone.
        consent.HasOne<ContactRow>().WithMany(c => c.Consents).HasForeignKey(c => new { c.TenantId, c.ContactId }).OnDelete(DeleteBehavior.Cascade);
    }
}
