using System.Globalization;
using FsCheck;
using FsCheck.Fluent;
using FsCheck.Xunit;
using static Datum.Contacts.Tests.ConsentManagement.ConsentTestData;

namespace Datum.Contacts.Tests.ConsentManagement;

public sealed class AudienceRulesTests
{
    private static readonly ListId List = new(Guid.CreateVersion7());

    /// <summary>Friday 2025-03-14, noon UTC.</summary>
    private static readonly DateTimeOffset At = new(2025, 3, 14, 12, 0, 0, TimeSpan.Zero);

    private static readonly Channel WhatsApp = Channel.Parse("whatsapp");

    private static readonly AudienceRule[] AllRules = Enum.GetValues<AudienceRule>();

    private static AudienceRules Rules(Channel? channel = null, AudiencePolicy? policy = null, DateTimeOffset? at = null)
        => new(policy ?? AudiencePolicy.Default(TestData.Tenant), List, channel ?? Channel.Email, at ?? At);

    private static AudiencePolicy Policy(QuietHours? quiet = null, string? zone = null)
        => new(TestData.Tenant, quiet, zone is null ? null : TimeZoneId.Parse(zone), TestData.Now);

    private static Contact ContactWith(ContactPreferencesDraft? preferences = null, string? email = "ada@example.com", string? phone = null, ContactStatus status = ContactStatus.Active, bool social = false)
        => TestData.NewContact(TestData.Draft() with
        {
            Email = email,
            Phone = phone,
            Status = status,
            Preferences = preferences,
            SocialProfiles = social ? new Dictionary<string, string> { ["mastodon"] = "@ada@example.social" } : null,
        });

    private static ListMembership Member(Contact contact, MembershipStatus status = MembershipStatus.Active, IReadOnlyDictionary<string, bool>? channels = null, ContactFrequency? frequency = null)
    {
        var membership = ListMembership.Create(TestData.Tenant, List, contact.Id, status, MembershipSource.Manual, TestData.Now);
        if (channels is not null || frequency is not null)
        {
            membership.Update(new MembershipDraft { Channels = channels, Frequency = frequency }, TestData.Now);
        }

        return membership;
    }

    private static SuppressionEntry Suppressed(SuppressionKind kind, string value)
        => new(TestData.Tenant, kind, value, SuppressionReason.HardBounce, null, TestData.Now, Actor.System);

    /// <summary>Facts about a contact that passes every rule on <paramref name="channel"/>.</summary>
    private static AudienceFacts Eligible(Contact contact, Channel channel)
        => new(contact, Member(contact), Granted(contact.Id, channel).State, null, null, null, null);

    private static AudienceFacts Eligible(Channel? channel = null) => Eligible(ContactWith(phone: "+14155550123", social: true), channel ?? Channel.Email);

    private static IReadOnlyList<AudienceRule> FailedRules(AudienceRules rules, AudienceFacts facts) => [.. rules.Explain(facts).Failed.Select(r => r.Rule)];

    [Fact]
    public void A_contact_passing_every_rule_is_eligible_and_the_explanation_lists_all_nine_rules_in_order()
    {
        var rules = Rules();
        var facts = Eligible();

        var explanation = rules.Explain(facts);

        Assert.True(rules.Evaluate(facts, null));
        Assert.True(explanation.IsEligible);
        Assert.Empty(explanation.Failed);
        Assert.Equal(AllRules, explanation.Rules.Select(r => r.Rule));
        Assert.Equal((facts.Contact.Id, List, Channel.Email, At), (explanation.Contact, explanation.List, explanation.Channel, explanation.At));
        Assert.All(explanation.Rules, r => Assert.False(string.IsNullOrWhiteSpace(r.Detail)));
    }

    public static TheoryData<string> FailingCases() =>
    [
        "not on the list", "membership unsubscribed", "membership pending",
        "contact inactive", "contact unsubscribed",
        "no email address",
        "email suppressed", "domain suppressed",
        "no channel consent", "channel consent never recorded", "channel consent pending", "channel consent withdrawn",
        "list consent withdrawn", "list consent pending",
        "channel off in preferences", "channel off for this list",
        "daily cap reached", "list's weekly cap reached",
        "contact's quiet hours", "tenant's quiet hours",
    ];

