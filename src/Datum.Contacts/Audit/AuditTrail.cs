using System.Diagnostics;

namespace Datum.Contacts;

/// <summary>Reads the audit log: for a whole tenant or for one aggregate, newest first, paged by cursor.</summary>
public interface IAuditTrail
{
    /// <summary>Reads every entry of a tenant, newest first.</summary>
    /// <param name="tenant">The tenant.</param>
    /// <param name="page">Page size and cursor.</param>
    /// <param name="cancellationToken">Cancels the read.</param>
    Task<Page<AuditEntry>> ReadTenantAsync(TenantId tenant, PageRequest page, CancellationToken cancellationToken = default);

    /// <summary>Reads the entries about one aggregate, newest first.</summary>
    /// <param name="tenant">The tenant.</param>
    /// <param name="entityType">The aggregate type (see <see cref="AuditEntityTypes"/>).</param>
    /// <param name="entityId">The aggregate id.</param>
    /// <param name="page">Page size and cursor.</param>
    /// <param name="cancellationToken">Cancels the read.</param>
    Task<Page<AuditEntry>> ReadEntityAsync(TenantId tenant, string entityType, string entityId, PageRequest page, CancellationToken cancellationToken = default);
}

/// <summary>Builds and reads audit entries; the one place that knows how entries are stamped and paged.</summary>
internal sealed class AuditTrail(IContactManagementStore store, Microsoft.Extensions.Options.IOptions<ContactManagementOptions> options, TimeProvider time) : IAuditTrail
{
    public Task<Page<AuditEntry>> ReadTenantAsync(TenantId tenant, PageRequest page, CancellationToken cancellationToken = default)
        => ReadAsync(tenant, null, null, page, cancellationToken);

    public Task<Page<AuditEntry>> ReadEntityAsync(TenantId tenant, string entityType, string entityId, PageRequest page, CancellationToken cancellationToken = default)
    {
        Guard.Against.NullOrWhiteSpace(entityType);
        Guard.Against.NullOrWhiteSpace(entityId);
        return ReadAsync(tenant, entityType, entityId, page, cancellationToken);
    }

    private async Task<Page<AuditEntry>> ReadAsync(TenantId tenant, string? entityType, string? entityId, PageRequest page, CancellationToken cancellationToken)
    {
        Guard.Against.DefaultTenant(tenant);
        Guard.Against.Null(page);
        var size = PageCursor.ResolveSize(page.Size, options.Value);
        var scope = entityType is null ? "audit" : $"audit:{entityType}:{entityId}";
        AuditLogPosition? before = null;
        if (page.Cursor is not null)
        {
            var (key, id) = PageCursor.Decode(page.Cursor, scope);
            before = new AuditLogPosition(PageCursor.DecodeTime(key), Guid.TryParse(id, out var guid) ? guid : throw PageCursor.Damaged());
        }

        if ((entityType is not null && !Text.IsStorable(entityType)) || (entityId is not null && !Text.IsStorable(entityId)))
        {
            return new Page<AuditEntry>([], null); // no entity type or id holds such a character, and a store could not take it
        }

        var uow = await store.BeginAsync(tenant, cancellationToken).ConfigureAwait(false);
        await using (uow.ConfigureAwait(false))
        {
            var entries = await uow.AuditLog.ReadAsync(new AuditLogQuery(size + 1, entityType, entityId, before), cancellationToken).ConfigureAwait(false);
            return PageCursor.ToPage(entries, size, scope, e => (PageCursor.EncodeTime(e.OccurredAt), e.Id.ToString("N")));
        }
    }

    /// <summary>Creates an entry stamped with the current time, a time-ordered id and the correlation id.</summary>
    public AuditEntry Entry(TenantId tenant, Actor actor, string action, string entityType, string entityId, IReadOnlyList<FieldChange> changes)
    {
        var now = time.GetUtcNow();
        return new AuditEntry(Guid.CreateVersion7(now), tenant, now, actor, action, entityType, entityId, changes, CorrelationId());
    }

    private static string CorrelationId()
        => Activity.Current is { } activity && activity.TraceId != default
            ? activity.TraceId.ToHexString()
            : Guid.NewGuid().ToString("N");
}
