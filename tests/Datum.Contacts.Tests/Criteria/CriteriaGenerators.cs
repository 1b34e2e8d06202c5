using System.Globalization;
using System.Text;
using FsCheck;
using FsCheck.Fluent;

// Not Datum.Contacts.Tests.Criteria: inside that namespace the simple name Criteria would name the namespace, not the type.
namespace Datum.Contacts.Tests.CriteriaLanguage;

/// <summary>
/// Shared arrange steps of the criteria tests (a fixed schema, contacts, a clock, the three evaluators) and
/// FsCheck generators for random criteria, random contacts and random criteria-like noise.
/// </summary>
internal static class CriteriaGenerators
{
    /// <summary>The clock reading every test starts from: 2025-03-14T09:26:53Z.</summary>
    public static DateTimeOffset Now => TestData.Now;

    /// <summary>One custom field of each type.</summary>
    public static CustomFieldSchema Schema { get; } = new(
    [
        new CustomFieldDefinition("nickname", CustomFieldType.Text),
        new CustomFieldDefinition("score", CustomFieldType.Number),
        new CustomFieldDefinition("vip", CustomFieldType.Boolean),
        new CustomFieldDefinition("birthday", CustomFieldType.Date),
    ]);

    /// <summary>A contact created at <paramref name="createdAt"/> (default <see cref="Now"/>) from a draft valid under <see cref="Schema"/>.</summary>
    public static Contact NewContact(ContactDraft draft, DateTimeOffset? createdAt = null, ContactSource source = ContactSource.Manual)
        => Contact.Create(TestData.Tenant, ContactId.New(TimeProvider.System), TestData.Details(draft, Schema), source, createdAt ?? Now);

    /// <summary>Parses and compiles a criteria against <see cref="Schema"/>.</summary>
    public static CompiledCriteria Compile(this CriteriaCompiler compiler, string text) => compiler.Compile(compiler.Parse(text), Schema);

    /// <summary>
    /// Asserts that the compiled delegate, the query expression compiled to a delegate, and the reference
    /// interpreter (at <paramref name="now"/>) all give <paramref name="expected"/>.
    /// </summary>
    public static void AssertAllEvaluate(bool expected, CompiledCriteria compiled, Func<Contact, bool> query, Contact contact, DateTimeOffset now, string what)
    {
        var predicate = compiled.Predicate(contact);
        var queried = query(contact);
        var reference = compiled.Interpret(contact, now);
        Assert.True(
            predicate == expected && queried == expected && reference == expected,
            $"{compiled.Criteria} on {what}: expected {expected}; predicate {predicate}, query expression {queried}, reference interpreter {reference}");
    }

    /// <summary>Like <see cref="AssertAllEvaluate(bool, CompiledCriteria, Func{Contact, bool}, Contact, DateTimeOffset, string)"/>, compiling the query expression itself.</summary>
    public static void AssertAllEvaluate(bool expected, CompiledCriteria compiled, Contact contact, DateTimeOffset now, string what)
        => AssertAllEvaluate(expected, compiled, compiled.Expression.Compile(), contact, now, what);

    /// <summary>A short description of a contact for failure messages.</summary>
    public static string Describe(Contact contact)
    {
        var text = new StringBuilder();
        void Add(string name, object? value)
        {
            if (value is not null)
            {
                text.Append(name).Append('=').Append(Convert.ToString(value, CultureInfo.InvariantCulture)).Append("; ");
            }
        }

        Add("firstName", contact.FirstName);
        Add("lastName", contact.LastName);
        Add("title", contact.Title);
        Add("company", contact.Company);
        Add("email", contact.Email?.Value);
        Add("phone", contact.Phone?.Value);
        Add("type", contact.Type?.Value);
        Add("status", contact.Status);
        Add("source", contact.Source);
        Add("frequency", contact.Preferences.Frequency);
        Add("timeZone", contact.Preferences.TimeZone?.Value);
        Add("channels", contact.Preferences.Channels.Count == 0 ? null : string.Join(",", contact.Preferences.Channels.Select(p => $"{p.Key}:{p.Value}")));
        Add("social", contact.SocialProfiles.Count == 0 ? null : string.Join(",", contact.SocialProfiles.Select(p => $"{p.Key}:{p.Value}")));
        Add("tags", contact.Tags.Count == 0 ? null : "[" + string.Join(",", contact.Tags) + "]");
        Add("custom", contact.CustomFields.Count == 0 ? null : string.Join(",", contact.CustomFields.Select(p => $"{p.Key}:{p.Value}")));
        Add("createdAt", contact.CreatedAt.ToString("O", CultureInfo.InvariantCulture));
        Add("updatedAt", contact.UpdatedAt.ToString("O", CultureInfo.InvariantCulture));
        Add("lastEngagementAt", contact.LastEngagementAt?.ToString("O", CultureInfo.InvariantCulture));
        return text.ToString();
    }

