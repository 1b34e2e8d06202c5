namespace Datum.Contacts;

/// <summary>The kind of party that makes a change.</summary>
public enum ActorKind
{
    /// <summary>An administrator or staff user of the tenant.</summary>
    AdminUser = 1,

    /// <summary>The contact acting on their own record (self-service).</summary>
    Contact = 2,

    /// <summary>A bulk import.</summary>
    Import = 3,

    /// <summary>The system itself (scheduled jobs, dynamic list evaluation, retention).</summary>
    System = 4,

    /// <summary>An external system connected through an integration.</summary>
    Integration = 5,
}

/// <summary>Who made a change; recorded on every audit entry.</summary>
public sealed record Actor
{
    /// <summary>The longest actor id accepted.</summary>
    public const int MaxIdLength = 256;

    private const string IdField = "actor.id";

    /// <summary>Creates an actor.</summary>
    /// <param name="kind">The kind of party.</param>
    /// <param name="id">The party's identifier in its own system (user id, import job id, integration name).</param>
    /// <exception cref="ValidationFailedException">The id is longer than <see cref="MaxIdLength"/> or holds a control
    /// character, a NUL, a bidirectional control or a broken surrogate pair (field <c>actor.id</c>).</exception>
    public Actor(ActorKind kind, string id)
    {
        Guard.Against.UndefinedEnum(kind, "Unknown actor kind.");

        Guard.Against.NullOrWhiteSpace(id);
        if (id.Length > MaxIdLength)
        {
            throw new ValidationFailedException(Text.TooLong(IdField, MaxIdLength));
        }

        if (Text.FindProblem(id, allowLineBreaks: false) is { } problem)
        {
            // Checked like every other text: a NUL or a lone surrogate would otherwise reach the store with the audit entry.
            throw new ValidationFailedException(Text.InvalidCharacters(IdField, problem));
        }

        Kind = kind;
        Id = id;
    }

    /// <summary>The kind of party.</summary>
    public ActorKind Kind { get; }

    /// <summary>The party's identifier.</summary>
    public string Id { get; }

    /// <summary>The system actor, for changes nobody asked for directly.</summary>
    public static Actor System { get; } = new(ActorKind.System, "system");

    /// <summary>An administrator or staff user.</summary>
    /// <param name="userId">The user's id.</param>
    public static Actor Admin(string userId) => new(ActorKind.AdminUser, userId);

    /// <summary>An import job.</summary>
    /// <param name="importId">The import's id.</param>
    public static Actor Import(string importId) => new(ActorKind.Import, importId);

    /// <summary>An integration.</summary>
    /// <param name="name">The integration's name.</param>
    public static Actor Integration(string name) => new(ActorKind.Integration, name);

    /// <inheritdoc />
    public override string ToString() => $"{Kind}:{Id}";
}
