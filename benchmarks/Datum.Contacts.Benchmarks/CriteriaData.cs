using System.Diagnostics;
using System.Globalization;
using Bogus;

namespace Datum.Contacts.Benchmarks;

/// <summary>The three criteria the criteria benchmarks measure.</summary>
public enum CriteriaCase
{
    /// <summary><c>status = "active"</c>: one enum comparison.</summary>
    Simple,

    /// <summary>The example of the spec: status, a tag, a date and an <c>or</c> of a company and an email suffix (5 conditions).</summary>
    Medium,

    /// <summary>8 conditions, among them a number custom field, a 20-value <c>in</c>, a channel and a <c>not</c>.</summary>
    Heavy,
}

/// <summary>
/// The data of the criteria benchmarks: the three criteria, their hand-written C# equivalents (see also
/// <see cref="DynamicLinqCriteria"/> for their Dynamic LINQ text), and 1,000,000
/// contacts generated once per process from a fixed seed.
/// </summary>
internal static class CriteriaData
{
    /// <summary>How many contacts the evaluation benchmarks go through per invocation.</summary>
    public const int ContactCount = 1_000_000;

    /// <summary><see cref="CriteriaCase.Simple"/>.</summary>
    public const string SimpleText = "status = \"active\"";

    /// <summary><see cref="CriteriaCase.Medium"/>: the example of the spec, exactly.</summary>
    public const string MediumText =
        "status = \"active\" and tags has \"vip\" and createdAt > 2025-01-01 and (company = \"Acme\" or email endsWith \"@acme.com\")";

    /// <summary>The 20 companies of the heavy criteria's <c>in</c>.</summary>
    public static readonly string[] HeavyCompanies =
    [
        "Acme", "Globex", "Initech", "Umbrella", "Hooli", "Stark Industries", "Wayne Enterprises", "Wonka",
        "Cyberdyne", "Soylent", "Tyrell", "Aperture Science", "Massive Dynamic", "Pied Piper", "Vandelay Industries",
        "Oscorp", "Gringotts", "Monsters Inc", "Dunder Mifflin", "Prestige Worldwide",
    ];

    /// <summary><see cref="CriteriaCase.Heavy"/>: 8 conditions, absolute dates only (so the hand-written lambda is an exact equivalent).</summary>
    public static readonly string HeavyText =
        "status = \"active\" and tags has \"vip\" and createdAt >= 2024-01-01 and customFields.engagementScore >= 50"
        + " and company in (" + string.Join(", ", HeavyCompanies.Select(c => "\"" + c + "\"")) + ")"
        + " and preferences.channels.email = true and lastEngagementAt > 2024-06-01 and not (email endsWith \"@example.com\")";

    /// <summary>The tenant owning every contact.</summary>
    public static readonly TenantId Tenant = TenantId.Parse("bench-tenant");

    /// <summary>The tenant's custom fields: the number <c>engagementScore</c>.</summary>
    public static readonly CustomFieldSchema Schema = new([new CustomFieldDefinition("engagementScore", CustomFieldType.Number, "Engagement score, 0 to 100.")]);

    // createdAt is spread over 2023-01-01 .. 2026-11-01 (UTC); engagements fall between creation and the end.
    private static readonly DateTimeOffset Start = new(2023, 1, 1, 0, 0, 0, TimeSpan.Zero);
    private static readonly DateTimeOffset End = new(2026, 11, 1, 0, 0, 0, TimeSpan.Zero);

    private static readonly string[] TagVocabulary = ["newsletter", "customer", "lead", "partner", "webinar", "event-2025", "beta", "churn-risk"];

    private static readonly Lazy<Contact[]> LazyContacts = new(Generate, LazyThreadSafetyMode.ExecutionAndPublication);

    // Hand-written equivalents: what a developer writes with the public API and the same case-insensitive semantics.
    private static readonly HashSet<string> HeavyCompanySet = new(HeavyCompanies, StringComparer.OrdinalIgnoreCase);
    private static readonly DateTimeOffset MediumCreatedAfter = new(2025, 1, 2, 0, 0, 0, TimeSpan.Zero); // > 2025-01-01: from the next day on
    private static readonly DateTimeOffset HeavyCreatedFrom = new(2024, 1, 1, 0, 0, 0, TimeSpan.Zero); // >= 2024-01-01: from that day on
    private static readonly DateTimeOffset HeavyEngagedAfter = new(2024, 6, 2, 0, 0, 0, TimeSpan.Zero); // > 2024-06-01: from the next day on

