using Microsoft.EntityFrameworkCore;

namespace Datum.Contacts.EntityFrameworkCore;

/// <summary>
/// The list side of the unit of work: lists, memberships and membership history, queued like contacts and written
/// in the same transaction. Member counts are the store's: each commit adds to a list's count the change in its
/// active memberships that the commit makes, computed from the statuses the memberships had when they were loaded
/// (which the version claim proves are still the stored ones).
/// </summary>
internal sealed partial class EntityFrameworkCoreUnitOfWork
{
    internal const string MembershipEntity = "membership";

    internal List<(ContactList List, bool Removed, long? ExpectedVersion)> ListChanges { get; } = [];
    internal List<MembershipChange> MembershipChanges { get; } = [];
    internal Dictionary<(ListId List, ContactId Contact), MembershipStatus> LoadedStatuses { get; } = [];
    internal List<MembershipHistoryEntry> NewHistory { get; } = [];

    /// <summary>This tenant's list rows.</summary>
    internal IQueryable<ListRow> ListRows => Context.Set<ListRow>().Where(r => r.TenantId == TenantKey);

    /// <summary>This tenant's membership rows.</summary>
    internal IQueryable<ListMembershipRow> MembershipRows => Context.Set<ListMembershipRow>().Where(r => r.TenantId == TenantKey);

    /// <summary>This tenant's membership history rows.</summary>
    internal IQueryable<MembershipHistoryRow> HistoryRows => Context.Set<MembershipHistoryRow>().Where(r => r.TenantId == TenantKey);

    private static string EntityOf(ListId list, ContactId contact) => $"{list}/{contact}";

    /// <summary>
    /// Checks list names, claims the lists and memberships to change at the versions the caller read (in id order,
    /// so that concurrent commits lock rows in the same order), adds each list's active-membership delta to its
    /// member count, and applies the queued list, membership and history changes to the context.
    /// </summary>
    private async Task StageListsAsync(CancellationToken cancellationToken)
    {
        if (ListChanges.Count == 0 && MembershipChanges.Count == 0 && NewHistory.Count == 0 && SetBasedChanges.Count == 0)
        {
            return;
        }

        var lists = StagedLists();
        var memberships = StagedMemberships();
        await CheckListNamesAsync(lists, cancellationToken).ConfigureAwait(false);

        foreach (var (id, staged) in lists.Where(l => l.Value.Expected is not null).OrderBy(l => l.Key))
        {
            var key = id.Value;
            var expected = staged.Expected!.Value;
            var claimed = await ListRows
                .Where(r => r.Id == key && r.Version == expected)
                .ExecuteUpdateAsync(set => set.SetProperty(r => r.Version, r => r.Version), cancellationToken)
                .ConfigureAwait(false);
            if (claimed == 0)
            {
                throw await ListConflictAsync(key, expected, null).ConfigureAwait(false);
            }
        }

        // The member counts, before the membership rows: the count update locks each list row first (PostgreSQL),
        // as a concurrent rename of the list does, so the two wait for each other instead of deadlocking. A list a
        // set-based refresh changes is locked here too; its count moves by the counts the refresh must meet (or, in
        // a cascade, by what it did, once done).
        var deltas = MemberCountDeltas(memberships);
        var refreshed = new HashSet<ListId>();
        foreach (var change in SetBasedChanges.Where(c => c.Criteria is not null))
        {
            refreshed.Add(change.List);
            deltas[change.List] = deltas.GetValueOrDefault(change.List) + (change.Expected is { } expected ? expected.Entering - expected.LeavingActive : 0);
        }

        foreach (var (id, delta) in deltas.OrderBy(d => d.Key))
        {
            if ((delta == 0 && !refreshed.Contains(id)) || (lists.TryGetValue(id, out var staged) && (staged.Expected is null || staged.After is null)))
            {
                continue; // a list added here gets its count on insert; a removed one has none left
            }

            var key = id.Value;
            await ListRows
                .Where(r => r.Id == key)
                .ExecuteUpdateAsync(set => set.SetProperty(r => r.MemberCount, r => r.MemberCount + delta), cancellationToken)
                .ConfigureAwait(false);
        }

        foreach (var ((list, contact), staged) in memberships.Where(m => m.Value.Existed).OrderBy(m => m.Key.List).ThenBy(m => m.Key.Contact))
        {
            var listKey = list.Value;
            var contactKey = contact.Value;
            var expected = staged.Expected;
            var claimed = await MembershipRows
                .Where(r => r.ListId == listKey && r.ContactId == contactKey && r.Version == expected)
                .ExecuteUpdateAsync(set => set.SetProperty(r => r.Version, r => r.Version), cancellationToken)
                .ConfigureAwait(false);
            if (claimed == 0)
            {
                throw await MembershipConflictAsync(list, contact, expected, null).ConfigureAwait(false);
            }
        }

        foreach (var (id, staged) in lists)
        {
            var row = new ListRow();
            if (staged.After is { } after)
            {
                ListRowMapper.CopyTo(after, row);
            }
            else
            {
                row.TenantId = TenantKey;
                row.Id = id.Value;
            }

            if (staged.Expected is not { } expected)
            {
                if (staged.After is not null)
                {
                    row.MemberCount = deltas.GetValueOrDefault(id);
                    Context.Add(row);
                }

                continue;
            }

            var entry = Context.Entry(row);
            entry.State = staged.After is null ? EntityState.Deleted : EntityState.Modified;
            if (staged.After is not null)
            {
                entry.Property(r => r.MemberCount).IsModified = false;
            }

            entry.Property(r => r.Version).OriginalValue = expected;
        }

        foreach (var (_, staged) in memberships)
        {
            if (!staged.Existed)
            {
                if (staged.After is { } added)
                {
                    Context.Add(ListRowMapper.ToRow(added));
                }

                continue;
            }

            var entry = Context.Entry(ListRowMapper.ToRow(staged.After ?? staged.Before!));
            entry.State = staged.After is null ? EntityState.Deleted : EntityState.Modified;
            entry.Property(r => r.Version).OriginalValue = staged.Expected;
        }

        foreach (var entry in NewHistory)
        {
            Context.Add(ListRowMapper.ToRow(entry));
        }

        // A deleted list's memberships go before the list does.
        await ApplySetBasedChangesAsync(removals: true, cancellationToken).ConfigureAwait(false);
    }

