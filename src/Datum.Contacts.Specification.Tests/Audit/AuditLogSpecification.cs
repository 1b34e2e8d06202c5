using Xunit;

namespace Datum.Contacts.Specification.Tests;

/// <summary>The audit trail: one entry per change, written with it, read newest first.</summary>
public abstract class AuditLogSpecification : ContactManagementSpecification
{
    /// <summary>Create, update and delete each leave one entry with the actor and the field changes.</summary>
    [Fact]
    public async Task Every_change_leaves_one_entry_with_old_and_new_values()
    {
        var tenant = NewTenant();
        var importer = Actor.Import("import-42");
        var created = await Contacts.CreateAsync(tenant, NewDraft() with { Email = "ada@example.com" }, importer);
        await Contacts.PatchAsync(tenant, created.Id, new ContactPatch { Email = "countess@example.com", Tags = new[] { "vip" } }, 1, Admin);
        await Contacts.DeleteAsync(tenant, created.Id, 2, Actor.System);

        var entries = (await Contacts.GetAuditLogAsync(tenant, created.Id, PageRequest.First)).Items;

        Assert.Equal([AuditActions.ContactDeleted, AuditActions.ContactUpdated, AuditActions.ContactCreated], entries.Select(e => e.Action));
        Assert.All(entries, e => Assert.Equal(tenant, e.Tenant));
        Assert.All(entries, e => Assert.Equal(created.Id.ToString(), e.EntityId));
        Assert.All(entries, e => Assert.Equal(AuditEntityTypes.Contact, e.EntityType));
        Assert.All(entries, e => Assert.False(string.IsNullOrEmpty(e.CorrelationId)));

        var (deleted, updated, createdEntry) = (entries[0], entries[1], entries[2]);
        Assert.Equal(importer, createdEntry.Actor);
        Assert.Contains(createdEntry.Changes, c => c is { Field: "email", OldValue: null, NewValue: "ada@example.com" });
        Assert.Contains(createdEntry.Changes, c => c is { Field: "firstName", OldValue: null, NewValue: "Ada" });

        Assert.Equal(Admin, updated.Actor);
        Assert.Equal(
            [new FieldChange("email", "ada@example.com", "countess@example.com"), new FieldChange("tags", """["vip","newsletter"]""", """["vip"]""")],
            updated.Changes);

        Assert.Equal(Actor.System, deleted.Actor);
        Assert.Contains(deleted.Changes, c => c is { Field: "email", OldValue: "countess@example.com", NewValue: null });
        Assert.All(deleted.Changes, c => Assert.Null(c.NewValue));
        Assert.True(deleted.OccurredAt > updated.OccurredAt && updated.OccurredAt > createdEntry.OccurredAt);
    }

    /// <summary>Custom field and preference changes are audited by field path.</summary>
    [Fact]
    public async Task Custom_field_and_preference_changes_are_audited_by_path()
    {
        var tenant = NewTenant();
        await CustomFields.DefineAsync(tenant, new CustomFieldDefinition("renewal", CustomFieldType.Date), Admin);
        var created = await Contacts.CreateAsync(tenant, NewDraft(), Admin);

        await Contacts.PatchAsync(tenant, created.Id, new ContactPatch { CustomFields = new Dictionary<string, CustomFieldValue?> { ["RENEWAL"] = new DateOnly(2027, 3, 1) } }, null, Admin);
        await Contacts.SetPreferencesAsync(tenant, created.Id, new ContactPreferencesDraft { Channels = new Dictionary<string, bool> { ["sms"] = false }, TimeZone = "Europe/London", Frequency = ContactFrequency.Weekly }, null, Admin);

        var entries = (await Contacts.GetAuditLogAsync(tenant, created.Id, PageRequest.First)).Items;
        Assert.Equal([new FieldChange("preferences.channels.sms", null, "off")], entries[0].Changes);
        Assert.Equal(AuditActions.ContactPreferencesChanged, entries[0].Action);
        Assert.Equal([new FieldChange("customFields.renewal", null, "2027-03-01")], entries[1].Changes);
    }

