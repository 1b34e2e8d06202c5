namespace Datum.Contacts;

/// <summary>A channel and its settings, validated.</summary>
/// <param name="Channel">The channel.</param>
/// <param name="Settings">Settings by name (ordinal), such as <c>fromAddress</c>.</param>
public sealed record CommunicationMethod(Channel Channel, IReadOnlyDictionary<string, string> Settings);

/// <summary>An external system a list synchronizes with, and the state of its last synchronization.</summary>
/// <param name="System">The system's slug, such as <c>salesforce</c>.</param>
/// <param name="Direction">Which way it synchronizes.</param>
/// <param name="FieldMapping">Our field name → the external system's field name.</param>
/// <param name="Status">The state of the last synchronization.</param>
/// <param name="LastSyncAt">When it last ran; null when never.</param>
/// <param name="Message">The last message, such as a failure's reason; null for none.</param>
public sealed record ListIntegration(
    string System,
    SyncDirection Direction,
    IReadOnlyDictionary<string, string> FieldMapping,
    SyncStatus Status,
    DateTimeOffset? LastSyncAt,
    string? Message);

/// <summary>The validated details of a list (everything a host edits), made by <see cref="Validate"/>.</summary>
public sealed class ListDetails
{
    /// <summary>Longest list name, in characters.</summary>
    public const int MaxNameLength = 200;

    /// <summary>Longest description, in characters.</summary>
    public const int MaxDescriptionLength = 4_000;

    /// <summary>Most entries in a settings or field mapping map, and most integrations on one list.</summary>
    public const int MaxEntries = 100;

    /// <summary>Longest setting or mapping value, and longest sync message, in characters.</summary>
    public const int MaxValueLength = 2_000;

    private ListDetails(string name, string? description, ListKind kind, Criteria? criteria, CommunicationMethod? method, IReadOnlyList<ListIntegration> integrations, TagSet tags)
    {
        Name = name;
        Description = description;
        Kind = kind;
        Criteria = criteria;
        CommunicationMethod = method;
        Integrations = integrations;
        Tags = tags;
    }

    /// <summary>The name.</summary>
    public string Name { get; }

    /// <summary>The description.</summary>
    public string? Description { get; }

    /// <summary>Static or dynamic.</summary>
    public ListKind Kind { get; }

    /// <summary>The criteria of a dynamic list; null for a static one.</summary>
    public Criteria? Criteria { get; }

    /// <summary>How members are reached.</summary>
    public CommunicationMethod? CommunicationMethod { get; }

    /// <summary>Integrations, without sync state (a new integration has never synced).</summary>
    public IReadOnlyList<ListIntegration> Integrations { get; }

    /// <summary>Tags.</summary>
    public TagSet Tags { get; }

    /// <summary>
    /// Checks a draft and cleans its text, collecting every problem. The criteria's fields are checked separately,
    /// against the tenant's catalogue, by the list service.
    /// </summary>
    /// <param name="draft">The draft.</param>
    /// <param name="options">The limits in force (tags).</param>
    /// <exception cref="ValidationFailedException">Anything is wrong; every problem is listed.</exception>
    public static ListDetails Validate(ListDraft draft, ContactManagementOptions options)
    {
        Guard.Against.Null(draft);
        Guard.Against.Null(options);
        var errors = new List<FieldError>();
        var name = Text.CleanLine(draft.Name, "name", MaxNameLength, errors);
        if (name is null && !errors.Exists(e => e.Field == "name"))
        {
            errors.Add(new FieldError("name", "required", "name is required."));
        }

        var description = Text.CleanMultiline(draft.Description, "description", MaxDescriptionLength, errors);
        if (!Enum.IsDefined(draft.Kind))
        {
            errors.Add(new FieldError("kind", "invalid_kind", "kind must be Static or Dynamic."));
        }
        else if (draft.Kind == ListKind.Dynamic && draft.Criteria is null)
        {
            errors.Add(new FieldError("criteria", "required", "criteria is required for a dynamic list."));
        }
        else if (draft.Kind == ListKind.Static && draft.Criteria is not null)
        {
            errors.Add(new FieldError("criteria", "not_allowed", "criteria is only for dynamic lists; a static list's members are added explicitly."));
        }

        var method = ValidateMethod(draft.CommunicationMethod, errors);
        var integrations = ValidateIntegrations(draft.Integrations, errors);
        var tags = TagSet.Create(draft.Tags, options.MaxTagsPerContact, options.MaxTagLength, errors);
        if (errors.Count > 0)
        {
            throw new ValidationFailedException(errors);
        }

        return new ListDetails(name!, description, draft.Kind, draft.Criteria, method, integrations, tags);
    }

