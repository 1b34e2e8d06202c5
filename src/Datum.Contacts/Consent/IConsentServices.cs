namespace Datum.Contacts;

/// <summary>
/// Consent and opt-in: single and double opt-in, withdrawal (one channel, one list, or everything), the consent
/// ledger and the US privacy flags. Every change appends evidence to the ledger, is audited, and re-evaluates the
/// contact's dynamic lists (criteria can read <c>consent.&lt;channel&gt;</c>), all in one unit of work.
/// </summary>
public interface IConsentService
{
    /// <summary>
    /// Starts a double opt-in: the consent becomes pending and a signed, single-use confirmation token is issued for the
    /// host to send to the contact (only a hash of its nonce is stored).
    /// </summary>
    /// <param name="tenant">The tenant.</param>
    /// <param name="contact">The contact.</param>
    /// <param name="scope">The channel and, optionally, the list.</param>
    /// <param name="evidence">How the request came (form, API...), policy version, IP address, user agent.</param>
    /// <param name="actor">Who asks.</param>
    /// <param name="cancellationToken">Cancels the operation.</param>
    /// <exception cref="EntityNotFoundException">The contact or list does not exist.</exception>
    /// <exception cref="ContactSuppressedException">The contact is on the suppression list.</exception>
    /// <exception cref="ConsentTransitionException">The consent is already granted.</exception>
    Task<ConsentRequest> RequestOptInAsync(TenantId tenant, ContactId contact, ConsentScope scope, ConsentEvidenceDraft evidence, Actor actor, CancellationToken cancellationToken = default);

    /// <summary>Confirms a double opt-in with the token the contact received; the consent becomes granted.</summary>
    /// <param name="tenant">The tenant the token is presented to.</param>
    /// <param name="token">The confirmation token.</param>
    /// <param name="evidence">How the confirmation came, with the contact's IP address and user agent if captured.</param>
    /// <param name="cancellationToken">Cancels the operation.</param>
    /// <exception cref="InvalidTokenException">The token is malformed, tampered, expired, used, superseded, or of another tenant or purpose.</exception>
    /// <exception cref="ConsentTransitionException">The consent was withdrawn after the token was issued.</exception>
    /// <exception cref="ContactSuppressedException">The contact was suppressed after the token was issued.</exception>
    Task<Consent> ConfirmOptInAsync(TenantId tenant, string token, ConsentEvidenceDraft evidence, CancellationToken cancellationToken = default);

    /// <summary>Grants a consent directly (single opt-in), or again under a new policy version.</summary>
    /// <param name="tenant">The tenant.</param>
    /// <param name="contact">The contact.</param>
    /// <param name="scope">The channel and, optionally, the list.</param>
    /// <param name="evidence">Source, policy version, lawful basis, IP address, user agent.</param>
    /// <param name="actor">Who records it.</param>
    /// <param name="cancellationToken">Cancels the operation.</param>
    /// <exception cref="EntityNotFoundException">The contact or list does not exist.</exception>
    /// <exception cref="ContactSuppressedException">The contact is on the suppression list.</exception>
    Task<Consent> GrantAsync(TenantId tenant, ContactId contact, ConsentScope scope, ConsentEvidenceDraft evidence, Actor actor, CancellationToken cancellationToken = default);

    /// <summary>Withdraws one consent: one channel, or one list on one channel (recorded as a refusal when none existed).</summary>
    /// <param name="tenant">The tenant.</param>
    /// <param name="contact">The contact.</param>
    /// <param name="scope">The channel and, optionally, the list.</param>
    /// <param name="evidence">How the withdrawal came.</param>
    /// <param name="actor">Who records it.</param>
    /// <param name="cancellationToken">Cancels the operation.</param>
    /// <exception cref="ConsentTransitionException">The consent is already withdrawn.</exception>
    Task<Consent> WithdrawAsync(TenantId tenant, ContactId contact, ConsentScope scope, ConsentEvidenceDraft evidence, Actor actor, CancellationToken cancellationToken = default);