    // ----------------------------------------------------------------------------------------------------
    // Anchors: the values criteria compare with, and contact values on and around them.
    // ----------------------------------------------------------------------------------------------------

    private static readonly string[] TextValues =
    [
        "ada", "ADA", "Ada Lovelace", "özlem", "ÖZ", "straße", "STRASSE", "STRAßE", "école", "ÉCOLE", "E\u0301COLE", "жанна",
        "e", "a", "", " ", "acme", "Acme Industries", "@example.com", "example", "+1415", "+33612345678", "client", "prospect",
        "europe/paris", "America/New_York", "https://", "github.com/ada", "café", "chief", "\"quoted\"", "back\\slash",
    ];

    private static readonly string[] NamePool =
        ["Ada", "ADA", "Özlem", "Zoë", "Straße", "STRASSE", "école", "ÉCOLE", "E\u0301cole", "Жанна", "a", "e", "Acme", "Ada Lovelace"];

    private static readonly decimal[] Numbers = [-1.5m, 0m, 0.5m, 1m, 9.99m, 10m, 10.5m, 42m, 100m];

    private static readonly DateOnly[] DateAnchors =
        [new(2000, 2, 29), new(2025, 1, 1), new(2025, 3, 7), new(2025, 3, 14), new(2025, 2, 12)];

    private static readonly string[] DateTimeValues =
    [
        "2025-01-01", "2025-03-14", "2025-03-13", "2025-02-12", "2025-03-07",
        "2025-01-01T08:00:00Z", "2025-03-14T09:26:53Z", "2025-03-14T10:26:53+01:00", "2025-01-01T00:00:00",
        "2024-12-31T23:59:59.9999999Z", "2025-02-12T09:26:53Z", "2025-01-01T08:00",
    ];

    private static readonly int[] DayCounts = [0, 1, 7, 30, 90];

    private static readonly DateTimeOffset[] InstantAnchors =
    [
        new(2025, 1, 1, 0, 0, 0, TimeSpan.Zero),
        new(2025, 1, 1, 8, 0, 0, TimeSpan.Zero),
        new(2025, 1, 2, 0, 0, 0, TimeSpan.Zero),
        new(2025, 3, 14, 0, 0, 0, TimeSpan.Zero),
        new(2025, 3, 15, 0, 0, 0, TimeSpan.Zero),
        Now,
        Now.AddDays(-1),
        Now.AddDays(-7),
        Now.AddDays(-30),
        Now.AddDays(-90),
    ];

    private static readonly CriteriaOperator[] TextOperators =
    [
        CriteriaOperator.Equals, CriteriaOperator.NotEquals, CriteriaOperator.Contains, CriteriaOperator.NotContains,
        CriteriaOperator.StartsWith, CriteriaOperator.EndsWith, CriteriaOperator.In, CriteriaOperator.NotIn,
        CriteriaOperator.IsEmpty, CriteriaOperator.IsNotEmpty,
    ];

    private static readonly CriteriaOperator[] ComparisonOperators =
    [
        CriteriaOperator.Equals, CriteriaOperator.NotEquals, CriteriaOperator.GreaterThan, CriteriaOperator.GreaterThanOrEqual,
        CriteriaOperator.LessThan, CriteriaOperator.LessThanOrEqual,
    ];

    // ----------------------------------------------------------------------------------------------------
    // Well-typed criteria over Schema.
    // ----------------------------------------------------------------------------------------------------