    private static (AudienceRule Rule, AudienceFacts Facts, AudienceRules Rules) Failing(string name)
    {
        var contact = ContactWith();
        var eligible = Eligible(contact, Channel.Email);
        return name switch
        {
            "not on the list" => (AudienceRule.Membership, eligible with { Membership = null }, Rules()),
            "membership unsubscribed" => (AudienceRule.Membership, eligible with { Membership = Member(contact, MembershipStatus.Unsubscribed) }, Rules()),
            "membership pending" => (AudienceRule.Membership, eligible with { Membership = Member(contact, MembershipStatus.Pending) }, Rules()),
            "contact inactive" => (AudienceRule.ContactStatus, Eligible(ContactWith(status: ContactStatus.Inactive), Channel.Email), Rules()),
            "contact unsubscribed" => (AudienceRule.ContactStatus, Eligible(ContactWith(status: ContactStatus.Unsubscribed), Channel.Email), Rules()),
            "no email address" => (AudienceRule.Address, Eligible(ContactWith(email: null, phone: "+14155550123"), Channel.Email), Rules()),
            "email suppressed" => (AudienceRule.Suppression, eligible with { Suppression = Suppressed(SuppressionKind.Email, "ada@example.com") }, Rules()),
            "domain suppressed" => (AudienceRule.Suppression, eligible with { Suppression = Suppressed(SuppressionKind.EmailDomain, "example.com") }, Rules()),
            "no channel consent" => (AudienceRule.Consent, eligible with { ChannelConsent = null }, Rules()),
            "channel consent never recorded" => (AudienceRule.Consent, eligible with { ChannelConsent = Consent.New(TestData.Tenant, contact.Id, new ConsentScope(Channel.Email, null), TestData.Now).State }, Rules()),
            "channel consent pending" => (AudienceRule.Consent, eligible with { ChannelConsent = Pending(contact.Id, Channel.Email).State }, Rules()),
            "channel consent withdrawn" => (AudienceRule.Consent, eligible with { ChannelConsent = Withdrawn(contact.Id, Channel.Email).State }, Rules()),
            "list consent withdrawn" => (AudienceRule.ListConsent, eligible with { ListConsent = Withdrawn(contact.Id, Channel.Email, List).State }, Rules()),
            "list consent pending" => (AudienceRule.ListConsent, eligible with { ListConsent = Pending(contact.Id, Channel.Email, List).State }, Rules()),
            "channel off in preferences" => (AudienceRule.ChannelPreference, Eligible(ContactWith(new ContactPreferencesDraft { Channels = new Dictionary<string, bool> { ["email"] = false } }), Channel.Email), Rules()),
            "channel off for this list" => (AudienceRule.ChannelPreference, eligible with { Membership = Member(contact, channels: new Dictionary<string, bool> { ["email"] = false }) }, Rules()),
            "daily cap reached" => (AudienceRule.FrequencyCap, Eligible(ContactWith(new ContactPreferencesDraft { Frequency = ContactFrequency.Daily }), Channel.Email) with { LatestSendOnChannel = At.AddHours(-1) }, Rules()),
            "list's weekly cap reached" => (AudienceRule.FrequencyCap, eligible with { Membership = Member(contact, frequency: ContactFrequency.Weekly), LatestSendThroughList = At.AddDays(-6) }, Rules()),
            "contact's quiet hours" => (AudienceRule.QuietHours, Eligible(ContactWith(new ContactPreferencesDraft { QuietHoursStart = "11:00", QuietHoursEnd = "13:00" }), Channel.Email), Rules()),
            "tenant's quiet hours" => (AudienceRule.QuietHours, eligible, Rules(policy: Policy(QuietHours.Create(new TimeOnly(12, 0), new TimeOnly(12, 1))))),
            _ => throw new ArgumentOutOfRangeException(nameof(name), name, "unknown case"),
        };
    }

