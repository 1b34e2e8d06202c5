using System.Buffers;
using System.Numerics;

namespace Datum.Contacts.InMemory;

/// <summary>This tenant's list memberships; changes are queued on the unit of work until commit.</summary>
internal sealed class MembershipRepository(InMemoryUnitOfWork uow) : IListMembershipRepository
{
    private TenantPartition Partition => uow.Partition;

    public ValueTask<ListMembership?> FindAsync(ListId list, ContactId contact, CancellationToken cancellationToken)
    {
        cancellationToken.ThrowIfCancellationRequested();
        lock (Partition.Gate)
        {
            return ValueTask.FromResult(Load(uow.Committed((list, contact))));
        }
    }

    public ValueTask<IReadOnlyList<ListMembership>> FindManyAsync(ListId list, IReadOnlyCollection<ContactId> contacts, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(contacts);
        cancellationToken.ThrowIfCancellationRequested();
        lock (Partition.Gate)
        {
            var found = new List<ListMembership>();
            if (Partition.Members.TryGetValue(list, out var members))
            {
                foreach (var contact in contacts.Distinct())
                {
                    if (members.ByContact.TryGetValue(contact, out var membership))
                    {
                        found.Add(Load(membership)!);
                    }
                }
            }

            return ValueTask.FromResult<IReadOnlyList<ListMembership>>(found);
        }
    }

    public ValueTask<IReadOnlyList<ListMembership>> ForContactsAsync(IReadOnlyCollection<ContactId> contacts, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(contacts);
        cancellationToken.ThrowIfCancellationRequested();
        lock (Partition.Gate)
        {
            var found = new List<ListMembership>();
            foreach (var contact in contacts.Count == 1 ? contacts : contacts.Distinct())
            {
                if (Partition.MembershipsByContact.TryGetValue(contact, out var byList))
                {
                    found.EnsureCapacity(found.Count + byList.Count);
                    foreach (var membership in byList.Values)
                    {
                        found.Add(Load(membership)!);
                    }
                }
            }

            return ValueTask.FromResult<IReadOnlyList<ListMembership>>(found);
        }
    }

    public ValueTask<IReadOnlyList<ListMembership>> ForListAsync(ListId list, CancellationToken cancellationToken)
    {
        cancellationToken.ThrowIfCancellationRequested();
        lock (Partition.Gate)
        {
            IReadOnlyList<ListMembership> found = Partition.Members.TryGetValue(list, out var members)
                ? [.. members.ByContact.Values.Select(m => Load(m)!)]
                : [];
            return ValueTask.FromResult(found);
        }
    }

    public ValueTask<IReadOnlyList<ListMember>> PageAsync(MembershipPageQuery query, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(query);
        cancellationToken.ThrowIfCancellationRequested();
        lock (Partition.Gate)
        {
            var page = new List<ListMember>();
            if (!Partition.Members.TryGetValue(query.List, out var members))
            {
                return ValueTask.FromResult<IReadOnlyList<ListMember>>(page);
            }

            using var scope = MemberOfCriteriaExtension.Use(Partition);
            using var consents = ConsentCriteriaExtension.Use(Partition.ConsentData);
            var sorted = members.Sorted;
            var start = 0;
            if (query.After is { } after)
            {
                start = Array.BinarySearch(sorted, after);
                start = start < 0 ? ~start : start + 1;
            }

            var filter = query.Filter?.Predicate;
            for (var i = start; i < sorted.Length && page.Count < query.Limit; i++)
            {
                var membership = members.ByContact[sorted[i]];
                if (query.Status is { } status && membership.Status != status)
                {
                    continue;
                }

                var contact = Partition.Contacts[sorted[i]];
                if (filter is null || filter(contact))
                {
                    page.Add(new ListMember(Load(membership)!, uow.ContactReader.Load(contact)!));
                }
            }

            return ValueTask.FromResult<IReadOnlyList<ListMember>>(page);
        }
    }

    public ValueTask<MembershipDelta> DiffAsync(ListId list, CompiledCriteria criteria, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(criteria);
        cancellationToken.ThrowIfCancellationRequested();
        lock (Partition.Gate)
        {
            using var scope = MemberOfCriteriaExtension.Use(Partition);
            using var consents = ConsentCriteriaExtension.Use(Partition.ConsentData);
            var contacts = Partition.ScanArray;
            var slots = Partition.ScanSlots;
            var members = Partition.Members.GetValueOrDefault(list);
            var entering = new List<ContactId>();
            var leaving = new List<ListMembership>();
            var matches = ArrayPool<int>.Shared.Rent(Math.Max(contacts.Length, 1));
            var words = (Partition.SlotCapacity + 63) >> 6;
            var matched = ArrayPool<ulong>.Shared.Rent(Math.Max(words, 1));
            try
            {
                var count = criteria.FindMatches(contacts, matches);
                Array.Clear(matched, 0, words);
                for (var i = 0; i < count; i++)
                {
                    var position = matches[i];
                    var slot = slots[position];
                    matched[slot >> 6] |= 1UL << slot;
                    if (members is null || !members.HasMembership(slot))
                    {
                        entering.Add(contacts[position].Id);
                    }
                }

                // Leaving: the members a refresh may remove whose contact did not match, a word of slots at a time.
                var removable = members is null ? default : members.RemovableBits;
                for (var word = 0; word < removable.Length && word < words; word++)
                {
                    for (var bits = removable[word] & ~matched[word]; bits != 0; bits &= bits - 1)
                    {
                        var contact = Partition.ContactAt((word << 6) + BitOperations.TrailingZeroCount(bits));
                        leaving.Add(Load(members!.ByContact[contact])!);
                    }
                }
            }
            finally
            {
                ArrayPool<int>.Shared.Return(matches);
                ArrayPool<ulong>.Shared.Return(matched);
            }

            return ValueTask.FromResult(new MembershipDelta(entering, leaving));
        }
    }

    public void Add(ListMembership membership)
    {
        ArgumentNullException.ThrowIfNull(membership);
        uow.Guard.ThrowIfUnusable();
        uow.Guard.CheckTenant(membership.Tenant, "membership");
        var key = (membership.ListId, membership.ContactId);
        uow.AddedMemberships.Add(key);
        uow.MembershipChanges.Add((key, membership.Copy(), null, false));
    }

    public void Update(ListMembership membership)
    {
        ArgumentNullException.ThrowIfNull(membership);
        var key = (membership.ListId, membership.ContactId);
        var expected = uow.Guard.ExpectedVersion(membership, uow.AddedMemberships.Contains(key));
        uow.MembershipChanges.Add((key, membership.Copy(), expected, expected is null));
    }

    public void Remove(ListMembership membership)
    {
        ArgumentNullException.ThrowIfNull(membership);
        var key = (membership.ListId, membership.ContactId);
        var expected = uow.Guard.ExpectedVersion(membership, uow.AddedMemberships.Contains(key));
        uow.MembershipChanges.Add((key, null, expected, expected is null));
    }

    private ListMembership? Load(ListMembership? stored)
    {
        if (stored is null)
        {
            return null;
        }

        uow.Guard.Loaded(stored);
        return stored.Copy();
    }
}
