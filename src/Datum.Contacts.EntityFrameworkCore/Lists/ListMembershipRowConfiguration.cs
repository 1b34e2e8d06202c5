using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace Datum.Contacts.EntityFrameworkCore;

/// <summary>The <c>list_memberships</c> table.</summary>
internal sealed class ListMembershipRowConfiguration(ContactModelLayout layout) : IEntityTypeConfiguration<ListMembershipRow>
{
    public void Configure(EntityTypeBuilder<ListMembershipRow> membership)
    {
        membership.ToTable(layout.Table("list_memberships"), layout.Schema);
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
    }
}