    private static readonly Func<Contact, bool> SimpleLambda = c => c.Status == ContactStatus.Active;

    private static readonly Func<Contact, bool> MediumLambda = c =>
        c.Status == ContactStatus.Active
        && c.Tags.Contains("vip")
        && c.CreatedAt >= MediumCreatedAfter
        && (string.Equals(c.Company, "Acme", StringComparison.OrdinalIgnoreCase)
            || (c.Email?.Value.EndsWith("@acme.com", StringComparison.OrdinalIgnoreCase) ?? false));

    private static readonly Func<Contact, bool> HeavyLambda = c =>
        c.Status == ContactStatus.Active
        && c.Tags.Contains("vip")
        && c.CreatedAt >= HeavyCreatedFrom
        && c.CustomFields.TryGetValue("engagementScore", out var score) && score.NumberValue >= 50m
        && c.Company is { } company && HeavyCompanySet.Contains(company)
        && c.Preferences.IsEnabled(Channel.Email)
        && c.LastEngagementAt >= HeavyEngagedAfter
        && !(c.Email?.Value.EndsWith("@example.com", StringComparison.OrdinalIgnoreCase) ?? false);

    // Pre-folded equivalents: the same tests reading the case-folded copies each contact keeps (internal, as our
    // compiled criteria read them), with ordinal comparisons against lower-case literals: no folding per call.
    private static readonly HashSet<string> HeavyFoldedCompanySet = new(HeavyCompanies.Select(c => c.ToLowerInvariant()), StringComparer.Ordinal);

    private static readonly Func<Contact, bool> MediumPreFolded = c =>
        c.Status == ContactStatus.Active
        && c.Tags.ContainsFolded("vip")
        && c.CreatedAt >= MediumCreatedAfter
        && (string.Equals(c.FoldedCompany, "acme", StringComparison.Ordinal)
            || (c.FoldedEmail?.EndsWith("@acme.com", StringComparison.Ordinal) ?? false));

    private static readonly Func<Contact, bool> HeavyPreFolded = c =>
        c.Status == ContactStatus.Active
        && c.Tags.ContainsFolded("vip")
        && c.CreatedAt >= HeavyCreatedFrom
        && c.CustomFields.TryGetValue("engagementScore", out var score) && score.NumberValue >= 50m
        && c.FoldedCompany is { } company && HeavyFoldedCompanySet.Contains(company)
        && c.Preferences.IsEnabled(Channel.Email)
        && c.LastEngagementAt >= HeavyEngagedAfter
        && !(c.FoldedEmail?.EndsWith("@example.com", StringComparison.Ordinal) ?? false);

    private static readonly Lazy<bool> LazyVerified = new(VerifyAll, LazyThreadSafetyMode.ExecutionAndPublication);

    /// <summary>The 1,000,000 contacts, generated on first use (once per process).</summary>
    public static Contact[] Contacts => LazyContacts.Value;

    /// <summary>The text of a criteria.</summary>
    /// <param name="criteria">Which criteria.</param>
    public static string Text(CriteriaCase criteria) => criteria switch
    {
        CriteriaCase.Simple => SimpleText,
        CriteriaCase.Medium => MediumText,
        _ => HeavyText,
    };

    /// <summary>The hand-written C# equivalent of a criteria.</summary>
    /// <param name="criteria">Which criteria.</param>
    public static Func<Contact, bool> HandWritten(CriteriaCase criteria) => criteria switch
    {
        CriteriaCase.Simple => SimpleLambda,
        CriteriaCase.Medium => MediumLambda,
        _ => HeavyLambda,
    };

