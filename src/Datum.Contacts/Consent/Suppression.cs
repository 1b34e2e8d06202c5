namespace Datum.Contacts;

/// <summary>What a suppression entry matches.</summary>
public enum SuppressionKind
{
    /// <summary>One email address (compared in its normalized form).</summary>
    Email = 1,

    /// <summary>One phone number (E.164).</summary>
    Phone = 2,

    /// <summary>Every address at one email domain (such as <c>competitor.example</c>).</summary>
    EmailDomain = 3,
}

/// <summary>Why an address is suppressed.</summary>
public enum SuppressionReason
{
    /// <summary>The tenant decided it must never be contacted.</summary>
    Blocklist = 1,

    /// <summary>Mail to it bounced permanently.</summary>
    HardBounce = 2,

    /// <summary>Its owner complained (marked a message as spam).</summary>
    Complaint = 3,

    /// <summary>Its owner asked never to be contacted again, even as a new contact.</summary>
    DoNotContact = 4,
}

/// <summary>
/// One entry of a tenant's suppression list: an address, phone or email domain that must never be contacted. It is
/// kept apart from contacts, so it still applies when the contact is deleted, re-imported or re-created, and it always
/// wins over consent and preferences.
/// </summary>
/// <param name="Tenant">The owning tenant.</param>
/// <param name="Kind">What it matches.</param>
/// <param name="Value">The normalized address, phone or domain.</param>
/// <param name="Reason">Why.</param>
/// <param name="Note">Free text, such as a ticket reference.</param>
/// <param name="CreatedAt">When it was added.</param>
/// <param name="Actor">Who added it.</param>
public sealed record SuppressionEntry(TenantId Tenant, SuppressionKind Kind, string Value, SuppressionReason Reason, string? Note, DateTimeOffset CreatedAt, Actor Actor)
{
    /// <summary>Longest note, in characters.</summary>
    public const int MaxNoteLength = 1_000;

    /// <summary>Normalizes a value of a kind, throwing <see cref="ValidationFailedException"/> on the field <c>value</c> when it is not one.</summary>
    /// <param name="kind">The kind.</param>
    /// <param name="value">The address, phone or domain.</param>
    public static string Normalize(SuppressionKind kind, string? value)
    {
        switch (kind)
        {
            case SuppressionKind.Email:
                return EmailAddress.TryParse(value, out var email, out var error)
                    ? email.Normalized
                    : throw new ValidationFailedException(new FieldError("value", "invalid_email", $"value {error}"));
            case SuppressionKind.Phone:
                return PhoneNumber.TryParse(value, out var phone, out var phoneError)
                    ? phone.Value
                    : throw new ValidationFailedException(new FieldError("value", "invalid_phone", $"value {phoneError}"));
            case SuppressionKind.EmailDomain:
                var domain = value?.Trim().TrimStart('@');
                return !string.IsNullOrEmpty(domain) && EmailAddress.TryParse("x@" + domain, out var probe, out _)
                    ? DomainOf(probe.Normalized)
                    : throw new ValidationFailedException(new FieldError("value", "invalid_domain", "value must be an email domain such as example.com."));
            default:
                throw new ValidationFailedException(new FieldError("kind", "invalid_kind", "kind must be Email, Phone or EmailDomain."));
        }
    }

    /// <summary>The domain part of a normalized address.</summary>
    internal static string DomainOf(string normalizedEmail) => normalizedEmail[(normalizedEmail.LastIndexOf('@') + 1)..];

    /// <summary>The keys a contact's addresses are checked against: its email, its email domain, its phone.</summary>
    internal static List<(SuppressionKind Kind, string Value)> KeysOf(Contact contact)
    {
        var keys = new List<(SuppressionKind Kind, string Value)>(3);
        AddKeysOf(contact, keys);
        return keys;
    }

    /// <summary>Adds a contact's keys (see <see cref="KeysOf"/>) to <paramref name="keys"/>; returns how many.</summary>
    internal static int AddKeysOf(Contact contact, List<(SuppressionKind Kind, string Value)> keys)
    {
        var before = keys.Count;
        if (contact.Email is { } email)
        {
            keys.Add((SuppressionKind.Email, email.Normalized));
            keys.Add((SuppressionKind.EmailDomain, DomainOf(email.Normalized)));
        }

        if (contact.Phone is { } phone)
        {
            keys.Add((SuppressionKind.Phone, phone.Value));
        }

        return keys.Count - before;
    }
}

/// <summary>An address to suppress.</summary>
public sealed record SuppressionDraft
{
    /// <summary>What it matches.</summary>
    public SuppressionKind Kind { get; init; }

    /// <summary>The address, phone or domain.</summary>
    public string? Value { get; init; }

    /// <summary>Why; <see cref="SuppressionReason.Blocklist"/> by default.</summary>
    public SuppressionReason Reason { get; init; } = SuppressionReason.Blocklist;

    /// <summary>Free text, such as a ticket reference.</summary>
    public string? Note { get; init; }
}

/// <summary>Store port for the tenant's suppression list. Reads return committed state; writes are queued until the unit of work commits.</summary>
/// <remarks>A store keeps at most one entry per kind and value; adding one that exists replaces it.</remarks>
public interface ISuppressionRepository
{
    /// <summary>Finds an entry.</summary>
    /// <param name="kind">What it matches.</param>
    /// <param name="value">The normalized value.</param>
    /// <param name="cancellationToken">Cancels the read.</param>
    ValueTask<SuppressionEntry?> FindAsync(SuppressionKind kind, string value, CancellationToken cancellationToken);

    /// <summary>Finds the entries matching any of several keys (see <see cref="SuppressionEntry.Normalize"/>).</summary>
    /// <param name="keys">The kinds and normalized values.</param>
    /// <param name="cancellationToken">Cancels the read.</param>
    ValueTask<IReadOnlyList<SuppressionEntry>> MatchAsync(IReadOnlyCollection<(SuppressionKind Kind, string Value)> keys, CancellationToken cancellationToken);

    /// <summary>Reads one page of entries in (kind, value) order, after a position.</summary>
    /// <param name="after">The last entry of the previous page; null for the first page.</param>
    /// <param name="limit">The most entries to return.</param>
    /// <param name="cancellationToken">Cancels the read.</param>
    ValueTask<IReadOnlyList<SuppressionEntry>> ListAsync((SuppressionKind Kind, string Value)? after, int limit, CancellationToken cancellationToken);

    /// <summary>Queues an entry (replacing one with the same kind and value).</summary>
    /// <param name="entry">The entry; its tenant must be the unit of work's.</param>
    void Add(SuppressionEntry entry);

    /// <summary>Queues the removal of an entry.</summary>
    /// <param name="kind">What it matches.</param>
    /// <param name="value">The normalized value.</param>
    void Remove(SuppressionKind kind, string value);
}
