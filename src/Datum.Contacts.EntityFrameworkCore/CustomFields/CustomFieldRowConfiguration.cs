using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace Datum.Contacts.EntityFrameworkCore;

/// <summary>The <c>custom_fields</c> table.</summary>
internal sealed class CustomFieldRowConfiguration(ContactModelLayout layout) : IEntityTypeConfiguration<CustomFieldRow>
{
    public void Configure(EntityTypeBuilder<CustomFieldRow> field)
    {
        field.ToTable(layout.Table("custom_fields"), layout.Schema);
        field.HasKey(f => new { f.TenantId, f.NameKey });
        field.Property(f => f.TenantId).HasMaxLength(TenantId.MaxLength);
        field.Property(f => f.Type).HasConversion<int>();
    }
}
