namespace Datum.Contacts;

/// <summary>
/// A marketing contact of one tenant. Created and changed only through methods that keep it valid; every
/// change moves <see cref="Version"/> on by one per unit of work, which stores use for optimistic concurrency.
/// </summary>
public sealed class Contact
{
    // Set once the version has moved on for the current unit of work, so several changes in one unit of work
    // make one new version. A freshly loaded instance starts clear.
    private bool _versionAdvanced;

    private Contact()
    {
    }

    /// <summary>The contact's id.</summary>
    public ContactId Id { get; private set; }

    /// <summary>The owning tenant.</summary>
    public TenantId Tenant { get; private set; }

    /// <summary>Given name.</summary>
    public string? FirstName { get; private set; }

    /// <summary>Family name.</summary>
    public string? LastName { get; private set; }

    /// <summary>Job title or honorific.</summary>
    public string? Title { get; private set; }

    /// <summary>Company or organization.</summary>
    public string? Company { get; private set; }

    /// <summary>Primary email address, unique per tenant (case-insensitive).</summary>
    public EmailAddress? Email { get; private set; }

    /// <summary>Phone number in E.164 form.</summary>
    public PhoneNumber? Phone { get; private set; }

    /// <summary>Social profiles by network slug (<c>linkedin</c>, <c>github</c>...).</summary>
    public IReadOnlyDictionary<string, string> SocialProfiles { get; private set; } = new Dictionary<string, string>();

    /// <summary>The contact type (client, prospect, vendor, or tenant-defined); null for none.</summary>
    public ContactType? Type { get; private set; }

    /// <summary>Whether the contact may be engaged at all.</summary>
    public ContactStatus Status { get; private set; }

    /// <summary>Communication preferences.</summary>
    public ContactPreferences Preferences { get; private set; } = ContactPreferences.Default;

    /// <summary>How the contact entered the system.</summary>
    public ContactSource Source { get; private set; }

    /// <summary>Tags.</summary>
    public TagSet Tags { get; private set; } = TagSet.Empty;

    /// <summary>Values of the tenant's declared custom fields, by declared name.</summary>
    public IReadOnlyDictionary<string, CustomFieldValue> CustomFields { get; private set; } = new Dictionary<string, CustomFieldValue>();

    /// <summary>When the contact was created.</summary>
    public DateTimeOffset CreatedAt { get; private set; }

    /// <summary>When the contact last changed.</summary>
    public DateTimeOffset UpdatedAt { get; private set; }

    /// <summary>When the contact last engaged (opened, clicked, replied...), if ever.</summary>
    public DateTimeOffset? LastEngagementAt { get; private set; }

    /// <summary>The contact's privacy choices: do-not-sell/share, Global Privacy Control, deletion request.</summary>
    public ContactPrivacy Privacy { get; private set; } = ContactPrivacy.None;

    /// <summary>The concurrency version: 1 when created, one more after each committed change.</summary>
    public long Version { get; private set; }

    // Case-folded copies of the text fields the criteria language compares (see Text.Fold), kept in step with
    // the fields so evaluation never folds or allocates; SQL stores persist them as columns for the same reason.
    internal string? FoldedFirstName { get; private set; }

    internal string? FoldedLastName { get; private set; }

    internal string? FoldedTitle { get; private set; }

    internal string? FoldedCompany { get; private set; }

    internal string? FoldedEmail { get; private set; }

    internal string? FoldedPhone { get; private set; }

    internal string? FoldedType { get; private set; }

    internal string? FoldedTimeZone { get; private set; }

    internal IReadOnlyDictionary<string, string> FoldedSocialProfiles { get; private set; } = EmptyProfiles;

    private static readonly IReadOnlyDictionary<string, string> EmptyProfiles = new Dictionary<string, string>();

    /// <summary>Creates a contact from validated details.</summary>
    /// <param name="tenant">The owning tenant.</param>
    /// <param name="id">The new contact's id.</param>
    /// <param name="details">Validated details (see <see cref="ContactDetails.Validate"/>).</param>
    /// <param name="source">How the contact entered the system.</param>
    /// <param name="now">The creation time.</param>
    internal static Contact Create(TenantId tenant, ContactId id, ContactDetails details, ContactSource source, DateTimeOffset now)
    {
        Guard.Against.DefaultTenant(tenant);
        Guard.Against.Null(details);
        Guard.Against.EmptyId(id.Value, "The contact id must not be empty.", nameof(id));

        Guard.Against.UndefinedEnum(source, "Unknown contact source.");

        var contact = new Contact
        {
            Id = id,
            Tenant = tenant,
            Source = source,
            CreatedAt = now,
            UpdatedAt = now,
            Version = 1,
            _versionAdvanced = true,
        };
        contact.Apply(details);
        return contact;
    }

    /// <summary>Replaces every editable detail (not the source, times or id).</summary>
    /// <param name="details">Validated details.</param>
    /// <param name="now">The time of the change.</param>
    /// <returns>The fields that changed (old → new); empty when nothing did, in which case nothing moved on.</returns>
    internal IReadOnlyList<FieldChange> Update(ContactDetails details, DateTimeOffset now)
    {
        Guard.Against.Null(details);
        return Change(() => Apply(details), now);
    }

