using Microsoft.Extensions.DependencyInjection;
using Xunit;

namespace Datum.Contacts.Specification.Tests;

/// <summary>
/// Audiences: a list's members who may be contacted on a channel at a time, rule by rule (membership, contact status,
/// address, suppression, consent, list consent, channel preference and overrides, frequency caps in the contact's time
/// zone, quiet hours of the contact or the tenant), read in batches, explained rule by rule; and the engagement
/// events that feed the frequency caps and last-engagement times.
/// </summary>
public abstract class AudienceSpecification : ContactManagementSpecification
{
    private const string NewYork = "America/New_York";
    private const string Tokyo = "Asia/Tokyo";
    private static readonly ConsentScope Email = new(Channel.Email, null);

    /// <summary>A Monday in January (New York is UTC-5, Paris UTC+1, Tokyo UTC+9).</summary>
    private static readonly DateTimeOffset Day = new(2026, 1, 5, 0, 0, 0, TimeSpan.Zero);

    private static ContactDraft Plain(string name, ContactPreferencesDraft? preferences = null) => new()
    {
        FirstName = name,
        Email = $"{name.ToLowerInvariant()}.{Guid.NewGuid():N}@example.com",
        Preferences = preferences,
    };

    private static DateTimeOffset Local(string zone, int day, int hour, int minute = 0)
    {
        var info = TimeZoneInfo.FindSystemTimeZoneById(zone);
        var local = new DateTime(2026, 1, day, hour, minute, 0, DateTimeKind.Unspecified);
        return new DateTimeOffset(local, info.GetUtcOffset(local)).ToUniversalTime();
    }

    /// <summary>Creates a contact, grants its email consent, and adds it to the list.</summary>
    private async Task<Contact> MemberAsync(TenantId tenant, ContactList list, ContactDraft draft)
    {
        var contact = await Contacts.CreateAsync(tenant, draft, Admin);
        await Consents.GrantAsync(tenant, contact.Id, Email, FormEvidence, Admin);
        await Lists.AddMembersAsync(tenant, list.Id, [contact.Id], MembershipSource.Manual, Admin);
        return contact;
    }

    private Task<ContactList> NewListAsync(TenantId tenant, string name = "News") => Lists.CreateAsync(tenant, new ListDraft { Name = name }, Admin);

    private Task<EngagementEvent> SendAsync(TenantId tenant, Contact contact, DateTimeOffset at, ListId? list = null, Channel? channel = null)
        => Engagements.RecordAsync(tenant, new EngagementDraft(contact.Id, channel ?? Channel.Email, EngagementKind.Sent, list, at), Admin);

    private async Task<List<AudienceRule>> FailedAsync(TenantId tenant, Contact contact, ContactList list, DateTimeOffset? at = null, Channel? channel = null)
        => [.. (await Audiences.ExplainEligibilityAsync(tenant, contact.Id, list.Id, channel ?? Channel.Email, at)).Failed.Select(r => r.Rule)];

