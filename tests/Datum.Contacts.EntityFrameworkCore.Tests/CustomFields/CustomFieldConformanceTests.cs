using Datum.Contacts.Specification.Tests;
using Microsoft.Extensions.DependencyInjection;

namespace Datum.Contacts.EntityFrameworkCore.Tests;

// The conformance suite's CustomFields specifications, run against the EF Core store on SQLite and on PostgreSQL.

public sealed class SqliteCustomFieldTests : CustomFieldSpecification
{
    protected override void UseStore(ContactManagementBuilder builder) => SqliteTestDatabase.Instance.Use(builder);
}

public sealed class PostgresCustomFieldTests : CustomFieldSpecification
{
    protected override void UseStore(ContactManagementBuilder builder) => PostgresTestDatabase.Instance.Use(builder);
}
