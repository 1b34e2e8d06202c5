using FsCheck;
using FsCheck.Fluent;
using FsCheck.Xunit;
using Xunit;

namespace Datum.Contacts.Specification.Tests;

/// <summary>
/// Audiences under random populations (FsCheck): contacts with or without an email address, of any status, with random
/// preferences (channel switch, frequency, time zone, quiet hours), channel-wide and list-scoped consents in every
/// state, memberships of every status with channel and frequency overrides, suppressions of addresses, domains and
/// phones, a history of sends at random times, and a random tenant policy. The resolved audience is exactly the
/// contacts whose explanation is eligible, and every rule of every explanation agrees with a model computed here.
/// </summary>
/// <remarks>
/// The model reads only the scenario, never the library's rules. Each scenario builds a population, so 50 cases
/// (fewer than the suite's other properties) keep it quick; an adapter over a slow store may set fewer with
/// <c>[Properties(MaxTest = 30)]</c> on its subclass.
/// </remarks>
[Properties(MaxTest = 50)]
public abstract class ConsentPropertySpecification : ContactManagementSpecification
{
    private static readonly string[] Domains = ["alpha.example", "beta.example", "gamma.example"];
    private static readonly string?[] Zones = [null, "America/New_York", "Asia/Tokyo", "Europe/Paris"];
    private static readonly (TimeOnly Start, TimeOnly End)?[] Windows = [null, (new(21, 0), new(8, 0)), (new(12, 0), new(14, 0)), (new(6, 0), new(22, 0))];
    private static readonly ContactFrequency?[] Frequencies = [null, ContactFrequency.Daily, ContactFrequency.Weekly];
    private static readonly bool?[] Switches = [null, true, false];
    private static readonly ContactStatus[] Statuses = [ContactStatus.Active, ContactStatus.Inactive, ContactStatus.Unsubscribed];
    private static readonly ConsentState[] States = [ConsentState.None, ConsentState.Pending, ConsentState.Granted, ConsentState.Withdrawn];
    private static readonly MembershipStatus?[] Memberships = [null, MembershipStatus.Active, MembershipStatus.Pending, MembershipStatus.Unsubscribed];

    /// <summary>The tenant policies: none, quiet at night in Paris for contacts without a zone, quiet at night in UTC.</summary>
    private static readonly (string? Start, string? End, string? Zone)[] Policies = [(null, null, null), ("21:00", "08:00", "Europe/Paris"), ("22:00", "06:00", null)];

    /// <summary>The resolved audience is exactly the members whose explanation is eligible, and every explanation matches the model rule by rule.</summary>
    /// <returns>The property.</returns>
    [Property]
    public Property The_audience_is_exactly_the_contacts_whose_explanation_is_eligible()
    {
        static Gen<int> Mostly(int value, int max) => Gen.Frequency((4, Gen.Constant(value)), (1, Gen.Choose(0, max)));
        var send =
            from hoursAgo in Gen.Choose(0, 240)
            from minutes in Gen.Choose(0, 59)
            from sms in Gen.Frequency((3, Gen.Constant(false)), (1, Gen.Constant(true)))
            from through in Gen.Choose(0, 2)
            select new SendSpec(hoursAgo, minutes, sms, through);
        var person =
            from hasEmail in Gen.Frequency((5, Gen.Constant(true)), (1, Gen.Constant(false)))
            from hasPhone in Gen.Elements(true, false)
            from domain in Gen.Choose(0, Domains.Length - 1)
            from status in Mostly(0, Statuses.Length - 1)
            from channelSwitch in Mostly(0, Switches.Length - 1)
            from frequency in Gen.Choose(0, Frequencies.Length - 1)
            from zone in Gen.Choose(0, Zones.Length - 1)
            from window in Mostly(0, Windows.Length - 1)
            from consent in Mostly(2, States.Length - 1)
            from listConsent in Mostly(0, States.Length - 1)
            from noise in Gen.Choose(0, 3)
            from membership in Mostly(1, Memberships.Length - 1)
            from overrideSwitch in Mostly(0, Switches.Length - 1)
            from overrideFrequency in Mostly(0, Frequencies.Length - 1)
            from suppression in Gen.Frequency((4, Gen.Constant(0)), (1, Gen.Choose(1, 3)))
            from sends in Gen.ArrayOf(send)
            select new PersonSpec(hasEmail, hasPhone || !hasEmail, domain, status, channelSwitch, frequency, zone, window, consent, listConsent, noise, membership, overrideSwitch, overrideFrequency, suppression, [.. sends.Take(3)]);
        var scenarios =
            from count in Gen.Choose(1, 6)
            from people in Gen.ArrayOf(person, count)
            from policy in Gen.Choose(0, Policies.Length - 1)
            from atHours in Gen.Choose(0, 36)
            from atMinutes in Gen.Choose(0, 59)
            select new Scenario(people, policy, atHours, atMinutes);

        return Prop.ForAll(scenarios.ToArbitrary(), scenario => RunAsync(scenario).GetAwaiter().GetResult());
    }

