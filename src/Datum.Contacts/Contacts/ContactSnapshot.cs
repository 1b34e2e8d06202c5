using System.Globalization;
using System.Text.Encodings.Web;
using System.Text.Json;

namespace Datum.Contacts;

/// <summary>
/// Describes a contact as a flat map of field path → invariant text, the one shape the audit trail compares,
/// so a new field is audited by adding one line here.
/// </summary>
internal static class ContactSnapshot
{
    public static readonly IReadOnlyDictionary<string, string> Nothing = new Dictionary<string, string>();

    // Audit values are data for people and machines, never HTML: keep non-ASCII tags readable.
    private static readonly JsonSerializerOptions TagJson = new() { Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping };

    public static SortedDictionary<string, string> Describe(Contact contact)
    {
        var fields = new SortedDictionary<string, string>(StringComparer.Ordinal);
        Add(fields, "firstName", contact.FirstName);
        Add(fields, "lastName", contact.LastName);
        Add(fields, "title", contact.Title);
        Add(fields, "company", contact.Company);
        Add(fields, "email", contact.Email?.Value);
        Add(fields, "phone", contact.Phone?.Value);
        foreach (var (network, value) in contact.SocialProfiles)
        {
            Add(fields, $"socialProfiles.{network}", value);
        }

        Add(fields, "type", contact.Type?.Value);
        Add(fields, "status", contact.Status.ToString());
        foreach (var (channel, on) in contact.Preferences.Channels)
        {
            Add(fields, $"preferences.channels.{channel.Value}", on ? "on" : "off");
        }

        Add(fields, "preferences.frequency", contact.Preferences.Frequency?.ToString());
        Add(fields, "preferences.timeZone", contact.Preferences.TimeZone?.Value);
        Add(fields, "preferences.quietHours", contact.Preferences.QuietHours?.ToString());
        Add(fields, "source", contact.Source.ToString());
        Add(fields, "tags", DescribeTags(contact.Tags));
        foreach (var (name, value) in contact.CustomFields)
        {
            Add(fields, $"customFields.{name}", value.ToString());
        }

        Add(fields, "lastEngagementAt", contact.LastEngagementAt?.ToString("O", CultureInfo.InvariantCulture));
        Add(fields, "privacy.doNotSellOrShare", contact.Privacy.DoNotSellOrShare ? "true" : null);
        Add(fields, "privacy.globalPrivacyControlAt", contact.Privacy.GlobalPrivacyControlAt?.ToString("O", CultureInfo.InvariantCulture));
        Add(fields, "privacy.deletionRequestedAt", contact.Privacy.DeletionRequestedAt?.ToString("O", CultureInfo.InvariantCulture));
        return fields;
    }

    public static List<FieldChange> Diff(IReadOnlyDictionary<string, string> before, IReadOnlyDictionary<string, string> after)
    {
        var changes = new List<FieldChange>();
        foreach (var field in before.Keys.Union(after.Keys).Order(StringComparer.Ordinal))
        {
            var old = before.GetValueOrDefault(field);
            var @new = after.GetValueOrDefault(field);
            if (!string.Equals(old, @new, StringComparison.Ordinal))
            {
                changes.Add(new FieldChange(field, old, @new));
            }
        }

        return changes;
    }

    /// <summary>Tags as audit text: JSON, so that one tag "a, b" and two tags "a" and "b" read differently; null for none.</summary>
    public static string? DescribeTags(TagSet tags) => tags.Count == 0 ? null : JsonSerializer.Serialize(tags.ToArray(), TagJson);

    public static void Add(SortedDictionary<string, string> fields, string field, string? value)
    {
        if (value is not null)
        {
            fields[field] = value;
        }
    }
}
