namespace Datum.Contacts;

/// <summary>
/// What a contact is to the tenant: <see cref="Client"/>, <see cref="Prospect"/>, <see cref="Vendor"/>, or a
/// tenant-defined type. A lower-case slug: a letter, then letters, digits, '-' or '_', at most 64 characters.
/// </summary>
public readonly record struct ContactType
{
    private ContactType(string value) => Value = value;

    /// <summary>The slug.</summary>
    public string Value { get; }

    /// <summary>A paying client.</summary>
    public static ContactType Client { get; } = new("client");

    /// <summary>A prospective client.</summary>
    public static ContactType Prospect { get; } = new("prospect");

    /// <summary>A supplier.</summary>
    public static ContactType Vendor { get; } = new("vendor");

    /// <summary>Parses a type (case-insensitive), throwing <see cref="ValidationFailedException"/> on the field <c>type</c> when malformed.</summary>
    /// <param name="value">The type text.</param>
    public static ContactType Parse(string? value)
        => TryParse(value, out var type, out var error)
            ? type
            : throw new ValidationFailedException(new FieldError("type", "invalid_type", $"type {error}."));

    /// <summary>Tries to parse a type.</summary>
    /// <param name="value">The type text.</param>
    /// <param name="type">The parsed type.</param>
    /// <param name="error">Why the text is not a type.</param>
    public static bool TryParse(string? value, out ContactType type, out string? error)
    {
        var slug = Slug.Normalize(value, out error);
        type = slug is null ? default : new ContactType(slug);
        return slug is not null;
    }

    /// <inheritdoc />
    public override string ToString() => Value ?? string.Empty;
}
