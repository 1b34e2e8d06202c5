using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;
using Xunit;

namespace Datum.Contacts.Specification.Tests;

/// <summary>
/// Consent and opt-in: single opt-in with its evidence, double opt-in through signed single-use tokens (expired,
/// tampered, foreign, superseded, rotated keys), withdrawal of one channel, one list or everything, the evidence
/// ledger and its answers at past times, the privacy flags, and <c>consent.&lt;channel&gt;</c> in criteria.
/// </summary>
public abstract class ConsentSpecification : ContactManagementSpecification
{
    private static readonly ConsentScope Email = new(Channel.Email, null);
    private static readonly ConsentScope Sms = new(Channel.Sms, null);
    private static readonly ConsentEvidenceDraft ClickEvidence = new() { Source = ConsentSource.Form, IpAddress = "198.51.100.4", UserAgent = "SpecMail/2.0" };

    private TimeSpan OptInLifetime => Resolve<IOptions<ContactManagementOptions>>().Value.Tokens.OptInTokenLifetime;

    private Task<Contact> NewContactAsync(TenantId tenant, string name = "Ada") => Contacts.CreateAsync(tenant, NewDraft(name), Admin);

    private Task<ContactList> NewListAsync(TenantId tenant, string name = "News") => Lists.CreateAsync(tenant, new ListDraft { Name = name }, Admin);

    private async Task<Consent> ConsentOfAsync(TenantId tenant, ContactId contact, ConsentScope scope)
        => Assert.Single(await Consents.GetConsentsAsync(tenant, contact), c => c.Scope == scope);

    /// <summary>The token with one character replaced by another base64url character.</summary>
    private static string Flip(string token, int index)
        => string.Concat(token.AsSpan(0, index), token[index] == 'A' ? "B" : "A", token.AsSpan(index + 1));

    /// <summary>A single opt-in is granted at once, and its ledger entry keeps every evidence field.</summary>
    [Fact]
    public async Task Granting_a_single_opt_in_stores_every_evidence_field()
    {
        var tenant = NewTenant();
        var ada = await NewContactAsync(tenant);
        var evidence = new ConsentEvidenceDraft
        {
            Source = ConsentSource.Import,
            PolicyVersion = "privacy-2026-01",
            LawfulBasis = LawfulBasis.LegitimateInterests,
            IpAddress = " 2001:DB8:0:0::7 ",
            UserAgent = "Mozilla/5.0 (Spec)",
        };
        var before = Clock.GetUtcNow();

        var consent = await Consents.GrantAsync(tenant, ada.Id, Email, evidence, Admin);

        var after = Clock.GetUtcNow();
        Assert.Equal(ConsentState.Granted, consent.State);
        Assert.True(consent.IsGranted);
        Assert.Equal("privacy-2026-01", consent.PolicyVersion);
        Assert.InRange(consent.GrantedAt!.Value, before, after);
        Assert.Null(consent.WithdrawnAt);
        Assert.Equal(1, consent.Version);
        var stored = await ConsentOfAsync(tenant, ada.Id, Email);
        Assert.Equal(ConsentState.Granted, stored.State);
        Assert.Equal(consent.GrantedAt, stored.GrantedAt);
        Assert.Equal(tenant, stored.Tenant);
        Assert.Equal(ada.Id, stored.ContactId);
        Assert.Null(stored.ListId);
        var entry = Assert.Single(await AllEvidenceAsync(tenant, ada.Id));
        Assert.Equal(tenant, entry.Tenant);
        Assert.Equal(ada.Id, entry.ContactId);
        Assert.Equal(Channel.Email, entry.Channel);
        Assert.Null(entry.ListId);
        Assert.Equal(ConsentAction.Granted, entry.Action);
        Assert.Equal(ConsentState.None, entry.From);
        Assert.Equal(ConsentState.Granted, entry.To);
        Assert.Equal(consent.GrantedAt, entry.OccurredAt);
        Assert.Equal(Admin, entry.Actor);
        Assert.Equal(ConsentSource.Import, entry.Source);
        Assert.Equal("privacy-2026-01", entry.PolicyVersion);
        Assert.Equal(LawfulBasis.LegitimateInterests, entry.LawfulBasis);
        Assert.Equal("2001:db8::7", entry.IpAddress);
        Assert.Equal("Mozilla/5.0 (Spec)", entry.UserAgent);
    }

    /// <summary>A double opt-in is pending with a token until the contact confirms it; then it is granted, by the contact itself.</summary>
    [Fact]
    public async Task A_double_opt_in_is_pending_until_its_token_is_confirmed()
    {
        var tenant = NewTenant();
        var ada = await NewContactAsync(tenant);
        var before = Clock.GetUtcNow();

        var request = await Consents.RequestOptInAsync(tenant, ada.Id, Email, FormEvidence, Admin);

        Assert.Equal(ConsentState.Pending, request.Consent.State);
        Assert.False(request.Consent.IsGranted);
        Assert.False(string.IsNullOrWhiteSpace(request.Token));
        Assert.InRange(request.ExpiresAt, before + OptInLifetime - TimeSpan.FromSeconds(1), Clock.GetUtcNow() + OptInLifetime);
        Assert.Equal(ConsentState.Pending, (await ConsentOfAsync(tenant, ada.Id, Email)).State);
        Assert.False((await Consents.WasAllowedAsync(tenant, ada.Id, Email, Clock.GetUtcNow())).Allowed);

        var confirmed = await Consents.ConfirmOptInAsync(tenant, request.Token, ClickEvidence);

        Assert.Equal(ConsentState.Granted, confirmed.State);
        Assert.Equal(2, confirmed.Version);
        Assert.Equal(ConsentState.Granted, (await ConsentOfAsync(tenant, ada.Id, Email)).State);
        var ledger = await AllEvidenceAsync(tenant, ada.Id);
        Assert.Equal([ConsentAction.Confirmed, ConsentAction.Requested], ledger.Select(e => e.Action));
        Assert.Equal((ConsentState.None, ConsentState.Pending), (ledger[1].From, ledger[1].To));
        Assert.Equal((ConsentState.Pending, ConsentState.Granted), (ledger[0].From, ledger[0].To));
        Assert.Equal(Admin, ledger[1].Actor);
        Assert.Equal(new Actor(ActorKind.Contact, ada.Id.ToString()), ledger[0].Actor);
        Assert.Equal("198.51.100.4", ledger[0].IpAddress);
        Assert.Equal("SpecMail/2.0", ledger[0].UserAgent);

        // The confirmation is given to the wording shown when it was asked for.
        Assert.Equal("privacy-2026-01", ledger[0].PolicyVersion);
        Assert.Equal(confirmed.GrantedAt, ledger[0].OccurredAt);
        Assert.True((await Consents.WasAllowedAsync(tenant, ada.Id, Email, Clock.GetUtcNow())).Allowed);
    }

    /// <summary>A confirmation token is single-use.</summary>
    [Fact]
    public async Task Confirming_twice_fails_as_already_used()
    {
        var tenant = NewTenant();
        var ada = await NewContactAsync(tenant);
        var request = await Consents.RequestOptInAsync(tenant, ada.Id, Email, FormEvidence, Admin);
        await Consents.ConfirmOptInAsync(tenant, request.Token, ClickEvidence);

        var error = await Assert.ThrowsAsync<InvalidTokenException>(() => Consents.ConfirmOptInAsync(tenant, request.Token, ClickEvidence));

        Assert.Equal(InvalidTokenReason.AlreadyUsed, error.Reason);
        Assert.Equal(2, (await AllEvidenceAsync(tenant, ada.Id)).Count);
        Assert.Equal(2, (await ConsentOfAsync(tenant, ada.Id, Email)).Version);
    }

