using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace Datum.Contacts.EntityFrameworkCore;

/// <summary>The <c>contact_custom_values</c> table.</summary>
internal sealed class ContactCustomValueRowConfiguration(ContactModelLayout layout) : IEntityTypeConfiguration<ContactCustomValueRow>
{
    public void Configure(EntityTypeBuilder<ContactCustomValueRow> value)
    {
        value.ToTable(layout.Table("contact_custom_values"), layout.Schema);
        value.HasKey(v => new { v.TenantId, v.ContactId, v.Name });
        value.Property(v => v.TenantId).HasMaxLength(TenantId.MaxLength);
        value.Property(v => v.Type).HasConversion<int>();
        var number = value.Property(v => v.NumberValue);
        if (!layout.ExactDecimals)
        {
            number.HasConversion(SortableDecimal.Converter);
            if (layout.SortCollation is not null)
            {
                number.UseCollation(layout.SortCollation);
            }
        }

        value.HasIndex(v => new { v.TenantId, v.Name, v.FoldedText });
        value.HasIndex(v => new { v.TenantId, v.Name, v.NumberValue });
        value.HasIndex(v => new { v.TenantId, v.Name, v.DateValue });
    }
}
