using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace Datum.Contacts.EntityFrameworkCore;

/// <summary>The <c>audience_policies</c> table.</summary>
internal sealed class AudiencePolicyRowConfiguration(ContactModelLayout layout) : IEntityTypeConfiguration<AudiencePolicyRow>
{
    public void Configure(EntityTypeBuilder<AudiencePolicyRow> policy)
    {
        policy.ToTable(layout.Table("audience_policies"), layout.Schema);
        policy.HasKey(p => p.TenantId);
        policy.Property(p => p.TenantId).HasMaxLength(TenantId.MaxLength);
    }
}
