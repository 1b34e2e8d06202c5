using System.Runtime.CompilerServices;
using BenchmarkDotNet.Attributes;
using ParsedCriteria = Datum.Contacts.Criteria;

namespace Datum.Contacts.Benchmarks;

/// <summary>
/// Turning criteria text into something that evaluates: parsing, parsing and binding, parsing, binding and
/// compiling to a delegate, and the compiler's cache hit; beside them System.Linq.Dynamic.Core's parse and
/// parse + compile of the same criteria. The three <see cref="CriteriaCase"/>s; no contacts.
/// </summary>
[MemoryDiagnoser]
public class CriteriaCompileBenchmarks
{
    private readonly CriteriaCompiler _uncached = new(cacheSize: 0);
    private readonly CriteriaCompiler _cached = new();
    private readonly CustomFieldSchema _schema = CriteriaData.Schema;
    private string _text = string.Empty;
    private string _dynamicLinqText = string.Empty;
    private ParsedCriteria _parsed = null!;

    /// <summary>Which criteria.</summary>
    [ParamsSource(nameof(Cases))]
    public CriteriaCase Criteria { get; set; }

    /// <summary>The criteria to run (see <see cref="CriteriaData.Cases"/>).</summary>
    public static IEnumerable<CriteriaCase> Cases() => CriteriaData.Cases();

    /// <summary>Parses the criteria once and warms the caching compiler up with it.</summary>
    [GlobalSetup]
    public void Setup()
    {
        _text = CriteriaData.Text(Criteria);
        _dynamicLinqText = DynamicLinqCriteria.Text(Criteria);
        _parsed = ParsedCriteria.Parse(_text);
        var first = _cached.Compile(_parsed, _schema);
        if (!ReferenceEquals(first, _cached.Compile(_parsed, _schema)))
        {
            throw new InvalidOperationException("The caching compiler did not return its cached compiled criteria.");
        }

        if (ReferenceEquals(_uncached.Compile(_parsed, _schema), _uncached.Compile(_parsed, _schema)))
        {
            throw new InvalidOperationException("The compiler with cacheSize 0 returned a cached compiled criteria.");
        }
    }

    /// <summary><see cref="ParsedCriteria.Parse"/> of the text (default limits).</summary>
    [Benchmark]
    public ParsedCriteria Parse() => ParsedCriteria.Parse(_text);

    /// <summary>Parse, then bind to the tenant's catalogue (built each time, as the compiler does): fields resolved, operators checked, values converted.</summary>
    [Benchmark]
    public object ParseBind() => CriteriaBinder.Bind(ParsedCriteria.Parse(_text), CriteriaCatalog.Create(_schema), CriteriaLimits.Default);

    /// <summary>Parse, bind, build the expression tree and compile it to a delegate, on a compiler that caches nothing.</summary>
    [Benchmark]
    public CompiledCriteria ParseBindCompile() => _uncached.Compile(ParsedCriteria.Parse(_text), _schema);

    /// <summary><see cref="CriteriaCompiler.Compile"/> of an already parsed criteria the compiler has compiled before: a cache hit.</summary>
    [Benchmark]
    public CompiledCriteria CachedCompile() => _cached.Compile(_parsed, _schema);

    /// <summary>
    /// Parse, then <see cref="CriteriaCompiler.Compile"/> of the new tree, equal to one the compiler compiled before (as a
    /// store that reads a list's criteria text and parses it does): the parse plus a cache hit by equal criteria.
    /// </summary>
    [Benchmark]
    public CompiledCriteria ParseCachedCompile() => _cached.Compile(ParsedCriteria.Parse(_text), _schema);

    /// <summary>The peer: <c>DynamicExpressionParser.ParseLambda</c> of the same criteria in Dynamic LINQ's text (see <see cref="DynamicLinqCriteria"/>), giving an expression tree.</summary>
    [Benchmark]
    public System.Linq.Expressions.LambdaExpression DynamicLinqParse() => DynamicLinqCriteria.Parse(_dynamicLinqText);

    /// <summary>The peer's full cost of a new criteria: <c>ParseLambda</c>, then <c>Compile()</c> to a delegate.</summary>
    [Benchmark]
    public Func<Contact, bool> DynamicLinqParseCompile() => DynamicLinqCriteria.Compile(_dynamicLinqText);
}

/// <summary>
/// <see cref="CriteriaCompiler.Compile"/> of criteria parsed anew, each equal to one the compiler compiled before, without
/// the parse: each invocation compiles <see cref="Copies"/> trees parsed in the iteration's setup, each for the first time.
/// </summary>
[MemoryDiagnoser]
public class CriteriaCompileOfEqualTextBenchmarks
{
    /// <summary>How many equal trees each invocation compiles.</summary>
    public const int Copies = 100;

    private readonly CustomFieldSchema _schema = CriteriaData.Schema;
    private readonly ParsedCriteria[] _copies = new ParsedCriteria[Copies];
    private CriteriaCompiler _compiler = new();

    /// <summary>Which criteria.</summary>
    [ParamsSource(nameof(Cases))]
    public CriteriaCase Criteria { get; set; }

    /// <summary>The criteria to run (see <see cref="CriteriaData.Cases"/>).</summary>
    public static IEnumerable<CriteriaCase> Cases() => CriteriaData.Cases();

