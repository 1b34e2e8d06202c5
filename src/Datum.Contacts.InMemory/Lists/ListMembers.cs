namespace Datum.Contacts.InMemory;

/// <summary>The memberships of one list, with the counts a refresh and the member count need.</summary>
internal sealed class ListMembers
{
    private ContactId[]? _sorted;
    private ulong[] _any = [];
    private ulong[] _removable = [];

    public Dictionary<ContactId, ListMembership> ByContact { get; } = [];

    /// <summary>By contact slot: the members not unsubscribed (those a refresh may remove). Words past the end are all clear.</summary>
    public ReadOnlySpan<ulong> RemovableBits => _removable;

    /// <summary>Whether the contact in a slot has a membership, whatever its status.</summary>
    public bool HasMembership(int slot) => (slot >> 6) < _any.Length && (_any[slot >> 6] & (1UL << slot)) != 0;

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

    public void Put(ListMembership membership, int slot)
    {
        Delete(membership.ContactId, slot);
        ByContact[membership.ContactId] = membership;
        Count(membership, 1);
        Set(ref _any, slot, true);
        Set(ref _removable, slot, membership.Status != MembershipStatus.Unsubscribed);
        _sorted = null;
    }

    public void Delete(ContactId contact, int slot)
    {
        if (ByContact.Remove(contact, out var old))
        {
            Count(old, -1);
            Set(ref _any, slot, false);
            Set(ref _removable, slot, false);
            _sorted = null;
        }
    }

    private static void Set(ref ulong[] bits, int slot, bool on)
    {
        var word = slot >> 6;
        if (word >= bits.Length)
        {
            if (!on)
            {
                return;
            }

            Array.Resize(ref bits, Math.Max(word + 1, bits.Length * 2));
        }

        bits[word] = on ? bits[word] | (1UL << slot) : bits[word] & ~(1UL << slot);
    }

    private void Count(ListMembership membership, int sign)
    {
        Active += membership.Status == MembershipStatus.Active ? sign : 0;
        Removable += membership.Status != MembershipStatus.Unsubscribed ? sign : 0;
    }
}
