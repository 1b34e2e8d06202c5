namespace Datum.Contacts;

/// <summary>
/// What a consent is about: a channel, and optionally one list (a purpose). A consent without a list is the
/// contact's consent for the channel as a whole; a list-scoped consent narrows it for one list.
/// </summary>
/// <param name="Channel">The channel.</param>
/// <param name="List">The list (purpose); null for the channel as a whole.</param>
public readonly record struct ConsentScope(Channel Channel, ListId? List)
{
    /// <inheritdoc />
    public override string ToString() => List is { } list ? $"{Channel}/{list}" : Channel.ToString();
}

/// <summary>
/// A contact's consent for one channel (and optionally one list): its state and the policy version it was given
/// under. Changed only through transitions that are each recorded as <see cref="ConsentEvidence"/>; an illegal
/// transition throws <see cref="ConsentTransitionException"/>. Every change moves <see cref="Version"/> on by one per unit of work.
/// </summary>
public sealed class Consent
{
    private bool _versionAdvanced;

    private Consent()
    {
    }

    /// <summary>The owning tenant.</summary>
    public TenantId Tenant { get; private set; }

    /// <summary>The contact.</summary>
    public ContactId ContactId { get; private set; }

    /// <summary>The channel.</summary>
    public Channel Channel { get; private set; }

    /// <summary>The list the consent is scoped to; null for the channel as a whole.</summary>
    public ListId? ListId { get; private set; }

    /// <summary>The channel and list.</summary>
    public ConsentScope Scope => new(Channel, ListId);

    /// <summary>Where the consent stands (never <see cref="ConsentState.None"/> once stored).</summary>
    public ConsentState State { get; private set; } = ConsentState.None;

    /// <summary>The policy or wording version of the last transition, if given.</summary>
    public string? PolicyVersion { get; private set; }

    /// <summary>When the consent was first recorded.</summary>
    public DateTimeOffset CreatedAt { get; private set; }

    /// <summary>When the consent last changed.</summary>
    public DateTimeOffset UpdatedAt { get; private set; }

    /// <summary>When the consent was last granted (or confirmed); null when it never was.</summary>
    public DateTimeOffset? GrantedAt { get; private set; }

    /// <summary>When the consent was last withdrawn; null when it never was.</summary>
    public DateTimeOffset? WithdrawnAt { get; private set; }

    /// <summary>The concurrency version: 1 when created, one more after each committed change.</summary>
    public long Version { get; private set; }

    /// <summary>Whether the contact may be contacted under this consent.</summary>
    public bool IsGranted => State == ConsentState.Granted;

    /// <summary>
    /// The SHA-256 (hex) of the nonce of the last confirmation token issued; the token itself is never stored. Null
    /// when no double opt-in was requested.
    /// </summary>
    internal string? TokenHash { get; private set; }

    /// <summary>When the last confirmation token expires.</summary>
    internal DateTimeOffset? TokenExpiresAt { get; private set; }

    /// <summary>A consent that was never recorded (state <see cref="ConsentState.None"/>, version 0), ready for its first transition.</summary>
    /// <param name="tenant">The owning tenant.</param>
    /// <param name="contact">The contact.</param>
    /// <param name="scope">The channel and list.</param>
    /// <param name="now">The time.</param>
    internal static Consent New(TenantId tenant, ContactId contact, ConsentScope scope, DateTimeOffset now)
    {
        Guard.Against.DefaultTenant(tenant);
        Guard.Against.InvalidArgument(scope.Channel.Value is null, "The consent scope needs a channel.", nameof(scope));

        return new Consent { Tenant = tenant, ContactId = contact, Channel = scope.Channel, ListId = scope.List, CreatedAt = now, UpdatedAt = now };
    }

    /// <summary>Starts (or restarts) a double opt-in: the consent becomes pending until its token is confirmed.</summary>
    /// <param name="tokenHash">The hash of the new token's nonce.</param>
    /// <param name="expiresAt">When the token expires.</param>
    /// <param name="policyVersion">The policy or wording version the contact is asked to agree to.</param>
    /// <param name="now">The time.</param>
    /// <exception cref="ConsentTransitionException">The consent is already granted.</exception>
    internal void Request(string tokenHash, DateTimeOffset expiresAt, string? policyVersion, DateTimeOffset now)
    {
        Guard.Against.NullOrWhiteSpace(tokenHash);
        if (State == ConsentState.Granted)
        {
            throw new ConsentTransitionException(Scope, State, ConsentAction.Requested, "it is already granted; withdraw it first or grant it again under the new policy version");
        }

        State = ConsentState.Pending;
        TokenHash = tokenHash;
        TokenExpiresAt = expiresAt;
        PolicyVersion = policyVersion;
        Touch(now);
    }

