using Microsoft.EntityFrameworkCore;

namespace Datum.Contacts.EntityFrameworkCore;

/// <summary>
/// The consent side of the unit of work: consents (versioned like memberships), the consent ledger, the suppression
/// list, engagement events and the audience policy, queued and written in the same transaction as everything else.
/// </summary>
internal sealed partial class EntityFrameworkCoreUnitOfWork
{
    internal const string ConsentEntity = "consent";
    private const string SuppressionEntity = "suppression";

    internal List<ConsentChange> ConsentChanges { get; } = [];
    internal Dictionary<(ContactId Contact, ConsentScope Scope), long> LoadedConsents { get; } = [];
    internal List<ConsentEvidence> NewEvidence { get; } = [];
    internal List<((SuppressionKind Kind, string Value) Key, SuppressionEntry? After)> SuppressionChanges { get; } = [];
    internal List<EngagementEvent> NewEngagements { get; } = [];
    internal HashSet<ContactId> EngagementsRemoved { get; } = [];
    internal AudiencePolicy? NewPolicy { get; set; }

    /// <summary>This tenant's consent rows.</summary>
    internal IQueryable<ConsentRow> ConsentRows => Context.Set<ConsentRow>().Where(r => r.TenantId == TenantKey);

    /// <summary>This tenant's consent ledger rows.</summary>
    internal IQueryable<ConsentEvidenceRow> EvidenceRows => Context.Set<ConsentEvidenceRow>().Where(r => r.TenantId == TenantKey);

    /// <summary>This tenant's suppression rows.</summary>
    internal IQueryable<SuppressionRow> SuppressionRows => Context.Set<SuppressionRow>().Where(r => r.TenantId == TenantKey);

    /// <summary>This tenant's engagement rows.</summary>
    internal IQueryable<EngagementRow> EngagementRows => Context.Set<EngagementRow>().Where(r => r.TenantId == TenantKey);

    /// <summary>This tenant's audience policy row (at most one).</summary>
    internal IQueryable<AudiencePolicyRow> PolicyRows => Context.Set<AudiencePolicyRow>().Where(r => r.TenantId == TenantKey);

    private static string EntityOf(ContactId contact, ConsentScope scope) => $"{contact}/{scope}";

