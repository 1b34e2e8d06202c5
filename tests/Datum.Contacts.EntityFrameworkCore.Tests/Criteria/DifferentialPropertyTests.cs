using System.Globalization;
using Datum.Contacts.Specification.Tests;
using FsCheck;
using FsCheck.Fluent;
using FsCheck.Xunit;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Time.Testing;
using Xunit;

namespace Datum.Contacts.EntityFrameworkCore.Tests;

/// <summary>
/// The three stores agree: for random contacts (non-ASCII names, missing values, empty tags, boundary numbers and
/// dates) and random criteria trees whose values come from those contacts, the in-memory store, SQLite and
/// PostgreSQL return the same matches from <see cref="IContactService.SearchAsync"/> and the same
/// <see cref="IContactService.CountAsync"/>, or fail the same way.
/// </summary>
/// <remarks>
/// Each case creates the same contacts (same ids, times and details) under one fresh tenant in each store, in one
/// unit of work per store, and runs its criteria with the clock standing at <see cref="Now"/>; matches are shown by
/// email. The stores are seeded and queried side by side to keep the run short.
/// </remarks>
public sealed class DifferentialPropertyTests : IDisposable
{
    private const int Cases = 25;
    private const int CriteriaPerCase = 3;

    /// <summary>When every case's searches run; contacts are created up to three days before.</summary>
    private static readonly DateTimeOffset Now = new(2026, 1, 5, 9, 0, 0, TimeSpan.Zero);

    private static readonly DateOnly Today = DateOnly.FromDateTime(Now.UtcDateTime);

    private static readonly string?[] Names =
    [
        null, "Émile", "émile", "EMILE", "Emile", "ÅSA", "åsa", "Åsa", "ısık", "IŞIK", "Işık", "İstanbul", "istanbul",
        "Straße", "STRASSE", "strasse", "ΣΟΦΟΣ", "σοφος", "Σοφός", "Zoe\u0308", "Zoë", "Ada", "ada", "O'Brien", "50%_off", "back\\slash",
    ];

    private static readonly string?[] Companies =
    [
        null, "Acme", "ACME Corp", "Straße GmbH", "STRASSE GMBH", "Åkesson AB", "İş Bankası", "Işık Ltd", "Ελληνική Εταιρεία", "100% Pure", "Under_Score", "Émile & Co",
    ];

    private static readonly string[] TagPool = ["vip", "VIP", "ß", "ss", "ı", "i", "İ", "σ", "ς", "Σ", "émile", "Émile", "%", "_", "a_b"];

    private static readonly string?[] Notes = [null, "Straße", "strasse", "Émile", "ŞIK", "ışık", "%", "_", "line1\nline2", "ΣΣ", "Ünïcödé"];

    private static readonly string?[] Handles = [null, "Émile", "émile", "ada-l", "ADA-L"];

    private static readonly decimal?[] Scores =
    [
        null, 0m, 1m, -1m, 0.5m, -0.5m, 12.50m, 12.5m, -12.5m, 100m, 99.99m, 0.0000000000000000000000000001m, -0.0000000000000000000000000001m,
        decimal.MaxValue, decimal.MinValue, 1234567890.0123456789012345678m, -1234567890.0123456789012345678m, 0.1m, 0.10000000000000000000000001m,
        -0.05m, -5m, -50m, 5m, 50m, 7.9228162514264337593543950335m,
    ];

    private static readonly DateOnly?[] Dates =
    [
        null, DateOnly.MinValue, DateOnly.MaxValue, new DateOnly(2000, 2, 29), new DateOnly(1969, 12, 31), new DateOnly(1970, 1, 1),
        Today, Today.AddDays(-1), Today.AddDays(-30), Today.AddDays(-31), Today.AddDays(1),
    ];

    private static readonly CustomFieldSchema Schema = new(
    [
        new CustomFieldDefinition("score", CustomFieldType.Number),
        new CustomFieldDefinition("since", CustomFieldType.Date),
        new CustomFieldDefinition("vip", CustomFieldType.Boolean),
        new CustomFieldDefinition("note", CustomFieldType.Text),
    ]);

