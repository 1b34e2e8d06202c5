using Datum.Contacts.Specification.Tests;
using Microsoft.Extensions.DependencyInjection;

namespace Datum.Contacts.InMemory.Tests;

// The conformance suite's Audit specifications, run against the in-memory store. Each class only chooses the store.

public sealed class InMemoryAuditLogTests : AuditLogSpecification
{
    protected override void UseStore(ContactManagementBuilder builder) => builder.UseInMemoryStore();
}