    /// <summary>The tenant's log holds entries of every aggregate, newest first, paged without gaps or repeats.</summary>
    [Fact]
    public async Task The_tenant_log_pages_newest_first_without_gaps_or_repeats()
    {
        var tenant = NewTenant();
        await CustomFields.DefineAsync(tenant, new CustomFieldDefinition("score", CustomFieldType.Number), Admin);
        for (var i = 0; i < 11; i++)
        {
            await Contacts.CreateAsync(tenant, NewDraft($"C{i}"), Admin);
        }

        var pages = new List<Page<AuditEntry>>();
        string? cursor = null;
        do
        {
            var page = await Audit.ReadTenantAsync(tenant, new PageRequest(5, cursor));
            pages.Add(page);
            cursor = page.NextCursor;
        }
        while (cursor is not null);

        var all = pages.SelectMany(p => p.Items).ToList();
        Assert.Equal([5, 5, 2], pages.Select(p => p.Items.Count));
        Assert.Equal(12, all.Select(e => e.Id).Distinct().Count());
        Assert.Equal(all.OrderByDescending(e => e.OccurredAt).ThenByDescending(e => e.Id).Select(e => e.Id), all.Select(e => e.Id));
        Assert.Equal(AuditActions.CustomFieldDefined, all[^1].Action);
        Assert.Equal(AuditEntityTypes.CustomField, all[^1].EntityType);
    }

    /// <summary>Failed operations write no audit entry.</summary>
    [Fact]
    public async Task A_failed_change_writes_no_entry()
    {
        var tenant = NewTenant();
        var created = await Contacts.CreateAsync(tenant, NewDraft() with { Email = "taken@example.com" }, Admin);

        await Assert.ThrowsAsync<ValidationFailedException>(() => Contacts.PatchAsync(tenant, created.Id, new ContactPatch { Email = "not an email" }, null, Admin));
        await Assert.ThrowsAsync<DuplicateEmailException>(() => Contacts.CreateAsync(tenant, NewDraft() with { Email = "taken@example.com" }, Admin));
        await Assert.ThrowsAsync<ConcurrencyConflictException>(() => Contacts.DeleteAsync(tenant, created.Id, 5, Admin));

        Assert.Single(await AllAuditAsync(tenant));
    }

    /// <summary>A tenant sees only its own entries.</summary>
    [Fact]
    public async Task The_log_of_one_tenant_holds_nothing_of_another()
    {
        var (a, b) = (NewTenant(), NewTenant());
        await Contacts.CreateAsync(a, NewDraft(), Admin);
        await Contacts.CreateAsync(b, NewDraft("Bob"), Admin);
        await Contacts.CreateAsync(b, NewDraft("Bea"), Admin);

        var logA = await AllAuditAsync(a);
        var logB = await AllAuditAsync(b);

        Assert.Single(logA);
        Assert.Equal(2, logB.Count);
        Assert.All(logA, e => Assert.Equal(a, e.Tenant));
        Assert.All(logB, e => Assert.Equal(b, e.Tenant));
    }

    /// <summary>A cursor from one listing cannot be used on another.</summary>
    [Fact]
    public async Task A_cursor_of_another_listing_is_rejected()
    {
        var tenant = NewTenant();
        var created = await Contacts.CreateAsync(tenant, NewDraft(), Admin);
        await Contacts.PatchAsync(tenant, created.Id, new ContactPatch { Title = "Dr" }, null, Admin);
        var page = await Audit.ReadTenantAsync(tenant, new PageRequest(1));

        var error = await Assert.ThrowsAsync<ValidationFailedException>(() => Contacts.GetAuditLogAsync(tenant, created.Id, new PageRequest(1, page.NextCursor)));

        Assert.Equal("cursor", error.Errors[0].Field);
    }
}