    private async Task RunAsync(Scenario scenario)
    {
        var tenant = NewTenant();
        var target = await Lists.CreateAsync(tenant, new ListDraft { Name = "Target" }, Admin);
        var other = await Lists.CreateAsync(tenant, new ListDraft { Name = "Other" }, Admin);
        var now = Clock.GetUtcNow();
        var at = now.AddHours(scenario.AtHours).AddMinutes(scenario.AtMinutes);
        var people = new List<Person>();
        var sends = new List<EngagementDraft>();
        for (var i = 0; i < scenario.People.Length; i++)
        {
            var spec = scenario.People[i];
            people.Add(await CreateAsync(tenant, target, other, spec, i));
            foreach (var s in spec.Sends)
            {
                var through = s.Through switch { 1 => target.Id, 2 => (ListId?)other.Id, _ => null };
                sends.Add(new EngagementDraft(people[^1].Contact.Id, s.Sms ? Channel.Sms : Channel.Email, EngagementKind.Sent, through, now.AddHours(-s.HoursAgo).AddMinutes(-s.Minutes)));
            }
        }

        if (sends.Count > 0)
        {
            await Engagements.RecordManyAsync(tenant, sends, Admin);
        }

        // Suppressions last: consents cannot be given to a suppressed contact.
        var suppressed = new HashSet<(SuppressionKind, string)>();
        foreach (var p in people)
        {
            var entry = p.Spec.Suppression switch
            {
                1 when p.Email is not null => (SuppressionKind.Email, p.Email),
                2 when p.Email is not null => (SuppressionKind.EmailDomain, Domains[p.Spec.Domain]),
                3 when p.Phone is not null => (SuppressionKind.Phone, p.Phone),
                _ => ((SuppressionKind, string)?)null,
            };
            if (entry is { } e)
            {
                await Suppressions.AddAsync(tenant, new SuppressionDraft { Kind = e.Item1, Value = e.Item2 }, Admin);
                suppressed.Add(e);
            }
        }

        var policy = Policies[scenario.Policy];
        if (policy.Start is not null || policy.Zone is not null)
        {
            await Audiences.SetPolicyAsync(tenant, new AudiencePolicyDraft { QuietHoursStart = policy.Start, QuietHoursEnd = policy.End, DefaultTimeZone = policy.Zone }, Admin);
        }

        var resolved = await AudienceIdsAsync(tenant, target.Id, Channel.Email, at);

        Assert.Equal(resolved.Distinct().Order(), resolved);
        var explainedEligible = new List<ContactId>();
        foreach (var p in people)
        {
            var explained = await Audiences.ExplainEligibilityAsync(tenant, p.Contact.Id, target.Id, Channel.Email, at);
            var model = Model(p, sends, suppressed, policy, target.Id, at);
            Assert.Equal(Enum.GetValues<AudienceRule>(), explained.Rules.Select(r => r.Rule));
            foreach (var result in explained.Rules)
            {
                Assert.True(model[result.Rule] == result.Passed, $"{result.Rule}: the model says {(model[result.Rule] ? "pass" : "fail")}, the explanation '{result.Detail}' for {p.Spec}.");
            }

            if (explained.IsEligible)
            {
                explainedEligible.Add(p.Contact.Id);
            }
        }

        Assert.Equal(explainedEligible.Order(), resolved);
    }