    /// <summary>
    /// The hand-written C# equivalent reading the contact's pre-folded text (<c>FoldedCompany</c>, <c>FoldedEmail</c>,
    /// <see cref="TagSet.ContainsFolded"/>) with ordinal comparisons, as our compiled criteria do: the honest lower
    /// bound of a per-contact test with the same semantics. The simple criteria has no text, so it is the hand-written lambda.
    /// </summary>
    /// <param name="criteria">Which criteria.</param>
    public static Func<Contact, bool> PreFolded(CriteriaCase criteria) => criteria switch
    {
        CriteriaCase.Simple => SimpleLambda,
        CriteriaCase.Medium => MediumPreFolded,
        _ => HeavyPreFolded,
    };

    /// <summary>
    /// The criteria the benchmarks run: all three, or those named (comma-separated) in the environment variable
    /// <c>DATUM_CRITERIA_CASES</c>, for a focused run such as <c>DATUM_CRITERIA_CASES=Simple</c>.
    /// </summary>
    public static IEnumerable<CriteriaCase> Cases()
        => Environment.GetEnvironmentVariable("DATUM_CRITERIA_CASES") is { Length: > 0 } names
            ? names.Split(',', StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries).Select(Enum.Parse<CriteriaCase>)
            : Enum.GetValues<CriteriaCase>();

    /// <summary>
    /// Checks, once per process, that the compiled delegate, the compiled scan, the hand-written and pre-folded lambdas,
    /// Dynamic LINQ and the reference interpreter
    /// count the same matches over <see cref="Contacts"/> for every criteria, and prints the counts.
    /// </summary>
    /// <exception cref="InvalidOperationException">Two evaluators disagree.</exception>
    public static void EnsureEvaluatorsAgree() => _ = LazyVerified.Value;

    private static bool VerifyAll()
    {
        var contacts = Contacts;
        var compiler = new CriteriaCompiler();
        var now = TimeProvider.System.GetUtcNow();
        foreach (var criteria in Enum.GetValues<CriteriaCase>())
        {
            var compiled = compiler.Compile(compiler.Parse(Text(criteria)), Schema);
            var predicate = compiled.Predicate;
            var lambda = HandWritten(criteria);
            var preFolded = PreFolded(criteria);
            var dynamicLinq = DynamicLinqCriteria.Compile(DynamicLinqCriteria.Text(criteria));
            int byDelegate = 0, byLambda = 0, byInterpreter = 0;
            foreach (var contact in contacts)
            {
                var d = predicate(contact);
                var l = lambda(contact);
                var i = compiled.Interpret(contact, now);
                var p = preFolded(contact);
                var q = dynamicLinq(contact);
                if (d != l || d != i || d != p || d != q)
                {
                    throw new InvalidOperationException(
                        $"{criteria}: the evaluators disagree on contact {contact.Id} (status {contact.Status}, tags [{contact.Tags}], created {contact.CreatedAt:O}, company {contact.Company}, email {contact.Email}): compiled {d}, hand-written {l}, interpreter {i}, pre-folded {p}, Dynamic LINQ {q}.");
                }

                byDelegate += d ? 1 : 0;
                byLambda += l ? 1 : 0;
                byInterpreter += i ? 1 : 0;
            }

            var byScan = compiled.CountMatches(contacts);
            if (byDelegate != byLambda || byDelegate != byInterpreter || byDelegate != byScan)
            {
                throw new InvalidOperationException(
                    $"{criteria}: match counts differ: compiled {byDelegate}, hand-written {byLambda}, interpreter {byInterpreter}, compiled scan {byScan}.");
            }

            Console.WriteLine(string.Create(
                CultureInfo.InvariantCulture,
                $"// Criteria {criteria}: {byDelegate:N0} of {contacts.Length:N0} contacts match (compiled delegate = compiled scan = hand-written lambda = pre-folded lambda = Dynamic LINQ = reference interpreter). {compiled}"));
        }

        return true;
    }

