using System.Buffers;
using System.Numerics;

namespace Datum.Contacts.InMemory;

/// <summary>The list, membership and history side of the in-memory unit of work.</summary>
internal sealed partial class InMemoryUnitOfWork
{
    private readonly List<(ListId Id, ContactList? After, long? ExpectedVersion)> _listChanges = [];
    // ExpectedVersion null: a new membership; AddedHere: a change to one this unit of work added (no version to check).
    private readonly List<((ListId List, ContactId Contact) Key, ListMembership? After, long? ExpectedVersion, bool AddedHere)> _membershipChanges = [];
    private readonly HashSet<(ListId, ContactId)> _addedMemberships = [];
    private readonly List<MembershipHistoryEntry> _newHistory = [];

    /// <summary>Replays the queued list changes over the committed state, checking versions and names; the net state per id.</summary>
    private Dictionary<ListId, ContactList?> StageLists()
    {
        var staged = new Dictionary<ListId, ContactList?>();
        foreach (var (id, after, expected) in _listChanges)
        {
            var current = staged.TryGetValue(id, out var s) ? s : _partition.Lists.GetValueOrDefault(id);
            if (expected is null)
            {
                if (current is not null)
                {
                    throw new InvalidOperationException($"A list with id '{id}' already exists; ids must be new.");
                }
            }
            else if (current is null || (!staged.ContainsKey(id) && current.Version != expected))
            {
                throw new ConcurrencyConflictException(AuditEntityTypes.List, id.ToString(), expected.Value, current?.Version);
            }

            staged[id] = after;
        }

        var claimed = new Dictionary<string, ListId>(StringComparer.Ordinal);
        foreach (var (id, after) in staged)
        {
            if (after is null)
            {
                continue;
            }

            if (!claimed.TryAdd(after.NameKey, id))
            {
                throw new DuplicateListNameException(after.Name, claimed[after.NameKey]);
            }

            if (_partition.ListsByKey.TryGetValue(after.NameKey, out var holder) && holder != id)
            {
                var holderAfter = staged.TryGetValue(holder, out var h) ? h : _partition.Lists[holder];
                if (holderAfter?.NameKey == after.NameKey)
                {
                    throw new DuplicateListNameException(after.Name, holder);
                }
            }
        }

        return staged;
    }

    /// <summary>
    /// Replays the queued membership changes, checking versions, that a new membership is new, and that every
    /// membership left belongs to a list and a contact that exist after this unit of work.
    /// </summary>
    private Dictionary<(ListId List, ContactId Contact), ListMembership?> StageMemberships(Dictionary<ContactId, Contact?> contacts, Dictionary<ListId, ContactList?> lists)
    {
        var staged = new Dictionary<(ListId List, ContactId Contact), ListMembership?>();
        foreach (var (key, after, expected, addedHere) in _membershipChanges)
        {
            var current = staged.TryGetValue(key, out var s) ? s : Committed(key);
            var entity = $"{key.List}/{key.Contact}";
            if (addedHere)
            {
                if (current is null)
                {
                    throw new ConcurrencyConflictException("membership", entity, 1, null);
                }
            }
            else if (expected is null)
            {
                if (current is not null)
                {
                    throw new ConcurrencyConflictException("membership", entity, 0, current.Version);
                }
            }
            else if (current is null || (!staged.ContainsKey(key) && current.Version != expected))
            {
                throw new ConcurrencyConflictException("membership", entity, expected.Value, current?.Version);
            }

            staged[key] = after;
        }

        foreach (var (key, after) in staged)
        {
            if (after is null)
            {
                continue;
            }

            var list = lists.TryGetValue(key.List, out var l) ? l : _partition.Lists.GetValueOrDefault(key.List);
            var contact = contacts.TryGetValue(key.Contact, out var c) ? c : _partition.Contacts.GetValueOrDefault(key.Contact);
            if (list is null || contact is null)
            {
                throw new ConcurrencyConflictException("membership", $"{key.List}/{key.Contact}", 0, null);
            }
        }

        // A deleted list or contact must leave no membership behind (a database's foreign keys refuse it too).
        foreach (var (id, after) in lists)
        {
            if (after is null && _partition.Members.TryGetValue(id, out var members)
                && members.ByContact.Keys.Any(contact => !staged.TryGetValue((id, contact), out var m) || m is not null))
            {
                throw new ConcurrencyConflictException(AuditEntityTypes.List, id.ToString(), _partition.Lists[id].Version, _partition.Lists[id].Version);
            }
        }

        foreach (var (id, after) in contacts)
        {
            if (after is null && _partition.MembershipsByContact.TryGetValue(id, out var byList)
                && byList.Keys.Any(list => !staged.TryGetValue((list, id), out var m) || m is not null))
            {
                var version = _partition.Contacts.GetValueOrDefault(id)?.Version ?? 0;
                throw new ConcurrencyConflictException(AuditEntityTypes.Contact, id.ToString(), version, version);
            }
        }

        return staged;
    }