    /// <summary>
    /// Checks the queued consents (new ones not there yet, each for a contact that exists after this unit of work),
    /// claims the ones to change at the versions the caller read, and applies every queued change of this side to
    /// the context: consents, ledger entries, suppressions (replacing an entry of the same kind and value),
    /// engagement events and the audience policy.
    /// </summary>
    private async Task StageConsentsAsync(CancellationToken cancellationToken)
    {
        if (ConsentChanges.Count > 0)
        {
            var consents = StagedConsents();
            await CheckNewConsentsAsync(consents, cancellationToken).ConfigureAwait(false);
            await CheckConsentContactsAsync(consents, cancellationToken).ConfigureAwait(false);

            // In key order, so that concurrent commits lock consent rows in the same order.
            var existing = consents.Where(c => c.Value.Existed)
                .OrderBy(c => c.Key.Contact)
                .ThenBy(c => c.Key.Scope.Channel.Value, StringComparer.Ordinal)
                .ThenBy(c => ConsentRowMapper.ListKey(c.Key.Scope.List));
            foreach (var ((contact, scope), staged) in existing)
            {
                var (contactKey, channel, listKey) = (contact.Value, scope.Channel.Value, ConsentRowMapper.ListKey(scope.List));
                var expected = staged.Expected;
                var claimed = await ConsentRows
                    .Where(r => r.ContactId == contactKey && r.Channel == channel && r.ListId == listKey && r.Version == expected)
                    .ExecuteUpdateAsync(set => set.SetProperty(r => r.Version, r => r.Version), cancellationToken)
                    .ConfigureAwait(false);
                if (claimed == 0)
                {
                    throw await ConsentConflictAsync(contact, scope, expected, null).ConfigureAwait(false);
                }
            }

            foreach (var (_, staged) in consents)
            {
                if (!staged.Existed)
                {
                    if (staged.After is { } added)
                    {
                        Context.Add(ConsentRowMapper.ToRow(added));
                    }

                    continue;
                }

                var entry = Context.Entry(ConsentRowMapper.ToRow(staged.After ?? staged.Before));
                entry.State = staged.After is null ? EntityState.Deleted : EntityState.Modified;
                entry.Property(r => r.Version).OriginalValue = staged.Expected;
            }
        }

        foreach (var entry in NewEvidence)
        {
            Context.Add(ConsentRowMapper.ToRow(entry));
        }

        foreach (var (key, after) in StagedSuppressions())
        {
            var (kind, value) = key;
            var rows = SuppressionRows.Where(r => r.Kind == kind && r.Value == value);
            if (after is null)
            {
                await rows.ExecuteDeleteAsync(cancellationToken).ConfigureAwait(false);
                continue;
            }

            var row = ConsentRowMapper.ToRow(after);
            var replaced = await rows.ExecuteUpdateAsync(
                set => set
                    .SetProperty(r => r.Reason, row.Reason)
                    .SetProperty(r => r.Note, row.Note)
                    .SetProperty(r => r.CreatedAtTicks, row.CreatedAtTicks)
                    .SetProperty(r => r.ActorKind, row.ActorKind)
                    .SetProperty(r => r.ActorId, row.ActorId),
                cancellationToken).ConfigureAwait(false);
            if (replaced == 0)
            {
                Context.Add(row);
            }
        }

        foreach (var chunk in EngagementsRemoved.Select(c => c.Value).Chunk(ChunkSize))
        {
            var ids = chunk.ToList();
            await EngagementRows.Where(r => ids.Contains(r.ContactId)).ExecuteDeleteAsync(cancellationToken).ConfigureAwait(false);
        }

        foreach (var engagement in NewEngagements)
        {
            // An event queued for a contact whose events this unit of work removes goes with them.
            if (!EngagementsRemoved.Contains(engagement.ContactId))
            {
                Context.Add(ConsentRowMapper.ToRow(engagement));
            }
        }

        if (NewPolicy is not null)
        {
            var row = ConsentRowMapper.ToRow(NewPolicy);
            var replaced = await PolicyRows.ExecuteUpdateAsync(
                set => set
                    .SetProperty(r => r.QuietHoursStartTicks, row.QuietHoursStartTicks)
                    .SetProperty(r => r.QuietHoursEndTicks, row.QuietHoursEndTicks)
                    .SetProperty(r => r.DefaultTimeZone, row.DefaultTimeZone)
                    .SetProperty(r => r.UpdatedAtTicks, row.UpdatedAtTicks),
                cancellationToken).ConfigureAwait(false);
            if (replaced == 0)
            {
                Context.Add(row);
            }
        }
    }

    /// <summary>
    /// The net change per consent: whether it existed when this unit of work read it (with that version), and what
    /// it is after the queued changes (null when removed). A change the earlier ones rule out (adding a consent
    /// already added here, changing one removed here) is a conflict, as in every store.
    /// </summary>
    private Dictionary<(ContactId Contact, ConsentScope Scope), StagedConsent> StagedConsents()
    {
        var staged = new Dictionary<(ContactId Contact, ConsentScope Scope), StagedConsent>();
        foreach (var (consent, operation, expected) in ConsentChanges)
        {
            var key = (consent.ContactId, consent.Scope);
            if (!staged.TryGetValue(key, out var net))
            {
                staged[key] = net = new StagedConsent(operation != ConsentOperation.Add, expected ?? 0, consent);
            }
            else if (operation == ConsentOperation.Add && net.After is not null)
            {
                throw new ConcurrencyConflictException(ConsentEntity, EntityOf(key.ContactId, key.Scope), 0, net.After.Version);
            }
            else if (operation != ConsentOperation.Add && net.After is null)
            {
                throw new ConcurrencyConflictException(ConsentEntity, EntityOf(key.ContactId, key.Scope), expected ?? consent.Version, null);
            }

            net.After = operation == ConsentOperation.Remove ? null : consent;
        }

        return staged;
    }