    /// <summary>A consent withdrawn after its confirmation was sent cannot be confirmed with that token.</summary>
    [Fact]
    public async Task Confirming_a_withdrawn_consent_is_an_illegal_transition()
    {
        var tenant = NewTenant();
        var ada = await NewContactAsync(tenant);
        var request = await Consents.RequestOptInAsync(tenant, ada.Id, Email, FormEvidence, Admin);
        await Consents.WithdrawAsync(tenant, ada.Id, Email, FormEvidence, Admin);

        var error = await Assert.ThrowsAsync<ConsentTransitionException>(() => Consents.ConfirmOptInAsync(tenant, request.Token, ClickEvidence));

        Assert.Equal(ConsentState.Withdrawn, error.State);
        Assert.Equal(ConsentAction.Confirmed, error.Action);
        Assert.Equal(Email, error.Scope);
        Assert.Equal(ConsentState.Withdrawn, (await ConsentOfAsync(tenant, ada.Id, Email)).State);
        Assert.Equal(2, (await AllEvidenceAsync(tenant, ada.Id)).Count);
    }

    /// <summary>A confirmation token works until it expires; after that it is refused and nothing changes.</summary>
    [Fact]
    public async Task An_expired_confirmation_token_is_refused_and_changes_nothing()
    {
        var tenant = NewTenant();
        var ada = await NewContactAsync(tenant);
        var bob = await NewContactAsync(tenant, "Bob");
        var adaRequest = await Consents.RequestOptInAsync(tenant, ada.Id, Email, FormEvidence, Admin);
        var bobRequest = await Consents.RequestOptInAsync(tenant, bob.Id, Email, FormEvidence, Admin);
        var audit = (await AllAuditAsync(tenant)).Count;
        Clock.Advance(OptInLifetime - TimeSpan.FromMinutes(1));
        await Consents.ConfirmOptInAsync(tenant, bobRequest.Token, ClickEvidence);
        Clock.Advance(TimeSpan.FromMinutes(2));

        var error = await Assert.ThrowsAsync<InvalidTokenException>(() => Consents.ConfirmOptInAsync(tenant, adaRequest.Token, ClickEvidence));

        Assert.Equal(InvalidTokenReason.Expired, error.Reason);
        var consent = await ConsentOfAsync(tenant, ada.Id, Email);
        Assert.Equal(ConsentState.Pending, consent.State);
        Assert.Equal(1, consent.Version);
        Assert.Single(await AllEvidenceAsync(tenant, ada.Id));
        Assert.Equal(ConsentState.Granted, (await ConsentOfAsync(tenant, bob.Id, Email)).State);

        // Bob's confirmation is audited; Ada's refused one is not.
        Assert.Equal(audit + 1, (await AllAuditAsync(tenant)).Count);
    }

    /// <summary>A token altered anywhere, cut short or made up is refused as badly signed or malformed.</summary>
    [Fact]
    public async Task A_tampered_token_is_refused()
    {
        var tenant = NewTenant();
        var ada = await NewContactAsync(tenant);
        var request = await Consents.RequestOptInAsync(tenant, ada.Id, Email, FormEvidence, Admin);
        var token = request.Token;
        string[] forged =
        [
            Flip(token, token.Length / 2),
            Flip(token, (token.Length / 3) + 1),
            Flip(token, token.Length - 6),
            Flip(token, token.LastIndexOf('.') + 1),
            token[..^4],
            token + "A",
            "not-a-token",
            string.Empty,
        ];

        foreach (var candidate in forged)
        {
            var error = await Assert.ThrowsAsync<InvalidTokenException>(() => Consents.ConfirmOptInAsync(tenant, candidate, ClickEvidence));
            Assert.True(error.Reason is InvalidTokenReason.BadSignature or InvalidTokenReason.Malformed, $"'{candidate}' was refused as {error.Reason}.");
        }

        Assert.Equal(ConsentState.Pending, (await ConsentOfAsync(tenant, ada.Id, Email)).State);
        Assert.Single(await AllEvidenceAsync(tenant, ada.Id));
        Assert.Equal(ConsentState.Granted, (await Consents.ConfirmOptInAsync(tenant, token, ClickEvidence)).State);
    }

    /// <summary>A token is bound to its tenant.</summary>
    [Fact]
    public async Task A_token_presented_to_another_tenant_is_refused()
    {
        var tenant = NewTenant();
        var other = NewTenant();
        var ada = await NewContactAsync(tenant);
        var request = await Consents.RequestOptInAsync(tenant, ada.Id, Email, FormEvidence, Admin);

        var error = await Assert.ThrowsAsync<InvalidTokenException>(() => Consents.ConfirmOptInAsync(other, request.Token, ClickEvidence));

        Assert.Equal(InvalidTokenReason.WrongTenant, error.Reason);
        Assert.Equal(ConsentState.Pending, (await ConsentOfAsync(tenant, ada.Id, Email)).State);
        Assert.Empty(await Consents.GetConsentsAsync(other, ada.Id));
        Assert.Empty(await AllEvidenceAsync(other, ada.Id));
    }

    /// <summary>Self-service tokens of every purpose are refused as confirmations.</summary>
    [Fact]
    public async Task A_self_service_token_cannot_confirm_an_opt_in()
    {
        var tenant = NewTenant();
        var ada = await NewContactAsync(tenant);
        await Consents.RequestOptInAsync(tenant, ada.Id, Email, FormEvidence, Admin);
        var tokens = new List<ContactToken>
        {
            await SelfService.IssueTokenAsync(tenant, ada.Id, TokenPurpose.ViewProfile),
            await SelfService.IssueTokenAsync(tenant, ada.Id, TokenPurpose.UpdateProfile),
            await SelfService.IssueTokenAsync(tenant, ada.Id, TokenPurpose.Unsubscribe, Email),
            await SelfService.IssueTokenAsync(tenant, ada.Id, TokenPurpose.RequestDeletion),
        };

        foreach (var token in tokens)
        {
            var error = await Assert.ThrowsAsync<InvalidTokenException>(() => Consents.ConfirmOptInAsync(tenant, token.Token, ClickEvidence));
            Assert.Equal(InvalidTokenReason.WrongPurpose, error.Reason);
        }

        Assert.Equal(ConsentState.Pending, (await ConsentOfAsync(tenant, ada.Id, Email)).State);
    }

    /// <summary>Asking again issues a new token that replaces the first, which no longer confirms anything.</summary>
    [Fact]
    public async Task A_superseded_confirmation_token_is_refused()
    {
        var tenant = NewTenant();
        var ada = await NewContactAsync(tenant);
        var first = await Consents.RequestOptInAsync(tenant, ada.Id, Email, FormEvidence, Admin);
        var second = await Consents.RequestOptInAsync(tenant, ada.Id, Email, FormEvidence with { PolicyVersion = "privacy-2026-02" }, Admin);

        var error = await Assert.ThrowsAsync<InvalidTokenException>(() => Consents.ConfirmOptInAsync(tenant, first.Token, ClickEvidence));

        Assert.Equal(InvalidTokenReason.Superseded, error.Reason);
        Assert.NotEqual(first.Token, second.Token);
        Assert.Equal(ConsentState.Pending, (await ConsentOfAsync(tenant, ada.Id, Email)).State);
        var confirmed = await Consents.ConfirmOptInAsync(tenant, second.Token, ClickEvidence);
        Assert.Equal(ConsentState.Granted, confirmed.State);
        Assert.Equal("privacy-2026-02", confirmed.PolicyVersion);
        Assert.Equal(InvalidTokenReason.Superseded, (await Assert.ThrowsAsync<InvalidTokenException>(() => Consents.ConfirmOptInAsync(tenant, first.Token, ClickEvidence))).Reason);
    }

