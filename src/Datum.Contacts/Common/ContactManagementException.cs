namespace Datum.Contacts;

/// <summary>
/// The base of every expected business failure raised by Datum.Contacts. Catch it to map failures to
/// responses (400, 404, 409...) by <see cref="Code"/>; programmer mistakes throw the BCL's argument exceptions instead.
/// </summary>
public abstract class ContactManagementException : Exception
{
    /// <summary>Creates the exception.</summary>
    /// <param name="code">A stable, machine-readable code.</param>
    /// <param name="message">A human-readable message that names the field and the rule.</param>
    /// <param name="innerException">The cause, if any.</param>
    protected ContactManagementException(string code, string message, Exception? innerException = null)
        : base(message, innerException)
    {
        Code = code;
    }

    /// <summary>A stable, machine-readable code, such as <c>validation_failed</c> or <c>concurrency_conflict</c>.</summary>
    public string Code { get; }
}

/// <summary>One problem with one input field.</summary>
/// <param name="Field">The field's path, such as <c>email</c>, <c>preferences.timeZone</c> or <c>customFields.birthday</c>.</param>
/// <param name="Code">A stable code for the rule that failed, such as <c>invalid_email</c> or <c>too_long</c>.</param>
/// <param name="Message">What is wrong, naming the field and the rule.</param>
public sealed record FieldError(string Field, string Code, string Message)
{
    /// <inheritdoc />
    public override string ToString() => $"{Field}: {Message}";
}

/// <summary>Input was rejected; <see cref="Errors"/> lists every problem found, not just the first.</summary>
public sealed class ValidationFailedException : ContactManagementException
{
    /// <summary>Creates the exception from one or more field errors.</summary>
    /// <param name="errors">The problems found.</param>
    public ValidationFailedException(IEnumerable<FieldError> errors)
        : this(errors.ToArray())
    {
    }

    /// <summary>Creates the exception from one or more field errors.</summary>
    /// <param name="errors">The problems found.</param>
    public ValidationFailedException(params FieldError[] errors)
        : base("validation_failed", BuildMessage(errors))
    {
        Errors = errors;
    }

    /// <summary>Every problem found.</summary>
    public IReadOnlyList<FieldError> Errors { get; }

    private static string BuildMessage(FieldError[] errors)
    {
        Guard.Against.Null(errors);
        Guard.Against.InvalidArgument(errors.Length == 0, "At least one error is required.", nameof(errors));

        return errors.Length == 1
            ? $"Validation failed: {errors[0]}"
            : $"Validation failed with {errors.Length} errors: " + string.Join("; ", errors.Select(e => e.ToString()));
    }
}

/// <summary>The requested aggregate does not exist in the tenant (or belongs to another tenant, which reads the same).</summary>
public sealed class EntityNotFoundException : ContactManagementException
{
    /// <summary>Creates the exception.</summary>
    /// <param name="entityType">The aggregate type, such as <c>contact</c>.</param>
    /// <param name="entityId">The id that was asked for.</param>
    public EntityNotFoundException(string entityType, string entityId)
        : base("not_found", $"No {entityType} with id '{entityId}' exists in this tenant.")
    {
        EntityType = entityType;
        EntityId = entityId;
    }

    /// <summary>The aggregate type.</summary>
    public string EntityType { get; }

    /// <summary>The id that was asked for.</summary>
    public string EntityId { get; }
}

/// <summary>Another contact of the tenant already has this email address.</summary>
/// <remarks>The message never prints the address, so that it can be logged safely.</remarks>
public sealed class DuplicateEmailException : ContactManagementException
{
    /// <summary>Creates the exception.</summary>
    /// <param name="existingContactId">The contact that already holds the address, when known.</param>
    public DuplicateEmailException(ContactId? existingContactId)
        : base("duplicate_email", existingContactId is { } id
            ? $"email: another contact of this tenant ({id}) already has this email address; email addresses are unique per tenant, compared case-insensitively."
            : "email: another contact of this tenant already has this email address; email addresses are unique per tenant, compared case-insensitively.")
    {
        ExistingContactId = existingContactId;
    }

    /// <summary>The contact that already holds the address, when known.</summary>
    public ContactId? ExistingContactId { get; }
}

/// <summary>
/// The change was based on a version that is no longer current: someone else changed the aggregate first.
/// Nothing was written; reload and try again.
/// </summary>
public sealed class ConcurrencyConflictException : ContactManagementException
{
    /// <summary>Creates the exception.</summary>
    /// <param name="entityType">The aggregate type.</param>
    /// <param name="entityId">The aggregate id.</param>
    /// <param name="expectedVersion">The version the change was based on.</param>
    /// <param name="actualVersion">The current version, when known (null when the aggregate was deleted).</param>
    /// <param name="innerException">The store's own exception, if any.</param>
    public ConcurrencyConflictException(string entityType, string entityId, long expectedVersion, long? actualVersion, Exception? innerException = null)
        : base("concurrency_conflict", actualVersion is { } actual
            ? $"version: the {entityType} '{entityId}' is at version {actual}, but the change was based on version {expectedVersion}; reload it and apply the change again."
            : $"version: the {entityType} '{entityId}' was deleted after version {expectedVersion} was read.", innerException)
    {
        EntityType = entityType;
        EntityId = entityId;
        ExpectedVersion = expectedVersion;
        ActualVersion = actualVersion;
    }

    /// <summary>
    /// Creates the exception for a change that lost to a concurrent change of what it was computed from rather than of
    /// the aggregate itself (the aggregate is still at <paramref name="version"/>).
    /// </summary>
    /// <param name="entityType">The aggregate type.</param>
    /// <param name="entityId">The aggregate id.</param>
    /// <param name="reason">What changed concurrently, completing "the {entityType} '{entityId}' ...".</param>
    /// <param name="version">The aggregate's version, unchanged.</param>
    /// <param name="innerException">The store's own exception, if any.</param>
    public ConcurrencyConflictException(string entityType, string entityId, string reason, long version, Exception? innerException = null)
        : base("concurrency_conflict", $"the {entityType} '{entityId}' {reason}; apply the change again.", innerException)
    {
        EntityType = entityType;
        EntityId = entityId;
        ExpectedVersion = version;
        ActualVersion = version;
    }

    /// <summary>The aggregate type.</summary>
    public string EntityType { get; }

    /// <summary>The aggregate id.</summary>
    public string EntityId { get; }

    /// <summary>The version the change was based on.</summary>
    public long ExpectedVersion { get; }

    /// <summary>The current version, or null when the aggregate no longer exists.</summary>
    public long? ActualVersion { get; }
}
