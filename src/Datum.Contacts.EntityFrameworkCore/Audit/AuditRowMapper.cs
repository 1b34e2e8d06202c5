using System.Text.Json;

namespace Datum.Contacts.EntityFrameworkCore;

/// <summary>Copies audit entries onto rows and rebuilds them from rows.</summary>
internal static class AuditRowMapper
{
    public static AuditEntryRow ToRow(AuditEntry entry) => new()
    {
        TenantId = entry.Tenant.Value,
        Id = entry.Id,
        OccurredAtTicks = entry.OccurredAt.UtcTicks,
        ActorKind = entry.Actor.Kind,
        ActorId = entry.Actor.Id,
        Action = entry.Action,
        EntityType = entry.EntityType,
        EntityId = entry.EntityId,
        Changes = JsonSerializer.Serialize(entry.Changes, AuditJson.Options),
        CorrelationId = entry.CorrelationId,
    };

    public static AuditEntry ToEntry(AuditEntryRow row) => new(
        row.Id,
        TenantId.Parse(row.TenantId),
        new DateTimeOffset(row.OccurredAtTicks, TimeSpan.Zero),
        new Actor(row.ActorKind, row.ActorId),
        row.Action,
        row.EntityType,
        row.EntityId,
        JsonSerializer.Deserialize<List<FieldChange>>(row.Changes, AuditJson.Options) ?? [],
        row.CorrelationId);
}

/// <summary>How audit field changes are written as JSON.</summary>
internal static class AuditJson
{
    public static readonly JsonSerializerOptions Options = new(JsonSerializerDefaults.Web);
}
