namespace Datum.Contacts;

/// <summary>
/// Lists and memberships: static lists with explicit members, dynamic lists kept equal to their criteria, unsubscribe
/// from one list, members paged, criteria previews, integration sync state and membership history. Every change is
/// audited and written in one unit of work with the memberships and history it causes.
/// </summary>
public interface IListService
{
    /// <summary>Creates a list. A dynamic list's criteria is checked and the list is filled in the same unit of work.</summary>
    /// <param name="tenant">The tenant.</param>
    /// <param name="draft">The list.</param>
    /// <param name="actor">Who creates it.</param>
    /// <param name="cancellationToken">Cancels the call.</param>
    /// <exception cref="ValidationFailedException">A field is invalid.</exception>
    /// <exception cref="InvalidCriteriaException">The criteria does not fit the tenant's fields, names a list that does not exist, or closes a cycle of lists.</exception>
    /// <exception cref="DuplicateListNameException">The name is taken.</exception>
    Task<ContactList> CreateAsync(TenantId tenant, ListDraft draft, Actor actor, CancellationToken cancellationToken = default);

    /// <summary>Finds a list; null when the tenant has none with that id.</summary>
    /// <param name="tenant">The tenant.</param>
    /// <param name="id">The list id.</param>
    /// <param name="cancellationToken">Cancels the call.</param>
    Task<ContactList?> FindAsync(TenantId tenant, ListId id, CancellationToken cancellationToken = default);

    /// <summary>Gets a list.</summary>
    /// <param name="tenant">The tenant.</param>
    /// <param name="id">The list id.</param>
    /// <param name="cancellationToken">Cancels the call.</param>
    /// <exception cref="EntityNotFoundException">No such list.</exception>
    Task<ContactList> GetAsync(TenantId tenant, ListId id, CancellationToken cancellationToken = default);

    /// <summary>Finds a list by name (case-insensitively); null when none.</summary>
    /// <param name="tenant">The tenant.</param>
    /// <param name="name">The name.</param>
    /// <param name="cancellationToken">Cancels the call.</param>
    Task<ContactList?> FindByNameAsync(TenantId tenant, string name, CancellationToken cancellationToken = default);

    /// <summary>Pages through the tenant's lists in creation order.</summary>
    /// <param name="tenant">The tenant.</param>
    /// <param name="page">Size and cursor.</param>
    /// <param name="cancellationToken">Cancels the call.</param>
    Task<Page<ContactList>> PageAsync(TenantId tenant, PageRequest page, CancellationToken cancellationToken = default);

    /// <summary>
    /// Replaces a list's details (its kind cannot change). A changed criteria refreshes the list in the same unit of
    /// work; a rename is refused while other dynamic lists refer to the list by name.
    /// </summary>
    /// <param name="tenant">The tenant.</param>
    /// <param name="id">The list id.</param>
    /// <param name="draft">The new details.</param>
    /// <param name="expectedVersion">The version the change is based on; null to skip the check.</param>
    /// <param name="actor">Who changes it.</param>
    /// <param name="cancellationToken">Cancels the call.</param>
    Task<ContactList> UpdateAsync(TenantId tenant, ListId id, ListDraft draft, long? expectedVersion, Actor actor, CancellationToken cancellationToken = default);

    /// <summary>Deletes a list and its memberships (each kept in the history). Refused while other dynamic lists refer to it.</summary>
    /// <param name="tenant">The tenant.</param>
    /// <param name="id">The list id.</param>
    /// <param name="expectedVersion">The version the deletion is based on; null to skip the check.</param>
    /// <param name="actor">Who deletes it.</param>
    /// <param name="cancellationToken">Cancels the call.</param>
    Task DeleteAsync(TenantId tenant, ListId id, long? expectedVersion, Actor actor, CancellationToken cancellationToken = default);

    /// <summary>
    /// Adds contacts to a static list as active members (at most <see cref="ContactManagementOptions.MaxContactsPerListCall"/>
    /// per call). Idempotent: a contact already active stays as it is; a pending one becomes active; an unsubscribed one
    /// stays unsubscribed (re-subscribing is <see cref="ResubscribeAsync"/>). All or nothing: an unknown contact fails the call.
    /// </summary>
    /// <param name="tenant">The tenant.</param>
    /// <param name="id">The list id.</param>
    /// <param name="contacts">The contacts.</param>
    /// <param name="source">How they come onto the list.</param>
    /// <param name="actor">Who adds them.</param>
    /// <param name="cancellationToken">Cancels the call.</param>
    /// <exception cref="ListOperationException">The list is dynamic, or too many contacts are given.</exception>
    /// <exception cref="EntityNotFoundException">The list or a contact does not exist.</exception>
    Task<MembershipChangeResult> AddMembersAsync(TenantId tenant, ListId id, IReadOnlyCollection<ContactId> contacts, MembershipSource source, Actor actor, CancellationToken cancellationToken = default);

