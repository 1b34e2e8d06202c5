using System.Diagnostics.CodeAnalysis;

namespace Datum.Contacts;

/// <summary>
/// Identifies the tenant that owns an aggregate. Every read and write is scoped to exactly one tenant.
/// </summary>
/// <remarks>1 to 64 characters of ASCII letters, digits, '-', '_' and '.'; compared ordinally.</remarks>
public readonly record struct TenantId
{
    /// <summary>The longest tenant id accepted.</summary>
    public const int MaxLength = 64;

    private readonly string? _value;

    private TenantId(string value) => _value = value;

    /// <summary>The tenant id text.</summary>
    public string Value => _value ?? throw new InvalidOperationException("This TenantId is the default value; create one with TenantId.Parse.");

    /// <summary>Parses a tenant id, throwing <see cref="ValidationFailedException"/> on the field <c>tenant</c> when malformed.</summary>
    /// <param name="value">The tenant id text.</param>
    public static TenantId Parse(string? value)
    {
        if (TryParse(value, out var tenant, out var error))
        {
            return tenant;
        }

        throw new ValidationFailedException(new FieldError("tenant", "invalid_tenant", error));
    }

    /// <summary>Tries to parse a tenant id.</summary>
    /// <param name="value">The tenant id text.</param>
    /// <param name="tenant">The parsed tenant id.</param>
    /// <param name="error">Why the text is not a tenant id.</param>
    public static bool TryParse([NotNullWhen(true)] string? value, out TenantId tenant, [NotNullWhen(false)] out string? error)
    {
        tenant = default;
        if (string.IsNullOrEmpty(value))
        {
            error = "The tenant id is required.";
            return false;
        }

        if (value.Length > MaxLength)
        {
            error = $"The tenant id must be at most {MaxLength} characters long.";
            return false;
        }

        foreach (var c in value)
        {
            if (!(char.IsAsciiLetterOrDigit(c) || c is '-' or '_' or '.'))
            {
                error = "The tenant id may contain only ASCII letters, digits, '-', '_' and '.'.";
                return false;
            }
        }

        tenant = new TenantId(value);
        error = null;
        return true;
    }

    /// <summary>Whether this is the default (uninitialized) value.</summary>
    internal bool IsDefault => _value is null;

    /// <summary>Throws when this is the default (uninitialized) value; the same as <c>Guard.Against.DefaultTenant</c>.</summary>
    /// <param name="tenant">The tenant to check.</param>
    /// <param name="paramName">The caller's parameter name.</param>
    internal static void ThrowIfDefault(TenantId tenant, [System.Runtime.CompilerServices.CallerArgumentExpression(nameof(tenant))] string? paramName = null)
        => Guard.Against.DefaultTenant(tenant, paramName);

    /// <inheritdoc />
    public override string ToString() => _value ?? string.Empty;
}