    private ListMembership? Committed((ListId List, ContactId Contact) key)
        => _partition.Members.TryGetValue(key.List, out var members) ? members.ByContact.GetValueOrDefault(key.Contact) : null;

    private void ApplyLists(Dictionary<ListId, ContactList?> lists, Dictionary<(ListId List, ContactId Contact), ListMembership?> memberships)
    {
        foreach (var (key, after) in memberships)
        {
            if (after is null)
            {
                _partition.Delete(key.List, key.Contact);
            }
            else
            {
                _partition.Put(after.Copy());
            }
        }

        if (lists.Count > 0)
        {
            _partition.ListsChanged();
        }

        foreach (var (id, after) in lists)
        {
            if (_partition.Lists.Remove(id, out var before))
            {
                _partition.ListsByKey.Remove(before.NameKey);
            }

            if (after is null)
            {
                _partition.Members.Remove(id);
                continue;
            }

            var stored = after.Copy(0);
            _partition.Lists[id] = stored;
            _partition.ListsByKey[stored.NameKey] = id;
        }

        foreach (var entry in _newHistory)
        {
            _partition.History.Add(entry);
            if (!_partition.HistoryByContact.TryGetValue(entry.Contact, out var forContact))
            {
                _partition.HistoryByContact[entry.Contact] = forContact = [];
            }

            forContact.Add(entry);
        }
    }

    private sealed class ListRepository(InMemoryUnitOfWork uow) : IContactListRepository
    {
        private TenantPartition Partition => uow._partition;

        public ValueTask<ContactList?> FindAsync(ListId id, CancellationToken cancellationToken)
        {
            cancellationToken.ThrowIfCancellationRequested();
            lock (Partition.Gate)
            {
                return ValueTask.FromResult(Load(Partition.Lists.GetValueOrDefault(id)));
            }
        }

        public ValueTask<ContactList?> FindByNameAsync(string name, CancellationToken cancellationToken)
        {
            ArgumentNullException.ThrowIfNull(name);
            cancellationToken.ThrowIfCancellationRequested();
            lock (Partition.Gate)
            {
                return ValueTask.FromResult(
                    Partition.ListsByKey.TryGetValue(ContactList.KeyOf(name), out var id) ? Load(Partition.Lists[id]) : null);
            }
        }

        public ValueTask<IReadOnlyList<ContactList>> ListAsync(ListPageQuery query, CancellationToken cancellationToken)
        {
            ArgumentNullException.ThrowIfNull(query);
            cancellationToken.ThrowIfCancellationRequested();
            lock (Partition.Gate)
            {
                IReadOnlyList<ContactList> page = [.. Partition.Lists.Values
                    .Where(l => query.After is not { } after || l.Id > after)
                    .OrderBy(l => l.Id)
                    .Take(query.Limit)
                    .Select(l => Load(l)!)];
                return ValueTask.FromResult(page);
            }
        }

