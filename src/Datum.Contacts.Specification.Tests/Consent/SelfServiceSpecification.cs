using Microsoft.Extensions.Options;
using Xunit;

namespace Datum.Contacts.Specification.Tests;

/// <summary>
/// Contact self-service through signed tokens: viewing and changing one's own profile (as the contact, audited),
/// unsubscribing from one list, one channel or everything, asking for deletion, and the refusals of tokens of another
/// purpose, tenant or contact, or expired.
/// </summary>
public abstract class SelfServiceSpecification : ContactManagementSpecification
{
    private static readonly ConsentScope Email = new(Channel.Email, null);
    private static readonly ConsentScope Sms = new(Channel.Sms, null);

    private TimeSpan SelfServiceLifetime => Resolve<IOptions<ContactManagementOptions>>().Value.Tokens.SelfServiceTokenLifetime;

    private static Actor Self(Contact contact) => new(ActorKind.Contact, contact.Id.ToString());

    private async Task<string> TokenAsync(TenantId tenant, Contact contact, TokenPurpose purpose, ConsentScope? scope = null)
        => (await SelfService.IssueTokenAsync(tenant, contact.Id, purpose, scope)).Token;

    /// <summary>A view token shows the contact its own profile, consents and memberships; an update token does too.</summary>
    [Fact]
    public async Task A_view_token_shows_the_contact_its_profile_consents_and_memberships()
    {
        var tenant = NewTenant();
        var ada = await Contacts.CreateAsync(tenant, NewDraft(), Admin);
        var bob = await Contacts.CreateAsync(tenant, NewDraft("Bob"), Admin);
        var list = await Lists.CreateAsync(tenant, new ListDraft { Name = "News" }, Admin);
        await Lists.AddMembersAsync(tenant, list.Id, [ada.Id, bob.Id], MembershipSource.Manual, Admin);
        await Consents.GrantAsync(tenant, ada.Id, Email, FormEvidence, Admin);
        await Consents.GrantAsync(tenant, bob.Id, Sms, FormEvidence, Admin);
        var before = Clock.GetUtcNow();

        var issued = await SelfService.IssueTokenAsync(tenant, ada.Id, TokenPurpose.ViewProfile);
        var profile = await SelfService.ViewProfileAsync(tenant, issued.Token);
        var viaUpdate = await SelfService.ViewProfileAsync(tenant, await TokenAsync(tenant, ada, TokenPurpose.UpdateProfile));

        Assert.Equal(TokenPurpose.ViewProfile, issued.Purpose);
        Assert.InRange(issued.ExpiresAt, before + SelfServiceLifetime - TimeSpan.FromSeconds(1), Clock.GetUtcNow() + SelfServiceLifetime);
        Assert.Equal(ada.Id, profile.Contact.Id);
        Assert.Equal(ada.Email, profile.Contact.Email);
        var consent = Assert.Single(profile.Consents);
        Assert.Equal(Email, consent.Scope);
        Assert.Equal(ConsentState.Granted, consent.State);
        var membership = Assert.Single(profile.Memberships);
        Assert.Equal(list.Id, membership.ListId);
        Assert.Equal(ada.Id, membership.ContactId);
        Assert.Equal(ada.Id, viaUpdate.Contact.Id);
    }

    /// <summary>An update token changes the fields a contact may change, audited as the contact itself; the email address is not among them.</summary>
    [Fact]
    public async Task An_update_token_changes_the_profile_as_the_contact()
    {
        var tenant = NewTenant();
        var ada = await Contacts.CreateAsync(tenant, NewDraft(), Admin);
        var token = await TokenAsync(tenant, ada, TokenPurpose.UpdateProfile);

        var updated = await SelfService.UpdateProfileAsync(tenant, token, new SelfServiceProfileUpdate
        {
            FirstName = "Augusta",
            Company = null,
            Phone = "+33 1 23 45 67 89",
            Preferences = new ContactPreferencesDraft { Frequency = ContactFrequency.Monthly, Channels = new Dictionary<string, bool> { ["sms"] = false } },
        });

        var read = await Contacts.GetAsync(tenant, ada.Id);
        Assert.Equal("Augusta", read.FirstName);
        Assert.Null(read.Company);
        Assert.Equal("+33123456789", read.Phone!.Value);
        Assert.Equal(ContactFrequency.Monthly, read.Preferences.Frequency);
        Assert.False(read.Preferences.IsEnabled(Channel.Sms));
        Assert.Equal(ada.LastName, read.LastName);
        Assert.Equal(ada.Email, read.Email);
        Assert.Equal(updated.Version, read.Version);
        var entry = (await Contacts.GetAuditLogAsync(tenant, ada.Id, PageRequest.First)).Items[0];
        Assert.Equal(Self(ada), entry.Actor);
        Assert.Contains(entry.Changes, c => c.Field == "firstName" && c.NewValue == "Augusta");

        // The token may be used again until it expires.
        await SelfService.UpdateProfileAsync(tenant, token, new SelfServiceProfileUpdate { Title = "Countess" });
        Assert.Equal("Countess", (await Contacts.GetAsync(tenant, ada.Id)).Title);
    }