    [Theory]
    [MemberData(nameof(FailingCases))]
    public void A_contact_failing_one_rule_is_not_eligible_and_the_explanation_names_that_rule_only(string name)
    {
        var (rule, facts, rules) = Failing(name);

        var explanation = rules.Explain(facts);

        Assert.False(rules.Evaluate(facts, null));
        Assert.False(explanation.IsEligible);
        Assert.Equal([rule], explanation.Failed.Select(r => r.Rule));
        Assert.Equal(AllRules, explanation.Rules.Select(r => r.Rule));
    }

    [Fact]
    public void A_contact_failing_several_rules_has_each_of_them_explained()
    {
        var contact = ContactWith(new ContactPreferencesDraft { Channels = new Dictionary<string, bool> { ["email"] = false } }, status: ContactStatus.Inactive);
        var facts = new AudienceFacts(contact, null, null, null, Suppressed(SuppressionKind.Email, "ada@example.com"), null, null);

        var explanation = Rules().Explain(facts);

        Assert.Equal([AudienceRule.Membership, AudienceRule.ContactStatus, AudienceRule.Suppression, AudienceRule.Consent, AudienceRule.ChannelPreference], explanation.Failed.Select(r => r.Rule));
        Assert.Equal(
            [
                "not on the list",
                "contact status is Inactive",
                "has an email address",
                "suppressed: Email ada@example.com (HardBounce)",
                "email consent is None",
                "no consent scoped to this list",
                "email off in the contact's preferences",
                "no frequency cap",
                "no quiet hours",
            ],
            explanation.Rules.Select(r => r.Detail));
    }

    [Fact]
    public void A_granted_list_consent_passes()
    {
        var facts = Eligible();

        Assert.True(Rules().Evaluate(facts with { ListConsent = Granted(facts.Contact.Id, Channel.Email, List).State }, null));
    }

    [Fact]
    public void A_list_switching_a_channel_on_wins_over_the_contact_switching_it_off()
    {
        var contact = ContactWith(new ContactPreferencesDraft { Channels = new Dictionary<string, bool> { ["email"] = false } });
        var facts = Eligible(contact, Channel.Email) with { Membership = Member(contact, channels: new Dictionary<string, bool> { ["email"] = true }) };

        var explanation = Rules().Explain(facts);

        Assert.True(explanation.IsEligible);
        Assert.Equal("email switched on for this list", explanation.Rules.Single(r => r.Rule == AudienceRule.ChannelPreference).Detail);
    }

    [Fact]
    public void A_channel_switched_off_for_another_channel_does_not_matter()
    {
        var contact = ContactWith(new ContactPreferencesDraft { Channels = new Dictionary<string, bool> { ["sms"] = false } });

        Assert.True(Rules().Evaluate(Eligible(contact, Channel.Email) with { Membership = Member(contact, channels: new Dictionary<string, bool> { ["social"] = false }) }, null));
    }

    [Theory]
    [InlineData("sms", false, true, false)]
    [InlineData("sms", true, false, true)]
    [InlineData("social", true, true, false)]
    [InlineData("social", true, false, true)]
    [InlineData("email", false, true, true)]
    public void The_address_rule_asks_for_a_phone_for_sms_and_a_profile_for_social(string channelName, bool withEmail, bool withPhone, bool withSocial)
    {
        var channel = Channel.Parse(channelName);
        var contact = ContactWith(email: withEmail ? "ada@example.com" : null, phone: withPhone ? "+14155550123" : null, social: withSocial);
        var expected = channel == Channel.Email ? withEmail : channel == Channel.Sms ? withPhone : withSocial;

        var failed = FailedRules(Rules(channel), Eligible(contact, channel));

        Assert.Equal(expected ? [] : [AudienceRule.Address], failed);
    }

    [Fact]
    public void A_tenant_defined_channel_passes_the_address_rule_and_leaves_the_address_to_the_host()
    {
        var contact = ContactWith(email: null, phone: "+14155550123");

        var explanation = Rules(WhatsApp).Explain(Eligible(contact, WhatsApp));

        Assert.True(explanation.IsEligible);
        var address = explanation.Rules.Single(r => r.Rule == AudienceRule.Address);
        Assert.True(address.Passed);
        Assert.Equal("whatsapp is a tenant-defined channel: its address is the host's to check", address.Detail);
    }