    /// <summary>A token whose contact or list was deleted since confirms nothing.</summary>
    [Fact]
    public async Task A_token_of_a_deleted_contact_is_superseded()
    {
        var tenant = NewTenant();
        var ada = await NewContactAsync(tenant);
        var bob = await NewContactAsync(tenant, "Bob");
        var list = await NewListAsync(tenant);
        var request = await Consents.RequestOptInAsync(tenant, ada.Id, Email, FormEvidence, Admin);
        var listRequest = await Consents.RequestOptInAsync(tenant, bob.Id, new ConsentScope(Channel.Email, list.Id), FormEvidence, Admin);
        await Contacts.DeleteAsync(tenant, ada.Id, null, Admin);
        await Lists.DeleteAsync(tenant, list.Id, null, Admin);

        var error = await Assert.ThrowsAsync<InvalidTokenException>(() => Consents.ConfirmOptInAsync(tenant, request.Token, ClickEvidence));
        var listError = await Assert.ThrowsAsync<InvalidTokenException>(() => Consents.ConfirmOptInAsync(tenant, listRequest.Token, ClickEvidence));

        Assert.Equal(InvalidTokenReason.Superseded, error.Reason);
        Assert.Equal(InvalidTokenReason.Superseded, listError.Reason);
        Assert.Empty(await Consents.GetConsentsAsync(tenant, ada.Id));
        Assert.Single(await AllEvidenceAsync(tenant, bob.Id));
    }

    /// <summary>
    /// Key rotation: after a new key becomes active, tokens signed with the old one still work as long as the old key
    /// is kept; once it is removed they are refused as badly signed, while the new key's tokens keep working.
    /// </summary>
    [Fact]
    public async Task Tokens_of_a_rotated_key_work_until_the_key_is_removed()
    {
        var tenant = NewTenant();
        var ada = await NewContactAsync(tenant);
        var bob = await NewContactAsync(tenant, "Bob");
        var carol = await NewContactAsync(tenant, "Carol");
        var adaRequest = await Consents.RequestOptInAsync(tenant, ada.Id, Email, FormEvidence, Admin);
        var bobRequest = await Consents.RequestOptInAsync(tenant, bob.Id, Email, FormEvidence, Admin);
        var bobProfile = await SelfService.IssueTokenAsync(tenant, bob.Id, TokenPurpose.ViewProfile);
        var next = NewSigningKey("spec-k2");
        var rotated = CreateServicesOverSameStore(o =>
        {
            o.Tokens.SigningKeys.Add(next);
            o.Tokens.ActiveKeyId = next.Id;
        });
        var retired = CreateServicesOverSameStore(o =>
        {
            o.Tokens.SigningKeys.Clear();
            o.Tokens.SigningKeys.Add(next);
            o.Tokens.ActiveKeyId = next.Id;
        });
        using var rotatedScope = rotated.CreateScope();
        using var retiredScope = retired.CreateScope();
        var rotatedConsents = rotatedScope.ServiceProvider.GetRequiredService<IConsentService>();
        var retiredConsents = retiredScope.ServiceProvider.GetRequiredService<IConsentService>();

        var confirmed = await rotatedConsents.ConfirmOptInAsync(tenant, adaRequest.Token, ClickEvidence);
        var carolRequest = await rotatedConsents.RequestOptInAsync(tenant, carol.Id, Email, FormEvidence, Admin);
        var unknownToOld = await Assert.ThrowsAsync<InvalidTokenException>(() => Consents.ConfirmOptInAsync(tenant, carolRequest.Token, ClickEvidence));
        var removed = await Assert.ThrowsAsync<InvalidTokenException>(() => retiredConsents.ConfirmOptInAsync(tenant, bobRequest.Token, ClickEvidence));
        var removedProfile = await Assert.ThrowsAsync<InvalidTokenException>(() => retiredScope.ServiceProvider.GetRequiredService<IContactSelfService>().ViewProfileAsync(tenant, bobProfile.Token));
        var carolConfirmed = await retiredConsents.ConfirmOptInAsync(tenant, carolRequest.Token, ClickEvidence);

        Assert.Equal(ConsentState.Granted, confirmed.State);
        Assert.Equal(InvalidTokenReason.BadSignature, unknownToOld.Reason);
        Assert.Equal(InvalidTokenReason.BadSignature, removed.Reason);
        Assert.Equal(InvalidTokenReason.BadSignature, removedProfile.Reason);
        Assert.Equal(ConsentState.Granted, carolConfirmed.State);
        Assert.Equal(ConsentState.Pending, (await ConsentOfAsync(tenant, bob.Id, Email)).State);
        Assert.Equal(ConsentState.Granted, (await ConsentOfAsync(tenant, ada.Id, Email)).State);
    }

    /// <summary>Neither the ledger, nor the audit log, nor the consent holds a token or any long part of one.</summary>
    [Fact]
    public async Task Tokens_are_never_stored_in_clear()
    {
        var tenant = NewTenant();
        var ada = await NewContactAsync(tenant);
        var list = await NewListAsync(tenant);
        var first = await Consents.RequestOptInAsync(tenant, ada.Id, Email, FormEvidence, Admin);
        var second = await Consents.RequestOptInAsync(tenant, ada.Id, new ConsentScope(Channel.Email, list.Id), FormEvidence, Admin);
        await Consents.ConfirmOptInAsync(tenant, first.Token, ClickEvidence);
        var unsubscribe = await SelfService.IssueTokenAsync(tenant, ada.Id, TokenPurpose.Unsubscribe, Sms);
        await SelfService.UnsubscribeAsync(tenant, unsubscribe.Token, ClickEvidence);
        var secrets = new[] { first.Token, second.Token, unsubscribe.Token }
            .SelectMany(t => t.Split('.').Where(part => part.Length >= 16).Append(t))
            .ToList();

        var stored = new List<string?>();
        foreach (var entry in await AllAuditAsync(tenant))
        {
            stored.AddRange([entry.EntityId, entry.CorrelationId, entry.Actor.Id]);
            stored.AddRange(entry.Changes.SelectMany(c => new[] { c.Field, c.OldValue, c.NewValue }));
        }

        foreach (var entry in await AllEvidenceAsync(tenant, ada.Id))
        {
            stored.AddRange([entry.PolicyVersion, entry.IpAddress, entry.UserAgent, entry.Actor.Id, entry.ToString()]);
        }

        foreach (var consent in await Consents.GetConsentsAsync(tenant, ada.Id))
        {
            stored.AddRange([consent.PolicyVersion, consent.Scope.ToString()]);
        }

        Assert.NotEmpty(stored);
        foreach (var value in stored.OfType<string>())
        {
            Assert.DoesNotContain(secrets, secret => value.Contains(secret, StringComparison.Ordinal));
        }
    }

    /// <summary>A granted consent is not requested again; nothing changes.</summary>
    [Fact]
    public async Task Requesting_an_opt_in_for_a_granted_consent_is_refused()
    {
        var tenant = NewTenant();
        var ada = await NewContactAsync(tenant);
        await Consents.GrantAsync(tenant, ada.Id, Email, FormEvidence, Admin);

        var error = await Assert.ThrowsAsync<ConsentTransitionException>(() => Consents.RequestOptInAsync(tenant, ada.Id, Email, FormEvidence, Admin));

        Assert.Equal(ConsentState.Granted, error.State);
        Assert.Equal(ConsentAction.Requested, error.Action);
        Assert.Equal(ConsentState.Granted, (await ConsentOfAsync(tenant, ada.Id, Email)).State);
        Assert.Single(await AllEvidenceAsync(tenant, ada.Id));
    }

