using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace Datum.Contacts.EntityFrameworkCore;

/// <summary>The <c>engagements</c> table.</summary>
internal sealed class EngagementRowConfiguration(ContactModelLayout layout) : IEntityTypeConfiguration<EngagementRow>
{
    public void Configure(EntityTypeBuilder<EngagementRow> engagement)
    {
        engagement.ToTable(layout.Table("engagements"), layout.Schema);
        engagement.HasKey(e => new { e.TenantId, e.Id });
        engagement.Property(e => e.TenantId).HasMaxLength(TenantId.MaxLength);
        engagement.Property(e => e.Kind).HasConversion<int>();
        engagement.HasIndex(e => new { e.TenantId, e.ContactId, e.Channel, e.Kind, e.OccurredAtTicks });
        engagement.HasIndex(e => new { e.TenantId, e.ContactId, e.OccurredAtTicks, e.Id }); // a contact's latest engagements, without a sort

        // Cascade: the core removes a contact's events itself before deleting it (RemoveForContact).
        engagement.HasOne<ContactRow>().WithMany().HasForeignKey(e => new { e.TenantId, e.ContactId }).OnDelete(DeleteBehavior.Cascade);
    }
}
