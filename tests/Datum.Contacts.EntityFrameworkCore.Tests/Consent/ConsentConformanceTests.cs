using Datum.Contacts.Specification.Tests;
using FsCheck.Xunit;
using Microsoft.Extensions.DependencyInjection;

namespace Datum.Contacts.EntityFrameworkCore.Tests;

// The conformance suite's Consent specifications, run against the EF Core store on SQLite and on PostgreSQL.

public sealed class SqliteConsentTests : ConsentSpecification
{
    protected override void UseStore(ContactManagementBuilder builder) => SqliteTestDatabase.Instance.Use(builder);
}

public sealed class SqliteSelfServiceTests : SelfServiceSpecification
{
    protected override void UseStore(ContactManagementBuilder builder) => SqliteTestDatabase.Instance.Use(builder);
}

public sealed class SqliteSuppressionTests : SuppressionSpecification
{
    protected override void UseStore(ContactManagementBuilder builder) => SqliteTestDatabase.Instance.Use(builder);
}

public sealed class SqliteAudienceTests : AudienceSpecification
{
    protected override void UseStore(ContactManagementBuilder builder) => SqliteTestDatabase.Instance.Use(builder);
}

[Properties(MaxTest = 30)]
public sealed class SqliteConsentPropertyTests : ConsentPropertySpecification
{
    protected override void UseStore(ContactManagementBuilder builder) => SqliteTestDatabase.Instance.Use(builder);
}

public sealed class PostgresConsentTests : ConsentSpecification
{
    protected override void UseStore(ContactManagementBuilder builder) => PostgresTestDatabase.Instance.Use(builder);
}

public sealed class PostgresSelfServiceTests : SelfServiceSpecification
{
    protected override void UseStore(ContactManagementBuilder builder) => PostgresTestDatabase.Instance.Use(builder);
}

public sealed class PostgresSuppressionTests : SuppressionSpecification
{
    protected override void UseStore(ContactManagementBuilder builder) => PostgresTestDatabase.Instance.Use(builder);
}

public sealed class PostgresAudienceTests : AudienceSpecification
{
    protected override void UseStore(ContactManagementBuilder builder) => PostgresTestDatabase.Instance.Use(builder);
}

[Properties(MaxTest = 30)]
public sealed class PostgresConsentPropertyTests : ConsentPropertySpecification
{
    protected override void UseStore(ContactManagementBuilder builder) => PostgresTestDatabase.Instance.Use(builder);
}