    /// <summary>
    /// The contacts of <see cref="Contacts"/>, generated one at a time in the same order from the same seed, for
    /// <paramref name="tenant"/>: a store can load them without the whole array being held.
    /// </summary>
    /// <param name="tenant">The tenant owning the contacts.</param>
    /// <param name="count">How many (the first <paramref name="count"/> of the same sequence).</param>
    internal static IEnumerable<Contact> Stream(TenantId tenant, int count = ContactCount)
    {
        var f = ContactData.NewFaker();
        var options = new ContactManagementOptions();
        var span = (End - Start).Ticks;
        for (var i = 0; i < count; i++)
        {
            var createdAt = Start.AddTicks(f.Random.Long(0, span - 1));
            var draft = Draft(f, i);
            var contact = Contact.Create(
                tenant, new ContactId(f.Random.Uuid()), ContactDetails.Validate(draft, Schema, options), f.PickRandom<ContactSource>(), createdAt);
            if (f.Random.Double() < 0.8)
            {
                var engagedAt = createdAt.AddTicks(f.Random.Long(0, (End - createdAt).Ticks));
                contact.RecordEngagement(engagedAt, engagedAt);
            }

            yield return contact;
        }
    }

    private static Contact[] Generate()
    {
        var watch = Stopwatch.StartNew();
        var contacts = new Contact[ContactCount];
        var i = 0;
        foreach (var contact in Stream(Tenant))
        {
            contacts[i++] = contact;
        }

        GC.Collect();
        Console.WriteLine(string.Create(
            CultureInfo.InvariantCulture,
            $"// Generated {contacts.Length:N0} contacts in {watch.Elapsed.TotalSeconds:F1} s; managed heap {GC.GetTotalMemory(forceFullCollection: true) / (1024.0 * 1024.0):F0} MB."));
        return contacts;
    }

    /// <summary>
    /// A contact draft: names; a company (about 10% Acme in some casing, 25% one of the other 19 <c>in</c> names,
    /// 60% a Bogus company, 5% none); an email (10% <c>@acme.com</c>, 15% <c>@example.com</c>, the rest a Bogus
    /// domain; 2% no email but a phone); 85% active, 10% inactive, 5% unsubscribed; 0 to 3 tags plus <c>vip</c> for
    /// about 10%; <c>engagementScore</c> 0 to 100 for 85%; for half the contacts preferences with the email channel
    /// switched on (75%) or off (25%), the other half no preferences (every channel on).
    /// </summary>
    internal static ContactDraft Draft(Faker f, int index)
    {
        var first = f.Name.FirstName();
        var last = f.Name.LastName();

        var companyRoll = f.Random.Double();
        var company = companyRoll switch
        {
            < 0.10 => f.PickRandom("Acme", "ACME", "acme"),
            < 0.35 => HeavyCompanies[f.Random.Int(1, HeavyCompanies.Length - 1)],
            < 0.95 => f.Company.CompanyName(),
            _ => null,
        };

        var emailRoll = f.Random.Double();
        var domain = emailRoll switch
        {
            < 0.10 => "acme.com",
            < 0.25 => "example.com",
            _ => f.Internet.DomainName(),
        };
        var hasEmail = f.Random.Double() >= 0.02;
        var email = hasEmail ? string.Create(CultureInfo.InvariantCulture, $"{f.Internet.UserName(first, last)}.{index}@{domain}") : null;
        var phone = hasEmail ? null : f.Phone.PhoneNumber("+1 2##-###-####");

        var statusRoll = f.Random.Double();
        var status = statusRoll switch
        {
            < 0.85 => ContactStatus.Active,
            < 0.95 => ContactStatus.Inactive,
            _ => ContactStatus.Unsubscribed,
        };

        var tags = f.PickRandom(TagVocabulary, f.Random.Int(0, 3)).ToList();
        if (f.Random.Double() < 0.10)
        {
            tags.Add(f.Random.Double() < 0.8 ? "vip" : "VIP");
        }

        return new ContactDraft
        {
            FirstName = first,
            LastName = last,
            Company = company,
            Email = email,
            Phone = phone,
            Status = status,
            Tags = tags,
            Preferences = f.Random.Bool()
                ? new ContactPreferencesDraft { Channels = new Dictionary<string, bool> { ["email"] = f.Random.Double() < 0.75 } }
                : null,
            CustomFields = f.Random.Double() < 0.85
                ? new Dictionary<string, CustomFieldValue?> { ["engagementScore"] = f.Random.Int(0, 100) }
                : null,
        };
    }
}
