namespace Datum.Contacts;

/// <summary>How a list's members are chosen.</summary>
public enum ListKind
{
    /// <summary>Members are added and removed explicitly (one by one, in bulk, by import or integration).</summary>
    Static = 1,

    /// <summary>Members are exactly the contacts that match the list's criteria, minus those who unsubscribed from it.</summary>
    Dynamic = 2,
}

/// <summary>Where a contact stands on a list.</summary>
public enum MembershipStatus
{
    /// <summary>On the list: counted as a member and reachable through it.</summary>
    Active = 1,

    /// <summary>Added but waiting (for example, for a double opt-in); not counted as a member.</summary>
    Pending = 2,

    /// <summary>The contact left the list; a dynamic list keeps them out even while its criteria still match.</summary>
    Unsubscribed = 3,
}

/// <summary>How a contact came onto a list.</summary>
public enum MembershipSource
{
    /// <summary>Added by a user.</summary>
    Manual = 1,

    /// <summary>Added by a bulk import.</summary>
    Import = 2,

    /// <summary>Matched a dynamic list's criteria.</summary>
    Dynamic = 3,

    /// <summary>Added by an external system.</summary>
    Integration = 4,
}

/// <summary>Which way an integration synchronizes a list.</summary>
public enum SyncDirection
{
    /// <summary>From this list to the external system.</summary>
    Push = 1,

    /// <summary>From the external system to this list.</summary>
    Pull = 2,

    /// <summary>Both ways.</summary>
    Bidirectional = 3,
}

/// <summary>The state of an integration's last synchronization.</summary>
public enum SyncStatus
{
    /// <summary>Never synchronized.</summary>
    NeverSynced = 1,

    /// <summary>A synchronization is scheduled.</summary>
    Pending = 2,

    /// <summary>A synchronization is running.</summary>
    InProgress = 3,

    /// <summary>The last synchronization succeeded.</summary>
    Succeeded = 4,

    /// <summary>The last synchronization failed; see the sync message.</summary>
    Failed = 5,
}

/// <summary>Why a membership changed, as kept in the membership history.</summary>
public enum MembershipChangeReason
{
    /// <summary>A user added, removed or edited the membership.</summary>
    Manual = 1,

    /// <summary>A dynamic list's criteria started or stopped matching the contact.</summary>
    Criteria = 2,

    /// <summary>The contact unsubscribed from the list.</summary>
    Unsubscribe = 3,

    /// <summary>The contact was explicitly re-subscribed.</summary>
    Resubscribe = 4,

    /// <summary>The contact was deleted.</summary>
    ContactDeleted = 5,

    /// <summary>The list was deleted.</summary>
    ListDeleted = 6,

    /// <summary>A bulk import added or removed the contact.</summary>
    Import = 7,

    /// <summary>An external system added or removed the contact.</summary>
    Integration = 8,
}
