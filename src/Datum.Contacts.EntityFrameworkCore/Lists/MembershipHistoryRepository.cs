using Microsoft.EntityFrameworkCore;

namespace Datum.Contacts.EntityFrameworkCore;

/// <summary>The append-only history of memberships, read newest first.</summary>
internal sealed class MembershipHistoryRepository(EntityFrameworkCoreUnitOfWork uow) : IMembershipHistoryRepository
{
    public void Append(MembershipHistoryEntry entry)
    {
        ArgumentNullException.ThrowIfNull(entry);
        uow.Guard.ThrowIfUnusable();
        uow.Guard.CheckTenant(entry.Tenant, "membership history entry");
        uow.NewHistory.Add(entry);
    }

    public async ValueTask<IReadOnlyList<MembershipHistoryEntry>> ReadAsync(MembershipHistoryQuery query, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(query);
        var rows = uow.HistoryRows.AsNoTracking();
        if (query.Contact is { } contact)
        {
            var contactKey = contact.Value;
            rows = rows.Where(e => e.ContactId == contactKey);
        }

        if (query.List is { } list)
        {
            var listKey = list.Value;
            rows = rows.Where(e => e.ListId == listKey);
        }

        var before = query.Before is { } position ? (position.OccurredAt, position.Id) : ((DateTimeOffset, Guid)?)null;
        var page = await NewestFirst.PageAsync(rows, query.AtOrBefore, before, query.Limit, cancellationToken).ConfigureAwait(false);
        return page.Select(ListRowMapper.ToEntry).ToList();
    }
}
