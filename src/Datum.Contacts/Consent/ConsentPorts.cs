namespace Datum.Contacts;

/// <summary>
/// Store port for the consents of the unit of work's tenant. Reads return committed state; writes are queued until
/// the unit of work commits.
/// </summary>
/// <remarks>
/// A store must guarantee at commit: at most one consent per contact, channel and list (a consent without a list
/// is distinct from every list-scoped one), only for a contact that exists when the unit of work commits
/// (<see cref="ConcurrencyConflictException"/> otherwise); an updated or removed consent still has the version it was
/// loaded with (<see cref="ConcurrencyConflictException"/>).
/// </remarks>
public interface IConsentRepository
{
    /// <summary>Finds a contact's consent for a channel and list.</summary>
    /// <param name="contact">The contact.</param>
    /// <param name="scope">The channel and list.</param>
    /// <param name="cancellationToken">Cancels the read.</param>
    ValueTask<Consent?> FindAsync(ContactId contact, ConsentScope scope, CancellationToken cancellationToken);

    /// <summary>Reads every consent of several contacts, on any channel and list.</summary>
    /// <param name="contacts">The contacts.</param>
    /// <param name="cancellationToken">Cancels the read.</param>
    ValueTask<IReadOnlyList<Consent>> ForContactsAsync(IReadOnlyCollection<ContactId> contacts, CancellationToken cancellationToken);

    /// <summary>
    /// Reads only the states of several contacts' consents on one channel (channel-wide and list-scoped), without loading
    /// them for update: what an audience resolution needs, at a fraction of the cost of <see cref="ForContactsAsync"/>.
    /// </summary>
    /// <param name="contacts">The contacts.</param>
    /// <param name="channel">The channel.</param>
    /// <param name="cancellationToken">Cancels the read.</param>
    ValueTask<IReadOnlyList<ConsentStateEntry>> StatesAsync(IReadOnlyCollection<ContactId> contacts, Channel channel, CancellationToken cancellationToken);

    /// <summary>Queues a new consent (one whose first transition was just made).</summary>
    /// <param name="consent">The consent; its tenant must be the unit of work's.</param>
    void Add(Consent consent);

    /// <summary>Queues a change to a consent loaded by this unit of work.</summary>
    /// <param name="consent">The changed consent.</param>
    void Update(Consent consent);

    /// <summary>Queues the deletion of a consent loaded by this unit of work (when its contact is deleted; its evidence stays).</summary>
    /// <param name="consent">The consent.</param>
    void Remove(Consent consent);
}

/// <summary>The state of one consent, read without the consent (see <see cref="IConsentRepository.StatesAsync"/>).</summary>
/// <param name="ContactId">The contact.</param>
/// <param name="ListId">The list the consent is scoped to; null for the channel as a whole.</param>
/// <param name="State">Its state.</param>
public readonly record struct ConsentStateEntry(ContactId ContactId, ListId? ListId, ConsentState State);

/// <summary>Store port for the consent ledger of the unit of work's tenant: append-only, read newest first.</summary>
/// <remarks>Entries are never changed or deleted by the core, and a store keeps them when their contact is deleted (no foreign key).</remarks>
public interface IConsentEvidenceRepository
{
    /// <summary>Queues an entry, written with the unit of work.</summary>
    /// <param name="entry">The entry; its tenant must be the unit of work's.</param>
    void Append(ConsentEvidence entry);

    /// <summary>Reads a contact's entries newest first (by time, then id, both descending).</summary>
    /// <param name="query">Contact, filters, position and size.</param>
    /// <param name="cancellationToken">Cancels the read.</param>
    ValueTask<IReadOnlyList<ConsentEvidence>> ReadAsync(ConsentEvidenceQuery query, CancellationToken cancellationToken);
}

