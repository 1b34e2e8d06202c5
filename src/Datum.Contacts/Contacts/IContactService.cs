namespace Datum.Contacts;

/// <summary>
/// Creates, reads, changes and deletes one tenant's contacts. Every change is validated, checked against the
/// version it was based on, and committed together with its audit entry.
/// </summary>
/// <remarks>
/// Expected failures throw a <see cref="ContactManagementException"/>: <see cref="ValidationFailedException"/>
/// (every field problem at once), <see cref="EntityNotFoundException"/>, <see cref="DuplicateEmailException"/>,
/// <see cref="ConcurrencyConflictException"/>. On any of them nothing is written.
/// </remarks>
public interface IContactService
{
    /// <summary>Creates a contact.</summary>
    /// <param name="tenant">The tenant.</param>
    /// <param name="draft">The contact's details.</param>
    /// <param name="actor">Who creates it.</param>
    /// <param name="cancellationToken">Cancels the call.</param>
    /// <returns>The created contact, at version 1.</returns>
    /// <exception cref="DuplicateEmailException">Another contact of the tenant has the email address.</exception>
    Task<Contact> CreateAsync(TenantId tenant, ContactDraft draft, Actor actor, CancellationToken cancellationToken = default);

    /// <summary>Finds a contact by id; null when the tenant has none with that id.</summary>
    /// <param name="tenant">The tenant.</param>
    /// <param name="id">The contact id.</param>
    /// <param name="cancellationToken">Cancels the call.</param>
    Task<Contact?> FindAsync(TenantId tenant, ContactId id, CancellationToken cancellationToken = default);

    /// <summary>Gets a contact by id.</summary>
    /// <param name="tenant">The tenant.</param>
    /// <param name="id">The contact id.</param>
    /// <param name="cancellationToken">Cancels the call.</param>
    /// <exception cref="EntityNotFoundException">The tenant has no contact with that id.</exception>
    Task<Contact> GetAsync(TenantId tenant, ContactId id, CancellationToken cancellationToken = default);

    /// <summary>Finds the contact with an email address, compared case-insensitively; null when none.</summary>
    /// <param name="tenant">The tenant.</param>
    /// <param name="email">The address.</param>
    /// <param name="cancellationToken">Cancels the call.</param>
    /// <exception cref="ValidationFailedException">The text is not an email address.</exception>
    Task<Contact?> FindByEmailAsync(TenantId tenant, string email, CancellationToken cancellationToken = default);

    /// <summary>Replaces every editable detail of a contact (full update).</summary>
    /// <param name="tenant">The tenant.</param>
    /// <param name="id">The contact id.</param>
    /// <param name="draft">The new details; its <see cref="ContactDraft.Source"/> is ignored.</param>
    /// <param name="expectedVersion">The version the change is based on; null to apply to whatever version is current.</param>
    /// <param name="actor">Who changes it.</param>
    /// <param name="cancellationToken">Cancels the call.</param>
    /// <returns>The contact after the change (unchanged, same version, when nothing differed).</returns>
    Task<Contact> UpdateAsync(TenantId tenant, ContactId id, ContactDraft draft, long? expectedVersion, Actor actor, CancellationToken cancellationToken = default);

    /// <summary>Changes only the details set in <paramref name="patch"/> (partial update).</summary>
    /// <param name="tenant">The tenant.</param>
    /// <param name="id">The contact id.</param>
    /// <param name="patch">The details to change.</param>
    /// <param name="expectedVersion">The version the change is based on; null to apply to whatever version is current.</param>
    /// <param name="actor">Who changes it.</param>
    /// <param name="cancellationToken">Cancels the call.</param>
    /// <returns>The contact after the change.</returns>
    Task<Contact> PatchAsync(TenantId tenant, ContactId id, ContactPatch patch, long? expectedVersion, Actor actor, CancellationToken cancellationToken = default);

