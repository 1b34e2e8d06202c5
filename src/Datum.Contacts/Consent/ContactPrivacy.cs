namespace Datum.Contacts;

/// <summary>
/// A contact's US privacy choices: the CCPA/CPRA do-not-sell-or-share opt-out, the Global Privacy Control signal
/// (a browser's automatic opt-out, honoured as one) with the time it was seen, and a pending deletion request.
/// </summary>
/// <param name="DoNotSellOrShare">The contact opted out of the sale or sharing of its personal information.</param>
/// <param name="GlobalPrivacyControlAt">When a Global Privacy Control signal was last received from the contact; null for never.</param>
/// <param name="DeletionRequestedAt">When the contact asked for its data to be deleted; null for never.</param>
public sealed record ContactPrivacy(bool DoNotSellOrShare, DateTimeOffset? GlobalPrivacyControlAt, DateTimeOffset? DeletionRequestedAt)
{
    /// <summary>No opt-out, no signal, no request.</summary>
    public static ContactPrivacy None { get; } = new(false, null, null);

    /// <summary>Whether the contact opted out of sale and sharing, explicitly or through Global Privacy Control.</summary>
    public bool OptedOutOfSaleOrSharing => DoNotSellOrShare || GlobalPrivacyControlAt is not null;
}
