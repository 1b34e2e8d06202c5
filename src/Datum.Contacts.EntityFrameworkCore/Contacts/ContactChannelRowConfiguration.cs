using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace Datum.Contacts.EntityFrameworkCore;

/// <summary>The <c>contact_channels</c> table.</summary>
internal sealed class ContactChannelRowConfiguration(ContactModelLayout layout) : IEntityTypeConfiguration<ContactChannelRow>
{
    public void Configure(EntityTypeBuilder<ContactChannelRow> channel)
    {
        channel.ToTable(layout.Table("contact_channels"), layout.Schema);
        channel.HasKey(c => new { c.TenantId, c.ContactId, c.Channel });
        channel.Property(c => c.TenantId).HasMaxLength(TenantId.MaxLength);
    }
}