    /// <summary>Replaces the communication preferences.</summary>
    /// <param name="preferences">The new preferences.</param>
    /// <param name="now">The time of the change.</param>
    /// <returns>The fields that changed; empty when nothing did.</returns>
    internal IReadOnlyList<FieldChange> SetPreferences(ContactPreferences preferences, DateTimeOffset now)
    {
        Guard.Against.Null(preferences);
        return Change(() => ApplyPreferences(preferences), now);
    }

    /// <summary>Moves the contact to another status (an unsubscribe-all, or a new opt-in after one).</summary>
    /// <param name="status">The new status.</param>
    /// <param name="now">The time of the change.</param>
    /// <returns>The fields that changed; empty when the status was already that.</returns>
    internal IReadOnlyList<FieldChange> SetStatus(ContactStatus status, DateTimeOffset now)
    {
        Guard.Against.UndefinedEnum(status, "Unknown contact status.");

        return Change(() => Status = status, now);
    }

    /// <summary>Replaces the privacy choices.</summary>
    /// <param name="privacy">The new choices.</param>
    /// <param name="now">The time of the change.</param>
    /// <returns>The fields that changed; empty when nothing did.</returns>
    internal IReadOnlyList<FieldChange> SetPrivacy(ContactPrivacy privacy, DateTimeOffset now)
    {
        Guard.Against.Null(privacy);
        return Change(() => Privacy = privacy, now);
    }

    /// <summary>Records an engagement; the last-engagement time only moves forward.</summary>
    /// <param name="at">When the contact engaged.</param>
    /// <param name="now">The time of the change.</param>
    /// <returns>The fields that changed; empty when the time did not move forward.</returns>
    internal IReadOnlyList<FieldChange> RecordEngagement(DateTimeOffset at, DateTimeOffset now)
        => LastEngagementAt is { } last && last >= at ? [] : Change(() => LastEngagementAt = at, now);

    /// <summary>Describes every field of the contact as audit text, for a created or deleted entry.</summary>
    /// <param name="deleted">True to describe a deletion (old → null), false a creation (null → new).</param>
    internal IReadOnlyList<FieldChange> DescribeAll(bool deleted)
        => deleted ? ContactSnapshot.Diff(ContactSnapshot.Describe(this), ContactSnapshot.Nothing)
                   : ContactSnapshot.Diff(ContactSnapshot.Nothing, ContactSnapshot.Describe(this));

    private List<FieldChange> Change(Action apply, DateTimeOffset now)
    {
        var before = ContactSnapshot.Describe(this);
        apply();
        var changes = ContactSnapshot.Diff(before, ContactSnapshot.Describe(this));
        if (changes.Count > 0)
        {
            Touch(now);
        }

        return changes;
    }

    /// <summary>
    /// Rebuilds a stored contact from trusted, already validated state (store adapters that keep rows, not objects).
    /// Nothing is audited and the version does not move.
    /// </summary>
    internal static Contact Restore(
        TenantId tenant,
        ContactId id,
        ContactDetails details,
        ContactSource source,
        DateTimeOffset createdAt,
        DateTimeOffset updatedAt,
        DateTimeOffset? lastEngagementAt,
        long version,
        ContactPrivacy? privacy = null)
    {
        var contact = new Contact
        {
            Id = id,
            Tenant = tenant,
            Source = source,
            CreatedAt = createdAt,
            UpdatedAt = updatedAt,
            LastEngagementAt = lastEngagementAt,
            Version = version,
            Privacy = privacy ?? ContactPrivacy.None,
        };
        contact.Apply(details);
        return contact;
    }

    /// <summary>An independent copy with the same state, for stores that keep objects in memory.</summary>
    internal Contact Copy()
    {
        var copy = (Contact)MemberwiseClone();
        copy._versionAdvanced = false;
        return copy;
    }

    private void Apply(ContactDetails details)
    {
        FirstName = details.FirstName;
        LastName = details.LastName;
        Title = details.Title;
        Company = details.Company;
        Email = details.Email;
        Phone = details.Phone;
        SocialProfiles = details.SocialProfiles;
        Type = details.Type;
        Status = details.Status;
        Tags = details.Tags;
        CustomFields = details.CustomFields;
        FoldedFirstName = Fold(FirstName);
        FoldedLastName = Fold(LastName);
        FoldedTitle = Fold(Title);
        FoldedCompany = Fold(Company);
        FoldedEmail = Fold(Email?.Value);
        FoldedPhone = Fold(Phone?.Value);
        FoldedType = Fold(Type?.Value);
        FoldedSocialProfiles = SocialProfiles.Count == 0
            ? EmptyProfiles
            : SocialProfiles.ToDictionary(p => p.Key, p => Datum.Contacts.Text.Fold(p.Value), StringComparer.Ordinal);
        ApplyPreferences(details.Preferences);
    }

    private void ApplyPreferences(ContactPreferences preferences)
    {
        Preferences = preferences;
        FoldedTimeZone = Fold(preferences.TimeZone?.Value);
    }

    private static string? Fold(string? value) => value is null ? null : Datum.Contacts.Text.Fold(value);

    private void Touch(DateTimeOffset now)
    {
        UpdatedAt = now;
        if (!_versionAdvanced)
        {
            Version++;
            _versionAdvanced = true;
        }
    }
}
