using System.Globalization;

namespace Datum.Contacts;

/// <summary>
/// A list of contacts of one tenant: static (members added explicitly) or dynamic (members are the contacts its
/// criteria match). Created and changed only through methods that keep it valid; every change of its own fields
/// moves <see cref="Version"/> on by one per unit of work. Membership changes do not: they live on
/// <see cref="ListMembership"/>.
/// </summary>
public sealed class ContactList
{
    private bool _versionAdvanced;

    private ContactList()
    {
    }

    /// <summary>The list's id.</summary>
    public ListId Id { get; private set; }

    /// <summary>The owning tenant.</summary>
    public TenantId Tenant { get; private set; }

    /// <summary>The name, unique within the tenant (compared case-insensitively).</summary>
    public string Name { get; private set; } = string.Empty;

    /// <summary>What the list is for.</summary>
    public string? Description { get; private set; }

    /// <summary>Static or dynamic; fixed when the list is created.</summary>
    public ListKind Kind { get; private set; }

    /// <summary>The criteria a dynamic list's members match; null for a static list.</summary>
    public Criteria? Criteria { get; private set; }

    /// <summary>How members are reached; null when not set.</summary>
    public CommunicationMethod? CommunicationMethod { get; private set; }

    /// <summary>External systems the list synchronizes with, with their sync state.</summary>
    public IReadOnlyList<ListIntegration> Integrations { get; private set; } = [];

    /// <summary>Tags.</summary>
    public TagSet Tags { get; private set; } = TagSet.Empty;

    /// <summary>The number of active members, as the store last counted them when the list was read.</summary>
    public long MemberCount { get; private set; }

    /// <summary>When the list was created.</summary>
    public DateTimeOffset CreatedAt { get; private set; }

    /// <summary>When the list's own fields last changed.</summary>
    public DateTimeOffset UpdatedAt { get; private set; }

    /// <summary>The concurrency version: 1 when created, one more after each committed change of the list's fields.</summary>
    public long Version { get; private set; }

    /// <summary>The case-folded name: what names are compared by, and what <c>memberOf("...")</c> looks up.</summary>
    internal string NameKey { get; private set; } = string.Empty;

    /// <summary>The key a name is compared by: trimmed and case-folded. Two lists of a tenant never share one.</summary>
    /// <param name="name">The name.</param>
    public static string KeyOf(string name)
    {
        Guard.Against.Null(name);
        return Datum.Contacts.Text.Fold(name.Trim());
    }

    /// <summary>Creates a list from validated details.</summary>
    /// <param name="tenant">The owning tenant.</param>
    /// <param name="id">The new list's id.</param>
    /// <param name="details">Validated details.</param>
    /// <param name="now">The creation time.</param>
    internal static ContactList Create(TenantId tenant, ListId id, ListDetails details, DateTimeOffset now)
    {
        Guard.Against.DefaultTenant(tenant);
        Guard.Against.Null(details);
        Guard.Against.EmptyId(id.Value, "The list id must not be empty.", nameof(id));

        var list = new ContactList
        {
            Id = id,
            Tenant = tenant,
            Kind = details.Kind,
            CreatedAt = now,
            UpdatedAt = now,
            Version = 1,
            _versionAdvanced = true,
        };
        list.Apply(details, []);
        return list;
    }

    /// <summary>Replaces the editable details; integrations that stay keep their sync state.</summary>
    /// <param name="details">Validated details.</param>
    /// <param name="now">The time of the change.</param>
    /// <returns>The fields that changed; empty when nothing did.</returns>
    /// <exception cref="ValidationFailedException">The details change the list's kind.</exception>
    internal IReadOnlyList<FieldChange> Update(ListDetails details, DateTimeOffset now)
    {
        Guard.Against.Null(details);
        if (details.Kind != Kind)
        {
            throw new ValidationFailedException(new FieldError("kind", "kind_fixed", $"kind cannot change: the list is {Kind}; create a new list instead."));
        }

        var previous = Integrations;
        return Change(() => Apply(details, previous), now);
    }

    /// <summary>Records the state of one integration's synchronization.</summary>
    /// <param name="system">The integration's system.</param>
    /// <param name="update">The new state.</param>
    /// <param name="now">The time of the change.</param>
    /// <returns>The fields that changed.</returns>
    /// <exception cref="EntityNotFoundException">The list has no integration with that system.</exception>
    /// <exception cref="ValidationFailedException">The status is not defined or the message is too long.</exception>
    internal IReadOnlyList<FieldChange> SetSyncState(string system, SyncStatusUpdate update, DateTimeOffset now)
    {
        Guard.Against.Null(update);
        var key = Slug.Normalize(system, out _);
        var index = key is null ? -1 : Integrations.ToList().FindIndex(i => i.System == key);
        if (index < 0)
        {
            throw new EntityNotFoundException("list integration", $"{Id}/{system}");
        }

        var errors = new List<FieldError>();
        if (!Enum.IsDefined(update.Status))
        {
            errors.Add(new FieldError("status", "invalid_status", "status must be NeverSynced, Pending, InProgress, Succeeded or Failed."));
        }

        var message = Text.CleanMultiline(update.Message, "message", ListDetails.MaxValueLength, errors);
        if (errors.Count > 0)
        {
            throw new ValidationFailedException(errors);
        }

        var current = Integrations[index];
        var next = current with { Status = update.Status, LastSyncAt = update.SyncedAt ?? current.LastSyncAt, Message = message };
        return Change(() => Integrations = [.. Integrations.Select((i, n) => n == index ? next : i)], now);
    }

