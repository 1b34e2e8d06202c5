using System.Linq.Expressions;

namespace Datum.Contacts;

/// <summary>The type of a catalogue field, which decides the operators and values it takes.</summary>
public enum CriteriaFieldType
{
    /// <summary>Free text, compared case-insensitively: =, !=, contains, notContains, startsWith, endsWith, in, notIn, isEmpty, isNotEmpty.</summary>
    Text = 0,

    /// <summary>One of a fixed set of names (status, source, frequency...): =, !=, in, notIn, isEmpty, isNotEmpty.</summary>
    Choice = 1,

    /// <summary>A decimal number: =, !=, &gt;, &gt;=, &lt;, &lt;=, between, in, notIn, isEmpty, isNotEmpty.</summary>
    Number = 2,

    /// <summary>True or false: =, !=, isEmpty, isNotEmpty.</summary>
    Boolean = 3,

    /// <summary>A calendar date: comparisons, between, in, notIn, withinLast, moreThan, isEmpty, isNotEmpty.</summary>
    Date = 4,

    /// <summary>An instant: comparisons, between, withinLast, moreThan, isEmpty, isNotEmpty. A date value means that whole UTC day.</summary>
    DateTime = 5,

    /// <summary>A set of tags: has, isEmpty, isNotEmpty.</summary>
    Tags = 6,
}

/// <summary>A field of the criteria catalogue, as a query builder or documentation would show it.</summary>
/// <param name="Name">The canonical name, such as <c>status</c> or <c>customFields.score</c>.</param>
/// <param name="Type">The type.</param>
/// <param name="CanBeEmpty">Whether a contact may have no value for it.</param>
/// <param name="Operators">The operators it takes.</param>
/// <param name="Choices">For a <see cref="CriteriaFieldType.Choice"/> field, the accepted values; empty otherwise.</param>
public sealed record CriteriaFieldDefinition(string Name, CriteriaFieldType Type, bool CanBeEmpty, IReadOnlyList<CriteriaOperator> Operators, IReadOnlyList<string> Choices);

/// <summary>
/// Adds fields in a namespace the core does not own: <c>consent.&lt;channel&gt;</c> (consent) or
/// <c>memberOf("list")</c> (lists). Register implementations in DI as <see cref="ICriteriaExtension"/>; the
/// compiler asks each for the fields of its namespace.
/// </summary>
public interface ICriteriaExtension
{
    /// <summary>The namespace prefix handled: <c>consent</c> handles <c>consent.*</c>, <c>memberOf</c> handles <c>memberOf("...")</c>.</summary>
    string Prefix { get; }

    /// <summary>Resolves a field of the namespace; null when there is no such field (reported as an unknown field).</summary>
    /// <param name="field">The field, whose path starts with the namespace.</param>
    CriteriaExtensionField? Resolve(CriteriaField field);
}

/// <summary>
/// A choice field supplied by an <see cref="ICriteriaExtension"/>: its value for a contact is one of
/// <see cref="Choices"/> or null. It takes =, !=, in, notIn, isEmpty and isNotEmpty.
/// </summary>
public sealed class CriteriaExtensionField
{
    /// <summary>Creates the field.</summary>
    /// <param name="choices">The values it can have (compared case-insensitively), such as <c>granted</c>, <c>withdrawn</c>.</param>
    /// <param name="value">Reads the value of a contact, lower-case, or null; must be translatable by the stores in use.</param>
    public CriteriaExtensionField(IReadOnlyList<string> choices, Expression<Func<Contact, string?>> value)
    {
        Guard.Against.Null(choices);
        Guard.Against.Null(value);
        Guard.Against.InvalidArgument(choices.Count == 0 || choices.Any(string.IsNullOrWhiteSpace), "At least one non-blank choice is required.", nameof(choices));

        Choices = [.. choices];
        Value = value;
        Read = value.Compile();
    }

    /// <summary>The values the field can have.</summary>
    public IReadOnlyList<string> Choices { get; }

    /// <summary>Reads the value of a contact.</summary>
    public Expression<Func<Contact, string?>> Value { get; }

    internal Func<Contact, string?> Read { get; }
}

/// <summary>How a catalogue field reads its value from a contact; the compiler and the reference interpreter each implement every one.</summary>
internal enum FieldAccess
{
    FirstName,
    LastName,
    Title,
    Company,
    Email,
    Phone,
    Type,
    TimeZone,
    Social,
    Status,
    Source,
    Frequency,
    Channel,
    Tags,
    CreatedAt,
    UpdatedAt,
    LastEngagementAt,
    Custom,
    Extension,
}

/// <summary>A resolved catalogue field.</summary>
internal sealed record CatalogField(string Name, CriteriaFieldType Type, FieldAccess Access, bool CanBeEmpty)
{
    /// <summary>The channel, network or custom field name the field reads.</summary>
    public string? Key { get; init; }

    /// <summary>For an enum-backed choice field, the enum type.</summary>
    public Type? EnumType { get; init; }

    /// <summary>For an extension field, what the extension supplied.</summary>
    public CriteriaExtensionField? Extension { get; init; }