    /// <summary>
    /// Unsubscribes the contact from everything: withdraws every consent that is not withdrawn yet, and sets the contact's
    /// status to <see cref="ContactStatus.Unsubscribed"/>. Doing it twice changes nothing the second time.
    /// </summary>
    /// <param name="tenant">The tenant.</param>
    /// <param name="contact">The contact.</param>
    /// <param name="evidence">How the request came.</param>
    /// <param name="actor">Who records it.</param>
    /// <param name="cancellationToken">Cancels the operation.</param>
    /// <returns>The contact's consents afterwards.</returns>
    Task<IReadOnlyList<Consent>> WithdrawAllAsync(TenantId tenant, ContactId contact, ConsentEvidenceDraft evidence, Actor actor, CancellationToken cancellationToken = default);

    /// <summary>The contact's consents, every channel and list.</summary>
    /// <param name="tenant">The tenant.</param>
    /// <param name="contact">The contact.</param>
    /// <param name="cancellationToken">Cancels the read.</param>
    Task<IReadOnlyList<Consent>> GetConsentsAsync(TenantId tenant, ContactId contact, CancellationToken cancellationToken = default);

    /// <summary>The contact's consent ledger, newest first, optionally of one scope; kept after the contact is deleted.</summary>
    /// <param name="tenant">The tenant.</param>
    /// <param name="contact">The contact.</param>
    /// <param name="scope">Only this channel and list; null for every consent.</param>
    /// <param name="page">Size and cursor.</param>
    /// <param name="cancellationToken">Cancels the read.</param>
    Task<Page<ConsentEvidence>> GetEvidenceAsync(TenantId tenant, ContactId contact, ConsentScope? scope, PageRequest page, CancellationToken cancellationToken = default);

    /// <summary>
    /// Answers "was this contact allowed on this channel (and list) at time T, and on what evidence?" from the ledger:
    /// allowed when the channel-wide consent was granted at T and, for a list, its list-scoped consent (if any) was too.
    /// </summary>
    /// <param name="tenant">The tenant.</param>
    /// <param name="contact">The contact.</param>
    /// <param name="scope">The channel and, optionally, the list.</param>
    /// <param name="at">The time asked about.</param>
    /// <param name="cancellationToken">Cancels the read.</param>
    Task<ConsentAtTime> WasAllowedAsync(TenantId tenant, ContactId contact, ConsentScope scope, DateTimeOffset at, CancellationToken cancellationToken = default);

    /// <summary>Changes the contact's privacy choices (do-not-sell/share, Global Privacy Control signal, deletion request); audited.</summary>
    /// <param name="tenant">The tenant.</param>
    /// <param name="contact">The contact.</param>
    /// <param name="privacy">What to change.</param>
    /// <param name="actor">Who records it.</param>
    /// <param name="cancellationToken">Cancels the operation.</param>
    Task<Contact> SetPrivacyAsync(TenantId tenant, ContactId contact, ContactPrivacyDraft privacy, Actor actor, CancellationToken cancellationToken = default);
}

/// <summary>A started double opt-in.</summary>
/// <param name="Consent">The pending consent.</param>
/// <param name="Token">The confirmation token to send to the contact (shown once: only its hash is stored).</param>
/// <param name="ExpiresAt">When the token expires.</param>
public sealed record ConsentRequest(Consent Consent, string Token, DateTimeOffset ExpiresAt);

/// <summary>What the ledger says about a consent at a time.</summary>
/// <param name="Allowed">Whether the contact could be contacted under it then.</param>
/// <param name="ChannelState">The channel-wide consent's state then.</param>
/// <param name="ChannelEvidence">The entry that set it; null when there was none yet.</param>
/// <param name="ListState">The list-scoped consent's state then; null when no list was asked about.</param>
/// <param name="ListEvidence">The entry that set it; null when there was none.</param>
public sealed record ConsentAtTime(bool Allowed, ConsentState ChannelState, ConsentEvidence? ChannelEvidence, ConsentState? ListState, ConsentEvidence? ListEvidence);

/// <summary>Changes to a contact's privacy choices; a null member leaves that choice as it is.</summary>
public sealed record ContactPrivacyDraft
{
    /// <summary>Opts the contact out of (true) or back into (false) the sale or sharing of its personal information.</summary>
    public bool? DoNotSellOrShare { get; init; }

    /// <summary>True when a Global Privacy Control signal was received now (its time is recorded); false to clear it.</summary>
    public bool? GlobalPrivacyControl { get; init; }

