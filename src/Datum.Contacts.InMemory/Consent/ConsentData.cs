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
