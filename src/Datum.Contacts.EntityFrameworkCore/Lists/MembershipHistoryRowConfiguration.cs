using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace Datum.Contacts.EntityFrameworkCore;

/// <summary>The <c>membership_history</c> table.</summary>
internal sealed class MembershipHistoryRowConfiguration(ContactModelLayout layout) : IEntityTypeConfiguration<MembershipHistoryRow>
{
    public void Configure(EntityTypeBuilder<MembershipHistoryRow> entry)
    {
        entry.ToTable(layout.Table("membership_history"), layout.Schema);
        entry.HasKey(e => new { e.TenantId, e.Id });
        entry.Property(e => e.TenantId).HasMaxLength(TenantId.MaxLength);
        entry.Property(e => e.FromStatus).HasConversion<int?>();
        entry.Property(e => e.ToStatus).HasConversion<int?>();
        entry.Property(e => e.Reason).HasConversion<int>();
        entry.Property(e => e.ActorKind).HasConversion<int>();
        entry.HasIndex(e => new { e.TenantId, e.ContactId, e.ListId, e.OccurredAtTicks, e.Id });
        entry.HasIndex(e => new { e.TenantId, e.ContactId, e.OccurredAtTicks, e.Id }); // a contact's history on every list, newest first
        entry.HasIndex(e => new { e.TenantId, e.ListId, e.OccurredAtTicks, e.Id });
    }
}
