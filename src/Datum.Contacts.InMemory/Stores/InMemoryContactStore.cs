using System.Collections.Concurrent;

namespace Datum.Contacts.InMemory;

/// <summary>The in-memory store: one partition per tenant, each guarded by its own lock.</summary>
internal sealed class InMemoryContactStore : IContactManagementStore
{
    private readonly ConcurrentDictionary<TenantId, TenantPartition> _tenants = new();

    public ValueTask<IUnitOfWork> BeginAsync(TenantId tenant, CancellationToken cancellationToken)
    {
        if (tenant == default)
        {
            throw new ArgumentException("The tenant id is the default value; create one with TenantId.Parse.", nameof(tenant));
        }

        cancellationToken.ThrowIfCancellationRequested();
        var partition = _tenants.GetOrAdd(tenant, static t => new TenantPartition(t));
        return ValueTask.FromResult<IUnitOfWork>(new InMemoryUnitOfWork(partition));
    }
}

/// <summary>One tenant's committed data. Every access holds <see cref="Gate"/>.</summary>
internal sealed class TenantPartition(TenantId tenant) : IMembershipStatusSource
{
    private static readonly IComparer<ContactPosition> Ascending = Comparer<ContactPosition>.Create((a, b) => ContactOrder.Compare(a, b, SortDirection.Ascending));

    public TenantId Tenant { get; } = tenant;

    public Lock Gate { get; } = new();

    public Dictionary<ContactId, Contact> Contacts { get; } = [];

    private Contact[]? _scan;

    /// <summary>The committed contacts as one array, for scans that compile their test into the loop; rebuilt after a commit changed contacts.</summary>
    public Contact[] ScanArray => _scan ??= [.. Contacts.Values];

    /// <summary>Drops <see cref="ScanArray"/> after contacts changed.</summary>
    public void ContactsChanged() => _scan = null;

    /// <summary>Normalized email → the contact holding it.</summary>
    public Dictionary<string, ContactId> ContactsByEmail { get; } = new(StringComparer.Ordinal);

    /// <summary>Every contact's position in each listing order, ascending, so a page costs O(log n + page size).</summary>
    public Dictionary<ContactSortField, SortedSet<ContactPosition>> Orders { get; } = Enum.GetValues<ContactSortField>()
        .ToDictionary(f => f, _ => new SortedSet<ContactPosition>(Ascending));

    /// <summary>Declared custom fields by name, case-insensitively.</summary>
    public Dictionary<string, CustomFieldDefinition> CustomFields { get; } = new(StringComparer.OrdinalIgnoreCase);

    /// <summary>Every audit entry, in commit order.</summary>
    public List<AuditEntry> Audit { get; } = [];

    /// <summary>Adds a committed contact to the listing orders.</summary>
    public void Index(Contact contact)
    {
        foreach (var (field, order) in Orders)
        {
            order.Add(new ContactPosition(ContactOrder.KeyOf(contact, field), contact.Id));
        }
    }

    /// <summary>Removes a committed contact from the listing orders.</summary>
    public void Unindex(Contact contact)
    {
        foreach (var (field, order) in Orders)
        {
            order.Remove(new ContactPosition(ContactOrder.KeyOf(contact, field), contact.Id));
        }
    }

    /// <summary>Audit entries by (entity type, entity id), in commit order.</summary>
    public Dictionary<(string Type, string Id), List<AuditEntry>> AuditByEntity { get; } = [];

    /// <summary>Lists by id.</summary>
    public Dictionary<ListId, ContactList> Lists { get; } = [];

    /// <summary>List name key → list.</summary>
    public Dictionary<string, ListId> ListsByKey { get; } = new(StringComparer.Ordinal);

    /// <summary>Each list's memberships (a list without any may have no entry).</summary>
    public Dictionary<ListId, ListMembers> Members { get; } = [];

    /// <summary>Each contact's memberships by list (a contact without any may have no entry).</summary>
    public Dictionary<ContactId, Dictionary<ListId, ListMembership>> MembershipsByContact { get; } = [];

    /// <summary>Membership history in commit order.</summary>
    public List<MembershipHistoryEntry> History { get; } = [];

    /// <summary>Membership history by contact, in commit order.</summary>
    public Dictionary<ContactId, List<MembershipHistoryEntry>> HistoryByContact { get; } = [];

    /// <summary>The committed number of active members of a list.</summary>
    public long ActiveCount(ListId list) => Members.TryGetValue(list, out var members) ? members.Active : 0;

    /// <inheritdoc />
    public MembershipStatus? StatusOf(ContactId contact, string listKey)
        => ListsByKey.TryGetValue(listKey, out var list)
            && Members.TryGetValue(list, out var members)
            && members.ByContact.TryGetValue(contact, out var membership)
                ? membership.Status
                : null;

    /// <summary>Stores a membership (new or replacing the one of the same list and contact), keeping counts and indexes.</summary>
    public void Put(ListMembership membership)
    {
        if (!Members.TryGetValue(membership.ListId, out var members))
        {
            Members[membership.ListId] = members = new ListMembers();
        }

        members.Put(membership);
        if (!MembershipsByContact.TryGetValue(membership.ContactId, out var byList))
        {
            MembershipsByContact[membership.ContactId] = byList = [];
        }

        byList[membership.ListId] = membership;
    }

    /// <summary>Removes a membership, keeping counts and indexes.</summary>
    public void Delete(ListId list, ContactId contact)
    {
        if (Members.TryGetValue(list, out var members))
        {
            members.Delete(contact);
        }

        if (MembershipsByContact.TryGetValue(contact, out var byList))
        {
            byList.Remove(list);
            if (byList.Count == 0)
            {
                MembershipsByContact.Remove(contact);
            }
        }
    }
}

/// <summary>The memberships of one list, with the counts a refresh and the member count need.</summary>
internal sealed class ListMembers
{
    private ContactId[]? _sorted;

    public Dictionary<ContactId, ListMembership> ByContact { get; } = [];

    /// <summary>Memberships with status active.</summary>
    public int Active { get; private set; }

    /// <summary>Memberships not unsubscribed (active or pending): those a refresh may remove.</summary>
    public int Removable { get; private set; }

    /// <summary>The members' contact ids in order, for pages; rebuilt after a change.</summary>
    public ContactId[] Sorted
    {
        get
        {
            if (_sorted is null)
            {
                _sorted = [.. ByContact.Keys];
                Array.Sort(_sorted);
            }

            return _sorted;
        }
    }

    public void Put(ListMembership membership)
    {
        Delete(membership.ContactId);
        ByContact[membership.ContactId] = membership;
        Count(membership, 1);
        _sorted = null;
    }

    public void Delete(ContactId contact)
    {
        if (ByContact.Remove(contact, out var old))
        {
            Count(old, -1);
            _sorted = null;
        }
    }

    private void Count(ListMembership membership, int sign)
    {
        Active += membership.Status == MembershipStatus.Active ? sign : 0;
        Removable += membership.Status != MembershipStatus.Unsubscribed ? sign : 0;
    }
}
