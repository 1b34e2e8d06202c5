namespace Datum.Contacts.InMemory;

/// <summary>This tenant's audit log, read newest first; entries are appended at commit.</summary>
internal sealed class AuditLogRepository(InMemoryUnitOfWork uow) : IAuditLogRepository
{
    public void Append(AuditEntry entry)
    {
        ArgumentNullException.ThrowIfNull(entry);
        uow.Guard.ThrowIfUnusable();
        uow.Guard.CheckTenant(entry.Tenant, "audit entry");
        uow.NewAuditEntries.Add(entry);
    }

    public ValueTask<IReadOnlyList<AuditEntry>> ReadAsync(AuditLogQuery query, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(query);
        cancellationToken.ThrowIfCancellationRequested();
        lock (uow.Partition.Gate)
        {
            IEnumerable<AuditEntry> source = query.EntityType is null
                ? uow.Partition.Audit
                : query.EntityId is null
                    ? uow.Partition.Audit.Where(e => e.EntityType == query.EntityType)
                    : uow.Partition.AuditByEntity.GetValueOrDefault((query.EntityType, query.EntityId)) ?? [];
            var page = source
                .Where(e => query.Before is null || query.Before.Precedes(e))
                .OrderByDescending(e => e.OccurredAt.UtcTicks)
                .ThenByDescending(e => e.Id)
                .Take(query.Limit)
                .ToList();
            return ValueTask.FromResult<IReadOnlyList<AuditEntry>>(page);
        }
    }
}
