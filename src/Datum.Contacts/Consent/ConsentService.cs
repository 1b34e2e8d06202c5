using Microsoft.Extensions.Options;

namespace Datum.Contacts;

/// <summary>The consent application service: transitions with evidence, audit, dynamic lists, one commit.</summary>
internal sealed class ConsentService(
    IContactManagementStore store,
    IOptions<ContactManagementOptions> options,
    AuditTrail audit,
    ListMaintenance lists,
    ContactTokens tokens) : IConsentService
{
    private readonly ContactManagementOptions _options = options.Value;

    public async Task<ConsentRequest> RequestOptInAsync(TenantId tenant, ContactId contact, ConsentScope scope, ConsentEvidenceDraft evidence, Actor actor, CancellationToken cancellationToken = default)
    {
        string? token = null;
        DateTimeOffset expires = default;
        var consent = await ChangeAsync(tenant, contact, scope, evidence, actor, checkSuppression: true, ConsentAction.Requested, (c, valid, now) =>
        {
            var (issued, claims) = tokens.Issue(TokenPurpose.ConfirmOptIn, tenant, contact, scope.Channel, scope.List);
            c.Request(claims.NonceHash, claims.ExpiresAt, valid.PolicyVersion, now);
            (token, expires) = (issued, claims.ExpiresAt);
        }, cancellationToken).ConfigureAwait(false);
        return new ConsentRequest(consent, token!, expires);
    }

    public async Task<Consent> ConfirmOptInAsync(TenantId tenant, string token, ConsentEvidenceDraft evidence, CancellationToken cancellationToken = default)
    {
        Guard.Against.DefaultTenant(tenant);
        Guard.Against.Null(token);
        Guard.Against.Null(evidence);
        var claims = tokens.Validate(tenant, token, TokenPurpose.ConfirmOptIn);
        if (claims.Channel is not { } channel)
        {
            throw new InvalidTokenException(InvalidTokenReason.Malformed, "a confirmation token must name a channel.");
        }

        var scope = new ConsentScope(channel, claims.List);
        var actor = new Actor(ActorKind.Contact, claims.Contact.ToString());
        try
        {
            return await ChangeAsync(tenant, claims.Contact, scope, evidence, actor, checkSuppression: true, ConsentAction.Confirmed, (c, _, now) =>
            {
                if (c.Version == 0)
                {
                    throw new InvalidTokenException(InvalidTokenReason.Superseded, "the consent this token confirms no longer exists.");
                }

                c.Confirm(claims.NonceHash, now);
            }, cancellationToken).ConfigureAwait(false);
        }
        catch (EntityNotFoundException)
        {
            throw new InvalidTokenException(InvalidTokenReason.Superseded, "the contact or list this token was issued for no longer exists.");
        }
    }

    public Task<Consent> GrantAsync(TenantId tenant, ContactId contact, ConsentScope scope, ConsentEvidenceDraft evidence, Actor actor, CancellationToken cancellationToken = default)
        => ChangeAsync(tenant, contact, scope, evidence, actor, checkSuppression: true, ConsentAction.Granted, (c, valid, now) => c.Grant(valid.PolicyVersion, now), cancellationToken);

    public Task<Consent> WithdrawAsync(TenantId tenant, ContactId contact, ConsentScope scope, ConsentEvidenceDraft evidence, Actor actor, CancellationToken cancellationToken = default)
        => ChangeAsync(tenant, contact, scope, evidence, actor, checkSuppression: false, ConsentAction.Withdrawn, (c, _, now) => c.Withdraw(now), cancellationToken);

    public async Task<IReadOnlyList<Consent>> WithdrawAllAsync(TenantId tenant, ContactId contact, ConsentEvidenceDraft evidence, Actor actor, CancellationToken cancellationToken = default)
    {
        Guard.Against.DefaultTenant(tenant);
        Guard.Against.Null(evidence);
        Guard.Against.Null(actor);
        var valid = evidence.Validate();
        var uow = await store.BeginAsync(tenant, cancellationToken).ConfigureAwait(false);
        await using (uow.ConfigureAwait(false))
        {
            var loaded = await ContactService.LoadAsync(uow, contact, null, cancellationToken).ConfigureAwait(false);
            var work = lists.Begin(uow, actor);
            var consents = await uow.Consents.ForContactsAsync([contact], cancellationToken).ConfigureAwait(false);
            var changes = new List<FieldChange>();
            foreach (var consent in consents)
            {
                if (consent.State == ConsentState.Withdrawn)
                {
                    continue;
                }

                var from = consent.State;
                consent.Withdraw(work.Now);
                uow.Consents.Update(consent);
                Record(uow, work, consent, ConsentAction.Withdrawn, from, actor, valid);
                changes.Add(new FieldChange($"consent.{consent.Scope}", from.ToString(), consent.State.ToString()));
            }

            changes.AddRange(loaded.SetStatus(ContactStatus.Unsubscribed, work.Now));
            if (changes.Count == 0)
            {
                return consents;
            }

            uow.Contacts.Update(loaded);
            uow.AuditLog.Append(audit.Entry(tenant, actor, AuditActions.ContactUnsubscribedAll, AuditEntityTypes.Contact, contact.ToString(), changes));
            await work.ContactChangedAsync(loaded, cancellationToken).ConfigureAwait(false);
            await uow.CommitAsync(cancellationToken).ConfigureAwait(false);
            await lists.PublishAsync(work, cancellationToken).ConfigureAwait(false);
            return consents;
        }
    }

    public async Task<IReadOnlyList<Consent>> GetConsentsAsync(TenantId tenant, ContactId contact, CancellationToken cancellationToken = default)
    {
        Guard.Against.DefaultTenant(tenant);
        var uow = await store.BeginAsync(tenant, cancellationToken).ConfigureAwait(false);
        await using (uow.ConfigureAwait(false))
        {
            return await uow.Consents.ForContactsAsync([contact], cancellationToken).ConfigureAwait(false);
        }
    }

    public async Task<Page<ConsentEvidence>> GetEvidenceAsync(TenantId tenant, ContactId contact, ConsentScope? scope, PageRequest page, CancellationToken cancellationToken = default)
    {
        Guard.Against.DefaultTenant(tenant);
        Guard.Against.Null(page);
        var size = PageCursor.ResolveSize(page.Size, _options);
        const string cursorScope = "consent-evidence";
        (DateTimeOffset, Guid)? before = null;
        if (page.Cursor is not null)
        {
            var (key, id) = PageCursor.Decode(page.Cursor, cursorScope);
            before = Guid.TryParse(id, out var guid) ? (PageCursor.DecodeTime(key), guid) : throw PageCursor.Damaged();
        }

        var uow = await store.BeginAsync(tenant, cancellationToken).ConfigureAwait(false);
        await using (uow.ConfigureAwait(false))
        {
            var entries = await uow.ConsentEvidence.ReadAsync(new ConsentEvidenceQuery(contact, scope, null, before, size + 1), cancellationToken).ConfigureAwait(false);
            return PageCursor.ToPage(entries, size, cursorScope, e => (PageCursor.EncodeTime(e.OccurredAt), e.Id.ToString()));
        }
    }

    public async Task<ConsentAtTime> WasAllowedAsync(TenantId tenant, ContactId contact, ConsentScope scope, DateTimeOffset at, CancellationToken cancellationToken = default)
    {
        Guard.Against.DefaultTenant(tenant);
        var uow = await store.BeginAsync(tenant, cancellationToken).ConfigureAwait(false);
        await using (uow.ConfigureAwait(false))
        {
            var channelWide = await LatestAsync(uow, contact, new ConsentScope(scope.Channel, null), at, cancellationToken).ConfigureAwait(false);
            var channelState = channelWide?.To ?? ConsentState.None;
            if (scope.List is null)
            {
                return new ConsentAtTime(channelState == ConsentState.Granted, channelState, channelWide, null, null);
            }

            var listScoped = await LatestAsync(uow, contact, scope, at, cancellationToken).ConfigureAwait(false);
            var listState = listScoped?.To ?? ConsentState.None;
            var allowed = channelState == ConsentState.Granted && listState is ConsentState.None or ConsentState.Granted;
            return new ConsentAtTime(allowed, channelState, channelWide, listState, listScoped);
        }
    }

    public async Task<Contact> SetPrivacyAsync(TenantId tenant, ContactId contact, ContactPrivacyDraft privacy, Actor actor, CancellationToken cancellationToken = default)
    {
        Guard.Against.DefaultTenant(tenant);
        Guard.Against.Null(privacy);
        Guard.Against.Null(actor);
        var uow = await store.BeginAsync(tenant, cancellationToken).ConfigureAwait(false);
        await using (uow.ConfigureAwait(false))
        {
            var loaded = await ContactService.LoadAsync(uow, contact, null, cancellationToken).ConfigureAwait(false);
            var work = lists.Begin(uow, actor);
            var current = loaded.Privacy;
            var next = new ContactPrivacy(
                privacy.DoNotSellOrShare ?? current.DoNotSellOrShare,
                privacy.GlobalPrivacyControl switch { true => work.Now, false => null, null => current.GlobalPrivacyControlAt },
                privacy.DeletionRequested switch { true => current.DeletionRequestedAt ?? work.Now, false => null, null => current.DeletionRequestedAt });
            var changes = loaded.SetPrivacy(next, work.Now);
            if (changes.Count == 0)
            {
                return loaded;
            }

            uow.Contacts.Update(loaded);
            uow.AuditLog.Append(audit.Entry(tenant, actor, AuditActions.ContactPrivacyChanged, AuditEntityTypes.Contact, contact.ToString(), changes));
            await work.ContactChangedAsync(loaded, cancellationToken).ConfigureAwait(false);
            await uow.CommitAsync(cancellationToken).ConfigureAwait(false);
            await lists.PublishAsync(work, cancellationToken).ConfigureAwait(false);
            return loaded;
        }
    }

    /// <summary>The first suppression entry matching a contact's addresses; null when none does.</summary>
    internal static async Task<SuppressionEntry?> SuppressionOfAsync(IUnitOfWork uow, Contact contact, CancellationToken cancellationToken)
    {
        var keys = SuppressionEntry.KeysOf(contact);
        if (keys.Count == 0)
        {
            return null;
        }

        var matches = await uow.Suppressions.MatchAsync(keys, cancellationToken).ConfigureAwait(false);
        return matches.Count == 0 ? null : matches.OrderBy(m => m.Kind).First();
    }

    private static async Task<ConsentEvidence?> LatestAsync(IUnitOfWork uow, ContactId contact, ConsentScope scope, DateTimeOffset at, CancellationToken cancellationToken)
    {
        var entries = await uow.ConsentEvidence.ReadAsync(new ConsentEvidenceQuery(contact, scope, at, null, 1), cancellationToken).ConfigureAwait(false);
        return entries.Count == 0 ? null : entries[0];
    }

    /// <summary>Loads (or starts) one consent, applies a transition, and commits it with its evidence, audit and list re-evaluation.</summary>
    private async Task<Consent> ChangeAsync(
        TenantId tenant,
        ContactId contact,
        ConsentScope scope,
        ConsentEvidenceDraft evidence,
        Actor actor,
        bool checkSuppression,
        ConsentAction action,
        Action<Consent, ValidatedEvidence, DateTimeOffset> transition,
        CancellationToken cancellationToken)
    {
        Guard.Against.DefaultTenant(tenant);
        Guard.Against.Null(evidence);
        Guard.Against.Null(actor);
        if (scope.Channel.Value is null)
        {
            throw new ValidationFailedException(new FieldError("scope.channel", "required", "scope.channel is required."));
        }

        var valid = evidence.Validate();
        var uow = await store.BeginAsync(tenant, cancellationToken).ConfigureAwait(false);
        await using (uow.ConfigureAwait(false))
        {
            var loaded = await ContactService.LoadAsync(uow, contact, null, cancellationToken).ConfigureAwait(false);
            if (scope.List is { } list && await uow.Lists.FindAsync(list, cancellationToken).ConfigureAwait(false) is null)
            {
                throw new EntityNotFoundException(AuditEntityTypes.List, list.ToString());
            }

            if (checkSuppression && await SuppressionOfAsync(uow, loaded, cancellationToken).ConfigureAwait(false) is { } suppressed)
            {
                throw new ContactSuppressedException(contact, suppressed);
            }

            var work = lists.Begin(uow, actor);
            var consent = await uow.Consents.FindAsync(contact, scope, cancellationToken).ConfigureAwait(false)
                ?? Consent.New(tenant, contact, scope, work.Now);
            var isNew = consent.Version == 0;
            var from = consent.State;
            transition(consent, valid, work.Now);
            if (isNew)
            {
                uow.Consents.Add(consent);
            }
            else
            {
                uow.Consents.Update(consent);
            }

            Record(uow, work, consent, action, from, actor, valid);
            var changes = new List<FieldChange> { new($"consent.{scope}", from.ToString(), consent.State.ToString()) };
            if (consent.State == ConsentState.Granted && loaded.Status == ContactStatus.Unsubscribed)
            {
                // A new opt-in after an unsubscribe-all brings the contact back.
                var statusChanges = loaded.SetStatus(ContactStatus.Active, work.Now);
                uow.Contacts.Update(loaded);
                uow.AuditLog.Append(audit.Entry(tenant, actor, AuditActions.ContactResubscribed, AuditEntityTypes.Contact, contact.ToString(), statusChanges));
            }

            uow.AuditLog.Append(audit.Entry(tenant, actor, AuditActions.ConsentChanged, AuditEntityTypes.Contact, contact.ToString(), changes));
            await work.ContactChangedAsync(loaded, cancellationToken).ConfigureAwait(false);
            await uow.CommitAsync(cancellationToken).ConfigureAwait(false);
            await lists.PublishAsync(work, cancellationToken).ConfigureAwait(false);
            return consent;
        }
    }

    private static void Record(IUnitOfWork uow, MembershipWork work, Consent consent, ConsentAction action, ConsentState from, Actor actor, ValidatedEvidence evidence)
    {
        work.ConsentChanged(consent);
        uow.ConsentEvidence.Append(new ConsentEvidence(
            TimeOrderedGuid.Next(work.Now), uow.Tenant, consent.ContactId, consent.Channel, consent.ListId, action, from, consent.State, work.Now, actor,
            evidence.Source, evidence.PolicyVersion ?? consent.PolicyVersion, evidence.LawfulBasis, evidence.IpAddress, evidence.UserAgent));
    }
}
