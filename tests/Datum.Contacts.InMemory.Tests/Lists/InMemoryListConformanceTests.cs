using Datum.Contacts.Specification.Tests;
using Microsoft.Extensions.DependencyInjection;

namespace Datum.Contacts.InMemory.Tests;

// The conformance suite's Lists specifications, run against the in-memory store. Each class only chooses the store.

public sealed class InMemoryListTests : ListSpecification
{
    protected override void UseStore(ContactManagementBuilder builder) => builder.UseInMemoryStore();
}

public sealed class InMemoryListMembershipTests : ListMembershipSpecification
{
    protected override void UseStore(ContactManagementBuilder builder) => builder.UseInMemoryStore();
}

public sealed class InMemoryDynamicListTests : DynamicListSpecification
{
    protected override void UseStore(ContactManagementBuilder builder) => builder.UseInMemoryStore();
}

public sealed class InMemoryListPropertyTests : ListPropertySpecification
{
    protected override void UseStore(ContactManagementBuilder builder) => builder.UseInMemoryStore();
}

public sealed class InMemoryListRefreshTests : ListRefreshSpecification
{
    protected override void UseStore(ContactManagementBuilder builder) => builder.UseInMemoryStore();
}