    /// <summary>The net change per suppression key: the entry after the queued changes, or null when removed.</summary>
    private Dictionary<(SuppressionKind Kind, string Value), SuppressionEntry?> StagedSuppressions()
    {
        var staged = new Dictionary<(SuppressionKind Kind, string Value), SuppressionEntry?>();
        foreach (var (key, after) in SuppressionChanges)
        {
            staged[key] = after;
        }

        return staged;
    }

    /// <summary>A consent this unit of work adds must not be stored already (another unit of work recorded it first).</summary>
    private async Task CheckNewConsentsAsync(Dictionary<(ContactId Contact, ConsentScope Scope), StagedConsent> consents, CancellationToken cancellationToken)
    {
        var added = consents.Where(c => !c.Value.Existed).Select(c => c.Key).ToHashSet();
        foreach (var chunk in added.Select(k => k.Contact.Value).Distinct().Chunk(ChunkSize))
        {
            var ids = chunk.ToList();
            var stored = await ConsentRows.AsNoTracking()
                .Where(r => ids.Contains(r.ContactId))
                .Select(r => new { r.ContactId, r.Channel, r.ListId, r.Version })
                .ToListAsync(cancellationToken)
                .ConfigureAwait(false);
            foreach (var row in stored)
            {
                var key = (new ContactId(row.ContactId), new ConsentScope(Channel.Parse(row.Channel), row.ListId == ConsentRow.ChannelWide ? null : new ListId(row.ListId)));
                if (added.Contains(key))
                {
                    throw new ConcurrencyConflictException(ConsentEntity, EntityOf(key.Item1, key.Item2), 0, row.Version);
                }
            }
        }
    }

    /// <summary>Every consent left after this unit of work belongs to a contact that exists after it.</summary>
    private async Task CheckConsentContactsAsync(Dictionary<(ContactId Contact, ConsentScope Scope), StagedConsent> consents, CancellationToken cancellationToken)
    {
        var contacts = StagedContacts();
        var kept = consents.Where(c => c.Value.After is not null).ToList();
        foreach (var ((contact, _), staged) in kept)
        {
            if (contacts.TryGetValue(contact, out var after) && after is null)
            {
                throw new ConcurrencyConflictException(AuditEntityTypes.Contact, contact.ToString(), staged.After!.Version, null);
            }
        }

        var toLookUp = kept.Select(c => c.Key.Contact).Where(c => !contacts.ContainsKey(c)).Distinct().ToList();
        foreach (var chunk in toLookUp.Select(c => c.Value).Chunk(ChunkSize))
        {
            var ids = chunk.ToList();
            var stored = await ContactRows.Where(r => ids.Contains(r.Id)).Select(r => r.Id).ToListAsync(cancellationToken).ConfigureAwait(false);
            foreach (var id in ids.Where(id => !stored.Contains(id)))
            {
                var consent = kept.First(c => c.Key.Contact.Value == id).Value.After!;
                throw new ConcurrencyConflictException(AuditEntityTypes.Contact, consent.ContactId.ToString(), consent.Version, null);
            }
        }
    }