        public ValueTask<IReadOnlyList<ContactList>> ListDynamicAsync(CancellationToken cancellationToken)
        {
            cancellationToken.ThrowIfCancellationRequested();
            lock (Partition.Gate)
            {
                return ValueTask.FromResult(Partition.DynamicLists);
            }
        }

        public void Add(ContactList list)
        {
            ArgumentNullException.ThrowIfNull(list);
            uow._guard.ThrowIfUnusable();
            uow._guard.CheckTenant(list.Tenant, "list");
            uow._listChanges.Add((list.Id, list.Copy(0), null));
        }

        public void Update(ContactList list)
        {
            ArgumentNullException.ThrowIfNull(list);
            uow._listChanges.Add((list.Id, list.Copy(0), uow._guard.ExpectedVersion(list)));
        }

        public void Remove(ContactList list)
        {
            ArgumentNullException.ThrowIfNull(list);
            uow._listChanges.Add((list.Id, null, uow._guard.ExpectedVersion(list)));
        }

        private ContactList? Load(ContactList? stored)
        {
            if (stored is null)
            {
                return null;
            }

            uow._guard.Loaded(stored);
            return stored.Copy(Partition.ActiveCount(stored.Id));
        }
    }

    private sealed class MembershipRepository(InMemoryUnitOfWork uow) : IListMembershipRepository
    {
        private TenantPartition Partition => uow._partition;

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
            uow._guard.ThrowIfUnusable();
            uow._guard.CheckTenant(membership.Tenant, "membership");
            var key = (membership.ListId, membership.ContactId);
            uow._addedMemberships.Add(key);
            uow._membershipChanges.Add((key, membership.Copy(), null, false));
        }

        public void Update(ListMembership membership)
        {
            ArgumentNullException.ThrowIfNull(membership);
            var key = (membership.ListId, membership.ContactId);
            var expected = uow._guard.ExpectedVersion(membership, uow._addedMemberships.Contains(key));
            uow._membershipChanges.Add((key, membership.Copy(), expected, expected is null));
        }

        public void Remove(ListMembership membership)
        {
            ArgumentNullException.ThrowIfNull(membership);
            var key = (membership.ListId, membership.ContactId);
            var expected = uow._guard.ExpectedVersion(membership, uow._addedMemberships.Contains(key));
            uow._membershipChanges.Add((key, null, expected, expected is null));
        }

        private ListMembership? Load(ListMembership? stored)
        {
            if (stored is null)
            {
                return null;
            }

            uow._guard.Loaded(stored);
            return stored.Copy();
        }
    }

    private sealed class HistoryRepository(InMemoryUnitOfWork uow) : IMembershipHistoryRepository
    {
        public void Append(MembershipHistoryEntry entry)
        {
            ArgumentNullException.ThrowIfNull(entry);
            uow._guard.ThrowIfUnusable();
            uow._guard.CheckTenant(entry.Tenant, "membership history entry");
            uow._newHistory.Add(entry);
        }

        public ValueTask<IReadOnlyList<MembershipHistoryEntry>> ReadAsync(MembershipHistoryQuery query, CancellationToken cancellationToken)
        {
            ArgumentNullException.ThrowIfNull(query);
            cancellationToken.ThrowIfCancellationRequested();
            lock (uow._partition.Gate)
            {
                IEnumerable<MembershipHistoryEntry> source = query.Contact is { } contact
                    ? uow._partition.HistoryByContact.GetValueOrDefault(contact) ?? []
                    : uow._partition.History;
                IReadOnlyList<MembershipHistoryEntry> page = [.. source
                    .Where(e => (query.List is not { } list || e.List == list)
                        && (query.AtOrBefore is not { } at || e.OccurredAt.UtcTicks <= at.UtcTicks)
                        && (query.Before is not { } before || before.Precedes(e)))
                    .OrderByDescending(e => e.OccurredAt.UtcTicks)
                    .ThenByDescending(e => e.Id)
                    .Take(query.Limit)];
                return ValueTask.FromResult(page);
            }
        }
    }
}
