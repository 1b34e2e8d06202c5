namespace Datum.Contacts.InMemory;

/// <summary>One tenant's committed consents, ledger, suppressions, engagements and audience policy.</summary>
internal sealed class ConsentData : IConsentStateSource
{
    /// <summary>Each contact's consents by scope.</summary>
    public Dictionary<ContactId, Dictionary<ConsentScope, Consent>> ByContact { get; } = [];

    /// <summary>The state of each channel-wide consent, by contact and channel slug, for <c>consent.&lt;channel&gt;</c>.</summary>
    public Dictionary<(ContactId, string), ConsentState> ChannelStates { get; } = [];

    /// <summary>The ledger by contact, in commit order; kept after the contact is deleted.</summary>
    public Dictionary<ContactId, List<ConsentEvidence>> Evidence { get; } = [];

    /// <summary>The suppression list by kind and normalized value.</summary>
    public Dictionary<(SuppressionKind Kind, string Value), SuppressionEntry> Suppressions { get; } = [];

    private (SuppressionKind Kind, string Value)[]? _suppressionOrder;

    /// <summary>The suppression keys in (kind, value) order, for pages; rebuilt after a change.</summary>
    public (SuppressionKind Kind, string Value)[] SuppressionOrder
    {
        get
        {
            if (_suppressionOrder is null)
            {
                var keys = Suppressions.Keys.ToArray();
                Array.Sort(keys, SuppressionComparer.Instance);
                _suppressionOrder = keys;
            }

            return _suppressionOrder;
        }
    }

    /// <summary>Drops <see cref="SuppressionOrder"/> after the list changed.</summary>
    public void SuppressionsChanged() => _suppressionOrder = null;

    /// <summary>Each contact's engagement events, in commit order.</summary>
    public Dictionary<ContactId, List<EngagementEvent>> Engagements { get; } = [];

    /// <summary>Each contact's latest send by channel and list.</summary>
    public Dictionary<ContactId, Dictionary<(Channel Channel, ListId? List), DateTimeOffset>> LatestSends { get; } = [];

    /// <summary>The tenant's audience policy; null when never set.</summary>
    public AudiencePolicy? Policy { get; set; }

    public ConsentState StateOf(ContactId contact, string channel)
        => ChannelStates.TryGetValue((contact, channel), out var state) ? state : ConsentState.None;

    public Consent? Find(ContactId contact, ConsentScope scope)
        => ByContact.TryGetValue(contact, out var byScope) ? byScope.GetValueOrDefault(scope) : null;

    public void Put(Consent consent)
    {
        if (!ByContact.TryGetValue(consent.ContactId, out var byScope))
        {
            ByContact[consent.ContactId] = byScope = [];
        }

        byScope[consent.Scope] = consent;
        if (consent.ListId is null)
        {
            ChannelStates[(consent.ContactId, consent.Channel.Value)] = consent.State;
        }
    }

    public void Delete(ContactId contact, ConsentScope scope)
    {
        if (ByContact.TryGetValue(contact, out var byScope) && byScope.Remove(scope) && byScope.Count == 0)
        {
            ByContact.Remove(contact);
        }

        if (scope.List is null)
        {
            ChannelStates.Remove((contact, scope.Channel.Value));
        }
    }

    public void Append(EngagementEvent engagement)
    {
        if (!Engagements.TryGetValue(engagement.ContactId, out var events))
        {
            Engagements[engagement.ContactId] = events = [];
        }

        events.Add(engagement);
        if (engagement.Kind != EngagementKind.Sent)
        {
            return;
        }

        if (!LatestSends.TryGetValue(engagement.ContactId, out var latest))
        {
            LatestSends[engagement.ContactId] = latest = [];
        }

        var key = (engagement.Channel, engagement.ListId);
        if (!latest.TryGetValue(key, out var at) || engagement.OccurredAt > at)
        {
            latest[key] = engagement.OccurredAt;
        }
    }

    public void RemoveEngagements(ContactId contact)
    {
        Engagements.Remove(contact);
        LatestSends.Remove(contact);
    }

    /// <summary>Orders suppression keys by kind, then value (ordinal).</summary>
    internal sealed class SuppressionComparer : IComparer<(SuppressionKind Kind, string Value)>
    {
        public static readonly SuppressionComparer Instance = new();

        public int Compare((SuppressionKind Kind, string Value) x, (SuppressionKind Kind, string Value) y)
        {
            var kind = x.Kind.CompareTo(y.Kind);
            return kind != 0 ? kind : string.CompareOrdinal(x.Value, y.Value);
        }
    }
}

