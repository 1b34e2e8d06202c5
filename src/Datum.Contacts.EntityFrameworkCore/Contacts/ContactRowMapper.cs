namespace Datum.Contacts.EntityFrameworkCore;

/// <summary>Copies contacts onto rows (syncing their child rows) and rebuilds them from rows.</summary>
internal static class ContactRowMapper
{
    /// <summary>Writes a contact's state onto a row (new or tracked), syncing its child rows by key.</summary>
    public static void CopyTo(Contact contact, ContactRow row)
    {
        var tenant = contact.Tenant.Value;
        row.TenantId = tenant;
        row.Id = contact.Id.Value;
        row.FirstName = contact.FirstName;
        row.LastName = contact.LastName;
        row.Title = contact.Title;
        row.Company = contact.Company;
        row.Email = contact.Email?.Value;
        row.EmailNormalized = contact.Email?.Normalized;
        row.Phone = contact.Phone?.Value;
        row.Type = contact.Type?.Value;
        row.Status = contact.Status;
        row.Source = contact.Source;
        row.Frequency = contact.Preferences.Frequency;
        row.TimeZone = contact.Preferences.TimeZone?.Value;
        row.FoldedFirstName = contact.FoldedFirstName;
        row.FoldedLastName = contact.FoldedLastName;
        row.FoldedTitle = contact.FoldedTitle;
        row.FoldedCompany = contact.FoldedCompany;
        row.FoldedEmail = contact.FoldedEmail;
        row.FoldedPhone = contact.FoldedPhone;
        row.FoldedType = contact.FoldedType;
        row.FoldedTimeZone = contact.FoldedTimeZone;
        row.SortLastName = ContactOrder.KeyOf(contact, ContactSortField.LastName).Text!;
        row.SortEmail = ContactOrder.KeyOf(contact, ContactSortField.Email).Text!;
        row.CreatedAtTicks = contact.CreatedAt.UtcTicks;
        row.UpdatedAtTicks = contact.UpdatedAt.UtcTicks;
        row.LastEngagementAtTicks = contact.LastEngagementAt?.UtcTicks;
        row.QuietHoursStartTicks = contact.Preferences.QuietHours?.Start.Ticks;
        row.QuietHoursEndTicks = contact.Preferences.QuietHours?.End.Ticks;
        row.DoNotSellOrShare = contact.Privacy.DoNotSellOrShare;
        row.GlobalPrivacyControlAtTicks = contact.Privacy.GlobalPrivacyControlAt?.UtcTicks;
        row.DeletionRequestedAtTicks = contact.Privacy.DeletionRequestedAt?.UtcTicks;
        row.Version = contact.Version;

        Sync(
            row.Tags,
            contact.Tags.Select((tag, i) => new ContactTagRow { TenantId = tenant, ContactId = row.Id, Position = i, Tag = tag, FoldedTag = Text.Fold(tag) }),
            t => t.Position,
            (to, from) => (to.Tag, to.FoldedTag) = (from.Tag, from.FoldedTag));
        Sync(
            row.SocialProfiles,
            contact.SocialProfiles.Select(p => new ContactSocialProfileRow
            {
                TenantId = tenant,
                ContactId = row.Id,
                Network = p.Key,
                Handle = p.Value,
                FoldedHandle = contact.FoldedSocialProfiles[p.Key],
            }),
            p => p.Network,
            (to, from) => (to.Handle, to.FoldedHandle) = (from.Handle, from.FoldedHandle));
        Sync(
            row.Channels,
            contact.Preferences.Channels.Select(c => new ContactChannelRow { TenantId = tenant, ContactId = row.Id, Channel = c.Key.Value, Enabled = c.Value }),
            c => c.Channel,
            (to, from) => to.Enabled = from.Enabled);
        Sync(
            row.CustomValues,
            contact.CustomFields.Select(f => new ContactCustomValueRow
            {
                TenantId = tenant,
                ContactId = row.Id,
                Name = f.Key,
                Type = f.Value.Type,
                TextValue = f.Value.Type == CustomFieldType.Text ? f.Value.TextValue : null,
                FoldedText = f.Value.Type == CustomFieldType.Text ? f.Value.FoldedText : null,
                NumberValue = f.Value.Type == CustomFieldType.Number ? f.Value.NumberValue : null,
                BooleanValue = f.Value.Type == CustomFieldType.Boolean ? f.Value.BooleanValue : null,
                DateValue = f.Value.Type == CustomFieldType.Date ? f.Value.DateValue : null,
            }),
            v => v.Name,
            (to, from) => (to.Type, to.TextValue, to.FoldedText, to.NumberValue, to.BooleanValue, to.DateValue)
                = (from.Type, from.TextValue, from.FoldedText, from.NumberValue, from.BooleanValue, from.DateValue));
    }