    /// <summary>Random criteria that bind against <see cref="Schema"/>: every field type, every operator it takes.</summary>
    public static Gen<Criteria> WellTypedCriteria() => Tree(WellTypedCondition(), 3);

    /// <summary>One random condition that binds against <see cref="Schema"/>.</summary>
    public static Gen<Criteria> WellTypedCondition() => Gen.Frequency(
        (4, TextCondition()),
        (2, ChoiceCondition()),
        (2, NumberCondition()),
        (1, BooleanCondition()),
        (2, DateCondition()),
        (3, DateTimeCondition()),
        (1, TagsCondition()));

    private static Gen<Criteria> Tree(Gen<Criteria> leaf, int depth)
    {
        if (depth == 0)
        {
            return leaf;
        }

        var smaller = Tree(leaf, depth - 1);
        var group = from count in Gen.Choose(2, 4)
                    from items in smaller.ArrayOf(count)
                    from logic in Gen.Elements(CriteriaLogic.And, CriteriaLogic.Or)
                    select Criteria.Group(logic, items);
        return Gen.Frequency((4, leaf), (1, smaller.Select(Criteria.Not)), (2, group));
    }

    private static Gen<CriteriaValue> TextValue() => Gen.Elements(TextValues).Select(CriteriaValue.Of);

    private static Gen<CriteriaValue[]> ValuesFor(CriteriaOperator op, Gen<CriteriaValue> value) => op switch
    {
        CriteriaOperator.IsEmpty or CriteriaOperator.IsNotEmpty => Gen.Constant(Array.Empty<CriteriaValue>()),
        CriteriaOperator.In or CriteriaOperator.NotIn => Gen.Choose(1, 3).SelectMany(n => value.ArrayOf(n)),
        _ => value.Select(v => new[] { v }),
    };

    private static Gen<Criteria> Condition(Gen<string> fields, Gen<CriteriaOperator> operators, Func<CriteriaOperator, Gen<CriteriaValue[]>> values)
        => from field in fields
           from op in operators
           from vs in values(op)
           select (Criteria)Criteria.Condition(CriteriaField.Of(field), op, vs);

    private static Gen<Criteria> TextCondition() => Condition(
        Gen.Elements(
            "firstName", "lastName", "title", "company", "email", "phone", "type", "preferences.timeZone",
            "socialProfiles.github", "socialProfiles.LinkedIn", "customFields.nickname", "nickname"),
        Gen.Elements(TextOperators),
        op => ValuesFor(op, TextValue()));

    private static Gen<Criteria> ChoiceCondition()
    {
        var fields = new (string Field, string[] Choices)[]
        {
            ("status", ["active", "inactive", "unsubscribed"]),
            ("source", ["manual", "import", "form", "integration"]),
            ("preferences.frequency", ["daily", "weekly", "monthly", "quarterly"]),
        };
        return from field in Gen.Elements(fields)
               from op in Gen.Elements(CriteriaOperator.Equals, CriteriaOperator.NotEquals, CriteriaOperator.In, CriteriaOperator.NotIn, CriteriaOperator.IsEmpty, CriteriaOperator.IsNotEmpty)
               from values in ValuesFor(op, from choice in Gen.Elements(field.Choices)
                                            from upper in Gen.Elements(false, true)
                                            select CriteriaValue.Of(upper ? choice.ToUpperInvariant() : choice))
               select (Criteria)Criteria.Condition(CriteriaField.Of(field.Field), op, values);
    }

    private static Gen<Criteria> NumberCondition()
    {
        var number = Gen.Frequency(
            (5, Gen.Elements(Numbers).Select(CriteriaValue.Of)),
            (1, Gen.Elements(Numbers).Select(n => CriteriaValue.Of(n.ToString(CultureInfo.InvariantCulture)))));
        var between = from a in Gen.Elements(Numbers)
                      from b in Gen.Elements(Numbers)
                      select new[] { CriteriaValue.Of(Math.Min(a, b)), CriteriaValue.Of(Math.Max(a, b)) };
        return Condition(
            Gen.Elements("customFields.score", "score"),
            Gen.Elements([.. ComparisonOperators, CriteriaOperator.Between, CriteriaOperator.In, CriteriaOperator.NotIn, CriteriaOperator.IsEmpty, CriteriaOperator.IsNotEmpty]),
            op => op == CriteriaOperator.Between ? between : ValuesFor(op, number));
    }

