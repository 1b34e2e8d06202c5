namespace Datum.Contacts.EntityFrameworkCore;

/// <summary>Keyset paging over contact rows in the core's listing orders (<see cref="ContactOrder"/>).</summary>
internal static class ContactPaging
{
    public static IQueryable<ContactRow> Page(IQueryable<ContactRow> rows, ContactPageQuery query)
    {
        var ascending = query.Direction == SortDirection.Ascending;
        if (query.After is { } after)
        {
            var id = after.Id.Value;
            var ticks = after.Key.Time?.UtcTicks ?? 0;
            var text = after.Key.Text ?? string.Empty;
            rows = query.Sort switch
            {
                ContactSortField.CreatedAt => Keyset.After(rows, r => r.CreatedAtTicks, ticks, r => r.Id, id, ascending),
                ContactSortField.UpdatedAt => Keyset.After(rows, r => r.UpdatedAtTicks, ticks, r => r.Id, id, ascending),
                ContactSortField.Email => Keyset.After(rows, r => r.SortEmail, text, r => r.Id, id, ascending),
                _ => Keyset.After(rows, r => r.SortLastName, text, r => r.Id, id, ascending),
            };
        }

        IOrderedQueryable<ContactRow> ordered = (query.Sort, ascending) switch
        {
            (ContactSortField.CreatedAt, true) => rows.OrderBy(r => r.CreatedAtTicks),
            (ContactSortField.CreatedAt, false) => rows.OrderByDescending(r => r.CreatedAtTicks),
            (ContactSortField.UpdatedAt, true) => rows.OrderBy(r => r.UpdatedAtTicks),
            (ContactSortField.UpdatedAt, false) => rows.OrderByDescending(r => r.UpdatedAtTicks),
            (ContactSortField.Email, true) => rows.OrderBy(r => r.SortEmail),
            (ContactSortField.Email, false) => rows.OrderByDescending(r => r.SortEmail),
            (ContactSortField.LastName, true) => rows.OrderBy(r => r.SortLastName),
            (_, _) => rows.OrderByDescending(r => r.SortLastName),
        };
        ordered = ascending ? ordered.ThenBy(r => r.Id) : ordered.ThenByDescending(r => r.Id);
        return ordered.Take(query.Limit);
    }
}