    /// <summary>
    /// After a save a constraint refused (the transaction is rolled back): says which consent, engagement,
    /// suppression or policy change lost to a concurrent writer, as the checks before saving would have, or returns
    /// when none did.
    /// </summary>
    private async Task DiagnoseConsentsAsync()
    {
        var cancellationToken = CancellationToken.None;
        if (ConsentChanges.Count > 0)
        {
            var consents = StagedConsents();
            foreach (var ((contact, scope), staged) in consents.Where(c => c.Value.Existed))
            {
                var actual = await StoredConsentVersionAsync(contact, scope).ConfigureAwait(false);
                if (actual != staged.Expected)
                {
                    throw new ConcurrencyConflictException(ConsentEntity, EntityOf(contact, scope), staged.Expected, actual);
                }
            }

            await CheckNewConsentsAsync(consents, cancellationToken).ConfigureAwait(false);
            await CheckConsentContactsAsync(consents, cancellationToken).ConfigureAwait(false);
        }

        // Events of a contact that a concurrent writer deleted: the foreign key refused them.
        var contacts = StagedContacts();
        var engaged = NewEngagements.Select(e => e.ContactId).Where(c => !EngagementsRemoved.Contains(c)).Distinct().ToList();
        foreach (var chunk in engaged.Chunk(ChunkSize))
        {
            var ids = chunk.Select(c => c.Value).ToList();
            var stored = await ContactRows.Where(r => ids.Contains(r.Id)).Select(r => r.Id).ToListAsync(cancellationToken).ConfigureAwait(false);
            var missing = chunk.FirstOrDefault(c => contacts.TryGetValue(c, out var after) ? after is null : !stored.Contains(c.Value));
            if (missing != default)
            {
                throw new ConcurrencyConflictException(AuditEntityTypes.Contact, missing.ToString(), 0, null);
            }
        }

        // An entry or policy that a concurrent writer created first: this one was to replace nothing, and now cannot.
        foreach (var ((kind, value), after) in StagedSuppressions())
        {
            if (after is not null && await SuppressionRows.AnyAsync(r => r.Kind == kind && r.Value == value, cancellationToken).ConfigureAwait(false))
            {
                throw new ConcurrencyConflictException(SuppressionEntity, $"{kind}/{value}", 0, 1);
            }
        }

        if (NewPolicy is not null && await PolicyRows.AnyAsync(cancellationToken).ConfigureAwait(false))
        {
            throw new ConcurrencyConflictException(AuditEntityTypes.AudiencePolicy, TenantKey, 0, 1);
        }
    }

    private async Task<long?> StoredConsentVersionAsync(ContactId contact, ConsentScope scope)
    {
        var (contactKey, channel, listKey) = (contact.Value, scope.Channel.Value, ConsentRowMapper.ListKey(scope.List));
        return await ConsentRows.AsNoTracking()
            .Where(r => r.ContactId == contactKey && r.Channel == channel && r.ListId == listKey)
            .Select(r => (long?)r.Version)
            .FirstOrDefaultAsync()
            .ConfigureAwait(false);
    }

    private async Task<ConcurrencyConflictException> ConsentConflictAsync(ContactId contact, ConsentScope scope, long expected, Exception? inner)
        => new(ConsentEntity, EntityOf(contact, scope), expected, await StoredConsentVersionAsync(contact, scope).ConfigureAwait(false), inner);

    /// <summary>The concurrency error for a consent row whose version check failed at save, or null when the row is not a queued consent change.</summary>
    private async Task<ConcurrencyConflictException?> ConsentConflictAsync(ConsentRow row, Exception inner)
    {
        var change = ConsentChanges.FirstOrDefault(c => c.ExpectedVersion is not null && c.Consent.ContactId.Value == row.ContactId
            && c.Consent.Channel.Value == row.Channel && ConsentRowMapper.ListKey(c.Consent.ListId) == row.ListId);
        if (change is null)
        {
            return null;
        }

        Context.ChangeTracker.Clear();
        return await ConsentConflictAsync(change.Consent.ContactId, change.Consent.Scope, change.ExpectedVersion!.Value, inner).ConfigureAwait(false);
    }

    internal Consent LoadConsent(ConsentRow row)
    {
        var consent = ConsentRowMapper.ToConsent(row);
        LoadedConsents[(consent.ContactId, consent.Scope)] = consent.Version;
        return consent;
    }

    /// <summary>A consent's net change in this unit of work.</summary>
    private sealed class StagedConsent(bool existed, long expected, Consent before)
    {
        public bool Existed { get; } = existed;

        public long Expected { get; } = expected;

        /// <summary>The first state queued: for a consent that existed, its key is all a deletion needs.</summary>
        public Consent Before { get; } = before;

        public Consent? After { get; set; }
    }
}
