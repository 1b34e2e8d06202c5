namespace Datum.Contacts.InMemory;

/// <summary>The append-only consent ledger, read newest first.</summary>
internal sealed class ConsentEvidenceRepository(InMemoryUnitOfWork uow) : IConsentEvidenceRepository
{
    public void Append(ConsentEvidence entry)
    {
        ArgumentNullException.ThrowIfNull(entry);
        uow.Guard.ThrowIfUnusable();
        uow.Guard.CheckTenant(entry.Tenant, "consent evidence");
        uow.NewEvidence.Add(entry);
    }

    public ValueTask<IReadOnlyList<ConsentEvidence>> ReadAsync(ConsentEvidenceQuery query, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(query);
        cancellationToken.ThrowIfCancellationRequested();
        lock (uow.Partition.Gate)
        {
            IEnumerable<ConsentEvidence> source = uow.Consent.Evidence.GetValueOrDefault(query.Contact) ?? [];
            if (query.Scope is { } scope)
            {
                source = source.Where(e => e.Scope == scope);
            }

            if (query.AtOrBefore is { } at)
            {
                source = source.Where(e => e.OccurredAt <= at);
            }

            if (query.Before is { } before)
            {
                source = source.Where(e => e.OccurredAt.UtcTicks < before.OccurredAt.UtcTicks || (e.OccurredAt.UtcTicks == before.OccurredAt.UtcTicks && e.Id.CompareTo(before.Id) < 0));
            }

            return ValueTask.FromResult<IReadOnlyList<ConsentEvidence>>(
                [.. source.OrderByDescending(e => e.OccurredAt.UtcTicks).ThenByDescending(e => e.Id).Take(query.Limit)]);
        }
    }
}
