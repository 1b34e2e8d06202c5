using Microsoft.EntityFrameworkCore;

namespace Datum.Contacts.EntityFrameworkCore;

/// <summary>Engagement events (sends and the like), read for frequency caps and newest first.</summary>
internal sealed class EngagementRepository(EntityFrameworkCoreUnitOfWork uow) : IEngagementRepository
{
    public void Append(EngagementEvent engagement)
    {
        ArgumentNullException.ThrowIfNull(engagement);
        uow.Guard.ThrowIfUnusable();
        uow.Guard.CheckTenant(engagement.Tenant, "engagement event");
        uow.NewEngagements.Add(engagement);
    }

    public async ValueTask<IReadOnlyList<LatestSend>> LatestSendsAsync(IReadOnlyCollection<ContactId> contacts, Channel channel, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(contacts);
        var channelKey = channel.Value;
        var byContact = new Dictionary<Guid, List<LatestSend>>();
        var order = contacts.Select(c => c.Value).Distinct().ToList();
        foreach (var chunk in order.Chunk(EntityFrameworkCoreUnitOfWork.ChunkSize))
        {
            var ids = chunk.ToList();
            var latest = await uow.EngagementRows.AsNoTracking()
                .Where(r => ids.Contains(r.ContactId) && r.Channel == channelKey && r.Kind == EngagementKind.Sent)
                .GroupBy(r => new { r.ContactId, r.ListId })
                .Select(g => new { g.Key.ContactId, g.Key.ListId, SentAtTicks = g.Max(r => r.OccurredAtTicks) })
                .ToListAsync(cancellationToken)
                .ConfigureAwait(false);
            foreach (var send in latest.OrderBy(s => s.ListId.HasValue).ThenBy(s => s.ListId))
            {
                if (!byContact.TryGetValue(send.ContactId, out var sends))
                {
                    byContact[send.ContactId] = sends = [];
                }

                sends.Add(new LatestSend(new ContactId(send.ContactId), send.ListId is { } list ? new ListId(list) : null, new DateTimeOffset(send.SentAtTicks, TimeSpan.Zero)));
            }
        }

        return order.Where(byContact.ContainsKey).SelectMany(id => byContact[id]).ToList();
    }

    public async ValueTask<IReadOnlyList<EngagementEvent>> ReadAsync(ContactId contact, int limit, CancellationToken cancellationToken)
    {
        var contactKey = contact.Value;
        var page = await NewestFirst.PageAsync(uow.EngagementRows.AsNoTracking().Where(r => r.ContactId == contactKey), null, null, limit, cancellationToken)
            .ConfigureAwait(false);
        return page.Select(ConsentRowMapper.ToEngagement).ToList();
    }

    public void RemoveForContact(ContactId contact)
    {
        uow.Guard.ThrowIfUnusable();
        uow.EngagementsRemoved.Add(contact);
    }
}