    /// <summary>A view token does not allow changes, nor does any other purpose's token.</summary>
    [Fact]
    public async Task Tokens_of_another_purpose_are_refused()
    {
        var tenant = NewTenant();
        var ada = await Contacts.CreateAsync(tenant, NewDraft(), Admin);
        var view = await TokenAsync(tenant, ada, TokenPurpose.ViewProfile);
        var unsubscribe = await TokenAsync(tenant, ada, TokenPurpose.Unsubscribe);
        var deletion = await TokenAsync(tenant, ada, TokenPurpose.RequestDeletion);
        var confirm = (await Consents.RequestOptInAsync(tenant, ada.Id, Email, FormEvidence, Admin)).Token;
        var update = new SelfServiceProfileUpdate { FirstName = "Mallory" };

        var refusals = new List<InvalidTokenException>
        {
            await Assert.ThrowsAsync<InvalidTokenException>(() => SelfService.UpdateProfileAsync(tenant, view, update)),
            await Assert.ThrowsAsync<InvalidTokenException>(() => SelfService.UpdateProfileAsync(tenant, unsubscribe, update)),
            await Assert.ThrowsAsync<InvalidTokenException>(() => SelfService.UpdateProfileAsync(tenant, confirm, update)),
            await Assert.ThrowsAsync<InvalidTokenException>(() => SelfService.ViewProfileAsync(tenant, confirm)),
            await Assert.ThrowsAsync<InvalidTokenException>(() => SelfService.ViewProfileAsync(tenant, deletion)),
            await Assert.ThrowsAsync<InvalidTokenException>(() => SelfService.UnsubscribeAsync(tenant, view, FormEvidence)),
            await Assert.ThrowsAsync<InvalidTokenException>(() => SelfService.UnsubscribeAsync(tenant, confirm, FormEvidence)),
            await Assert.ThrowsAsync<InvalidTokenException>(() => SelfService.RequestDeletionAsync(tenant, unsubscribe)),
        };

        Assert.All(refusals, e => Assert.Equal(InvalidTokenReason.WrongPurpose, e.Reason));
        var read = await Contacts.GetAsync(tenant, ada.Id);
        Assert.Equal(ada.FirstName, read.FirstName);
        Assert.Equal(ContactStatus.Active, read.Status);
        Assert.Null(read.Privacy.DeletionRequestedAt);
        Assert.Equal(ConsentState.Pending, Assert.Single(await Consents.GetConsentsAsync(tenant, ada.Id)).State);
    }