    private static Gen<Criteria> BooleanCondition() => Condition(
        Gen.Elements("customFields.vip", "preferences.channels.email", "preferences.channels.sms", "preferences.channels.whatsapp"),
        Gen.Elements(CriteriaOperator.Equals, CriteriaOperator.NotEquals, CriteriaOperator.IsEmpty, CriteriaOperator.IsNotEmpty),
        op => ValuesFor(op, Gen.Frequency((4, Gen.Elements(true, false).Select(CriteriaValue.Of)), (1, Gen.Elements("true", "False").Select(CriteriaValue.Of)))));

    private static Gen<Criteria> DateCondition()
    {
        var dates = DateAnchors.SelectMany(d => new[] { d.AddDays(-1), d, d.AddDays(1) }).ToArray();
        var date = Gen.Elements(dates).Select(CriteriaValue.Of);
        var between = from a in Gen.Elements(dates)
                      from b in Gen.Elements(dates)
                      select new[] { CriteriaValue.Of(a < b ? a : b), CriteriaValue.Of(a < b ? b : a) };
        return Condition(
            Gen.Elements("customFields.birthday", "birthday"),
            Gen.Elements(
            [
                .. ComparisonOperators, CriteriaOperator.Between, CriteriaOperator.In, CriteriaOperator.NotIn,
                CriteriaOperator.WithinLastDays, CriteriaOperator.MoreThanDaysAgo, CriteriaOperator.IsEmpty, CriteriaOperator.IsNotEmpty,
            ]),
            op => op switch
            {
                CriteriaOperator.Between => between,
                CriteriaOperator.WithinLastDays or CriteriaOperator.MoreThanDaysAgo => Gen.Elements(DayCounts).Select(n => new[] { CriteriaValue.Of(n) }),
                _ => ValuesFor(op, date),
            });
    }

    private static Gen<Criteria> DateTimeCondition()
    {
        var between = from a in Gen.Elements(DateTimeValues)
                      from b in Gen.Elements(DateTimeValues)
                      let ordered = StartOf(a) <= StartOf(b) ? new[] { a, b } : [b, a]
                      select ordered.Select(CriteriaValue.Of).ToArray();
        return Condition(
            Gen.Elements("createdAt", "updatedAt", "lastEngagementAt"),
            Gen.Elements(
            [
                .. ComparisonOperators, CriteriaOperator.Between, CriteriaOperator.WithinLastDays, CriteriaOperator.MoreThanDaysAgo,
                CriteriaOperator.IsEmpty, CriteriaOperator.IsNotEmpty,
            ]),
            op => op switch
            {
                CriteriaOperator.Between => between,
                CriteriaOperator.WithinLastDays or CriteriaOperator.MoreThanDaysAgo => Gen.Elements(DayCounts).Select(n => new[] { CriteriaValue.Of(n) }),
                _ => ValuesFor(op, Gen.Elements(DateTimeValues).Select(CriteriaValue.Of)),
            });
    }

    private static DateTimeOffset StartOf(string text)
        => DateOnly.TryParseExact(text, "yyyy-MM-dd", CultureInfo.InvariantCulture, DateTimeStyles.None, out var date)
            ? new DateTimeOffset(date.ToDateTime(TimeOnly.MinValue), TimeSpan.Zero)
            : DateTimeOffset.Parse(text, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal);

    private static Gen<Criteria> TagsCondition() => Condition(
        Gen.Constant("tags"),
        Gen.Elements(CriteriaOperator.Has, CriteriaOperator.IsEmpty, CriteriaOperator.IsNotEmpty),
        op => ValuesFor(op, Gen.Elements("vip", "VIP", " vip ", "news", "CAFÉ", "straße", "e").Select(CriteriaValue.Of)));

