using Datum.Contacts.Specification.Tests;
using Microsoft.Extensions.DependencyInjection;

namespace Datum.Contacts.InMemory.Tests;

// The conformance suite's CustomFields specifications, run against the in-memory store. Each class only chooses the store.

public sealed class InMemoryCustomFieldTests : CustomFieldSpecification
{
    protected override void UseStore(ContactManagementBuilder builder) => builder.UseInMemoryStore();
}