/// <summary>The consent, ledger, suppression, engagement and policy side of the in-memory unit of work.</summary>
internal sealed partial class InMemoryUnitOfWork
{
    private readonly List<((ContactId Contact, ConsentScope Scope) Key, Consent? After, long? ExpectedVersion)> _consentChanges = [];
    private readonly Dictionary<(ContactId, ConsentScope), long> _loadedConsents = [];
    private readonly List<ConsentEvidence> _newEvidence = [];
    private readonly List<((SuppressionKind, string) Key, SuppressionEntry? After)> _suppressionChanges = [];
    private readonly List<EngagementEvent> _newEngagements = [];
    private readonly HashSet<ContactId> _engagementsRemoved = [];
    private AudiencePolicy? _newPolicy;

    private ConsentData Consent => _partition.ConsentData;

    /// <summary>Replays the queued consent changes, checking versions, newness, and that each consent's contact exists after this unit of work.</summary>
    private Dictionary<(ContactId Contact, ConsentScope Scope), Consent?> StageConsents(Dictionary<ContactId, Contact?> contacts)
    {
        var staged = new Dictionary<(ContactId Contact, ConsentScope Scope), Consent?>();
        foreach (var (key, after, expected) in _consentChanges)
        {
            var current = staged.TryGetValue(key, out var s) ? s : Consent.Find(key.Contact, key.Scope);
            var entity = $"{key.Contact}/{key.Scope}";
            if (expected is null)
            {
                if (current is not null)
                {
                    // Another unit of work recorded this consent first.
                    throw new ConcurrencyConflictException("consent", entity, 0, current.Version);
                }
            }
            else if (current is null || (!staged.ContainsKey(key) && current.Version != expected))
            {
                throw new ConcurrencyConflictException("consent", entity, expected.Value, current?.Version);
            }

            staged[key] = after;
        }

        foreach (var (key, after) in staged)
        {
            var exists = contacts.TryGetValue(key.Contact, out var contact) ? contact is not null : _partition.Contacts.ContainsKey(key.Contact);
            if (after is not null && !exists)
            {
                throw new ConcurrencyConflictException(AuditEntityTypes.Contact, key.Contact.ToString(), after.Version, null);
            }
        }

        return staged;
    }

    /// <summary>Writes the staged consents and everything else of this side; called under the partition's lock, after every check passed.</summary>
    private void ApplyConsents(Dictionary<(ContactId Contact, ConsentScope Scope), Consent?> staged)
    {
        foreach (var (key, after) in staged)
        {
            if (after is null)
            {
                Consent.Delete(key.Contact, key.Scope);
            }
            else
            {
                Consent.Put(after.Copy());
            }
        }

        foreach (var entry in _newEvidence)
        {
            if (!Consent.Evidence.TryGetValue(entry.ContactId, out var ledger))
            {
                Consent.Evidence[entry.ContactId] = ledger = [];
            }

            ledger.Add(entry);
        }

        if (_suppressionChanges.Count > 0)
        {
            Consent.SuppressionsChanged();
        }

        foreach (var (key, after) in _suppressionChanges)
        {
            if (after is null)
            {
                Consent.Suppressions.Remove(key);
            }
            else
            {
                Consent.Suppressions[key] = after;
            }
        }

        foreach (var contact in _engagementsRemoved)
        {
            Consent.RemoveEngagements(contact);
        }

        foreach (var engagement in _newEngagements)
        {
            if (!_engagementsRemoved.Contains(engagement.ContactId))
            {
                Consent.Append(engagement);
            }
        }

        if (_newPolicy is not null)
        {
            Consent.Policy = _newPolicy;
        }
    }

    private sealed class ConsentRepository(InMemoryUnitOfWork uow) : IConsentRepository
    {
        public ValueTask<Consent?> FindAsync(ContactId contact, ConsentScope scope, CancellationToken cancellationToken)
        {
            cancellationToken.ThrowIfCancellationRequested();
            lock (uow._partition.Gate)
            {
                return ValueTask.FromResult(Load(uow.Consent.Find(contact, scope)));
            }
        }

        public ValueTask<IReadOnlyList<Consent>> ForContactsAsync(IReadOnlyCollection<ContactId> contacts, CancellationToken cancellationToken)
        {
            ArgumentNullException.ThrowIfNull(contacts);
            cancellationToken.ThrowIfCancellationRequested();
            lock (uow._partition.Gate)
            {
                var found = new List<Consent>();
                foreach (var contact in contacts.Count == 1 ? contacts : contacts.Distinct())
                {
                    if (uow.Consent.ByContact.TryGetValue(contact, out var byScope))
                    {
                        foreach (var consent in byScope.Values)
                        {
                            found.Add(Load(consent)!);
                        }
                    }
                }

                return ValueTask.FromResult<IReadOnlyList<Consent>>(found);
            }
        }

