using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace Datum.Contacts.EntityFrameworkCore;

/// <summary>The <c>contact_social_profiles</c> table.</summary>
internal sealed class ContactSocialProfileRowConfiguration(ContactModelLayout layout) : IEntityTypeConfiguration<ContactSocialProfileRow>
{
    public void Configure(EntityTypeBuilder<ContactSocialProfileRow> profile)
    {
        profile.ToTable(layout.Table("contact_social_profiles"), layout.Schema);
        profile.HasKey(p => new { p.TenantId, p.ContactId, p.Network });
        profile.Property(p => p.TenantId).HasMaxLength(TenantId.MaxLength);
    }
}