    /// <summary>Rebuilds the contact a row holds (with its child rows loaded).</summary>
    public static Contact ToContact(ContactRow row)
    {
        var channels = row.Channels.Count == 0
            ? ContactPreferences.Default.Channels
            : row.Channels.ToDictionary(c => Channel.Parse(c.Channel), c => c.Enabled);
        var quietHours = ConsentRowMapper.ToQuietHours(row.QuietHoursStartTicks, row.QuietHoursEndTicks);
        var preferences = row.Channels.Count == 0 && row.Frequency is null && row.TimeZone is null && quietHours is null
            ? ContactPreferences.Default
            : new ContactPreferences(channels, row.Frequency, row.TimeZone is null ? null : TimeZoneId.Parse(row.TimeZone), quietHours);
        var privacy = !row.DoNotSellOrShare && row.GlobalPrivacyControlAtTicks is null && row.DeletionRequestedAtTicks is null
            ? ContactPrivacy.None
            : new ContactPrivacy(row.DoNotSellOrShare, ConsentRowMapper.ToTime(row.GlobalPrivacyControlAtTicks), ConsentRowMapper.ToTime(row.DeletionRequestedAtTicks));
        var details = ContactDetails.Restore(
            row.FirstName,
            row.LastName,
            row.Title,
            row.Company,
            row.Email is null ? null : EmailAddress.Parse(row.Email),
            row.Phone is null ? null : PhoneNumber.Parse(row.Phone),
            row.SocialProfiles.Count == 0 ? new Dictionary<string, string>() : row.SocialProfiles.ToDictionary(p => p.Network, p => p.Handle, StringComparer.Ordinal),
            row.Type is null ? null : ContactType.Parse(row.Type),
            row.Status,
            preferences,
            TagSet.Restore(row.Tags.OrderBy(t => t.Position).Select(t => t.Tag)),
            row.CustomValues.Count == 0 ? new Dictionary<string, CustomFieldValue>() : row.CustomValues.ToDictionary(v => v.Name, ToValue, StringComparer.Ordinal));
        return Contact.Restore(
            TenantId.Parse(row.TenantId),
            new ContactId(row.Id),
            details,
            row.Source,
            new DateTimeOffset(row.CreatedAtTicks, TimeSpan.Zero),
            new DateTimeOffset(row.UpdatedAtTicks, TimeSpan.Zero),
            row.LastEngagementAtTicks is { } engaged ? new DateTimeOffset(engaged, TimeSpan.Zero) : null,
            row.Version,
            privacy);
    }

    private static CustomFieldValue ToValue(ContactCustomValueRow row) => row.Type switch
    {
        CustomFieldType.Text => CustomFieldValue.FromText(row.TextValue!),
        CustomFieldType.Number => CustomFieldValue.FromNumber(row.NumberValue!.Value),
        CustomFieldType.Boolean => CustomFieldValue.FromBoolean(row.BooleanValue!.Value),
        _ => CustomFieldValue.FromDate(row.DateValue!.Value),
    };

    /// <summary>Makes <paramref name="current"/> hold exactly <paramref name="wanted"/>: updates rows in place by key, removes and adds the rest.</summary>
    private static void Sync<TRow, TKey>(List<TRow> current, IEnumerable<TRow> wanted, Func<TRow, TKey> key, Action<TRow, TRow> update)
        where TKey : notnull
    {
        var byKey = wanted.ToDictionary(key);
        current.RemoveAll(row => !byKey.ContainsKey(key(row)));
        foreach (var row in current)
        {
            update(row, byKey[key(row)]);
            byKey.Remove(key(row));
        }

        current.AddRange(byKey.Values);
    }
}