    private static readonly ContactManagementOptions Options = new();

    private readonly Store[] _stores =
    [
        new("in-memory", b => b.UseInMemoryStore()),
        new("SQLite", b => SqliteTestDatabase.Instance.Use(b)),
        new("PostgreSQL", b => PostgresTestDatabase.Instance.Use(b)),
    ];

    /// <summary>
    /// The in-memory store, SQLite and PostgreSQL return the same matches and counts for random contacts and criteria.
    /// </summary>
    /// <returns>The property.</returns>
    [Property(MaxTest = Cases)]
    public Property The_three_stores_return_the_same_matches_and_counts_for_random_contacts_and_criteria()
        => Prop.ForAll(DiffCases().ToArbitrary(), run =>
        {
            var tenant = TenantId.Parse("diff-" + Guid.NewGuid().ToString("N")[..16]);
            var ids = run.Contacts.Select(c => Guid.CreateVersion7(Now.AddHours(-c.HoursBefore))).ToArray();
            Task.WhenAll(_stores.Select(s => SeedAsync(s, tenant, run.Contacts, ids))).GetAwaiter().GetResult();

            foreach (var criteria in run.Criteria)
            {
                var answers = Task.WhenAll(_stores.Select(s => OutcomeAsync(s.Services, tenant, criteria))).GetAwaiter().GetResult();
                var results = _stores.Select((s, i) => (s.Name, Outcome: answers[i])).ToList();
                var reference = results[0].Outcome;
                Assert.True(
                    results.All(r => r.Outcome == reference),
                    $"criteria {criteria} over {run}:{Environment.NewLine}" + string.Join(Environment.NewLine, results.Select(r => $"  {r.Name}: {r.Outcome}")));
            }
        });

    /// <summary>
    /// The generated cases are worth comparing: over as many cases as the property runs, evaluated in memory, the
    /// criteria are mostly valid and often select neither every contact nor none.
    /// </summary>
    [Fact]
    public async Task The_generated_differential_criteria_are_mostly_valid_and_tell_contacts_apart()
    {
        // Arrange
        var inMemory = _stores[0];
        var outcomes = new List<string>();
        var discriminating = 0;

        // Act
        foreach (var run in DiffCases().Sample(Cases))
        {
            var tenant = TenantId.Parse("diff-" + Guid.NewGuid().ToString("N")[..16]);
            var ids = run.Contacts.Select(c => Guid.CreateVersion7(Now.AddHours(-c.HoursBefore))).ToArray();
            await SeedAsync(inMemory, tenant, run.Contacts, ids);
            foreach (var criteria in run.Criteria)
            {
                var outcome = await OutcomeAsync(inMemory.Services, tenant, criteria);
                outcomes.Add(outcome);
                if (!outcome.StartsWith("error", StringComparison.Ordinal) && outcome != "0 []" && !outcome.StartsWith($"{run.Contacts.Length} ", StringComparison.Ordinal))
                {
                    discriminating++;
                }
            }
        }

        // Assert
        Assert.Equal(Cases * CriteriaPerCase, outcomes.Count);
        Assert.True(outcomes.Count(o => o.StartsWith("error", StringComparison.Ordinal)) <= outcomes.Count / 10, "too many generated criteria are invalid: " + string.Join("; ", outcomes.Where(o => o.StartsWith("error", StringComparison.Ordinal)).Distinct()));
        Assert.True(discriminating >= outcomes.Count / 4, $"only {discriminating} of {outcomes.Count} criteria told the contacts apart");
    }

