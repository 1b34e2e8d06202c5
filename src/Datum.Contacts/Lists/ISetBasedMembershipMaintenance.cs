namespace Datum.Contacts;

/// <summary>
/// An optional capability of a store's <see cref="IListMembershipRepository"/>: applying a dynamic list's refresh (or
/// the removal of every membership of a deleted list) with a few set-based statements inside the commit, instead of
/// one queued change per membership, so that filling or flipping a list takes memory and round trips that do not grow
/// with its size. The core detects it with <c>uow.Memberships is ISetBasedMembershipMaintenance</c>; a store without it
/// gets the per-membership path (<see cref="IListMembershipRepository.DiffAsync"/>).
/// </summary>
/// <remarks>
/// <para>
/// A queued change must leave exactly what the per-membership path leaves: each matching contact without a membership
/// joins as an active, dynamic membership (<see cref="ListMembership"/> as created at
/// <see cref="SetBasedMembershipChange.OccurredAt"/>); each membership that is not unsubscribed and whose contact does
/// not match is removed (with a deleted list's criteria of null, every membership is); one history entry per moved
/// membership, with the change's reason, actor and time, taking the ids of <see cref="SetBasedMembershipChange.Ids"/>
/// in the order the entries are written (<see cref="MembershipHistoryIds.IdAt"/>(0) first, contacts in id order within
/// a statement); and each list's member count moved by its change in active members.
/// </para>
/// <para>
/// The changes run at commit in the order queued, in the commit's transaction: a refresh after the unit of work's other
/// changes are written (a list added in it exists), a deleted list's removal before the list is deleted. When a change names
/// <see cref="SetBasedMembershipChange.Expected"/> counts and it would move another number of memberships (a concurrent
/// writer, or a relative date that crossed a contact since the count), the commit fails with
/// <see cref="ConcurrencyConflictException"/> and nothing is written, so counts the caller recorded are never wrong.
/// </para>
/// </remarks>
public interface ISetBasedMembershipMaintenance
{
    /// <summary>
    /// Counts, in committed state, what a change of a list would move: the contacts that match
    /// <paramref name="criteria"/> and have no membership, and the memberships that would be removed.
    /// </summary>
    /// <param name="list">The list.</param>
    /// <param name="criteria">The list's criteria; null when the list is deleted and every membership leaves.</param>
    /// <param name="cancellationToken">Cancels the count.</param>
    ValueTask<MembershipDeltaCounts> CountAsync(ListId list, CompiledCriteria? criteria, CancellationToken cancellationToken);

    /// <summary>Queues a set-based change, applied at commit.</summary>
    /// <param name="change">The change; its history ids are reserved for it alone.</param>
    void Queue(SetBasedMembershipChange change);

    /// <summary>
    /// Reads back, after the commit, the history entries a queued change wrote: in id order (the order they were
    /// made), only those after <paramref name="after"/>, at most <paramref name="limit"/>.
    /// </summary>
    /// <param name="change">The committed change.</param>
    /// <param name="after">The last entry of the previous page; null for the first page.</param>
    /// <param name="limit">The most entries to return.</param>
    /// <param name="cancellationToken">Cancels the read.</param>
    ValueTask<IReadOnlyList<MembershipHistoryEntry>> ReadChangesAsync(SetBasedMembershipChange change, Guid? after, int limit, CancellationToken cancellationToken);
}

/// <summary>How many memberships a set-based change moves.</summary>
/// <param name="Entering">Contacts that join.</param>
/// <param name="Leaving">Memberships removed, whatever their status.</param>
/// <param name="LeavingActive">Of those, the active ones (what the member count loses).</param>
public sealed record MembershipDeltaCounts(int Entering, int Leaving, int LeavingActive)
{
    /// <summary>Whether the change moves nothing.</summary>
    public bool IsEmpty => Entering == 0 && Leaving == 0;
}

/// <summary>A set-based change of one list's memberships (see <see cref="ISetBasedMembershipMaintenance"/>).</summary>
/// <param name="List">The list.</param>
/// <param name="Criteria">The list's criteria; null when the list is deleted and every membership leaves.</param>
/// <param name="Expected">What the change must move, counted before; null when it cannot be known before the commit (a cascade).</param>
/// <param name="Within">
/// When set, only the contacts whose membership on that earlier change's list that change moved: a list that depends
/// on another through <c>memberOf</c> is re-evaluated for exactly those contacts.
/// </param>
/// <param name="Reason">The reason the history entries give.</param>
/// <param name="Actor">Who made the change.</param>
/// <param name="OccurredAt">When: the history entries' time and the new memberships' join time.</param>
/// <param name="Ids">The history ids reserved for the change; it moves at most <see cref="MembershipHistoryIds.Count"/> memberships.</param>
public sealed record SetBasedMembershipChange(
    ListId List,
    CompiledCriteria? Criteria,
    MembershipDeltaCounts? Expected,
    SetBasedMembershipChange? Within,
    MembershipChangeReason Reason,
    Actor Actor,
    DateTimeOffset OccurredAt,
    MembershipHistoryIds Ids);

/// <summary>
/// A block of consecutive time-ordered membership history ids reserved in the process, so that a store can build them
/// in SQL and they still sort after every id handed out before and before every id handed out after.
/// </summary>
/// <remarks>
/// Id i is the UUID version 7 of sequence value <c>s = First + i</c>: 48 bits of Unix milliseconds (<c>s &gt;&gt; 12</c>),
/// the version nibble 7, 12 bits of counter (<c>s &amp; 0xFFF</c>), the variant bits 10, then 62 random bits. As text:
/// <c>{s &gt;&gt; 28:X8}-{(s &gt;&gt; 12) &amp; 0xFFFF:X4}-7{s &amp; 0xFFF:X3}-{0x8000 | random14:X4}-{random48:X12}</c>.
/// </remarks>
/// <param name="First">The first sequence value.</param>
/// <param name="Count">How many ids the block holds.</param>
public readonly record struct MembershipHistoryIds(long First, int Count)
{
    /// <summary>A bound no id of the block is below.</summary>
    public Guid Lowest => TimeOrderedGuid.FromSequence(First, 0, stackalloc byte[6]);

    /// <summary>A bound no id of the block is above.</summary>
    public Guid Highest => TimeOrderedGuid.FromSequence(First + Math.Max(Count, 1) - 1, ushort.MaxValue, [0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF]);

    /// <summary>Reserves a block of ids at a time, after every id handed out so far in the process.</summary>
    /// <param name="now">The time of the change.</param>
    /// <param name="count">How many ids, at least one.</param>
    public static MembershipHistoryIds Reserve(DateTimeOffset now, int count) => new(TimeOrderedGuid.Reserve(now, count), count);

    /// <summary>Id <paramref name="index"/> of the block (its random bits differ at each call).</summary>
    /// <param name="index">From 0 to <see cref="Count"/> - 1.</param>
    public Guid IdAt(int index)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(index);
        ArgumentOutOfRangeException.ThrowIfGreaterThanOrEqual(index, Count);
        return TimeOrderedGuid.FromSequence(First + index);
    }
}