    /// <summary>The audience holds exactly the eligible members; each other contact fails exactly the rule it was made to fail.</summary>
    [Fact]
    public async Task The_audience_holds_exactly_the_eligible_members()
    {
        var tenant = NewTenant();
        var list = await NewListAsync(tenant);
        var other = await NewListAsync(tenant, "Other");
        var eligible = await MemberAsync(tenant, list, Plain("Eligible"));
        var otherListWithdrawn = await MemberAsync(tenant, list, Plain("OtherListWithdrawn"));
        await Consents.WithdrawAsync(tenant, otherListWithdrawn.Id, new ConsentScope(Channel.Email, other.Id), FormEvidence, Admin);
        var listGranted = await MemberAsync(tenant, list, Plain("ListGranted"));
        await Consents.GrantAsync(tenant, listGranted.Id, new ConsentScope(Channel.Email, list.Id), FormEvidence, Admin);
        var smsOff = await MemberAsync(tenant, list, Plain("SmsOff", new ContactPreferencesDraft { Channels = new Dictionary<string, bool> { ["sms"] = false } }));

        var expected = new List<(Contact Contact, AudienceRule Rule)>();
        var pending = await Contacts.CreateAsync(tenant, Plain("PendingMember"), Admin);
        await Consents.GrantAsync(tenant, pending.Id, Email, FormEvidence, Admin);
        await Lists.AddMembersAsync(tenant, list.Id, [pending.Id], MembershipSource.Manual, MembershipStatus.Pending, Admin);
        expected.Add((pending, AudienceRule.Membership));
        var unsubscribed = await MemberAsync(tenant, list, Plain("UnsubscribedMember"));
        await Lists.UnsubscribeAsync(tenant, list.Id, unsubscribed.Id, Admin);
        expected.Add((unsubscribed, AudienceRule.Membership));
        var notMember = await Contacts.CreateAsync(tenant, Plain("NotMember"), Admin);
        await Consents.GrantAsync(tenant, notMember.Id, Email, FormEvidence, Admin);
        expected.Add((notMember, AudienceRule.Membership));
        var inactive = await MemberAsync(tenant, list, Plain("Inactive") with { Status = ContactStatus.Inactive });
        expected.Add((inactive, AudienceRule.ContactStatus));
        var unsubscribedContact = await MemberAsync(tenant, list, Plain("UnsubscribedContact"));
        await Contacts.PatchAsync(tenant, unsubscribedContact.Id, new ContactPatch { Status = ContactStatus.Unsubscribed }, null, Admin);
        expected.Add((unsubscribedContact, AudienceRule.ContactStatus));
        var phoneOnly = await MemberAsync(tenant, list, new ContactDraft { FirstName = "PhoneOnly", Phone = "+14155550123" });
        expected.Add((phoneOnly, AudienceRule.Address));
        var suppressed = await MemberAsync(tenant, list, Plain("Suppressed"));
        await Suppressions.AddAsync(tenant, new SuppressionDraft { Kind = SuppressionKind.Email, Value = suppressed.Email!.Value }, Admin);
        expected.Add((suppressed, AudienceRule.Suppression));
        var noConsent = await Contacts.CreateAsync(tenant, Plain("NoConsent"), Admin);
        await Lists.AddMembersAsync(tenant, list.Id, [noConsent.Id], MembershipSource.Manual, Admin);
        expected.Add((noConsent, AudienceRule.Consent));
        var pendingConsent = await Contacts.CreateAsync(tenant, Plain("PendingConsent"), Admin);
        await Consents.RequestOptInAsync(tenant, pendingConsent.Id, Email, FormEvidence, Admin);
        await Lists.AddMembersAsync(tenant, list.Id, [pendingConsent.Id], MembershipSource.Manual, Admin);
        expected.Add((pendingConsent, AudienceRule.Consent));
        var withdrawn = await MemberAsync(tenant, list, Plain("Withdrawn"));
        await Consents.WithdrawAsync(tenant, withdrawn.Id, Email, FormEvidence, Admin);
        expected.Add((withdrawn, AudienceRule.Consent));
        var smsOnly = await Contacts.CreateAsync(tenant, Plain("SmsConsentOnly"), Admin);
        await Consents.GrantAsync(tenant, smsOnly.Id, new ConsentScope(Channel.Sms, null), FormEvidence, Admin);
        await Lists.AddMembersAsync(tenant, list.Id, [smsOnly.Id], MembershipSource.Manual, Admin);
        expected.Add((smsOnly, AudienceRule.Consent));
        var listWithdrawn = await MemberAsync(tenant, list, Plain("ListWithdrawn"));
        await Consents.WithdrawAsync(tenant, listWithdrawn.Id, new ConsentScope(Channel.Email, list.Id), FormEvidence, Admin);
        expected.Add((listWithdrawn, AudienceRule.ListConsent));
        var listPending = await MemberAsync(tenant, list, Plain("ListPending"));
        await Consents.RequestOptInAsync(tenant, listPending.Id, new ConsentScope(Channel.Email, list.Id), FormEvidence, Admin);
        expected.Add((listPending, AudienceRule.ListConsent));
        var emailOff = await MemberAsync(tenant, list, Plain("EmailOff", new ContactPreferencesDraft { Channels = new Dictionary<string, bool> { ["email"] = false } }));
        expected.Add((emailOff, AudienceRule.ChannelPreference));

        var audience = await AudienceIdsAsync(tenant, list.Id, Channel.Email);

        Assert.Equal(new[] { eligible.Id, otherListWithdrawn.Id, listGranted.Id, smsOff.Id }.Order(), audience.Order());
        foreach (var contact in new[] { eligible, otherListWithdrawn, listGranted, smsOff })
        {
            Assert.Empty(await FailedAsync(tenant, contact, list));
        }

        foreach (var (contact, rule) in expected)
        {
            var failed = await FailedAsync(tenant, contact, list);
            Assert.True(failed.SequenceEqual([rule]), $"{contact.FirstName} should fail {rule} only, but fails {string.Join(", ", failed)}.");
        }
    }

