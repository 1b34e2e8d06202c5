namespace Datum.Contacts;

/// <summary>Another list of the tenant already has this name (names are compared case-insensitively).</summary>
public sealed class DuplicateListNameException : ContactManagementException
{
    /// <summary>Creates the exception.</summary>
    /// <param name="name">The name asked for.</param>
    /// <param name="existingListId">The list that holds it, when known.</param>
    public DuplicateListNameException(string name, ListId? existingListId)
        : base("duplicate_list_name", existingListId is { } id
            ? $"name: another list of this tenant ({id}) is already called '{name}'; list names are unique per tenant, compared case-insensitively."
            : $"name: another list of this tenant is already called '{name}'; list names are unique per tenant, compared case-insensitively.")
    {
        Name = name;
        ExistingListId = existingListId;
    }

    /// <summary>The name asked for.</summary>
    public string Name { get; }

    /// <summary>The list that holds it, when known.</summary>
    public ListId? ExistingListId { get; }
}

/// <summary>
/// A list operation does not apply to the list as it is: adding members by hand to a dynamic list, deleting or
/// renaming a list other dynamic lists refer to, unsubscribing a contact that is not on the list, and so on.
/// <see cref="ContactManagementException.Code"/> says which.
/// </summary>
public sealed class ListOperationException : ContactManagementException
{
    /// <summary>Members of a dynamic list come from its criteria only.</summary>
    public const string DynamicListMembersCode = "dynamic_list_members";

    /// <summary>The list is referenced by other dynamic lists' criteria.</summary>
    public const string ListInUseCode = "list_in_use";

    /// <summary>The contact has no membership on the list.</summary>
    public const string NotAMemberCode = "not_a_member";

    /// <summary>The request names too many contacts at once.</summary>
    public const string TooManyContactsCode = "too_many_contacts";

    /// <summary>Creates the exception.</summary>
    /// <param name="code">One of the codes of this class.</param>
    /// <param name="message">What is wrong and what to do instead.</param>
    public ListOperationException(string code, string message)
        : base(code, message)
    {
    }
}
