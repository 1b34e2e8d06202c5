namespace Datum.Contacts.Tests.Common;

public sealed class TenantIdTests
{
    [Theory]
    [InlineData("t1")]
    [InlineData("Acme-Corp_EU.1")]
    [InlineData("a")]
    [InlineData("0123456789012345678901234567890123456789012345678901234567890123")]
    public void Parsing_a_well_formed_tenant_id_keeps_it_as_given(string text)
    {
        var tenant = TenantId.Parse(text);

        Assert.Equal(text, tenant.Value);
        Assert.Equal(text, tenant.ToString());
    }

    [Theory]
    [InlineData(null, "The tenant id is required.")]
    [InlineData("", "The tenant id is required.")]
    [InlineData(" t1", "The tenant id may contain only ASCII letters, digits, '-', '_' and '.'.")]
    [InlineData("acme corp", "The tenant id may contain only ASCII letters, digits, '-', '_' and '.'.")]
    [InlineData("acme/eu", "The tenant id may contain only ASCII letters, digits, '-', '_' and '.'.")]
    [InlineData("société", "The tenant id may contain only ASCII letters, digits, '-', '_' and '.'.")]
    [InlineData("t1\0", "The tenant id may contain only ASCII letters, digits, '-', '_' and '.'.")]
    [InlineData("01234567890123456789012345678901234567890123456789012345678901234", "The tenant id must be at most 64 characters long.")]
    public void Parsing_a_malformed_tenant_id_fails_on_the_tenant_field(string? text, string message)
    {
        var errors = TestData.ErrorsOf(() => TenantId.Parse(text));

        var error = Assert.Single(errors);
        Assert.Equal("tenant", error.Field);
        Assert.Equal("invalid_tenant", error.Code);
        Assert.Equal(message, error.Message);
    }

    [Fact]
    public void Tenant_ids_compare_ordinally()
    {
        Assert.Equal(TenantId.Parse("t1"), TenantId.Parse("t1"));
        Assert.NotEqual(TenantId.Parse("t1"), TenantId.Parse("T1"));
    }

    [Fact]
    public void The_default_tenant_id_has_no_value()
    {
        var unset = default(TenantId);

        Assert.Throws<InvalidOperationException>(() => unset.Value);
        Assert.Equal(string.Empty, unset.ToString());
        Assert.Throws<ArgumentException>(() => TenantId.ThrowIfDefault(unset));
    }
}
