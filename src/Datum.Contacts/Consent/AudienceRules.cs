using System.Globalization;

namespace Datum.Contacts;

/// <summary>The rules a contact must pass to be in a list's audience on a channel, in the order they are checked.</summary>
public enum AudienceRule
{
    /// <summary>The contact's membership on the list is active.</summary>
    Membership = 1,

    /// <summary>The contact's status is active (not inactive, not unsubscribed from everything).</summary>
    ContactStatus = 2,

    /// <summary>The contact has an address for the channel: an email for email, a phone for sms, a profile for social.</summary>
    Address = 3,

    /// <summary>None of the contact's addresses (email, email domain, phone) is on the tenant's suppression list.</summary>
    Suppression = 4,

    /// <summary>The contact's consent for the channel is granted.</summary>
    Consent = 5,

    /// <summary>When the contact has a consent scoped to this list and channel, it is granted.</summary>
    ListConsent = 6,

    /// <summary>The channel is on: the membership's override, or else the contact's preference.</summary>
    ChannelPreference = 7,

    /// <summary>The frequency (the membership's override, or else the contact's preference) allows a send now.</summary>
    FrequencyCap = 8,

    /// <summary>It is not quiet hours (the contact's, or else the tenant's) in the contact's time zone.</summary>
    QuietHours = 9,
}

/// <summary>The outcome of one rule for one contact.</summary>
/// <param name="Rule">The rule.</param>
/// <param name="Passed">Whether the contact passed it.</param>
/// <param name="Detail">What was seen, for a person to read.</param>
public sealed record RuleResult(AudienceRule Rule, bool Passed, string Detail);

/// <summary>Why a contact is, or is not, in a list's audience on a channel at a time: every rule and its outcome.</summary>
/// <param name="Contact">The contact.</param>
/// <param name="List">The list.</param>
/// <param name="Channel">The channel.</param>
/// <param name="At">The time evaluated.</param>
/// <param name="Rules">Every rule, in order, with its outcome.</param>
public sealed record EligibilityExplanation(ContactId Contact, ListId List, Channel Channel, DateTimeOffset At, IReadOnlyList<RuleResult> Rules)
{
    /// <summary>Whether every rule passed: the contact may be contacted.</summary>
    public bool IsEligible => Rules.All(r => r.Passed);

    /// <summary>The rules that failed.</summary>
    public IEnumerable<RuleResult> Failed => Rules.Where(r => !r.Passed);
}

/// <summary>A contact in a list's audience: the contact and its membership.</summary>
/// <param name="Contact">The contact.</param>
/// <param name="Membership">Its membership on the list.</param>
public sealed record AudienceMember(Contact Contact, ListMembership Membership);

/// <summary>What the rules need to know about one contact, gathered by whoever evaluates them.</summary>
internal readonly record struct AudienceFacts(
    Contact Contact,
    ListMembership? Membership,
    ConsentState? ChannelConsent,
    ConsentState? ListConsent,
    SuppressionEntry? Suppression,
    DateTimeOffset? LatestSendOnChannel,
    DateTimeOffset? LatestSendThroughList);

/// <summary>
/// The one evaluator of audience rules, shared by <see cref="IAudienceService.ResolveAudienceAsync"/> (which stops at the
/// first failure) and <see cref="IAudienceService.ExplainEligibilityAsync"/> (which records every rule), so both always agree.
/// </summary>
/// <param name="policy">The tenant's policy.</param>
/// <param name="list">The list.</param>
/// <param name="channel">The channel.</param>
/// <param name="at">The time of the send.</param>
internal sealed class AudienceRules(AudiencePolicy policy, ListId list, Channel channel, DateTimeOffset at)
{
    private static readonly TimeZoneInfo Utc = TimeZoneInfo.Utc;
    private readonly string _tenantChannelAddress = $"{channel} is a tenant-defined channel: its address is the host's to check";

    public ListId List => list;

    public Channel Channel => channel;

    public DateTimeOffset At => at;

