using Xunit;

namespace Datum.Contacts.Specification.Tests;

/// <summary>
/// The tenant's suppression list: entries added, found, paged and removed in their normalized form; a suppressed
/// email, phone or domain refuses opt-ins and grants and keeps the contact out of audiences, even after the contact is
/// deleted and created again; invalid values are refused.
/// </summary>
public abstract class SuppressionSpecification : ContactManagementSpecification
{
    private static readonly ConsentScope Email = new(Channel.Email, null);

    private static SuppressionDraft Suppress(SuppressionKind kind, string? value, SuppressionReason reason = SuppressionReason.Blocklist, string? note = null)
        => new() { Kind = kind, Value = value, Reason = reason, Note = note };

    private async Task<List<SuppressionEntry>> AllSuppressionsAsync(TenantId tenant, int size = 100)
    {
        var all = new List<SuppressionEntry>();
        string? cursor = null;
        do
        {
            var page = await Suppressions.PageAsync(tenant, new PageRequest(size, cursor));
            Assert.True(page.Items.Count <= size);
            all.AddRange(page.Items);
            cursor = page.NextCursor;
        }
        while (cursor is not null);
        return all;
    }

    /// <summary>An entry is stored normalized with who added it and why, found in any spelling, removed once, and audited.</summary>
    [Fact]
    public async Task An_entry_is_added_found_and_removed()
    {
        var tenant = NewTenant();
        var before = Clock.GetUtcNow();

        var added = await Suppressions.AddAsync(tenant, Suppress(SuppressionKind.Email, "  Ada.Lovelace@Example.COM ", SuppressionReason.HardBounce, "ticket 42"), Admin);

        Assert.Equal(tenant, added.Tenant);
        Assert.Equal(SuppressionKind.Email, added.Kind);
        Assert.Equal("ada.lovelace@example.com", added.Value);
        Assert.Equal(SuppressionReason.HardBounce, added.Reason);
        Assert.Equal("ticket 42", added.Note);
        Assert.Equal(Admin, added.Actor);
        Assert.InRange(added.CreatedAt, before, Clock.GetUtcNow());
        var found = await Suppressions.FindAsync(tenant, SuppressionKind.Email, "ADA.LOVELACE@example.com");
        Assert.NotNull(found);
        Assert.Equal(added.Value, found.Value);
        Assert.Equal(added.Reason, found.Reason);
        Assert.Equal(added.Note, found.Note);
        Assert.Equal(added.CreatedAt, found.CreatedAt);
        Assert.Equal(Admin, found.Actor);
        Assert.Null(await Suppressions.FindAsync(tenant, SuppressionKind.EmailDomain, "example.com"));
        Assert.Null(await Suppressions.FindAsync(NewTenant(), SuppressionKind.Email, "ada.lovelace@example.com"));

        Assert.True(await Suppressions.RemoveAsync(tenant, SuppressionKind.Email, "Ada.Lovelace@EXAMPLE.com", Admin));
        Assert.False(await Suppressions.RemoveAsync(tenant, SuppressionKind.Email, "ada.lovelace@example.com", Admin));

        Assert.Null(await Suppressions.FindAsync(tenant, SuppressionKind.Email, "ada.lovelace@example.com"));
        Assert.Empty(await AllSuppressionsAsync(tenant));
        var audit = await AllAuditAsync(tenant);
        Assert.Equal([AuditActions.SuppressionRemoved, AuditActions.SuppressionAdded], audit.Select(e => e.Action));
        Assert.All(audit, e => Assert.Equal(AuditEntityTypes.Suppression, e.EntityType));
        Assert.All(audit, e => Assert.Equal(Admin, e.Actor));
        Assert.All(audit, e => Assert.Contains("ada.lovelace@example.com", e.EntityId, StringComparison.Ordinal));
        Assert.Contains(new FieldChange("reason", null, "HardBounce"), audit[1].Changes);
        Assert.Contains(new FieldChange("reason", "HardBounce", null), audit[0].Changes);
    }