    public IReadOnlyList<string> Choices => EnumType is not null
        ? [.. Enum.GetNames(EnumType).Select(n => char.ToLowerInvariant(n[0]) + n[1..])]
        : Extension?.Choices ?? [];

    public CriteriaFieldDefinition Describe() => new(Name, Type, CanBeEmpty, CriteriaCatalog.OperatorsOf(Type), Choices);
}

/// <summary>
/// The fields a criteria may use for one tenant: the standard contact fields, the tenant's declared custom
/// fields, the dynamic namespaces (<c>preferences.channels.*</c>, <c>socialProfiles.*</c>) and whatever the
/// registered <see cref="ICriteriaExtension"/>s add. Nothing outside it can be reached.
/// </summary>
public sealed class CriteriaCatalog
{
    private static readonly CriteriaOperator[] TextOperators =
    [
        CriteriaOperator.Equals, CriteriaOperator.NotEquals, CriteriaOperator.Contains, CriteriaOperator.NotContains,
        CriteriaOperator.StartsWith, CriteriaOperator.EndsWith, CriteriaOperator.In, CriteriaOperator.NotIn,
        CriteriaOperator.IsEmpty, CriteriaOperator.IsNotEmpty,
    ];

    private static readonly CriteriaOperator[] ChoiceOperators =
        [CriteriaOperator.Equals, CriteriaOperator.NotEquals, CriteriaOperator.In, CriteriaOperator.NotIn, CriteriaOperator.IsEmpty, CriteriaOperator.IsNotEmpty];

    private static readonly CriteriaOperator[] NumberOperators =
    [
        CriteriaOperator.Equals, CriteriaOperator.NotEquals, CriteriaOperator.GreaterThan, CriteriaOperator.GreaterThanOrEqual,
        CriteriaOperator.LessThan, CriteriaOperator.LessThanOrEqual, CriteriaOperator.Between, CriteriaOperator.In, CriteriaOperator.NotIn,
        CriteriaOperator.IsEmpty, CriteriaOperator.IsNotEmpty,
    ];

    private static readonly CriteriaOperator[] BooleanOperators =
        [CriteriaOperator.Equals, CriteriaOperator.NotEquals, CriteriaOperator.IsEmpty, CriteriaOperator.IsNotEmpty];

    private static readonly CriteriaOperator[] DateOperators =
    [
        CriteriaOperator.Equals, CriteriaOperator.NotEquals, CriteriaOperator.GreaterThan, CriteriaOperator.GreaterThanOrEqual,
        CriteriaOperator.LessThan, CriteriaOperator.LessThanOrEqual, CriteriaOperator.Between, CriteriaOperator.In, CriteriaOperator.NotIn,
        CriteriaOperator.WithinLastDays, CriteriaOperator.MoreThanDaysAgo, CriteriaOperator.IsEmpty, CriteriaOperator.IsNotEmpty,
    ];

    private static readonly CriteriaOperator[] DateTimeOperators =
    [
        CriteriaOperator.Equals, CriteriaOperator.NotEquals, CriteriaOperator.GreaterThan, CriteriaOperator.GreaterThanOrEqual,
        CriteriaOperator.LessThan, CriteriaOperator.LessThanOrEqual, CriteriaOperator.Between,
        CriteriaOperator.WithinLastDays, CriteriaOperator.MoreThanDaysAgo, CriteriaOperator.IsEmpty, CriteriaOperator.IsNotEmpty,
    ];

    private static readonly CriteriaOperator[] TagsOperators = [CriteriaOperator.Has, CriteriaOperator.IsEmpty, CriteriaOperator.IsNotEmpty];

    private static readonly Dictionary<string, CatalogField> StandardFields = new CatalogField[]
    {
        new("firstName", CriteriaFieldType.Text, FieldAccess.FirstName, true),
        new("lastName", CriteriaFieldType.Text, FieldAccess.LastName, true),
        new("title", CriteriaFieldType.Text, FieldAccess.Title, true),
        new("company", CriteriaFieldType.Text, FieldAccess.Company, true),
        new("email", CriteriaFieldType.Text, FieldAccess.Email, true),
        new("phone", CriteriaFieldType.Text, FieldAccess.Phone, true),
        new("type", CriteriaFieldType.Text, FieldAccess.Type, true),
        new("status", CriteriaFieldType.Choice, FieldAccess.Status, false) { EnumType = typeof(ContactStatus) },
        new("source", CriteriaFieldType.Choice, FieldAccess.Source, false) { EnumType = typeof(ContactSource) },
        new("tags", CriteriaFieldType.Tags, FieldAccess.Tags, true),
        new("createdAt", CriteriaFieldType.DateTime, FieldAccess.CreatedAt, false),
        new("updatedAt", CriteriaFieldType.DateTime, FieldAccess.UpdatedAt, false),
        new("lastEngagementAt", CriteriaFieldType.DateTime, FieldAccess.LastEngagementAt, true),
        new("preferences.frequency", CriteriaFieldType.Choice, FieldAccess.Frequency, true) { EnumType = typeof(ContactFrequency) },
        new("preferences.timeZone", CriteriaFieldType.Text, FieldAccess.TimeZone, true),
    }.ToDictionary(f => f.Name, StringComparer.OrdinalIgnoreCase);