    /// <summary>A membership's channel override wins over the contact's preference, both ways.</summary>
    [Fact]
    public async Task A_membership_channel_override_beats_the_contact_preference()
    {
        var tenant = NewTenant();
        var list = await NewListAsync(tenant);
        var offByContact = await MemberAsync(tenant, list, Plain("OffByContact", new ContactPreferencesDraft { Channels = new Dictionary<string, bool> { ["email"] = false } }));
        var offByList = await MemberAsync(tenant, list, Plain("OffByList"));
        var smsOverride = await MemberAsync(tenant, list, Plain("SmsOverride", new ContactPreferencesDraft { Channels = new Dictionary<string, bool> { ["email"] = false } }));
        Assert.Equal([offByList.Id], await AudienceIdsAsync(tenant, list.Id, Channel.Email));

        await Lists.UpdateMembershipAsync(tenant, list.Id, offByContact.Id, new MembershipDraft { Channels = new Dictionary<string, bool> { ["email"] = true } }, null, Admin);
        await Lists.UpdateMembershipAsync(tenant, list.Id, offByList.Id, new MembershipDraft { Channels = new Dictionary<string, bool> { ["email"] = false } }, null, Admin);
        await Lists.UpdateMembershipAsync(tenant, list.Id, smsOverride.Id, new MembershipDraft { Channels = new Dictionary<string, bool> { ["sms"] = true } }, null, Admin);

        Assert.Equal([offByContact.Id], await AudienceIdsAsync(tenant, list.Id, Channel.Email));
        Assert.Equal([AudienceRule.ChannelPreference], await FailedAsync(tenant, offByList, list));
        Assert.Equal([AudienceRule.ChannelPreference], await FailedAsync(tenant, smsOverride, list));

        // The override is the list's only: on another list the contact's preference applies.
        var other = await NewListAsync(tenant, "Other");
        await Lists.AddMembersAsync(tenant, other.Id, [offByContact.Id, offByList.Id], MembershipSource.Manual, Admin);
        Assert.Equal([offByList.Id], await AudienceIdsAsync(tenant, other.Id, Channel.Email));
    }

    /// <summary>A daily cap counts local days: a send at 23:30 local yesterday allows one today, a send at 00:30 local today does not.</summary>
    [Fact]
    public async Task A_daily_cap_counts_days_in_the_contacts_time_zone()
    {
        var tenant = NewTenant();
        var list = await NewListAsync(tenant);
        Clock.Advance(TimeSpan.FromDays(30));
        var daily = new ContactPreferencesDraft { Frequency = ContactFrequency.Daily, TimeZone = NewYork };
        var lateYesterday = await MemberAsync(tenant, list, Plain("LateYesterday", daily));
        var earlyToday = await MemberAsync(tenant, list, Plain("EarlyToday", daily));
        var never = await MemberAsync(tenant, list, Plain("Never", daily));
        var smsOnly = await MemberAsync(tenant, list, Plain("SmsOnly", daily));
        var openedOnly = await MemberAsync(tenant, list, Plain("OpenedOnly", daily));
        await SendAsync(tenant, lateYesterday, Local(NewYork, 4, 23, 30), list.Id);
        await SendAsync(tenant, earlyToday, Local(NewYork, 5, 0, 30), list.Id);
        await SendAsync(tenant, smsOnly, Local(NewYork, 5, 0, 30), list.Id, Channel.Sms);
        await Engagements.RecordAsync(tenant, new EngagementDraft(openedOnly.Id, Channel.Email, EngagementKind.Opened, list.Id, Local(NewYork, 5, 0, 30)), Admin);
        var at = Local(NewYork, 5, 9);

        // Both sends fell on the same UTC day as the send asked about.
        Assert.Equal(Local(NewYork, 4, 23, 30).UtcDateTime.Date, at.UtcDateTime.Date);
        Assert.Equal(new[] { lateYesterday.Id, never.Id, smsOnly.Id, openedOnly.Id }.Order(), (await AudienceIdsAsync(tenant, list.Id, Channel.Email, at)).Order());
        Assert.Equal([AudienceRule.FrequencyCap], await FailedAsync(tenant, earlyToday, list, at));
        Assert.Empty(await FailedAsync(tenant, earlyToday, list, Local(NewYork, 6, 0, 1)));
    }

