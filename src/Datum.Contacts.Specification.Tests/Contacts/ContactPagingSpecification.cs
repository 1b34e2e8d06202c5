using Xunit;

namespace Datum.Contacts.Specification.Tests;

/// <summary>Keyset paging of contacts: stable orders, no gaps, no repeats.</summary>
public abstract class ContactPagingSpecification : ContactManagementSpecification
{
    /// <summary>Every sort field and direction visits every contact exactly once, in order.</summary>
    [Theory]
    [InlineData(ContactSortField.CreatedAt, SortDirection.Ascending)]
    [InlineData(ContactSortField.CreatedAt, SortDirection.Descending)]
    [InlineData(ContactSortField.UpdatedAt, SortDirection.Descending)]
    [InlineData(ContactSortField.Email, SortDirection.Ascending)]
    [InlineData(ContactSortField.LastName, SortDirection.Ascending)]
    [InlineData(ContactSortField.LastName, SortDirection.Descending)]
    public async Task Paging_visits_every_contact_once_in_order(ContactSortField sort, SortDirection direction)
    {
        var tenant = NewTenant();
        string?[] lastNames = ["Zed", "ávila", "Avila", null, "Émile", "brown", "Brown", "zed", null, "Ørsted", "Ng", "ng", "Çelik"];
        Clock.AutoAdvanceAmount = TimeSpan.Zero; // equal times: ties must be broken by id
        for (var i = 0; i < lastNames.Length; i++)
        {
            await Contacts.CreateAsync(tenant, new ContactDraft { LastName = lastNames[i], Email = $"u{(i * 7) % 13:D2}@example.com" }, Admin);
        }

        var seen = new List<Contact>();
        string? cursor = null;
        var pages = 0;
        do
        {
            var page = await Contacts.PageAsync(tenant, new ContactPageRequest(sort, direction, 4, cursor));
            seen.AddRange(page.Items);
            cursor = page.NextCursor;
            pages++;
        }
        while (cursor is not null);

        Assert.Equal(4, pages);
        Assert.Equal(lastNames.Length, seen.Select(c => c.Id).Distinct().Count());
        var positions = seen.Select(c => new ContactPosition(ContactOrder.KeyOf(c, sort), c.Id)).ToList();
        for (var i = 1; i < positions.Count; i++)
        {
            Assert.True(ContactOrder.Compare(positions[i - 1], positions[i], direction) < 0, $"item {i} is out of order");
        }
    }

    /// <summary>A contact created after the first page was read still shows up on a later page, and none repeats.</summary>
    [Fact]
    public async Task Contacts_created_while_paging_neither_repeat_nor_shift_others()
    {
        var tenant = NewTenant();
        for (var i = 0; i < 5; i++)
        {
            await Contacts.CreateAsync(tenant, NewDraft($"C{i}"), Admin);
        }

        var first = await Contacts.PageAsync(tenant, new ContactPageRequest(Size: 3));
        var late = await Contacts.CreateAsync(tenant, NewDraft("Late"), Admin);
        var second = await Contacts.PageAsync(tenant, new ContactPageRequest(Size: 10, Cursor: first.NextCursor));

        var ids = first.Items.Concat(second.Items).Select(c => c.Id).ToList();
        Assert.Equal(6, ids.Count);
        Assert.Equal(6, ids.Distinct().Count());
        Assert.Equal(late.Id, ids[^1]);
        Assert.Null(second.NextCursor);
    }

    /// <summary>An empty tenant has one empty page.</summary>
    [Fact]
    public async Task An_empty_tenant_has_one_empty_page()
    {
        var page = await Contacts.PageAsync(NewTenant(), new ContactPageRequest());

        Assert.Empty(page.Items);
        Assert.False(page.HasMore);
    }

    /// <summary>Page sizes outside the configured range, garbage cursors, and cursors of another sort are rejected.</summary>
    [Theory]
    [InlineData(0, null, "size")]
    [InlineData(1_000_000, null, "size")]
    [InlineData(10, "not-a-cursor", "cursor")]
    [InlineData(10, "WyJ4IiwieSIsInoiXQ", "cursor")]
    public async Task Bad_page_requests_are_rejected_naming_the_field(int size, string? cursor, string field)
    {
        var error = await Assert.ThrowsAsync<ValidationFailedException>(() => Contacts.PageAsync(NewTenant(), new ContactPageRequest(Size: size, Cursor: cursor)));

        Assert.Equal(field, error.Errors[0].Field);
    }

    /// <summary>A cursor issued for one sort order cannot continue another.</summary>
    [Fact]
    public async Task A_cursor_of_another_sort_is_rejected()
    {
        var tenant = NewTenant();
        await Contacts.CreateAsync(tenant, NewDraft("A"), Admin);
        await Contacts.CreateAsync(tenant, NewDraft("B"), Admin);
        var page = await Contacts.PageAsync(tenant, new ContactPageRequest(ContactSortField.Email, Size: 1));

        var error = await Assert.ThrowsAsync<ValidationFailedException>(() => Contacts.PageAsync(tenant, new ContactPageRequest(ContactSortField.LastName, Size: 1, Cursor: page.NextCursor)));

        Assert.Equal("cursor", error.Errors[0].Field);
    }
}