    /// <summary>Domains lose a leading '@' and their case; phones become E.164.</summary>
    [Fact]
    public async Task Domains_and_phones_are_normalized()
    {
        var tenant = NewTenant();

        var domain = await Suppressions.AddAsync(tenant, Suppress(SuppressionKind.EmailDomain, "@Competitor.EXAMPLE"), Admin);
        var phone = await Suppressions.AddAsync(tenant, Suppress(SuppressionKind.Phone, "+44 (20) 7946-0958"), Admin);

        Assert.Equal("competitor.example", domain.Value);
        Assert.Equal("+442079460958", phone.Value);
        Assert.NotNull(await Suppressions.FindAsync(tenant, SuppressionKind.EmailDomain, "competitor.example"));
        Assert.NotNull(await Suppressions.FindAsync(tenant, SuppressionKind.EmailDomain, "@COMPETITOR.example"));
        Assert.NotNull(await Suppressions.FindAsync(tenant, SuppressionKind.Phone, "0044 20 7946 0958"));
        Assert.Null(await Suppressions.FindAsync(tenant, SuppressionKind.Email, "someone@competitor.example"));
    }

    /// <summary>An internationalized domain matches however it is spelled, in Unicode or in its ASCII form.</summary>
    [Fact]
    public async Task Internationalized_domains_match_in_either_form()
    {
        var tenant = NewTenant();
        var unicode = await Contacts.CreateAsync(tenant, new ContactDraft { Email = "ada@bücher.example" }, Admin);
        var ascii = await Contacts.CreateAsync(tenant, new ContactDraft { Email = "bob@XN--BCHER-KVA.example" }, Admin);
        var other = await Contacts.CreateAsync(tenant, new ContactDraft { Email = "carol@buecher.example" }, Admin);

        var entry = await Suppressions.AddAsync(tenant, Suppress(SuppressionKind.EmailDomain, "@BÜCHER.example"), Admin);

        Assert.NotNull(await Suppressions.FindAsync(tenant, SuppressionKind.EmailDomain, "xn--bcher-kva.example"));
        Assert.Equal(entry.Value, Assert.Single(await Suppressions.MatchAsync(tenant, unicode.Id)).Value);
        Assert.Equal(entry.Value, Assert.Single(await Suppressions.MatchAsync(tenant, ascii.Id)).Value);
        Assert.Empty(await Suppressions.MatchAsync(tenant, other.Id));
        await Assert.ThrowsAsync<ContactSuppressedException>(() => Consents.GrantAsync(tenant, ascii.Id, Email, FormEvidence, Admin));
    }

    /// <summary>Adding an entry that exists replaces it: one entry, the new reason and note.</summary>
    [Fact]
    public async Task Adding_an_existing_entry_replaces_it()
    {
        var tenant = NewTenant();
        await Suppressions.AddAsync(tenant, Suppress(SuppressionKind.Email, "ada@example.com", SuppressionReason.HardBounce), Admin);

        await Suppressions.AddAsync(tenant, Suppress(SuppressionKind.Email, "ADA@example.com", SuppressionReason.Complaint, "spam report"), Admin);

        var entry = Assert.Single(await AllSuppressionsAsync(tenant));
        Assert.Equal(SuppressionReason.Complaint, entry.Reason);
        Assert.Equal("spam report", entry.Note);
        Assert.Contains(new FieldChange("reason", "HardBounce", "Complaint"), (await AllAuditAsync(tenant))[0].Changes);
    }

    /// <summary>The list reads in (kind, value) order, one page at a time, each entry once, per tenant.</summary>
    [Fact]
    public async Task The_list_pages_in_kind_and_value_order()
    {
        var tenant = NewTenant();
        var other = NewTenant();
        string[] emails = ["zed@example.com", "amy@example.com", "mia@example.org", "bob@example.net"];
        string[] domains = ["spam.example", "bulk.example"];
        string[] phones = ["+14155550123", "+33123456789", "+442079460958"];
        foreach (var email in emails)
        {
            await Suppressions.AddAsync(tenant, Suppress(SuppressionKind.Email, email), Admin);
        }

        foreach (var domain in domains)
        {
            await Suppressions.AddAsync(tenant, Suppress(SuppressionKind.EmailDomain, domain), Admin);
        }

        foreach (var phone in phones)
        {
            await Suppressions.AddAsync(tenant, Suppress(SuppressionKind.Phone, phone), Admin);
        }

        await Suppressions.AddAsync(other, Suppress(SuppressionKind.Email, "someone@example.com"), Admin);

        var paged = await AllSuppressionsAsync(tenant, 4);

        var expected = emails.Order(StringComparer.Ordinal).Select(v => (SuppressionKind.Email, v))
            .Concat(phones.Order(StringComparer.Ordinal).Select(v => (SuppressionKind.Phone, v)))
            .Concat(domains.Order(StringComparer.Ordinal).Select(v => (SuppressionKind.EmailDomain, v)));
        Assert.Equal(expected, paged.Select(e => (e.Kind, e.Value)));
        Assert.All(paged, e => Assert.Equal(tenant, e.Tenant));
        Assert.Equal("someone@example.com", Assert.Single(await AllSuppressionsAsync(other)).Value);
    }

