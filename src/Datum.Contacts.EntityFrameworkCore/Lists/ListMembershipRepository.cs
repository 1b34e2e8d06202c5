using Microsoft.EntityFrameworkCore;

namespace Datum.Contacts.EntityFrameworkCore;

/// <summary>The membership repository with set-based maintenance, as a unit of work on a provider that has it hands it out.</summary>
internal interface ISetBasedListMembershipRepository : IListMembershipRepository, ISetBasedMembershipMaintenance;

/// <summary>
/// This tenant's list memberships, read set-based in SQL (pages, criteria diffs); changes are queued until commit,
/// including set-based refreshes and removals (see <see cref="EntityFrameworkCoreUnitOfWork.SetBasedChanges"/>).
/// </summary>
internal sealed class ListMembershipRepository(EntityFrameworkCoreUnitOfWork uow) : ISetBasedListMembershipRepository
{
    public async ValueTask<ListMembership?> FindAsync(ListId list, ContactId contact, CancellationToken cancellationToken)
    {
        var (listKey, contactKey) = (list.Value, contact.Value);
        var row = await uow.MembershipRows.AsNoTracking()
            .FirstOrDefaultAsync(r => r.ListId == listKey && r.ContactId == contactKey, cancellationToken)
            .ConfigureAwait(false);
        return row is null ? null : uow.LoadMembership(row);
    }

    public async ValueTask<IReadOnlyList<ListMembership>> FindManyAsync(ListId list, IReadOnlyCollection<ContactId> contacts, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(contacts);
        var listKey = list.Value;
        var found = new List<ListMembership>();
        foreach (var chunk in contacts.Select(c => c.Value).Distinct().Chunk(EntityFrameworkCoreUnitOfWork.ChunkSize))
        {
            var ids = chunk.ToList();
            found.AddRange(await uow.LoadMembershipsAsync(
                uow.MembershipRows.Where(r => r.ListId == listKey && ids.Contains(r.ContactId)).OrderBy(r => r.ContactId),
                cancellationToken).ConfigureAwait(false));
        }

        return found;
    }

    public async ValueTask<IReadOnlyList<ListMembership>> ForContactsAsync(IReadOnlyCollection<ContactId> contacts, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(contacts);
        var found = new List<ListMembership>();
        foreach (var chunk in contacts.Select(c => c.Value).Distinct().Chunk(EntityFrameworkCoreUnitOfWork.ChunkSize))
        {
            var ids = chunk.ToList();
            found.AddRange(await uow.LoadMembershipsAsync(
                uow.MembershipRows.Where(r => ids.Contains(r.ContactId)).OrderBy(r => r.ContactId).ThenBy(r => r.ListId),
                cancellationToken).ConfigureAwait(false));
        }

        return found;
    }

    public async ValueTask<IReadOnlyList<ListMembership>> ForListAsync(ListId list, CancellationToken cancellationToken)
    {
        var listKey = list.Value;
        return await uow.LoadMembershipsAsync(uow.MembershipRows.Where(r => r.ListId == listKey).OrderBy(r => r.ContactId), cancellationToken).ConfigureAwait(false);
    }

    public async ValueTask<IReadOnlyList<ListMember>> PageAsync(MembershipPageQuery query, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(query);
        var listKey = query.List.Value;
        var rows = uow.MembershipRows.Where(r => r.ListId == listKey);
        if (query.Status is { } status)
        {
            rows = rows.Where(r => r.Status == status);
        }

        if (query.After is { } after)
        {
            var afterKey = after.Value;
            rows = rows.Where(r => r.ContactId.CompareTo(afterKey) > 0);
        }

        if (query.Filter is { } filter)
        {
            var matching = uow.ContactRows.Where(CriteriaSqlTranslator.Translate(filter));
            rows = rows.Where(r => matching.Any(c => c.Id == r.ContactId));
        }

        var page = await rows.AsNoTracking().OrderBy(r => r.ContactId).Take(query.Limit).ToListAsync(cancellationToken).ConfigureAwait(false);
        var contacts = await uow.LoadContactRowsAsync(page.Select(r => r.ContactId), cancellationToken).ConfigureAwait(false);

        // A contact removed between the two reads took its membership with it: leave it out.
        return page
            .Where(r => contacts.ContainsKey(r.ContactId))
            .Select(r => new ListMember(uow.LoadMembership(r), uow.Load(contacts[r.ContactId])))
            .ToList();
    }