    /// <summary>The net change per list: the list after the queued changes (null when removed) and the version it was loaded at (null when added here).</summary>
    private Dictionary<ListId, (ContactList? After, long? Expected)> StagedLists()
    {
        var staged = new Dictionary<ListId, (ContactList? After, long? Expected)>();
        foreach (var (list, removed, expected) in ListChanges)
        {
            if (!staged.TryGetValue(list.Id, out var earlier))
            {
                staged[list.Id] = (removed ? null : list, expected);
                continue;
            }

            if (expected is null && earlier.After is not null)
            {
                throw new InvalidOperationException($"A list with id '{list.Id}' already exists; ids must be new.");
            }

            staged[list.Id] = (removed ? null : list, earlier.Expected);
        }

        return staged;
    }

    /// <summary>
    /// The net change per membership: whether it existed when this unit of work read it (with that version and
    /// status), and what it is after the queued changes (null when removed or never added).
    /// </summary>
    private Dictionary<(ListId List, ContactId Contact), StagedMembership> StagedMemberships()
    {
        var staged = new Dictionary<(ListId List, ContactId Contact), StagedMembership>();
        foreach (var change in MembershipChanges)
        {
            var membership = change.Membership;
            var key = (membership.ListId, membership.ContactId);
            if (!staged.TryGetValue(key, out var net))
            {
                net = change.ExpectedVersion is { } expected
                    ? new StagedMembership(true, expected, change.LoadedStatus, membership)
                    : new StagedMembership(false, 0, null, null);
                staged[key] = net;
            }
            else if (change.Operation == MembershipOperation.Add && net.After is not null)
            {
                throw new ConcurrencyConflictException(MembershipEntity, EntityOf(key.ListId, key.ContactId), 0, net.After.Version);
            }

            net.After = change.Operation == MembershipOperation.Remove ? null : membership;
        }

        return staged;
    }

    /// <summary>Per list, how many more active memberships there are after the queued changes than when they were read.</summary>
    private static Dictionary<ListId, long> MemberCountDeltas(Dictionary<(ListId List, ContactId Contact), StagedMembership> memberships)
    {
        var deltas = new Dictionary<ListId, long>();
        foreach (var ((list, _), staged) in memberships)
        {
            var delta = (staged.After?.IsActive == true ? 1 : 0) - (staged.Existed && staged.LoadedStatus == MembershipStatus.Active ? 1 : 0);
            if (delta != 0)
            {
                deltas[list] = deltas.GetValueOrDefault(list) + delta;
            }
        }

        return deltas;
    }

