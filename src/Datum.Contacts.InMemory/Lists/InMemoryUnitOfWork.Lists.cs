namespace Datum.Contacts.InMemory;

/// <summary>The list, membership and history side of the in-memory unit of work.</summary>
internal sealed partial class InMemoryUnitOfWork
{
    internal List<(ListId Id, ContactList? After, long? ExpectedVersion)> ListChanges { get; } = [];
    // ExpectedVersion null: a new membership; AddedHere: a change to one this unit of work added (no version to check).
    internal List<((ListId List, ContactId Contact) Key, ListMembership? After, long? ExpectedVersion, bool AddedHere)> MembershipChanges { get; } = [];
    internal HashSet<(ListId, ContactId)> AddedMemberships { get; } = [];
    internal List<MembershipHistoryEntry> NewHistory { get; } = [];

    /// <summary>Replays the queued list changes over the committed state, checking versions and names; the net state per id.</summary>
    private Dictionary<ListId, ContactList?> StageLists()
    {
        var staged = new Dictionary<ListId, ContactList?>();
        foreach (var (id, after, expected) in ListChanges)
        {
            var current = staged.TryGetValue(id, out var s) ? s : Partition.Lists.GetValueOrDefault(id);
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

            if (Partition.ListsByKey.TryGetValue(after.NameKey, out var holder) && holder != id)
            {
                var holderAfter = staged.TryGetValue(holder, out var h) ? h : Partition.Lists[holder];
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
        foreach (var (key, after, expected, addedHere) in MembershipChanges)
        {
            var current = staged.TryGetValue(key, out var s) ? s : Committed(key);
            if (addedHere)
            {
                if (current is null)
                {
                    throw new ConcurrencyConflictException("membership", Entity(key), 1, null);
                }
            }
            else if (expected is null)
            {
                if (current is not null)
                {
                    throw new ConcurrencyConflictException("membership", Entity(key), 0, current.Version);
                }
            }
            else if (current is null || (!staged.ContainsKey(key) && current.Version != expected))
            {
                throw new ConcurrencyConflictException("membership", Entity(key), expected.Value, current?.Version);
            }

            staged[key] = after;
        }

        foreach (var (key, after) in staged)
        {
            if (after is null)
            {
                continue;
            }

            var list = lists.TryGetValue(key.List, out var l) ? l : Partition.Lists.GetValueOrDefault(key.List);
            var contact = contacts.TryGetValue(key.Contact, out var c) ? c : Partition.Contacts.GetValueOrDefault(key.Contact);
            if (list is null || contact is null)
            {
                throw new ConcurrencyConflictException("membership", Entity(key), 0, null);
            }
        }

        // A deleted list or contact must leave no membership behind (a database's foreign keys refuse it too).
        foreach (var (id, after) in lists)
        {
            if (after is null && Partition.Members.TryGetValue(id, out var members)
                && members.ByContact.Keys.Any(contact => !staged.TryGetValue((id, contact), out var m) || m is not null))
            {
                throw new ConcurrencyConflictException(AuditEntityTypes.List, id.ToString(), Partition.Lists[id].Version, Partition.Lists[id].Version);
            }
        }

        foreach (var (id, after) in contacts)
        {
            if (after is null && Partition.MembershipsByContact.TryGetValue(id, out var byList)
                && byList.Keys.Any(list => !staged.TryGetValue((list, id), out var m) || m is not null))
            {
                var version = Partition.Contacts.GetValueOrDefault(id)?.Version ?? 0;
                throw new ConcurrencyConflictException(AuditEntityTypes.Contact, id.ToString(), version, version);
            }
        }

        return staged;
    }

    // Formatted only for an error: two ids to text for every change committed cost more than the rest of its checks.
    private static string Entity((ListId List, ContactId Contact) key) => $"{key.List}/{key.Contact}";

    internal ListMembership? Committed((ListId List, ContactId Contact) key)
        => Partition.Members.TryGetValue(key.List, out var members) ? members.ByContact.GetValueOrDefault(key.Contact) : null;

    private void ApplyLists(Dictionary<ListId, ContactList?> lists, Dictionary<(ListId List, ContactId Contact), ListMembership?> memberships)
    {
        foreach (var (key, after) in memberships)
        {
            if (after is null)
            {
                Partition.Delete(key.List, key.Contact);
            }
            else
            {
                Partition.Put(after.Copy());
            }
        }

        if (lists.Count > 0)
        {
            Partition.ListsChanged();
        }

        foreach (var (id, after) in lists)
        {
            if (Partition.Lists.Remove(id, out var before))
            {
                Partition.ListsByKey.Remove(before.NameKey);
            }

            if (after is null)
            {
                Partition.Members.Remove(id);
                continue;
            }

            var stored = after.Copy(0);
            Partition.Lists[id] = stored;
            Partition.ListsByKey[stored.NameKey] = id;
        }

        foreach (var entry in NewHistory)
        {
            Partition.History.Add(entry);
            if (!Partition.HistoryByContact.TryGetValue(entry.Contact, out var forContact))
            {
                Partition.HistoryByContact[entry.Contact] = forContact = [];
            }

            forContact.Add(entry);
        }
    }
}