    /// <summary>
    /// memberOf criteria (every operator, negated, combined with other fields and with a second list) give the same
    /// matches and counts in memory, where the memberships are read per contact, and in SQL, where they are a subquery.
    /// </summary>
    [Fact]
    public async Task The_three_stores_agree_on_memberOf_criteria()
    {
        // Arrange: the same contacts, lists and memberships in each store.
        var tenant = TenantId.Parse("diff-" + Guid.NewGuid().ToString("N")[..16]);
        var contactIds = Enumerable.Range(0, 18).Select(i => Guid.CreateVersion7(Now.AddHours(-i))).ToArray();
        var alpha = new ListId(Guid.CreateVersion7(Now));
        var beta = new ListId(Guid.CreateVersion7(Now.AddMinutes(1)));
        await Task.WhenAll(_stores.Select(async store =>
        {
            using var scope = store.Services.CreateScope();
            var uow = await scope.ServiceProvider.GetRequiredService<IContactManagementStore>().BeginAsync(tenant, default);
            await using (uow)
            {
                for (var i = 0; i < contactIds.Length; i++)
                {
                    var draft = new ContactDraft { FirstName = $"M{i}", Email = $"m{i}@example.com", Company = (i % 3) switch { 0 => "Acme", 1 => null, _ => "Other" } };
                    uow.Contacts.Add(Contact.Create(tenant, new ContactId(contactIds[i]), ContactDetails.Validate(draft, CustomFieldSchema.Empty, Options), ContactSource.Manual, Now.AddHours(-i)));
                }

                uow.Lists.Add(ContactList.Create(tenant, alpha, ListDetails.Validate(new ListDraft { Name = "Alpha" }, Options), Now));
                uow.Lists.Add(ContactList.Create(tenant, beta, ListDetails.Validate(new ListDraft { Name = "Beta Ünï" }, Options), Now));
                for (var i = 0; i < contactIds.Length; i++)
                {
                    MembershipStatus? inAlpha = (i % 4) switch { 0 => MembershipStatus.Active, 1 => MembershipStatus.Pending, 2 => MembershipStatus.Unsubscribed, _ => null };
                    MembershipStatus? inBeta = (i % 3) switch { 0 => MembershipStatus.Active, 2 => MembershipStatus.Pending, _ => null };
                    foreach (var (list, status) in new[] { (alpha, inAlpha), (beta, inBeta) })
                    {
                        if (status is { } s)
                        {
                            uow.Memberships.Add(ListMembership.Create(tenant, list, new ContactId(contactIds[i]), s, MembershipSource.Manual, Now));
                        }
                    }
                }

                await uow.CommitAsync(default);
            }
        }));
        string[] criteria =
        [
            """memberOf("Alpha") = "active" """,
            """memberOf("alpha") != "pending" """,
            """memberOf("ALPHA") in ("active", "unsubscribed")""",
            """memberOf("Alpha") notIn ("active")""",
            """memberOf("Alpha") isEmpty""",
            """memberOf("beta ÜNÏ") isNotEmpty and company = "Acme" """,
            """not (memberOf("Alpha") = "active" and memberOf("Beta Ünï") != "active")""",
            """memberOf("Alpha") = "active" or company isEmpty""",
            """not memberOf("Alpha") isEmpty and not memberOf("Beta Ünï") = "pending" """,
            """memberOf("Gamma") isEmpty""",
        ];

        // Act and assert
        var outcomes = new List<string>();
        foreach (var text in criteria)
        {
            var parsed = Criteria.Parse(text);
            var answers = await Task.WhenAll(_stores.Select(s => OutcomeAsync(s.Services, tenant, parsed)));
            Assert.True(
                answers.All(a => a == answers[0]),
                $"criteria {text}:{Environment.NewLine}" + string.Join(Environment.NewLine, _stores.Select((s, i) => $"  {s.Name}: {answers[i]}")));
            outcomes.Add(answers[0]);
        }

        // Worth comparing: the known lists' criteria run and tell the contacts apart; the unknown list is refused.
        Assert.All(outcomes[..^1], o => Assert.False(o.StartsWith("error", StringComparison.Ordinal) || o.StartsWith("0 ", StringComparison.Ordinal) || o.StartsWith($"{contactIds.Length} ", StringComparison.Ordinal), o));
        Assert.Equal(outcomes.Count - 1, outcomes[..^1].Distinct().Count());
        Assert.StartsWith("error", outcomes[^1], StringComparison.Ordinal);
    }

