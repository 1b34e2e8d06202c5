namespace Datum.Contacts.InMemory;

/// <summary>Engagement events, read for frequency caps and newest first.</summary>
internal sealed class EngagementRepository(InMemoryUnitOfWork uow) : IEngagementRepository
{
    public void Append(EngagementEvent engagement)
    {
        ArgumentNullException.ThrowIfNull(engagement);
        uow.Guard.ThrowIfUnusable();
        uow.Guard.CheckTenant(engagement.Tenant, "engagement event");
        uow.NewEngagements.Add(engagement);
    }

    public ValueTask<IReadOnlyList<LatestSend>> LatestSendsAsync(IReadOnlyCollection<ContactId> contacts, Channel channel, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(contacts);
        cancellationToken.ThrowIfCancellationRequested();
        lock (uow.Partition.Gate)
        {
            var latest = uow.Consent.LatestSends;
            var found = new List<LatestSend>();
            if (latest.Count == 0)
            {
                return ValueTask.FromResult<IReadOnlyList<LatestSend>>(found);
            }

            foreach (var contact in contacts)
            {
                if (!latest.TryGetValue(contact, out var byKey))
                {
                    continue;
                }

                foreach (var ((sentOn, list), at) in byKey)
                {
                    if (sentOn == channel)
                    {
                        found.Add(new LatestSend(contact, list, at));
                    }
                }
            }

            return ValueTask.FromResult<IReadOnlyList<LatestSend>>(found);
        }
    }

    public ValueTask<IReadOnlyList<EngagementEvent>> ReadAsync(ContactId contact, int limit, CancellationToken cancellationToken)
    {
        cancellationToken.ThrowIfCancellationRequested();
        lock (uow.Partition.Gate)
        {
            var events = uow.Consent.Engagements.GetValueOrDefault(contact) ?? [];
            return ValueTask.FromResult<IReadOnlyList<EngagementEvent>>(
                [.. events.OrderByDescending(e => e.OccurredAt.UtcTicks).ThenByDescending(e => e.Id).Take(limit)]);
        }
    }

    public void RemoveForContact(ContactId contact)
    {
        uow.Guard.ThrowIfUnusable();
        uow.EngagementsRemoved.Add(contact);
    }
}
