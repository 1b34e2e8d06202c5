using Xunit;

namespace Datum.Contacts.Specification.Tests;

/// <summary>Optimistic concurrency: a change based on a stale version is refused and writes nothing.</summary>
public abstract class ConcurrencySpecification : ContactManagementSpecification
{
    /// <summary>An update naming an old version fails with the versions in the error.</summary>
    [Fact]
    public async Task Updating_with_a_stale_version_fails_and_changes_nothing()
    {
        var tenant = NewTenant();
        var created = await Contacts.CreateAsync(tenant, NewDraft(), Admin);
        await Contacts.PatchAsync(tenant, created.Id, new ContactPatch { Title = "Dr" }, 1, Admin);

        var error = await Assert.ThrowsAsync<ConcurrencyConflictException>(() => Contacts.PatchAsync(tenant, created.Id, new ContactPatch { Title = "Prof" }, 1, Admin));

        Assert.Equal(1, error.ExpectedVersion);
        Assert.Equal(2, error.ActualVersion);
        Assert.Equal("concurrency_conflict", error.Code);
        var read = await Contacts.GetAsync(tenant, created.Id);
        Assert.Equal("Dr", read.Title);
        Assert.Equal(2, read.Version);
        Assert.Equal(2, (await AllAuditAsync(tenant)).Count);
    }

    /// <summary>Deletes, full updates and preference changes check the version too.</summary>
    [Fact]
    public async Task Every_kind_of_change_checks_the_version()
    {
        var tenant = NewTenant();
        var created = await Contacts.CreateAsync(tenant, NewDraft(), Admin);

        await Assert.ThrowsAsync<ConcurrencyConflictException>(() => Contacts.DeleteAsync(tenant, created.Id, 7, Admin));
        await Assert.ThrowsAsync<ConcurrencyConflictException>(() => Contacts.UpdateAsync(tenant, created.Id, NewDraft(), 0, Admin));
        await Assert.ThrowsAsync<ConcurrencyConflictException>(() => Contacts.SetPreferencesAsync(tenant, created.Id, new ContactPreferencesDraft(), 2, Admin));

        Assert.Equal(1, (await Contacts.GetAsync(tenant, created.Id)).Version);
    }

    /// <summary>Two units of work that loaded the same version: the second commit is refused whole.</summary>
    [Fact]
    public async Task The_second_of_two_units_of_work_on_the_same_version_fails_at_commit()
    {
        var tenant = NewTenant();
        var created = await Contacts.CreateAsync(tenant, NewDraft(), Admin);
        await using var uncommitted = new UncommittedContacts(Store, Clock);
        var (first, a) = await uncommitted.ChangedAsync(tenant, created.Id, new ContactPatch { FirstName = "First", Email = "first@example.com" });
        await using var firstUnit = first;
        var (second, b) = await uncommitted.ChangedAsync(tenant, created.Id, new ContactPatch { FirstName = "Second", Email = "second@example.com" });
        await using var secondUnit = second;
        first.Contacts.Update(a);
        second.Contacts.Update(b);
        second.AuditLog.Append(new AuditEntry(Guid.CreateVersion7(), tenant, Clock.GetUtcNow(), Admin, AuditActions.ContactUpdated, AuditEntityTypes.Contact, created.Id.ToString(), [], null));

        await first.CommitAsync(default);
        var error = await Assert.ThrowsAsync<ConcurrencyConflictException>(async () => await second.CommitAsync(default));

        Assert.Equal(1, error.ExpectedVersion);
        var read = await Contacts.GetAsync(tenant, created.Id);
        Assert.Equal("First", read.FirstName);
        Assert.Equal(2, read.Version);
        Assert.Null(await Contacts.FindByEmailAsync(tenant, "second@example.com"));
        Assert.Single(await AllAuditAsync(tenant));
    }

    /// <summary>Eight parallel updaters: each applies on the version it read or fails; none is lost.</summary>
    [Fact]
    public async Task Parallel_updates_either_apply_in_order_or_fail_and_none_is_lost()
    {
        var tenant = NewTenant();
        var created = await Contacts.CreateAsync(tenant, NewDraft(), Admin);

        var results = await Task.WhenAll(Enumerable.Range(0, 8).Select(async i =>
        {
            await Task.Yield();
            var seen = await Contacts.GetAsync(tenant, created.Id);
            try
            {
                var after = await Contacts.PatchAsync(tenant, created.Id, new ContactPatch { Title = $"writer-{i}" }, seen.Version, Admin);
                return (Applied: true, Read: seen.Version, After: after.Version);
            }
            catch (ConcurrencyConflictException)
            {
                return (Applied: false, Read: seen.Version, After: 0L);
            }
        }));

        var applied = results.Where(r => r.Applied).ToList();
        Assert.NotEmpty(applied);
        Assert.All(applied, r => Assert.Equal(r.Read + 1, r.After));
        Assert.Equal(applied.Count, applied.Select(r => r.After).Distinct().Count());
        var final = await Contacts.GetAsync(tenant, created.Id);
        Assert.Equal(1 + applied.Count, final.Version);
        var updates = (await Contacts.GetAuditLogAsync(tenant, created.Id, new PageRequest(100))).Items.Where(e => e.Action == AuditActions.ContactUpdated).ToList();
        Assert.Equal(applied.Count, updates.Count);
    }

    /// <summary>Parallel creates of one address: exactly one wins, the rest get the duplicate error.</summary>
    [Fact]
    public async Task Parallel_creates_of_one_email_leave_exactly_one_contact()
    {
        var tenant = NewTenant();

        var outcomes = await Task.WhenAll(Enumerable.Range(0, 8).Select(async i =>
        {
            await Task.Yield();
            try
            {
                await Contacts.CreateAsync(tenant, NewDraft($"P{i}") with { Email = "race@example.com" }, Admin);
                return true;
            }
            catch (DuplicateEmailException)
            {
                return false;
            }
        }));

        Assert.Equal(1, outcomes.Count(o => o));
        Assert.Single(await AllContactsAsync(tenant));
        Assert.Single(await AllAuditAsync(tenant));
    }
}