    /// <summary>
    /// consent criteria (every operator, negated, combined with other fields and with memberOf) give the same matches
    /// and counts in memory, where the consents are read per contact, and in SQL, where they are a subquery; list-scoped
    /// consents do not count as channel-wide ones, and a contact without a consent reads "none".
    /// </summary>
    [Fact]
    public async Task The_three_stores_agree_on_consent_criteria()
    {
        // Arrange: the same contacts, list, memberships and consents in each store.
        var tenant = TenantId.Parse("diff-" + Guid.NewGuid().ToString("N")[..16]);
        var contactIds = Enumerable.Range(0, 20).Select(i => new ContactId(Guid.CreateVersion7(Now.AddHours(-i)))).ToArray();
        var alpha = new ListId(Guid.CreateVersion7(Now));
        await Task.WhenAll(_stores.Select(async store =>
        {
            using var scope = store.Services.CreateScope();
            var uow = await scope.ServiceProvider.GetRequiredService<IContactManagementStore>().BeginAsync(tenant, default);
            await using (uow)
            {
                uow.Lists.Add(ContactList.Create(tenant, alpha, ListDetails.Validate(new ListDraft { Name = "Alpha" }, Options), Now));
                for (var i = 0; i < contactIds.Length; i++)
                {
                    var draft = new ContactDraft { FirstName = $"C{i}", Email = $"c{i}@example.com", Company = i % 3 == 0 ? "Acme" : null };
                    uow.Contacts.Add(Contact.Create(tenant, contactIds[i], ContactDetails.Validate(draft, CustomFieldSchema.Empty, Options), ContactSource.Manual, Now.AddHours(-i)));
                    if (i % 2 == 0)
                    {
                        uow.Memberships.Add(ListMembership.Create(tenant, alpha, contactIds[i], MembershipStatus.Active, MembershipSource.Manual, Now));
                    }

                    foreach (var (scopeOf, state) in new[]
                    {
                        (new ConsentScope(Channel.Email, null), (i % 5) switch { 0 => ConsentState.Granted, 1 => ConsentState.Pending, 2 => ConsentState.Withdrawn, _ => ConsentState.None }),
                        (new ConsentScope(Channel.Email, alpha), i % 5 == 3 ? ConsentState.Granted : i % 5 == 0 ? ConsentState.Withdrawn : ConsentState.None),
                        (new ConsentScope(Channel.Sms, null), i % 4 == 1 ? ConsentState.Granted : ConsentState.None),
                    })
                    {
                        var consent = Consent.New(tenant, contactIds[i], scopeOf, Now);
                        switch (state)
                        {
                            case ConsentState.Granted:
                                consent.Grant("v1", Now);
                                break;
                            case ConsentState.Pending:
                                consent.Request(new string('d', 64), Now.AddDays(1), "v1", Now);
                                break;
                            case ConsentState.Withdrawn:
                                consent.Withdraw(Now);
                                break;
                            default:
                                continue;
                        }

                        uow.Consents.Add(consent);
                    }
                }

                await uow.CommitAsync(default);
            }
        }));
        string[] criteria =
        [
            """consent.email = "granted" """,
            """consent.email != "granted" """,
            """consent.email = "none" """,
            """consent.email != "none" """,
            """consent.EMAIL in ("granted", "pending")""",
            """consent.email notIn ("withdrawn")""",
            """not (consent.email = "granted" or consent.sms = "granted")""",
            """consent.sms = "granted" and company = "Acme" """,
            """consent.email = "granted" and memberOf("Alpha") = "active" """,
            """consent.email isNotEmpty""",
            """consent.push = "none" """,
        ];

        // Act and assert
        var outcomes = new List<string>();
        foreach (var text in criteria)
        {
            var parsed = Criteria.Parse(text);
            var answers = await Task.WhenAll(_stores.Select(s => OutcomeAsync(s.Services, tenant, parsed)));
            Assert.True(
                answers.All(a => a == answers[0]),
                $"criteria {text}:{Environment.NewLine}" + string.Join(Environment.NewLine, _stores.Select((s, i) => $"  {s.Name}: {answers[i]}")));
            outcomes.Add(answers[0]);
        }

        // Worth comparing: every criteria runs, the first nine tell the contacts apart, and the last two match everyone.
        Assert.All(outcomes, o => Assert.False(o.StartsWith("error", StringComparison.Ordinal), o));
        Assert.All(outcomes[..^2], o => Assert.False(o.StartsWith("0 ", StringComparison.Ordinal) || o.StartsWith($"{contactIds.Length} ", StringComparison.Ordinal), o));
        Assert.All(outcomes[^2..], o => Assert.StartsWith($"{contactIds.Length} ", o, StringComparison.Ordinal));
        Assert.Equal(outcomes.Count - 1, outcomes.Distinct().Count());
    }

