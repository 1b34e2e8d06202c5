namespace Datum.Contacts;

/// <summary>Contact self-service through signed tokens; every change is made as the contact itself.</summary>
internal sealed class ContactSelfService(
    IContactManagementStore store,
    ContactTokens tokens,
    IContactService contacts,
    IConsentService consents,
    IListService lists) : IContactSelfService
{
    public async Task<ContactToken> IssueTokenAsync(TenantId tenant, ContactId contact, TokenPurpose purpose, ConsentScope? scope = null, CancellationToken cancellationToken = default)
    {
        Guard.Against.DefaultTenant(tenant);
        if (!Enum.IsDefined(purpose) || purpose == TokenPurpose.ConfirmOptIn)
        {
            throw new ValidationFailedException(new FieldError("purpose", "invalid_purpose", "purpose must be ViewProfile, UpdateProfile, Unsubscribe or RequestDeletion; confirmation tokens come from IConsentService.RequestOptInAsync."));
        }

        if (scope is not null && purpose != TokenPurpose.Unsubscribe)
        {
            throw new ValidationFailedException(new FieldError("scope", "not_allowed", "scope applies to Unsubscribe tokens only."));
        }

        if (scope is { } s && s.Channel.Value is null)
        {
            throw new ValidationFailedException(new FieldError("scope.channel", "required", "scope.channel is required when a scope is given."));
        }

        var uow = await store.BeginAsync(tenant, cancellationToken).ConfigureAwait(false);
        await using (uow.ConfigureAwait(false))
        {
            await ContactService.LoadAsync(uow, contact, null, cancellationToken).ConfigureAwait(false);
            if (scope?.List is { } list && await uow.Lists.FindAsync(list, cancellationToken).ConfigureAwait(false) is null)
            {
                throw new EntityNotFoundException(AuditEntityTypes.List, list.ToString());
            }
        }

        var (token, claims) = tokens.Issue(purpose, tenant, contact, scope?.Channel, scope?.List);
        return new ContactToken(token, purpose, claims.ExpiresAt);
    }

    public async Task<SelfServiceProfile> ViewProfileAsync(TenantId tenant, string token, CancellationToken cancellationToken = default)
    {
        Guard.Against.DefaultTenant(tenant);
        Guard.Against.Null(token);
        var claims = tokens.Validate(tenant, token, TokenPurpose.ViewProfile, TokenPurpose.UpdateProfile);
        var uow = await store.BeginAsync(tenant, cancellationToken).ConfigureAwait(false);
        await using (uow.ConfigureAwait(false))
        {
            var contact = await FindAsync(uow, claims, cancellationToken).ConfigureAwait(false);
            var held = await uow.Consents.ForContactsAsync([contact.Id], cancellationToken).ConfigureAwait(false);
            var memberships = await uow.Memberships.ForContactsAsync([contact.Id], cancellationToken).ConfigureAwait(false);
            return new SelfServiceProfile(contact, held, memberships);
        }
    }

    public async Task<Contact> UpdateProfileAsync(TenantId tenant, string token, SelfServiceProfileUpdate update, CancellationToken cancellationToken = default)
    {
        Guard.Against.DefaultTenant(tenant);
        Guard.Against.Null(token);
        Guard.Against.Null(update);
        var claims = tokens.Validate(tenant, token, TokenPurpose.UpdateProfile);
        var patch = new ContactPatch
        {
            FirstName = update.FirstName,
            LastName = update.LastName,
            Title = update.Title,
            Company = update.Company,
            Phone = update.Phone,
            Preferences = update.Preferences,
        };
        return await Gone(() => contacts.PatchAsync(tenant, claims.Contact, patch, null, Self(claims), cancellationToken)).ConfigureAwait(false);
    }

    public async Task UnsubscribeAsync(TenantId tenant, string token, ConsentEvidenceDraft evidence, CancellationToken cancellationToken = default)
    {
        Guard.Against.DefaultTenant(tenant);
        Guard.Against.Null(token);
        Guard.Against.Null(evidence);
        var claims = tokens.Validate(tenant, token, TokenPurpose.Unsubscribe);
        var actor = Self(claims);
        if (claims.Channel is not { } channel)
        {
            await Gone(() => consents.WithdrawAllAsync(tenant, claims.Contact, evidence, actor, cancellationToken)).ConfigureAwait(false);
            return;
        }

        if (claims.List is { } list)
        {
            try
            {
                await Gone(() => lists.UnsubscribeAsync(tenant, list, claims.Contact, actor, cancellationToken)).ConfigureAwait(false);
            }
            catch (ListOperationException ex) when (ex.Code == ListOperationException.NotAMemberCode)
            {
                // Off the list since the link was sent (removed, or no longer matching): the list's consent is still withdrawn below.
            }
        }

        // Using the link twice is harmless: an already withdrawn consent stays as it is.
        var scope = new ConsentScope(channel, claims.List);
        var held = await consents.GetConsentsAsync(tenant, claims.Contact, cancellationToken).ConfigureAwait(false);
        if (held.FirstOrDefault(c => c.Scope == scope) is not { State: ConsentState.Withdrawn })
        {
            await Gone(() => consents.WithdrawAsync(tenant, claims.Contact, scope, evidence, actor, cancellationToken)).ConfigureAwait(false);
        }
    }

    public async Task<Contact> RequestDeletionAsync(TenantId tenant, string token, CancellationToken cancellationToken = default)
    {
        Guard.Against.DefaultTenant(tenant);
        Guard.Against.Null(token);
        var claims = tokens.Validate(tenant, token, TokenPurpose.RequestDeletion);
        return await Gone(() => consents.SetPrivacyAsync(tenant, claims.Contact, new ContactPrivacyDraft { DeletionRequested = true }, Self(claims), cancellationToken)).ConfigureAwait(false);
    }

    private static Actor Self(TokenClaims claims) => new(ActorKind.Contact, claims.Contact.ToString());

    private static async Task<Contact> FindAsync(IUnitOfWork uow, TokenClaims claims, CancellationToken cancellationToken)
        => await uow.Contacts.FindAsync(claims.Contact, cancellationToken).ConfigureAwait(false) ?? throw Superseded();

    /// <summary>A token for a contact (or list) deleted since reads as superseded, not as a missing entity.</summary>
    private static async Task<T> Gone<T>(Func<Task<T>> action)
    {
        try
        {
            return await action().ConfigureAwait(false);
        }
        catch (EntityNotFoundException)
        {
            throw Superseded();
        }
    }

    private static InvalidTokenException Superseded() => new(InvalidTokenReason.Superseded, "the contact or list this token was issued for no longer exists.");
}