    /// <summary>A weekly cap blocks for seven local days after a send.</summary>
    [Fact]
    public async Task A_weekly_cap_blocks_for_seven_local_days()
    {
        var tenant = NewTenant();
        var list = await NewListAsync(tenant);
        Clock.Advance(TimeSpan.FromDays(30));
        var weekly = await MemberAsync(tenant, list, Plain("Weekly", new ContactPreferencesDraft { Frequency = ContactFrequency.Weekly, TimeZone = NewYork }));
        await SendAsync(tenant, weekly, Local(NewYork, 5, 10));

        var blocked = new[] { Local(NewYork, 5, 18), Local(NewYork, 6, 10), Local(NewYork, 11, 23) };
        var allowed = new[] { Local(NewYork, 12, 0, 30), Local(NewYork, 13, 10) };

        foreach (var at in blocked)
        {
            Assert.Empty(await AudienceIdsAsync(tenant, list.Id, Channel.Email, at));
            Assert.Equal([AudienceRule.FrequencyCap], await FailedAsync(tenant, weekly, list, at));
        }

        foreach (var at in allowed)
        {
            Assert.Equal([weekly.Id], await AudienceIdsAsync(tenant, list.Id, Channel.Email, at));
        }

        // 23:00 on the 11th in New York is already the 12th in UTC: the cap counts local days.
        Assert.Equal(12, Local(NewYork, 11, 23).UtcDateTime.Day);
    }

    /// <summary>A list's frequency override counts only the sends through that list; the contact's own frequency counts every send on the channel.</summary>
    [Fact]
    public async Task A_membership_frequency_override_counts_only_sends_through_its_list()
    {
        var tenant = NewTenant();
        var capped = await NewListAsync(tenant, "Capped");
        var plain = await NewListAsync(tenant, "Plain");
        Clock.Advance(TimeSpan.FromDays(30));
        var ada = await MemberAsync(tenant, capped, Plain("Ada", new ContactPreferencesDraft { Frequency = ContactFrequency.Daily }));
        await Lists.AddMembersAsync(tenant, plain.Id, [ada.Id], MembershipSource.Manual, Admin);
        await Lists.UpdateMembershipAsync(tenant, capped.Id, ada.Id, new MembershipDraft { Frequency = ContactFrequency.Weekly }, null, Admin);
        var bob = await MemberAsync(tenant, capped, Plain("Bob"));
        await Lists.UpdateMembershipAsync(tenant, capped.Id, bob.Id, new MembershipDraft { Frequency = ContactFrequency.Daily }, null, Admin);

        await SendAsync(tenant, ada, Day.AddHours(10), plain.Id);
        await SendAsync(tenant, bob, Day.AddHours(10), plain.Id);
        await SendAsync(tenant, bob, Day.AddHours(11));

        // Sends through another list (or none) leave the capped list's weekly override untouched.
        Assert.Equal(new[] { ada.Id, bob.Id }.Order(), (await AudienceIdsAsync(tenant, capped.Id, Channel.Email, Day.AddHours(15))).Order());

        // Through the plain list Ada's own daily frequency counts that send.
        Assert.Empty(await AudienceIdsAsync(tenant, plain.Id, Channel.Email, Day.AddHours(15)));
        Assert.Equal([ada.Id], await AudienceIdsAsync(tenant, plain.Id, Channel.Email, Day.AddDays(1).AddHours(8)));

        await SendAsync(tenant, ada, Day.AddDays(-3).AddHours(10), capped.Id);
        await SendAsync(tenant, bob, Day.AddHours(9), capped.Id);

        Assert.Empty(await AudienceIdsAsync(tenant, capped.Id, Channel.Email, Day.AddHours(15)));
        Assert.Equal([bob.Id], await AudienceIdsAsync(tenant, capped.Id, Channel.Email, Day.AddDays(1).AddHours(8)));
        Assert.Equal([AudienceRule.FrequencyCap], await FailedAsync(tenant, ada, capped, Day.AddDays(3).AddHours(23)));
        Assert.Equal(new[] { ada.Id, bob.Id }.Order(), (await AudienceIdsAsync(tenant, capped.Id, Channel.Email, Day.AddDays(4).AddHours(1))).Order());
        Assert.Equal([ada.Id], await AudienceIdsAsync(tenant, plain.Id, Channel.Email, Day.AddDays(1).AddHours(8)));
    }