/// <summary>A read of a contact's consent ledger.</summary>
/// <param name="Contact">The contact.</param>
/// <param name="Scope">Only entries of this channel and list (null list: the channel-wide consent only); null for every consent.</param>
/// <param name="AtOrBefore">Only entries that occurred at or before this time; null for any.</param>
/// <param name="Before">Only entries strictly older than this (time, id) position; null for the first page.</param>
/// <param name="Limit">The most entries to return.</param>
public sealed record ConsentEvidenceQuery(ContactId Contact, ConsentScope? Scope, DateTimeOffset? AtOrBefore, (DateTimeOffset OccurredAt, Guid Id)? Before, int Limit);

/// <summary>What an engagement event records.</summary>
public enum EngagementKind
{
    /// <summary>A message was sent to the contact.</summary>
    Sent = 1,

    /// <summary>The contact opened a message.</summary>
    Opened = 2,

    /// <summary>The contact clicked a link.</summary>
    Clicked = 3,

    /// <summary>The contact replied.</summary>
    Replied = 4,
}

/// <summary>
/// A send to, or an interaction of, a contact on a channel (optionally through a list). Sends feed frequency caps;
/// interactions move the contact's (and membership's) last-engagement time.
/// </summary>
/// <param name="Id">A time-ordered id.</param>
/// <param name="Tenant">The owning tenant.</param>
/// <param name="ContactId">The contact.</param>
/// <param name="Channel">The channel.</param>
/// <param name="ListId">The list it went through; null for none.</param>
/// <param name="Kind">What happened.</param>
/// <param name="OccurredAt">When.</param>
public sealed record EngagementEvent(Guid Id, TenantId Tenant, ContactId ContactId, Channel Channel, ListId? ListId, EngagementKind Kind, DateTimeOffset OccurredAt);

/// <summary>The latest send to a contact on a channel through one list (or through none).</summary>
/// <param name="ContactId">The contact.</param>
/// <param name="ListId">The list; null for sends through no list.</param>
/// <param name="SentAt">The latest send's time.</param>
public sealed record LatestSend(ContactId ContactId, ListId? ListId, DateTimeOffset SentAt);

/// <summary>Store port for engagement events of the unit of work's tenant: append-only.</summary>
public interface IEngagementRepository
{
    /// <summary>Queues an event, written with the unit of work.</summary>
    /// <param name="engagement">The event; its tenant must be the unit of work's.</param>
    void Append(EngagementEvent engagement);

    /// <summary>The latest send on a channel to each of several contacts, per list (one row per contact and list sent through).</summary>
    /// <param name="contacts">The contacts.</param>
    /// <param name="channel">The channel.</param>
    /// <param name="cancellationToken">Cancels the read.</param>
    ValueTask<IReadOnlyList<LatestSend>> LatestSendsAsync(IReadOnlyCollection<ContactId> contacts, Channel channel, CancellationToken cancellationToken);

    /// <summary>Reads a contact's events newest first (by time, then id, both descending).</summary>
    /// <param name="contact">The contact.</param>
    /// <param name="limit">The most events to return.</param>
    /// <param name="cancellationToken">Cancels the read.</param>
    ValueTask<IReadOnlyList<EngagementEvent>> ReadAsync(ContactId contact, int limit, CancellationToken cancellationToken);

    /// <summary>Queues the deletion of every event of a contact being deleted.</summary>
    /// <param name="contact">The contact.</param>
    void RemoveForContact(ContactId contact);
}

/// <summary>Store port for the tenant's audience policy (one per tenant).</summary>
public interface IAudiencePolicyRepository
{
    /// <summary>Reads the tenant's policy; null when it never set one.</summary>
    /// <param name="cancellationToken">Cancels the read.</param>
    ValueTask<AudiencePolicy?> FindAsync(CancellationToken cancellationToken);

    /// <summary>Queues the tenant's policy, replacing the current one.</summary>
    /// <param name="policy">The policy; its tenant must be the unit of work's.</param>
    void Save(AudiencePolicy policy);
}