    /// <summary>
    /// An unsubscribe link for one list unsubscribes that membership and withdraws that list's consent, leaving the
    /// other lists and the channel consent; using it twice is harmless.
    /// </summary>
    [Fact]
    public async Task A_list_unsubscribe_token_unsubscribes_that_list_only_and_may_be_used_twice()
    {
        var tenant = NewTenant();
        var ada = await Contacts.CreateAsync(tenant, NewDraft(), Admin);
        var news = await Lists.CreateAsync(tenant, new ListDraft { Name = "News" }, Admin);
        var offers = await Lists.CreateAsync(tenant, new ListDraft { Name = "Offers" }, Admin);
        await Lists.AddMembersAsync(tenant, news.Id, [ada.Id], MembershipSource.Manual, Admin);
        await Lists.AddMembersAsync(tenant, offers.Id, [ada.Id], MembershipSource.Manual, Admin);
        await Consents.GrantAsync(tenant, ada.Id, Email, FormEvidence, Admin);
        var newsScope = new ConsentScope(Channel.Email, news.Id);
        var token = await TokenAsync(tenant, ada, TokenPurpose.Unsubscribe, newsScope);
        var evidence = new ConsentEvidenceDraft { Source = ConsentSource.Form, IpAddress = "203.0.113.9", UserAgent = "SpecMail/2.0" };

        await SelfService.UnsubscribeAsync(tenant, token, evidence);

        Assert.Equal(MembershipStatus.Unsubscribed, (await Lists.FindMembershipAsync(tenant, news.Id, ada.Id))!.Status);
        Assert.Equal(MembershipStatus.Active, (await Lists.FindMembershipAsync(tenant, offers.Id, ada.Id))!.Status);
        var consents = await Consents.GetConsentsAsync(tenant, ada.Id);
        Assert.Equal(ConsentState.Withdrawn, Assert.Single(consents, c => c.Scope == newsScope).State);
        Assert.Equal(ConsentState.Granted, Assert.Single(consents, c => c.Scope == Email).State);
        Assert.Equal(ContactStatus.Active, (await Contacts.GetAsync(tenant, ada.Id)).Status);
        var withdrawal = Assert.Single(await AllEvidenceAsync(tenant, ada.Id, newsScope));
        Assert.Equal(Self(ada), withdrawal.Actor);
        Assert.Equal("203.0.113.9", withdrawal.IpAddress);
        Assert.Equal(Self(ada), Assert.Single(await AllHistoryAsync(tenant, ada.Id, news.Id), e => e.To == MembershipStatus.Unsubscribed).Actor);
        var ledger = (await AllEvidenceAsync(tenant, ada.Id)).Count;
        var audit = (await AllAuditAsync(tenant)).Count;
        var history = (await AllHistoryAsync(tenant, ada.Id)).Count;

        await SelfService.UnsubscribeAsync(tenant, token, evidence);

        Assert.Equal(MembershipStatus.Unsubscribed, (await Lists.FindMembershipAsync(tenant, news.Id, ada.Id))!.Status);
        Assert.Equal(ledger, (await AllEvidenceAsync(tenant, ada.Id)).Count);
        Assert.Equal(audit, (await AllAuditAsync(tenant)).Count);
        Assert.Equal(history, (await AllHistoryAsync(tenant, ada.Id)).Count);
    }

    /// <summary>
    /// An unsubscribe link for a list still withdraws the list's consent when the contact is no longer on the list
    /// (removed by an administrator, or gone from a dynamic list): the request is honoured, not refused.
    /// </summary>
    [Fact]
    public async Task A_list_unsubscribe_token_still_withdraws_the_consent_after_the_membership_is_gone()
    {
        var tenant = NewTenant();
        var ada = await Contacts.CreateAsync(tenant, NewDraft() with { Company = "Acme" }, Admin);
        var news = await Lists.CreateAsync(tenant, new ListDraft { Name = "News" }, Admin);
        var acme = await Lists.CreateAsync(tenant, new ListDraft { Name = "Acme", Kind = ListKind.Dynamic, Criteria = Criteria.Parse("company = \"Acme\"") }, Admin);
        await Lists.AddMembersAsync(tenant, news.Id, [ada.Id], MembershipSource.Manual, Admin);
        await Consents.GrantAsync(tenant, ada.Id, Email, FormEvidence, Admin);
        var newsScope = new ConsentScope(Channel.Email, news.Id);
        var acmeScope = new ConsentScope(Channel.Email, acme.Id);
        var newsToken = await TokenAsync(tenant, ada, TokenPurpose.Unsubscribe, newsScope);
        var acmeToken = await TokenAsync(tenant, ada, TokenPurpose.Unsubscribe, acmeScope);
        await Lists.RemoveMembersAsync(tenant, news.Id, [ada.Id], Admin);
        await Contacts.PatchAsync(tenant, ada.Id, new ContactPatch { Company = "Globex" }, null, Admin);
        Assert.Null(await Lists.FindMembershipAsync(tenant, acme.Id, ada.Id));

        await SelfService.UnsubscribeAsync(tenant, newsToken, FormEvidence);
        await SelfService.UnsubscribeAsync(tenant, acmeToken, FormEvidence);

        var consents = await Consents.GetConsentsAsync(tenant, ada.Id);
        Assert.Equal(ConsentState.Withdrawn, Assert.Single(consents, c => c.Scope == newsScope).State);
        Assert.Equal(ConsentState.Withdrawn, Assert.Single(consents, c => c.Scope == acmeScope).State);
        Assert.Equal(ConsentState.Granted, Assert.Single(consents, c => c.Scope == Email).State);
        Assert.Null(await Lists.FindMembershipAsync(tenant, news.Id, ada.Id));
    }