        public ValueTask<IReadOnlyList<ConsentStateEntry>> StatesAsync(IReadOnlyCollection<ContactId> contacts, Channel channel, CancellationToken cancellationToken)
        {
            ArgumentNullException.ThrowIfNull(contacts);
            cancellationToken.ThrowIfCancellationRequested();
            lock (uow._partition.Gate)
            {
                var byContact = uow.Consent.ByContact;
                var found = new List<ConsentStateEntry>(Math.Min(contacts.Count, 4_096));
                var seen = contacts.Count > 1 ? new HashSet<ContactId>(contacts.Count) : null;
                foreach (var contact in contacts)
                {
                    if ((seen is null || seen.Add(contact)) && byContact.TryGetValue(contact, out var byScope))
                    {
                        foreach (var consent in byScope.Values)
                        {
                            if (consent.Channel == channel)
                            {
                                found.Add(new ConsentStateEntry(contact, consent.ListId, consent.State));
                            }
                        }
                    }
                }

                return ValueTask.FromResult<IReadOnlyList<ConsentStateEntry>>(found);
            }
        }

        public void Add(Consent consent)
        {
            Check(consent);
            uow._consentChanges.Add(((consent.ContactId, consent.Scope), consent.Copy(), null));
        }

        public void Update(Consent consent)
        {
            Check(consent);
            uow._consentChanges.Add(((consent.ContactId, consent.Scope), consent.Copy(), ExpectedVersion(consent)));
        }

        public void Remove(Consent consent)
        {
            Check(consent);
            uow._consentChanges.Add(((consent.ContactId, consent.Scope), null, ExpectedVersion(consent)));
        }

        private long ExpectedVersion(Consent consent)
            => uow._loadedConsents.TryGetValue((consent.ContactId, consent.Scope), out var version)
                ? version
                : uow._consentChanges.Any(c => c.Key == (consent.ContactId, consent.Scope) && c.ExpectedVersion is null)
                    ? consent.Version
                    : throw new InvalidOperationException("Only a consent loaded or added by this unit of work can be updated or removed through it.");

        private void Check(Consent consent)
        {
            ArgumentNullException.ThrowIfNull(consent);
            uow._guard.ThrowIfUnusable();
            uow._guard.CheckTenant(consent.Tenant, "consent");
        }

        private Consent? Load(Consent? stored)
        {
            if (stored is null)
            {
                return null;
            }

            uow._loadedConsents[(stored.ContactId, stored.Scope)] = stored.Version;
            return stored.Copy();
        }
    }

    private sealed class ConsentEvidenceRepository(InMemoryUnitOfWork uow) : IConsentEvidenceRepository
    {
        public void Append(ConsentEvidence entry)
        {
            ArgumentNullException.ThrowIfNull(entry);
            uow._guard.ThrowIfUnusable();
            uow._guard.CheckTenant(entry.Tenant, "consent evidence");
            uow._newEvidence.Add(entry);
        }

        public ValueTask<IReadOnlyList<ConsentEvidence>> ReadAsync(ConsentEvidenceQuery query, CancellationToken cancellationToken)
        {
            ArgumentNullException.ThrowIfNull(query);
            cancellationToken.ThrowIfCancellationRequested();
            lock (uow._partition.Gate)
            {
                IEnumerable<ConsentEvidence> source = uow.Consent.Evidence.GetValueOrDefault(query.Contact) ?? [];
                if (query.Scope is { } scope)
                {
                    source = source.Where(e => e.Scope == scope);
                }

                if (query.AtOrBefore is { } at)
                {
                    source = source.Where(e => e.OccurredAt <= at);
                }

                if (query.Before is { } before)
                {
                    source = source.Where(e => e.OccurredAt.UtcTicks < before.OccurredAt.UtcTicks || (e.OccurredAt.UtcTicks == before.OccurredAt.UtcTicks && e.Id.CompareTo(before.Id) < 0));
                }

                return ValueTask.FromResult<IReadOnlyList<ConsentEvidence>>(
                    [.. source.OrderByDescending(e => e.OccurredAt.UtcTicks).ThenByDescending(e => e.Id).Take(query.Limit)]);
            }
        }
    }

