namespace Datum.Contacts;

/// <summary>
/// One change of a contact's place on a list, kept forever as membership history and raised as a domain event:
/// from which status (null: not on the list) to which (null: removed), why, when and by whom.
/// An entry is when <see cref="To"/> becomes <see cref="MembershipStatus.Active"/>; an exit is when it stops being.
/// </summary>
/// <param name="Id">A time-ordered id; entries at the same instant are in the order they were written.</param>
/// <param name="Tenant">The tenant.</param>
/// <param name="List">The list.</param>
/// <param name="Contact">The contact.</param>
/// <param name="OccurredAt">When it happened.</param>
/// <param name="From">The status before; null when the contact had no membership.</param>
/// <param name="To">The status after; null when the membership was removed.</param>
/// <param name="Reason">Why.</param>
/// <param name="Actor">Who or what caused it.</param>
public sealed record MembershipHistoryEntry(
    Guid Id,
    TenantId Tenant,
    ListId List,
    ContactId Contact,
    DateTimeOffset OccurredAt,
    MembershipStatus? From,
    MembershipStatus? To,
    MembershipChangeReason Reason,
    Actor Actor)
{
    /// <summary>Whether the contact entered the list (became an active member).</summary>
    public bool IsEntry => To == MembershipStatus.Active && From != MembershipStatus.Active;

    /// <summary>Whether the contact left the list (stopped being an active member).</summary>
    public bool IsExit => From == MembershipStatus.Active && To != MembershipStatus.Active;
}

/// <summary>Receives membership changes after they are committed (the in-process form of the domain event).</summary>
/// <remarks>
/// Handlers run after the commit, in order, on the caller's flow; a handler that throws is logged and does not undo
/// the change or stop the others. The durable record is the membership history, written in the same unit of work.
/// A unit of work's changes come in calls of at most 1,000 changes, in order (one call for most units of work), so that
/// no call holds every change of a big list; those a store applied set-based
/// (<see cref="ISetBasedMembershipMaintenance"/>) are read back from the history page by page.
/// </remarks>
public interface IMembershipChangeHandler
{
    /// <summary>Handles changes of one committed unit of work: all of them, or the next page of them.</summary>
    /// <param name="changes">The changes, in the order they were made.</param>
    /// <param name="cancellationToken">Cancels handling.</param>
    ValueTask HandleAsync(IReadOnlyList<MembershipHistoryEntry> changes, CancellationToken cancellationToken);
}