    /// <summary>One list per name key: among the staged lists, and against the stored ones this unit of work leaves in place.</summary>
    private async Task CheckListNamesAsync(Dictionary<ListId, (ContactList? After, long? Expected)> lists, CancellationToken cancellationToken)
    {
        var claimed = new Dictionary<string, ContactList>(StringComparer.Ordinal);
        foreach (var (_, (after, _)) in lists)
        {
            if (after is not null && !claimed.TryAdd(after.NameKey, after))
            {
                throw new DuplicateListNameException(after.Name, claimed[after.NameKey].Id);
            }
        }

        if (claimed.Count == 0)
        {
            return;
        }

        var keys = claimed.Keys.ToList();
        var holders = await ListRows.AsNoTracking()
            .Where(r => keys.Contains(r.NameKey))
            .Select(r => new { r.Id, r.NameKey })
            .ToListAsync(cancellationToken)
            .ConfigureAwait(false);
        foreach (var holder in holders)
        {
            var holderId = new ListId(holder.Id);
            var wanted = claimed[holder.NameKey];
            if (holderId == wanted.Id)
            {
                continue;
            }

            // The holder keeps the name unless this unit of work deletes it or renames it.
            if (!lists.TryGetValue(holderId, out var holderAfter) || holderAfter.After?.NameKey == holder.NameKey)
            {
                throw new DuplicateListNameException(wanted.Name, holderId);
            }
        }
    }

    /// <summary>
    /// After a save a constraint refused (the transaction is rolled back): says which list or membership change
    /// lost to a concurrent writer, as the checks before saving would have, or returns when none did.
    /// </summary>
    private async Task DiagnoseListsAsync()
    {
        if (ListChanges.Count == 0 && MembershipChanges.Count == 0)
        {
            return;
        }

        var cancellationToken = CancellationToken.None;
        var lists = StagedLists();
        foreach (var (id, staged) in lists.Where(l => l.Value.Expected is not null))
        {
            var key = id.Value;
            var actual = await ListRows.AsNoTracking().Where(r => r.Id == key).Select(r => (long?)r.Version).FirstOrDefaultAsync(cancellationToken).ConfigureAwait(false);
            if (actual != staged.Expected)
            {
                throw new ConcurrencyConflictException(AuditEntityTypes.List, id.ToString(), staged.Expected!.Value, actual);
            }
        }

        await CheckListNamesAsync(lists, cancellationToken).ConfigureAwait(false);

        var memberships = StagedMemberships();
        foreach (var ((list, contact), staged) in memberships.Where(m => m.Value.Existed))
        {
            var (listKey, contactKey) = (list.Value, contact.Value);
            var actual = await MembershipRows.AsNoTracking().Where(r => r.ListId == listKey && r.ContactId == contactKey)
                .Select(r => (long?)r.Version).FirstOrDefaultAsync(cancellationToken).ConfigureAwait(false);
            if (actual != staged.Expected)
            {
                throw new ConcurrencyConflictException(MembershipEntity, EntityOf(list, contact), staged.Expected, actual);
            }
        }

        // New memberships: not there already, and on a list and of a contact that exist after this unit of work.
        var contacts = StagedContacts();
        foreach (var group in memberships.Where(m => !m.Value.Existed && m.Value.After is not null).GroupBy(m => m.Key.List))
        {
            var listKey = group.Key.Value;
            var listExists = lists.TryGetValue(group.Key, out var stagedList)
                ? stagedList.After is not null
                : await ListRows.AnyAsync(r => r.Id == listKey, cancellationToken).ConfigureAwait(false);
            foreach (var chunk in group.Select(m => m.Key.Contact).Chunk(ChunkSize))
            {
                var ids = chunk.Select(c => c.Value).ToList();
                var existing = await MembershipRows.AsNoTracking().Where(r => r.ListId == listKey && ids.Contains(r.ContactId))
                    .Select(r => new { r.ContactId, r.Version }).FirstOrDefaultAsync(cancellationToken).ConfigureAwait(false);
                if (existing is not null)
                {
                    throw new ConcurrencyConflictException(MembershipEntity, EntityOf(group.Key, new ContactId(existing.ContactId)), 0, existing.Version);
                }

                var stored = await ContactRows.Where(r => ids.Contains(r.Id)).Select(r => r.Id).ToListAsync(cancellationToken).ConfigureAwait(false);
                var missing = chunk.FirstOrDefault(c => !listExists || (contacts.TryGetValue(c, out var after) ? after is null : !stored.Contains(c.Value)));
                if (missing != default)
                {
                    throw new ConcurrencyConflictException(MembershipEntity, EntityOf(group.Key, missing), 0, null);
                }
            }
        }

        // A removed list or contact must have no membership left that this unit of work does not remove.
        foreach (var (id, staged) in lists.Where(l => l.Value.After is null && l.Value.Expected is not null))
        {
            var key = id.Value;
            if (SetBasedChanges.FirstOrDefault(c => c.List == id && c.Criteria is null) is { Expected: { } removing })
            {
                if (await MembershipRows.CountAsync(r => r.ListId == key, cancellationToken).ConfigureAwait(false) != removing.Leaving)
                {
                    throw MovedConflict(SetBasedChanges.First(c => c.List == id), "had memberships added or removed by another writer while it was deleted", null);
                }

                continue;
            }

            var members = await MembershipRows.Where(r => r.ListId == key).Select(r => r.ContactId).ToListAsync(cancellationToken).ConfigureAwait(false);
            if (members.Any(c => !memberships.TryGetValue((id, new ContactId(c)), out var m) || m.After is not null))
            {
                throw new ConcurrencyConflictException(AuditEntityTypes.List, id.ToString(), staged.Expected!.Value, staged.Expected);
            }
        }

        foreach (var (id, expected) in ContactChanges.Where(c => c.Removed && c.ExpectedVersion is not null).Select(c => (c.Contact.Id, c.ExpectedVersion!.Value)))
        {
            var key = id.Value;
            var on = await MembershipRows.Where(r => r.ContactId == key).Select(r => r.ListId).ToListAsync(cancellationToken).ConfigureAwait(false);
            if (on.Any(l => !memberships.TryGetValue((new ListId(l), id), out var m) || m.After is not null))
            {
                throw new ConcurrencyConflictException(AuditEntityTypes.Contact, id.ToString(), expected, expected);
            }
        }
    }

