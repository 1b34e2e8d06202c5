namespace Datum.Contacts;

/// <summary>Asks for one page of a keyset-paged listing.</summary>
/// <param name="Size">How many items at most; null for the configured default. Must be between 1 and the configured maximum.</param>
/// <param name="Cursor">The <see cref="Page{T}.NextCursor"/> of the previous page; null for the first page.</param>
public sealed record PageRequest(int? Size = null, string? Cursor = null)
{
    /// <summary>The first page at the default size.</summary>
    public static PageRequest First { get; } = new();
}

/// <summary>One page of results. Pages are cut by position (keyset), so concurrent inserts never shift or repeat items.</summary>
/// <typeparam name="T">The item type.</typeparam>
/// <param name="Items">The items on this page, in order.</param>
/// <param name="NextCursor">Pass this in the next <see cref="PageRequest"/>; null when this is the last page.</param>
public sealed record Page<T>(IReadOnlyList<T> Items, string? NextCursor)
{
    /// <summary>Whether more items follow.</summary>
    public bool HasMore => NextCursor is not null;
}

/// <summary>The direction of a sort.</summary>
public enum SortDirection
{
    /// <summary>Smallest first.</summary>
    Ascending = 0,

    /// <summary>Largest first.</summary>
    Descending = 1,
}
