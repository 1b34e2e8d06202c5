using Datum.Contacts.Specification.Tests;
using FsCheck.Xunit;
using Microsoft.Extensions.DependencyInjection;

namespace Datum.Contacts.EntityFrameworkCore.Tests;

// The conformance suite's Lists specifications, run against the EF Core store on SQLite and on PostgreSQL.

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

public sealed class SqliteListRefreshTests : ListRefreshSpecification
{
    protected override void UseStore(ContactManagementBuilder builder) => SqliteTestDatabase.Instance.Use(builder);
}

[Properties(MaxTest = 30)]
public sealed class SqliteListPropertyTests : ListPropertySpecification
{
    protected override void UseStore(ContactManagementBuilder builder) => SqliteTestDatabase.Instance.Use(builder);
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

public sealed class PostgresListRefreshTests : ListRefreshSpecification
{
    protected override void UseStore(ContactManagementBuilder builder) => PostgresTestDatabase.Instance.Use(builder);
}

[Properties(MaxTest = 30)]
public sealed class PostgresListPropertyTests : ListPropertySpecification
{
    protected override void UseStore(ContactManagementBuilder builder) => PostgresTestDatabase.Instance.Use(builder);
}
