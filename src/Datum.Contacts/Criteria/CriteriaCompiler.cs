using System.Collections.Concurrent;
using System.Linq.Expressions;
using Microsoft.Extensions.Options;

namespace Datum.Contacts;

/// <summary>
/// Parses criteria with the configured limits and compiles them against a tenant's catalogue. Registered as a
/// singleton by <c>AddContactManagement()</c>; compiled criteria are cached by criteria (structural equality, the same as
/// equal canonical text) and custom field schema.
/// </summary>
public interface ICriteriaCompiler
{
    /// <summary>Parses the text form with the configured <see cref="ContactManagementOptions.Criteria"/> limits.</summary>
    /// <param name="text">The criteria text.</param>
    /// <exception cref="InvalidCriteriaException">The text is not a criteria or exceeds a limit.</exception>
    Criteria Parse(string text);

    /// <summary>Parses the JSON form with the configured limits.</summary>
    /// <param name="json">The criteria JSON.</param>
    /// <exception cref="InvalidCriteriaException">The JSON is not a criteria or exceeds a limit.</exception>
    Criteria ParseJson(string json);

    /// <summary>Binds a criteria to a tenant's fields and compiles it; cached by canonical text and schema.</summary>
    /// <param name="criteria">The criteria.</param>
    /// <param name="schema">The tenant's custom field schema.</param>
    /// <exception cref="InvalidCriteriaException">A field does not exist, an operator does not apply or a value does not convert; every problem is listed.</exception>
    CompiledCriteria Compile(Criteria criteria, CustomFieldSchema schema);

    /// <summary>The catalogue of fields criteria can use for a tenant.</summary>
    /// <param name="schema">The tenant's custom field schema.</param>
    CriteriaCatalog GetCatalog(CustomFieldSchema schema);
}

/// <summary>The criteria compiler. Thread-safe; meant to live as long as the application.</summary>
public sealed class CriteriaCompiler : ICriteriaCompiler
{
    private static readonly ConcurrentDictionary<string, int> SchemaIds = new(StringComparer.Ordinal);
    private static int _lastSchemaId;

    // Keyed by the criteria itself: structural equality (equal trees, however spelt, compile alike) and the hash each
    // tree computes when built, so an equal criteria parsed anew is found without printing it, by one lookup and one
    // walk of the two trees, and the same tree (shared by every copy of a list read from memory) without a walk.
    private readonly ConcurrentDictionary<(Criteria Criteria, int Schema), CompiledCriteria> _cache = new();
    private readonly ICriteriaExtension[] _extensions;

    /// <summary>Creates a compiler outside dependency injection.</summary>
    /// <param name="limits">The bounds on criteria; null for the defaults.</param>
    /// <param name="clock">The clock relative dates are measured from, read at each evaluation; null for the system clock.</param>
    /// <param name="cacheSize">How many compiled criteria to keep; 0 to keep none. When full, the cache starts over.</param>
    /// <param name="extensions">Extensions adding namespaced fields (consent, list membership); none by default.</param>
    public CriteriaCompiler(CriteriaLimits? limits = null, TimeProvider? clock = null, int cacheSize = 1_000, IEnumerable<ICriteriaExtension>? extensions = null)
    {
        Guard.Against.OutOfRange(cacheSize, nameof(cacheSize), 0, int.MaxValue);
        Limits = limits ?? CriteriaLimits.Default;
        var problems = Limits.Validate(nameof(CriteriaLimits)).ToList();
        Guard.Against.InvalidArgument(problems.Count > 0, string.Join(" ", problems), nameof(limits));

        Clock = clock ?? TimeProvider.System;
        CacheSize = cacheSize;
        _extensions = [.. extensions ?? []];
    }

    internal CriteriaCompiler(IOptions<ContactManagementOptions> options, TimeProvider clock, IEnumerable<ICriteriaExtension> extensions)
        : this(options.Value.Criteria, clock, options.Value.MaxCachedCriteria, extensions)
    {
    }

    /// <summary>The bounds enforced.</summary>
    public CriteriaLimits Limits { get; }

    /// <summary>The clock relative dates are measured from.</summary>
    public TimeProvider Clock { get; }

    /// <summary>How many compiled criteria are kept.</summary>
    public int CacheSize { get; }

    /// <inheritdoc />
    public Criteria Parse(string text) => Criteria.Parse(text, Limits);