    private async Task<Person> CreateAsync(TenantId tenant, ContactList target, ContactList other, PersonSpec spec, int index)
    {
        var email = spec.HasEmail ? $"p{index}.{Guid.NewGuid():N}@{Domains[spec.Domain]}" : null;
        var phone = spec.HasPhone ? $"+1415555{index:0000}" : null;
        var window = Windows[spec.Window];
        var channelSwitch = Switches[spec.ChannelSwitch];
        var channels = new Dictionary<string, bool> { ["sms"] = spec.Noise % 2 == 0 };
        if (channelSwitch is { } on)
        {
            channels["email"] = on;
        }

        var contact = await Contacts.CreateAsync(tenant, new ContactDraft
        {
            FirstName = $"P{index}",
            Email = email,
            Phone = phone,
            Preferences = new ContactPreferencesDraft
            {
                Channels = channels,
                Frequency = Frequencies[spec.Frequency],
                TimeZone = Zones[spec.Zone],
                QuietHoursStart = window?.Start.ToString("HH:mm", System.Globalization.CultureInfo.InvariantCulture),
                QuietHoursEnd = window?.End.ToString("HH:mm", System.Globalization.CultureInfo.InvariantCulture),
            },
        }, Admin);
        await SetConsentAsync(tenant, contact.Id, new ConsentScope(Channel.Email, null), States[spec.Consent]);
        await SetConsentAsync(tenant, contact.Id, new ConsentScope(Channel.Email, target.Id), States[spec.ListConsent]);

        // Consents the audience of the target list on email must ignore.
        await SetConsentAsync(tenant, contact.Id, new ConsentScope(Channel.Email, other.Id), spec.Noise < 2 ? ConsentState.Withdrawn : ConsentState.Granted);
        await SetConsentAsync(tenant, contact.Id, new ConsentScope(Channel.Sms, null), spec.Noise % 2 == 0 ? ConsentState.Granted : ConsentState.Withdrawn);

        var status = Statuses[spec.Status];
        if (status != ContactStatus.Active)
        {
            await Contacts.PatchAsync(tenant, contact.Id, new ContactPatch { Status = status }, null, Admin);
        }

        var membership = Memberships[spec.Membership];
        if (membership is { } joined)
        {
            await Lists.AddMembersAsync(tenant, target.Id, [contact.Id], MembershipSource.Manual, joined == MembershipStatus.Pending ? MembershipStatus.Pending : MembershipStatus.Active, Admin);
            if (joined == MembershipStatus.Unsubscribed)
            {
                await Lists.UnsubscribeAsync(tenant, target.Id, contact.Id, Admin);
            }

            var overrideSwitch = Switches[spec.OverrideSwitch];
            var overrideFrequency = Frequencies[spec.OverrideFrequency];
            if (overrideSwitch is not null || overrideFrequency is not null)
            {
                await Lists.UpdateMembershipAsync(tenant, target.Id, contact.Id, new MembershipDraft
                {
                    Channels = overrideSwitch is { } o ? new Dictionary<string, bool> { ["email"] = o } : null,
                    Frequency = overrideFrequency,
                }, null, Admin);
            }
        }

        if (spec.Noise == 3)
        {
            await Lists.AddMembersAsync(tenant, other.Id, [contact.Id], MembershipSource.Manual, Admin);
        }

        return new Person(spec, contact, contact.Email?.Normalized, contact.Phone?.Value);
    }

    private async Task SetConsentAsync(TenantId tenant, ContactId contact, ConsentScope scope, ConsentState state)
    {
        switch (state)
        {
            case ConsentState.Pending:
                await Consents.RequestOptInAsync(tenant, contact, scope, FormEvidence, Admin);
                break;
            case ConsentState.Granted:
                await Consents.GrantAsync(tenant, contact, scope, FormEvidence, Admin);
                break;
            case ConsentState.Withdrawn:
                await Consents.GrantAsync(tenant, contact, scope, FormEvidence, Admin);
                await Consents.WithdrawAsync(tenant, contact, scope, FormEvidence, Admin);
                break;
        }
    }

