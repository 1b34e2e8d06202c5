namespace Datum.Contacts;

/// <summary>One field of an aggregate that changed: its old and new value as invariant text (null when absent).</summary>
/// <param name="Field">The field path, such as <c>email</c> or <c>customFields.score</c>.</param>
/// <param name="OldValue">The value before; null when the field was absent.</param>
/// <param name="NewValue">The value after; null when the field is now absent.</param>
public sealed record FieldChange(string Field, string? OldValue, string? NewValue);

/// <summary>
/// One append-only record of a change to an aggregate, written in the same unit of work as the change itself.
/// </summary>
public sealed class AuditEntry
{
    /// <summary>Creates an entry.</summary>
    /// <param name="id">A unique, time-ordered id.</param>
    /// <param name="tenant">The tenant the changed aggregate belongs to.</param>
    /// <param name="occurredAt">When the change was made.</param>
    /// <param name="actor">Who made it.</param>
    /// <param name="action">What was done, such as <c>contact.updated</c> (see <see cref="AuditActions"/>).</param>
    /// <param name="entityType">The aggregate type, such as <c>contact</c>.</param>
    /// <param name="entityId">The aggregate id.</param>
    /// <param name="changes">The fields that changed.</param>
    /// <param name="correlationId">Ties together entries caused by one request or job.</param>
    public AuditEntry(Guid id, TenantId tenant, DateTimeOffset occurredAt, Actor actor, string action, string entityType, string entityId, IReadOnlyList<FieldChange> changes, string? correlationId)
    {
        Guard.Against.DefaultTenant(tenant);
        Guard.Against.Null(actor);
        Guard.Against.NullOrWhiteSpace(action);
        Guard.Against.NullOrWhiteSpace(entityType);
        Guard.Against.NullOrWhiteSpace(entityId);
        Guard.Against.Null(changes);
        Id = id;
        Tenant = tenant;
        OccurredAt = occurredAt;
        Actor = actor;
        Action = action;
        EntityType = entityType;
        EntityId = entityId;
        Changes = changes;
        CorrelationId = correlationId;
    }

    /// <summary>A unique, time-ordered id.</summary>
    public Guid Id { get; }

    /// <summary>The tenant.</summary>
    public TenantId Tenant { get; }

    /// <summary>When the change was made.</summary>
    public DateTimeOffset OccurredAt { get; }

    /// <summary>Who made it.</summary>
    public Actor Actor { get; }

    /// <summary>What was done (see <see cref="AuditActions"/>).</summary>
    public string Action { get; }

    /// <summary>The aggregate type (see <see cref="AuditEntityTypes"/>).</summary>
    public string EntityType { get; }

    /// <summary>The aggregate id.</summary>
    public string EntityId { get; }

    /// <summary>The fields that changed, old → new.</summary>
    public IReadOnlyList<FieldChange> Changes { get; }

    /// <summary>Ties together entries caused by one request or job (the current trace id when there is one).</summary>
    public string? CorrelationId { get; }
}

/// <summary>The aggregate types named in audit entries.</summary>
public static class AuditEntityTypes
{
    /// <summary>A suppression list entry (id: kind and value, such as <c>Email:someone@example.com</c>).</summary>
    public const string Suppression = "suppression";

    /// <summary>The tenant's audience policy (id: <c>policy</c>).</summary>
    public const string AudiencePolicy = "audience-policy";

    /// <summary>A contact.</summary>
    public const string Contact = "contact";

    /// <summary>A custom field definition.</summary>
    public const string CustomField = "custom-field";

    /// <summary>A contact list (entries about its members name the list).</summary>
    public const string List = "list";
}

/// <summary>The actions named in audit entries.</summary>
public static class AuditActions
{
    /// <summary>A contact was created.</summary>
    public const string ContactCreated = "contact.created";

    /// <summary>A contact's details changed.</summary>
    public const string ContactUpdated = "contact.updated";

    /// <summary>A contact's preferences changed.</summary>
    public const string ContactPreferencesChanged = "contact.preferences-changed";

    /// <summary>A contact was deleted.</summary>
    public const string ContactDeleted = "contact.deleted";

    /// <summary>A custom field was declared.</summary>
    public const string CustomFieldDefined = "custom-field.defined";

    /// <summary>A list was created.</summary>
    public const string ListCreated = "list.created";

    /// <summary>A list's details changed.</summary>
    public const string ListUpdated = "list.updated";

    /// <summary>A list was deleted, with its memberships.</summary>
    public const string ListDeleted = "list.deleted";

    /// <summary>A dynamic list was refreshed from its criteria.</summary>
    public const string ListRefreshed = "list.refreshed";

    /// <summary>Contacts were added to a static list.</summary>
    public const string ListMembersAdded = "list.members-added";

    /// <summary>Contacts were removed from a static list.</summary>
    public const string ListMembersRemoved = "list.members-removed";

    /// <summary>A contact unsubscribed from a list.</summary>
    public const string ListMemberUnsubscribed = "list.member-unsubscribed";

    /// <summary>A contact was re-subscribed to a list.</summary>
    public const string ListMemberResubscribed = "list.member-resubscribed";

    /// <summary>A membership's notes or overrides changed.</summary>
    public const string ListMembershipUpdated = "list.membership-updated";

    /// <summary>An integration's sync state changed.</summary>
    public const string ListSyncStatusChanged = "list.sync-status-changed";

    /// <summary>A consent changed (its evidence is in the consent ledger).</summary>
    public const string ConsentChanged = "contact.consent-changed";

    /// <summary>The contact unsubscribed from everything.</summary>
    public const string ContactUnsubscribedAll = "contact.unsubscribed-all";

    /// <summary>The contact's status changed because of a consent (a new opt-in after an unsubscribe-all).</summary>
    public const string ContactResubscribed = "contact.resubscribed";

    /// <summary>The contact's privacy choices changed (do-not-sell/share, Global Privacy Control, deletion request).</summary>
    public const string ContactPrivacyChanged = "contact.privacy-changed";

    /// <summary>The contact's last-engagement time moved forward.</summary>
    public const string ContactEngaged = "contact.engaged";

    /// <summary>An address was added to the suppression list.</summary>
    public const string SuppressionAdded = "suppression.added";

    /// <summary>An address was removed from the suppression list.</summary>
    public const string SuppressionRemoved = "suppression.removed";

    /// <summary>The tenant's audience policy changed.</summary>
    public const string AudiencePolicyChanged = "audience-policy.changed";
}