    private readonly CustomFieldSchema _schema;
    private readonly Dictionary<string, ICriteriaExtension> _extensions;

    private CriteriaCatalog(CustomFieldSchema schema, IEnumerable<ICriteriaExtension> extensions)
    {
        _schema = schema;
        _extensions = new Dictionary<string, ICriteriaExtension>(StringComparer.OrdinalIgnoreCase);
        foreach (var extension in extensions)
        {
            if (!_extensions.TryAdd(extension.Prefix, extension))
            {
                throw new ArgumentException($"Two criteria extensions handle the namespace '{extension.Prefix}'.", nameof(extensions));
            }
        }
    }

    /// <summary>The catalogue of a tenant.</summary>
    /// <param name="schema">The tenant's declared custom fields.</param>
    /// <param name="extensions">Extensions adding namespaced fields; none by default.</param>
    public static CriteriaCatalog Create(CustomFieldSchema schema, IEnumerable<ICriteriaExtension>? extensions = null)
    {
        Guard.Against.Null(schema);
        return new CriteriaCatalog(schema, extensions ?? []);
    }

    /// <summary>The fixed fields: standard fields and declared custom fields. Namespaced fields (<c>preferences.channels.&lt;channel&gt;</c>, <c>socialProfiles.&lt;network&gt;</c>, extensions) are resolved on use.</summary>
    public IReadOnlyList<CriteriaFieldDefinition> Fields
        => [.. StandardFields.Values.Select(f => f.Describe()), .. _schema.Definitions.OrderBy(d => d.Name, StringComparer.Ordinal).Select(d => Custom(d).Describe())];

    /// <summary>The custom field schema the catalogue was built from.</summary>
    public CustomFieldSchema Schema => _schema;

    internal static IReadOnlyList<CriteriaOperator> OperatorsOf(CriteriaFieldType type) => type switch
    {
        CriteriaFieldType.Text => TextOperators,
        CriteriaFieldType.Choice => ChoiceOperators,
        CriteriaFieldType.Number => NumberOperators,
        CriteriaFieldType.Boolean => BooleanOperators,
        CriteriaFieldType.Date => DateOperators,
        CriteriaFieldType.DateTime => DateTimeOperators,
        _ => TagsOperators,
    };

    /// <summary>Resolves a field; null when the catalogue has none by that name.</summary>
    internal CatalogField? Resolve(CriteriaField field)
    {
        if (field.Argument is not null)
        {
            return _extensions.TryGetValue(field.Path, out var memberOf) ? Extension(field, memberOf) : null;
        }

        var path = field.Path;
        if (StandardFields.TryGetValue(path, out var standard))
        {
            return standard;
        }

        var dot = path.LastIndexOf('.');
        if (dot < 0)
        {
            // A bare name that is no standard field may name a custom field: engagementScore = customFields.engagementScore.
            return _schema.Find(path) is { } bare ? Custom(bare) : null;
        }

        var prefix = path[..dot];
        var last = path[(dot + 1)..];
        switch (prefix)
        {
            case "customFields":
                return _schema.Find(last) is { } definition ? Custom(definition) : null;
            case "preferences.channels":
                return Channel.TryParse(last, out var channel, out _)
                    ? new CatalogField(path, CriteriaFieldType.Boolean, FieldAccess.Channel, false) { Key = channel.Value }
                    : null;
            case "socialProfiles":
                return Slug.Normalize(last, out _) is { } network
                    ? new CatalogField(path, CriteriaFieldType.Text, FieldAccess.Social, true) { Key = network }
                    : null;
        }

        var firstDot = path.IndexOf('.', StringComparison.Ordinal);
        return _extensions.TryGetValue(path[..firstDot], out var extension) ? Extension(field, extension) : null;
    }

    /// <summary>Whether a namespace exists but is not available, to say so rather than "unknown field".</summary>
    internal static bool IsExtensionNamespace(CriteriaField field)
        => field.Argument is not null || field.Path.StartsWith("consent.", StringComparison.OrdinalIgnoreCase);

    /// <summary>Names to suggest for a misspelt field.</summary>
    internal IEnumerable<string> KnownNames
        => StandardFields.Keys.Concat(_schema.Definitions.Select(d => "customFields." + d.Name));

    private static CatalogField Custom(CustomFieldDefinition definition) => new(
        "customFields." + definition.Name,
        definition.Type switch
        {
            CustomFieldType.Text => CriteriaFieldType.Text,
            CustomFieldType.Number => CriteriaFieldType.Number,
            CustomFieldType.Boolean => CriteriaFieldType.Boolean,
            _ => CriteriaFieldType.Date,
        },
        FieldAccess.Custom,
        true)
    { Key = definition.Name };

    private static CatalogField? Extension(CriteriaField field, ICriteriaExtension extension)
        => extension.Resolve(field) is { } resolved
            ? new CatalogField(field.ToString(), CriteriaFieldType.Choice, FieldAccess.Extension, true) { Extension = resolved }
            : null;
}