    /// <summary>What each rule should say about a person, from the scenario alone.</summary>
    private static Dictionary<AudienceRule, bool> Model(Person p, List<EngagementDraft> sends, HashSet<(SuppressionKind, string)> suppressed, (string? Start, string? End, string? Zone) policy, ListId target, DateTimeOffset at)
    {
        var spec = p.Spec;
        var membership = Memberships[spec.Membership];
        var listState = States[spec.ListConsent];
        var overrideSwitch = membership is null ? null : Switches[spec.OverrideSwitch];
        var listFrequency = membership is null ? null : Frequencies[spec.OverrideFrequency];
        var frequency = listFrequency ?? Frequencies[spec.Frequency];
        var zone = TimeZoneInfo.FindSystemTimeZoneById(Zones[spec.Zone] ?? policy.Zone ?? "UTC");
        var local = TimeZoneInfo.ConvertTime(at, zone);

        var frequencyAllows = true;
        if (frequency is { } cap)
        {
            var counted = sends.Where(s => s.Contact == p.Contact.Id && s.Channel == Channel.Email && (listFrequency is null || s.List == target)).ToList();
            if (counted.Count > 0)
            {
                var last = DateOnly.FromDateTime(TimeZoneInfo.ConvertTime(counted.Max(s => s.OccurredAt!.Value), zone).DateTime);
                frequencyAllows = DateOnly.FromDateTime(local.DateTime) >= last.AddDays(cap == ContactFrequency.Daily ? 1 : 7);
            }
        }

        var window = Windows[spec.Window] ?? (policy.Start is null ? null : (TimeOnly.Parse(policy.Start, System.Globalization.CultureInfo.InvariantCulture), TimeOnly.Parse(policy.End!, System.Globalization.CultureInfo.InvariantCulture)));
        var time = TimeOnly.FromDateTime(local.DateTime);
        var quiet = window is { } w && (w.Start < w.End ? time >= w.Start && time < w.End : time >= w.Start || time < w.End);

        var isSuppressed = (p.Email is not null && (suppressed.Contains((SuppressionKind.Email, p.Email)) || suppressed.Contains((SuppressionKind.EmailDomain, Domains[spec.Domain]))))
            || (p.Phone is not null && suppressed.Contains((SuppressionKind.Phone, p.Phone)));

        return new Dictionary<AudienceRule, bool>
        {
            [AudienceRule.Membership] = membership == MembershipStatus.Active,
            [AudienceRule.ContactStatus] = Statuses[spec.Status] == ContactStatus.Active,
            [AudienceRule.Address] = p.Email is not null,
            [AudienceRule.Suppression] = !isSuppressed,
            [AudienceRule.Consent] = States[spec.Consent] == ConsentState.Granted,
            [AudienceRule.ListConsent] = listState is ConsentState.None or ConsentState.Granted,
            [AudienceRule.ChannelPreference] = overrideSwitch ?? Switches[spec.ChannelSwitch] ?? true,
            [AudienceRule.FrequencyCap] = frequencyAllows,
            [AudienceRule.QuietHours] = !quiet,
        };
    }

    private sealed record SendSpec(int HoursAgo, int Minutes, bool Sms, int Through);

    private sealed record PersonSpec(
        bool HasEmail,
        bool HasPhone,
        int Domain,
        int Status,
        int ChannelSwitch,
        int Frequency,
        int Zone,
        int Window,
        int Consent,
        int ListConsent,
        int Noise,
        int Membership,
        int OverrideSwitch,
        int OverrideFrequency,
        int Suppression,
        SendSpec[] Sends)
    {
        public override string ToString()
            => $"email {HasEmail}, phone {HasPhone}, status {Statuses[Status]}, switch {Switches[ChannelSwitch]}, frequency {Frequencies[Frequency]}, zone {Zones[Zone]}, "
                + $"window {Windows[Window]}, consent {States[Consent]}, list consent {States[ListConsent]}, membership {Memberships[Membership]}, "
                + $"override {Switches[OverrideSwitch]}/{Frequencies[OverrideFrequency]}, suppression {Suppression}, sends [{string.Join("; ", Sends.Select(s => s.ToString()))}]";
    }

    private sealed record Scenario(PersonSpec[] People, int Policy, int AtHours, int AtMinutes);

    private sealed record Person(PersonSpec Spec, Contact Contact, string? Email, string? Phone);
}