    /// <inheritdoc />
    public Criteria ParseJson(string json) => Criteria.ParseJson(json, Limits);

    /// <inheritdoc />
    public CriteriaCatalog GetCatalog(CustomFieldSchema schema) => CriteriaCatalog.Create(schema, _extensions);

    /// <inheritdoc />
    public CompiledCriteria Compile(Criteria criteria, CustomFieldSchema schema)
    {
        Guard.Against.Null(criteria);
        Guard.Against.Null(schema);
        var key = (criteria, SchemaId(schema));
        if (CacheSize > 0 && _cache.TryGetValue(key, out var cached))
        {
            // An equal criteria: share the compiled work, but keep the caller's tree (and its positions) for Explain.
            return ReferenceEquals(cached.Criteria, criteria) ? cached : cached.For(criteria);
        }

        var bound = CriteriaBinder.Bind(criteria, GetCatalog(schema), Limits);
        var predicate = new CriteriaExpressionBuilder(Clock, forQuery: false).Build(bound).Compile();
        var compiled = new CompiledCriteria(criteria, bound, predicate, Clock);
        if (CacheSize > 0)
        {
            if (_cache.Count >= CacheSize)
            {
                _cache.Clear();
            }

            _cache.TryAdd(key, compiled);
        }

        return compiled;
    }

    /// <summary>
    /// A small number standing for a schema's exact definitions, memoized on the schema, so a cache lookup hashes
    /// the criteria and an int rather than every definition.
    /// </summary>
    private static int SchemaId(CustomFieldSchema schema)
    {
        if (schema.CacheId is { } id)
        {
            return id;
        }

        var signature = string.Join('\n', schema.Definitions.OrderBy(d => d.Name, StringComparer.Ordinal).Select(d => $"{d.Name}:{d.Type}"));
        if (SchemaIds.TryGetValue(signature, out id))
        {
            schema.CacheId = id;
            return id;
        }

        // Counting takes every lock of the dictionary: only on a new signature.
        if (SchemaIds.Count > 100_000)
        {
            SchemaIds.Clear();
        }

        id = SchemaIds.GetOrAdd(signature, _ => Interlocked.Increment(ref _lastSchemaId));
        schema.CacheId = id;
        return id;
    }
}

/// <summary>
/// A criteria bound to a tenant's catalogue and compiled: test contacts in memory with <see cref="Matches"/>,
/// hand <see cref="Expression"/> to a query provider, or ask <see cref="Explain"/> why a contact matches or not.
/// </summary>
public sealed class CompiledCriteria
{
    private readonly BoundNode _bound;
    private readonly TimeProvider _clock;

    // Built on first use and shared by every copy made for an equal criteria (For), so a list's first refresh compiles
    // its scanning loop once for all of them.
    private readonly BuiltOnUse _built;

    internal CompiledCriteria(Criteria criteria, BoundNode bound, Func<Contact, bool> predicate, TimeProvider clock)
        : this(criteria, bound, predicate, clock, new BuiltOnUse())
    {
    }

    private CompiledCriteria(Criteria criteria, BoundNode bound, Func<Contact, bool> predicate, TimeProvider clock, BuiltOnUse built)
    {
        Criteria = criteria;
        _bound = bound;
        Predicate = predicate;
        _clock = clock;
        _built = built;
    }

    /// <summary>The criteria compiled.</summary>
    public Criteria Criteria { get; }

    /// <summary>The compiled test. Relative dates read the clock at each call.</summary>
    public Func<Contact, bool> Predicate { get; }

    /// <summary>
    /// The criteria as an expression for query providers: every value is a member of a constant object (so a
    /// provider makes it a parameter), relative dates are calls on the clock that a provider evaluates once per query,
    /// and nothing else is reachable. Built on first use.
    /// </summary>
    public Expression<Func<Contact, bool>> Expression
        => _built.Expression ??= new CriteriaExpressionBuilder(_clock, forQuery: true).Build(_bound);

    /// <summary>Whether a contact matches.</summary>
    /// <param name="contact">The contact.</param>
    public bool Matches(Contact contact)
    {
        Guard.Against.Null(contact);
        return Predicate(contact);
    }