    /// <summary>An unsubscribe link for one channel withdraws that channel's consent only.</summary>
    [Fact]
    public async Task A_channel_unsubscribe_token_withdraws_that_channel_only()
    {
        var tenant = NewTenant();
        var ada = await Contacts.CreateAsync(tenant, NewDraft(), Admin);
        await Consents.GrantAsync(tenant, ada.Id, Email, FormEvidence, Admin);
        await Consents.GrantAsync(tenant, ada.Id, Sms, FormEvidence, Admin);

        await SelfService.UnsubscribeAsync(tenant, await TokenAsync(tenant, ada, TokenPurpose.Unsubscribe, Sms), FormEvidence);

        var consents = await Consents.GetConsentsAsync(tenant, ada.Id);
        Assert.Equal(ConsentState.Withdrawn, Assert.Single(consents, c => c.Scope == Sms).State);
        Assert.Equal(ConsentState.Granted, Assert.Single(consents, c => c.Scope == Email).State);
        Assert.Equal(ContactStatus.Active, (await Contacts.GetAsync(tenant, ada.Id)).Status);
    }

    /// <summary>An unscoped unsubscribe link unsubscribes the contact from everything: every consent withdrawn, out of every audience.</summary>
    [Fact]
    public async Task An_unscoped_unsubscribe_token_unsubscribes_from_everything()
    {
        var tenant = NewTenant();
        var ada = await Contacts.CreateAsync(tenant, NewDraft() with { Preferences = null }, Admin);
        var list = await Lists.CreateAsync(tenant, new ListDraft { Name = "News" }, Admin);
        await Lists.AddMembersAsync(tenant, list.Id, [ada.Id], MembershipSource.Manual, Admin);
        await Consents.GrantAsync(tenant, ada.Id, Email, FormEvidence, Admin);
        await Consents.GrantAsync(tenant, ada.Id, Sms, FormEvidence, Admin);
        await Consents.GrantAsync(tenant, ada.Id, new ConsentScope(Channel.Email, list.Id), FormEvidence, Admin);
        Assert.Equal([ada.Id], await AudienceIdsAsync(tenant, list.Id, Channel.Email));
        var token = await TokenAsync(tenant, ada, TokenPurpose.Unsubscribe);

        await SelfService.UnsubscribeAsync(tenant, token, FormEvidence);
        await SelfService.UnsubscribeAsync(tenant, token, FormEvidence);

        Assert.Equal(ContactStatus.Unsubscribed, (await Contacts.GetAsync(tenant, ada.Id)).Status);
        var consents = await Consents.GetConsentsAsync(tenant, ada.Id);
        Assert.Equal(3, consents.Count);
        Assert.All(consents, c => Assert.Equal(ConsentState.Withdrawn, c.State));
        Assert.Equal(6, (await AllEvidenceAsync(tenant, ada.Id)).Count);
        Assert.All((await AllEvidenceAsync(tenant, ada.Id)).Take(3), e => Assert.Equal(Self(ada), e.Actor));
        Assert.Empty(await AudienceIdsAsync(tenant, list.Id, Channel.Email));
        Assert.Empty(await AudienceIdsAsync(tenant, list.Id, Channel.Sms));
        var failed = (await Audiences.ExplainEligibilityAsync(tenant, ada.Id, list.Id, Channel.Email)).Failed.Select(r => r.Rule);
        Assert.Equal([AudienceRule.ContactStatus, AudienceRule.Consent, AudienceRule.ListConsent], failed);
    }

    /// <summary>A deletion request is recorded as the contact's; asking again keeps the first request's time.</summary>
    [Fact]
    public async Task A_deletion_token_records_the_request_once()
    {
        var tenant = NewTenant();
        var ada = await Contacts.CreateAsync(tenant, NewDraft(), Admin);
        var token = await TokenAsync(tenant, ada, TokenPurpose.RequestDeletion);
        var before = Clock.GetUtcNow();

        var requested = await SelfService.RequestDeletionAsync(tenant, token);
        Clock.Advance(TimeSpan.FromDays(1));
        var again = await SelfService.RequestDeletionAsync(tenant, token);

        Assert.InRange(requested.Privacy.DeletionRequestedAt!.Value, before, before + TimeSpan.FromSeconds(1));
        Assert.Equal(requested.Privacy.DeletionRequestedAt, again.Privacy.DeletionRequestedAt);
        Assert.Equal(requested.Privacy.DeletionRequestedAt, (await Contacts.GetAsync(tenant, ada.Id)).Privacy.DeletionRequestedAt);
        var entry = Assert.Single((await Contacts.GetAuditLogAsync(tenant, ada.Id, PageRequest.First)).Items, e => e.Action == AuditActions.ContactPrivacyChanged);
        Assert.Equal(Self(ada), entry.Actor);
    }

