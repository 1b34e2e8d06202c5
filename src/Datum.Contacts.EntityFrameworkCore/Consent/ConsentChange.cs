namespace Datum.Contacts.EntityFrameworkCore;

/// <summary>A queued consent change, with the version the consent was loaded at (null when added here).</summary>
internal sealed record ConsentChange(Consent Consent, ConsentOperation Operation, long? ExpectedVersion);

/// <summary>What a queued consent change does.</summary>
internal enum ConsentOperation
{
    Add,
    Update,
    Remove,
}