    /// <summary>
    /// Counts the contacts that match. Faster than calling <see cref="Predicate"/> on each, because the test is
    /// compiled into the loop (on first use).
    /// </summary>
    /// <param name="contacts">The contacts; none may be null.</param>
    /// <exception cref="ArgumentException">An element is null.</exception>
    public int CountMatches(ArraySegment<Contact> contacts) => Scan(contacts, null);

    /// <summary>
    /// Finds the contacts that match, as <see cref="CountMatches"/> does, and writes their positions in
    /// <paramref name="contacts"/> (in order) to the start of <paramref name="matches"/>.
    /// </summary>
    /// <param name="contacts">The contacts; none may be null.</param>
    /// <param name="matches">Receives the positions; at least as long as <paramref name="contacts"/>.</param>
    /// <returns>How many matched: the number of positions written.</returns>
    /// <exception cref="ArgumentException"><paramref name="matches"/> is too short, or an element is null.</exception>
    public int FindMatches(ArraySegment<Contact> contacts, int[] matches)
    {
        Guard.Against.Null(matches);
        if (matches.Length < contacts.Count)
        {
            throw new ArgumentException($"The array for the matches holds {matches.Length} positions, fewer than the {contacts.Count} contacts.", nameof(matches));
        }

        return Scan(contacts, matches);
    }

    private int Scan(ArraySegment<Contact> contacts, int[]? matches)
    {
        if (contacts.Array is not { } array || contacts.Count == 0)
        {
            return 0;
        }

        // The compiled loop runs over a whole array (so the JIT can drop bounds checks); a slice is copied first.
        var source = contacts.Offset == 0 && contacts.Count == array.Length ? array : contacts.ToArray();
        var scan = matches is null
            ? _built.Count ??= new CriteriaExpressionBuilder(_clock, forQuery: false).BuildScan(_bound, find: false).Compile()
            : _built.Find ??= new CriteriaExpressionBuilder(_clock, forQuery: false).BuildScan(_bound, find: true).Compile();
        try
        {
            return scan(source, matches);
        }
        catch (NullReferenceException) when (Array.IndexOf(source, null) >= 0)
        {
            throw new ArgumentException($"The contact at position {Array.IndexOf(source, null)} is null.", nameof(contacts));
        }
    }

    /// <summary>Says, condition by condition, whether a contact matched and what value it had.</summary>
    /// <param name="contact">The contact.</param>
    public CriteriaExplanation Explain(Contact contact)
    {
        Guard.Against.Null(contact);
        var now = _clock.GetUtcNow();
        var conditions = new List<CriteriaConditionExplanation>();
        CriteriaInterpreter.Explain(_bound, Criteria, contact, now, conditions);
        return new CriteriaExplanation(CriteriaInterpreter.Evaluate(_bound, contact, now), conditions);
    }

    /// <summary>The same compiled work for an equal criteria parsed elsewhere (its positions differ).</summary>
    internal CompiledCriteria For(Criteria criteria) => new(criteria, _bound, Predicate, _clock, _built);

    /// <summary>Evaluates with the reference interpreter instead of the compiled delegate (tests and benchmarks compare the two).</summary>
    internal bool Interpret(Contact contact, DateTimeOffset now) => CriteriaInterpreter.Evaluate(_bound, contact, now);

    /// <inheritdoc />
    public override string ToString() => Criteria.ToString();

    private sealed class BuiltOnUse
    {
        public Expression<Func<Contact, bool>>? Expression;
        public CriteriaScan? Count;
        public CriteriaScan? Find;
    }
}

/// <summary>Why a contact does or does not match a criteria.</summary>
/// <param name="Matched">Whether the whole criteria matched.</param>
/// <param name="Conditions">Every condition in order, with its own result.</param>
public sealed record CriteriaExplanation(bool Matched, IReadOnlyList<CriteriaConditionExplanation> Conditions);

/// <summary>One condition's result for one contact.</summary>
/// <param name="Condition">The condition in canonical text, such as <c>status = "active"</c>.</param>
/// <param name="Field">The field's canonical name.</param>
/// <param name="Matched">Whether the condition held on its own (before any enclosing <c>not</c>).</param>
/// <param name="Value">The value the contact had, as people read it; null when it had none.</param>
/// <param name="Location">Where the condition is in the parsed criteria; null when built in code.</param>
public sealed record CriteriaConditionExplanation(string Condition, string Field, bool Matched, string? Value, CriteriaLocation? Location);