    /// <summary>A self-service token expires, is bound to its tenant, and names a contact that may be gone.</summary>
    [Fact]
    public async Task Expired_foreign_and_orphaned_tokens_are_refused()
    {
        var tenant = NewTenant();
        var ada = await Contacts.CreateAsync(tenant, NewDraft(), Admin);
        var bob = await Contacts.CreateAsync(tenant, NewDraft("Bob"), Admin);
        var view = await TokenAsync(tenant, ada, TokenPurpose.ViewProfile);
        var update = await TokenAsync(tenant, ada, TokenPurpose.UpdateProfile);
        var bobView = await TokenAsync(tenant, bob, TokenPurpose.ViewProfile);

        var foreign = await Assert.ThrowsAsync<InvalidTokenException>(() => SelfService.ViewProfileAsync(NewTenant(), view));
        await Contacts.DeleteAsync(tenant, bob.Id, null, Admin);
        var orphaned = await Assert.ThrowsAsync<InvalidTokenException>(() => SelfService.ViewProfileAsync(tenant, bobView));
        Clock.Advance(SelfServiceLifetime - TimeSpan.FromMinutes(1));
        Assert.Equal(ada.Id, (await SelfService.ViewProfileAsync(tenant, view)).Contact.Id);
        Clock.Advance(TimeSpan.FromMinutes(2));
        var expired = await Assert.ThrowsAsync<InvalidTokenException>(() => SelfService.ViewProfileAsync(tenant, view));
        var expiredUpdate = await Assert.ThrowsAsync<InvalidTokenException>(() => SelfService.UpdateProfileAsync(tenant, update, new SelfServiceProfileUpdate { FirstName = "Late" }));

        Assert.Equal(InvalidTokenReason.WrongTenant, foreign.Reason);
        Assert.Equal(InvalidTokenReason.Superseded, orphaned.Reason);
        Assert.Equal(InvalidTokenReason.Expired, expired.Reason);
        Assert.Equal(InvalidTokenReason.Expired, expiredUpdate.Reason);
        Assert.Equal(ada.FirstName, (await Contacts.GetAsync(tenant, ada.Id)).FirstName);
    }

    /// <summary>Tokens are issued for an existing contact and a purpose of self-service; a scope only for unsubscribe links.</summary>
    [Fact]
    public async Task Issuing_a_token_checks_its_purpose_scope_and_contact()
    {
        var tenant = NewTenant();
        var ada = await Contacts.CreateAsync(tenant, NewDraft(), Admin);

        var confirm = await Assert.ThrowsAsync<ValidationFailedException>(() => SelfService.IssueTokenAsync(tenant, ada.Id, TokenPurpose.ConfirmOptIn));
        var undefined = await Assert.ThrowsAsync<ValidationFailedException>(() => SelfService.IssueTokenAsync(tenant, ada.Id, (TokenPurpose)42));
        var scoped = await Assert.ThrowsAsync<ValidationFailedException>(() => SelfService.IssueTokenAsync(tenant, ada.Id, TokenPurpose.ViewProfile, Email));
        var unknown = await Assert.ThrowsAsync<EntityNotFoundException>(() => SelfService.IssueTokenAsync(tenant, ContactId.New(Clock), TokenPurpose.ViewProfile));
        var noList = await Assert.ThrowsAsync<EntityNotFoundException>(() => SelfService.IssueTokenAsync(tenant, ada.Id, TokenPurpose.Unsubscribe, new ConsentScope(Channel.Email, ListId.New(Clock))));

        Assert.Equal("purpose", Assert.Single(confirm.Errors).Field);
        Assert.Equal("purpose", Assert.Single(undefined.Errors).Field);
        Assert.Equal("scope", Assert.Single(scoped.Errors).Field);
        Assert.Equal(AuditEntityTypes.Contact, unknown.EntityType);
        Assert.Equal(AuditEntityTypes.List, noList.EntityType);
    }
}
