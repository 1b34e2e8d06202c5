using Datum.Contacts.Specification.Tests;
using Microsoft.Extensions.DependencyInjection;

namespace Datum.Contacts.EntityFrameworkCore.Tests;

// The conformance suite's Criteria specifications, run against the EF Core store on SQLite and on PostgreSQL.

public sealed class SqliteCriteriaSearchTests : CriteriaSearchSpecification
{
    protected override int PropertyTestCount => 30;

    protected override void UseStore(ContactManagementBuilder builder) => SqliteTestDatabase.Instance.Use(builder);
}

public sealed class PostgresCriteriaSearchTests : CriteriaSearchSpecification
{
    protected override int PropertyTestCount => 30;

    protected override void UseStore(ContactManagementBuilder builder) => PostgresTestDatabase.Instance.Use(builder);
}
