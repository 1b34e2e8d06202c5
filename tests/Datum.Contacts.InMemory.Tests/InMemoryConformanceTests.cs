using Datum.Contacts.Specification.Tests;
using Microsoft.Extensions.DependencyInjection;

namespace Datum.Contacts.InMemory.Tests;

// The whole conformance suite, run against the in-memory store. Each class only chooses the store.

public sealed class InMemoryContactServiceTests : ContactServiceSpecification
{
    protected override void UseStore(ContactManagementBuilder builder) => builder.UseInMemoryStore();
}

public sealed class InMemoryContactPagingTests : ContactPagingSpecification
{
    protected override void UseStore(ContactManagementBuilder builder) => builder.UseInMemoryStore();
}

public sealed class InMemoryConcurrencyTests : ConcurrencySpecification
{
    protected override void UseStore(ContactManagementBuilder builder) => builder.UseInMemoryStore();
}

public sealed class InMemoryAuditLogTests : AuditLogSpecification
{
    protected override void UseStore(ContactManagementBuilder builder) => builder.UseInMemoryStore();
}

public sealed class InMemoryBadInputTests : BadInputSpecification
{
    protected override void UseStore(ContactManagementBuilder builder) => builder.UseInMemoryStore();
}

public sealed class InMemoryCustomFieldTests : CustomFieldSpecification
{
    protected override void UseStore(ContactManagementBuilder builder) => builder.UseInMemoryStore();
}

public sealed class InMemoryUnitOfWorkTests : UnitOfWorkSpecification
{
    protected override void UseStore(ContactManagementBuilder builder) => builder.UseInMemoryStore();
}

public sealed class InMemoryContactPropertyTests : ContactPropertySpecification
{
    protected override void UseStore(ContactManagementBuilder builder) => builder.UseInMemoryStore();
}

public sealed class InMemoryCriteriaSearchTests : CriteriaSearchSpecification
{
    protected override void UseStore(ContactManagementBuilder builder) => builder.UseInMemoryStore();
}

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
