namespace Datum.Contacts;

/// <summary>
/// A contact's editable details after validation. The only way to get one is <see cref="Validate"/>, so a
/// <see cref="Contact"/> built or changed from it is valid by construction.
/// </summary>
public sealed class ContactDetails
{
    private ContactDetails()
    {
    }

    /// <summary>Given name.</summary>
    public string? FirstName { get; private init; }

    /// <summary>Family name.</summary>
    public string? LastName { get; private init; }

    /// <summary>Job title or honorific.</summary>
    public string? Title { get; private init; }

    /// <summary>Company or organization.</summary>
    public string? Company { get; private init; }

    /// <summary>Primary email address.</summary>
    public EmailAddress? Email { get; private init; }

    /// <summary>Phone number.</summary>
    public PhoneNumber? Phone { get; private init; }

    /// <summary>Social profiles by network slug.</summary>
    public IReadOnlyDictionary<string, string> SocialProfiles { get; private init; } = new Dictionary<string, string>();

    /// <summary>The contact type.</summary>
    public ContactType? Type { get; private init; }

    /// <summary>The status.</summary>
    public ContactStatus Status { get; private init; }

    /// <summary>Communication preferences.</summary>
    public ContactPreferences Preferences { get; private init; } = ContactPreferences.Default;

    /// <summary>Tags.</summary>
    public TagSet Tags { get; private init; } = TagSet.Empty;

    /// <summary>Custom field values by declared name.</summary>
    public IReadOnlyDictionary<string, CustomFieldValue> CustomFields { get; private init; } = new Dictionary<string, CustomFieldValue>();

    /// <summary>
    /// Checks a draft against the rules and the tenant's custom field schema, collecting every problem.
    /// </summary>
    /// <param name="draft">The submitted details.</param>
    /// <param name="schema">The tenant's declared custom fields.</param>
    /// <param name="options">The configured limits.</param>
    /// <exception cref="ValidationFailedException">One or more fields are invalid; every one is listed.</exception>
    public static ContactDetails Validate(ContactDraft draft, CustomFieldSchema schema, ContactManagementOptions options)
    {
        Guard.Against.Null(draft);
        Guard.Against.Null(schema);
        Guard.Against.Null(options);

        var errors = new List<FieldError>();
        var maxName = options.MaxNameLength;
        var firstName = Text.CleanLine(draft.FirstName, "firstName", maxName, errors);
        var lastName = Text.CleanLine(draft.LastName, "lastName", maxName, errors);
        var title = Text.CleanLine(draft.Title, "title", maxName, errors);
        var company = Text.CleanLine(draft.Company, "company", maxName, errors);

        EmailAddress? email = null;
        if (!string.IsNullOrWhiteSpace(draft.Email) && !EmailAddress.TryParse(draft.Email, out email, out var emailError))
        {
            errors.Add(new FieldError("email", "invalid_email", $"email {emailError}."));
        }

        PhoneNumber? phone = null;
        if (!string.IsNullOrWhiteSpace(draft.Phone) && !PhoneNumber.TryParse(draft.Phone, out phone, out var phoneError))
        {
            errors.Add(new FieldError("phone", "invalid_phone", $"phone {phoneError}."));
        }

        if (string.IsNullOrWhiteSpace(draft.Email) && string.IsNullOrWhiteSpace(draft.Phone))
        {
            errors.Add(new FieldError("email", "required", "email is required when no phone is given: a contact needs an email address or a phone number."));
        }

        ContactType? type = null;
        if (draft.Type is not null)
        {
            if (ContactType.TryParse(draft.Type, out var parsedType, out var typeError))
            {
                type = parsedType;
            }
            else
            {
                errors.Add(new FieldError("type", "invalid_type", $"type {typeError}."));
            }
        }

        if (!Enum.IsDefined(draft.Status))
        {
            errors.Add(new FieldError("status", "invalid_status", "status must be Active, Inactive or Unsubscribed."));
        }

        if (!Enum.IsDefined(draft.Source))
        {
            errors.Add(new FieldError("source", "invalid_source", "source must be Manual, Import, Form or Integration."));
        }

        var social = ValidateSocialProfiles(draft.SocialProfiles, options, errors);
        var preferences = ContactPreferences.Create(draft.Preferences, errors);
        var tags = TagSet.Create(draft.Tags, options.MaxTagsPerContact, options.MaxTagLength, errors);
        var custom = ValidateCustomFields(draft.CustomFields, schema, options, errors);

        if (errors.Count > 0)
        {
            throw new ValidationFailedException(errors);
        }

        return new ContactDetails
        {
            FirstName = firstName,
            LastName = lastName,
            Title = title,
            Company = company,
            Email = email,
            Phone = phone,
            SocialProfiles = social,
            Type = type,
            Status = draft.Status,
            Preferences = preferences,
            Tags = tags,
            CustomFields = custom,
        };
    }

