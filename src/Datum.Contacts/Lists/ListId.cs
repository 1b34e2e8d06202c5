using System.Diagnostics.CodeAnalysis;

namespace Datum.Contacts;

/// <summary>Identifies a contact list within its tenant. New ids are time-ordered (UUID version 7).</summary>
/// <param name="Value">The underlying UUID.</param>
public readonly record struct ListId(Guid Value) : IComparable<ListId>
{
    /// <summary>Creates a new time-ordered id.</summary>
    /// <param name="timeProvider">The clock whose time leads the id.</param>
    public static ListId New(TimeProvider timeProvider)
    {
        Guard.Against.Null(timeProvider);
        return new ListId(Guid.CreateVersion7(timeProvider.GetUtcNow()));
    }

    /// <summary>Parses an id, throwing <see cref="ValidationFailedException"/> on the field <c>listId</c> when malformed.</summary>
    /// <param name="value">The id text.</param>
    public static ListId Parse(string? value)
        => TryParse(value, out var id)
            ? id
            : throw new ValidationFailedException(new FieldError("listId", "invalid_id", "listId must be a UUID such as '0192f0c4-7c4e-7b1a-9a3e-2f1d2c3b4a59'."));

    /// <summary>Tries to parse an id.</summary>
    /// <param name="value">The id text.</param>
    /// <param name="id">The parsed id.</param>
    public static bool TryParse([NotNullWhen(true)] string? value, out ListId id)
    {
        if (Guid.TryParse(value, out var guid) && guid != Guid.Empty)
        {
            id = new ListId(guid);
            return true;
        }

        id = default;
        return false;
    }

    /// <inheritdoc />
    public int CompareTo(ListId other) => Value.CompareTo(other.Value);

    /// <summary>Orders two ids.</summary>
    /// <param name="left">The first.</param>
    /// <param name="right">The second.</param>
    public static bool operator <(ListId left, ListId right) => left.CompareTo(right) < 0;

    /// <summary>Orders two ids.</summary>
    /// <param name="left">The first.</param>
    /// <param name="right">The second.</param>
    public static bool operator <=(ListId left, ListId right) => left.CompareTo(right) <= 0;

    /// <summary>Orders two ids.</summary>
    /// <param name="left">The first.</param>
    /// <param name="right">The second.</param>
    public static bool operator >(ListId left, ListId right) => left.CompareTo(right) > 0;

    /// <summary>Orders two ids.</summary>
    /// <param name="left">The first.</param>
    /// <param name="right">The second.</param>
    public static bool operator >=(ListId left, ListId right) => left.CompareTo(right) >= 0;

    /// <inheritdoc />
    public override string ToString() => Value.ToString("D");
}