    /// <summary>Withdrawing one channel leaves the others granted; withdrawing it again is refused; withdrawing a consent never given records a refusal.</summary>
    [Fact]
    public async Task Withdrawing_one_channel_leaves_the_others()
    {
        var tenant = NewTenant();
        var ada = await NewContactAsync(tenant);
        await Consents.GrantAsync(tenant, ada.Id, Email, FormEvidence, Admin);
        await Consents.GrantAsync(tenant, ada.Id, Sms, FormEvidence, Admin);
        var before = Clock.GetUtcNow();

        var withdrawn = await Consents.WithdrawAsync(tenant, ada.Id, Sms, ClickEvidence, Admin);

        Assert.Equal(ConsentState.Withdrawn, withdrawn.State);
        Assert.True(withdrawn.WithdrawnAt > before);
        Assert.Equal(ConsentState.Withdrawn, (await ConsentOfAsync(tenant, ada.Id, Sms)).State);
        Assert.Equal(ConsentState.Granted, (await ConsentOfAsync(tenant, ada.Id, Email)).State);
        Assert.Equal([ConsentAction.Withdrawn, ConsentAction.Granted], (await AllEvidenceAsync(tenant, ada.Id, Sms)).Select(e => e.Action));
        Assert.Equal(ContactStatus.Active, (await Contacts.GetAsync(tenant, ada.Id)).Status);

        var twice = await Assert.ThrowsAsync<ConsentTransitionException>(() => Consents.WithdrawAsync(tenant, ada.Id, Sms, ClickEvidence, Admin));
        Assert.Equal(ConsentState.Withdrawn, twice.State);
        Assert.Equal(2, (await AllEvidenceAsync(tenant, ada.Id, Sms)).Count);

        var social = new ConsentScope(Channel.Social, null);
        var refused = await Consents.WithdrawAsync(tenant, ada.Id, social, ClickEvidence, Admin);
        Assert.Equal(ConsentState.Withdrawn, refused.State);
        var refusal = Assert.Single(await AllEvidenceAsync(tenant, ada.Id, social));
        Assert.Equal((ConsentState.None, ConsentState.Withdrawn), (refusal.From, refusal.To));
    }

    /// <summary>Withdrawing a list's consent leaves the channel's: the contact may still be contacted on other lists.</summary>
    [Fact]
    public async Task Withdrawing_one_list_scoped_consent_leaves_the_channel_consent()
    {
        var tenant = NewTenant();
        var ada = await NewContactAsync(tenant);
        var news = await NewListAsync(tenant);
        var offers = await NewListAsync(tenant, "Offers");
        var newsScope = new ConsentScope(Channel.Email, news.Id);
        await Consents.GrantAsync(tenant, ada.Id, Email, FormEvidence, Admin);
        await Consents.GrantAsync(tenant, ada.Id, newsScope, FormEvidence, Admin);

        var withdrawn = await Consents.WithdrawAsync(tenant, ada.Id, newsScope, ClickEvidence, Admin);

        var now = Clock.GetUtcNow();
        Assert.Equal(ConsentState.Withdrawn, withdrawn.State);
        Assert.Equal(news.Id, withdrawn.ListId);
        Assert.Equal(ConsentState.Withdrawn, (await ConsentOfAsync(tenant, ada.Id, newsScope)).State);
        Assert.Equal(ConsentState.Granted, (await ConsentOfAsync(tenant, ada.Id, Email)).State);
        Assert.False((await Consents.WasAllowedAsync(tenant, ada.Id, newsScope, now)).Allowed);
        Assert.True((await Consents.WasAllowedAsync(tenant, ada.Id, new ConsentScope(Channel.Email, offers.Id), now)).Allowed);
        Assert.True((await Consents.WasAllowedAsync(tenant, ada.Id, Email, now)).Allowed);
        var ledger = await AllEvidenceAsync(tenant, ada.Id, newsScope);
        Assert.Equal([ConsentAction.Withdrawn, ConsentAction.Granted], ledger.Select(e => e.Action));
        Assert.All(ledger, e => Assert.Equal(newsScope, e.Scope));
    }

    /// <summary>Withdrawing everything withdraws every consent and unsubscribes the contact; doing it again changes nothing.</summary>
    [Fact]
    public async Task Withdrawing_everything_unsubscribes_the_contact_and_a_second_call_changes_nothing()
    {
        var tenant = NewTenant();
        var ada = await NewContactAsync(tenant);
        var list = await NewListAsync(tenant);
        await Consents.GrantAsync(tenant, ada.Id, Email, FormEvidence, Admin);
        await Consents.GrantAsync(tenant, ada.Id, Sms, FormEvidence, Admin);
        await Consents.GrantAsync(tenant, ada.Id, new ConsentScope(Channel.Email, list.Id), FormEvidence, Admin);
        await Consents.RequestOptInAsync(tenant, ada.Id, new ConsentScope(Channel.Social, null), FormEvidence, Admin);
        var auditBefore = (await AllAuditAsync(tenant)).Count;

        var result = await Consents.WithdrawAllAsync(tenant, ada.Id, ClickEvidence, Admin);

        Assert.Equal(4, result.Count);
        Assert.All(result, c => Assert.Equal(ConsentState.Withdrawn, c.State));
        Assert.All(await Consents.GetConsentsAsync(tenant, ada.Id), c => Assert.Equal(ConsentState.Withdrawn, c.State));
        var contact = await Contacts.GetAsync(tenant, ada.Id);
        Assert.Equal(ContactStatus.Unsubscribed, contact.Status);
        var ledger = await AllEvidenceAsync(tenant, ada.Id);
        Assert.Equal(8, ledger.Count);
        Assert.All(ledger.Take(4), e => Assert.Equal(ConsentAction.Withdrawn, e.Action));
        Assert.Equal([ConsentState.Pending, ConsentState.Granted, ConsentState.Granted, ConsentState.Granted], ledger.Take(4).Select(e => e.From).Order());
        var audit = await AllAuditAsync(tenant);
        Assert.Equal(auditBefore + 1, audit.Count);
        Assert.Equal(AuditActions.ContactUnsubscribedAll, audit[0].Action);
        Assert.Contains(new FieldChange("status", "Active", "Unsubscribed"), audit[0].Changes);

        var again = await Consents.WithdrawAllAsync(tenant, ada.Id, ClickEvidence, Admin);

        Assert.Equal(4, again.Count);
        Assert.All(again, c => Assert.Equal(ConsentState.Withdrawn, c.State));
        Assert.Equal(8, (await AllEvidenceAsync(tenant, ada.Id)).Count);
        Assert.Equal(auditBefore + 1, (await AllAuditAsync(tenant)).Count);
        Assert.Equal(contact.Version, (await Contacts.GetAsync(tenant, ada.Id)).Version);
    }

    /// <summary>A new opt-in after an unsubscribe-all makes the contact active again, and says so in the audit log.</summary>
    [Fact]
    public async Task A_grant_after_withdrawing_everything_brings_the_contact_back()
    {
        var tenant = NewTenant();
        var ada = await NewContactAsync(tenant);
        await Consents.GrantAsync(tenant, ada.Id, Email, FormEvidence, Admin);
        await Consents.WithdrawAllAsync(tenant, ada.Id, ClickEvidence, Admin);

        var granted = await Consents.GrantAsync(tenant, ada.Id, Email, FormEvidence with { PolicyVersion = "privacy-2026-02" }, Admin);

        Assert.Equal(ConsentState.Granted, granted.State);
        Assert.Equal("privacy-2026-02", granted.PolicyVersion);
        Assert.Equal(ContactStatus.Active, (await Contacts.GetAsync(tenant, ada.Id)).Status);
        var audit = await AllAuditAsync(tenant);
        Assert.Contains(audit, e => e.Action == AuditActions.ContactResubscribed && e.Changes.Contains(new FieldChange("status", "Unsubscribed", "Active")));
    }

