using Datum.Contacts.Specification.Tests;
using Microsoft.Extensions.DependencyInjection;

namespace Datum.Contacts.InMemory.Tests;

// The conformance suite's Contacts specifications, run against the in-memory store. Each class only chooses the store.

public sealed class InMemoryContactServiceTests : ContactServiceSpecification
{
    protected override void UseStore(ContactManagementBuilder builder) => builder.UseInMemoryStore();
}

public sealed class InMemoryContactPagingTests : ContactPagingSpecification
{
    protected override void UseStore(ContactManagementBuilder builder) => builder.UseInMemoryStore();
}

public sealed class InMemoryBadInputTests : BadInputSpecification
{
    protected override void UseStore(ContactManagementBuilder builder) => builder.UseInMemoryStore();
}

public sealed class InMemoryContactPropertyTests : ContactPropertySpecification
{
    protected override void UseStore(ContactManagementBuilder builder) => builder.UseInMemoryStore();
}
