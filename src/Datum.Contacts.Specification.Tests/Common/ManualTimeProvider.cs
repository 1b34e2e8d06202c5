namespace Datum.Contacts.Specification.Tests;

/// <summary>A clock the tests move by hand; each reading advances it by <see cref="Step"/> so that successive events are ordered.</summary>
public sealed class ManualTimeProvider : TimeProvider
{
    private readonly Lock _gate = new();
    private DateTimeOffset _now;

    /// <summary>Creates a clock.</summary>
    /// <param name="start">The first time it reads.</param>
    public ManualTimeProvider(DateTimeOffset start) => _now = start;

    /// <summary>How far each reading moves the clock on; zero to stand still.</summary>
    public TimeSpan Step { get; set; } = TimeSpan.FromMilliseconds(1);

    /// <inheritdoc />
    public override DateTimeOffset GetUtcNow()
    {
        lock (_gate)
        {
            var now = _now;
            _now += Step;
            return now;
        }
    }

    /// <summary>Moves the clock on.</summary>
    /// <param name="by">How far.</param>
    public void Advance(TimeSpan by)
    {
        lock (_gate)
        {
            _now += by;
        }
    }
}