    [Fact]
    public void A_tenant_defined_channel_needs_its_own_consent()
    {
        var contact = ContactWith();

        var explanation = Rules(WhatsApp).Explain(Eligible(contact, WhatsApp) with { ChannelConsent = null });

        Assert.Equal([AudienceRule.Consent], explanation.Failed.Select(r => r.Rule));
        Assert.Equal("whatsapp consent is None", explanation.Failed.Single().Detail);
    }

    // ----------------------------------------------------------------------------------------------------
    // Frequency and time zones.
    // ----------------------------------------------------------------------------------------------------

    [Theory]
    [InlineData(ContactFrequency.Daily, "2025-01-31", "2025-02-01")]
    [InlineData(ContactFrequency.Daily, "2024-12-31", "2025-01-01")]
    [InlineData(ContactFrequency.Weekly, "2025-01-31", "2025-02-07")]
    [InlineData(ContactFrequency.Weekly, "2024-02-26", "2024-03-04")]
    [InlineData(ContactFrequency.Monthly, "2025-01-31", "2025-02-28")]
    [InlineData(ContactFrequency.Monthly, "2024-01-31", "2024-02-29")]
    [InlineData(ContactFrequency.Monthly, "2025-03-31", "2025-04-30")]
    [InlineData(ContactFrequency.Monthly, "2025-12-15", "2026-01-15")]
    [InlineData(ContactFrequency.Quarterly, "2025-01-31", "2025-04-30")]
    [InlineData(ContactFrequency.Quarterly, "2024-11-30", "2025-02-28")]
    [InlineData(ContactFrequency.Quarterly, "2025-10-01", "2026-01-01")]
    public void The_next_allowed_local_date_follows_the_calendar(ContactFrequency frequency, string last, string expected)
    {
        var next = AudienceRules.NextAllowed(DateOnly.Parse(last, CultureInfo.InvariantCulture), frequency);

        Assert.Equal(DateOnly.Parse(expected, CultureInfo.InvariantCulture), next);
    }

    [Theory]
    [InlineData("2025-02-27T23:59:59Z", false)]
    [InlineData("2025-02-28T00:00:00Z", true)]
    [InlineData("2025-03-01T12:00:00Z", true)]
    public void A_monthly_cap_after_a_send_on_january_31_opens_on_february_28(string at, bool expected)
    {
        var contact = ContactWith(new ContactPreferencesDraft { Frequency = ContactFrequency.Monthly });
        var facts = Eligible(contact, Channel.Email) with { LatestSendOnChannel = new DateTimeOffset(2025, 1, 31, 18, 0, 0, TimeSpan.Zero) };

        var explanation = Rules(at: DateTimeOffset.Parse(at, CultureInfo.InvariantCulture)).Explain(facts);

        Assert.Equal(expected, explanation.IsEligible);
        Assert.Equal("Monthly cap: last sent 2025-01-31 in UTC, next allowed 2025-02-28", explanation.Rules.Single(r => r.Rule == AudienceRule.FrequencyCap).Detail);
    }

    [Fact]
    public void A_cap_with_nothing_sent_yet_passes()
    {
        var contact = ContactWith(new ContactPreferencesDraft { Frequency = ContactFrequency.Daily });

        var explanation = Rules().Explain(Eligible(contact, Channel.Email));

        Assert.True(explanation.IsEligible);
        Assert.Equal("Daily cap: nothing sent yet", explanation.Rules.Single(r => r.Rule == AudienceRule.FrequencyCap).Detail);
    }