    /// <summary>The ledger reads newest first, one page at a time, each entry once, optionally of one scope.</summary>
    [Fact]
    public async Task The_evidence_ledger_reads_newest_first_in_pages_and_by_scope()
    {
        var tenant = NewTenant();
        var ada = await NewContactAsync(tenant);
        var list = await NewListAsync(tenant);
        var listScope = new ConsentScope(Channel.Email, list.Id);
        await Consents.GrantAsync(tenant, ada.Id, Email, FormEvidence, Admin);
        await Consents.GrantAsync(tenant, ada.Id, Sms, FormEvidence, Admin);
        await Consents.WithdrawAsync(tenant, ada.Id, Email, FormEvidence, Admin);
        await Consents.GrantAsync(tenant, ada.Id, listScope, FormEvidence, Admin);
        var request = await Consents.RequestOptInAsync(tenant, ada.Id, Email, FormEvidence, Admin);
        await Consents.ConfirmOptInAsync(tenant, request.Token, ClickEvidence);
        await Consents.WithdrawAsync(tenant, ada.Id, Sms, FormEvidence, Admin);
        await Consents.WithdrawAsync(tenant, ada.Id, Email, FormEvidence, Admin);

        var pages = new List<Page<ConsentEvidence>>();
        string? cursor = null;
        do
        {
            var page = await Consents.GetEvidenceAsync(tenant, ada.Id, null, new PageRequest(3, cursor));
            pages.Add(page);
            cursor = page.NextCursor;
        }
        while (cursor is not null);

        var all = pages.SelectMany(p => p.Items).ToList();
        Assert.Equal(3, pages.Count);
        Assert.All(pages.SkipLast(1), p => Assert.Equal(3, p.Items.Count));
        Assert.Equal(8, all.Count);
        Assert.Equal(8, all.Select(e => e.Id).Distinct().Count());
        Assert.Equal(all.OrderByDescending(e => e.OccurredAt).Select(e => e.Id), all.Select(e => e.Id));
        Assert.Equal(
            [ConsentAction.Withdrawn, ConsentAction.Withdrawn, ConsentAction.Confirmed, ConsentAction.Requested, ConsentAction.Granted, ConsentAction.Withdrawn, ConsentAction.Granted, ConsentAction.Granted],
            all.Select(e => e.Action));
        var email = await AllEvidenceAsync(tenant, ada.Id, Email);
        Assert.Equal([ConsentAction.Withdrawn, ConsentAction.Confirmed, ConsentAction.Requested, ConsentAction.Withdrawn, ConsentAction.Granted], email.Select(e => e.Action));
        Assert.All(email, e => Assert.Null(e.ListId));
        Assert.Equal(listScope, Assert.Single(await AllEvidenceAsync(tenant, ada.Id, listScope)).Scope);
        Assert.Equal(2, (await AllEvidenceAsync(tenant, ada.Id, Sms)).Count);
        Assert.Empty(await AllEvidenceAsync(tenant, ada.Id, new ConsentScope(Channel.Social, null)));
    }

    /// <summary>Entries written at the same instant (an unsubscribe-all) still page one by one, each once, newest first.</summary>
    [Fact]
    public async Task Evidence_written_at_the_same_instant_pages_one_by_one()
    {
        var tenant = NewTenant();
        var ada = await NewContactAsync(tenant);
        var list = await NewListAsync(tenant);
        await Consents.GrantAsync(tenant, ada.Id, Email, FormEvidence, Admin);
        await Consents.GrantAsync(tenant, ada.Id, Sms, FormEvidence, Admin);
        await Consents.GrantAsync(tenant, ada.Id, new ConsentScope(Channel.Social, null), FormEvidence, Admin);
        await Consents.GrantAsync(tenant, ada.Id, new ConsentScope(Channel.Email, list.Id), FormEvidence, Admin);
        await Consents.WithdrawAllAsync(tenant, ada.Id, FormEvidence, Admin);

        var paged = new List<ConsentEvidence>();
        string? cursor = null;
        do
        {
            var page = await Consents.GetEvidenceAsync(tenant, ada.Id, null, new PageRequest(1, cursor));
            paged.AddRange(page.Items);
            cursor = page.NextCursor;
        }
        while (cursor is not null && paged.Count < 20);

        var all = await AllEvidenceAsync(tenant, ada.Id);
        Assert.Equal(8, all.Count);
        Assert.Single(all.Take(4).Select(e => e.OccurredAt).Distinct());
        Assert.Equal(all.Select(e => e.Id), paged.Select(e => e.Id));
        Assert.Equal(8, paged.Select(e => e.Id).Distinct().Count());
    }

    /// <summary>Granting a granted consent again records the new policy version in the ledger.</summary>
    [Fact]
    public async Task Granting_again_records_the_new_policy_version()
    {
        var tenant = NewTenant();
        var ada = await NewContactAsync(tenant);
        await Consents.GrantAsync(tenant, ada.Id, Email, FormEvidence, Admin);

        var again = await Consents.GrantAsync(tenant, ada.Id, Email, FormEvidence with { PolicyVersion = "privacy-2026-06" }, Admin);

        Assert.Equal(ConsentState.Granted, again.State);
        Assert.Equal("privacy-2026-06", again.PolicyVersion);
        Assert.Equal(2, again.Version);
        var latest = (await AllEvidenceAsync(tenant, ada.Id))[0];
        Assert.Equal((ConsentAction.Granted, ConsentState.Granted, ConsentState.Granted, "privacy-2026-06"), (latest.Action, latest.From, latest.To, latest.PolicyVersion));
        Assert.Equal("privacy-2026-06", (await ConsentOfAsync(tenant, ada.Id, Email)).PolicyVersion);
    }

    /// <summary>Deleting a contact removes its consents but keeps its ledger, which still answers for the past.</summary>
    [Fact]
    public async Task Evidence_survives_deleting_the_contact()
    {
        var tenant = NewTenant();
        var draft = NewDraft();
        var ada = await Contacts.CreateAsync(tenant, draft, Admin);
        var list = await NewListAsync(tenant);
        await Consents.GrantAsync(tenant, ada.Id, Email, FormEvidence, Admin);
        await Consents.GrantAsync(tenant, ada.Id, new ConsentScope(Channel.Email, list.Id), FormEvidence, Admin);
        var whileAlive = Clock.GetUtcNow();
        var ledger = await AllEvidenceAsync(tenant, ada.Id);

        await Contacts.DeleteAsync(tenant, ada.Id, null, Admin);

        Assert.Empty(await Consents.GetConsentsAsync(tenant, ada.Id));
        Assert.Equal(ledger.Select(e => e.Id), (await AllEvidenceAsync(tenant, ada.Id)).Select(e => e.Id));
        var then = await Consents.WasAllowedAsync(tenant, ada.Id, new ConsentScope(Channel.Email, list.Id), whileAlive);
        Assert.True(then.Allowed);
        Assert.Equal(ConsentState.Granted, then.ListState);

        // Someone re-created with the same address is a new contact with no consent.
        var again = await Contacts.CreateAsync(tenant, draft, Admin);
        Assert.Empty(await Consents.GetConsentsAsync(tenant, again.Id));
        Assert.Empty(await AllEvidenceAsync(tenant, again.Id));
    }

