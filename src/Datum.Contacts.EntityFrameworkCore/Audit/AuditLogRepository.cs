using Microsoft.EntityFrameworkCore;

namespace Datum.Contacts.EntityFrameworkCore;

/// <summary>This tenant's audit log, read newest first; entries are appended at commit.</summary>
internal sealed class AuditLogRepository(EntityFrameworkCoreUnitOfWork uow) : IAuditLogRepository
{
    public void Append(AuditEntry entry)
    {
        ArgumentNullException.ThrowIfNull(entry);
        uow.Guard.ThrowIfUnusable();
        uow.Guard.CheckTenant(entry.Tenant, "audit entry");
        uow.NewAuditEntries.Add(entry);
    }

    public async ValueTask<IReadOnlyList<AuditEntry>> ReadAsync(AuditLogQuery query, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(query);
        var tenant = uow.TenantKey;
        var rows = uow.Context.Set<AuditEntryRow>().AsNoTracking().Where(e => e.TenantId == tenant);
        if (query.EntityType is { } type)
        {
            rows = rows.Where(e => e.EntityType == type);
            if (query.EntityId is { } entityId)
            {
                rows = rows.Where(e => e.EntityId == entityId);
            }
        }

        var before = query.Before is { } position ? (position.OccurredAt, position.Id) : ((DateTimeOffset, Guid)?)null;
        var page = await NewestFirst.PageAsync(rows, null, before, query.Limit, cancellationToken).ConfigureAwait(false);
        return page.Select(AuditRowMapper.ToEntry).ToList();
    }
}