    [Fact]
    public void A_daily_cap_counts_days_in_the_contacts_time_zone()
    {
        // 03:00Z is 23:00 the day before in New York (EDT), and 05:00Z is 01:00 the next day there: a new day in New York, the same day in UTC.
        var lastSend = new DateTimeOffset(2025, 3, 14, 3, 0, 0, TimeSpan.Zero);
        var at = new DateTimeOffset(2025, 3, 14, 5, 0, 0, TimeSpan.Zero);
        var newYorker = ContactWith(new ContactPreferencesDraft { Frequency = ContactFrequency.Daily, TimeZone = "America/New_York" });
        var inUtc = ContactWith(new ContactPreferencesDraft { Frequency = ContactFrequency.Daily });

        var newYork = Rules(at: at).Explain(Eligible(newYorker, Channel.Email) with { LatestSendOnChannel = lastSend });
        var utc = Rules(at: at).Explain(Eligible(inUtc, Channel.Email) with { LatestSendOnChannel = lastSend });
        var tenantInNewYork = Rules(at: at, policy: Policy(zone: "America/New_York")).Explain(Eligible(inUtc, Channel.Email) with { LatestSendOnChannel = lastSend });

        Assert.True(newYork.IsEligible);
        Assert.Equal("Daily cap: last sent 2025-03-13 in America/New_York, next allowed 2025-03-14", newYork.Rules.Single(r => r.Rule == AudienceRule.FrequencyCap).Detail);
        Assert.Equal([AudienceRule.FrequencyCap], utc.Failed.Select(r => r.Rule));
        Assert.True(tenantInNewYork.IsEligible);
    }

    [Fact]
    public void The_contacts_time_zone_wins_over_the_tenants_default()
    {
        var lastSend = new DateTimeOffset(2025, 3, 14, 3, 0, 0, TimeSpan.Zero);
        var at = new DateTimeOffset(2025, 3, 14, 5, 0, 0, TimeSpan.Zero);
        var inUtc = ContactWith(new ContactPreferencesDraft { Frequency = ContactFrequency.Daily, TimeZone = "UTC" });

        var failed = FailedRules(Rules(at: at, policy: Policy(zone: "America/New_York")), Eligible(inUtc, Channel.Email) with { LatestSendOnChannel = lastSend });

        Assert.Equal([AudienceRule.FrequencyCap], failed);
    }

    [Fact]
    public void A_lists_frequency_counts_sends_through_the_list_and_the_contacts_counts_every_send_on_the_channel()
    {
        var contact = ContactWith(new ContactPreferencesDraft { Frequency = ContactFrequency.Daily });
        var recentOnChannel = Eligible(contact, Channel.Email) with { LatestSendOnChannel = At.AddHours(-1), LatestSendThroughList = At.AddDays(-8) };

        var withListFrequency = Rules().Explain(recentOnChannel with { Membership = Member(contact, frequency: ContactFrequency.Weekly) });
        var withContactFrequency = Rules().Explain(recentOnChannel);

        Assert.True(withListFrequency.IsEligible);
        Assert.Equal("Weekly cap (this list's): last sent 2025-03-06 in UTC, next allowed 2025-03-13", withListFrequency.Rules.Single(r => r.Rule == AudienceRule.FrequencyCap).Detail);
        Assert.Equal([AudienceRule.FrequencyCap], withContactFrequency.Failed.Select(r => r.Rule));
    }

    [Fact]
    public void Quiet_hours_are_read_in_the_contacts_time_zone()
    {
        // 23:00Z is 19:00 in New York (EDT): inside 21:00-08:00 in UTC, outside it in New York.
        var at = new DateTimeOffset(2025, 3, 14, 23, 0, 0, TimeSpan.Zero);
        var quiet = new ContactPreferencesDraft { QuietHoursStart = "21:00", QuietHoursEnd = "08:00" };

        var newYork = Rules(at: at).Explain(Eligible(ContactWith(quiet with { TimeZone = "America/New_York" }), Channel.Email));
        var utc = Rules(at: at).Explain(Eligible(ContactWith(quiet), Channel.Email));

        Assert.True(newYork.IsEligible);
        Assert.Equal("local time 19:00 in America/New_York is outside quiet hours 21:00-08:00 (contact's)", newYork.Rules.Single(r => r.Rule == AudienceRule.QuietHours).Detail);
        Assert.Equal("local time 23:00 in UTC is inside quiet hours 21:00-08:00 (contact's)", utc.Rules.Single(r => r.Rule == AudienceRule.QuietHours).Detail);
        Assert.Equal([AudienceRule.QuietHours], utc.Failed.Select(r => r.Rule));
    }

