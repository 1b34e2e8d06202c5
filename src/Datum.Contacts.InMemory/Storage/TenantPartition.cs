namespace Datum.Contacts.InMemory;

/// <summary>One tenant's committed data. Every access holds <see cref="Gate"/>.</summary>
internal sealed class TenantPartition(TenantId tenant) : IMembershipStatusSource
{
    public TenantId Tenant { get; } = tenant;

    public Lock Gate { get; } = new();

    public Dictionary<ContactId, Contact> Contacts { get; } = [];

    private Contact[]? _scan;
    private int[] _scanSlots = [];

    // Every stored contact has a slot, a small number kept while it is stored, so a list's memberships can also be
    // kept as bit sets by slot, and a refresh compares a scan's matches with them a word at a time.
    private readonly Dictionary<ContactId, int> _slots = [];
    private readonly Stack<int> _freeSlots = new();
    private ContactId[] _slotContacts = new ContactId[64];
    private IReadOnlyList<ContactList>? _dynamicLists;

    /// <summary>The committed contacts as one array, for scans that compile their test into the loop; rebuilt after a commit changed contacts.</summary>
    public Contact[] ScanArray
    {
        get
        {
            if (_scan is null)
            {
                var scan = new Contact[Contacts.Count];
                var slots = new int[scan.Length];
                var i = 0;
                foreach (var contact in Contacts.Values)
                {
                    scan[i] = contact;
                    slots[i++] = _slots[contact.Id];
                }

                (_scan, _scanSlots) = (scan, slots);
            }

            return _scan;
        }
    }

    /// <summary>The slot of each contact of <see cref="ScanArray"/>, position by position.</summary>
    public int[] ScanSlots => ScanArray.Length == _scanSlots.Length ? _scanSlots : throw new InvalidOperationException("The scan array and its slots are out of step.");

    /// <summary>One more than the highest slot ever given: the length, in bits, a bit set by slot needs.</summary>
    public int SlotCapacity { get; private set; }

    /// <summary>Drops <see cref="ScanArray"/> after contacts changed.</summary>
    public void ContactsChanged() => _scan = null;

    /// <summary>The contact in a slot.</summary>
    public ContactId ContactAt(int slot) => _slotContacts[slot];

    /// <summary>Gives a newly stored contact its slot (an updated one keeps its own).</summary>
    public void AssignSlot(ContactId id)
    {
        if (_slots.ContainsKey(id))
        {
            return;
        }

        var slot = _freeSlots.Count > 0 ? _freeSlots.Pop() : SlotCapacity++;
        if (slot >= _slotContacts.Length)
        {
            Array.Resize(ref _slotContacts, _slotContacts.Length * 2);
        }

        _slotContacts[slot] = id;
        _slots[id] = slot;
    }

    /// <summary>Frees the slot of a contact no longer stored (after its memberships are gone).</summary>
    public void FreeSlot(ContactId id)
    {
        if (_slots.Remove(id, out var slot))
        {
            _slotContacts[slot] = default;
            _freeSlots.Push(slot);
        }
    }

    /// <summary>
    /// Copies of the committed dynamic lists in id order, shared by every unit of work until a commit changes a list
    /// (see <see cref="IContactListRepository.ListDynamicAsync"/>: read-only, member counts not kept).
    /// </summary>
    public IReadOnlyList<ContactList> DynamicLists
        => _dynamicLists ??= [.. Lists.Values.Where(l => l.Kind == ListKind.Dynamic).OrderBy(l => l.Id).Select(l => l.Copy(0))];

    /// <summary>Drops <see cref="DynamicLists"/> after lists changed.</summary>
    public void ListsChanged() => _dynamicLists = null;

    /// <summary>Normalized email → the contact holding it.</summary>
    public Dictionary<string, ContactId> ContactsByEmail { get; } = new(StringComparer.Ordinal);

    /// <summary>Every contact's position in each listing order, ascending, so a page costs O(log n + page size).</summary>
    public Dictionary<ContactSortField, SortedSet<OrderEntry>> Orders { get; } = Enum.GetValues<ContactSortField>()
        .ToDictionary(f => f, _ => new SortedSet<OrderEntry>(OrderEntry.Ascending));

    /// <summary>Declared custom fields by name, case-insensitively.</summary>
    public Dictionary<string, CustomFieldDefinition> CustomFields { get; } = new(StringComparer.OrdinalIgnoreCase);

    /// <summary>Every audit entry, in commit order.</summary>
    public List<AuditEntry> Audit { get; } = [];

    /// <summary>Adds a committed contact to the listing orders.</summary>
    public void Index(Contact contact)
    {
        foreach (var (field, order) in Orders)
        {
            order.Add(new OrderEntry(ContactOrder.KeyOf(contact, field), contact.Id));
        }
    }

    /// <summary>Removes a committed contact from the listing orders.</summary>
    public void Unindex(Contact contact)
    {
        foreach (var (field, order) in Orders)
        {
            order.Remove(new OrderEntry(ContactOrder.KeyOf(contact, field), contact.Id));
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

    /// <summary>Consents, their ledger, suppressions, engagements and the audience policy.</summary>
    public ConsentData ConsentData { get; } = new();

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

        members.Put(membership, _slots[membership.ContactId]);
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
            members.Delete(contact, _slots[contact]);
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

/// <summary>
/// A contact's place in one listing order (a <see cref="ContactPosition"/> by value, 32 bytes): held inline in the
/// order's tree node, not as an object of its own per contact and order.
/// </summary>
internal readonly record struct OrderEntry
{
    /// <summary>The listing order, ascending: key, then id (<see cref="ContactOrder"/>'s rules).</summary>
    public static readonly IComparer<OrderEntry> Ascending = Comparer<OrderEntry>.Create(static (a, b) =>
    {
        var result = a.Text is null && b.Text is null
            ? a.Ticks.CompareTo(b.Ticks)
            : ContactOrder.Compare(new ContactSortKey(null, a.Text), new ContactSortKey(null, b.Text));
        return result != 0 ? result : a.Id.CompareTo(b.Id);
    });

    /// <summary>An entry for a sort key: the instant of a time key (as UTC ticks), or the text of a text key.</summary>
    /// <param name="key">The sort key.</param>
    /// <param name="id">The contact.</param>
    public OrderEntry(ContactSortKey key, ContactId id)
    {
        Text = key.Time is null ? key.Text ?? string.Empty : null;
        Ticks = key.Time?.UtcTicks ?? 0;
        Id = id;
    }

    /// <summary>The text key; null for a time key.</summary>
    public string? Text { get; }

    /// <summary>The time key's instant in UTC ticks; 0 for a text key.</summary>
    public long Ticks { get; }

    /// <summary>The contact.</summary>
    public ContactId Id { get; }
}