    // ----------------------------------------------------------------------------------------------------
    // Any criteria, well-typed or not: the printers and parsers only care about syntax.
    // ----------------------------------------------------------------------------------------------------

    /// <summary>
    /// Text the criteria language can hold in a value: quotes, backslashes, escapes, line breaks, tabs,
    /// non-ASCII and surrogate pairs (no lone surrogates, null or other control characters, which values refuse).
    /// </summary>
    private const string ValueAlphabet = "abcXYZ019 \"\\/'\n\r\t()=<>!,.-+:éßẞÖЖ名\u0301\u00A0\u2028\u2029";

    private static readonly string[] SurrogatePairs = ["😀", "𝒜", "\U0001F600"];

    /// <summary>Random text values from <see cref="ValueAlphabet"/> and a few surrogate pairs.</summary>
    public static Gen<string> AnyValueText() =>
        Gen.Frequency(
            (8, Gen.Elements(ValueAlphabet.ToCharArray()).Select(c => c.ToString())),
            (1, Gen.Elements(SurrogatePairs)))
        .ListOf()
        .Select(parts => string.Concat(parts))
        .Resize(12);

    private static Gen<decimal> AnyNumber() => Gen.Frequency(
        (4, from units in Gen.Choose(-1_000_000, 1_000_000)
            from scale in Gen.Choose(0, 6)
            select units / (decimal)Math.Pow(10, scale)),
        (1, Gen.Elements(decimal.MaxValue, decimal.MinValue, 0.0000000000000000000000000001m, -0m, 1.50m, 100m, 1e20m)));

    private static Gen<CriteriaValue> AnyValue() => Gen.Frequency(
        (4, AnyValueText().Select(CriteriaValue.Of)),
        (2, AnyNumber().Select(CriteriaValue.Of)),
        (1, Gen.Elements(true, false).Select(CriteriaValue.Of)),
        (1, Gen.Elements("2025-01-01", "2025-01-01T08:00:00Z", "2025-01-01T08:00:00.1234567+05:45", "0001-01-01", "9999-12-31").Select(CriteriaValue.Of)));

    private const string NameStart = "abcxyzABCXYZ";
    private const string NameRest = "abcxyzABCXYZ0189_-";

    private static Gen<string> AnySegment() =>
        from first in Gen.Elements(NameStart.ToCharArray())
        from rest in Gen.Elements(NameRest.ToCharArray()).ArrayOf().Resize(8)
        select first + new string(rest);

    /// <summary>
    /// Any field the API lets one build: catalogue fields in odd spellings, unknown dotted paths, extension
    /// namespaces, keyword-like names, and <c>memberOf("any list name")</c>. Names <see cref="CriteriaField"/>
    /// refuses are skipped; whether a name the parser cannot read back should be refused is tested on its own.
    /// </summary>
    public static Gen<CriteriaField> AnyField() => Gen.Frequency(
        (3, Gen.Elements(FixedFieldNames.Where(IsFieldName).ToArray()).Select(CriteriaField.Of)),
        (2, from count in Gen.Choose(1, 3)
            from segments in AnySegment().ArrayOf(count)
            let path = string.Join('.', segments)
            where IsFieldName(path) && !string.Equals(path, "not", StringComparison.OrdinalIgnoreCase)
            select CriteriaField.Of(path)),
        (1, AnyValueText().Where(IsListName).Select(CriteriaField.MemberOf)));

    private static readonly string[] FixedFieldNames =
    [
        "status", "STATUS", "firstName", "customFields.score", "CUSTOMFIELDS.Score", "preferences.CHANNELS.Email",
        "socialProfiles.GitHub", "consent.email", "tags", "createdAt", "score", "in", "and", "or", "is", "true",
        "between", "empty", "days", "memberOf.x", "a-b.c_d", "not.x", "x.not",
    ];

    private static bool IsFieldName(string path)
    {
        try
        {
            _ = CriteriaField.Of(path);
            return true;
        }
        catch (ArgumentException)
        {
            return false;
        }
    }

    private static bool IsListName(string name)
    {
        try
        {
            _ = CriteriaField.MemberOf(name);
            return true;
        }
        catch (ArgumentException)
        {
            return false;
        }
    }