    /// <summary>The ledger tells what a channel consent was at any past time, and on what evidence.</summary>
    [Fact]
    public async Task WasAllowed_answers_from_the_ledger_at_any_time()
    {
        var tenant = NewTenant();
        var ada = await NewContactAsync(tenant);
        var start = Clock.GetUtcNow();
        Clock.Advance(TimeSpan.FromHours(1));
        var granted = await Consents.GrantAsync(tenant, ada.Id, Email, FormEvidence, Admin);
        Clock.Advance(TimeSpan.FromHours(1));
        var withdrawn = await Consents.WithdrawAsync(tenant, ada.Id, Email, ClickEvidence, Admin);
        Clock.Advance(TimeSpan.FromHours(1));
        var regranted = await Consents.GrantAsync(tenant, ada.Id, Email, FormEvidence with { PolicyVersion = "privacy-2026-02" }, Admin);
        var ledger = await AllEvidenceAsync(tenant, ada.Id);
        var (t1, t2, t3) = (granted.GrantedAt!.Value, withdrawn.WithdrawnAt!.Value, regranted.GrantedAt!.Value);

        var never = await Consents.WasAllowedAsync(tenant, ada.Id, Email, start);
        var justBefore = await Consents.WasAllowedAsync(tenant, ada.Id, Email, t1.AddTicks(-1));
        var atGrant = await Consents.WasAllowedAsync(tenant, ada.Id, Email, t1);
        var granting = await Consents.WasAllowedAsync(tenant, ada.Id, Email, t1.AddMinutes(30));
        var withdrawing = await Consents.WasAllowedAsync(tenant, ada.Id, Email, t2.AddMinutes(30));
        var regranting = await Consents.WasAllowedAsync(tenant, ada.Id, Email, t3.AddMinutes(30));

        Assert.Equal(new ConsentAtTime(false, ConsentState.None, null, null, null), never);
        Assert.Equal(new ConsentAtTime(false, ConsentState.None, null, null, null), justBefore);
        Assert.True(atGrant.Allowed);
        Assert.True(granting.Allowed);
        Assert.Equal(ConsentState.Granted, granting.ChannelState);
        Assert.Equal(ledger[2].Id, granting.ChannelEvidence!.Id);
        Assert.Null(granting.ListState);
        Assert.False(withdrawing.Allowed);
        Assert.Equal(ConsentState.Withdrawn, withdrawing.ChannelState);
        Assert.Equal(ledger[1].Id, withdrawing.ChannelEvidence!.Id);
        Assert.Equal("198.51.100.4", withdrawing.ChannelEvidence.IpAddress);
        Assert.True(regranting.Allowed);
        Assert.Equal("privacy-2026-02", regranting.ChannelEvidence!.PolicyVersion);
        Assert.False((await Consents.WasAllowedAsync(tenant, ada.Id, Sms, t3.AddMinutes(30))).Allowed);
    }

    /// <summary>For a list, the answer needs the channel consent then, and the list's consent then when it had one.</summary>
    [Fact]
    public async Task WasAllowed_for_a_list_needs_the_channel_and_the_list_consent()
    {
        var tenant = NewTenant();
        var ada = await NewContactAsync(tenant);
        var list = await NewListAsync(tenant);
        var scope = new ConsentScope(Channel.Email, list.Id);
        var times = new List<DateTimeOffset>();
        async Task StepAsync(Func<Task> change)
        {
            await change();
            Clock.Advance(TimeSpan.FromMinutes(30));
            times.Add(Clock.GetUtcNow());
            Clock.Advance(TimeSpan.FromMinutes(30));
        }

        times.Add(Clock.GetUtcNow());
        Clock.Advance(TimeSpan.FromMinutes(30));
        await StepAsync(() => Consents.GrantAsync(tenant, ada.Id, Email, FormEvidence, Admin));
        await StepAsync(() => Consents.WithdrawAsync(tenant, ada.Id, scope, FormEvidence, Admin));
        await StepAsync(() => Consents.GrantAsync(tenant, ada.Id, scope, FormEvidence, Admin));
        await StepAsync(() => Consents.WithdrawAsync(tenant, ada.Id, Email, FormEvidence, Admin));
        await StepAsync(() => Consents.GrantAsync(tenant, ada.Id, Email, FormEvidence, Admin));

        var answers = new List<ConsentAtTime>();
        foreach (var at in times)
        {
            answers.Add(await Consents.WasAllowedAsync(tenant, ada.Id, scope, at));
        }

        Assert.Equal([false, true, false, true, false, true], answers.Select(a => a.Allowed));
        Assert.Equal(
            [ConsentState.None, ConsentState.Granted, ConsentState.Granted, ConsentState.Granted, ConsentState.Withdrawn, ConsentState.Granted],
            answers.Select(a => a.ChannelState));
        Assert.Equal(
            [ConsentState.None, ConsentState.None, ConsentState.Withdrawn, ConsentState.Granted, ConsentState.Granted, ConsentState.Granted],
            answers.Select(a => a.ListState!.Value));
        Assert.Null(answers[1].ListEvidence);
        Assert.Equal(list.Id, answers[2].ListEvidence!.ListId);
        Assert.Equal(ConsentAction.Withdrawn, answers[2].ListEvidence!.Action);
        Assert.Null(answers[4].ChannelEvidence!.ListId);
    }

    /// <summary>Bad evidence is refused naming each bad field, and nothing is stored.</summary>
    [Fact]
    public async Task Invalid_evidence_is_refused_naming_the_field_and_nothing_is_stored()
    {
        var tenant = NewTenant();
        var ada = await NewContactAsync(tenant);
        var auditBefore = (await AllAuditAsync(tenant)).Count;
        var cases = new (ConsentEvidenceDraft Evidence, string[] Fields)[]
        {
            (FormEvidence with { IpAddress = "not-an-ip" }, ["evidence.ipAddress"]),
            (FormEvidence with { IpAddress = "300.1.2.3" }, ["evidence.ipAddress"]),

            // Shorthand and octal or hex forms would be stored as another address than the one given.
            (FormEvidence with { IpAddress = "3221225994" }, ["evidence.ipAddress"]),
            (FormEvidence with { IpAddress = "192.0.522" }, ["evidence.ipAddress"]),
            (FormEvidence with { IpAddress = "0300.0.2.10" }, ["evidence.ipAddress"]),
            (FormEvidence with { IpAddress = "0xC0.0.2.10" }, ["evidence.ipAddress"]),
            (FormEvidence with { Source = (ConsentSource)99 }, ["evidence.source"]),
            (new ConsentEvidenceDraft(), ["evidence.source"]),
            (FormEvidence with { LawfulBasis = (LawfulBasis)0 }, ["evidence.lawfulBasis"]),
            (FormEvidence with { UserAgent = new string('u', ConsentEvidenceDraft.MaxUserAgentLength + 1) }, ["evidence.userAgent"]),
            (FormEvidence with { PolicyVersion = new string('p', ConsentEvidenceDraft.MaxPolicyVersionLength + 1) }, ["evidence.policyVersion"]),
            (new ConsentEvidenceDraft { Source = (ConsentSource)0, IpAddress = "x", UserAgent = new string('u', 600) }, ["evidence.source", "evidence.ipAddress", "evidence.userAgent"]),
        };

        foreach (var (evidence, fields) in cases)
        {
            var onGrant = await Assert.ThrowsAsync<ValidationFailedException>(() => Consents.GrantAsync(tenant, ada.Id, Email, evidence, Admin));
            var onRequest = await Assert.ThrowsAsync<ValidationFailedException>(() => Consents.RequestOptInAsync(tenant, ada.Id, Email, evidence, Admin));
            var onWithdraw = await Assert.ThrowsAsync<ValidationFailedException>(() => Consents.WithdrawAsync(tenant, ada.Id, Email, evidence, Admin));
            var onWithdrawAll = await Assert.ThrowsAsync<ValidationFailedException>(() => Consents.WithdrawAllAsync(tenant, ada.Id, evidence, Admin));
            foreach (var error in new[] { onGrant, onRequest, onWithdraw, onWithdrawAll })
            {
                Assert.Equal(fields.Order(), error.Errors.Select(e => e.Field).Order());
            }
        }

        Assert.Empty(await Consents.GetConsentsAsync(tenant, ada.Id));
        Assert.Empty(await AllEvidenceAsync(tenant, ada.Id));
        Assert.Equal(auditBefore, (await AllAuditAsync(tenant)).Count);
        Assert.Equal(ContactStatus.Active, (await Contacts.GetAsync(tenant, ada.Id)).Status);
    }

