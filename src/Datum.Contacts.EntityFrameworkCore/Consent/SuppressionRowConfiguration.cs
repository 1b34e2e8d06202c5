using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace Datum.Contacts.EntityFrameworkCore;

/// <summary>The <c>suppressions</c> table.</summary>
internal sealed class SuppressionRowConfiguration(ContactModelLayout layout) : IEntityTypeConfiguration<SuppressionRow>
{
    public void Configure(EntityTypeBuilder<SuppressionRow> suppression)
    {
        suppression.ToTable(layout.Table("suppressions"), layout.Schema);
        suppression.HasKey(s => new { s.TenantId, s.Kind, s.Value });
        suppression.Property(s => s.TenantId).HasMaxLength(TenantId.MaxLength);
        suppression.Property(s => s.Kind).HasConversion<int>();
        suppression.Property(s => s.Reason).HasConversion<int>();
        suppression.Property(s => s.ActorKind).HasConversion<int>();
        var value = suppression.Property(s => s.Value);
        if (layout.SortCollation is not null)
        {
            value.UseCollation(layout.SortCollation); // listed in (kind, value) order, by code point
        }
    }
}
