namespace Datum.Contacts.EntityFrameworkCore;

/// <summary>A queued membership change, with the version and status the membership had when loaded (null when added here).</summary>
internal sealed record MembershipChange(ListMembership Membership, MembershipOperation Operation, long? ExpectedVersion, MembershipStatus? LoadedStatus);

/// <summary>What a queued membership change does.</summary>
internal enum MembershipOperation
{
    Add,
    Update,
    Remove,
}
