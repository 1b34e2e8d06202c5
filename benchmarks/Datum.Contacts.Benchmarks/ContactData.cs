using System.Globalization;
using Bogus;

namespace Datum.Contacts.Benchmarks;

/// <summary>Deterministic test data: every generator is seeded, so each run sees the same contacts.</summary>
internal static class ContactData
{
    /// <summary>The seed of every generator.</summary>
    public const int Seed = 42;

    /// <summary>The custom fields the drafts fill in.</summary>
    public static CustomFieldDefinition[] CustomFieldDefinitions { get; } =
    [
        new("loyalty_tier", CustomFieldType.Text, "Loyalty programme tier."),
        new("lifetime_value", CustomFieldType.Number, "Total spent, in euros."),
    ];

    private static readonly string[] TimeZones = ["Europe/Paris", "Europe/Berlin", "America/New_York", "Asia/Tokyo", "Australia/Sydney"];
    private static readonly string[] Tiers = ["bronze", "silver", "gold", "platinum"];

    /// <summary>A seeded Bogus faker.</summary>
    public static Faker NewFaker(int seed = Seed) => new("en") { Random = new Randomizer(seed) };

    /// <summary>
    /// A typical full draft: names, title, company, email, phone, 3 tags, preferences with a time zone and,
    /// when <paramref name="withCustomFields"/>, the two <see cref="CustomFieldDefinitions"/>.
    /// </summary>
    /// <param name="f">The faker.</param>
    /// <param name="index">Makes the email address unique.</param>
    /// <param name="withCustomFields">Whether to fill in the custom fields (the tenant must declare them).</param>
    public static ContactDraft Draft(Faker f, int index, bool withCustomFields = true)
    {
        var first = f.Name.FirstName();
        var last = f.Name.LastName();
        return new ContactDraft
        {
            FirstName = first,
            LastName = last,
            Title = f.Name.JobTitle(),
            Company = f.Company.CompanyName(),
            Email = Email(f, first, last, index),
            Phone = f.Phone.PhoneNumber("+1 ###-###-####"),
            Type = "prospect",
            Tags = [f.Commerce.Department(1), f.Hacker.Noun(), "newsletter"],
            Preferences = new ContactPreferencesDraft
            {
                Channels = new Dictionary<string, bool> { ["email"] = true, ["sms"] = f.Random.Bool() },
                Frequency = ContactFrequency.Weekly,
                TimeZone = f.PickRandom(TimeZones),
            },
            CustomFields = withCustomFields
                ? new Dictionary<string, CustomFieldValue?>
                {
                    ["loyalty_tier"] = f.PickRandom(Tiers),
                    ["lifetime_value"] = Math.Round(f.Random.Decimal(0, 10_000), 2),
                }
                : null,
        };
    }

    /// <summary>A unique address: the Bogus user name, then <c>.index</c>, so no two indexes collide.</summary>
    /// <param name="f">The faker.</param>
    /// <param name="first">Given name.</param>
    /// <param name="last">Family name.</param>
    /// <param name="index">The unique part.</param>
    public static string Email(Faker f, string first, string last, long index)
        => string.Create(CultureInfo.InvariantCulture, $"{f.Internet.UserName(first, last)}.{index}@{f.Internet.DomainName()}");
}
