using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace Datum.Contacts.EntityFrameworkCore;

/// <summary>The <c>consent_evidence</c> table.</summary>
internal sealed class ConsentEvidenceRowConfiguration(ContactModelLayout layout) : IEntityTypeConfiguration<ConsentEvidenceRow>
{
    public void Configure(EntityTypeBuilder<ConsentEvidenceRow> entry)
    {
        entry.ToTable(layout.Table("consent_evidence"), layout.Schema);
        entry.HasKey(e => new { e.TenantId, e.Id });
        entry.Property(e => e.TenantId).HasMaxLength(TenantId.MaxLength);
        entry.Property(e => e.Action).HasConversion<int>();
        entry.Property(e => e.FromState).HasConversion<int>();
        entry.Property(e => e.ToState).HasConversion<int>();
        entry.Property(e => e.ActorKind).HasConversion<int>();
        entry.Property(e => e.Source).HasConversion<int>();
        entry.Property(e => e.LawfulBasis).HasConversion<int>();
        entry.HasIndex(e => new { e.TenantId, e.ContactId, e.OccurredAtTicks, e.Id });
    }
}
