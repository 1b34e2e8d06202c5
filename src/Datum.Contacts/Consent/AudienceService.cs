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
        Guard.Against.DefaultTenant(tenant);
        CheckChannel(channel);
        return ResolveCoreAsync(tenant, list, channel, at ?? time.GetUtcNow(), cancellationToken);
    }

    public async Task<EligibilityExplanation> ExplainEligibilityAsync(TenantId tenant, ContactId contact, ListId list, Channel channel, DateTimeOffset? at = null, CancellationToken cancellationToken = default)
    {
        Guard.Against.DefaultTenant(tenant);
        CheckChannel(channel);
        var uow = await store.BeginAsync(tenant, cancellationToken).ConfigureAwait(false);
        await using (uow.ConfigureAwait(false))
        {
            var rules = await RulesAsync(uow, list, channel, at ?? time.GetUtcNow(), cancellationToken).ConfigureAwait(false);
            var loaded = await ContactService.LoadAsync(uow, contact, null, cancellationToken).ConfigureAwait(false);
            var membership = await uow.Memberships.FindAsync(list, contact, cancellationToken).ConfigureAwait(false);
            var facts = await Facts.LoadAsync(uow, rules, [loaded], cancellationToken).ConfigureAwait(false);
            return rules.Explain(facts.For(loaded, membership));
        }
    }

    public async Task<AudiencePolicy> GetPolicyAsync(TenantId tenant, CancellationToken cancellationToken = default)
    {
        Guard.Against.DefaultTenant(tenant);
        var uow = await store.BeginAsync(tenant, cancellationToken).ConfigureAwait(false);
        await using (uow.ConfigureAwait(false))
        {
            return await uow.AudiencePolicies.FindAsync(cancellationToken).ConfigureAwait(false) ?? AudiencePolicy.Default(tenant);
        }
    }

    public async Task<AudiencePolicy> SetPolicyAsync(TenantId tenant, AudiencePolicyDraft policy, Actor actor, CancellationToken cancellationToken = default)
    {
        Guard.Against.DefaultTenant(tenant);
        Guard.Against.Null(policy);
        Guard.Against.Null(actor);
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

                    // The other facts are read only for members that can pass the rules needing none (same outcome, fewer reads).
                    var candidates = new List<ListMember>(members.Count);
                    foreach (var member in members)
                    {
                        if (rules.MayPass(member.Membership, member.Contact))
                        {
                            candidates.Add(member);
                        }
                    }

                    var facts = await Facts.LoadAsync(uow, rules, [.. candidates.Select(m => m.Contact)], cancellationToken).ConfigureAwait(false);
                    foreach (var member in candidates)
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
        private readonly Dictionary<ContactId, ConsentState> _channelConsents = [];
        private readonly Dictionary<ContactId, ConsentState> _listConsents = [];
        private readonly Dictionary<ContactId, SuppressionEntry> _suppressed = [];
        private readonly Dictionary<ContactId, DateTimeOffset> _latestOnChannel = [];
        private readonly Dictionary<ContactId, DateTimeOffset> _latestThroughList = [];

        public static async Task<Facts> LoadAsync(IUnitOfWork uow, AudienceRules rules, IReadOnlyList<Contact> contacts, CancellationToken cancellationToken)
        {
            var facts = new Facts();
            if (contacts.Count == 0)
            {
                return facts;
            }

            var ids = new ContactId[contacts.Count];

            // Each contact's suppression keys, made once: the query takes them all, the answer maps back to the contacts.
            var keys = new List<(SuppressionKind Kind, string Value)>(contacts.Count * 3);
            var owners = new List<ContactId>(contacts.Count * 3);
            for (var i = 0; i < contacts.Count; i++)
            {
                var contact = contacts[i];
                ids[i] = contact.Id;
                for (var added = SuppressionEntry.AddKeysOf(contact, keys); added > 0; added--)
                {
                    owners.Add(contact.Id);
                }
            }

            foreach (var consent in await uow.Consents.StatesAsync(ids, rules.Channel, cancellationToken).ConfigureAwait(false))
            {
                if (consent.ListId is null)
                {
                    facts._channelConsents[consent.ContactId] = consent.State;
                }
                else if (consent.ListId == rules.List)
                {
                    facts._listConsents[consent.ContactId] = consent.State;
                }
            }

            if (keys.Count > 0)
            {
                var matched = await uow.Suppressions.MatchAsync(keys, cancellationToken).ConfigureAwait(false);
                if (matched.Count > 0)
                {
                    var byKey = new Dictionary<(SuppressionKind, string), SuppressionEntry>(matched.Count);
                    foreach (var entry in matched)
                    {
                        byKey[(entry.Kind, entry.Value)] = entry;
                    }

                    for (var i = 0; i < keys.Count; i++)
                    {
                        // Several entries can match one contact: report the most specific kind (email, then phone, then domain).
                        if (byKey.TryGetValue(keys[i], out var entry)
                            && (!facts._suppressed.TryGetValue(owners[i], out var held) || entry.Kind < held.Kind))
                        {
                            facts._suppressed[owners[i]] = entry;
                        }
                    }
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

        public AudienceFacts For(Contact contact, ListMembership? membership) => new(
            contact,
            membership,
            _channelConsents.TryGetValue(contact.Id, out var channelConsent) ? channelConsent : null,
            _listConsents.TryGetValue(contact.Id, out var listConsent) ? listConsent : null,
            _suppressed.GetValueOrDefault(contact.Id),
            _latestOnChannel.TryGetValue(contact.Id, out var onChannel) ? onChannel : null,
            _latestThroughList.TryGetValue(contact.Id, out var throughList) ? throughList : null);
    }
}