    [Fact]
    public void The_contacts_quiet_hours_replace_the_tenants()
    {
        var tenantDaytime = Policy(QuietHours.Create(new TimeOnly(9, 0), new TimeOnly(17, 0)));
        var nightOwl = ContactWith(new ContactPreferencesDraft { QuietHoursStart = "22:00", QuietHoursEnd = "06:00" });

        var withOwn = Rules(policy: tenantDaytime).Explain(Eligible(nightOwl, Channel.Email));
        var withTenants = Rules(policy: tenantDaytime).Explain(Eligible());

        Assert.True(withOwn.IsEligible);
        Assert.Equal([AudienceRule.QuietHours], withTenants.Failed.Select(r => r.Rule));
        Assert.Equal("local time 12:00 in UTC is inside quiet hours 09:00-17:00 (tenant's)", withTenants.Rules.Single(r => r.Rule == AudienceRule.QuietHours).Detail);
    }

    // ----------------------------------------------------------------------------------------------------
    // Property: the fast path and the explanation always agree.
    // ----------------------------------------------------------------------------------------------------

    private static readonly string?[] Zones = [null, "UTC", "America/New_York", "Europe/Paris", "Asia/Kolkata", "Pacific/Chatham"];

    private static readonly (string Start, string End)?[] Windows = [null, ("21:00", "08:00"), ("09:00", "17:00"), ("00:00", "06:30"), ("12:00", "12:01")];

    private static readonly Channel[] Channels = [Channel.Email, Channel.Sms, Channel.Social, WhatsApp];

    private static Gen<T?> OrNull<T>(Gen<T> gen)
        where T : struct => Gen.Frequency((1, Gen.Constant<T?>(null)), (2, gen.Select(v => (T?)v)));

    private static Gen<IReadOnlyDictionary<string, bool>?> ChannelSwitches() =>
        from count in Gen.Choose(0, 3)
        from names in Gen.Elements("email", "sms", "social", "whatsapp").ArrayOf(count)
        from values in Gen.Elements(true, false).ArrayOf(count)
        select count == 0 ? null : (IReadOnlyDictionary<string, bool>?)names.Zip(values).DistinctBy(p => p.First).ToDictionary(p => p.First, p => p.Second);

    /// <summary>Weighted so that about one case in twenty is eligible: 0 none, 1 never recorded, 2 pending, 3 granted, 4 withdrawn.</summary>
    private static Gen<ConsentState?> ConsentFor(ContactId contact, Channel channel, ListId? list, int noneWeight, int grantedWeight) =>
        Gen.Frequency((noneWeight, Gen.Constant(0)), (1, Gen.Constant(1)), (1, Gen.Constant(2)), (grantedWeight, Gen.Constant(3)), (1, Gen.Constant(4))).Select(state => state switch
        {
            0 => (Consent?)null,
            1 => Consent.New(TestData.Tenant, contact, new ConsentScope(channel, list), TestData.Now),
            2 => Pending(contact, channel, list),
            3 => Granted(contact, channel, list),
            _ => Withdrawn(contact, channel, list),
        }).Select(consent => consent?.State);

    private sealed record Case(AudienceRules Rules, AudienceFacts Facts)
    {
        public override string ToString()
        {
            var (c, m) = (Facts.Contact, Facts.Membership);
            return $"channel {Rules.Channel} at {Rules.At:O}; contact {c.Status} email {c.Email} phone {c.Phone} social {c.SocialProfiles.Count} "
                + $"prefs [{string.Join(",", c.Preferences.Channels.Select(p => $"{p.Key}:{p.Value}"))}] {c.Preferences.Frequency} {c.Preferences.TimeZone} {c.Preferences.QuietHours}; "
                + $"membership {m?.Status} [{string.Join(",", m?.ChannelOverrides.Select(p => $"{p.Key}:{p.Value}") ?? [])}] {m?.FrequencyOverride}; "
                + $"consent {Facts.ChannelConsent} list {Facts.ListConsent} suppressed {Facts.Suppression?.Kind}; sends {Facts.LatestSendOnChannel:O} {Facts.LatestSendThroughList:O}";
        }
    }

