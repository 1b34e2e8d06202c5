namespace Datum.Contacts;

/// <summary>
/// A contact's details as a host submits them, for create and full update. Everything is checked at once and
/// every problem is reported in one <see cref="ValidationFailedException"/>. A contact needs an email address or
/// a phone number.
/// </summary>
public sealed record ContactDraft
{
    /// <summary>Given name.</summary>
    public string? FirstName { get; init; }

    /// <summary>Family name.</summary>
    public string? LastName { get; init; }

    /// <summary>Job title or honorific.</summary>
    public string? Title { get; init; }

    /// <summary>Company or organization.</summary>
    public string? Company { get; init; }

    /// <summary>Primary email address; unique per tenant, case-insensitively.</summary>
    public string? Email { get; init; }

    /// <summary>Phone number in international form (E.164 after normalization).</summary>
    public string? Phone { get; init; }

    /// <summary>Social profiles by network (<c>linkedin</c>, <c>github</c>...): a handle or URL each.</summary>
    public IReadOnlyDictionary<string, string>? SocialProfiles { get; init; }

    /// <summary>The contact type: client, prospect, vendor, or a tenant-defined slug; null for none.</summary>
    public string? Type { get; init; }

    /// <summary>The status; active unless said otherwise.</summary>
    public ContactStatus Status { get; init; } = ContactStatus.Active;

    /// <summary>Communication preferences; null for the defaults.</summary>
    public ContactPreferencesDraft? Preferences { get; init; }

    /// <summary>Tags; trimmed and de-duplicated case-insensitively.</summary>
    public IReadOnlyCollection<string>? Tags { get; init; }

    /// <summary>Values of the tenant's declared custom fields by name; a null value leaves the field unset.</summary>
    public IReadOnlyDictionary<string, CustomFieldValue?>? CustomFields { get; init; }

    /// <summary>How the contact entered the system. Used on create only: an update keeps the original source.</summary>
    public ContactSource Source { get; init; } = ContactSource.Manual;
}

/// <summary>
/// A partial update: only the properties that are set change. Set a property to <c>null</c> to clear it.
/// <see cref="SocialProfiles"/> and <see cref="CustomFields"/> merge by key (a null value removes the key);
/// <see cref="Tags"/> replaces the whole set.
/// </summary>
public sealed record ContactPatch
{
    /// <summary>Given name.</summary>
    public Optional<string?> FirstName { get; init; }

    /// <summary>Family name.</summary>
    public Optional<string?> LastName { get; init; }

    /// <summary>Job title or honorific.</summary>
    public Optional<string?> Title { get; init; }

    /// <summary>Company or organization.</summary>
    public Optional<string?> Company { get; init; }

    /// <summary>Primary email address.</summary>
    public Optional<string?> Email { get; init; }

    /// <summary>Phone number.</summary>
    public Optional<string?> Phone { get; init; }

    /// <summary>Social profiles to set (non-null value) or remove (null value), by network.</summary>
    public IReadOnlyDictionary<string, string?>? SocialProfiles { get; init; }

    /// <summary>The contact type.</summary>
    public Optional<string?> Type { get; init; }

    /// <summary>The status.</summary>
    public Optional<ContactStatus> Status { get; init; }

    /// <summary>The whole preferences.</summary>
    public Optional<ContactPreferencesDraft?> Preferences { get; init; }

    /// <summary>The whole tag set.</summary>
    public Optional<IReadOnlyCollection<string>?> Tags { get; init; }

    /// <summary>Custom field values to set (non-null value) or clear (null value), by name.</summary>
    public IReadOnlyDictionary<string, CustomFieldValue?>? CustomFields { get; init; }

    internal ContactDraft ApplyTo(ContactDraft current)
    {
        var social = new Dictionary<string, string>(current.SocialProfiles ?? new Dictionary<string, string>(), StringComparer.OrdinalIgnoreCase);
        foreach (var (network, value) in SocialProfiles ?? new Dictionary<string, string?>())
        {
            if (value is null)
            {
                social.Remove(network);
            }
            else
            {
                social[network] = value;
            }
        }

        var custom = new Dictionary<string, CustomFieldValue?>(current.CustomFields ?? new Dictionary<string, CustomFieldValue?>(), StringComparer.OrdinalIgnoreCase);
        foreach (var (name, value) in CustomFields ?? new Dictionary<string, CustomFieldValue?>())
        {
            custom[name] = value;
        }

        return current with
        {
            FirstName = FirstName.GetValueOrDefault(current.FirstName),
            LastName = LastName.GetValueOrDefault(current.LastName),
            Title = Title.GetValueOrDefault(current.Title),
            Company = Company.GetValueOrDefault(current.Company),
            Email = Email.GetValueOrDefault(current.Email),
            Phone = Phone.GetValueOrDefault(current.Phone),
            SocialProfiles = social,
            Type = Type.GetValueOrDefault(current.Type),
            Status = Status.GetValueOrDefault(current.Status),
            Preferences = Preferences.GetValueOrDefault(current.Preferences),
            Tags = Tags.GetValueOrDefault(current.Tags),
            CustomFields = custom,
        };
    }
}