    /// <summary>Rebuilds details a store kept, already validated.</summary>
    internal static ListDetails Restore(string name, string? description, ListKind kind, Criteria? criteria, CommunicationMethod? method, IReadOnlyList<ListIntegration> integrations, TagSet tags)
        => new(name, description, kind, criteria, method, integrations, tags);

    /// <summary>The draft these details came from (criteria as is).</summary>
    internal static ListDraft ToDraft(ContactList list) => new()
    {
        Name = list.Name,
        Description = list.Description,
        Kind = list.Kind,
        Criteria = list.Criteria,
        CommunicationMethod = list.CommunicationMethod is { } m
            ? new CommunicationMethodDraft { Channel = m.Channel.Value, Settings = m.Settings }
            : null,
        Integrations = [.. list.Integrations.Select(i => new ListIntegrationDraft { System = i.System, Direction = i.Direction, FieldMapping = i.FieldMapping })],
        Tags = [.. list.Tags],
    };

    private static CommunicationMethod? ValidateMethod(CommunicationMethodDraft? draft, List<FieldError> errors)
    {
        if (draft is null)
        {
            return null;
        }

        Channel channel = default;
        if (!Channel.TryParse(draft.Channel, out channel, out var error))
        {
            errors.Add(new FieldError("communicationMethod.channel", "invalid_channel", $"communicationMethod.channel {error}."));
        }

        var settings = ValidateMap(draft.Settings, "communicationMethod.settings", errors);
        return new CommunicationMethod(channel, settings);
    }

    private static List<ListIntegration> ValidateIntegrations(IReadOnlyList<ListIntegrationDraft>? drafts, List<FieldError> errors)
    {
        var result = new List<ListIntegration>();
        if (drafts is null)
        {
            return result;
        }

        if (drafts.Count > MaxEntries)
        {
            errors.Add(new FieldError("integrations", "too_many", $"integrations must hold at most {MaxEntries} entries."));
            return result;
        }

        var seen = new HashSet<string>(StringComparer.Ordinal);
        for (var i = 0; i < drafts.Count; i++)
        {
            var field = $"integrations[{i}]";
            if (drafts[i] is not { } draft)
            {
                errors.Add(new FieldError(field, "required", $"{field} must not be null."));
                continue;
            }

            var system = Slug.Normalize(draft.System, out var error);
            if (system is null)
            {
                errors.Add(new FieldError($"{field}.system", "invalid_system", $"{field}.system {error}."));
            }
            else if (!seen.Add(system))
            {
                errors.Add(new FieldError($"{field}.system", "duplicate_system", $"{field}.system: the list already has an integration with '{system}'."));
            }

            if (!Enum.IsDefined(draft.Direction))
            {
                errors.Add(new FieldError($"{field}.direction", "invalid_direction", $"{field}.direction must be Push, Pull or Bidirectional."));
            }

            var mapping = ValidateMap(draft.FieldMapping, $"{field}.fieldMapping", errors);
            result.Add(new ListIntegration(system ?? string.Empty, draft.Direction, mapping, SyncStatus.NeverSynced, null, null));
        }

        return result;
    }

    private static SortedDictionary<string, string> ValidateMap(IReadOnlyDictionary<string, string>? map, string field, List<FieldError> errors)
    {
        var result = new SortedDictionary<string, string>(StringComparer.Ordinal);
        if (map is null)
        {
            return result;
        }

        if (map.Count > MaxEntries)
        {
            errors.Add(new FieldError(field, "too_many", $"{field} must hold at most {MaxEntries} entries."));
            return result;
        }

        foreach (var (key, value) in map)
        {
            var name = Text.CleanLine(key, field, Slug.MaxLength * 2, errors);
            if (name is null)
            {
                if (!errors.Exists(e => e.Field == field))
                {
                    errors.Add(new FieldError(field, "required", $"{field}: a name must not be empty."));
                }

                continue;
            }

            var entry = $"{field}.{name}";
            var text = Text.CleanLine(value, entry, MaxValueLength, errors);
            if (text is null)
            {
                if (!errors.Exists(e => e.Field == entry))
                {
                    errors.Add(new FieldError(entry, "required", $"{entry} must not be empty."));
                }

                continue;
            }

            if (!result.TryAdd(name, text))
            {
                errors.Add(new FieldError(entry, "duplicate", $"{entry} is given twice."));
            }
        }

        return result;
    }
}