    /// <summary>
    /// Quiet hours: none by default; the tenant's (in the policy's default time zone for contacts without one, spanning
    /// midnight, start included and end excluded); a contact's own win over the tenant's.
    /// </summary>
    [Fact]
    public async Task Quiet_hours_of_the_tenant_and_of_the_contact_are_kept()
    {
        var tenant = NewTenant();
        var list = await NewListAsync(tenant);
        var paris = await MemberAsync(tenant, list, Plain("NoZone"));
        var tokyo = await MemberAsync(tenant, list, Plain("Tokyo", new ContactPreferencesDraft { TimeZone = Tokyo, QuietHoursStart = "12:00", QuietHoursEnd = "14:00" }));
        var newYork = await MemberAsync(tenant, list, Plain("NewYork", new ContactPreferencesDraft { TimeZone = NewYork }));
        async Task<List<ContactId>> AtAsync(int hour, int minute = 0) => [.. (await AudienceIdsAsync(tenant, list.Id, Channel.Email, Day.AddHours(hour).AddMinutes(minute))).Order()];
        List<ContactId> Of(params Contact[] contacts) => [.. contacts.Select(c => c.Id).Order()];

        Assert.Null((await Audiences.GetPolicyAsync(tenant)).QuietHours);
        Assert.Equal(Of(paris, newYork), await AtAsync(4));

        var policy = await Audiences.SetPolicyAsync(tenant, new AudiencePolicyDraft { QuietHoursStart = "21:00", QuietHoursEnd = "08:00", DefaultTimeZone = "Europe/Paris" }, Admin);

        Assert.Equal("Europe/Paris", policy.DefaultTimeZone!.Value);
        Assert.Equal(policy.QuietHours, (await Audiences.GetPolicyAsync(tenant)).QuietHours);
        Assert.Equal(AuditActions.AudiencePolicyChanged, (await AllAuditAsync(tenant))[0].Action);

        // 07:30 UTC: 08:30 in Paris (outside, though inside in UTC), 16:30 in Tokyo, 02:30 in New York (inside).
        Assert.Equal(Of(paris, tokyo), await AtAsync(7, 30));

        // 22:30 UTC: 23:30 in Paris (inside), 07:30 next day in Tokyo (outside its own 12-14), 17:30 in New York.
        Assert.Equal(Of(tokyo, newYork), await AtAsync(22, 30));

        // 04:00 UTC: 05:00 in Paris, 13:00 in Tokyo, 23:00 the day before in New York: everyone is inside.
        Assert.Empty(await AtAsync(4));

        // Start included, end excluded: 21:00 and 08:00 in Paris.
        Assert.DoesNotContain(paris.Id, await AtAsync(20));
        Assert.Contains(paris.Id, await AtAsync(7));
        Assert.DoesNotContain(paris.Id, await AtAsync(6, 59));
        Assert.Equal([AudienceRule.QuietHours], await FailedAsync(tenant, tokyo, list, Day.AddHours(3)));
        Assert.Empty(await FailedAsync(tenant, tokyo, list, Day.AddHours(5)));
        Assert.Equal([AudienceRule.QuietHours], await FailedAsync(tenant, newYork, list, Day.AddHours(4)));
    }

    /// <summary>An invalid policy is refused naming its fields.</summary>
    [Fact]
    public async Task An_invalid_policy_is_refused()
    {
        var tenant = NewTenant();

        var halfWindow = await Assert.ThrowsAsync<ValidationFailedException>(() => Audiences.SetPolicyAsync(tenant, new AudiencePolicyDraft { QuietHoursStart = "21:00" }, Admin));
        var empty = await Assert.ThrowsAsync<ValidationFailedException>(() => Audiences.SetPolicyAsync(tenant, new AudiencePolicyDraft { QuietHoursStart = "21:00", QuietHoursEnd = "21:00" }, Admin));
        var zone = await Assert.ThrowsAsync<ValidationFailedException>(() => Audiences.SetPolicyAsync(tenant, new AudiencePolicyDraft { DefaultTimeZone = "Mars/Olympus" }, Admin));

        Assert.Contains(halfWindow.Errors, e => e.Field == "quietHoursEnd");
        Assert.Contains(empty.Errors, e => e.Field == "quietHours");
        Assert.Contains(zone.Errors, e => e.Field == "defaultTimeZone");
        Assert.Null((await Audiences.GetPolicyAsync(tenant)).QuietHours);
        Assert.Empty(await AllAuditAsync(tenant));
    }

