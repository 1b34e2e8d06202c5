namespace Datum.Contacts;

/// <summary>
/// A value that may be left out of a partial update. <c>default</c> means "leave unchanged"; any assigned value,
/// <c>null</c> included, means "set to this".
/// </summary>
/// <typeparam name="T">The value type.</typeparam>
[System.Diagnostics.CodeAnalysis.SuppressMessage("Naming", "CA1716", Justification = "The C# name for an optional value; no VB consumers are targeted.")]
public readonly struct Optional<T> : IEquatable<Optional<T>>
{
    private readonly T _value;

    /// <summary>Creates an optional that holds <paramref name="value"/>.</summary>
    /// <param name="value">The value to set.</param>
    public Optional(T value)
    {
        _value = value;
        HasValue = true;
    }

    /// <summary>Whether a value was given.</summary>
    public bool HasValue { get; }

    /// <summary>The value given; throws when none was.</summary>
    public T Value => HasValue ? _value : throw new InvalidOperationException("No value was given for this optional.");

    /// <summary>The value given, or <paramref name="fallback"/> when none was.</summary>
    /// <param name="fallback">The value to use when none was given.</param>
    public T GetValueOrDefault(T fallback) => HasValue ? _value : fallback;

    /// <summary>Wraps a value.</summary>
    /// <param name="value">The value to set.</param>
#pragma warning disable CA2225 // The constructor is the named alternative.
    public static implicit operator Optional<T>(T value) => new(value);
#pragma warning restore CA2225

    /// <inheritdoc />
    public bool Equals(Optional<T> other)
        => HasValue == other.HasValue && (!HasValue || EqualityComparer<T>.Default.Equals(_value, other._value));

    /// <inheritdoc />
    public override bool Equals(object? obj) => obj is Optional<T> other && Equals(other);

    /// <inheritdoc />
    public override int GetHashCode() => HasValue ? HashCode.Combine(true, _value) : 0;

    /// <summary>Compares two optionals.</summary>
    /// <param name="left">The first.</param>
    /// <param name="right">The second.</param>
    public static bool operator ==(Optional<T> left, Optional<T> right) => left.Equals(right);

    /// <summary>Compares two optionals.</summary>
    /// <param name="left">The first.</param>
    /// <param name="right">The second.</param>
    public static bool operator !=(Optional<T> left, Optional<T> right) => !left.Equals(right);

    /// <inheritdoc />
    public override string ToString() => HasValue ? _value?.ToString() ?? "null" : "(unset)";
}