    public void Dispose()
    {
        foreach (var store in _stores)
        {
            store.Services.Dispose();
        }
    }

    /// <summary>
    /// Creates the case's contacts in one store, with the same ids and times as in the others: the custom fields and
    /// all the contacts in one unit of work through the store port, which is what the services do one at a time.
    /// </summary>
    /// <summary>The cases: 10 to 16 random contacts and <see cref="CriteriaPerCase"/> criteria built from their values.</summary>
    private static Gen<DiffCase> DiffCases() =>
        from count in Gen.Choose(10, 16)
        from contacts in Gen.ArrayOf(ContactGen(), count)
        from criteria in Gen.ArrayOf(CriteriaGen(contacts, 2), CriteriaPerCase)
        select new DiffCase(contacts, criteria);

    private static async Task SeedAsync(Store target, TenantId tenant, DiffContact[] contacts, Guid[] ids)
    {
        using var scope = target.Services.CreateScope();
        var store = scope.ServiceProvider.GetRequiredService<IContactManagementStore>();
        var uow = await store.BeginAsync(tenant, default);
        await using (uow)
        {
            foreach (var definition in Schema.Definitions)
            {
                uow.CustomFields.Add(definition);
            }

            for (var i = 0; i < contacts.Length; i++)
            {
                var spec = contacts[i];
                var created = Now.AddHours(-spec.HoursBefore);
                var contact = Contact.Create(tenant, new ContactId(ids[i]), ContactDetails.Validate(spec.ToDraft(i), Schema, Options), ContactSource.Manual, created);
                if (spec.EngagedDaysAgo is { } days)
                {
                    contact.RecordEngagement(Now.AddDays(-days), created);
                }

                uow.Contacts.Add(contact);
            }

            await uow.CommitAsync(default);
        }
    }

    /// <summary>What a store answers: the count and the matches' emails, or the error.</summary>
    private static async Task<string> OutcomeAsync(IServiceProvider services, TenantId tenant, Criteria criteria)
    {
        using var scope = services.CreateScope();
        var service = scope.ServiceProvider.GetRequiredService<IContactService>();
        try
        {
            var page = await service.SearchAsync(tenant, criteria, new ContactPageRequest(Size: 100));
            var count = await service.CountAsync(tenant, criteria);
            Assert.Null(page.NextCursor);
            var emails = page.Items.Select(c => c.Email!.Value).Order(StringComparer.Ordinal);
            return $"{count} [{string.Join(", ", emails)}]" + (count == page.Items.Count ? string.Empty : $" but the search found {page.Items.Count}");
        }
        catch (ContactManagementException exception)
        {
            return $"error {exception.GetType().Name} {exception.Code}";
        }
#pragma warning disable CA1031 // Any other failure is an outcome to compare, and the assertion shows it.
        catch (Exception exception)
#pragma warning restore CA1031
        {
            return $"error {exception.GetType().Name}: {exception.Message}";
        }
    }

    // ----- Generators -----