    private sealed class SuppressionRepository(InMemoryUnitOfWork uow) : ISuppressionRepository
    {
        public ValueTask<SuppressionEntry?> FindAsync(SuppressionKind kind, string value, CancellationToken cancellationToken)
        {
            ArgumentNullException.ThrowIfNull(value);
            cancellationToken.ThrowIfCancellationRequested();
            lock (uow._partition.Gate)
            {
                return ValueTask.FromResult(uow.Consent.Suppressions.GetValueOrDefault((kind, value)));
            }
        }

        public ValueTask<IReadOnlyList<SuppressionEntry>> MatchAsync(IReadOnlyCollection<(SuppressionKind Kind, string Value)> keys, CancellationToken cancellationToken)
        {
            ArgumentNullException.ThrowIfNull(keys);
            cancellationToken.ThrowIfCancellationRequested();
            lock (uow._partition.Gate)
            {
                var suppressions = uow.Consent.Suppressions;
                if (suppressions.Count == 0)
                {
                    return ValueTask.FromResult<IReadOnlyList<SuppressionEntry>>([]);
                }

                // Each entry once, however many of the keys name it.
                var found = new List<SuppressionEntry>();
                foreach (var key in keys)
                {
                    if (suppressions.TryGetValue(key, out var entry) && !found.Contains(entry))
                    {
                        found.Add(entry);
                    }
                }

                return ValueTask.FromResult<IReadOnlyList<SuppressionEntry>>(found);
            }
        }

        public ValueTask<IReadOnlyList<SuppressionEntry>> ListAsync((SuppressionKind Kind, string Value)? after, int limit, CancellationToken cancellationToken)
        {
            cancellationToken.ThrowIfCancellationRequested();
            lock (uow._partition.Gate)
            {
                var order = uow.Consent.SuppressionOrder;
                var start = 0;
                if (after is { } a)
                {
                    start = Array.BinarySearch(order, a, ConsentData.SuppressionComparer.Instance);
                    start = start < 0 ? ~start : start + 1;
                }

                return ValueTask.FromResult<IReadOnlyList<SuppressionEntry>>(
                    [.. order.Skip(start).Take(limit).Select(k => uow.Consent.Suppressions[k])]);
            }
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

    private sealed class EngagementRepository(InMemoryUnitOfWork uow) : IEngagementRepository
    {
        public void Append(EngagementEvent engagement)
        {
            ArgumentNullException.ThrowIfNull(engagement);
            uow._guard.ThrowIfUnusable();
            uow._guard.CheckTenant(engagement.Tenant, "engagement event");
            uow._newEngagements.Add(engagement);
        }

        public ValueTask<IReadOnlyList<LatestSend>> LatestSendsAsync(IReadOnlyCollection<ContactId> contacts, Channel channel, CancellationToken cancellationToken)
        {
            ArgumentNullException.ThrowIfNull(contacts);
            cancellationToken.ThrowIfCancellationRequested();
            lock (uow._partition.Gate)
            {
                var latest = uow.Consent.LatestSends;
                var found = new List<LatestSend>();
                if (latest.Count == 0)
                {
                    return ValueTask.FromResult<IReadOnlyList<LatestSend>>(found);
                }

                foreach (var contact in contacts)
                {
                    if (!latest.TryGetValue(contact, out var byKey))
                    {
                        continue;
                    }

                    foreach (var ((sentOn, list), at) in byKey)
                    {
                        if (sentOn == channel)
                        {
                            found.Add(new LatestSend(contact, list, at));
                        }
                    }
                }

                return ValueTask.FromResult<IReadOnlyList<LatestSend>>(found);
            }
        }

        public ValueTask<IReadOnlyList<EngagementEvent>> ReadAsync(ContactId contact, int limit, CancellationToken cancellationToken)
        {
            cancellationToken.ThrowIfCancellationRequested();
            lock (uow._partition.Gate)
            {
                var events = uow.Consent.Engagements.GetValueOrDefault(contact) ?? [];
                return ValueTask.FromResult<IReadOnlyList<EngagementEvent>>(
                    [.. events.OrderByDescending(e => e.OccurredAt.UtcTicks).ThenByDescending(e => e.Id).Take(limit)]);
            }
        }

        public void RemoveForContact(ContactId contact)
        {
            uow._guard.ThrowIfUnusable();
            uow._engagementsRemoved.Add(contact);
        }
    }

    private sealed class AudiencePolicyRepository(InMemoryUnitOfWork uow) : IAudiencePolicyRepository
    {
        public ValueTask<AudiencePolicy?> FindAsync(CancellationToken cancellationToken)
        {
            cancellationToken.ThrowIfCancellationRequested();
            lock (uow._partition.Gate)
            {
                return ValueTask.FromResult(uow.Consent.Policy);
            }
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
