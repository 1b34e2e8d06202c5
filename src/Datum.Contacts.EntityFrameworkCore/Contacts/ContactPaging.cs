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
            rows = (query.Sort, ascending) switch
            {
                (ContactSortField.CreatedAt, true) => rows.Where(r => r.CreatedAtTicks > ticks || (r.CreatedAtTicks == ticks && r.Id.CompareTo(id) > 0)),
                (ContactSortField.CreatedAt, false) => rows.Where(r => r.CreatedAtTicks < ticks || (r.CreatedAtTicks == ticks && r.Id.CompareTo(id) < 0)),
                (ContactSortField.UpdatedAt, true) => rows.Where(r => r.UpdatedAtTicks > ticks || (r.UpdatedAtTicks == ticks && r.Id.CompareTo(id) > 0)),
                (ContactSortField.UpdatedAt, false) => rows.Where(r => r.UpdatedAtTicks < ticks || (r.UpdatedAtTicks == ticks && r.Id.CompareTo(id) < 0)),
                (ContactSortField.Email, true) => rows.Where(r => r.SortEmail.CompareTo(text) > 0 || (r.SortEmail == text && r.Id.CompareTo(id) > 0)),
                (ContactSortField.Email, false) => rows.Where(r => r.SortEmail.CompareTo(text) < 0 || (r.SortEmail == text && r.Id.CompareTo(id) < 0)),
                (ContactSortField.LastName, true) => rows.Where(r => r.SortLastName.CompareTo(text) > 0 || (r.SortLastName == text && r.Id.CompareTo(id) > 0)),
                (_, _) => rows.Where(r => r.SortLastName.CompareTo(text) < 0 || (r.SortLastName == text && r.Id.CompareTo(id) < 0)),
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
