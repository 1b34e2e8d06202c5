using System.Diagnostics.CodeAnalysis;

namespace Datum.Contacts;

/// <summary>Identifies a contact within its tenant. New ids are time-ordered (UUID version 7).</summary>
/// <param name="Value">The underlying UUID.</param>
public readonly record struct ContactId(Guid Value) : IComparable<ContactId>
{
    /// <summary>Creates a new time-ordered id.</summary>
    /// <param name="timeProvider">The clock whose time leads the id.</param>
    public static ContactId New(TimeProvider timeProvider)
    {
        Guard.Against.Null(timeProvider);
        return new ContactId(Guid.CreateVersion7(timeProvider.GetUtcNow()));
    }

    /// <summary>Parses an id, throwing <see cref="ValidationFailedException"/> on the field <c>id</c> when malformed.</summary>
    /// <param name="value">The id text.</param>
    public static ContactId Parse(string? value)
        => TryParse(value, out var id)
            ? id
            : throw new ValidationFailedException(new FieldError("id", "invalid_id", "id must be a UUID such as '0192f0c4-7c4e-7b1a-9a3e-2f1d2c3b4a59'."));

    /// <summary>Tries to parse an id.</summary>
    /// <param name="value">The id text.</param>
    /// <param name="id">The parsed id.</param>
    public static bool TryParse([NotNullWhen(true)] string? value, out ContactId id)
    {
        if (Guid.TryParse(value, out var guid) && guid != Guid.Empty)
        {
            id = new ContactId(guid);
            return true;
        }

        id = default;
        return false;
    }

    /// <inheritdoc />
    public int CompareTo(ContactId other) => Value.CompareTo(other.Value);

    /// <summary>Orders two ids.</summary>
    /// <param name="left">The first.</param>
    /// <param name="right">The second.</param>
    public static bool operator <(ContactId left, ContactId right) => left.CompareTo(right) < 0;

    /// <summary>Orders two ids.</summary>
    /// <param name="left">The first.</param>
    /// <param name="right">The second.</param>
    public static bool operator <=(ContactId left, ContactId right) => left.CompareTo(right) <= 0;

    /// <summary>Orders two ids.</summary>
    /// <param name="left">The first.</param>
    /// <param name="right">The second.</param>
    public static bool operator >(ContactId left, ContactId right) => left.CompareTo(right) > 0;

    /// <summary>Orders two ids.</summary>
    /// <param name="left">The first.</param>
    /// <param name="right">The second.</param>
    public static bool operator >=(ContactId left, ContactId right) => left.CompareTo(right) >= 0;

    /// <inheritdoc />
    public override string ToString() => Value.ToString("D");
}
