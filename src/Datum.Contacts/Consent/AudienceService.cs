using System.Runtime.CompilerServices;
using Microsoft.Extensions.Options;

namespace Datum.Contacts;

/// <summary>The audience application service: resolution in pages, explanations, the tenant's policy.</summary>
internal sealed class AudienceService(
    IContactManagementStore store,
    IOptions<ContactManagementOptions> options,
    AuditTrail audit,
    TimeProvider time) : IAudienceService
{
    private const string PolicyId = "policy";
    private readonly ContactManagementOptions _options = options.Value;

    public IAsyncEnumerable<AudienceMember> ResolveAudienceAsync(TenantId tenant, ListId list, Channel channel, DateTimeOffset? at = null, CancellationToken cancellationToken = default)
    {
        // Arguments are checked when called, not on the first MoveNextAsync.
        TenantId.ThrowIfDefault(tenant);
        CheckChannel(channel);
        return ResolveCoreAsync(tenant, list, channel, at ?? time.GetUtcNow(), cancellationToken);
    }

    public async Task<EligibilityExplanation> ExplainEligibilityAsync(TenantId tenant, ContactId contact, ListId list, Channel channel, DateTimeOffset? at = null, CancellationToken cancellationToken = default)
    {
        TenantId.ThrowIfDefault(tenant);
        CheckChannel(channel);
        var uow = await store.BeginAsync(tenant, cancellationToken).ConfigureAwait(false);
        await using (uow.ConfigureAwait(false))
        {
            var rules = await RulesAsync(uow, list, channel, at ?? time.GetUtcNow(), cancellationToken).ConfigureAwait(false);
            var loaded = await ConsentService.LoadContactAsync(uow, contact, cancellationToken).ConfigureAwait(false);
            var membership = await uow.Memberships.FindAsync(list, contact, cancellationToken).ConfigureAwait(false);
            var facts = await Facts.LoadAsync(uow, rules, [loaded], cancellationToken).ConfigureAwait(false);
            return rules.Explain(facts.For(loaded, membership));
        }
    }

    public async Task<AudiencePolicy> GetPolicyAsync(TenantId tenant, CancellationToken cancellationToken = default)
    {
        TenantId.ThrowIfDefault(tenant);
        var uow = await store.BeginAsync(tenant, cancellationToken).ConfigureAwait(false);
        await using (uow.ConfigureAwait(false))
        {
            return await uow.AudiencePolicies.FindAsync(cancellationToken).ConfigureAwait(false) ?? AudiencePolicy.Default(tenant);
        }
    }

    public async Task<AudiencePolicy> SetPolicyAsync(TenantId tenant, AudiencePolicyDraft policy, Actor actor, CancellationToken cancellationToken = default)
    {
        TenantId.ThrowIfDefault(tenant);
        ArgumentNullException.ThrowIfNull(policy);
        ArgumentNullException.ThrowIfNull(actor);
        var validated = policy.Validate(tenant, time.GetUtcNow());
        var uow = await store.BeginAsync(tenant, cancellationToken).ConfigureAwait(false);
        await using (uow.ConfigureAwait(false))
        {
            var current = await uow.AudiencePolicies.FindAsync(cancellationToken).ConfigureAwait(false);
            var changes = new List<FieldChange>();
            Diff(changes, "quietHours", current?.QuietHours?.ToString(), validated.QuietHours?.ToString());
            Diff(changes, "defaultTimeZone", current?.DefaultTimeZone?.Value, validated.DefaultTimeZone?.Value);
            if (current is not null && changes.Count == 0)
            {
                return current;
            }

            uow.AudiencePolicies.Save(validated);
            uow.AuditLog.Append(audit.Entry(tenant, actor, AuditActions.AudiencePolicyChanged, AuditEntityTypes.AudiencePolicy, PolicyId, changes));
            await uow.CommitAsync(cancellationToken).ConfigureAwait(false);
            return validated;
        }
    }

    private async IAsyncEnumerable<AudienceMember> ResolveCoreAsync(TenantId tenant, ListId list, Channel channel, DateTimeOffset at, [EnumeratorCancellation] CancellationToken cancellationToken)
    {
        var batch = _options.AudienceBatchSize;
        AudienceRules? rules = null;
        ContactId? after = null;
        var eligible = new List<AudienceMember>(batch);
        while (true)
        {
            eligible.Clear();
            bool more;

            // Each page in its own unit of work, closed before the page is handed out: nothing is held between pages.
            var uow = await store.BeginAsync(tenant, cancellationToken).ConfigureAwait(false);
            await using (uow.ConfigureAwait(false))
            {
                rules ??= await RulesAsync(uow, list, channel, at, cancellationToken).ConfigureAwait(false);
                var members = await uow.Memberships.PageAsync(new MembershipPageQuery(list, MembershipStatus.Active, null, after, batch), cancellationToken).ConfigureAwait(false);
                more = members.Count == batch;
                if (members.Count > 0)
                {
                    after = members[^1].Contact.Id;
                    var facts = await Facts.LoadAsync(uow, rules, [.. members.Select(m => m.Contact)], cancellationToken).ConfigureAwait(false);
                    foreach (var member in members)
                    {
                        if (rules.Evaluate(facts.For(member.Contact, member.Membership), null))
                        {
                            eligible.Add(new AudienceMember(member.Contact, member.Membership));
                        }
                    }
                }
            }

            foreach (var member in eligible)
            {
                yield return member;
            }

            if (!more)
            {
                yield break;
            }
        }
    }

    private static async Task<AudienceRules> RulesAsync(IUnitOfWork uow, ListId list, Channel channel, DateTimeOffset at, CancellationToken cancellationToken)
    {
        if (await uow.Lists.FindAsync(list, cancellationToken).ConfigureAwait(false) is null)
        {
            throw new EntityNotFoundException(AuditEntityTypes.List, list.ToString());
        }

        var policy = await uow.AudiencePolicies.FindAsync(cancellationToken).ConfigureAwait(false) ?? AudiencePolicy.Default(uow.Tenant);
        return new AudienceRules(policy, list, channel, at);
    }

    private static void CheckChannel(Channel channel)
    {
        if (channel.Value is null)
        {
            throw new ValidationFailedException(new FieldError("channel", "required", "channel is required."));
        }
    }

    private static void Diff(List<FieldChange> changes, string field, string? before, string? after)
    {
        if (!string.Equals(before, after, StringComparison.Ordinal))
        {
            changes.Add(new FieldChange(field, before, after));
        }
    }

    /// <summary>The consents, suppressions and latest sends of one page of members, read in three queries.</summary>
    private sealed class Facts
    {
        private readonly Dictionary<ContactId, Consent> _channelConsents = [];
        private readonly Dictionary<ContactId, Consent> _listConsents = [];
        private readonly Dictionary<(SuppressionKind, string), SuppressionEntry> _suppressions = [];
        private readonly Dictionary<ContactId, DateTimeOffset> _latestOnChannel = [];
        private readonly Dictionary<ContactId, DateTimeOffset> _latestThroughList = [];

        public static async Task<Facts> LoadAsync(IUnitOfWork uow, AudienceRules rules, IReadOnlyList<Contact> contacts, CancellationToken cancellationToken)
        {
            var facts = new Facts();
            var ids = new ContactId[contacts.Count];
            var keys = new List<(SuppressionKind, string)>(contacts.Count * 3);
            for (var i = 0; i < contacts.Count; i++)
            {
                ids[i] = contacts[i].Id;
                keys.AddRange(SuppressionEntry.KeysOf(contacts[i]));
            }

            foreach (var consent in await uow.Consents.ForContactsAsync(ids, cancellationToken).ConfigureAwait(false))
            {
                if (consent.Channel != rules.Channel)
                {
                    continue;
                }

                if (consent.ListId is null)
                {
                    facts._channelConsents[consent.ContactId] = consent;
                }
                else if (consent.ListId == rules.List)
                {
                    facts._listConsents[consent.ContactId] = consent;
                }
            }

            if (keys.Count > 0)
            {
                foreach (var entry in await uow.Suppressions.MatchAsync(keys, cancellationToken).ConfigureAwait(false))
                {
                    facts._suppressions[(entry.Kind, entry.Value)] = entry;
                }
            }

            foreach (var send in await uow.Engagements.LatestSendsAsync(ids, rules.Channel, cancellationToken).ConfigureAwait(false))
            {
                if (!facts._latestOnChannel.TryGetValue(send.ContactId, out var latest) || send.SentAt > latest)
                {
                    facts._latestOnChannel[send.ContactId] = send.SentAt;
                }

                if (send.ListId == rules.List)
                {
                    facts._latestThroughList[send.ContactId] = send.SentAt;
                }
            }

            return facts;
        }

        public AudienceFacts For(Contact contact, ListMembership? membership)
        {
            SuppressionEntry? suppression = null;
            if (_suppressions.Count > 0)
            {
                foreach (var key in SuppressionEntry.KeysOf(contact))
                {
                    if (_suppressions.TryGetValue(key, out var entry) && (suppression is null || entry.Kind < suppression.Kind))
                    {
                        suppression = entry;
                    }
                }
            }

            return new AudienceFacts(
                contact,
                membership,
                _channelConsents.GetValueOrDefault(contact.Id),
                _listConsents.GetValueOrDefault(contact.Id),
                suppression,
                _latestOnChannel.TryGetValue(contact.Id, out var onChannel) ? onChannel : null,
                _latestThroughList.TryGetValue(contact.Id, out var throughList) ? throughList : null);
        }
    }
}
