using Datum.Contacts.Specification.Tests;
using Microsoft.Extensions.DependencyInjection;

namespace Datum.Contacts.InMemory.Tests;

// The conformance suite's Criteria specifications, run against the in-memory store. Each class only chooses the store.

public sealed class InMemoryCriteriaSearchTests : CriteriaSearchSpecification
{
    protected override void UseStore(ContactManagementBuilder builder) => builder.UseInMemoryStore();
}