    private static Gen<Case> Cases() =>
        from channel in Gen.Elements(Channels)
        from status in Gen.Frequency((4, Gen.Constant(ContactStatus.Active)), (1, Gen.Constant(ContactStatus.Inactive)), (1, Gen.Constant(ContactStatus.Unsubscribed)))
        from addresses in Gen.Elements<(string? Email, string? Phone)>(("ada@example.com", null), (null, "+14155550123"), ("ada@example.com", "+14155550123"))
        from social in Gen.Elements(false, true)
        from switches in ChannelSwitches()
        from frequency in OrNull(Gen.Elements(Enum.GetValues<ContactFrequency>()))
        from zone in Gen.Elements(Zones)
        from window in Gen.Elements(Windows)
        let contact = ContactWith(
            new ContactPreferencesDraft { Channels = switches, Frequency = frequency, TimeZone = zone, QuietHoursStart = window?.Start, QuietHoursEnd = window?.End },
            addresses.Email,
            addresses.Phone,
            status,
            social)
        from membershipStatus in OrNull(Gen.Frequency((4, Gen.Constant(MembershipStatus.Active)), (1, Gen.Constant(MembershipStatus.Pending)), (1, Gen.Constant(MembershipStatus.Unsubscribed))))
        from overrides in ChannelSwitches()
        from listFrequency in OrNull(Gen.Elements(Enum.GetValues<ContactFrequency>()))
        let membership = membershipStatus is { } ms ? Member(contact, ms, overrides, listFrequency) : null
        from channelConsent in ConsentFor(contact.Id, channel, null, noneWeight: 1, grantedWeight: 5)
        from listConsent in ConsentFor(contact.Id, channel, List, noneWeight: 6, grantedWeight: 2)
        from suppressed in Gen.Frequency((3, Gen.Constant(false)), (1, Gen.Constant(true)))
        from atMinutes in Gen.Choose(0, 366 * 24 * 60)
        let at = new DateTimeOffset(2025, 1, 1, 0, 0, 0, TimeSpan.Zero).AddMinutes(atMinutes)
        from channelSendAgo in OrNull(Gen.Choose(0, 120 * 24 * 60))
        from listSendAgo in OrNull(Gen.Choose(0, 120 * 24 * 60))
        from policyWindow in Gen.Elements(Windows)
        from policyZone in Gen.Elements(Zones)
        let policy = Policy(policyWindow is { } w ? QuietHours.Create(TimeOnly.Parse(w.Start, CultureInfo.InvariantCulture), TimeOnly.Parse(w.End, CultureInfo.InvariantCulture)) : null, policyZone)
        select new Case(
            new AudienceRules(policy, List, channel, at),
            new AudienceFacts(
                contact,
                membership,
                channelConsent,
                listConsent,
                suppressed ? Suppressed(SuppressionKind.Email, "ada@example.com") : null,
                channelSendAgo is { } c ? at.AddMinutes(-c) : null,
                listSendAgo is { } l ? at.AddMinutes(-l) : null));

    [Property(MaxTest = 2_000)]
    public Property Evaluating_without_an_explanation_always_agrees_with_the_explanation()
        => Prop.ForAll(Cases().ToArbitrary(), c =>
        {
            var explanation = c.Rules.Explain(c.Facts);
            var recorded = new List<RuleResult>();
            var withList = c.Rules.Evaluate(c.Facts, recorded);
            return c.Rules.Evaluate(c.Facts, null) == explanation.IsEligible
                && withList == explanation.IsEligible
                && recorded.SequenceEqual(explanation.Rules)
                && explanation.Rules.Select(r => r.Rule).SequenceEqual(AllRules);
        });

    [Fact]
    public void The_generated_audience_cases_reach_both_outcomes()
    {
        // The generator must reach both outcomes, or the property above proves little.
        var eligible = Cases().Sample(2_000).Count(c => c.Rules.Explain(c.Facts).IsEligible);

        Assert.InRange(eligible, 1, 1_999);
    }
}