    /// <summary>Describes every field as audit text, for a created or deleted entry.</summary>
    /// <param name="deleted">True to describe a deletion (old → null), false a creation (null → new).</param>
    internal IReadOnlyList<FieldChange> DescribeAll(bool deleted)
        => deleted ? ContactSnapshot.Diff(Describe(), ContactSnapshot.Nothing) : ContactSnapshot.Diff(ContactSnapshot.Nothing, Describe());

    /// <summary>Rebuilds a stored list from trusted state (stores that keep rows). Nothing is audited; the version does not move.</summary>
    internal static ContactList Restore(TenantId tenant, ListId id, ListDetails details, long memberCount, DateTimeOffset createdAt, DateTimeOffset updatedAt, long version)
    {
        var list = new ContactList
        {
            Id = id,
            Tenant = tenant,
            Kind = details.Kind,
            MemberCount = memberCount,
            CreatedAt = createdAt,
            UpdatedAt = updatedAt,
            Version = version,
        };
        list.Name = details.Name;
        list.NameKey = KeyOf(details.Name);
        list.Description = details.Description;
        list.Criteria = details.Criteria;
        list.CommunicationMethod = details.CommunicationMethod;
        list.Integrations = details.Integrations;
        list.Tags = details.Tags;
        return list;
    }

    /// <summary>An independent copy with the same state and the given member count, for stores that keep objects.</summary>
    internal ContactList Copy(long memberCount)
    {
        var copy = (ContactList)MemberwiseClone();
        copy._versionAdvanced = false;
        copy.MemberCount = memberCount;
        return copy;
    }

    /// <summary>The details as they are now (integrations with their sync state).</summary>
    internal ListDetails Details => ListDetails.Restore(Name, Description, Kind, Criteria, CommunicationMethod, Integrations, Tags);

    private SortedDictionary<string, string> Describe()
    {
        var fields = new SortedDictionary<string, string>(StringComparer.Ordinal);
        ContactSnapshot.Add(fields, "name", Name);
        ContactSnapshot.Add(fields, "description", Description);
        ContactSnapshot.Add(fields, "kind", Kind.ToString());
        ContactSnapshot.Add(fields, "criteria", Criteria?.ToString());
        if (CommunicationMethod is { } method)
        {
            ContactSnapshot.Add(fields, "communicationMethod.channel", method.Channel.Value);
            foreach (var (name, value) in method.Settings)
            {
                ContactSnapshot.Add(fields, $"communicationMethod.settings.{name}", value);
            }
        }

        foreach (var integration in Integrations)
        {
            var prefix = $"integrations.{integration.System}";
            ContactSnapshot.Add(fields, $"{prefix}.direction", integration.Direction.ToString());
            foreach (var (name, value) in integration.FieldMapping)
            {
                ContactSnapshot.Add(fields, $"{prefix}.fieldMapping.{name}", value);
            }

            ContactSnapshot.Add(fields, $"{prefix}.syncStatus", integration.Status.ToString());
            ContactSnapshot.Add(fields, $"{prefix}.lastSyncAt", integration.LastSyncAt?.ToString("O", CultureInfo.InvariantCulture));
            ContactSnapshot.Add(fields, $"{prefix}.syncMessage", integration.Message);
        }

        ContactSnapshot.Add(fields, "tags", ContactSnapshot.DescribeTags(Tags));
        return fields;
    }

    private List<FieldChange> Change(Action apply, DateTimeOffset now)
    {
        var before = Describe();
        apply();
        var changes = ContactSnapshot.Diff(before, Describe());
        if (changes.Count > 0)
        {
            UpdatedAt = now;
            if (!_versionAdvanced)
            {
                Version++;
                _versionAdvanced = true;
            }
        }

        return changes;
    }

    private void Apply(ListDetails details, IReadOnlyList<ListIntegration> previous)
    {
        Name = details.Name;
        NameKey = KeyOf(details.Name);
        Description = details.Description;
        Criteria = details.Criteria;
        CommunicationMethod = details.CommunicationMethod;
        Tags = details.Tags;
        Integrations = [.. details.Integrations.Select(i => previous.FirstOrDefault(p => p.System == i.System) is { } kept
            ? i with { Status = kept.Status, LastSyncAt = kept.LastSyncAt, Message = kept.Message }
            : i)];
    }
}