    /// <summary>Confirms a pending double opt-in with the hash of the token's nonce.</summary>
    /// <param name="tokenHash">The hash of the presented token's nonce.</param>
    /// <param name="now">The time.</param>
    /// <exception cref="InvalidTokenException">The token is not the last one issued, or was used already.</exception>
    /// <exception cref="ConsentTransitionException">The consent is not pending (withdrawn since, for instance).</exception>
    internal void Confirm(string tokenHash, DateTimeOffset now)
    {
        Guard.Against.NullOrWhiteSpace(tokenHash);
        if (TokenHash is null || !string.Equals(TokenHash, tokenHash, StringComparison.Ordinal))
        {
            throw new InvalidTokenException(InvalidTokenReason.Superseded, "this confirmation token is not the latest one issued for this consent; use the newest confirmation message.");
        }

        if (State == ConsentState.Granted)
        {
            throw new InvalidTokenException(InvalidTokenReason.AlreadyUsed, "this confirmation token was already used; the consent is granted.");
        }

        if (State != ConsentState.Pending)
        {
            throw new ConsentTransitionException(Scope, State, ConsentAction.Confirmed, "only a pending consent can be confirmed; request a new confirmation");
        }

        State = ConsentState.Granted;
        GrantedAt = now;
        Touch(now);
    }

    /// <summary>Grants the consent directly (single opt-in), or again under a new policy version.</summary>
    /// <param name="policyVersion">The policy or wording version agreed to.</param>
    /// <param name="now">The time.</param>
    internal void Grant(string? policyVersion, DateTimeOffset now)
    {
        State = ConsentState.Granted;
        PolicyVersion = policyVersion;
        GrantedAt = now;
        TokenHash = null;
        TokenExpiresAt = null;
        Touch(now);
    }

    /// <summary>
    /// Withdraws the consent (also a pending one, whose token then no longer confirms anything). A consent never
    /// recorded becomes withdrawn too: an explicit refusal.
    /// </summary>
    /// <param name="now">The time.</param>
    /// <exception cref="ConsentTransitionException">The consent is already withdrawn.</exception>
    internal void Withdraw(DateTimeOffset now)
    {
        if (State == ConsentState.Withdrawn)
        {
            throw new ConsentTransitionException(Scope, State, ConsentAction.Withdrawn, "it is already withdrawn");
        }

        State = ConsentState.Withdrawn;
        WithdrawnAt = now;
        Touch(now);
    }

    /// <summary>Rebuilds a stored consent from trusted state (stores that keep rows).</summary>
    internal static Consent Restore(
        TenantId tenant, ContactId contact, ConsentScope scope, ConsentState state, string? policyVersion,
        DateTimeOffset createdAt, DateTimeOffset updatedAt, DateTimeOffset? grantedAt, DateTimeOffset? withdrawnAt,
        string? tokenHash, DateTimeOffset? tokenExpiresAt, long version) => new()
        {
            Tenant = tenant,
            ContactId = contact,
            Channel = scope.Channel,
            ListId = scope.List,
            State = state,
            PolicyVersion = policyVersion,
            CreatedAt = createdAt,
            UpdatedAt = updatedAt,
            GrantedAt = grantedAt,
            WithdrawnAt = withdrawnAt,
            TokenHash = tokenHash,
            TokenExpiresAt = tokenExpiresAt,
            Version = version,
        };

    /// <summary>An independent copy (stores that keep objects in memory).</summary>
    internal Consent Copy()
    {
        var copy = (Consent)MemberwiseClone();
        copy._versionAdvanced = false;
        return copy;
    }

    private void Touch(DateTimeOffset now)
    {
        UpdatedAt = now;
        if (!_versionAdvanced)
        {
            Version++;
            _versionAdvanced = true;
        }
    }
}

/// <summary>A consent transition that its current state does not allow (confirming a withdrawn consent, withdrawing twice...). Nothing changed.</summary>
public sealed class ConsentTransitionException : ContactManagementException
{
    /// <summary>Creates the exception.</summary>
    /// <param name="scope">The consent's channel and list.</param>
    /// <param name="state">Its current state.</param>
    /// <param name="action">The transition attempted.</param>
    /// <param name="why">Why it is refused.</param>
    public ConsentTransitionException(ConsentScope scope, ConsentState state, ConsentAction action, string why)
        : base("illegal_consent_transition", $"consent: the {scope} consent is {state}, so it cannot be {action}: {why}.")
    {
        Scope = scope;
        State = state;
        Action = action;
    }

    /// <summary>The consent's channel and list.</summary>
    public ConsentScope Scope { get; }

    /// <summary>Its current state.</summary>
    public ConsentState State { get; }

    /// <summary>The transition attempted.</summary>
    public ConsentAction Action { get; }
}

/// <summary>The contact (or one of its addresses) is on the tenant's suppression list, which always wins. Nothing changed.</summary>
public sealed class ContactSuppressedException : ContactManagementException
{
    /// <summary>Creates the exception.</summary>
    /// <param name="contact">The contact.</param>
    /// <param name="entry">The suppression entry that matched.</param>
    public ContactSuppressedException(ContactId contact, SuppressionEntry entry)
        : base("contact_suppressed", $"contact: the contact {contact} matches the tenant's suppression list ({entry.Kind}, reason {entry.Reason}); it must not be contacted, so consent cannot be requested or granted. Remove the suppression first if it is wrong.")
    {
        Guard.Against.Null(entry);
        ContactId = contact;
        Entry = entry;
    }

    /// <summary>The contact.</summary>
    public ContactId ContactId { get; }

    /// <summary>The suppression entry that matched.</summary>
    public SuppressionEntry Entry { get; }
}