    /// <summary>True when the contact asked for its data to be deleted (the first request's time is kept); false to clear it.</summary>
    public bool? DeletionRequested { get; init; }
}

/// <summary>The tenant's suppression list: addresses, phones and email domains that must never be contacted.</summary>
public interface ISuppressionService
{
    /// <summary>Adds (or replaces) an entry; audited.</summary>
    /// <param name="tenant">The tenant.</param>
    /// <param name="draft">Kind, value, reason, note.</param>
    /// <param name="actor">Who adds it.</param>
    /// <param name="cancellationToken">Cancels the operation.</param>
    /// <exception cref="ValidationFailedException">The value is not an address, phone or domain of its kind.</exception>
    Task<SuppressionEntry> AddAsync(TenantId tenant, SuppressionDraft draft, Actor actor, CancellationToken cancellationToken = default);

    /// <summary>Removes an entry; audited. False when there was none.</summary>
    /// <param name="tenant">The tenant.</param>
    /// <param name="kind">What it matches.</param>
    /// <param name="value">The address, phone or domain (normalized like on add).</param>
    /// <param name="actor">Who removes it.</param>
    /// <param name="cancellationToken">Cancels the operation.</param>
    Task<bool> RemoveAsync(TenantId tenant, SuppressionKind kind, string value, Actor actor, CancellationToken cancellationToken = default);

    /// <summary>Finds an entry.</summary>
    /// <param name="tenant">The tenant.</param>
    /// <param name="kind">What it matches.</param>
    /// <param name="value">The address, phone or domain.</param>
    /// <param name="cancellationToken">Cancels the read.</param>
    Task<SuppressionEntry?> FindAsync(TenantId tenant, SuppressionKind kind, string value, CancellationToken cancellationToken = default);

    /// <summary>The entries that match a contact's email, email domain or phone.</summary>
    /// <param name="tenant">The tenant.</param>
    /// <param name="contact">The contact.</param>
    /// <param name="cancellationToken">Cancels the read.</param>
    Task<IReadOnlyList<SuppressionEntry>> MatchAsync(TenantId tenant, ContactId contact, CancellationToken cancellationToken = default);

    /// <summary>Reads the list one page at a time, in (kind, value) order.</summary>
    /// <param name="tenant">The tenant.</param>
    /// <param name="page">Size and cursor.</param>
    /// <param name="cancellationToken">Cancels the read.</param>
    Task<Page<SuppressionEntry>> PageAsync(TenantId tenant, PageRequest page, CancellationToken cancellationToken = default);
}

/// <summary>A send or an interaction to record.</summary>
/// <param name="Contact">The contact.</param>
/// <param name="Channel">The channel.</param>
/// <param name="Kind">What happened.</param>
/// <param name="List">The list it went through; null for none.</param>
/// <param name="OccurredAt">When; null for now. At most five minutes in the future.</param>
public sealed record EngagementDraft(ContactId Contact, Channel Channel, EngagementKind Kind, ListId? List = null, DateTimeOffset? OccurredAt = null);

/// <summary>
/// Records sends and interactions. Sends feed frequency caps; interactions (opened, clicked, replied) move the
/// contact's and the membership's last-engagement times forward (audited, and re-evaluating dynamic lists).
/// </summary>
public interface IEngagementService
{
    /// <summary>Records one event.</summary>
    /// <param name="tenant">The tenant.</param>
    /// <param name="engagement">The event.</param>
    /// <param name="actor">Who records it.</param>
    /// <param name="cancellationToken">Cancels the operation.</param>
    Task<EngagementEvent> RecordAsync(TenantId tenant, EngagementDraft engagement, Actor actor, CancellationToken cancellationToken = default);

    /// <summary>Records many events in one unit of work (a campaign's sends, for instance): all or none.</summary>
    /// <param name="tenant">The tenant.</param>
    /// <param name="engagements">The events; at most <see cref="ContactManagementOptions.MaxContactsPerListCall"/>.</param>
    /// <param name="actor">Who records them.</param>
    /// <param name="cancellationToken">Cancels the operation.</param>
    /// <exception cref="ValidationFailedException">An event is invalid or names an unknown contact or list; its position is named.</exception>
    Task<IReadOnlyList<EngagementEvent>> RecordManyAsync(TenantId tenant, IReadOnlyList<EngagementDraft> engagements, Actor actor, CancellationToken cancellationToken = default);