    /// <summary>A new compiler that has compiled the criteria once, and <see cref="Copies"/> trees of the same text parsed anew.</summary>
    [IterationSetup]
    public void Setup()
    {
        var text = CriteriaData.Text(Criteria);
        _compiler = new CriteriaCompiler();
        var first = _compiler.Compile(ParsedCriteria.Parse(text), _schema);
        for (var i = 0; i < Copies; i++)
        {
            _copies[i] = ParsedCriteria.Parse(text);
        }

        if (_compiler.Compile(ParsedCriteria.Parse(text), _schema).Predicate != first.Predicate)
        {
            throw new InvalidOperationException("An equal criteria parsed anew was compiled again instead of found in the cache.");
        }
    }

    /// <summary>Compiles each tree parsed anew: a cache hit by equal criteria.</summary>
    [Benchmark(OperationsPerInvoke = Copies)]
    public CompiledCriteria? CompileEqualTextParsedAnew()
    {
        CompiledCriteria? last = null;
        foreach (var copy in _copies)
        {
            last = _compiler.Compile(copy, _schema);
        }

        return last;
    }
}

/// <summary>
/// Evaluating a criteria over <see cref="CriteriaData.ContactCount"/> contacts, counting the matches. Every
/// invocation goes through all of them and counts as that many operations, so the results read per contact.
/// The hand-written C# lambda is the baseline of each criteria; beside it the pre-folded lambda, System.Linq.Dynamic.Core,
/// our compiled delegate and scan, and the reference interpreter.
/// </summary>
[MemoryDiagnoser]
public class CriteriaEvaluationBenchmarks
{
    private Contact[] _contacts = [];
    private CompiledCriteria _compiled = null!;
    private Func<Contact, bool> _predicate = _ => false;
    private Func<Contact, bool> _handWritten = _ => false;
    private Func<Contact, bool> _preFolded = _ => false;
    private Func<Contact, bool> _dynamicLinq = _ => false;
    private DateTimeOffset _now;

    /// <summary>Which criteria.</summary>
    [ParamsSource(nameof(Cases))]
    public CriteriaCase Criteria { get; set; }

    /// <summary>The criteria to run (see <see cref="CriteriaData.Cases"/>).</summary>
    public static IEnumerable<CriteriaCase> Cases() => CriteriaData.Cases();

    /// <summary>
    /// Generates the contacts (once per process), checks that the three evaluators agree on every contact for
    /// every criteria (printing the match counts), and compiles the criteria.
    /// </summary>
    [GlobalSetup]
    public void Setup()
    {
        _contacts = CriteriaData.Contacts;
        CriteriaData.EnsureEvaluatorsAgree();
        var compiler = new CriteriaCompiler();
        _compiled = compiler.Compile(compiler.Parse(CriteriaData.Text(Criteria)), CriteriaData.Schema);
        _predicate = _compiled.Predicate;
        _handWritten = CriteriaData.HandWritten(Criteria);
        _preFolded = CriteriaData.PreFolded(Criteria);
        _dynamicLinq = DynamicLinqCriteria.Compile(DynamicLinqCriteria.Text(Criteria));
        _now = TimeProvider.System.GetUtcNow();
    }

    /// <summary>The hand-written C# lambda (see <see cref="CriteriaData.HandWritten"/>), called through its delegate.</summary>
    [Benchmark(Baseline = true, OperationsPerInvoke = CriteriaData.ContactCount)]
    public int HandWrittenLambda() => CountWith(_handWritten);

    /// <summary>The hand-written lambda reading the contact's pre-folded text (see <see cref="CriteriaData.PreFolded"/>), called through its delegate.</summary>
    [Benchmark(OperationsPerInvoke = CriteriaData.ContactCount)]
    public int PreFoldedLambda() => CountWith(_preFolded);

    /// <summary>The same criteria parsed by System.Linq.Dynamic.Core and compiled (see <see cref="DynamicLinqCriteria"/>), called through its delegate.</summary>
    [Benchmark(OperationsPerInvoke = CriteriaData.ContactCount)]
    public int DynamicLinq() => CountWith(_dynamicLinq);

    /// <summary>The compiled criteria's <see cref="CompiledCriteria.Predicate"/>.</summary>
    [Benchmark(OperationsPerInvoke = CriteriaData.ContactCount)]
    public int CompiledDelegate() => CountWith(_predicate);

    /// <summary>
    /// The compiled criteria's batch entry point, <see cref="CompiledCriteria.CountMatches"/>: the same test
    /// compiled into the scanning loop (the entry point for scans over arrays of contacts, such as a full list refresh).
    /// </summary>
    [Benchmark(OperationsPerInvoke = CriteriaData.ContactCount)]
    public int CompiledScan() => _compiled.CountMatches(_contacts);

    /// <summary>The reference interpreter (<c>CompiledCriteria.Interpret</c>), which walks the bound tree and folds text on the spot.</summary>
    [Benchmark(OperationsPerInvoke = CriteriaData.ContactCount)]
    public int ReferenceInterpreter()
    {
        var compiled = _compiled;
        var now = _now;
        var matches = 0;
        foreach (var contact in _contacts)
        {
            if (compiled.Interpret(contact, now))
            {
                matches++;
            }
        }

        return matches;
    }

    // One loop for every evaluator called through a delegate, inlined into each benchmark so all measure the same shape.
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private int CountWith(Func<Contact, bool> test)
    {
        var matches = 0;
        foreach (var contact in _contacts)
        {
            if (test(contact))
            {
                matches++;
            }
        }

        return matches;
    }
}