    /// <summary>A contact matches entries on its email, its email's domain and its phone.</summary>
    [Fact]
    public async Task A_contact_matches_its_email_domain_and_phone()
    {
        var tenant = NewTenant();
        var ada = await Contacts.CreateAsync(tenant, new ContactDraft { FirstName = "Ada", Email = "Ada@Engines.example", Phone = "+44 20 7946 0958" }, Admin);
        var bob = await Contacts.CreateAsync(tenant, new ContactDraft { FirstName = "Bob", Email = "bob@elsewhere.example" }, Admin);
        Assert.Empty(await Suppressions.MatchAsync(tenant, ada.Id));
        await Suppressions.AddAsync(tenant, Suppress(SuppressionKind.Email, "ada@engines.example"), Admin);
        await Suppressions.AddAsync(tenant, Suppress(SuppressionKind.EmailDomain, "engines.example"), Admin);
        await Suppressions.AddAsync(tenant, Suppress(SuppressionKind.Phone, "+442079460958"), Admin);
        await Suppressions.AddAsync(tenant, Suppress(SuppressionKind.Email, "carol@engines.example"), Admin);

        var matches = await Suppressions.MatchAsync(tenant, ada.Id);

        Assert.Equal([SuppressionKind.Email, SuppressionKind.Phone, SuppressionKind.EmailDomain], matches.Select(m => m.Kind).Order());
        Assert.Empty(await Suppressions.MatchAsync(tenant, bob.Id));
        await Assert.ThrowsAsync<EntityNotFoundException>(() => Suppressions.MatchAsync(tenant, ContactId.New(Clock)));
    }

    /// <summary>A suppressed email, phone or domain refuses a grant and a double opt-in request, and nothing changes.</summary>
    [Fact]
    public async Task Grants_and_opt_ins_of_a_suppressed_contact_are_refused()
    {
        var tenant = NewTenant();
        var byEmail = await Contacts.CreateAsync(tenant, new ContactDraft { FirstName = "E", Email = "e@mail.example" }, Admin);
        var byPhone = await Contacts.CreateAsync(tenant, new ContactDraft { FirstName = "P", Phone = "+14155550123" }, Admin);
        var byDomain = await Contacts.CreateAsync(tenant, new ContactDraft { FirstName = "D", Email = "d@blocked.example" }, Admin);
        var free = await Contacts.CreateAsync(tenant, new ContactDraft { FirstName = "F", Email = "f@mail.example" }, Admin);
        await Suppressions.AddAsync(tenant, Suppress(SuppressionKind.Email, "E@mail.example"), Admin);
        await Suppressions.AddAsync(tenant, Suppress(SuppressionKind.Phone, "+1 415 555 0123"), Admin);
        await Suppressions.AddAsync(tenant, Suppress(SuppressionKind.EmailDomain, "blocked.example", SuppressionReason.DoNotContact), Admin);
        var audit = (await AllAuditAsync(tenant)).Count;
        var cases = new (Contact Contact, SuppressionKind Kind, ConsentScope Scope)[]
        {
            (byEmail, SuppressionKind.Email, Email),
            (byPhone, SuppressionKind.Phone, new ConsentScope(Channel.Sms, null)),
            (byPhone, SuppressionKind.Phone, Email),
            (byDomain, SuppressionKind.EmailDomain, Email),
        };

        foreach (var (contact, kind, scope) in cases)
        {
            var grant = await Assert.ThrowsAsync<ContactSuppressedException>(() => Consents.GrantAsync(tenant, contact.Id, scope, FormEvidence, Admin));
            var request = await Assert.ThrowsAsync<ContactSuppressedException>(() => Consents.RequestOptInAsync(tenant, contact.Id, scope, FormEvidence, Admin));

            Assert.Equal(contact.Id, grant.ContactId);
            Assert.Equal(kind, grant.Entry.Kind);
            Assert.Equal(kind, request.Entry.Kind);
            Assert.Empty(await Consents.GetConsentsAsync(tenant, contact.Id));
            Assert.Empty(await AllEvidenceAsync(tenant, contact.Id));
        }

        Assert.Equal(audit, (await AllAuditAsync(tenant)).Count);
        Assert.Equal(ConsentState.Granted, (await Consents.GrantAsync(tenant, free.Id, Email, FormEvidence, Admin)).State);

        // Withdrawing is always possible.
        Assert.Equal(ConsentState.Withdrawn, (await Consents.WithdrawAsync(tenant, byEmail.Id, Email, FormEvidence, Admin)).State);
    }

