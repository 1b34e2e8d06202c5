namespace Datum.Contacts;

/// <summary>
/// Store port for the lists of the unit of work's tenant. Reads return committed state with
/// <see cref="ContactList.MemberCount"/> set to the committed number of active memberships; writes are queued
/// until the unit of work commits.
/// </summary>
/// <remarks>
/// A store must guarantee at commit: one list per case-folded name within a tenant
/// (<see cref="DuplicateListNameException"/>); an updated or removed list still has the version it was loaded with
/// (<see cref="ConcurrencyConflictException"/>); a removed list has no memberships left.
/// </remarks>
public interface IContactListRepository
{
    /// <summary>Finds a list by id.</summary>
    /// <param name="id">The list id.</param>
    /// <param name="cancellationToken">Cancels the read.</param>
    ValueTask<ContactList?> FindAsync(ListId id, CancellationToken cancellationToken);

    /// <summary>Finds a list by name, compared case-insensitively (by <see cref="ContactList.KeyOf"/>).</summary>
    /// <param name="name">The name.</param>
    /// <param name="cancellationToken">Cancels the read.</param>
    ValueTask<ContactList?> FindByNameAsync(string name, CancellationToken cancellationToken);

    /// <summary>Reads one page of lists in id order (creation order), after a position.</summary>
    /// <param name="query">Position and size.</param>
    /// <param name="cancellationToken">Cancels the read.</param>
    ValueTask<IReadOnlyList<ContactList>> ListAsync(ListPageQuery query, CancellationToken cancellationToken);

    /// <summary>
    /// Reads every dynamic list of the tenant, in id order, to evaluate memberships: the lists are read-only (a store
    /// may hand the same instances to several units of work until a list changes), are not loaded for update (load a
    /// list with <see cref="FindAsync"/> to change it), and their <see cref="ContactList.MemberCount"/> is not kept.
    /// </summary>
    /// <param name="cancellationToken">Cancels the read.</param>
    ValueTask<IReadOnlyList<ContactList>> ListDynamicAsync(CancellationToken cancellationToken);

    /// <summary>Queues a new list.</summary>
    /// <param name="list">The list; its tenant must be the unit of work's.</param>
    void Add(ContactList list);

    /// <summary>Queues a change to a list loaded by this unit of work (its own fields; not its member count).</summary>
    /// <param name="list">The changed list.</param>
    void Update(ContactList list);

    /// <summary>Queues the deletion of a list loaded by this unit of work; its memberships must be removed in the same unit of work.</summary>
    /// <param name="list">The list.</param>
    void Remove(ContactList list);
}

/// <summary>A page of lists: those after <paramref name="After"/> in id order, at most <paramref name="Limit"/>.</summary>
/// <param name="After">The last list of the previous page; null for the first page.</param>
/// <param name="Limit">The most lists to return.</param>
public sealed record ListPageQuery(ListId? After, int Limit);

/// <summary>
/// Store port for list memberships of the unit of work's tenant. Reads return committed state; writes are queued
/// until the unit of work commits.
/// </summary>
/// <remarks>
/// A store must guarantee at commit: at most one membership per list and contact, and only for a list and a
/// contact that exist when the unit of work commits (otherwise <see cref="ConcurrencyConflictException"/>); an
/// updated or removed membership still has the version it was loaded with (<see cref="ConcurrencyConflictException"/>);
/// and every list's member count equals its committed active memberships. To keep the count without recounting, a
/// store remembers the status each membership had when it was loaded, and at commit adds to each list the change in
/// its active memberships (atomically, so concurrent units of work do not lose each other's changes).
/// </remarks>
public interface IListMembershipRepository
{
    /// <summary>Finds the membership of a contact on a list.</summary>
    /// <param name="list">The list.</param>
    /// <param name="contact">The contact.</param>
    /// <param name="cancellationToken">Cancels the read.</param>
    ValueTask<ListMembership?> FindAsync(ListId list, ContactId contact, CancellationToken cancellationToken);

    /// <summary>Finds the memberships on one list of several contacts (those that have one).</summary>
    /// <param name="list">The list.</param>
    /// <param name="contacts">The contacts.</param>
    /// <param name="cancellationToken">Cancels the read.</param>
    ValueTask<IReadOnlyList<ListMembership>> FindManyAsync(ListId list, IReadOnlyCollection<ContactId> contacts, CancellationToken cancellationToken);

    /// <summary>Reads every membership, on any list, of several contacts.</summary>
    /// <param name="contacts">The contacts.</param>
    /// <param name="cancellationToken">Cancels the read.</param>
    ValueTask<IReadOnlyList<ListMembership>> ForContactsAsync(IReadOnlyCollection<ContactId> contacts, CancellationToken cancellationToken);

