using Microsoft.EntityFrameworkCore;

namespace Datum.Contacts.EntityFrameworkCore;

/// <summary>
/// The consent side of the unit of work: consents (versioned like memberships), the consent ledger, the suppression
/// list, engagement events and the audience policy, queued and written in the same transaction as everything else.
/// </summary>
internal sealed partial class EntityFrameworkCoreUnitOfWork
{
    private const string ConsentEntity = "consent";
    private const string SuppressionEntity = "suppression";

    private readonly List<ConsentChange> _consentChanges = [];
    private readonly Dictionary<(ContactId Contact, ConsentScope Scope), long> _loadedConsents = [];
    private readonly List<ConsentEvidence> _newEvidence = [];
    private readonly List<((SuppressionKind Kind, string Value) Key, SuppressionEntry? After)> _suppressionChanges = [];
    private readonly List<EngagementEvent> _newEngagements = [];
    private readonly HashSet<ContactId> _engagementsRemoved = [];
    private AudiencePolicy? _newPolicy;

    /// <summary>This tenant's consent rows.</summary>
    private IQueryable<ConsentRow> ConsentRows => _context.Set<ConsentRow>().Where(r => r.TenantId == _tenant);

    /// <summary>This tenant's consent ledger rows.</summary>
    private IQueryable<ConsentEvidenceRow> EvidenceRows => _context.Set<ConsentEvidenceRow>().Where(r => r.TenantId == _tenant);

    /// <summary>This tenant's suppression rows.</summary>
    private IQueryable<SuppressionRow> SuppressionRows => _context.Set<SuppressionRow>().Where(r => r.TenantId == _tenant);

    /// <summary>This tenant's engagement rows.</summary>
    private IQueryable<EngagementRow> EngagementRows => _context.Set<EngagementRow>().Where(r => r.TenantId == _tenant);

    /// <summary>This tenant's audience policy row (at most one).</summary>
    private IQueryable<AudiencePolicyRow> PolicyRows => _context.Set<AudiencePolicyRow>().Where(r => r.TenantId == _tenant);

    private enum ConsentOperation
    {
        Add,
        Update,
        Remove,
    }

    private static string EntityOf(ContactId contact, ConsentScope scope) => $"{contact}/{scope}";

    /// <summary>
    /// Checks the queued consents (new ones not there yet, each for a contact that exists after this unit of work),
    /// claims the ones to change at the versions the caller read, and applies every queued change of this side to
    /// the context: consents, ledger entries, suppressions (replacing an entry of the same kind and value),
    /// engagement events and the audience policy.
    /// </summary>
    private async Task StageConsentsAsync(CancellationToken cancellationToken)
    {
        if (_consentChanges.Count > 0)
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
                        _context.Add(ConsentRowMapper.ToRow(added));
                    }