    /// <summary>Any condition with the right number of values for its operator; days are whole numbers, as both forms require.</summary>
    public static Gen<Criteria> AnyCondition() =>
        from field in AnyField()
        from op in Gen.Elements(Enum.GetValues<CriteriaOperator>())
        from values in op switch
        {
            CriteriaOperator.IsEmpty or CriteriaOperator.IsNotEmpty => Gen.Constant(Array.Empty<CriteriaValue>()),
            CriteriaOperator.Between => AnyValue().ArrayOf(2),
            CriteriaOperator.In or CriteriaOperator.NotIn => Gen.Choose(1, 4).SelectMany(n => AnyValue().ArrayOf(n)),
            CriteriaOperator.WithinLastDays or CriteriaOperator.MoreThanDaysAgo => Gen.Choose(0, 36_500).Select(n => new[] { CriteriaValue.Of(n) }),
            _ => AnyValue().Select(v => new[] { v }),
        }
        select (Criteria)Criteria.Condition(field, op, values);

    /// <summary>Any criteria tree, well-typed or not.</summary>
    public static Gen<Criteria> AnyCriteria() => Tree(AnyCondition(), 3);

    // ----------------------------------------------------------------------------------------------------
    // Contacts.
    // ----------------------------------------------------------------------------------------------------

    /// <summary>The parts of a random contact; <see cref="Build"/> makes a fresh contact from them.</summary>
    public sealed record ContactCase(ContactDraft Draft, DateTimeOffset CreatedAt, DateTimeOffset? EngagedAt, DateTimeOffset UpdatedAt, ContactSource Source)
    {
        public Contact Build()
        {
            var contact = NewContact(Draft, CreatedAt, Source);
            if (EngagedAt is { } at)
            {
                contact.RecordEngagement(at, UpdatedAt);
            }

            return contact;
        }
    }

    private static Gen<T?> OrMissing<T>(Gen<T> gen, int missingWeight = 1)
        where T : class
        => Gen.Frequency((missingWeight, Gen.Constant<T?>(null)), (2, gen.Select(v => (T?)v)));

    private static Gen<DateTimeOffset> Instant() =>
        from anchor in Gen.Elements(InstantAnchors)
        from shift in Gen.Elements(0L, 0L, -1L, 1L, TimeSpan.TicksPerHour * 12, -TimeSpan.TicksPerHour * 12, TimeSpan.TicksPerDay - 1)
        from offset in Gen.Elements(TimeSpan.Zero, TimeSpan.Zero, TimeSpan.FromHours(1), TimeSpan.FromHours(-5), TimeSpan.FromMinutes(345))
        select anchor.AddTicks(shift).ToOffset(offset);