    /// <summary>Whether the contact passes every rule; when <paramref name="explain"/> is given, checks every rule and records each.</summary>
    public bool Evaluate(in AudienceFacts facts, List<RuleResult>? explain)
    {
        var contact = facts.Contact;
        var membership = facts.Membership;
        var ok = true;

        // Each check returns early on failure when nobody asked for an explanation.
        if (!Check(explain, AudienceRule.Membership, membership is { IsActive: true }, ref ok, explain is null ? string.Empty : membership is null ? "not on the list" : $"membership is {membership.Status}"))
        {
            return false;
        }

        if (!Check(explain, AudienceRule.ContactStatus, contact.Status == ContactStatus.Active, ref ok, explain is null ? string.Empty : $"contact status is {contact.Status}"))
        {
            return false;
        }

        var (hasAddress, addressDetail) = Address(contact);
        if (!Check(explain, AudienceRule.Address, hasAddress, ref ok, addressDetail))
        {
            return false;
        }

        if (!Check(explain, AudienceRule.Suppression, facts.Suppression is null, ref ok, explain is null ? string.Empty : facts.Suppression is { } s ? $"suppressed: {s.Kind} {s.Value} ({s.Reason})" : "not suppressed"))
        {
            return false;
        }

        var consent = facts.ChannelConsent ?? ConsentState.None;
        if (!Check(explain, AudienceRule.Consent, consent == ConsentState.Granted, ref ok, explain is null ? string.Empty : $"{channel} consent is {consent}"))
        {
            return false;
        }

        var listConsent = facts.ListConsent;
        if (!Check(explain, AudienceRule.ListConsent, listConsent is null or ConsentState.Granted, ref ok, explain is null ? string.Empty : listConsent is { } state ? $"consent for this list is {state}" : "no consent scoped to this list"))
        {
            return false;
        }

        bool enabled;
        string enabledDetail;
        if (membership is not null && membership.ChannelOverrides.TryGetValue(channel, out var overridden))
        {
            enabled = overridden;
            enabledDetail = explain is null ? string.Empty : $"{channel} switched {(overridden ? "on" : "off")} for this list";
        }
        else
        {
            enabled = contact.Preferences.IsEnabled(channel);
            enabledDetail = explain is null ? string.Empty : $"{channel} {(enabled ? "on" : "off")} in the contact's preferences";
        }

        if (!Check(explain, AudienceRule.ChannelPreference, enabled, ref ok, enabledDetail))
        {
            return false;
        }

        var zone = contact.Preferences.TimeZone?.Zone ?? policy.DefaultTimeZone?.Zone ?? Utc;
        var local = TimeZoneInfo.ConvertTime(at, zone);
        if (!Check(explain, AudienceRule.FrequencyCap, FrequencyAllows(facts, membership, zone, local, explain is not null, out var frequencyDetail), ref ok, frequencyDetail))
        {
            return false;
        }

        var quiet = contact.Preferences.QuietHours ?? policy.QuietHours;
        var time = TimeOnly.FromTimeSpan(local.TimeOfDay);
        var inQuiet = quiet is not null && quiet.Contains(time);
        var quietDetail = explain is null ? string.Empty
            : quiet is null ? "no quiet hours"
            : $"local time {time.ToString("HH:mm", CultureInfo.InvariantCulture)} in {zone.Id} is {(inQuiet ? "inside" : "outside")} quiet hours {quiet}{(contact.Preferences.QuietHours is null ? " (tenant's)" : " (contact's)")}";
        return Check(explain, AudienceRule.QuietHours, !inQuiet, ref ok, quietDetail) && ok;
    }

    /// <summary>
    /// Whether a member can pass the rules that need nothing but the member and its contact (membership, status,
    /// address): the others' facts are read only for those that can.
    /// </summary>
    public bool MayPass(ListMembership membership, Contact contact)
        => membership.IsActive && contact.Status == ContactStatus.Active && Address(contact).Has;

    /// <summary>Explains every rule for one contact.</summary>
    public EligibilityExplanation Explain(in AudienceFacts facts)
    {
        var results = new List<RuleResult>(9);
        Evaluate(facts, results);
        return new EligibilityExplanation(facts.Contact.Id, list, channel, at, results);
    }

    /// <summary>The first local date a frequency allows after a send on <paramref name="lastLocal"/>.</summary>
    internal static DateOnly NextAllowed(DateOnly lastLocal, ContactFrequency frequency) => frequency switch
    {
        ContactFrequency.Daily => lastLocal.AddDays(1),
        ContactFrequency.Weekly => lastLocal.AddDays(7),
        ContactFrequency.Monthly => lastLocal.AddMonths(1),
        ContactFrequency.Quarterly => lastLocal.AddMonths(3),
        _ => lastLocal,
    };

    private static bool FrequencyAllows(in AudienceFacts facts, ListMembership? membership, TimeZoneInfo zone, DateTimeOffset local, bool describe, out string detail)
    {
        var listFrequency = membership?.FrequencyOverride;
        var frequency = listFrequency ?? facts.Contact.Preferences.Frequency;
        if (frequency is not { } cap)
        {
            detail = describe ? "no frequency cap" : string.Empty;
            return true;
        }

        // A list's own frequency counts the sends through that list; the contact's counts every send on the channel.
        var latest = listFrequency is not null ? facts.LatestSendThroughList : facts.LatestSendOnChannel;
        if (latest is not { } last)
        {
            detail = describe ? $"{cap} cap{(listFrequency is null ? string.Empty : " (this list's)")}: nothing sent yet" : string.Empty;
            return true;
        }

        var lastLocal = DateOnly.FromDateTime(TimeZoneInfo.ConvertTime(last, zone).DateTime);
        var next = NextAllowed(lastLocal, cap);
        var today = DateOnly.FromDateTime(local.DateTime);
        var allows = today >= next;
        detail = describe
            ? $"{cap} cap{(listFrequency is null ? string.Empty : " (this list's)")}: last sent {lastLocal.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture)} in {zone.Id}, next allowed {next.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture)}"
            : string.Empty;
        return allows;
    }

    private (bool Has, string Detail) Address(Contact contact)
    {
        if (channel == Channel.Email)
        {
            return contact.Email is null ? (false, "no email address") : (true, "has an email address");
        }

        if (channel == Channel.Sms)
        {
            return contact.Phone is null ? (false, "no phone number") : (true, "has a phone number");
        }

        if (channel == Channel.Social)
        {
            return contact.SocialProfiles.Count == 0 ? (false, "no social profile") : (true, "has a social profile");
        }

        return (true, _tenantChannelAddress);
    }

    private static bool Check(List<RuleResult>? explain, AudienceRule rule, bool passed, ref bool ok, string detail)
    {
        if (explain is null)
        {
            return passed;
        }

        explain.Add(new RuleResult(rule, passed, detail));
        ok &= passed;
        return true;
    }
}
