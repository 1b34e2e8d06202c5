using System.Net;

namespace Datum.Contacts;

/// <summary>
/// One entry of the consent ledger: a transition of one consent, with who did it, through what, under which policy
/// version and lawful basis. Append-only: no API edits or deletes an entry (only erasure, a later feature, will), and
/// entries outlive the contact's deletion so that a provider can still prove what it was allowed to do.
/// </summary>
/// <param name="Id">A time-ordered id.</param>
/// <param name="Tenant">The owning tenant.</param>
/// <param name="ContactId">The contact.</param>
/// <param name="Channel">The channel.</param>
/// <param name="ListId">The list the consent is scoped to; null for the channel as a whole.</param>
/// <param name="Action">What happened.</param>
/// <param name="From">The state before.</param>
/// <param name="To">The state after.</param>
/// <param name="OccurredAt">When it happened.</param>
/// <param name="Actor">Who did it.</param>
/// <param name="Source">Through what it came.</param>
/// <param name="PolicyVersion">The policy or wording version shown to the contact, if given.</param>
/// <param name="LawfulBasis">The lawful basis for processing.</param>
/// <param name="IpAddress">The contact's IP address, if captured.</param>
/// <param name="UserAgent">The contact's user agent, if captured.</param>
public sealed record ConsentEvidence(
    Guid Id,
    TenantId Tenant,
    ContactId ContactId,
    Channel Channel,
    ListId? ListId,
    ConsentAction Action,
    ConsentState From,
    ConsentState To,
    DateTimeOffset OccurredAt,
    Actor Actor,
    ConsentSource Source,
    string? PolicyVersion,
    LawfulBasis LawfulBasis,
    string? IpAddress,
    string? UserAgent)
{
    /// <summary>The channel and list.</summary>
    public ConsentScope Scope => new(Channel, ListId);
}

/// <summary>The evidence a host supplies with a consent change; validated into a <see cref="ConsentEvidence"/> entry.</summary>
public sealed record ConsentEvidenceDraft
{
    /// <summary>Longest policy version, in characters.</summary>
    public const int MaxPolicyVersionLength = 100;

    /// <summary>Longest user agent, in characters.</summary>
    public const int MaxUserAgentLength = 512;

    /// <summary>Through what the change came. Required.</summary>
    public ConsentSource Source { get; init; }

    /// <summary>The policy or wording version shown to the contact (such as <c>privacy-2026-11</c>); optional.</summary>
    public string? PolicyVersion { get; init; }

    /// <summary>The lawful basis; <see cref="LawfulBasis.Consent"/> by default.</summary>
    public LawfulBasis LawfulBasis { get; init; } = LawfulBasis.Consent;

    /// <summary>The contact's IPv4 or IPv6 address, if captured.</summary>
    public string? IpAddress { get; init; }

    /// <summary>The contact's user agent, if captured.</summary>
    public string? UserAgent { get; init; }

    /// <summary>Evidence for a change made by the system itself (such as an unsubscribe-all), from the API.</summary>
    public static ConsentEvidenceDraft Api { get; } = new() { Source = ConsentSource.Api };

    /// <summary>Checks every field, throwing <see cref="ValidationFailedException"/> with every problem found.</summary>
    internal ValidatedEvidence Validate()
    {
        var errors = new List<FieldError>();
        if (!Enum.IsDefined(Source))
        {
            errors.Add(new FieldError("evidence.source", "invalid_source", "evidence.source must be Form, Import, Admin, Api or Integration."));
        }

        if (!Enum.IsDefined(LawfulBasis))
        {
            errors.Add(new FieldError("evidence.lawfulBasis", "invalid_lawful_basis", "evidence.lawfulBasis must be one of the six GDPR article 6 bases."));
        }

        var policy = Text.CleanLine(PolicyVersion, "evidence.policyVersion", MaxPolicyVersionLength, errors);
        string? ip = null;
        if (!string.IsNullOrWhiteSpace(IpAddress))
        {
            // IPAddress.TryParse also reads shorthand, octal and hex IPv4 ("3221225994", "0300.0.2.10"), which would
            // store another address than the one given: an IPv4 address must be in its dotted-decimal form.
            var text = IpAddress.Trim();
            if (IPAddress.TryParse(text, out var parsed)
                && (parsed.AddressFamily != System.Net.Sockets.AddressFamily.InterNetwork || string.Equals(parsed.ToString(), text, StringComparison.Ordinal)))
            {
                ip = parsed.ToString();
            }
            else
            {
                errors.Add(new FieldError("evidence.ipAddress", "invalid_ip_address", "evidence.ipAddress must be an IPv4 address in dotted-decimal form (such as 192.0.2.10) or an IPv6 address."));
            }
        }

        var agent = Text.CleanLine(UserAgent, "evidence.userAgent", MaxUserAgentLength, errors);
        if (errors.Count > 0)
        {
            throw new ValidationFailedException(errors);
        }

        return new ValidatedEvidence(Source, policy, LawfulBasis, ip, agent);
    }
}

/// <summary>Evidence fields that passed validation.</summary>
internal sealed record ValidatedEvidence(ConsentSource Source, string? PolicyVersion, LawfulBasis LawfulBasis, string? IpAddress, string? UserAgent);
