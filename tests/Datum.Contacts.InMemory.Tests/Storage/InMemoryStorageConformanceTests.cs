using Datum.Contacts.Specification.Tests;
using Microsoft.Extensions.DependencyInjection;

namespace Datum.Contacts.InMemory.Tests;

// The conformance suite's Storage specifications, run against the in-memory store. Each class only chooses the store.

public sealed class InMemoryConcurrencyTests : ConcurrencySpecification
{
    protected override void UseStore(ContactManagementBuilder builder) => builder.UseInMemoryStore();
}

public sealed class InMemoryUnitOfWorkTests : UnitOfWorkSpecification
{
    protected override void UseStore(ContactManagementBuilder builder) => builder.UseInMemoryStore();
}