    /// <summary>
    /// Adds contacts to a static list with an initial status: <see cref="MembershipStatus.Active"/> as
    /// <see cref="AddMembersAsync(TenantId, ListId, IReadOnlyCollection{ContactId}, MembershipSource, Actor, CancellationToken)"/> does, or
    /// <see cref="MembershipStatus.Pending"/> for contacts who still have to confirm (a pending contact is not counted as a member;
    /// adding it again as active activates it). Existing memberships are never downgraded.
    /// </summary>
    /// <param name="tenant">The tenant.</param>
    /// <param name="id">The list id.</param>
    /// <param name="contacts">The contacts.</param>
    /// <param name="source">How they come onto the list.</param>
    /// <param name="status">Active or Pending.</param>
    /// <param name="actor">Who adds them.</param>
    /// <param name="cancellationToken">Cancels the call.</param>
    Task<MembershipChangeResult> AddMembersAsync(TenantId tenant, ListId id, IReadOnlyCollection<ContactId> contacts, MembershipSource source, MembershipStatus status, Actor actor, CancellationToken cancellationToken = default);

    /// <summary>Removes contacts from a static list. Idempotent: a contact not on the list is skipped.</summary>
    /// <param name="tenant">The tenant.</param>
    /// <param name="id">The list id.</param>
    /// <param name="contacts">The contacts.</param>
    /// <param name="actor">Who removes them.</param>
    /// <param name="cancellationToken">Cancels the call.</param>
    /// <exception cref="ListOperationException">The list is dynamic, or too many contacts are given.</exception>
    Task<MembershipChangeResult> RemoveMembersAsync(TenantId tenant, ListId id, IReadOnlyCollection<ContactId> contacts, Actor actor, CancellationToken cancellationToken = default);

    /// <summary>
    /// Unsubscribes a contact from one list: the membership becomes unsubscribed, every other membership stays, and a
    /// dynamic list keeps the contact out even while its criteria matches. Idempotent.
    /// </summary>
    /// <param name="tenant">The tenant.</param>
    /// <param name="id">The list id.</param>
    /// <param name="contact">The contact.</param>
    /// <param name="actor">Who unsubscribes (often the contact).</param>
    /// <param name="cancellationToken">Cancels the call.</param>
    /// <exception cref="ListOperationException">The contact has no membership on the list.</exception>
    Task<ListMembership> UnsubscribeAsync(TenantId tenant, ListId id, ContactId contact, Actor actor, CancellationToken cancellationToken = default);

    /// <summary>
    /// Re-subscribes an unsubscribed contact, an explicit and audited act: on a static list the membership becomes
    /// active; on a dynamic list it becomes active if the criteria matches, and is removed otherwise (returning null).
    /// </summary>
    /// <param name="tenant">The tenant.</param>
    /// <param name="id">The list id.</param>
    /// <param name="contact">The contact.</param>
    /// <param name="actor">Who re-subscribes.</param>
    /// <param name="cancellationToken">Cancels the call.</param>
    /// <exception cref="ListOperationException">The contact has no membership on the list.</exception>
    Task<ListMembership?> ResubscribeAsync(TenantId tenant, ListId id, ContactId contact, Actor actor, CancellationToken cancellationToken = default);

    /// <summary>Replaces a membership's notes and preference overrides.</summary>
    /// <param name="tenant">The tenant.</param>
    /// <param name="id">The list id.</param>
    /// <param name="contact">The contact.</param>
    /// <param name="draft">The new details.</param>
    /// <param name="expectedVersion">The membership version the change is based on; null to skip the check.</param>
    /// <param name="actor">Who changes it.</param>
    /// <param name="cancellationToken">Cancels the call.</param>
    Task<ListMembership> UpdateMembershipAsync(TenantId tenant, ListId id, ContactId contact, MembershipDraft draft, long? expectedVersion, Actor actor, CancellationToken cancellationToken = default);

    /// <summary>Finds a contact's membership on a list; null when none.</summary>
    /// <param name="tenant">The tenant.</param>
    /// <param name="id">The list id.</param>
    /// <param name="contact">The contact.</param>
    /// <param name="cancellationToken">Cancels the call.</param>
    Task<ListMembership?> FindMembershipAsync(TenantId tenant, ListId id, ContactId contact, CancellationToken cancellationToken = default);

    /// <summary>Every membership of a contact, on any list.</summary>
    /// <param name="tenant">The tenant.</param>
    /// <param name="contact">The contact.</param>
    /// <param name="cancellationToken">Cancels the call.</param>
    Task<IReadOnlyList<ListMembership>> GetMembershipsAsync(TenantId tenant, ContactId contact, CancellationToken cancellationToken = default);

    /// <summary>Pages through a list's members with their contacts (in contact id order), optionally by status and an extra criteria.</summary>
    /// <param name="tenant">The tenant.</param>
    /// <param name="id">The list id.</param>
    /// <param name="request">Filters, size and cursor.</param>
    /// <param name="cancellationToken">Cancels the call.</param>
    Task<Page<ListMember>> GetMembersAsync(TenantId tenant, ListId id, ListMembersRequest request, CancellationToken cancellationToken = default);