    /// <summary>A contact suppressed after its confirmation was sent cannot confirm it.</summary>
    [Fact]
    public async Task Confirming_after_a_suppression_is_refused()
    {
        var tenant = NewTenant();
        var ada = await Contacts.CreateAsync(tenant, NewDraft(), Admin);
        var request = await Consents.RequestOptInAsync(tenant, ada.Id, Email, FormEvidence, Admin);
        await Suppressions.AddAsync(tenant, Suppress(SuppressionKind.Email, ada.Email!.Value, SuppressionReason.Complaint), Admin);

        var error = await Assert.ThrowsAsync<ContactSuppressedException>(() => Consents.ConfirmOptInAsync(tenant, request.Token, FormEvidence));

        Assert.Equal(SuppressionReason.Complaint, error.Entry.Reason);
        Assert.Equal(ConsentState.Pending, Assert.Single(await Consents.GetConsentsAsync(tenant, ada.Id)).State);
        Assert.Single(await AllEvidenceAsync(tenant, ada.Id));
    }

    /// <summary>
    /// A suppression belongs to the address, not the contact: it keeps a granted contact out of audiences, and still
    /// applies to a contact deleted and created again with the same address, until the entry is removed.
    /// </summary>
    [Fact]
    public async Task A_suppression_survives_deleting_and_recreating_the_contact()
    {
        var tenant = NewTenant();
        var draft = new ContactDraft { FirstName = "Ada", Email = $"ada.{Guid.NewGuid():N}@example.com" };
        var ada = await Contacts.CreateAsync(tenant, draft, Admin);
        var list = await Lists.CreateAsync(tenant, new ListDraft { Name = "News" }, Admin);
        await Lists.AddMembersAsync(tenant, list.Id, [ada.Id], MembershipSource.Manual, Admin);
        await Consents.GrantAsync(tenant, ada.Id, Email, FormEvidence, Admin);
        Assert.Equal([ada.Id], await AudienceIdsAsync(tenant, list.Id, Channel.Email));

        await Suppressions.AddAsync(tenant, Suppress(SuppressionKind.Email, draft.Email!.ToUpperInvariant(), SuppressionReason.DoNotContact), Admin);

        Assert.Empty(await AudienceIdsAsync(tenant, list.Id, Channel.Email));
        Assert.Equal([AudienceRule.Suppression], (await Audiences.ExplainEligibilityAsync(tenant, ada.Id, list.Id, Channel.Email)).Failed.Select(r => r.Rule));

        await Contacts.DeleteAsync(tenant, ada.Id, null, Admin);
        var again = await Contacts.CreateAsync(tenant, draft, Admin);
        await Lists.AddMembersAsync(tenant, list.Id, [again.Id], MembershipSource.Manual, Admin);

        Assert.Equal(SuppressionReason.DoNotContact, Assert.Single(await Suppressions.MatchAsync(tenant, again.Id)).Reason);
        await Assert.ThrowsAsync<ContactSuppressedException>(() => Consents.GrantAsync(tenant, again.Id, Email, FormEvidence, Admin));
        Assert.Empty(await AudienceIdsAsync(tenant, list.Id, Channel.Email));
        var explained = await Audiences.ExplainEligibilityAsync(tenant, again.Id, list.Id, Channel.Email);
        Assert.False(explained.IsEligible);
        Assert.Contains(explained.Failed, r => r.Rule == AudienceRule.Suppression);

        Assert.True(await Suppressions.RemoveAsync(tenant, SuppressionKind.Email, draft.Email, Admin));
        await Consents.GrantAsync(tenant, again.Id, Email, FormEvidence, Admin);
        Assert.Equal([again.Id], await AudienceIdsAsync(tenant, list.Id, Channel.Email));
    }