    /// <summary>A contact's events, newest first.</summary>
    /// <param name="tenant">The tenant.</param>
    /// <param name="contact">The contact.</param>
    /// <param name="limit">The most events to return (at most <see cref="ContactManagementOptions.MaxPageSize"/>).</param>
    /// <param name="cancellationToken">Cancels the read.</param>
    Task<IReadOnlyList<EngagementEvent>> GetAsync(TenantId tenant, ContactId contact, int limit = 50, CancellationToken cancellationToken = default);
}

/// <summary>
/// Who may be contacted: a list's audience on a channel at a time, and why a contact is or is not in it. Both use one
/// rule evaluator (see <see cref="AudienceRule"/>), so a resolved audience is exactly the contacts whose explanation passes.
/// </summary>
public interface IAudienceService
{
    /// <summary>
    /// Streams the members of a list who may be contacted on a channel at a time: membership active, contact active, an
    /// address for the channel, not suppressed, consent granted (and the list-scoped one, if any), channel on after the
    /// membership's overrides, frequency cap not reached, outside quiet hours. Reads the list in pages of
    /// <see cref="ContactManagementOptions.AudienceBatchSize"/>, each in its own unit of work, so memory does not grow with the list.
    /// </summary>
    /// <param name="tenant">The tenant.</param>
    /// <param name="list">The list.</param>
    /// <param name="channel">The channel.</param>
    /// <param name="at">The time of the send; null for now.</param>
    /// <param name="cancellationToken">Cancels the enumeration.</param>
    /// <exception cref="EntityNotFoundException">The list does not exist.</exception>
    IAsyncEnumerable<AudienceMember> ResolveAudienceAsync(TenantId tenant, ListId list, Channel channel, DateTimeOffset? at = null, CancellationToken cancellationToken = default);

    /// <summary>Every audience rule for one contact, list and channel at a time, with whether it passed and what was seen.</summary>
    /// <param name="tenant">The tenant.</param>
    /// <param name="contact">The contact.</param>
    /// <param name="list">The list.</param>
    /// <param name="channel">The channel.</param>
    /// <param name="at">The time of the send; null for now.</param>
    /// <param name="cancellationToken">Cancels the read.</param>
    /// <exception cref="EntityNotFoundException">The contact or the list does not exist.</exception>
    Task<EligibilityExplanation> ExplainEligibilityAsync(TenantId tenant, ContactId contact, ListId list, Channel channel, DateTimeOffset? at = null, CancellationToken cancellationToken = default);

    /// <summary>The tenant's audience policy (its default when it never set one).</summary>
    /// <param name="tenant">The tenant.</param>
    /// <param name="cancellationToken">Cancels the read.</param>
    Task<AudiencePolicy> GetPolicyAsync(TenantId tenant, CancellationToken cancellationToken = default);

    /// <summary>Replaces the tenant's audience policy (quiet hours, default time zone); audited.</summary>
    /// <param name="tenant">The tenant.</param>
    /// <param name="policy">The new policy.</param>
    /// <param name="actor">Who changes it.</param>
    /// <param name="cancellationToken">Cancels the operation.</param>
    Task<AudiencePolicy> SetPolicyAsync(TenantId tenant, AudiencePolicyDraft policy, Actor actor, CancellationToken cancellationToken = default);
}

/// <summary>
/// Contact self-service ("after verifying my identity"): the host issues a signed token for one contact and purpose,
/// sends it as a link, and the contact's requests carry it back. Tokens expire
/// (<see cref="ContactTokenOptions.SelfServiceTokenLifetime"/>) and are bound to the tenant and contact; every change is
/// made, and audited, as the contact itself.
/// </summary>
public interface IContactSelfService
{
    /// <summary>Issues a self-service token.</summary>
    /// <param name="tenant">The tenant.</param>
    /// <param name="contact">The contact.</param>
    /// <param name="purpose">What it allows (not <see cref="TokenPurpose.ConfirmOptIn"/>, which <see cref="IConsentService.RequestOptInAsync"/> issues).</param>
    /// <param name="scope">For <see cref="TokenPurpose.Unsubscribe"/>: the channel (and list) to unsubscribe from; null for everything.</param>
    /// <param name="cancellationToken">Cancels the operation.</param>
    /// <exception cref="EntityNotFoundException">The contact does not exist.</exception>
    Task<ContactToken> IssueTokenAsync(TenantId tenant, ContactId contact, TokenPurpose purpose, ConsentScope? scope = null, CancellationToken cancellationToken = default);