    /// <summary>Resolution reads the list in batches; every eligible member comes out once, in contact id order, even across a batch with none.</summary>
    [Fact]
    public async Task Resolution_pages_through_the_list_in_batches()
    {
        var services = CreateServices(Clock, o => o.AudienceBatchSize = 10);
        using var scope = services.CreateScope();
        var contacts = scope.ServiceProvider.GetRequiredService<IContactService>();
        var lists = scope.ServiceProvider.GetRequiredService<IListService>();
        var consents = scope.ServiceProvider.GetRequiredService<IConsentService>();
        var audiences = scope.ServiceProvider.GetRequiredService<IAudienceService>();
        var tenant = NewTenant();
        var list = await lists.CreateAsync(tenant, new ListDraft { Name = "Big" }, Admin);
        var ids = new List<ContactId>();
        for (var i = 0; i < 35; i++)
        {
            var contact = await contacts.CreateAsync(tenant, Plain($"C{i}"), Admin);
            await consents.GrantAsync(tenant, contact.Id, Email, FormEvidence, Admin);
            ids.Add(contact.Id);
        }

        await lists.AddMembersAsync(tenant, list.Id, ids, MembershipSource.Manual, Admin);
        var ordered = ids.Order().ToList();

        // The second batch of ten has no eligible member at all.
        foreach (var id in ordered.Skip(10).Take(10))
        {
            await consents.WithdrawAsync(tenant, id, Email, FormEvidence, Admin);
        }

        await lists.UnsubscribeAsync(tenant, list.Id, ordered[34], Admin);
        var resolved = new List<ContactId>();
        await foreach (var member in audiences.ResolveAudienceAsync(tenant, list.Id, Channel.Email))
        {
            resolved.Add(member.Contact.Id);
        }

        Assert.Equal([.. ordered.Take(10), .. ordered.Skip(20).Take(14)], resolved);
    }

    /// <summary>An explanation lists all nine rules in order, with what passed and what failed.</summary>
    [Fact]
    public async Task An_explanation_lists_every_rule_in_order()
    {
        var tenant = NewTenant();
        var list = await NewListAsync(tenant);
        var ada = await Contacts.CreateAsync(tenant, Plain("Ada", new ContactPreferencesDraft { Channels = new Dictionary<string, bool> { ["email"] = false } }) with { Status = ContactStatus.Inactive }, Admin);
        var bob = await MemberAsync(tenant, list, Plain("Bob"));
        var at = Day.AddHours(12);

        var explained = await Audiences.ExplainEligibilityAsync(tenant, ada.Id, list.Id, Channel.Email, at);
        var passed = await Audiences.ExplainEligibilityAsync(tenant, bob.Id, list.Id, Channel.Email, at);

        Assert.Equal(Enum.GetValues<AudienceRule>(), explained.Rules.Select(r => r.Rule));
        Assert.Equal(9, explained.Rules.Count);
        Assert.Equal((ada.Id, list.Id, Channel.Email, at), (explained.Contact, explained.List, explained.Channel, explained.At));
        Assert.False(explained.IsEligible);
        Assert.Equal([AudienceRule.Membership, AudienceRule.ContactStatus, AudienceRule.Consent, AudienceRule.ChannelPreference], explained.Failed.Select(r => r.Rule));
        Assert.All(explained.Rules, r => Assert.False(string.IsNullOrWhiteSpace(r.Detail)));
        Assert.Equal(Enum.GetValues<AudienceRule>(), passed.Rules.Select(r => r.Rule));
        Assert.True(passed.IsEligible);
        Assert.All(passed.Rules, r => Assert.True(r.Passed));
        await Assert.ThrowsAsync<EntityNotFoundException>(() => Audiences.ExplainEligibilityAsync(tenant, ContactId.New(Clock), list.Id, Channel.Email));
        await Assert.ThrowsAsync<EntityNotFoundException>(() => Audiences.ExplainEligibilityAsync(tenant, bob.Id, ListId.New(Clock), Channel.Email));
        await Assert.ThrowsAsync<EntityNotFoundException>(async () => await AudienceIdsAsync(tenant, ListId.New(Clock), Channel.Email));
        var other = NewTenant();
        var empty = await Lists.CreateAsync(other, new ListDraft { Name = "Empty" }, Admin);
        Assert.Empty(await AudienceIdsAsync(other, empty.Id, Channel.Email));
        await Assert.ThrowsAsync<EntityNotFoundException>(() => Audiences.ExplainEligibilityAsync(other, bob.Id, empty.Id, Channel.Email));
        await Assert.ThrowsAsync<EntityNotFoundException>(async () => await AudienceIdsAsync(other, list.Id, Channel.Email));
    }