    private static Gen<DiffContact> ContactGen() =>
        from first in Gen.Elements(Names)
        from last in Gen.Elements(Names)
        from company in Gen.Elements(Companies)
        from tags in Gen.Frequency((1, Gen.Constant(Array.Empty<string>())), (3, Gen.SubListOf(TagPool).Select(t => t.ToArray())))
        from status in Gen.Elements(ContactStatus.Active, ContactStatus.Inactive, ContactStatus.Unsubscribed)
        from score in Gen.Elements(Scores)
        from since in Gen.Elements(Dates)
        from vip in Gen.Elements<bool?>(null, true, false)
        from note in Gen.Elements(Notes)
        from github in Gen.Elements(Handles)
        from email in Gen.Elements<bool?>(null, true, false)
        from engaged in Gen.Elements<double?>(null, null, 0.5, 6, 7.5, 40)
        from hours in Gen.Choose(0, 72)
        select new DiffContact(first, last, company, [.. tags], status, score, since, vip, note, github, email, engaged, hours);

    private static Gen<Criteria> CriteriaGen(DiffContact[] contacts, int depth)
    {
        var leaf = Gen.OneOf(
            TextCondition("firstName", contacts.Select(c => c.FirstName).Concat(Names)),
            TextCondition("lastName", contacts.Select(c => c.LastName).Concat(Names)),
            TextCondition("company", contacts.Select(c => c.Company).Concat(Companies)),
            TextCondition("customFields.note", contacts.Select(c => c.Note).Concat(Notes)),
            TextCondition("socialProfiles.github", contacts.Select(c => c.Github).Concat(Handles)),
            TagCondition(contacts.SelectMany(c => c.Tags).Concat(TagPool)),
            ChoiceCondition(),
            NumberCondition(contacts.Select(c => c.Score).Concat(Scores)),
            DateCondition(contacts.Select(c => c.Since).Concat(Dates)),
            FlagCondition("customFields.vip", withEmpty: true),
            FlagCondition("preferences.channels.email", withEmpty: false),
            TimeCondition("lastEngagementAt"),
            TimeCondition("createdAt"));
        if (depth == 0)
        {
            return leaf;
        }

        var inner = CriteriaGen(contacts, depth - 1);
        return Gen.Frequency(
            (3, leaf),
            (1, from n in Gen.Choose(2, 3) from items in Gen.ArrayOf(inner, n) select Criteria.And(items)),
            (1, from n in Gen.Choose(2, 3) from items in Gen.ArrayOf(inner, n) select Criteria.Or(items)),
            (1, inner.Select(Criteria.Not)));
    }

    private static Gen<Criteria> TextCondition(string field, IEnumerable<string?> values)
    {
        var pool = values.OfType<string>().Distinct(StringComparer.Ordinal).ToArray();
        var value =
            from text in Gen.Elements(pool)
            from how in Gen.Choose(0, 5)
            select CriteriaValue.Of(how switch
            {
                1 => text.ToUpperInvariant(),
                2 => text.ToLowerInvariant(),
                3 => text[..((text.Length + 1) / 2)],
                4 => text[(text.Length / 2)..],
                5 => text.Length > 2 ? text[1..^1] : text,
                _ => text,
            });
        return Condition(
            field,
            Gen.Elements(
                CriteriaOperator.Equals, CriteriaOperator.NotEquals, CriteriaOperator.Contains, CriteriaOperator.NotContains, CriteriaOperator.StartsWith,
                CriteriaOperator.EndsWith, CriteriaOperator.In, CriteriaOperator.NotIn, CriteriaOperator.IsEmpty, CriteriaOperator.IsNotEmpty),
            value);
    }

    private static Gen<Criteria> TagCondition(IEnumerable<string> tags)
    {
        var pool = tags.Distinct(StringComparer.Ordinal).ToArray();
        var value =
            from tag in Gen.Elements(pool)
            from upper in Gen.Elements(false, true)
            select CriteriaValue.Of(upper ? tag.ToUpperInvariant() : tag);
        return Condition("tags", Gen.Elements(CriteriaOperator.Has, CriteriaOperator.Has, CriteriaOperator.Has, CriteriaOperator.IsEmpty, CriteriaOperator.IsNotEmpty), value);
    }

