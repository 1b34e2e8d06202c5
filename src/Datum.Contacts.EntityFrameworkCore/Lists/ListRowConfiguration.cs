using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace Datum.Contacts.EntityFrameworkCore;

/// <summary>The <c>lists</c> table.</summary>
internal sealed class ListRowConfiguration(ContactModelLayout layout) : IEntityTypeConfiguration<ListRow>
{
    public void Configure(EntityTypeBuilder<ListRow> list)
    {
        list.ToTable(layout.Table("lists"), layout.Schema);
        list.HasKey(l => new { l.TenantId, l.Id });
        list.Property(l => l.TenantId).HasMaxLength(TenantId.MaxLength);
        list.Property(l => l.Version).IsConcurrencyToken();
        list.Property(l => l.Kind).HasConversion<int>();
        var nameKey = list.Property(l => l.NameKey);
        if (layout.SortCollation is not null)
        {
            nameKey.UseCollation(layout.SortCollation);
        }

        list.HasIndex(l => new { l.TenantId, l.NameKey }).IsUnique();
        list.HasIndex(l => new { l.TenantId, l.Kind });
    }
}