    /// <summary>Consent changes for a contact or list that does not exist are not found, and store nothing.</summary>
    [Fact]
    public async Task Consent_changes_for_an_unknown_contact_or_list_are_not_found()
    {
        var tenant = NewTenant();
        var ada = await NewContactAsync(tenant);
        var stranger = ContactId.New(Clock);
        var noList = new ConsentScope(Channel.Email, ListId.New(Clock));

        var grant = await Assert.ThrowsAsync<EntityNotFoundException>(() => Consents.GrantAsync(tenant, stranger, Email, FormEvidence, Admin));
        var request = await Assert.ThrowsAsync<EntityNotFoundException>(() => Consents.RequestOptInAsync(tenant, stranger, Email, FormEvidence, Admin));
        var withdraw = await Assert.ThrowsAsync<EntityNotFoundException>(() => Consents.WithdrawAsync(tenant, stranger, Email, FormEvidence, Admin));
        var withdrawAll = await Assert.ThrowsAsync<EntityNotFoundException>(() => Consents.WithdrawAllAsync(tenant, stranger, FormEvidence, Admin));
        var privacy = await Assert.ThrowsAsync<EntityNotFoundException>(() => Consents.SetPrivacyAsync(tenant, stranger, new ContactPrivacyDraft { DoNotSellOrShare = true }, Admin));
        var list = await Assert.ThrowsAsync<EntityNotFoundException>(() => Consents.GrantAsync(tenant, ada.Id, noList, FormEvidence, Admin));
        var listRequest = await Assert.ThrowsAsync<EntityNotFoundException>(() => Consents.RequestOptInAsync(tenant, ada.Id, noList, FormEvidence, Admin));
        var foreign = await Assert.ThrowsAsync<EntityNotFoundException>(() => Consents.GrantAsync(NewTenant(), ada.Id, Email, FormEvidence, Admin));

        Assert.All(new[] { grant, request, withdraw, withdrawAll, privacy, foreign }, e => Assert.Equal(AuditEntityTypes.Contact, e.EntityType));
        Assert.Equal(stranger.ToString(), grant.EntityId);
        Assert.Equal(AuditEntityTypes.List, list.EntityType);
        Assert.Equal(noList.List.ToString(), list.EntityId);
        Assert.Equal(AuditEntityTypes.List, listRequest.EntityType);
        Assert.Empty(await Consents.GetConsentsAsync(tenant, ada.Id));
        Assert.Empty(await AllEvidenceAsync(tenant, ada.Id));
        Assert.Empty(await AllEvidenceAsync(tenant, stranger));
    }

    /// <summary>Every consent change is in the contact's audit log: who, which consent, from what to what.</summary>
    [Fact]
    public async Task Consent_changes_are_audited()
    {
        var tenant = NewTenant();
        var ada = await NewContactAsync(tenant);
        var list = await NewListAsync(tenant);
        var listScope = new ConsentScope(Channel.Email, list.Id);
        var request = await Consents.RequestOptInAsync(tenant, ada.Id, Email, FormEvidence, Admin);
        await Consents.ConfirmOptInAsync(tenant, request.Token, ClickEvidence);
        await Consents.GrantAsync(tenant, ada.Id, listScope, FormEvidence, Admin);
        await Consents.WithdrawAsync(tenant, ada.Id, Email, FormEvidence, Actor.System);

        var audit = (await Contacts.GetAuditLogAsync(tenant, ada.Id, PageRequest.First)).Items
            .Where(e => e.Action == AuditActions.ConsentChanged)
            .ToList();

        Assert.Equal(4, audit.Count);
        Assert.All(audit, e => Assert.Equal(AuditEntityTypes.Contact, e.EntityType));
        Assert.All(audit, e => Assert.Equal(ada.Id.ToString(), e.EntityId));
        Assert.Equal([Actor.System, Admin, new Actor(ActorKind.Contact, ada.Id.ToString()), Admin], audit.Select(e => e.Actor));
        Assert.Equal(new FieldChange("consent.email", "Granted", "Withdrawn"), Assert.Single(audit[0].Changes));
        Assert.Equal(new FieldChange($"consent.email/{list.Id}", "None", "Granted"), Assert.Single(audit[1].Changes));
        Assert.Equal(new FieldChange("consent.email", "Pending", "Granted"), Assert.Single(audit[2].Changes));
        Assert.Equal(new FieldChange("consent.email", "None", "Pending"), Assert.Single(audit[3].Changes));
    }

    /// <summary>The privacy flags: do-not-sell, the time of the latest Global Privacy Control signal, and the first deletion request kept.</summary>
    [Fact]
    public async Task Privacy_choices_are_recorded()
    {
        var tenant = NewTenant();
        var ada = await NewContactAsync(tenant);
        Assert.Equal(ContactPrivacy.None, ada.Privacy);

        var optedOut = await Consents.SetPrivacyAsync(tenant, ada.Id, new ContactPrivacyDraft { DoNotSellOrShare = true }, Admin);
        Assert.True(optedOut.Privacy.DoNotSellOrShare);
        Assert.True(optedOut.Privacy.OptedOutOfSaleOrSharing);
        Assert.Null(optedOut.Privacy.GlobalPrivacyControlAt);

        var beforeSignal = Clock.GetUtcNow();
        var signalled = await Consents.SetPrivacyAsync(tenant, ada.Id, new ContactPrivacyDraft { GlobalPrivacyControl = true, DeletionRequested = true }, Admin);
        var afterSignal = Clock.GetUtcNow();
        Assert.InRange(signalled.Privacy.GlobalPrivacyControlAt!.Value, beforeSignal, afterSignal);
        Assert.InRange(signalled.Privacy.DeletionRequestedAt!.Value, beforeSignal, afterSignal);
        Assert.True(signalled.Privacy.DoNotSellOrShare);
        var firstRequest = signalled.Privacy.DeletionRequestedAt;
        var firstSignal = signalled.Privacy.GlobalPrivacyControlAt;

        Clock.Advance(TimeSpan.FromDays(2));
        var again = await Consents.SetPrivacyAsync(tenant, ada.Id, new ContactPrivacyDraft { GlobalPrivacyControl = true, DeletionRequested = true, DoNotSellOrShare = false }, Admin);
        Assert.Equal(firstRequest, again.Privacy.DeletionRequestedAt);
        Assert.True(again.Privacy.GlobalPrivacyControlAt > firstSignal);
        Assert.False(again.Privacy.DoNotSellOrShare);
        Assert.True(again.Privacy.OptedOutOfSaleOrSharing);

        var read = await Contacts.GetAsync(tenant, ada.Id);
        Assert.Equal(again.Privacy, read.Privacy);
        var audit = (await Contacts.GetAuditLogAsync(tenant, ada.Id, PageRequest.First)).Items;
        Assert.Equal(3, audit.Count(e => e.Action == AuditActions.ContactPrivacyChanged));
        Assert.All(audit.Where(e => e.Action == AuditActions.ContactPrivacyChanged), e => Assert.Equal(Admin, e.Actor));

        var cleared = await Consents.SetPrivacyAsync(tenant, ada.Id, new ContactPrivacyDraft { GlobalPrivacyControl = false, DeletionRequested = false }, Admin);
        Assert.Equal(ContactPrivacy.None, cleared.Privacy);
        var unchanged = await Consents.SetPrivacyAsync(tenant, ada.Id, new ContactPrivacyDraft(), Admin);
        Assert.Equal(cleared.Version, unchanged.Version);
        Assert.Equal(4, (await Contacts.GetAuditLogAsync(tenant, ada.Id, PageRequest.First)).Items.Count(e => e.Action == AuditActions.ContactPrivacyChanged));
    }

