using System.Diagnostics.CodeAnalysis;
using System.Runtime.CompilerServices;

namespace Datum.Contacts;

/// <summary>
/// The domain's own guard clauses, beside Ardalis.GuardClauses' <c>Guard.Against.*</c>: every public entry point of
/// the core checks its arguments with <c>Guard.Against</c>, and the checks the library does not know live here.
/// Each throws the BCL's argument exception a programmer mistake deserves, named after the caller's parameter.
/// </summary>
internal static class DomainGuards
{
    /// <summary>Throws <see cref="ArgumentException"/> when <paramref name="tenant"/> is the default (uninitialized) value.</summary>
    /// <param name="guard">The guard clause.</param>
    /// <param name="tenant">The tenant to check.</param>
    /// <param name="parameterName">The caller's parameter name.</param>
    /// <returns><paramref name="tenant"/>.</returns>
    public static TenantId DefaultTenant(this IGuardClause guard, TenantId tenant, [CallerArgumentExpression(nameof(tenant))] string? parameterName = null)
        => tenant.IsDefault
            ? throw new ArgumentException("The tenant id is the default value; create one with TenantId.Parse.", parameterName)
            : tenant;

    /// <summary>Throws <see cref="ArgumentOutOfRangeException"/> when <paramref name="value"/> is not a named member of its enum.</summary>
    /// <typeparam name="TEnum">The enum type.</typeparam>
    /// <param name="guard">The guard clause.</param>
    /// <param name="value">The value to check.</param>
    /// <param name="message">What the value is, e.g. "Unknown contact status.".</param>
    /// <param name="parameterName">The caller's parameter name.</param>
    /// <returns><paramref name="value"/>.</returns>
    public static TEnum UndefinedEnum<TEnum>(this IGuardClause guard, TEnum value, string message, [CallerArgumentExpression(nameof(value))] string? parameterName = null)
        where TEnum : struct, Enum
        => Enum.IsDefined(value) ? value : throw new ArgumentOutOfRangeException(parameterName, value, message);

    /// <summary>Throws <see cref="ArgumentException"/> when <paramref name="id"/> is <see cref="Guid.Empty"/>.</summary>
    /// <param name="guard">The guard clause.</param>
    /// <param name="id">The identifier to check.</param>
    /// <param name="message">What must not be empty, e.g. "The contact id must not be empty.".</param>
    /// <param name="parameterName">The caller's parameter name.</param>
    /// <returns><paramref name="id"/>.</returns>
    public static Guid EmptyId(this IGuardClause guard, Guid id, string message, [CallerArgumentExpression(nameof(id))] string? parameterName = null)
        => id == Guid.Empty ? throw new ArgumentException(message, parameterName) : id;

    /// <summary>Throws <see cref="ArgumentException"/> when <paramref name="condition"/> holds: an argument rule no other guard names.</summary>
    /// <param name="guard">The guard clause.</param>
    /// <param name="condition">Whether the argument is wrong.</param>
    /// <param name="message">What is wrong.</param>
    /// <param name="parameterName">The parameter at fault.</param>
    public static void InvalidArgument(this IGuardClause guard, [DoesNotReturnIf(true)] bool condition, string message, string? parameterName)
    {
        if (condition)
        {
            throw new ArgumentException(message, parameterName);
        }
    }
}