    /// <summary>Random contacts: missing values everywhere, non-ASCII names, values on and around the criteria's values.</summary>
    public static Gen<ContactCase> RandomContacts()
    {
        var names = Gen.Elements(NamePool);
        var identity = Gen.Frequency(
            (3, Gen.Elements("ada@example.com", "ADA@Example.COM", "zoë@bücher.example", "grace@navy.mil", "a@e.org").Select(e => ((string?)e, (string?)null))),
            (1, Gen.Elements("+14155550123", "+33 6 12 34 56 78").Select(p => ((string?)null, (string?)p))),
            (1, Gen.Constant<(string?, string?)>(("ada@example.com", "+14155550123"))));
        var channels = from email in Gen.Elements<bool?>(null, true, false)
                       from sms in Gen.Elements<bool?>(null, true, false)
                       from whatsapp in Gen.Elements<bool?>(null, true, false)
                       select new (string Name, bool? On)[] { ("email", email), ("SMS", sms), ("whatsapp", whatsapp) }
                           .Where(c => c.On is not null).ToDictionary(c => c.Name, c => c.On!.Value);
        var preferences = from ch in channels
                          from frequency in Gen.Elements<ContactFrequency?>(null, ContactFrequency.Daily, ContactFrequency.Weekly, ContactFrequency.Monthly, ContactFrequency.Quarterly)
                          from zone in Gen.Elements<string?>(null, "Europe/Paris", "America/New_York", "Asia/Tokyo")
                          select new ContactPreferencesDraft { Channels = ch, Frequency = frequency, TimeZone = zone };
        var social = from github in Gen.Elements<string?>(null, "ada", "ÉCOLE", "github.com/ada")
                     from linkedin in Gen.Elements<string?>(null, "https://linkedin.com/in/ada", "Ada Lovelace")
                     select new (string Network, string? Value)[] { ("github", github), ("LinkedIn", linkedin) }
                         .Where(p => p.Value is not null).ToDictionary(p => p.Network, p => p.Value!);
        var dates = DateAnchors.SelectMany(d => new[] { d.AddDays(-1), d, d.AddDays(1) }).ToArray();
        var custom = from nickname in Gen.Elements<string?>(null, null, "Ada", "ÉCOLE", "straße", "e", "Acme")
                     from score in Gen.Frequency((1, Gen.Constant<decimal?>(null)), (3, Gen.Elements(Numbers).Select(n => (decimal?)n)))
                     from vip in Gen.Elements<bool?>(null, true, false)
                     from birthday in Gen.Frequency((1, Gen.Constant<DateOnly?>(null)), (3, Gen.Elements(dates).Select(d => (DateOnly?)d)))
                     from explicitNull in Gen.Elements(false, true)
                     select Custom(nickname, score, vip, birthday, explicitNull);
        var draft = from first in OrMissing(names)
                    from last in OrMissing(names)
                    from title in OrMissing(Gen.Elements("Chief Engineer", "ceo", "Directeur général"))
                    from company in OrMissing(Gen.Elements("Acme", "ACME Industries", "École Polytechnique", "Globex", "e"))
                    from id in identity
                    from type in OrMissing(Gen.Elements("client", "Prospect", "vendor"))
                    from status in Gen.Elements(Enum.GetValues<ContactStatus>())
                    from prefs in OrMissing(preferences)
                    from profiles in OrMissing(social)
                    from tags in Gen.SubListOf("vip", "News", "café", "Straße", "e").Select(t => (IReadOnlyCollection<string>)[.. t])
                    from fields in custom
                    select new ContactDraft
                    {
                        FirstName = first,
                        LastName = last,
                        Title = title,
                        Company = company,
                        Email = id.Item1,
                        Phone = id.Item2,
                        Type = type,
                        Status = status,
                        Preferences = prefs,
                        SocialProfiles = profiles,
                        Tags = tags,
                        CustomFields = fields,
                    };
        return from d in draft
               from created in Instant()
               from engaged in Gen.Frequency((1, Gen.Constant<DateTimeOffset?>(null)), (2, Instant().Select(i => (DateTimeOffset?)i)))
               from updated in Instant()
               from source in Gen.Elements(Enum.GetValues<ContactSource>())
               select new ContactCase(d, created, engaged, updated, source);
    }

    private static Dictionary<string, CustomFieldValue?> Custom(string? nickname, decimal? score, bool? vip, DateOnly? birthday, bool explicitNull)
    {
        var fields = new Dictionary<string, CustomFieldValue?>();
        void Put(string name, CustomFieldValue? value)
        {
            if (value is not null || explicitNull)
            {
                fields[name] = value;
            }
        }

        Put("nickname", nickname is null ? null : CustomFieldValue.FromText(nickname));
        Put("score", score is { } s ? CustomFieldValue.FromNumber(s) : null);
        Put("vip", vip is { } v ? CustomFieldValue.FromBoolean(v) : null);
        Put("birthday", birthday is { } b ? CustomFieldValue.FromDate(b) : null);
        return fields;
    }

    // ----------------------------------------------------------------------------------------------------
    // Noise for the parsers.
    // ----------------------------------------------------------------------------------------------------

