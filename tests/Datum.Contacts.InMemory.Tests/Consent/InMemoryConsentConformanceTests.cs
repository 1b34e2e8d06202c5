using Datum.Contacts.Specification.Tests;
using Microsoft.Extensions.DependencyInjection;

namespace Datum.Contacts.InMemory.Tests;

// The conformance suite's Consent specifications, run against the in-memory store. Each class only chooses the store.

public sealed class InMemoryConsentTests : ConsentSpecification
{
    protected override void UseStore(ContactManagementBuilder builder) => builder.UseInMemoryStore();
}

public sealed class InMemorySelfServiceTests : SelfServiceSpecification
{
    protected override void UseStore(ContactManagementBuilder builder) => builder.UseInMemoryStore();
}

public sealed class InMemorySuppressionTests : SuppressionSpecification
{
    protected override void UseStore(ContactManagementBuilder builder) => builder.UseInMemoryStore();
}

public sealed class InMemoryAudienceTests : AudienceSpecification
{
    protected override void UseStore(ContactManagementBuilder builder) => builder.UseInMemoryStore();
}

public sealed class InMemoryConsentPropertyTests : ConsentPropertySpecification
{
    protected override void UseStore(ContactManagementBuilder builder) => builder.UseInMemoryStore();
}
