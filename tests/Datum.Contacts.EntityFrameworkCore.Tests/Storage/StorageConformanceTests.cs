using Datum.Contacts.Specification.Tests;
using Microsoft.Extensions.DependencyInjection;

namespace Datum.Contacts.EntityFrameworkCore.Tests;

// The conformance suite's Storage specifications, run against the EF Core store on SQLite and on PostgreSQL.

public sealed class SqliteConcurrencyTests : ConcurrencySpecification
{
    protected override void UseStore(ContactManagementBuilder builder) => SqliteTestDatabase.Instance.Use(builder);
}

public sealed class SqliteUnitOfWorkTests : UnitOfWorkSpecification
{
    protected override void UseStore(ContactManagementBuilder builder) => SqliteTestDatabase.Instance.Use(builder);
}

public sealed class PostgresConcurrencyTests : ConcurrencySpecification
{
    protected override void UseStore(ContactManagementBuilder builder) => PostgresTestDatabase.Instance.Use(builder);
}

public sealed class PostgresUnitOfWorkTests : UnitOfWorkSpecification
{
    protected override void UseStore(ContactManagementBuilder builder) => PostgresTestDatabase.Instance.Use(builder);
}