    /// <summary>A domain entry keeps every address at that domain out of audiences, whatever the consent.</summary>
    [Fact]
    public async Task A_domain_suppression_excludes_every_address_at_the_domain()
    {
        var tenant = NewTenant();
        var list = await Lists.CreateAsync(tenant, new ListDraft { Name = "News" }, Admin);
        var inside = new List<ContactId>();
        foreach (var email in new[] { "a@rival.example", "B@Rival.Example", "c@mail.example" })
        {
            var contact = await Contacts.CreateAsync(tenant, new ContactDraft { Email = email }, Admin);
            await Consents.GrantAsync(tenant, contact.Id, Email, FormEvidence, Admin);
            inside.Add(contact.Id);
        }

        await Lists.AddMembersAsync(tenant, list.Id, inside, MembershipSource.Manual, Admin);

        await Suppressions.AddAsync(tenant, Suppress(SuppressionKind.EmailDomain, "RIVAL.example"), Admin);

        Assert.Equal([inside[2]], await AudienceIdsAsync(tenant, list.Id, Channel.Email));
    }

    /// <summary>A value that is not of its kind is refused on the field <c>value</c>, and nothing is stored.</summary>
    [Fact]
    public async Task Invalid_values_are_refused_on_the_value_field()
    {
        var tenant = NewTenant();
        var cases = new (SuppressionKind Kind, string? Value)[]
        {
            (SuppressionKind.Email, "not-an-email"),
            (SuppressionKind.Email, "@example.com"),
            (SuppressionKind.Email, null),
            (SuppressionKind.Email, "   "),
            (SuppressionKind.Phone, "020 7946 0958"),
            (SuppressionKind.Phone, "+12"),
            (SuppressionKind.Phone, "+1 415 CALL ME"),
            (SuppressionKind.EmailDomain, "@"),
            (SuppressionKind.EmailDomain, string.Empty),
            (SuppressionKind.EmailDomain, "localhost"),
            (SuppressionKind.EmailDomain, "bad domain.example"),
            (SuppressionKind.EmailDomain, "user@example.com"),
        };

        foreach (var (kind, value) in cases)
        {
            var onAdd = await Assert.ThrowsAsync<ValidationFailedException>(() => Suppressions.AddAsync(tenant, Suppress(kind, value), Admin));
            Assert.Equal("value", Assert.Single(onAdd.Errors).Field);
            if (value is not null)
            {
                var onFind = await Assert.ThrowsAsync<ValidationFailedException>(() => Suppressions.FindAsync(tenant, kind, value));
                var onRemove = await Assert.ThrowsAsync<ValidationFailedException>(() => Suppressions.RemoveAsync(tenant, kind, value, Admin));
                Assert.Equal("value", Assert.Single(onFind.Errors).Field);
                Assert.Equal("value", Assert.Single(onRemove.Errors).Field);
            }
        }

        var kindError = await Assert.ThrowsAsync<ValidationFailedException>(() => Suppressions.AddAsync(tenant, Suppress((SuppressionKind)9, "a@example.com"), Admin));
        var reasonError = await Assert.ThrowsAsync<ValidationFailedException>(() => Suppressions.AddAsync(tenant, Suppress(SuppressionKind.Email, "a@example.com", (SuppressionReason)0), Admin));
        Assert.Equal("kind", Assert.Single(kindError.Errors).Field);
        Assert.Equal("reason", Assert.Single(reasonError.Errors).Field);
        Assert.Empty(await AllSuppressionsAsync(tenant));
        Assert.Empty(await AllAuditAsync(tenant));
    }
}