    private async Task<ConcurrencyConflictException> ListConflictAsync(Guid id, long expected, Exception? inner)
    {
        var actual = await ListRows.AsNoTracking().Where(r => r.Id == id).Select(r => (long?)r.Version).FirstOrDefaultAsync().ConfigureAwait(false);
        return new ConcurrencyConflictException(AuditEntityTypes.List, new ListId(id).ToString(), expected, actual, inner);
    }

    private async Task<ConcurrencyConflictException> MembershipConflictAsync(ListId list, ContactId contact, long expected, Exception? inner)
    {
        var (listKey, contactKey) = (list.Value, contact.Value);
        var actual = await MembershipRows.AsNoTracking().Where(r => r.ListId == listKey && r.ContactId == contactKey)
            .Select(r => (long?)r.Version).FirstOrDefaultAsync().ConfigureAwait(false);
        return new ConcurrencyConflictException(MembershipEntity, EntityOf(list, contact), expected, actual, inner);
    }

    internal ContactList LoadList(ListRow row)
    {
        var list = ListRowMapper.ToList(row);
        Guard.Loaded(list);
        return list;
    }

    internal ListMembership LoadMembership(ListMembershipRow row)
    {
        var membership = ListRowMapper.ToMembership(row);
        Guard.Loaded(membership);
        LoadedStatuses[(membership.ListId, membership.ContactId)] = membership.Status;
        return membership;
    }

    internal async Task<List<ListMembership>> LoadMembershipsAsync(IQueryable<ListMembershipRow> rows, CancellationToken cancellationToken)
    {
        var page = await rows.AsNoTracking().ToListAsync(cancellationToken).ConfigureAwait(false);
        return page.Select(LoadMembership).ToList();
    }

    /// <summary>A membership's net change in this unit of work.</summary>
    private sealed class StagedMembership(bool existed, long expected, MembershipStatus? loadedStatus, ListMembership? before)
    {
        public bool Existed { get; } = existed;

        public long Expected { get; } = expected;

        public MembershipStatus? LoadedStatus { get; } = loadedStatus;

        /// <summary>The first state queued for a membership that existed: its key is all a deletion needs.</summary>
        public ListMembership? Before { get; } = before;

        public ListMembership? After { get; set; }
    }
}