    /// <summary>Sends are recorded without touching last-engagement times; interactions move the contact's and, through a list, the membership's.</summary>
    [Fact]
    public async Task Interactions_move_last_engagement_and_sends_do_not()
    {
        var tenant = NewTenant();
        var list = await NewListAsync(tenant);
        var ada = await MemberAsync(tenant, list, Plain("Ada"));
        var sentAt = Clock.GetUtcNow().AddHours(-3);
        var openedAt = Clock.GetUtcNow().AddHours(-2);

        var sent = await Engagements.RecordAsync(tenant, new EngagementDraft(ada.Id, Channel.Email, EngagementKind.Sent, list.Id, sentAt), Admin);

        Assert.Equal((tenant, ada.Id, Channel.Email, (ListId?)list.Id, EngagementKind.Sent, sentAt), (sent.Tenant, sent.ContactId, sent.Channel, sent.ListId, sent.Kind, sent.OccurredAt));
        Assert.Null((await Contacts.GetAsync(tenant, ada.Id)).LastEngagementAt);
        Assert.Null((await Lists.FindMembershipAsync(tenant, list.Id, ada.Id))!.LastEngagementAt);

        await Engagements.RecordAsync(tenant, new EngagementDraft(ada.Id, Channel.Email, EngagementKind.Opened, list.Id, openedAt), Admin);

        Assert.Equal(openedAt, (await Contacts.GetAsync(tenant, ada.Id)).LastEngagementAt);
        Assert.Equal(openedAt, (await Lists.FindMembershipAsync(tenant, list.Id, ada.Id))!.LastEngagementAt);
        var engaged = (await AllAuditAsync(tenant))[0];
        Assert.Equal(AuditActions.ContactEngaged, engaged.Action);
        Assert.Equal(ada.Id.ToString(), engaged.EntityId);

        // An older interaction, or one through no list, does not move the membership's time back or at all.
        var now = Clock.GetUtcNow();
        await Engagements.RecordAsync(tenant, new EngagementDraft(ada.Id, Channel.Email, EngagementKind.Clicked, list.Id, openedAt.AddMinutes(-30)), Admin);
        await Engagements.RecordAsync(tenant, new EngagementDraft(ada.Id, Channel.Sms, EngagementKind.Replied, null, now), Admin);

        var contact = await Contacts.GetAsync(tenant, ada.Id);
        Assert.Equal(now, contact.LastEngagementAt);
        Assert.Equal(openedAt, (await Lists.FindMembershipAsync(tenant, list.Id, ada.Id))!.LastEngagementAt);
        var events = await Engagements.GetAsync(tenant, ada.Id);
        Assert.Equal([EngagementKind.Replied, EngagementKind.Opened, EngagementKind.Clicked, EngagementKind.Sent], events.Select(e => e.Kind));
        Assert.Equal(2, (await Engagements.GetAsync(tenant, ada.Id, 2)).Count);
    }

    /// <summary>An interaction re-evaluates the contact's dynamic lists in the same call; a send does not make it engaged.</summary>
    [Fact]
    public async Task Interactions_keep_dynamic_lists_on_engagement_current()
    {
        var tenant = NewTenant();
        var ada = await Contacts.CreateAsync(tenant, Plain("Ada"), Admin);
        var bob = await Contacts.CreateAsync(tenant, Plain("Bob"), Admin);
        var engaged = await Lists.CreateAsync(tenant, new ListDraft { Name = "Engaged", Kind = ListKind.Dynamic, Criteria = Criteria.Parse("lastEngagementAt withinLast 30 days") }, Admin);

        await Engagements.RecordManyAsync(tenant, [
            new EngagementDraft(ada.Id, Channel.Email, EngagementKind.Clicked),
            new EngagementDraft(bob.Id, Channel.Email, EngagementKind.Sent),
        ], Admin);

        Assert.Equal([ada.Id], await ActiveMemberIdsAsync(tenant, engaged.Id));
        Assert.Equal(new ListRefreshResult(0, 0), await Lists.RefreshAsync(tenant, engaged.Id, Admin));
        var limit = await Assert.ThrowsAsync<ValidationFailedException>(() => Engagements.GetAsync(tenant, ada.Id, 0));
        Assert.Equal("limit", Assert.Single(limit.Errors).Field);
    }