    /// <summary>
    /// A dynamic list on <c>consent.email = "granted"</c> gains the contact when the consent is granted and loses it when
    /// withdrawn, in the same unit of work as the consent change (same time, nothing left for a refresh).
    /// </summary>
    [Fact]
    public async Task A_dynamic_list_on_consent_follows_consent_changes()
    {
        var tenant = NewTenant();
        var ada = await NewContactAsync(tenant);
        var bob = await NewContactAsync(tenant, "Bob");
        var other = await NewListAsync(tenant, "Other");
        var list = await Lists.CreateAsync(tenant, new ListDraft { Name = "Opted in", Kind = ListKind.Dynamic, Criteria = Criteria.Parse("consent.email = \"granted\"") }, Admin);
        Assert.Empty(await ActiveMemberIdsAsync(tenant, list.Id));

        // Pending and list-scoped consents are not the channel's consent.
        await Consents.RequestOptInAsync(tenant, ada.Id, Email, FormEvidence, Admin);
        await Consents.GrantAsync(tenant, bob.Id, new ConsentScope(Channel.Email, other.Id), FormEvidence, Admin);
        await Consents.GrantAsync(tenant, bob.Id, Sms, FormEvidence, Admin);
        Assert.Empty(await ActiveMemberIdsAsync(tenant, list.Id));

        var granted = await Consents.GrantAsync(tenant, ada.Id, Email, FormEvidence, Admin);

        Assert.Equal([ada.Id], await ActiveMemberIdsAsync(tenant, list.Id));
        Assert.Equal(1, (await Lists.GetAsync(tenant, list.Id)).MemberCount);
        var joined = Assert.Single(await AllHistoryAsync(tenant, ada.Id, list.Id));
        Assert.True(joined.IsEntry);
        Assert.Equal(MembershipChangeReason.Criteria, joined.Reason);
        Assert.Equal(granted.GrantedAt, joined.OccurredAt);
        Assert.Equal(new ListRefreshResult(0, 0), await Lists.RefreshAsync(tenant, list.Id, Admin));

        var withdrawn = await Consents.WithdrawAsync(tenant, ada.Id, Email, FormEvidence, Admin);

        Assert.Empty(await ActiveMemberIdsAsync(tenant, list.Id));
        Assert.Equal(0, (await Lists.GetAsync(tenant, list.Id)).MemberCount);
        var left = (await AllHistoryAsync(tenant, ada.Id, list.Id))[0];
        Assert.True(left.IsExit);
        Assert.Equal(withdrawn.WithdrawnAt, left.OccurredAt);
        Assert.Equal(new ListRefreshResult(0, 0), await Lists.RefreshAsync(tenant, list.Id, Admin));

        // Confirming a double opt-in and withdrawing everything move the contact too.
        var request = await Consents.RequestOptInAsync(tenant, bob.Id, Email, FormEvidence, Admin);
        await Consents.ConfirmOptInAsync(tenant, request.Token, ClickEvidence);
        Assert.Equal([bob.Id], await ActiveMemberIdsAsync(tenant, list.Id));
        await Consents.WithdrawAllAsync(tenant, bob.Id, FormEvidence, Admin);
        Assert.Empty(await ActiveMemberIdsAsync(tenant, list.Id));
        Assert.Equal(new ListRefreshResult(0, 0), await Lists.RefreshAsync(tenant, list.Id, Admin));
    }

    /// <summary>A dynamic list created when consents exist starts with the contacts whose consent matches.</summary>
    [Fact]
    public async Task A_dynamic_list_on_consent_is_created_with_the_consenting_contacts()
    {
        var tenant = NewTenant();
        var ada = await NewContactAsync(tenant);
        var bob = await NewContactAsync(tenant, "Bob");
        await Consents.GrantAsync(tenant, ada.Id, Email, FormEvidence, Admin);
        await Consents.GrantAsync(tenant, bob.Id, Email, FormEvidence, Admin);
        await Consents.WithdrawAsync(tenant, bob.Id, Email, FormEvidence, Admin);

        var granted = await Lists.CreateAsync(tenant, new ListDraft { Name = "Granted", Kind = ListKind.Dynamic, Criteria = Criteria.Parse("consent.email = \"granted\"") }, Admin);
        var withdrawn = await Lists.CreateAsync(tenant, new ListDraft { Name = "Withdrawn", Kind = ListKind.Dynamic, Criteria = Criteria.Parse("consent.email = \"withdrawn\"") }, Admin);

        Assert.Equal([ada.Id], await ActiveMemberIdsAsync(tenant, granted.Id));
        Assert.Equal([bob.Id], await ActiveMemberIdsAsync(tenant, withdrawn.Id));
    }

    /// <summary>Contact search reads <c>consent.&lt;channel&gt;</c>, with <c>none</c> for a contact that never had one.</summary>
    [Fact]
    public async Task Contact_search_reads_consent_states()
    {
        var tenant = NewTenant();
        var ada = await NewContactAsync(tenant);
        var bob = await NewContactAsync(tenant, "Bob");
        var carol = await NewContactAsync(tenant, "Carol");
        var dan = await NewContactAsync(tenant, "Dan");
        await Consents.GrantAsync(tenant, ada.Id, Email, FormEvidence, Admin);
        await Consents.GrantAsync(tenant, bob.Id, Email, FormEvidence, Admin);
        await Consents.WithdrawAsync(tenant, bob.Id, Email, FormEvidence, Admin);
        await Consents.RequestOptInAsync(tenant, carol.Id, Email, FormEvidence, Admin);
        await Consents.GrantAsync(tenant, dan.Id, Sms, FormEvidence, Admin);

        async Task<List<ContactId>> SearchAsync(string criteria)
        {
            var page = await Contacts.SearchAsync(tenant, Criteria.Parse(criteria), new ContactPageRequest(Size: 100));
            Assert.Equal(page.Items.Count, await Contacts.CountAsync(tenant, Criteria.Parse(criteria)));
            return [.. page.Items.Select(c => c.Id).Order()];
        }

        Assert.Equal([ada.Id], await SearchAsync("consent.email = \"granted\""));
        Assert.Equal([bob.Id], await SearchAsync("consent.email = \"withdrawn\""));
        Assert.Equal([carol.Id], await SearchAsync("consent.email = \"pending\""));
        Assert.Equal([dan.Id], await SearchAsync("consent.email = \"none\""));
        Assert.Equal([dan.Id], await SearchAsync("consent.sms = \"granted\""));
        Assert.Equal(new[] { bob.Id, carol.Id, dan.Id }.Order(), await SearchAsync("not consent.email = \"granted\""));
        Assert.Equal(new[] { ada.Id, dan.Id }.Order(), await SearchAsync("consent.email = \"granted\" or consent.sms = \"granted\""));
    }
}
