using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace Datum.Contacts.EntityFrameworkCore;

/// <summary>The <c>audit_log</c> table.</summary>
internal sealed class AuditEntryRowConfiguration(ContactModelLayout layout) : IEntityTypeConfiguration<AuditEntryRow>
{
    public void Configure(EntityTypeBuilder<AuditEntryRow> entry)
    {
        entry.ToTable(layout.Table("audit_log"), layout.Schema);
        entry.HasKey(e => new { e.TenantId, e.Id });
        entry.Property(e => e.TenantId).HasMaxLength(TenantId.MaxLength);
        entry.Property(e => e.ActorKind).HasConversion<int>();
        entry.HasIndex(e => new { e.TenantId, e.OccurredAtTicks, e.Id });
        entry.HasIndex(e => new { e.TenantId, e.EntityType, e.EntityId, e.OccurredAtTicks, e.Id });
    }
}