    /// <summary>Replaces a contact's communication preferences.</summary>
    /// <param name="tenant">The tenant.</param>
    /// <param name="id">The contact id.</param>
    /// <param name="preferences">The new preferences.</param>
    /// <param name="expectedVersion">The version the change is based on; null to apply to whatever version is current.</param>
    /// <param name="actor">Who changes them.</param>
    /// <param name="cancellationToken">Cancels the call.</param>
    /// <returns>The contact after the change.</returns>
    Task<Contact> SetPreferencesAsync(TenantId tenant, ContactId id, ContactPreferencesDraft preferences, long? expectedVersion, Actor actor, CancellationToken cancellationToken = default);

    /// <summary>Deletes a contact. Its audit entries stay.</summary>
    /// <param name="tenant">The tenant.</param>
    /// <param name="id">The contact id.</param>
    /// <param name="expectedVersion">The version the deletion is based on; null to delete whatever version is current.</param>
    /// <param name="actor">Who deletes it.</param>
    /// <param name="cancellationToken">Cancels the call.</param>
    Task DeleteAsync(TenantId tenant, ContactId id, long? expectedVersion, Actor actor, CancellationToken cancellationToken = default);

    /// <summary>Lists contacts one page at a time, in a stable order.</summary>
    /// <param name="tenant">The tenant.</param>
    /// <param name="request">Sort, size and cursor.</param>
    /// <param name="cancellationToken">Cancels the call.</param>
    Task<Page<Contact>> PageAsync(TenantId tenant, ContactPageRequest request, CancellationToken cancellationToken = default);

    /// <summary>
    /// Lists the contacts matching a criteria one page at a time, in a stable order. The criteria is checked against
    /// the tenant's fields first; a bad one fails before anything is read.
    /// </summary>
    /// <param name="tenant">The tenant.</param>
    /// <param name="criteria">The criteria (see <see cref="Criteria.Parse(string, CriteriaLimits?)"/> or <see cref="ICriteriaCompiler.Parse"/>).</param>
    /// <param name="request">Sort, size and cursor.</param>
    /// <param name="cancellationToken">Cancels the call.</param>
    /// <exception cref="InvalidCriteriaException">The criteria names an unknown field, misuses an operator or has a value of the wrong type.</exception>
    Task<Page<Contact>> SearchAsync(TenantId tenant, Criteria criteria, ContactPageRequest request, CancellationToken cancellationToken = default);

    /// <summary>Counts the contacts matching a criteria, or all contacts of the tenant.</summary>
    /// <param name="tenant">The tenant.</param>
    /// <param name="criteria">The criteria; null to count all contacts.</param>
    /// <param name="cancellationToken">Cancels the call.</param>
    /// <exception cref="InvalidCriteriaException">The criteria does not fit the tenant's fields.</exception>
    Task<long> CountAsync(TenantId tenant, Criteria? criteria, CancellationToken cancellationToken = default);

    /// <summary>Reads a contact's audit trail, newest first. Entries outlive the contact.</summary>
    /// <param name="tenant">The tenant.</param>
    /// <param name="id">The contact id.</param>
    /// <param name="page">Page size and cursor.</param>
    /// <param name="cancellationToken">Cancels the call.</param>
    Task<Page<AuditEntry>> GetAuditLogAsync(TenantId tenant, ContactId id, PageRequest page, CancellationToken cancellationToken = default);
}

/// <summary>Asks for one page of contacts.</summary>
/// <param name="Sort">The sort field; ties are broken by id.</param>
/// <param name="Direction">The sort direction.</param>
/// <param name="Size">How many at most; null for the configured default.</param>
/// <param name="Cursor">The previous page's <see cref="Page{T}.NextCursor"/>; null for the first page.</param>
public sealed record ContactPageRequest(
    ContactSortField Sort = ContactSortField.CreatedAt,
    SortDirection Direction = SortDirection.Ascending,
    int? Size = null,
    string? Cursor = null);