    private static Gen<Criteria> ChoiceCondition()
        => Condition(
            "status",
            Gen.Elements(CriteriaOperator.Equals, CriteriaOperator.NotEquals, CriteriaOperator.In, CriteriaOperator.NotIn),
            Gen.Elements("active", "INACTIVE", "Unsubscribed").Select(CriteriaValue.Of));

    private static Gen<Criteria> NumberCondition(IEnumerable<decimal?> numbers)
    {
        var pool = numbers.OfType<decimal>().Distinct().ToArray();
        return Condition(
            "customFields.score",
            Gen.Elements(
                CriteriaOperator.Equals, CriteriaOperator.NotEquals, CriteriaOperator.GreaterThan, CriteriaOperator.GreaterThanOrEqual, CriteriaOperator.LessThan,
                CriteriaOperator.LessThanOrEqual, CriteriaOperator.Between, CriteriaOperator.In, CriteriaOperator.NotIn, CriteriaOperator.IsEmpty, CriteriaOperator.IsNotEmpty),
            Gen.Elements(pool).Select(CriteriaValue.Of),
            between: from a in Gen.Elements(pool) from b in Gen.Elements(pool) select new[] { CriteriaValue.Of(Math.Min(a, b)), CriteriaValue.Of(Math.Max(a, b)) });
    }

    private static Gen<Criteria> DateCondition(IEnumerable<DateOnly?> dates)
    {
        var pool = dates.OfType<DateOnly>().Distinct().ToArray();
        var relative =
            from op in Gen.Elements(CriteriaOperator.WithinLastDays, CriteriaOperator.MoreThanDaysAgo)
            from days in Gen.Elements(0, 1, 30, 31, 36500)
            select (Criteria)Criteria.Condition("customFields.since", op, days);
        var absolute = Condition(
            "customFields.since",
            Gen.Elements(
                CriteriaOperator.Equals, CriteriaOperator.NotEquals, CriteriaOperator.GreaterThan, CriteriaOperator.GreaterThanOrEqual, CriteriaOperator.LessThan,
                CriteriaOperator.LessThanOrEqual, CriteriaOperator.Between, CriteriaOperator.In, CriteriaOperator.NotIn, CriteriaOperator.IsEmpty, CriteriaOperator.IsNotEmpty),
            Gen.Elements(pool).Select(CriteriaValue.Of),
            between: from a in Gen.Elements(pool) from b in Gen.Elements(pool) select new[] { CriteriaValue.Of(a < b ? a : b), CriteriaValue.Of(a < b ? b : a) });
        return Gen.Frequency((1, relative), (3, absolute));
    }

    private static Gen<Criteria> FlagCondition(string field, bool withEmpty)
    {
        var flags =
            from op in Gen.Elements(CriteriaOperator.Equals, CriteriaOperator.NotEquals)
            from flag in Gen.Elements(true, false)
            select (Criteria)Criteria.Condition(field, op, flag);
        return withEmpty
            ? Gen.Frequency((3, flags), (1, Gen.Elements(CriteriaOperator.IsEmpty, CriteriaOperator.IsNotEmpty).Select(op => (Criteria)Criteria.Condition(field, op))))
            : flags;
    }

    private static Gen<Criteria> TimeCondition(string field)
    {
        var relative =
            from op in Gen.Elements(CriteriaOperator.WithinLastDays, CriteriaOperator.MoreThanDaysAgo)
            from days in Gen.Elements(0, 1, 2, 7, 30)
            select (Criteria)Criteria.Condition(field, op, days);
        var day = Gen.Choose(0, 5).Select(d => CriteriaValue.Of(Today.AddDays(-d)));
        var instant = Gen.Choose(0, 80).Select(h => CriteriaValue.Of(Now.AddHours(-h)));
        var absolute = Condition(
            field,
            Gen.Elements(
                CriteriaOperator.Equals, CriteriaOperator.NotEquals, CriteriaOperator.GreaterThan, CriteriaOperator.GreaterThanOrEqual,
                CriteriaOperator.LessThan, CriteriaOperator.LessThanOrEqual, CriteriaOperator.IsEmpty, CriteriaOperator.IsNotEmpty),
            Gen.OneOf(day, instant));
        return Gen.Frequency((1, relative), (2, absolute));
    }

