using Datum.Contacts.Specification.Tests;
using FsCheck.Xunit;
using Microsoft.Extensions.DependencyInjection;

namespace Datum.Contacts.EntityFrameworkCore.Tests;

// The conformance suite's Contacts specifications, run against the EF Core store on SQLite and on PostgreSQL.

public sealed class SqliteContactServiceTests : ContactServiceSpecification
{
    protected override void UseStore(ContactManagementBuilder builder) => SqliteTestDatabase.Instance.Use(builder);
}

public sealed class SqliteContactPagingTests : ContactPagingSpecification
{
    protected override void UseStore(ContactManagementBuilder builder) => SqliteTestDatabase.Instance.Use(builder);
}

public sealed class SqliteBadInputTests : BadInputSpecification
{
    protected override void UseStore(ContactManagementBuilder builder) => SqliteTestDatabase.Instance.Use(builder);
}

[Properties(MaxTest = 30)]
public sealed class SqliteContactPropertyTests : ContactPropertySpecification
{
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

public sealed class PostgresBadInputTests : BadInputSpecification
{
    protected override void UseStore(ContactManagementBuilder builder) => PostgresTestDatabase.Instance.Use(builder);
}

[Properties(MaxTest = 30)]
public sealed class PostgresContactPropertyTests : ContactPropertySpecification
{
    protected override void UseStore(ContactManagementBuilder builder) => PostgresTestDatabase.Instance.Use(builder);
}