    /// <summary>The contact's own profile, consents and memberships (a <see cref="TokenPurpose.ViewProfile"/> or <see cref="TokenPurpose.UpdateProfile"/> token).</summary>
    /// <param name="tenant">The tenant.</param>
    /// <param name="token">The token.</param>
    /// <param name="cancellationToken">Cancels the read.</param>
    /// <exception cref="InvalidTokenException">The token is refused.</exception>
    Task<SelfServiceProfile> ViewProfileAsync(TenantId tenant, string token, CancellationToken cancellationToken = default);

    /// <summary>Changes the contact's own names, title, company, phone or preferences (an <see cref="TokenPurpose.UpdateProfile"/> token).</summary>
    /// <param name="tenant">The tenant.</param>
    /// <param name="token">The token.</param>
    /// <param name="update">What to change.</param>
    /// <param name="cancellationToken">Cancels the operation.</param>
    /// <exception cref="InvalidTokenException">The token is refused.</exception>
    Task<Contact> UpdateProfileAsync(TenantId tenant, string token, SelfServiceProfileUpdate update, CancellationToken cancellationToken = default);

    /// <summary>
    /// Unsubscribes as the token says (an <see cref="TokenPurpose.Unsubscribe"/> token): from one list (the membership is
    /// unsubscribed and the list's consent on the channel withdrawn), from one channel, or from everything. Using the link twice is harmless.
    /// </summary>
    /// <param name="tenant">The tenant.</param>
    /// <param name="token">The token.</param>
    /// <param name="evidence">How the request came, with the contact's IP address and user agent if captured.</param>
    /// <param name="cancellationToken">Cancels the operation.</param>
    /// <exception cref="InvalidTokenException">The token is refused.</exception>
    Task UnsubscribeAsync(TenantId tenant, string token, ConsentEvidenceDraft evidence, CancellationToken cancellationToken = default);

    /// <summary>Records the contact's request to delete its data (a <see cref="TokenPurpose.RequestDeletion"/> token); the first request's time is kept.</summary>
    /// <param name="tenant">The tenant.</param>
    /// <param name="token">The token.</param>
    /// <param name="cancellationToken">Cancels the operation.</param>
    /// <exception cref="InvalidTokenException">The token is refused.</exception>
    Task<Contact> RequestDeletionAsync(TenantId tenant, string token, CancellationToken cancellationToken = default);
}

/// <summary>An issued token.</summary>
/// <param name="Token">The token, to put in a link.</param>
/// <param name="Purpose">What it allows.</param>
/// <param name="ExpiresAt">When it expires.</param>
public sealed record ContactToken(string Token, TokenPurpose Purpose, DateTimeOffset ExpiresAt);

/// <summary>What a contact sees of itself.</summary>
/// <param name="Contact">The contact.</param>
/// <param name="Consents">Its consents.</param>
/// <param name="Memberships">Its memberships.</param>
public sealed record SelfServiceProfile(Contact Contact, IReadOnlyList<Consent> Consents, IReadOnlyList<ListMembership> Memberships);

/// <summary>The fields a contact may change itself; unset members stay as they are. The email address is not among them: changing it needs a verification of the new address, which is the host's.</summary>
public sealed record SelfServiceProfileUpdate
{
    /// <summary>Given name.</summary>
    public Optional<string?> FirstName { get; init; }

    /// <summary>Family name.</summary>
    public Optional<string?> LastName { get; init; }

    /// <summary>Job title or honorific.</summary>
    public Optional<string?> Title { get; init; }

    /// <summary>Company.</summary>
    public Optional<string?> Company { get; init; }

    /// <summary>Phone number.</summary>
    public Optional<string?> Phone { get; init; }

    /// <summary>Communication preferences (replaced as a whole).</summary>
    public Optional<ContactPreferencesDraft?> Preferences { get; init; }
}
