using System.Text.Json;

namespace Datum.Contacts.EntityFrameworkCore;

/// <summary>Copies lists, memberships and membership history onto rows and rebuilds them from rows.</summary>
internal static class ListRowMapper
{
    /// <summary>
    /// The limits a stored criteria is parsed back with: the widest the options allow, so that a list saved under
    /// larger limits than today's always loads (the limits guard input, and a stored criteria was checked when saved).
    /// </summary>
    private static readonly CriteriaLimits StoredCriteriaLimits = new()
    {
        MaxLength = 10_000_000,
        MaxDepth = Criteria.MaxSupportedDepth,
        MaxConditions = 100_000,
        MaxValueLength = 1_000_000,
        MaxListValues = 100_000,
        MaxDays = 1_000_000,
    };

    private static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web);

    /// <summary>Writes a list's own fields onto a row (new or tracked). Never the member count: the store maintains it.</summary>
    public static void CopyTo(ContactList list, ListRow row)
    {
        row.TenantId = list.Tenant.Value;
        row.Id = list.Id.Value;
        row.Name = list.Name;
        row.NameKey = list.NameKey;
        row.Description = list.Description;
        row.Kind = list.Kind;
        row.CriteriaText = list.Criteria?.ToString();
        row.CommunicationMethod = list.CommunicationMethod is { } method
            ? JsonSerializer.Serialize(new MethodJson(method.Channel.Value, Ordinal(method.Settings)), Json)
            : null;
        row.Integrations = JsonSerializer.Serialize(
            list.Integrations.Select(i => new IntegrationJson(
                i.System,
                i.Direction,
                Ordinal(i.FieldMapping),
                i.Status,
                i.LastSyncAt?.UtcTicks,
                i.Message)).ToList(),
            Json);
        row.Tags = JsonSerializer.Serialize(list.Tags.ToList(), Json);
        row.CreatedAtTicks = list.CreatedAt.UtcTicks;
        row.UpdatedAtTicks = list.UpdatedAt.UtcTicks;
        row.Version = list.Version;
    }

    /// <summary>Rebuilds the list a row holds, with the committed member count.</summary>
    public static ContactList ToList(ListRow row)
    {
        CommunicationMethod? method = null;
        if (row.CommunicationMethod is { } methodJson)
        {
            var stored = JsonSerializer.Deserialize<MethodJson>(methodJson, Json)!;
            method = new CommunicationMethod(Channel.Parse(stored.Channel), Ordinal(stored.Settings));
        }

        var integrations = (JsonSerializer.Deserialize<List<IntegrationJson>>(row.Integrations, Json) ?? [])
            .Select(i => new ListIntegration(
                i.System,
                i.Direction,
                Ordinal(i.FieldMapping),
                i.Status,
                i.LastSyncTicks is { } ticks ? new DateTimeOffset(ticks, TimeSpan.Zero) : null,
                i.Message))
            .ToList();
        var tags = TagSet.Restore(JsonSerializer.Deserialize<List<string>>(row.Tags, Json) ?? []);
        var details = ListDetails.Restore(
            row.Name,
            row.Description,
            row.Kind,
            row.CriteriaText is null ? null : Criteria.Parse(row.CriteriaText, StoredCriteriaLimits),
            method,
            integrations,
            tags);
        return ContactList.Restore(
            TenantId.Parse(row.TenantId),
            new ListId(row.Id),
            details,
            row.MemberCount,
            new DateTimeOffset(row.CreatedAtTicks, TimeSpan.Zero),
            new DateTimeOffset(row.UpdatedAtTicks, TimeSpan.Zero),
            row.Version);
    }

    public static ListMembershipRow ToRow(ListMembership membership) => new()
    {
        TenantId = membership.Tenant.Value,
        ListId = membership.ListId.Value,
        ContactId = membership.ContactId.Value,
        Status = membership.Status,
        Source = membership.Source,
        JoinedAtTicks = membership.JoinedAt.UtcTicks,
        UpdatedAtTicks = membership.UpdatedAt.UtcTicks,
        LastEngagementAtTicks = membership.LastEngagementAt?.UtcTicks,
        Notes = membership.Notes,
        ChannelOverrides = JsonSerializer.Serialize(
            new SortedDictionary<string, bool>(membership.ChannelOverrides.ToDictionary(c => c.Key.Value, c => c.Value), StringComparer.Ordinal),
            Json),
        FrequencyOverride = membership.FrequencyOverride,
        Version = membership.Version,
    };

    public static ListMembership ToMembership(ListMembershipRow row)
    {
        var overrides = JsonSerializer.Deserialize<Dictionary<string, bool>>(row.ChannelOverrides, Json) ?? [];
        return ListMembership.Restore(
            TenantId.Parse(row.TenantId),
            new ListId(row.ListId),
            new ContactId(row.ContactId),
            row.Status,
            row.Source,
            new DateTimeOffset(row.JoinedAtTicks, TimeSpan.Zero),
            new DateTimeOffset(row.UpdatedAtTicks, TimeSpan.Zero),
            row.LastEngagementAtTicks is { } engaged ? new DateTimeOffset(engaged, TimeSpan.Zero) : null,
            row.Notes,
            overrides.ToDictionary(o => Channel.Parse(o.Key), o => o.Value),
            row.FrequencyOverride,
            row.Version);
    }

    public static MembershipHistoryRow ToRow(MembershipHistoryEntry entry) => new()
    {
        TenantId = entry.Tenant.Value,
        Id = entry.Id,
        ListId = entry.List.Value,
        ContactId = entry.Contact.Value,
        OccurredAtTicks = entry.OccurredAt.UtcTicks,
        FromStatus = entry.From,
        ToStatus = entry.To,
        Reason = entry.Reason,
        ActorKind = entry.Actor.Kind,
        ActorId = entry.Actor.Id,
    };

    public static MembershipHistoryEntry ToEntry(MembershipHistoryRow row) => new(
        row.Id,
        TenantId.Parse(row.TenantId),
        new ListId(row.ListId),
        new ContactId(row.ContactId),
        new DateTimeOffset(row.OccurredAtTicks, TimeSpan.Zero),
        row.FromStatus,
        row.ToStatus,
        row.Reason,
        new Actor(row.ActorKind, row.ActorId));

    /// <summary>A map in ordinal key order, as the core keeps it (and as it is written).</summary>
    private static SortedDictionary<string, string> Ordinal(IReadOnlyDictionary<string, string>? map)
    {
        var sorted = new SortedDictionary<string, string>(StringComparer.Ordinal);
        foreach (var (key, value) in map ?? new Dictionary<string, string>())
        {
            sorted[key] = value;
        }

        return sorted;
    }

    /// <summary>A communication method as stored.</summary>
    private sealed record MethodJson(string Channel, IReadOnlyDictionary<string, string> Settings);

    /// <summary>An integration and its sync state as stored.</summary>
    private sealed record IntegrationJson(
        string System,
        SyncDirection Direction,
        IReadOnlyDictionary<string, string> FieldMapping,
        SyncStatus Status,
        long? LastSyncTicks,
        string? Message);
}