    public async ValueTask<MembershipDelta> DiffAsync(ListId list, CompiledCriteria criteria, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(criteria);
        var listKey = list.Value;
        var matching = uow.ContactRows.Where(CriteriaSqlTranslator.Translate(criteria));

        // Two set-based statements.
        var entering = await uow.Entering(matching, listKey)
            .OrderBy(c => c.Id)
            .Select(c => c.Id)
            .ToListAsync(cancellationToken)
            .ConfigureAwait(false);
        var leaving = await uow.LoadMembershipsAsync(
            EntityFrameworkCoreUnitOfWork.Leaving(uow.MembershipRows.Where(r => r.ListId == listKey), matching).OrderBy(m => m.ContactId),
            cancellationToken).ConfigureAwait(false);
        return new MembershipDelta(entering.Select(id => new ContactId(id)).ToList(), leaving);
    }

    public async ValueTask<MembershipDeltaCounts> CountAsync(ListId list, CompiledCriteria? criteria, CancellationToken cancellationToken)
    {
        var listKey = list.Value;
        var matching = criteria is null ? null : uow.ContactRows.Where(CriteriaSqlTranslator.Translate(criteria));
        var entering = matching is null ? 0 : await uow.Entering(matching, listKey).CountAsync(cancellationToken).ConfigureAwait(false);
        var leaving = await EntityFrameworkCoreUnitOfWork.Leaving(uow.MembershipRows.Where(r => r.ListId == listKey), matching)
            .GroupBy(m => m.Status)
            .Select(g => new { Status = g.Key, Count = g.Count() })
            .ToListAsync(cancellationToken)
            .ConfigureAwait(false);
        return new MembershipDeltaCounts(entering, leaving.Sum(g => g.Count), leaving.Where(g => g.Status == MembershipStatus.Active).Sum(g => g.Count));
    }

    public void Queue(SetBasedMembershipChange change)
    {
        ArgumentNullException.ThrowIfNull(change);
        uow.Guard.ThrowIfUnusable();
        uow.SetBasedChanges.Add(change);
    }

    public async ValueTask<IReadOnlyList<MembershipHistoryEntry>> ReadChangesAsync(SetBasedMembershipChange change, Guid? after, int limit, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(change);
        var rows = uow.WrittenBy(change);
        if (after is { } position)
        {
            rows = rows.Where(h => h.Id.CompareTo(position) > 0);
        }

        var page = await rows.AsNoTracking().OrderBy(h => h.Id).Take(limit).ToListAsync(cancellationToken).ConfigureAwait(false);
        return page.Select(ListRowMapper.ToEntry).ToList();
    }

    public void Add(ListMembership membership)
    {
        ArgumentNullException.ThrowIfNull(membership);
        uow.Guard.ThrowIfUnusable();
        uow.Guard.CheckTenant(membership.Tenant, EntityFrameworkCoreUnitOfWork.MembershipEntity);
        uow.MembershipChanges.Add(new MembershipChange(membership.Copy(), MembershipOperation.Add, null, null));
    }

    public void Update(ListMembership membership) => Queue(membership, MembershipOperation.Update);

    public void Remove(ListMembership membership) => Queue(membership, MembershipOperation.Remove);

    private void Queue(ListMembership membership, MembershipOperation operation)
    {
        ArgumentNullException.ThrowIfNull(membership);
        var key = (membership.ListId, membership.ContactId);
        var addedHere = uow.MembershipChanges.Exists(c => c.Operation == MembershipOperation.Add && (c.Membership.ListId, c.Membership.ContactId) == key);
        var expected = uow.Guard.ExpectedVersion(membership, addedHere);
        MembershipStatus? loaded = expected is null ? null : uow.LoadedStatuses[key];
        uow.MembershipChanges.Add(new MembershipChange(membership.Copy(), operation, expected, loaded));
    }
}
