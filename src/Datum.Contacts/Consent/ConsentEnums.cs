namespace Datum.Contacts;

/// <summary>Where a consent stands.</summary>
public enum ConsentState
{
    /// <summary>Nothing was ever asked or given (no consent record).</summary>
    None = 1,

    /// <summary>A double opt-in was requested: a confirmation was sent and is awaited.</summary>
    Pending = 2,

    /// <summary>The contact agreed.</summary>
    Granted = 3,

    /// <summary>The contact withdrew (or refused).</summary>
    Withdrawn = 4,
}

/// <summary>What happened to a consent in one evidence entry.</summary>
public enum ConsentAction
{
    /// <summary>A double opt-in was requested (a confirmation token was issued).</summary>
    Requested = 1,

    /// <summary>The contact confirmed a double opt-in with its token.</summary>
    Confirmed = 2,

    /// <summary>Consent was given directly (single opt-in), or given again under new wording.</summary>
    Granted = 3,

    /// <summary>Consent was withdrawn.</summary>
    Withdrawn = 4,
}

/// <summary>Through what the consent change came.</summary>
public enum ConsentSource
{
    /// <summary>A sign-up, preference or unsubscribe form.</summary>
    Form = 1,

    /// <summary>A bulk import.</summary>
    Import = 2,

    /// <summary>An administrator, on the contact's behalf (phone call, paper form...).</summary>
    Admin = 3,

    /// <summary>The host's API.</summary>
    Api = 4,

    /// <summary>An external system.</summary>
    Integration = 5,
}

/// <summary>The lawful basis for processing (GDPR article 6).</summary>
public enum LawfulBasis
{
    /// <summary>The contact's consent (article 6(1)(a)); the usual basis for marketing.</summary>
    Consent = 1,

    /// <summary>Necessary for a contract with the contact (6(1)(b)).</summary>
    Contract = 2,

    /// <summary>A legal obligation (6(1)(c)).</summary>
    LegalObligation = 3,

    /// <summary>Vital interests (6(1)(d)).</summary>
    VitalInterests = 4,

    /// <summary>A task in the public interest (6(1)(e)).</summary>
    PublicTask = 5,

    /// <summary>Legitimate interests (6(1)(f)), such as a soft opt-in for existing customers.</summary>
    LegitimateInterests = 6,
}
