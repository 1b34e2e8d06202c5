namespace Datum.Contacts.EntityFrameworkCore;

/// <summary>An audit entry; its field changes are a JSON array.</summary>
internal sealed class AuditEntryRow : ITimeOrderedRow
{
    public string TenantId { get; set; } = string.Empty;

    public Guid Id { get; set; }

    public long OccurredAtTicks { get; set; }

    public ActorKind ActorKind { get; set; }

    public string ActorId { get; set; } = string.Empty;

    public string Action { get; set; } = string.Empty;

    public string EntityType { get; set; } = string.Empty;

    public string EntityId { get; set; } = string.Empty;

    public string Changes { get; set; } = "[]";

    public string? CorrelationId { get; set; }
}
