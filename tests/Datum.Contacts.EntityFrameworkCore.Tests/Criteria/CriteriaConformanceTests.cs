using Datum.Contacts.Specification.Tests;
using FsCheck.Xunit;
using Microsoft.Extensions.DependencyInjection;

namespace Datum.Contacts.EntityFrameworkCore.Tests;

// The conformance suite's Criteria specifications, run against the EF Core store on SQLite and on PostgreSQL.

[Properties(MaxTest = 30)]
public sealed class SqliteCriteriaSearchTests : CriteriaSearchSpecification
{
    protected override void UseStore(ContactManagementBuilder builder) => SqliteTestDatabase.Instance.Use(builder);
}

[Properties(MaxTest = 30)]
public sealed class PostgresCriteriaSearchTests : CriteriaSearchSpecification
{
    protected override void UseStore(ContactManagementBuilder builder) => PostgresTestDatabase.Instance.Use(builder);
}
