namespace Datum.Contacts.EntityFrameworkCore;

/// <summary>Copies consents, ledger entries, suppressions, engagement events and audience policies onto rows and rebuilds them from rows.</summary>
internal static class ConsentRowMapper
{
    public static ConsentRow ToRow(Consent consent) => new()
    {
        TenantId = consent.Tenant.Value,
        ContactId = consent.ContactId.Value,
        Channel = consent.Channel.Value,
        ListId = ListKey(consent.ListId),
        State = consent.State,
        PolicyVersion = consent.PolicyVersion,
        CreatedAtTicks = consent.CreatedAt.UtcTicks,
        UpdatedAtTicks = consent.UpdatedAt.UtcTicks,
        GrantedAtTicks = consent.GrantedAt?.UtcTicks,
        WithdrawnAtTicks = consent.WithdrawnAt?.UtcTicks,
        TokenHash = consent.TokenHash,
        TokenExpiresAtTicks = consent.TokenExpiresAt?.UtcTicks,
        Version = consent.Version,
    };

    public static Consent ToConsent(ConsentRow row) => Consent.Restore(
        TenantId.Parse(row.TenantId),
        new ContactId(row.ContactId),
        new ConsentScope(Channel.Parse(row.Channel), row.ListId == ConsentRow.ChannelWide ? null : new ListId(row.ListId)),
        row.State,
        row.PolicyVersion,
        Time(row.CreatedAtTicks),
        Time(row.UpdatedAtTicks),
        ToTime(row.GrantedAtTicks),
        ToTime(row.WithdrawnAtTicks),
        row.TokenHash,
        ToTime(row.TokenExpiresAtTicks),
        row.Version);

    /// <summary>The key column of a consent's list: the list's id, or <see cref="ConsentRow.ChannelWide"/>.</summary>
    public static Guid ListKey(ListId? list) => list?.Value ?? ConsentRow.ChannelWide;

    public static ConsentEvidenceRow ToRow(ConsentEvidence entry) => new()
    {
        TenantId = entry.Tenant.Value,
        Id = entry.Id,
        ContactId = entry.ContactId.Value,
        Channel = entry.Channel.Value,
        ListId = entry.ListId?.Value,
        Action = entry.Action,
        FromState = entry.From,
        ToState = entry.To,
        OccurredAtTicks = entry.OccurredAt.UtcTicks,
        ActorKind = entry.Actor.Kind,
        ActorId = entry.Actor.Id,
        Source = entry.Source,
        PolicyVersion = entry.PolicyVersion,
        LawfulBasis = entry.LawfulBasis,
        IpAddress = entry.IpAddress,
        UserAgent = entry.UserAgent,
    };

    public static ConsentEvidence ToEvidence(ConsentEvidenceRow row) => new(
        row.Id,
        TenantId.Parse(row.TenantId),
        new ContactId(row.ContactId),
        Channel.Parse(row.Channel),
        row.ListId is { } list ? new ListId(list) : null,
        row.Action,
        row.FromState,
        row.ToState,
        Time(row.OccurredAtTicks),
        new Actor(row.ActorKind, row.ActorId),
        row.Source,
        row.PolicyVersion,
        row.LawfulBasis,
        row.IpAddress,
        row.UserAgent);

    public static SuppressionRow ToRow(SuppressionEntry entry) => new()
    {
        TenantId = entry.Tenant.Value,
        Kind = entry.Kind,
        Value = entry.Value,
        Reason = entry.Reason,
        Note = entry.Note,
        CreatedAtTicks = entry.CreatedAt.UtcTicks,
        ActorKind = entry.Actor.Kind,
        ActorId = entry.Actor.Id,
    };

    public static SuppressionEntry ToEntry(SuppressionRow row) => new(
        TenantId.Parse(row.TenantId),
        row.Kind,
        row.Value,
        row.Reason,
        row.Note,
        Time(row.CreatedAtTicks),
        new Actor(row.ActorKind, row.ActorId));

    public static EngagementRow ToRow(EngagementEvent engagement) => new()
    {
        TenantId = engagement.Tenant.Value,
        Id = engagement.Id,
        ContactId = engagement.ContactId.Value,
        Channel = engagement.Channel.Value,
        ListId = engagement.ListId?.Value,
        Kind = engagement.Kind,
        OccurredAtTicks = engagement.OccurredAt.UtcTicks,
    };

    public static EngagementEvent ToEngagement(EngagementRow row) => new(
        row.Id,
        TenantId.Parse(row.TenantId),
        new ContactId(row.ContactId),
        Channel.Parse(row.Channel),
        row.ListId is { } list ? new ListId(list) : null,
        row.Kind,
        Time(row.OccurredAtTicks));

    public static AudiencePolicyRow ToRow(AudiencePolicy policy) => new()
    {
        TenantId = policy.Tenant.Value,
        QuietHoursStartTicks = policy.QuietHours?.Start.Ticks,
        QuietHoursEndTicks = policy.QuietHours?.End.Ticks,
        DefaultTimeZone = policy.DefaultTimeZone?.Value,
        UpdatedAtTicks = policy.UpdatedAt.UtcTicks,
    };

    public static AudiencePolicy ToPolicy(AudiencePolicyRow row) => new(
        TenantId.Parse(row.TenantId),
        ToQuietHours(row.QuietHoursStartTicks, row.QuietHoursEndTicks),
        row.DefaultTimeZone is null ? null : TimeZoneId.Parse(row.DefaultTimeZone),
        Time(row.UpdatedAtTicks));

    /// <summary>Quiet hours from their two ends as ticks since midnight; null when they are unset.</summary>
    public static QuietHours? ToQuietHours(long? startTicks, long? endTicks)
        => startTicks is { } start && endTicks is { } end ? QuietHours.Create(new TimeOnly(start), new TimeOnly(end)) : null;

    public static DateTimeOffset? ToTime(long? ticks) => ticks is { } value ? Time(value) : null;

    private static DateTimeOffset Time(long ticks) => new(ticks, TimeSpan.Zero);
}