                    continue;
                }

                var entry = _context.Entry(ConsentRowMapper.ToRow(staged.After ?? staged.Before));
                entry.State = staged.After is null ? EntityState.Deleted : EntityState.Modified;
                entry.Property(r => r.Version).OriginalValue = staged.Expected;
            }
        }

        foreach (var entry in _newEvidence)
        {
            _context.Add(ConsentRowMapper.ToRow(entry));
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
                _context.Add(row);
            }
        }

        foreach (var chunk in _engagementsRemoved.Select(c => c.Value).Chunk(ChunkSize))
        {
            var ids = chunk.ToList();
            await EngagementRows.Where(r => ids.Contains(r.ContactId)).ExecuteDeleteAsync(cancellationToken).ConfigureAwait(false);
        }

        foreach (var engagement in _newEngagements)
        {
            // An event queued for a contact whose events this unit of work removes goes with them.
            if (!_engagementsRemoved.Contains(engagement.ContactId))
            {
                _context.Add(ConsentRowMapper.ToRow(engagement));
            }
        }

        if (_newPolicy is not null)
        {
            var row = ConsentRowMapper.ToRow(_newPolicy);
            var replaced = await PolicyRows.ExecuteUpdateAsync(
                set => set
                    .SetProperty(r => r.QuietHoursStartTicks, row.QuietHoursStartTicks)
                    .SetProperty(r => r.QuietHoursEndTicks, row.QuietHoursEndTicks)
                    .SetProperty(r => r.DefaultTimeZone, row.DefaultTimeZone)
                    .SetProperty(r => r.UpdatedAtTicks, row.UpdatedAtTicks),
                cancellationToken).ConfigureAwait(false);
            if (replaced == 0)
            {
                _context.Add(row);
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
        foreach (var (consent, operation, expected) in _consentChanges)
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
        foreach (var (key, after) in _suppressionChanges)
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
        if (_consentChanges.Count > 0)
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
        var engaged = _newEngagements.Select(e => e.ContactId).Where(c => !_engagementsRemoved.Contains(c)).Distinct().ToList();
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

        if (_newPolicy is not null && await PolicyRows.AnyAsync(cancellationToken).ConfigureAwait(false))
        {
            throw new ConcurrencyConflictException(AuditEntityTypes.AudiencePolicy, _tenant, 0, 1);
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
        var change = _consentChanges.FirstOrDefault(c => c.ExpectedVersion is not null && c.Consent.ContactId.Value == row.ContactId
            && c.Consent.Channel.Value == row.Channel && ConsentRowMapper.ListKey(c.Consent.ListId) == row.ListId);
        if (change is null)
        {
            return null;
        }

        _context.ChangeTracker.Clear();
        return await ConsentConflictAsync(change.Consent.ContactId, change.Consent.Scope, change.ExpectedVersion!.Value, inner).ConfigureAwait(false);
    }

    private Consent LoadConsent(ConsentRow row)
    {
        var consent = ConsentRowMapper.ToConsent(row);
        _loadedConsents[(consent.ContactId, consent.Scope)] = consent.Version;
        return consent;
    }

    /// <summary>A queued consent change, with the version the consent was loaded at (null when added here).</summary>
    private sealed record ConsentChange(Consent Consent, ConsentOperation Operation, long? ExpectedVersion);

    /// <summary>A consent's net change in this unit of work.</summary>
    private sealed class StagedConsent(bool existed, long expected, Consent before)
    {
        public bool Existed { get; } = existed;

        public long Expected { get; } = expected;

        /// <summary>The first state queued: for a consent that existed, its key is all a deletion needs.</summary>
        public Consent Before { get; } = before;

        public Consent? After { get; set; }
    }

    private sealed class ConsentRepository(EntityFrameworkCoreUnitOfWork uow) : IConsentRepository
    {
        public async ValueTask<Consent?> FindAsync(ContactId contact, ConsentScope scope, CancellationToken cancellationToken)
        {
            var (contactKey, channel, listKey) = (contact.Value, scope.Channel.Value, ConsentRowMapper.ListKey(scope.List));
            var row = await uow.ConsentRows.AsNoTracking()
                .FirstOrDefaultAsync(r => r.ContactId == contactKey && r.Channel == channel && r.ListId == listKey, cancellationToken)
                .ConfigureAwait(false);
            return row is null ? null : uow.LoadConsent(row);
        }

        public async ValueTask<IReadOnlyList<Consent>> ForContactsAsync(IReadOnlyCollection<ContactId> contacts, CancellationToken cancellationToken)
        {
            ArgumentNullException.ThrowIfNull(contacts);
            var byContact = new Dictionary<Guid, List<ConsentRow>>();
            var order = contacts.Select(c => c.Value).Distinct().ToList();
            foreach (var chunk in order.Chunk(ChunkSize))
            {
                var ids = chunk.ToList();
                var rows = await uow.ConsentRows.AsNoTracking()
                    .Where(r => ids.Contains(r.ContactId))
                    .OrderBy(r => r.ContactId).ThenBy(r => r.CreatedAtTicks).ThenBy(r => r.Channel).ThenBy(r => r.ListId)
                    .ToListAsync(cancellationToken)
                    .ConfigureAwait(false);
                foreach (var row in rows)
                {
                    if (!byContact.TryGetValue(row.ContactId, out var held))
                    {
                        byContact[row.ContactId] = held = [];
                    }

                    held.Add(row);
                }
            }

            // In the order the contacts were asked for, each contact's consents in the order they were recorded.
            return order.Where(byContact.ContainsKey).SelectMany(id => byContact[id]).Select(uow.LoadConsent).ToList();
        }

        public async ValueTask<IReadOnlyList<ConsentStateEntry>> StatesAsync(IReadOnlyCollection<ContactId> contacts, Channel channel, CancellationToken cancellationToken)
        {
            ArgumentNullException.ThrowIfNull(contacts);
            var slug = channel.Value;
            var found = new List<ConsentStateEntry>();
            foreach (var chunk in contacts.Select(c => c.Value).Distinct().Chunk(ChunkSize))
            {
                var ids = chunk.ToList();
                var rows = await uow.ConsentRows.AsNoTracking()
                    .Where(r => ids.Contains(r.ContactId) && r.Channel == slug)
                    .Select(r => new { r.ContactId, r.ListId, r.State })
                    .ToListAsync(cancellationToken)
                    .ConfigureAwait(false);
                foreach (var row in rows)
                {
                    found.Add(new ConsentStateEntry(new ContactId(row.ContactId), row.ListId == ConsentRow.ChannelWide ? null : new ListId(row.ListId), row.State));
                }
            }

            return found;
        }

        public void Add(Consent consent)
        {
            Check(consent);
            uow._consentChanges.Add(new ConsentChange(consent.Copy(), ConsentOperation.Add, null));
        }

        public void Update(Consent consent)
        {
            Check(consent);
            uow._consentChanges.Add(new ConsentChange(consent.Copy(), ConsentOperation.Update, ExpectedVersion(consent)));
        }

        public void Remove(Consent consent)
        {
            Check(consent);
            uow._consentChanges.Add(new ConsentChange(consent.Copy(), ConsentOperation.Remove, ExpectedVersion(consent)));
        }

        /// <summary>The version the consent was loaded at; for one added by this unit of work, its own (no stored row to check).</summary>
        private long? ExpectedVersion(Consent consent)
        {
            var key = (consent.ContactId, consent.Scope);
            if (uow._loadedConsents.TryGetValue(key, out var version))
            {
                return version;
            }

            return uow._consentChanges.Exists(c => c.Operation == ConsentOperation.Add && (c.Consent.ContactId, c.Consent.Scope) == key)
                ? null
                : throw new InvalidOperationException("Only a consent loaded or added by this unit of work can be updated or removed through it.");
        }

        private void Check(Consent consent)
        {
            ArgumentNullException.ThrowIfNull(consent);
            uow._guard.ThrowIfUnusable();
            uow._guard.CheckTenant(consent.Tenant, ConsentEntity);
        }
    }

    private sealed class ConsentEvidenceRepository(EntityFrameworkCoreUnitOfWork uow) : IConsentEvidenceRepository
    {
        public void Append(ConsentEvidence entry)
        {
            ArgumentNullException.ThrowIfNull(entry);
            uow._guard.ThrowIfUnusable();
            uow._guard.CheckTenant(entry.Tenant, "consent evidence");
            uow._newEvidence.Add(entry);
        }

        public async ValueTask<IReadOnlyList<ConsentEvidence>> ReadAsync(ConsentEvidenceQuery query, CancellationToken cancellationToken)
        {
            ArgumentNullException.ThrowIfNull(query);
            var contactKey = query.Contact.Value;
            var rows = uow.EvidenceRows.AsNoTracking().Where(e => e.ContactId == contactKey);
            if (query.Scope is { } scope)
            {
                var channel = scope.Channel.Value;
                rows = rows.Where(e => e.Channel == channel);
                if (scope.List is { } list)
                {
                    var listKey = list.Value;
                    rows = rows.Where(e => e.ListId == listKey);
                }
                else
                {
                    rows = rows.Where(e => e.ListId == null);
                }
            }

            var page = await NewestFirst.PageAsync(rows, query.AtOrBefore, query.Before, query.Limit, cancellationToken).ConfigureAwait(false);
            return page.Select(ConsentRowMapper.ToEvidence).ToList();
        }
    }

    private sealed class SuppressionRepository(EntityFrameworkCoreUnitOfWork uow) : ISuppressionRepository
    {
        public async ValueTask<SuppressionEntry?> FindAsync(SuppressionKind kind, string value, CancellationToken cancellationToken)
        {
            ArgumentNullException.ThrowIfNull(value);
            if (!CriteriaSqlTranslator.IsStorable(value))
            {
                return null; // no stored value holds such a character, and PostgreSQL could not take it as a parameter
            }

            var row = await uow.SuppressionRows.AsNoTracking()
                .FirstOrDefaultAsync(r => r.Kind == kind && r.Value == value, cancellationToken)
                .ConfigureAwait(false);
            return row is null ? null : ConsentRowMapper.ToEntry(row);
        }

        public async ValueTask<IReadOnlyList<SuppressionEntry>> MatchAsync(IReadOnlyCollection<(SuppressionKind Kind, string Value)> keys, CancellationToken cancellationToken)
        {
            ArgumentNullException.ThrowIfNull(keys);
            var wanted = keys.Distinct().Where(k => k.Value is not null && CriteriaSqlTranslator.IsStorable(k.Value)).ToList();
            var found = new Dictionary<(SuppressionKind, string), SuppressionEntry>();
            foreach (var group in wanted.GroupBy(k => k.Kind))
            {
                var kind = group.Key;
                foreach (var chunk in group.Select(k => k.Value).Chunk(ChunkSize))
                {
                    var values = chunk.ToList();
                    var rows = await uow.SuppressionRows.AsNoTracking()
                        .Where(r => r.Kind == kind && values.Contains(r.Value))
                        .ToListAsync(cancellationToken)
                        .ConfigureAwait(false);
                    foreach (var row in rows)
                    {
                        found[(row.Kind, row.Value)] = ConsentRowMapper.ToEntry(row);
                    }
                }
            }

            // In the order the keys were given.
            return wanted.Where(found.ContainsKey).Select(k => found[k]).ToList();
        }

        public async ValueTask<IReadOnlyList<SuppressionEntry>> ListAsync((SuppressionKind Kind, string Value)? after, int limit, CancellationToken cancellationToken)
        {
            var rows = uow.SuppressionRows.AsNoTracking();
            if (after is { } position)
            {
                var (kind, value) = position;
                rows = rows.Where(r => r.Kind > kind || (r.Kind == kind && r.Value.CompareTo(value) > 0));
            }

            var page = await rows.OrderBy(r => r.Kind).ThenBy(r => r.Value).Take(limit).ToListAsync(cancellationToken).ConfigureAwait(false);
            return page.Select(ConsentRowMapper.ToEntry).ToList();
        }

        public void Add(SuppressionEntry entry)
        {
            ArgumentNullException.ThrowIfNull(entry);
            uow._guard.ThrowIfUnusable();
            uow._guard.CheckTenant(entry.Tenant, "suppression entry");
            uow._suppressionChanges.Add(((entry.Kind, entry.Value), entry));
        }

        public void Remove(SuppressionKind kind, string value)
        {
            ArgumentNullException.ThrowIfNull(value);
            uow._guard.ThrowIfUnusable();
            uow._suppressionChanges.Add(((kind, value), null));
        }
    }

    private sealed class EngagementRepository(EntityFrameworkCoreUnitOfWork uow) : IEngagementRepository
    {
        public void Append(EngagementEvent engagement)
        {
            ArgumentNullException.ThrowIfNull(engagement);
            uow._guard.ThrowIfUnusable();
            uow._guard.CheckTenant(engagement.Tenant, "engagement event");
            uow._newEngagements.Add(engagement);
        }

        public async ValueTask<IReadOnlyList<LatestSend>> LatestSendsAsync(IReadOnlyCollection<ContactId> contacts, Channel channel, CancellationToken cancellationToken)
        {
            ArgumentNullException.ThrowIfNull(contacts);
            var channelKey = channel.Value;
            var byContact = new Dictionary<Guid, List<LatestSend>>();
            var order = contacts.Select(c => c.Value).Distinct().ToList();
            foreach (var chunk in order.Chunk(ChunkSize))
            {
                var ids = chunk.ToList();
                var latest = await uow.EngagementRows.AsNoTracking()
                    .Where(r => ids.Contains(r.ContactId) && r.Channel == channelKey && r.Kind == EngagementKind.Sent)
                    .GroupBy(r => new { r.ContactId, r.ListId })
                    .Select(g => new { g.Key.ContactId, g.Key.ListId, SentAtTicks = g.Max(r => r.OccurredAtTicks) })
                    .ToListAsync(cancellationToken)
                    .ConfigureAwait(false);
                foreach (var send in latest.OrderBy(s => s.ListId.HasValue).ThenBy(s => s.ListId))
                {
                    if (!byContact.TryGetValue(send.ContactId, out var sends))
                    {
                        byContact[send.ContactId] = sends = [];
                    }

                    sends.Add(new LatestSend(new ContactId(send.ContactId), send.ListId is { } list ? new ListId(list) : null, new DateTimeOffset(send.SentAtTicks, TimeSpan.Zero)));
                }
            }

            return order.Where(byContact.ContainsKey).SelectMany(id => byContact[id]).ToList();
        }

        public async ValueTask<IReadOnlyList<EngagementEvent>> ReadAsync(ContactId contact, int limit, CancellationToken cancellationToken)
        {
            var contactKey = contact.Value;
            var page = await NewestFirst.PageAsync(uow.EngagementRows.AsNoTracking().Where(r => r.ContactId == contactKey), null, null, limit, cancellationToken)
                .ConfigureAwait(false);
            return page.Select(ConsentRowMapper.ToEngagement).ToList();
        }

        public void RemoveForContact(ContactId contact)
        {
            uow._guard.ThrowIfUnusable();
            uow._engagementsRemoved.Add(contact);
        }
    }

    private sealed class AudiencePolicyRepository(EntityFrameworkCoreUnitOfWork uow) : IAudiencePolicyRepository
    {
        public async ValueTask<AudiencePolicy?> FindAsync(CancellationToken cancellationToken)
        {
            var row = await uow.PolicyRows.AsNoTracking().FirstOrDefaultAsync(cancellationToken).ConfigureAwait(false);
            return row is null ? null : ConsentRowMapper.ToPolicy(row);
        }

        public void Save(AudiencePolicy policy)
        {
            ArgumentNullException.ThrowIfNull(policy);
            uow._guard.ThrowIfUnusable();
            uow._guard.CheckTenant(policy.Tenant, "audience policy");
            uow._newPolicy = policy;
        }
    }
}