    /// <summary>A condition with an operator from <paramref name="operators"/> and as many values as it takes.</summary>
    private static Gen<Criteria> Condition(string field, Gen<CriteriaOperator> operators, Gen<CriteriaValue> value, Gen<CriteriaValue[]>? between = null) =>
        from op in operators
        from values in op switch
        {
            CriteriaOperator.IsEmpty or CriteriaOperator.IsNotEmpty => Gen.Constant(Array.Empty<CriteriaValue>()),
            CriteriaOperator.In or CriteriaOperator.NotIn => from n in Gen.Choose(1, 3) from items in Gen.ArrayOf(value, n) select items,
            CriteriaOperator.Between => between ?? throw new InvalidOperationException($"{field} has no between values"),
            _ => value.Select(v => new[] { v }),
        }
        select (Criteria)Criteria.Condition(field, op, values);

    /// <summary>A generated contact: its fields, when it engaged (days before the searches) and when it was created (hours before).</summary>
    private sealed record DiffContact(
        string? FirstName,
        string? LastName,
        string? Company,
        string[] Tags,
        ContactStatus Status,
        decimal? Score,
        DateOnly? Since,
        bool? Vip,
        string? Note,
        string? Github,
        bool? EmailChannel,
        double? EngagedDaysAgo,
        int HoursBefore)
    {
        public ContactDraft ToDraft(int index) => new()
        {
            FirstName = FirstName,
            LastName = LastName,
            Company = Company,
            Email = $"d{index:D2}@example.com",
            Status = Status,
            Tags = Tags,
            SocialProfiles = Github is null ? null : new Dictionary<string, string> { ["github"] = Github },
            Preferences = EmailChannel is { } on ? new ContactPreferencesDraft { Channels = new Dictionary<string, bool> { ["email"] = on } } : null,
            CustomFields = new Dictionary<string, CustomFieldValue?>
            {
                ["score"] = Score is { } s ? CustomFieldValue.FromNumber(s) : null,
                ["since"] = Since is { } d ? CustomFieldValue.FromDate(d) : null,
                ["vip"] = Vip is { } v ? CustomFieldValue.FromBoolean(v) : null,
                ["note"] = Note is { } n ? CustomFieldValue.FromText(n) : null,
            },
        };

        public override string ToString()
            => string.Join(" / ", new object?[]
            {
                FirstName, LastName, Company, "[" + string.Join(",", Tags) + "]", Status, Score?.ToString(CultureInfo.InvariantCulture),
                Since?.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture), Vip, Note, Github, EmailChannel, EngagedDaysAgo, $"-{HoursBefore}h",
            }.Select(v => v?.ToString() ?? "-"));
    }

    private sealed record DiffCase(DiffContact[] Contacts, Criteria[] Criteria)
    {
        public override string ToString()
            => "contacts:" + string.Concat(Contacts.Select((c, i) => $"{Environment.NewLine}  d{i:D2}: {c}"))
                + Environment.NewLine + "criteria:" + string.Concat(Criteria.Select(c => $"{Environment.NewLine}  {c}"));
    }

    /// <summary>A store under comparison; its services read a clock that stands still at <see cref="Now"/>.</summary>
    private sealed class Store
    {
        public Store(string name, Action<ContactManagementBuilder> use)
        {
            Name = name;
            var services = new ServiceCollection();
            services.AddSingleton<TimeProvider>(new FakeTimeProvider(Now));
            use(services.AddContactManagement(_ => { }));
            Services = services.BuildServiceProvider();
        }

        public string Name { get; }

        public ServiceProvider Services { get; }
    }
}
