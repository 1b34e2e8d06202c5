namespace Datum.Contacts;

/// <summary>
/// A custom field a tenant declared for its contacts. Contacts may only carry declared fields, with values of
/// the declared type.
/// </summary>
public sealed record CustomFieldDefinition
{
    /// <summary>The longest field name accepted.</summary>
    public const int MaxNameLength = 64;

    /// <summary>The longest description accepted.</summary>
    public const int MaxDescriptionLength = 500;

    /// <summary>Creates a definition, throwing <see cref="ValidationFailedException"/> when the name or type is invalid.</summary>
    /// <param name="name">
    /// The field name: a letter, then letters, digits or '_', at most 64 characters. Names are unique per
    /// tenant, compared case-insensitively, and appear in criteria as <c>customFields.name</c>.
    /// </param>
    /// <param name="type">The value type.</param>
    /// <param name="description">What the field means, for people.</param>
    public CustomFieldDefinition(string name, CustomFieldType type, string? description = null)
    {
        var errors = new List<FieldError>();
        if (CheckName(name) is { } nameError)
        {
            errors.Add(new FieldError("name", "invalid_name", $"name {nameError}."));
        }

        if (!Enum.IsDefined(type))
        {
            errors.Add(new FieldError("type", "invalid_type", "type must be Text, Number, Boolean or Date."));
        }

        var cleanDescription = Text.CleanMultiline(description, "description", MaxDescriptionLength, errors);
        if (errors.Count > 0)
        {
            throw new ValidationFailedException(errors);
        }

        Name = name;
        Type = type;
        Description = cleanDescription;
    }

    /// <summary>The field name as declared.</summary>
    public string Name { get; }

    /// <summary>The value type.</summary>
    public CustomFieldType Type { get; }

    /// <summary>What the field means, for people.</summary>
    public string? Description { get; }

    internal static string? CheckName(string? name)
    {
        if (string.IsNullOrEmpty(name))
        {
            return "is required";
        }

        if (name.Length > MaxNameLength)
        {
            return $"must be at most {MaxNameLength} characters long";
        }

        if (!char.IsAsciiLetter(name[0]))
        {
            return "must start with a letter";
        }

        return name.All(c => char.IsAsciiLetterOrDigit(c) || c == '_')
            ? null
            : "may contain only letters, digits and '_'";
    }
}

/// <summary>The custom fields one tenant declared, looked up case-insensitively by name.</summary>
public sealed class CustomFieldSchema
{
    private readonly Dictionary<string, CustomFieldDefinition> _byName;

    /// <summary>Creates a schema from definitions.</summary>
    /// <param name="definitions">The tenant's definitions; names must be unique case-insensitively.</param>
    public CustomFieldSchema(IEnumerable<CustomFieldDefinition> definitions)
    {
        Guard.Against.Null(definitions);
        _byName = new Dictionary<string, CustomFieldDefinition>(StringComparer.OrdinalIgnoreCase);
        foreach (var definition in definitions)
        {
            if (!_byName.TryAdd(definition.Name, definition))
            {
                throw new ArgumentException($"The custom field '{definition.Name}' is declared twice.", nameof(definitions));
            }
        }
    }

    /// <summary>The criteria compiler's short id for these exact definitions; set on first use.</summary>
    internal int? CacheId { get; set; }

    /// <summary>A schema without custom fields.</summary>
    public static CustomFieldSchema Empty { get; } = new([]);

    /// <summary>The definitions.</summary>
    public IReadOnlyCollection<CustomFieldDefinition> Definitions => _byName.Values;

    /// <summary>Finds a definition by name, case-insensitively.</summary>
    /// <param name="name">The field name.</param>
    public CustomFieldDefinition? Find(string name) => _byName.GetValueOrDefault(name);
}