    private static Dictionary<string, string> ValidateSocialProfiles(IReadOnlyDictionary<string, string>? profiles, ContactManagementOptions options, List<FieldError> errors)
    {
        var result = new Dictionary<string, string>(StringComparer.Ordinal);
        if (profiles is null)
        {
            return result;
        }

        if (profiles.Count > options.MaxSocialProfiles)
        {
            errors.Add(new FieldError("socialProfiles", "too_many", $"socialProfiles must hold at most {options.MaxSocialProfiles} profiles."));
            return result;
        }

        foreach (var (network, value) in profiles)
        {
            var slug = Slug.Normalize(network, out var networkError);
            if (slug is null)
            {
                errors.Add(new FieldError("socialProfiles", "invalid_network", $"socialProfiles: the network name {networkError}."));
                continue;
            }

            var field = $"socialProfiles.{slug}";
            var clean = Text.CleanLine(value, field, options.MaxSocialProfileLength, errors);
            if (clean is not null && !result.TryAdd(slug, clean))
            {
                errors.Add(new FieldError(field, "duplicate", $"{field} is given twice."));
            }
        }

        return result;
    }

    private static Dictionary<string, CustomFieldValue> ValidateCustomFields(
        IReadOnlyDictionary<string, CustomFieldValue?>? values, CustomFieldSchema schema, ContactManagementOptions options, List<FieldError> errors)
    {
        var result = new Dictionary<string, CustomFieldValue>(StringComparer.Ordinal);
        if (values is null)
        {
            return result;
        }

        foreach (var (name, value) in values)
        {
            var shownName = name.Length <= CustomFieldDefinition.MaxNameLength ? name : name[..CustomFieldDefinition.MaxNameLength] + "…";
            var field = $"customFields.{shownName}";
            var definition = schema.Find(name);
            if (definition is null)
            {
                errors.Add(new FieldError(field, "unknown_field", $"{field} is not a declared custom field of this tenant; declare it first."));
                continue;
            }

            field = $"customFields.{definition.Name}";
            if (value is null)
            {
                continue;
            }

            if (value.Type != definition.Type)
            {
                errors.Add(new FieldError(field, "wrong_type", $"{field} expects a {definition.Type.ToString().ToLowerInvariant()} value, not a {value.Type.ToString().ToLowerInvariant()}."));
                continue;
            }

            var stored = value;
            if (value.Type == CustomFieldType.Text)
            {
                var text = Text.CleanMultiline(value.TextValue, field, options.MaxCustomFieldTextLength, errors);
                if (text is null)
                {
                    continue;
                }

                stored = CustomFieldValue.FromText(text);
            }

            if (!result.TryAdd(definition.Name, stored))
            {
                errors.Add(new FieldError(field, "duplicate", $"{field} is given twice (names are case-insensitive)."));
            }
        }

        return result;
    }

    /// <summary>Details from trusted stored values, without validation (store adapters rebuilding a contact).</summary>
    internal static ContactDetails Restore(
        string? firstName,
        string? lastName,
        string? title,
        string? company,
        EmailAddress? email,
        PhoneNumber? phone,
        IReadOnlyDictionary<string, string> socialProfiles,
        ContactType? type,
        ContactStatus status,
        ContactPreferences preferences,
        TagSet tags,
        IReadOnlyDictionary<string, CustomFieldValue> customFields) => new()
        {
            FirstName = firstName,
            LastName = lastName,
            Title = title,
            Company = company,
            Email = email,
            Phone = phone,
            SocialProfiles = socialProfiles,
            Type = type,
            Status = status,
            Preferences = preferences,
            Tags = tags,
            CustomFields = customFields,
        };

    /// <summary>Turns a contact's current details back into a draft, the starting point of a partial update.</summary>
    internal static ContactDraft ToDraft(Contact contact) => new()
    {
        FirstName = contact.FirstName,
        LastName = contact.LastName,
        Title = contact.Title,
        Company = contact.Company,
        Email = contact.Email?.Value,
        Phone = contact.Phone?.Value,
        SocialProfiles = contact.SocialProfiles,
        Type = contact.Type?.Value,
        Status = contact.Status,
        Preferences = contact.Preferences.ToDraft(),
        Tags = contact.Tags,
        CustomFields = contact.CustomFields.ToDictionary(p => p.Key, p => (CustomFieldValue?)p.Value),
        Source = contact.Source,
    };
}
