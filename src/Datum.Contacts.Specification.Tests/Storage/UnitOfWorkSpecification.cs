using Xunit;

namespace Datum.Contacts.Specification.Tests;

/// <summary>The store port itself: a unit of work commits whole or not at all, and reads never leak state.</summary>
public abstract class UnitOfWorkSpecification : ContactManagementSpecification
{
    private async Task<Contact> NewContactAsync(TenantId tenant, string email)
    {
        await using var uncommitted = new UncommittedContacts(Store, Clock);
        return await uncommitted.NewAsync(tenant, new ContactDraft { Email = email });
    }

    private AuditEntry NewEntry(TenantId tenant, Contact contact)
        => new(Guid.CreateVersion7(), tenant, Clock.GetUtcNow(), Admin, AuditActions.ContactCreated, AuditEntityTypes.Contact, contact.Id.ToString(), [], null);

    /// <summary>A constraint failure at commit writes none of the unit of work: not the other contacts, not the audit.</summary>
    [Fact]
    public async Task A_commit_that_breaks_a_constraint_writes_nothing()
    {
        var tenant = NewTenant();
        await using (var uow = await Store.BeginAsync(tenant, default))
        {
            var a = await NewContactAsync(tenant, "one@example.com");
            var b = await NewContactAsync(tenant, "other@example.com");
            var c = await NewContactAsync(tenant, "ONE@example.com");
            uow.Contacts.Add(a);
            uow.Contacts.Add(b);
            uow.Contacts.Add(c);
            uow.AuditLog.Append(NewEntry(tenant, a));
            uow.AuditLog.Append(NewEntry(tenant, b));

            await Assert.ThrowsAsync<DuplicateEmailException>(async () => await uow.CommitAsync(default));
        }

        Assert.Empty(await AllContactsAsync(tenant));
        Assert.Empty(await AllAuditAsync(tenant));
    }

    /// <summary>Two units of work racing to add one address: the second commit fails whole.</summary>
    [Fact]
    public async Task Two_units_of_work_adding_one_address_cannot_both_commit()
    {
        var tenant = NewTenant();
        await using var first = await Store.BeginAsync(tenant, default);
        await using var second = await Store.BeginAsync(tenant, default);
        var a = await NewContactAsync(tenant, "race@example.com");
        var b = await NewContactAsync(tenant, "Race@Example.com");
        first.Contacts.Add(a);
        second.Contacts.Add(b);
        second.AuditLog.Append(NewEntry(tenant, b));

        await first.CommitAsync(default);
        var error = await Assert.ThrowsAsync<DuplicateEmailException>(async () => await second.CommitAsync(default));

        Assert.Equal([a.Id], (await AllContactsAsync(tenant)).Select(c => c.Id));
        Assert.Empty(await AllAuditAsync(tenant));
        Assert.True(error.ExistingContactId is null || error.ExistingContactId == a.Id);
    }

    /// <summary>Disposing without commit discards everything queued.</summary>
    [Fact]
    public async Task Disposing_without_commit_discards_the_changes()
    {
        var tenant = NewTenant();
        await using (var uow = await Store.BeginAsync(tenant, default))
        {
            var contact = await NewContactAsync(tenant, "gone@example.com");
            uow.Contacts.Add(contact);
            uow.AuditLog.Append(NewEntry(tenant, contact));
        }

        Assert.Empty(await AllContactsAsync(tenant));
        Assert.Empty(await AllAuditAsync(tenant));
    }

    /// <summary>A unit of work commits once.</summary>
    [Fact]
    public async Task A_unit_of_work_commits_at_most_once()
    {
        var tenant = NewTenant();
        await using var uow = await Store.BeginAsync(tenant, default);
        uow.Contacts.Add(await NewContactAsync(tenant, "once@example.com"));
        await uow.CommitAsync(default);

        await Assert.ThrowsAsync<InvalidOperationException>(async () => await uow.CommitAsync(default));
        Assert.Single(await AllContactsAsync(tenant));
    }

    /// <summary>A unit of work of one tenant refuses aggregates of another.</summary>
    [Fact]
    public async Task A_unit_of_work_refuses_another_tenants_aggregates()
    {
        var (mine, theirs) = (NewTenant(), NewTenant());
        await using var uow = await Store.BeginAsync(mine, default);
        var foreign = await NewContactAsync(theirs, "foreign@example.com");

        Assert.Throws<ArgumentException>(() => uow.Contacts.Add(foreign));
        Assert.Throws<ArgumentException>(() => uow.AuditLog.Append(NewEntry(theirs, foreign)));
        Assert.Equal(mine, uow.Tenant);
    }

    /// <summary>Deleting a holder and taking its address in one unit of work is allowed.</summary>
    [Fact]
    public async Task An_address_moved_within_one_unit_of_work_commits()
    {
        var tenant = NewTenant();
        var mover = await NewContactAsync(tenant, "Moving@example.com");
        var created = await Contacts.CreateAsync(tenant, NewDraft() with { Email = "moving@example.com" }, Admin);

        await using (var uow = await Store.BeginAsync(tenant, default))
        {
            var old = (await uow.Contacts.FindAsync(created.Id, default))!;
            uow.Contacts.Remove(old);
            uow.Contacts.Add(mover);
            await uow.CommitAsync(default);
        }

        var holder = await Contacts.FindByEmailAsync(tenant, "moving@example.com");
        Assert.NotNull(holder);
        Assert.NotEqual(created.Id, holder.Id);
    }

    /// <summary>A contact deleted by someone else cannot be updated from a stale copy.</summary>
    [Fact]
    public async Task Updating_a_contact_deleted_meanwhile_is_a_conflict()
    {
        var tenant = NewTenant();
        var created = await Contacts.CreateAsync(tenant, NewDraft(), Admin);
        await using var uncommitted = new UncommittedContacts(Store, Clock);
        var (uow, stale) = await uncommitted.ChangedAsync(tenant, created.Id, new ContactPatch { Company = "Stale Ltd" });
        await using var unit = uow;
        await Contacts.DeleteAsync(tenant, created.Id, null, Admin);
        uow.Contacts.Update(stale);

        var error = await Assert.ThrowsAsync<ConcurrencyConflictException>(async () => await uow.CommitAsync(default));

        Assert.Null(error.ActualVersion);
        Assert.Null(await Contacts.FindAsync(tenant, created.Id));
    }
}