    /// <summary>Brings a dynamic list in line with its criteria now, reporting who joined and who left.</summary>
    /// <param name="tenant">The tenant.</param>
    /// <param name="id">The list id.</param>
    /// <param name="actor">Who asks.</param>
    /// <param name="cancellationToken">Cancels the call.</param>
    /// <exception cref="ListOperationException">The list is static.</exception>
    Task<ListRefreshResult> RefreshAsync(TenantId tenant, ListId id, Actor actor, CancellationToken cancellationToken = default);

    /// <summary>For a criteria not saved anywhere: how many contacts match and the first few, without creating a list.</summary>
    /// <param name="tenant">The tenant.</param>
    /// <param name="criteria">The criteria.</param>
    /// <param name="sampleSize">How many matching contacts to return (0 to <see cref="ContactManagementOptions.MaxPageSize"/>).</param>
    /// <param name="cancellationToken">Cancels the call.</param>
    Task<CriteriaPreview> PreviewAsync(TenantId tenant, Criteria criteria, int sampleSize, CancellationToken cancellationToken = default);

    /// <summary>The sync state of every integration of a list (the RFC's <c>GET /lists/:id/sync-status</c>).</summary>
    /// <param name="tenant">The tenant.</param>
    /// <param name="id">The list id.</param>
    /// <param name="cancellationToken">Cancels the call.</param>
    Task<IReadOnlyList<ListIntegration>> GetSyncStatusAsync(TenantId tenant, ListId id, CancellationToken cancellationToken = default);

    /// <summary>Records one integration's sync state.</summary>
    /// <param name="tenant">The tenant.</param>
    /// <param name="id">The list id.</param>
    /// <param name="system">The integration's system.</param>
    /// <param name="update">The new state.</param>
    /// <param name="actor">Who reports it (usually the integration).</param>
    /// <param name="cancellationToken">Cancels the call.</param>
    /// <exception cref="EntityNotFoundException">No such list, or the list has no integration with that system.</exception>
    Task<ContactList> UpdateSyncStatusAsync(TenantId tenant, ListId id, string system, SyncStatusUpdate update, Actor actor, CancellationToken cancellationToken = default);

    /// <summary>A contact's membership history, newest first, on every list or on one.</summary>
    /// <param name="tenant">The tenant.</param>
    /// <param name="contact">The contact.</param>
    /// <param name="list">Only this list; null for all.</param>
    /// <param name="page">Size and cursor.</param>
    /// <param name="cancellationToken">Cancels the call.</param>
    Task<Page<MembershipHistoryEntry>> GetHistoryAsync(TenantId tenant, ContactId contact, ListId? list, PageRequest page, CancellationToken cancellationToken = default);

    /// <summary>Whether a contact was an active member of a list at a time, answered from the membership history.</summary>
    /// <param name="tenant">The tenant.</param>
    /// <param name="id">The list id.</param>
    /// <param name="contact">The contact.</param>
    /// <param name="at">The time.</param>
    /// <param name="cancellationToken">Cancels the call.</param>
    Task<bool> WasMemberAsync(TenantId tenant, ListId id, ContactId contact, DateTimeOffset at, CancellationToken cancellationToken = default);

    /// <summary>The audit entries about a list (its details and member changes), newest first.</summary>
    /// <param name="tenant">The tenant.</param>
    /// <param name="id">The list id.</param>
    /// <param name="page">Size and cursor.</param>
    /// <param name="cancellationToken">Cancels the call.</param>
    Task<Page<AuditEntry>> GetAuditLogAsync(TenantId tenant, ListId id, PageRequest page, CancellationToken cancellationToken = default);
}

/// <summary>What a bulk membership call did.</summary>
/// <param name="Changed">Contacts whose membership changed (added, activated or removed).</param>
/// <param name="Unchanged">Contacts that were already as asked (or, on removal, not on the list).</param>
public sealed record MembershipChangeResult(int Changed, int Unchanged);

/// <summary>What a dynamic list's refresh did.</summary>
/// <param name="Added">Contacts that joined.</param>
/// <param name="Removed">Contacts that left.</param>
public sealed record ListRefreshResult(int Added, int Removed);

/// <summary>A criteria's match count and first matches.</summary>
/// <param name="Count">How many contacts match.</param>
/// <param name="Sample">The first matches, in creation order.</param>
public sealed record CriteriaPreview(long Count, IReadOnlyList<Contact> Sample);

/// <summary>Which members of a list to read.</summary>
/// <param name="Status">Only this status; null for any.</param>
/// <param name="Criteria">Only members whose contact matches; null for all.</param>
/// <param name="Size">Page size; null for the default.</param>
/// <param name="Cursor">The previous page's cursor; null for the first page.</param>
public sealed record ListMembersRequest(MembershipStatus? Status = null, Criteria? Criteria = null, int? Size = null, string? Cursor = null);
