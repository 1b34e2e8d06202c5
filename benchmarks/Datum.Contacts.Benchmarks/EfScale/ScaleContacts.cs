using System.Buffers.Binary;
using System.Globalization;

namespace Datum.Contacts.Benchmarks;

/// <summary>
/// The contacts of the EF Core scale benchmarks, each a pure function of its index <c>i</c> (no generator state, so
/// any contact, its id and its position can be computed without the others): created <see cref="PerDay"/> a day from
/// <see cref="Start"/> in index order (so index = position in the default listing, and whole days split the contacts
/// exactly), a pseudo-random id, names, a company, an email, a phone for a third, 95% active, the tag
/// <c>newsletter</c> plus <c>vip</c> for 10% and <c>customer</c> for a third of the rest, the number custom field
/// <c>score</c> = <c>i mod 100</c>, explicit channels for half (email off for an eighth), an engagement for 80%.
/// </summary>
internal static class ScaleContacts
{
    /// <summary>How many contacts are created per day: sizes that are multiples of twice this split in half on a day.</summary>
    public const int PerDay = 10_000;

    /// <summary>The tag 10% of the contacts carry.</summary>
    public const string VipTag = "vip";

    /// <summary>The tenant owning the contacts.</summary>
    public static readonly TenantId Tenant = TenantId.Parse("scale");

    /// <summary>The first contact's creation time (midnight UTC).</summary>
    public static readonly DateTimeOffset Start = new(2025, 1, 1, 0, 0, 0, TimeSpan.Zero);

    /// <summary>The tenant's custom fields: the number <c>score</c>.</summary>
    public static readonly CustomFieldSchema Schema = new([new CustomFieldDefinition("score", CustomFieldType.Number, "0 to 99.")]);

    private static readonly long Step = TimeSpan.TicksPerDay / PerDay;
    private static readonly string[] FirstNames = ["Ada", "Grace", "Alan", "Edsger", "Barbara", "Donald", "Frances", "Ken", "Margaret", "Niklaus", "Radia", "Tim", "Shafi", "Leslie", "Whitfield"];
    private static readonly string[] LastNames = ["Lovelace", "Hopper", "Turing", "Dijkstra", "Liskov", "Knuth", "Allen", "Thompson", "Hamilton", "Wirth", "Perlman", "Berners-Lee", "Goldwasser", "Lamport", "Diffie", "Kay", "Ritchie", "Backus", "Cerf", "Sutherland", "Zuse"];
    private static readonly string[] Companies = ["Acme", "Globex", "Initech", "Umbrella", "Hooli", "Wonka", "Cyberdyne"];
    private static readonly string[] Domains = ["example.com", "acme.com", "mail.test", "post.example"];

    /// <summary>The creation time of contact <paramref name="i"/>.</summary>
    public static DateTimeOffset CreatedAt(int i) => Start.AddTicks(i * Step);

    /// <summary>The id of contact <paramref name="i"/>: 128 bits of SplitMix64 of the index, as random as Bogus' but computable.</summary>
    public static ContactId IdOf(int i)
    {
        Span<byte> bytes = stackalloc byte[16];
        BinaryPrimitives.WriteUInt64LittleEndian(bytes, SplitMix((ulong)i * 2 + 1));
        BinaryPrimitives.WriteUInt64LittleEndian(bytes[8..], SplitMix((ulong)i * 2 + 2));
        return new ContactId(new Guid(bytes));
    }

    /// <summary>Whether contact <paramref name="i"/> is active (all but every 20th).</summary>
    public static bool IsActive(int i) => i % 20 != 0;

    /// <summary>Whether contact <paramref name="i"/> carries <see cref="VipTag"/>.</summary>
    public static bool IsVip(int i) => i % 10 == 0;

    /// <summary>Whether contact <paramref name="i"/>'s email channel is on (it is unless its preferences switch it off).</summary>
    public static bool EmailOn(int i) => i % 8 != 0;

    /// <summary>Whether the audience data grants contact <paramref name="i"/> email consent (all but every 10th, offset 7).</summary>
    public static bool EmailConsentGranted(int i) => i % 10 != 7;

    /// <summary>The date (<c>yyyy-MM-dd</c>) from which the contacts after the first <paramref name="count"/> are created.</summary>
    public static string DayAfter(int count)
    {
        if (count % PerDay != 0)
        {
            throw new ArgumentOutOfRangeException(nameof(count), count, $"The scale sizes must split on whole days of {PerDay:N0} contacts.");
        }

        return CreatedAt(count).ToString("yyyy-MM-dd", CultureInfo.InvariantCulture);
    }

    /// <summary>The criteria matching the first half of <paramref name="size"/> contacts.</summary>
    public static string FirstHalf(int size) => $"createdAt < {DayAfter(size / 2)}";

    /// <summary>The criteria matching the second half: the first half's flipped.</summary>
    public static string SecondHalf(int size) => $"createdAt >= {DayAfter(size / 2)}";

    /// <summary>The draft of contact <paramref name="i"/>.</summary>
    public static ContactDraft Draft(int i)
    {
        var first = FirstNames[i % FirstNames.Length];
        var last = LastNames[(i / FirstNames.Length) % LastNames.Length];
        return new ContactDraft
        {
            FirstName = first,
            LastName = last,
            Title = i % 4 == 0 ? "Engineer" : null,
            Company = Companies[i % Companies.Length],
            Email = string.Create(CultureInfo.InvariantCulture, $"{first}.{last}.{i}@{Domains[i % Domains.Length]}").ToLowerInvariant(),
            Phone = i % 3 == 0 ? string.Create(CultureInfo.InvariantCulture, $"+1 202-{i / 10_000 % 1_000:D3}-{i % 10_000:D4}") : null,
            Type = "customer",
            Status = IsActive(i) ? ContactStatus.Active : ContactStatus.Inactive,
            Tags = IsVip(i) ? ["newsletter", VipTag] : i % 3 == 0 ? ["newsletter", "customer"] : ["newsletter"],
            Preferences = i % 2 == 0
                ? new ContactPreferencesDraft { Channels = new Dictionary<string, bool> { ["email"] = EmailOn(i), ["sms"] = true } }
                : null,
            CustomFields = new Dictionary<string, CustomFieldValue?> { ["score"] = i % 100 },
        };
    }

    /// <summary>Contact <paramref name="i"/> of <paramref name="tenant"/>, as the domain builds it.</summary>
    public static Contact Create(TenantId tenant, int i, ContactManagementOptions options)
    {
        var createdAt = CreatedAt(i);
        var contact = Contact.Create(tenant, IdOf(i), ContactDetails.Validate(Draft(i), Schema, options), ContactSource.Import, createdAt);
        if (i % 5 != 0)
        {
            contact.RecordEngagement(createdAt.AddDays(1), createdAt.AddDays(1));
        }

        return contact;
    }

    /// <summary>The first <paramref name="count"/> contacts of <see cref="Tenant"/>, created one at a time.</summary>
    public static IEnumerable<Contact> Stream(int count)
    {
        var options = new ContactManagementOptions();
        for (var i = 0; i < count; i++)
        {
            yield return Create(Tenant, i, options);
        }
    }

    private static ulong SplitMix(ulong x)
    {
        x += 0x9E3779B97F4A7C15UL;
        x = (x ^ (x >> 30)) * 0xBF58476D1CE4E5B9UL;
        x = (x ^ (x >> 27)) * 0x94D049BB133111EBUL;
        return x ^ (x >> 31);
    }
}