    /// <summary>Reads every membership of one list, whatever its status.</summary>
    /// <param name="list">The list.</param>
    /// <param name="cancellationToken">Cancels the read.</param>
    ValueTask<IReadOnlyList<ListMembership>> ForListAsync(ListId list, CancellationToken cancellationToken);

    /// <summary>Reads one page of a list's members with their contacts, in contact id order.</summary>
    /// <param name="query">List, filters, position and size.</param>
    /// <param name="cancellationToken">Cancels the read.</param>
    ValueTask<IReadOnlyList<ListMember>> PageAsync(MembershipPageQuery query, CancellationToken cancellationToken);

    /// <summary>
    /// Compares a list's memberships with a criteria: <see cref="MembershipDelta.Entering"/> are the contacts that match
    /// and have no membership on the list; <see cref="MembershipDelta.Leaving"/> are the list's memberships, other than
    /// unsubscribed ones, whose contact does not match.
    /// </summary>
    /// <param name="list">The list.</param>
    /// <param name="criteria">The criteria.</param>
    /// <param name="cancellationToken">Cancels the read.</param>
    ValueTask<MembershipDelta> DiffAsync(ListId list, CompiledCriteria criteria, CancellationToken cancellationToken);

    /// <summary>Queues a new membership.</summary>
    /// <param name="membership">The membership; its tenant must be the unit of work's.</param>
    void Add(ListMembership membership);

    /// <summary>Queues a change to a membership loaded by this unit of work.</summary>
    /// <param name="membership">The changed membership.</param>
    void Update(ListMembership membership);

    /// <summary>Queues the deletion of a membership loaded by this unit of work.</summary>
    /// <param name="membership">The membership.</param>
    void Remove(ListMembership membership);
}

/// <summary>A page of a list's members.</summary>
/// <param name="List">The list.</param>
/// <param name="Status">Only memberships with this status; null for any.</param>
/// <param name="Filter">Only members whose contact matches; null for all.</param>
/// <param name="After">The last contact of the previous page; null for the first page.</param>
/// <param name="Limit">The most members to return.</param>
public sealed record MembershipPageQuery(ListId List, MembershipStatus? Status, CompiledCriteria? Filter, ContactId? After, int Limit);

/// <summary>A member of a list: the membership and the contact.</summary>
/// <param name="Membership">The membership.</param>
/// <param name="Contact">The contact.</param>
public sealed record ListMember(ListMembership Membership, Contact Contact);

/// <summary>What a dynamic list's refresh must change (see <see cref="IListMembershipRepository.DiffAsync"/>).</summary>
/// <param name="Entering">Contacts that match and have no membership.</param>
/// <param name="Leaving">Memberships (not unsubscribed) whose contact no longer matches.</param>
public sealed record MembershipDelta(IReadOnlyList<ContactId> Entering, IReadOnlyList<ListMembership> Leaving);

/// <summary>Store port for the membership history of the unit of work's tenant: append-only, read newest first.</summary>
public interface IMembershipHistoryRepository
{
    /// <summary>Queues an entry, written with the unit of work.</summary>
    /// <param name="entry">The entry; its tenant must be the unit of work's.</param>
    void Append(MembershipHistoryEntry entry);

    /// <summary>
    /// Reads entries newest first (by time, then id, both descending), optionally only of one contact and/or one list,
    /// only at or before a time, and only before a position.
    /// </summary>
    /// <param name="query">Filters, position and size.</param>
    /// <param name="cancellationToken">Cancels the read.</param>
    ValueTask<IReadOnlyList<MembershipHistoryEntry>> ReadAsync(MembershipHistoryQuery query, CancellationToken cancellationToken);
}

/// <summary>A read of membership history.</summary>
/// <param name="Contact">Only this contact's entries; null for any.</param>
/// <param name="List">Only this list's entries; null for any.</param>
/// <param name="AtOrBefore">Only entries that occurred at or before this time; null for any.</param>
/// <param name="Before">Only entries strictly older than this position (the last entry of the previous page); null for the first page.</param>
/// <param name="Limit">The most entries to return.</param>
public sealed record MembershipHistoryQuery(ContactId? Contact, ListId? List, DateTimeOffset? AtOrBefore, MembershipHistoryPosition? Before, int Limit);

/// <summary>A position in membership history order.</summary>
/// <param name="OccurredAt">The entry's time.</param>
/// <param name="Id">The entry's id.</param>
public readonly record struct MembershipHistoryPosition(DateTimeOffset OccurredAt, Guid Id)
{
    /// <summary>Whether an entry comes after this position in newest-first order (is strictly older).</summary>
    /// <param name="entry">The entry.</param>
    public bool Precedes(MembershipHistoryEntry entry)
    {
        Guard.Against.Null(entry);
        var time = entry.OccurredAt.UtcTicks.CompareTo(OccurredAt.UtcTicks);
        return time < 0 || (time == 0 && entry.Id.CompareTo(Id) < 0);
    }
}
