using System.Diagnostics.CodeAnalysis;

namespace Datum.Contacts;

/// <summary>
/// A field a condition tests: a dotted path such as <c>status</c>, <c>preferences.frequency</c>,
/// <c>customFields.score</c> or <c>consent.email</c>, or the list-membership field <c>memberOf("list name")</c>.
/// Whether the field exists is checked when the criteria is compiled against a tenant's catalogue.
/// </summary>
/// <remarks>
/// Standard names and namespaces are put in their canonical spelling (<c>FIRSTNAME</c> becomes <c>firstName</c>);
/// channel and network names are lower-cased; custom field names keep their spelling and compare case-insensitively.
/// </remarks>
public sealed class CriteriaField : IEquatable<CriteriaField>
{
    /// <summary>The name of the list-membership field.</summary>
    public const string MemberOfName = "memberOf";

    /// <summary>The longest path accepted.</summary>
    public const int MaxPathLength = 200;

    private static readonly Dictionary<string, string> Standard = new(StringComparer.OrdinalIgnoreCase)
    {
        ["firstName"] = "firstName",
        ["lastName"] = "lastName",
        ["title"] = "title",
        ["company"] = "company",
        ["email"] = "email",
        ["phone"] = "phone",
        ["type"] = "type",
        ["status"] = "status",
        ["source"] = "source",
        ["tags"] = "tags",
        ["createdAt"] = "createdAt",
        ["updatedAt"] = "updatedAt",
        ["lastEngagementAt"] = "lastEngagementAt",
        ["preferences.frequency"] = "preferences.frequency",
        ["preferences.timeZone"] = "preferences.timeZone",
    };

    // Namespaces whose last segment is a slug (lower-cased), and the one whose last segment is a custom field name.
    private static readonly string[] SlugNamespaces = ["preferences.channels", "socialProfiles", "consent"];
    private const string CustomFieldsNamespace = "customFields";

    // Words that start or join conditions; a field so named could not be printed back unambiguously.
    private static readonly HashSet<string> Reserved = new(["and", "or", "not"], StringComparer.OrdinalIgnoreCase);

    private CriteriaField(string path, string? argument)
    {
        Path = path;
        Argument = argument;
    }

    /// <summary>The field path in canonical spelling, such as <c>customFields.score</c>, or <c>memberOf</c>.</summary>
    public string Path { get; }

    /// <summary>The argument of <c>memberOf("...")</c>: the list name; null for every other field.</summary>
    public string? Argument { get; }

    /// <summary>The membership field of a list, <c>memberOf("list name")</c>.</summary>
    /// <param name="listName">The list name.</param>
    /// <exception cref="ArgumentException">The name is blank or holds a null or control character or broken UTF-16, which no criteria text can hold.</exception>
    public static CriteriaField MemberOf(string listName)
    {
        Guard.Against.NullOrWhiteSpace(listName);
        if (Text.FindProblem(listName, allowLineBreaks: true) is { } problem)
        {
            throw new ArgumentException($"The list name {problem}.", nameof(listName));
        }

        return new CriteriaField(MemberOfName, listName);
    }

    /// <summary>A field by path, such as <c>status</c> or <c>customFields.score</c>.</summary>
    /// <param name="path">The dotted path.</param>
    /// <exception cref="ArgumentException">The path is not a dotted path of names.</exception>
    public static CriteriaField Of(string path)
        => TryCreate(path, out var field, out var error) ? field : throw new ArgumentException(error, nameof(path));

    /// <summary>Converts a path (see <see cref="Of"/>).</summary>
    /// <param name="path">The dotted path.</param>
    public static implicit operator CriteriaField(string path) => Of(path);

    internal static bool TryCreate(string? path, [NotNullWhen(true)] out CriteriaField? field, [NotNullWhen(false)] out string? error)
    {
        field = null;
        error = CheckPath(path);
        if (error is not null)
        {
            return false;
        }

        if (path is not null && Reserved.Contains(path))
        {
            error = $"'{path}' is a keyword of the language, not a field name";
            return false;
        }

        if (string.Equals(path, MemberOfName, StringComparison.OrdinalIgnoreCase))
        {
            error = "memberOf needs a list name: memberOf(\"list name\")";
            return false;
        }

        field = new CriteriaField(Canonical(path!), null);
        return true;
    }

    /// <summary>Why <paramref name="path"/> is not a dotted path of names (a letter, then letters, digits, '_' or '-'); null when it is.</summary>
    internal static string? CheckPath(string? path)
    {
        if (string.IsNullOrEmpty(path))
        {
            return "a field name is required";
        }

        if (path.Length > MaxPathLength)
        {
            return $"a field name must be at most {MaxPathLength} characters long";
        }

        var start = true;
        foreach (var c in path)
        {
            if (start)
            {
                if (!char.IsAsciiLetter(c))
                {
                    return "each part of a field name must start with a letter";
                }

                start = false;
            }
            else if (c == '.')
            {
                start = true;
            }
            else if (!char.IsAsciiLetterOrDigit(c) && c is not '_' and not '-')
            {
                return "a field name may contain only letters, digits, '_', '-' and '.' between parts";
            }
        }

        return start ? "a field name must not end with '.'" : null;
    }

    private static string Canonical(string path)
    {
        if (Standard.TryGetValue(path, out var standard))
        {
            return standard;
        }

        var dot = path.LastIndexOf('.');
        if (dot > 0)
        {
            var prefix = path[..dot];
            var last = path[(dot + 1)..];
            foreach (var ns in SlugNamespaces)
            {
                if (string.Equals(prefix, ns, StringComparison.OrdinalIgnoreCase))
                {
                    return $"{ns}.{last.ToLowerInvariant()}";
                }
            }

            if (string.Equals(prefix, CustomFieldsNamespace, StringComparison.OrdinalIgnoreCase))
            {
                return $"{CustomFieldsNamespace}.{last}";
            }
        }

        return path;
    }

    /// <inheritdoc />
    public bool Equals(CriteriaField? other)
        => other is not null
           && string.Equals(Path, other.Path, StringComparison.OrdinalIgnoreCase)
           && string.Equals(Argument, other.Argument, StringComparison.OrdinalIgnoreCase);

    /// <inheritdoc />
    public override bool Equals(object? obj) => Equals(obj as CriteriaField);

    /// <inheritdoc />
    public override int GetHashCode()
        => HashCode.Combine(StringComparer.OrdinalIgnoreCase.GetHashCode(Path), Argument is null ? 0 : StringComparer.OrdinalIgnoreCase.GetHashCode(Argument));

    /// <summary>The field as the text form writes it.</summary>
    public override string ToString() => Argument is null ? Path : $"{Path}({CriteriaPrinter.Quote(Argument)})";
}
