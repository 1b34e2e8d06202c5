using Datum.Contacts.Specification.Tests;
using Microsoft.Extensions.DependencyInjection;

namespace Datum.Contacts.EntityFrameworkCore.Tests;

// The whole conformance suite, run against the EF Core store on SQLite and on PostgreSQL.

public sealed class SqliteContactServiceTests : ContactServiceSpecification
{
    protected override void UseStore(ContactManagementBuilder builder) => SqliteTestDatabase.Instance.Use(builder);
}

public sealed class SqliteContactPagingTests : ContactPagingSpecification
{
    protected override void UseStore(ContactManagementBuilder builder) => SqliteTestDatabase.Instance.Use(builder);
}

public sealed class SqliteConcurrencyTests : ConcurrencySpecification
{
    protected override void UseStore(ContactManagementBuilder builder) => SqliteTestDatabase.Instance.Use(builder);
}

public sealed class SqliteAuditLogTests : AuditLogSpecification
{
    protected override void UseStore(ContactManagementBuilder builder) => SqliteTestDatabase.Instance.Use(builder);
}

public sealed class SqliteBadInputTests : BadInputSpecification
{
    protected override void UseStore(ContactManagementBuilder builder) => SqliteTestDatabase.Instance.Use(builder);
}

public sealed class SqliteCustomFieldTests : CustomFieldSpecification
{
    protected override void UseStore(ContactManagementBuilder builder) => SqliteTestDatabase.Instance.Use(builder);
}

public sealed class SqliteUnitOfWorkTests : UnitOfWorkSpecification
{
    protected override void UseStore(ContactManagementBuilder builder) => SqliteTestDatabase.Instance.Use(builder);
}

public sealed class SqliteContactPropertyTests : ContactPropertySpecification
{
    protected override int PropertyTestCount => 30;

    protected override void UseStore(ContactManagementBuilder builder) => SqliteTestDatabase.Instance.Use(builder);
}

public sealed class SqliteCriteriaSearchTests : CriteriaSearchSpecification
{
    protected override int PropertyTestCount => 30;

    protected override void UseStore(ContactManagementBuilder builder) => SqliteTestDatabase.Instance.Use(builder);
}

public sealed class SqliteListTests : ListSpecification
{
    protected override void UseStore(ContactManagementBuilder builder) => SqliteTestDatabase.Instance.Use(builder);
}

public sealed class SqliteListMembershipTests : ListMembershipSpecification
{
    protected override void UseStore(ContactManagementBuilder builder) => SqliteTestDatabase.Instance.Use(builder);
}

public sealed class SqliteDynamicListTests : DynamicListSpecification
{
    protected override void UseStore(ContactManagementBuilder builder) => SqliteTestDatabase.Instance.Use(builder);
}

public sealed class SqliteListPropertyTests : ListPropertySpecification
{
    protected override int PropertyTestCount => 30;

    protected override void UseStore(ContactManagementBuilder builder) => SqliteTestDatabase.Instance.Use(builder);
}

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

public sealed class SqliteConsentPropertyTests : ConsentPropertySpecification
{
    protected override int PropertyTestCount => 30;

    protected override void UseStore(ContactManagementBuilder builder) => SqliteTestDatabase.Instance.Use(builder);
}

public sealed class PostgresContactServiceTests : ContactServiceSpecification
{
    protected override void UseStore(ContactManagementBuilder builder) => PostgresTestDatabase.Instance.Use(builder);
}

public sealed class PostgresContactPagingTests : ContactPagingSpecification
{
    protected override void UseStore(ContactManagementBuilder builder) => PostgresTestDatabase.Instance.Use(builder);
}

public sealed class PostgresConcurrencyTests : ConcurrencySpecification
{
    protected override void UseStore(ContactManagementBuilder builder) => PostgresTestDatabase.Instance.Use(builder);
}

public sealed class PostgresAuditLogTests : AuditLogSpecification
{
    protected override void UseStore(ContactManagementBuilder builder) => PostgresTestDatabase.Instance.Use(builder);
}

public sealed class PostgresBadInputTests : BadInputSpecification
{
    protected override void UseStore(ContactManagementBuilder builder) => PostgresTestDatabase.Instance.Use(builder);
}

public sealed class PostgresCustomFieldTests : CustomFieldSpecification
{
    protected override void UseStore(ContactManagementBuilder builder) => PostgresTestDatabase.Instance.Use(builder);
}

public sealed class PostgresUnitOfWorkTests : UnitOfWorkSpecification
{
    protected override void UseStore(ContactManagementBuilder builder) => PostgresTestDatabase.Instance.Use(builder);
}

public sealed class PostgresContactPropertyTests : ContactPropertySpecification
{
    protected override int PropertyTestCount => 30;

    protected override void UseStore(ContactManagementBuilder builder) => PostgresTestDatabase.Instance.Use(builder);
}

public sealed class PostgresCriteriaSearchTests : CriteriaSearchSpecification
{
    protected override int PropertyTestCount => 30;

    protected override void UseStore(ContactManagementBuilder builder) => PostgresTestDatabase.Instance.Use(builder);
}

public sealed class PostgresListTests : ListSpecification
{
    protected override void UseStore(ContactManagementBuilder builder) => PostgresTestDatabase.Instance.Use(builder);
}

public sealed class PostgresListMembershipTests : ListMembershipSpecification
{
    protected override void UseStore(ContactManagementBuilder builder) => PostgresTestDatabase.Instance.Use(builder);
}

public sealed class PostgresDynamicListTests : DynamicListSpecification
{
    protected override void UseStore(ContactManagementBuilder builder) => PostgresTestDatabase.Instance.Use(builder);
}

public sealed class PostgresListPropertyTests : ListPropertySpecification
{
    protected override int PropertyTestCount => 30;

    protected override void UseStore(ContactManagementBuilder builder) => PostgresTestDatabase.Instance.Use(builder);
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

public sealed class PostgresConsentPropertyTests : ConsentPropertySpecification
{
    protected override int PropertyTestCount => 30;

    protected override void UseStore(ContactManagementBuilder builder) => PostgresTestDatabase.Instance.Use(builder);
}
