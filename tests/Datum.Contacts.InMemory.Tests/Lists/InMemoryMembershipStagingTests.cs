using Xunit;
using Microsoft.Extensions.DependencyInjection;

namespace Datum.Contacts.InMemory.Tests;

public sealed class InMemoryMembershipStagingTests
{
    private static readonly TenantId Tenant = TenantId.Parse("staging");
    private static readonly DateTimeOffset Now = new(2026, 1, 2, 3, 4, 5, TimeSpan.Zero);

    [Fact]
    public async Task A_membership_added_and_then_changed_in_one_unit_of_work_is_stored_as_changed()
    {
        await using var provider = new ServiceCollection().AddContactManagement().UseInMemoryStore().Services.BuildServiceProvider();
        var store = provider.GetRequiredService<IContactManagementStore>();
        var contact = Contact.Create(Tenant, new ContactId(Guid.CreateVersion7()), ContactDetails.Validate(new ContactDraft { Email = "ada@example.com" }, CustomFieldSchema.Empty, new ContactManagementOptions()), ContactSource.Manual, Now);
        var list = ContactList.Create(Tenant, new ListId(Guid.CreateVersion7()), ListDetails.Validate(new ListDraft { Name = "News" }, new ContactManagementOptions()), Now);

        await using (var uow = await store.BeginAsync(Tenant, default))
        {
            uow.Contacts.Add(contact);
            uow.Lists.Add(list);
            var membership = ListMembership.Create(Tenant, list.Id, contact.Id, MembershipStatus.Active, MembershipSource.Manual, Now);
            uow.Memberships.Add(membership);
            membership.SetStatus(MembershipStatus.Pending, Now);
            uow.Memberships.Update(membership);
            await uow.CommitAsync(default);
        }

        await using var read = await store.BeginAsync(Tenant, default);
        var stored = await read.Memberships.FindAsync(list.Id, contact.Id, default);
        Assert.Equal(MembershipStatus.Pending, stored!.Status);
        Assert.Equal(0, (await read.Lists.FindAsync(list.Id, default))!.MemberCount);
    }

    [Fact]
    public async Task A_membership_added_and_removed_in_one_unit_of_work_leaves_nothing()
    {
        await using var provider = new ServiceCollection().AddContactManagement().UseInMemoryStore().Services.BuildServiceProvider();
        var store = provider.GetRequiredService<IContactManagementStore>();
        var contact = Contact.Create(Tenant, new ContactId(Guid.CreateVersion7()), ContactDetails.Validate(new ContactDraft { Email = "ada@example.com" }, CustomFieldSchema.Empty, new ContactManagementOptions()), ContactSource.Manual, Now);
        var list = ContactList.Create(Tenant, new ListId(Guid.CreateVersion7()), ListDetails.Validate(new ListDraft { Name = "News" }, new ContactManagementOptions()), Now);

        await using (var uow = await store.BeginAsync(Tenant, default))
        {
            uow.Contacts.Add(contact);
            uow.Lists.Add(list);
            var membership = ListMembership.Create(Tenant, list.Id, contact.Id, MembershipStatus.Active, MembershipSource.Manual, Now);
            uow.Memberships.Add(membership);
            uow.Memberships.Remove(membership);
            await uow.CommitAsync(default);
        }

        await using var read = await store.BeginAsync(Tenant, default);
        Assert.Null(await read.Memberships.FindAsync(list.Id, contact.Id, default));
        Assert.Equal(0, (await read.Lists.FindAsync(list.Id, default))!.MemberCount);
    }
}