    private static readonly string[] TextFragments =
    [
        "\"", "\"", "\\", "\\\"", "\\\\", "\\u", "\\u00e9", "\\uD800", "\\u12", "\\x", "\\n", "(", ")", "(", ")", ",", "=", "==", "!=", "!", "<>",
        "<", ">", ">=", "<=", " ", " ", " ", "\n", "\t", "\r\n", "and", "AND", "or", "not", "NOT", "in", "notIn", "not in", "between",
        "is", "empty", "is not empty", "isEmpty", "contains", "notContains", "startsWith", "endsWith", "has", "withinLast",
        "moreThan", "days", "day", "ago", "equals", "greaterThanOrEqual", "status", "tags", "createdAt", "customFields.score",
        "score", "preferences.channels.email", "memberOf", "memberOf(\"VIP\")", "consent.email", "true", "false", "0", "1", "9",
        "42", "-", "+", "-1.5", ".", "..", ":", "T", "Z", "2025-01-01", "2025-13-45", "2025-01-01T08:00:00Z", "2025-01-01T25:00",
        "1e5", "99999999999999999999999999999999", "-0", ".5", "5.", "'", "{", "}", "[", "]", "é", "ß", "😀", "\uD800", "\uDC00",
        "\u0000", "\u0001", "\u007F", "\u0085", "\u00A0", "\u2028", "\u202E", "\uFEFF", "\"active\"", "\"", "a", "Z", "_",
    ];

    private static readonly string[] JsonFragments =
    [
        "{", "}", "{", "}", "[", "]", "[", "]", ":", ",", ",", " ", "\"logic\"", "\"and\"", "\"or\"", "\"conditions\"", "\"field\"",
        "\"operator\"", "\"value\"", "\"not\"", "\"equals\"", "\"between\"", "\"in\"", "\"notIn\"", "\"isEmpty\"", "\"withinLastDays\"",
        "\"moreThanDaysAgo\"", "\"status\"", "\"active\"", "\"customFields.score\"", "\"memberOf(\\\"VIP\\\")\"", "\"createdAt\"",
        "\"2025-01-01\"", "1", "-1", "1.5", "1.5e400", "1e-400", "79228162514264337593543950336", "true", "false", "null", "\"\"",
        "\"\\uD800\"", "\"\\u0000\"", "\"\\\"\"", "\"a", "\"", "\\", "é", "\uD800", "\u0000", "\"LOGIC\"", "\"Field\"", "//", "/*",
    ];

    /// <summary>Random strings made of the language's own pieces and troublemakers: quotes, escapes, control characters, lone surrogates.</summary>
    public static Gen<string> TextNoise() => Gen.Elements(TextFragments).ListOf().Select(parts => string.Concat(parts)).Resize(40);

    /// <summary>Random JSON-ish text.</summary>
    public static Gen<string> JsonNoise() => Gen.Elements(JsonFragments).ListOf().Select(parts => string.Concat(parts)).Resize(40);

    /// <summary>Valid criteria text, damaged by a few random deletions, insertions, swaps and duplications.</summary>
    public static Gen<string> MutatedText() => Mutated(AnyCriteria().Select(c => c.ToString()), TextFragments);

    /// <summary>Valid criteria JSON, damaged the same way.</summary>
    public static Gen<string> MutatedJson() => Mutated(AnyCriteria().Select(c => c.ToJson()), JsonFragments);

    private static Gen<string> Mutated(Gen<string> valid, string[] fragments) =>
        from text in valid
        from count in Gen.Choose(1, 4)
        from edits in Edit(fragments).ArrayOf(count)
        select edits.Aggregate(text, (t, edit) => edit(t));

    private static Gen<Func<string, string>> Edit(string[] fragments) =>
        from kind in Gen.Choose(0, 3)
        from a in Gen.Choose(0, 10_000)
        from b in Gen.Choose(0, 10_000)
        from fragment in Gen.Elements(fragments)
        select (Func<string, string>)(text =>
        {
            if (text.Length == 0)
            {
                return fragment;
            }

            var i = a % text.Length;
            var j = b % text.Length;
            switch (kind)
            {
                case 0:
                    return text.Remove(i, Math.Min(1 + (b % 3), text.Length - i));
                case 1:
                    return text.Insert(i, fragment);
                case 2:
                    var chars = text.ToCharArray();
                    (chars[i], chars[j]) = (chars[j], chars[i]);
                    return new string(chars);
                default:
                    var (low, high) = (Math.Min(i, j), Math.Max(i, j));
                    return text.Insert(high, text[low..high]);
            }
        });
}
