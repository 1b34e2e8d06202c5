namespace Datum.Contacts;

/// <summary>The fields contacts can be listed by. Ties are always broken by id, ascending with the sort.</summary>
public enum ContactSortField
{
    /// <summary>Creation time.</summary>
    CreatedAt = 0,

    /// <summary>Last change time.</summary>
    UpdatedAt = 1,

    /// <summary>Normalized email address; contacts without one sort as the empty text.</summary>
    Email = 2,

    /// <summary>Case-folded last name; contacts without one sort as the empty text.</summary>
    LastName = 3,
}

/// <summary>A position in a contact listing: the sort key of the last contact seen and its id.</summary>
/// <param name="Key">The sort key, as <see cref="ContactOrder.KeyOf"/> gives it.</param>
/// <param name="Id">The contact id.</param>
public sealed record ContactPosition(ContactSortKey Key, ContactId Id);

/// <summary>A sort key value: a time for time fields, an ordinal text for text fields.</summary>
/// <param name="Time">The key of <see cref="ContactSortField.CreatedAt"/> and <see cref="ContactSortField.UpdatedAt"/>.</param>
/// <param name="Text">The key of <see cref="ContactSortField.Email"/> and <see cref="ContactSortField.LastName"/>.</param>
public readonly record struct ContactSortKey(DateTimeOffset? Time, string? Text);

/// <summary>One page of a contact listing as a store receives it.</summary>
/// <param name="Sort">The sort field.</param>
/// <param name="Direction">The sort direction; the id tie-breaker follows it.</param>
/// <param name="After">Only contacts strictly after this position; null from the start.</param>
/// <param name="Limit">How many at most.</param>
/// <param name="Filter">Only contacts matching this criteria; null for all. A store evaluates it where the data is: in memory with
/// <see cref="CompiledCriteria.Predicate"/>, in a database by translating <see cref="CompiledCriteria.Expression"/>.</param>
public sealed record ContactPageQuery(ContactSortField Sort, SortDirection Direction, ContactPosition? After, int Limit, CompiledCriteria? Filter = null);

/// <summary>The ordering rules of contact listings, shared by every store so they all page identically.</summary>
public static class ContactOrder
{
    /// <summary>The sort key of a contact for a field.</summary>
    /// <param name="contact">The contact.</param>
    /// <param name="field">The sort field.</param>
    public static ContactSortKey KeyOf(Contact contact, ContactSortField field)
    {
        Guard.Against.Null(contact);
        return field switch
        {
            ContactSortField.CreatedAt => new(contact.CreatedAt, null),
            ContactSortField.UpdatedAt => new(contact.UpdatedAt, null),
            ContactSortField.Email => new(null, contact.Email?.Normalized ?? string.Empty),
            // The contact's own folded copy (FoldLastName of its last name), not a new string per call: stores keep this key per contact.
            ContactSortField.LastName => new(null, contact.FoldedLastName ?? string.Empty),
            _ => throw new ArgumentOutOfRangeException(nameof(field), field, "Unknown sort field."),
        };
    }

    /// <summary>The case-folded form of a last name, the key stores persist to sort by it.</summary>
    /// <param name="lastName">The last name.</param>
    public static string FoldLastName(string lastName) => Text.Fold(lastName);

    /// <summary>
    /// Compares two keys of the same field: times by instant, texts by Unicode code point (the order of their UTF-8
    /// bytes, which is how databases with a binary collation order them too).
    /// </summary>
    /// <param name="x">The first key.</param>
    /// <param name="y">The second key.</param>
    public static int Compare(ContactSortKey x, ContactSortKey y)
        => x.Time is { } a && y.Time is { } b
            ? a.UtcTicks.CompareTo(b.UtcTicks)
            : CompareCodePoints(x.Text, y.Text);

    /// <summary>Compares texts by code point: as ordinal UTF-16, except that surrogate pairs (U+10000 and up) sort after U+E000–U+FFFF.</summary>
    /// <param name="x">The first text.</param>
    /// <param name="y">The second text.</param>
    internal static int CompareCodePoints(string? x, string? y)
    {
        if (x is null || y is null)
        {
            return string.CompareOrdinal(x, y);
        }

        var common = x.AsSpan().CommonPrefixLength(y);
        if (common == x.Length || common == y.Length)
        {
            return x.Length.CompareTo(y.Length);
        }

        int a = x[common], b = y[common];
        if (a >= 0xD800 && b >= 0xD800)
        {
            // Move surrogates (D800–DFFF) above E000–FFFF, keeping each range's own order.
            a = a >= 0xE000 ? a - 0x800 : a + 0x2000;
            b = b >= 0xE000 ? b - 0x800 : b + 0x2000;
        }

        return a.CompareTo(b);
    }

    /// <summary>Compares two contacts in a listing's order (key, then id), honouring the direction.</summary>
    /// <param name="x">The first contact's position.</param>
    /// <param name="y">The second contact's position.</param>
    /// <param name="direction">The sort direction.</param>
    public static int Compare(ContactPosition x, ContactPosition y, SortDirection direction)
    {
        Guard.Against.Null(x);
        Guard.Against.Null(y);
        var result = Compare(x.Key, y.Key);
        if (result == 0)
        {
            result = x.Id.CompareTo(y.Id);
        }

        return direction == SortDirection.Descending ? -result : result;
    }
}