    /// <summary>Many events are recorded all together; one naming an unknown contact fails the call, naming its position, and nothing is recorded.</summary>
    [Fact]
    public async Task Recording_many_events_is_all_or_nothing()
    {
        var tenant = NewTenant();
        var list = await NewListAsync(tenant);
        var ada = await MemberAsync(tenant, list, Plain("Ada"));
        var bob = await MemberAsync(tenant, list, Plain("Bob"));
        var at = Clock.GetUtcNow().AddMinutes(-10);
        var stranger = ContactId.New(Clock);

        var error = await Assert.ThrowsAsync<ValidationFailedException>(() => Engagements.RecordManyAsync(tenant, [
            new EngagementDraft(ada.Id, Channel.Email, EngagementKind.Opened, list.Id, at),
            new EngagementDraft(stranger, Channel.Email, EngagementKind.Sent, list.Id, at),
            new EngagementDraft(bob.Id, Channel.Email, EngagementKind.Clicked, ListId.New(Clock), at),
        ], Admin));

        Assert.Contains(error.Errors, e => e.Field == "engagements[1].contact");
        Assert.Contains(error.Errors, e => e.Field == "engagements[2].list");
        Assert.DoesNotContain(error.Errors, e => e.Field.StartsWith("engagements[0]", StringComparison.Ordinal));
        Assert.Empty(await Engagements.GetAsync(tenant, ada.Id));
        Assert.Empty(await Engagements.GetAsync(tenant, bob.Id));
        Assert.Null((await Contacts.GetAsync(tenant, ada.Id)).LastEngagementAt);
        Assert.Null((await Lists.FindMembershipAsync(tenant, list.Id, ada.Id))!.LastEngagementAt);
        var future = await Assert.ThrowsAsync<ValidationFailedException>(() => Engagements.RecordManyAsync(tenant, [
            new EngagementDraft(ada.Id, Channel.Email, EngagementKind.Sent, list.Id, at),
            new EngagementDraft(bob.Id, Channel.Email, EngagementKind.Opened, null, Clock.GetUtcNow().AddHours(1)),
        ], Admin));
        Assert.Equal("engagements[1].occurredAt", Assert.Single(future.Errors).Field);
        var unknownList = await Assert.ThrowsAsync<ValidationFailedException>(() => Engagements.RecordManyAsync(tenant, [
            new EngagementDraft(bob.Id, Channel.Email, EngagementKind.Clicked, ListId.New(Clock), at),
        ], Admin));
        Assert.Equal("engagements[0].list", Assert.Single(unknownList.Errors).Field);
        var both = await Assert.ThrowsAsync<ValidationFailedException>(() => Engagements.RecordManyAsync(tenant, [
            new EngagementDraft(ada.Id, Channel.Email, (EngagementKind)99, list.Id, at),
            new EngagementDraft(stranger, Channel.Email, EngagementKind.Sent, list.Id, at),
        ], Admin));
        Assert.Equal(["engagements[0].kind", "engagements[1].contact"], both.Errors.Select(e => e.Field).Order(StringComparer.Ordinal));
        Assert.Empty(await Engagements.GetAsync(tenant, ada.Id));

        var recorded = await Engagements.RecordManyAsync(tenant, [
            new EngagementDraft(ada.Id, Channel.Email, EngagementKind.Sent, list.Id, at),
            new EngagementDraft(bob.Id, Channel.Email, EngagementKind.Sent, list.Id, at),
            new EngagementDraft(bob.Id, Channel.Email, EngagementKind.Clicked, list.Id, at.AddMinutes(5)),
        ], Admin);

        Assert.Equal(3, recorded.Count);
        Assert.Single(await Engagements.GetAsync(tenant, ada.Id));
        Assert.Equal(2, (await Engagements.GetAsync(tenant, bob.Id)).Count);
        Assert.Null((await Contacts.GetAsync(tenant, ada.Id)).LastEngagementAt);
        Assert.Equal(at.AddMinutes(5), (await Contacts.GetAsync(tenant, bob.Id)).LastEngagementAt);
        Assert.Equal(at.AddMinutes(5), (await Lists.FindMembershipAsync(tenant, list.Id, bob.Id))!.LastEngagementAt);
    }
}
