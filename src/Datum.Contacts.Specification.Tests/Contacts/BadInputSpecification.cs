using System.Globalization;
using System.Reflection;
using System.Runtime.CompilerServices;
using System.Runtime.ExceptionServices;
using Xunit;

namespace Datum.Contacts.Specification.Tests;

/// <summary>Bad input gets a typed error naming the field, and the store is left exactly as it was.</summary>
public abstract class BadInputSpecification : ContactManagementSpecification
{
    /// <summary>Texts no store can keep, by what is wrong with them (the texts themselves are in <see cref="Unstorable"/>).</summary>
    public static TheoryData<string> UnstorableTexts => new() { "NUL", "lone high surrogate", "lone low surrogate", "high surrogate at the end", "control character" };

    /// <summary>
    /// An actor id is checked like every other text: a NUL, a lone surrogate or a control character is refused with a
    /// typed error naming <c>actor.id</c> before any service runs, so none reaches a store (PostgreSQL refuses a NUL,
    /// SQLite keeps a lone surrogate as U+FFFD), and nothing is written.
    /// </summary>
    /// <param name="what">What is wrong with the id.</param>
    [Theory]
    [MemberData(nameof(UnstorableTexts))]
    public async Task An_actor_id_no_store_could_keep_gets_a_typed_error_naming_the_field(string what)
    {
        var tenant = NewTenant();
        var id = "user" + Unstorable(what) + "42";

        var errors = new[] { () => Actor.Admin(id), () => Actor.Import(id), () => Actor.Integration(id), () => new Actor(ActorKind.Contact, id) }
            .Select(create => Assert.Throws<ValidationFailedException>(create))
            .ToList();

        Assert.All(errors, e => Assert.Equal(("actor.id", "invalid_characters"), (Assert.Single(e.Errors).Field, e.Errors[0].Code)));
        Assert.Equal("actor.id", Assert.Single(Assert.Throws<ValidationFailedException>(() => Actor.Admin(new string('a', Actor.MaxIdLength + 1))).Errors).Field);
        Assert.Equal("user42", Actor.Admin("user42").Id);
        Assert.Empty((await Audit.ReadTenantAsync(tenant, PageRequest.First)).Items);
    }

    /// <summary>
    /// Reads by a text no stored value can hold (a list name, an audited entity's type or id, an email, a suppressed
    /// value, a criteria value) find nothing or get a typed error on every store, never a provider or normalization
    /// exception; the same reads with the clean text still find what is there.
    /// </summary>
    /// <param name="what">What is wrong with the text.</param>
    [Theory]
    [MemberData(nameof(UnstorableTexts))]
    public async Task Reads_by_a_text_no_stored_value_can_hold_find_nothing_or_get_a_typed_error(string what)
    {
        // Arrange
        var tenant = NewTenant();
        var text = Unstorable(what);
        var ada = await Contacts.CreateAsync(tenant, NewDraft() with { Email = "ada@example.com", Tags = ["vip"] }, Admin);
        var list = await Lists.CreateAsync(tenant, new ListDraft { Name = "Newsletter" }, Admin);
        var contactId = ada.Id.ToString();

        // Act and assert: nothing found.
        Assert.Null(await Lists.FindByNameAsync(tenant, "Newsletter" + text));
        Assert.Null(await Lists.FindByNameAsync(tenant, text));
        Assert.Empty((await Audit.ReadEntityAsync(tenant, AuditEntityTypes.Contact, contactId + text, PageRequest.First)).Items);
        Assert.Empty((await Audit.ReadEntityAsync(tenant, AuditEntityTypes.Contact + text, contactId, PageRequest.First)).Items);
        Assert.Empty((await Audit.ReadEntityAsync(tenant, text, text, PageRequest.First)).Items);

        // Nothing found, or a typed error.
        await FindsNothingOrRefusesAsync(() => Contacts.FindByEmailAsync(tenant, "ada" + text + "@example.com"));
        await FindsNothingOrRefusesAsync(() => Suppressions.FindAsync(tenant, SuppressionKind.Email, "ada" + text + "@example.com"));
        await FindsNothingOrRefusesAsync(() => Suppressions.FindAsync(tenant, SuppressionKind.Phone, "+44 20 7946" + text + "0000"));
        await FindsNothingOrRefusesAsync(() => Suppressions.FindAsync(tenant, SuppressionKind.EmailDomain, "example" + text + ".com"));
        foreach (var criteria in new[] { $"tags has \"vip{text}\"", $"company = \"{text}\"", $"memberOf(\"Newsletter{text}\") isNotEmpty" })
        {
            await FindsNothingOrRefusesAsync(async () =>
            {
                var page = await Contacts.SearchAsync(tenant, Criteria.Parse(criteria), new ContactPageRequest());
                return page.Items.Count == 0 ? null : page;
            });
        }

        // The clean texts still find what is there.
        Assert.Equal(list.Id, (await Lists.FindByNameAsync(tenant, "newsletter"))?.Id);
        Assert.NotEmpty((await Audit.ReadEntityAsync(tenant, AuditEntityTypes.Contact, contactId, PageRequest.First)).Items);
        Assert.Equal(ada.Id, (await Contacts.FindByEmailAsync(tenant, "ada@example.com"))?.Id);
        Assert.Single((await Contacts.SearchAsync(tenant, Criteria.Parse("tags has \"vip\""), new ContactPageRequest())).Items);
    }

    private static string Unstorable(string what) => what switch
    {
        "NUL" => "a\0b",
        "lone high surrogate" => "a\uD800b",
        "lone low surrogate" => "a\uDC00b",
        "high surrogate at the end" => "ab\uDBFF",
        _ => "a\u0001b",
    };

    /// <summary>Asserts the read returns nothing (null) or throws a typed error of the library, nothing else.</summary>
    private static async Task FindsNothingOrRefusesAsync<T>(Func<Task<T?>> read)
        where T : class
    {
        try
        {
            Assert.Null(await read());
        }
        catch (ContactManagementException)
        {
            // A typed error: fine.
        }
    }

    /// <summary>Drafts broken in one field each.</summary>
    public static TheoryData<string, string> BrokenDrafts => new()
    {
        { "invalid email", "email" },
        { "invalid phone", "phone" },
        { "unknown time zone", "preferences.timeZone" },
        { "unknown custom field", "customFields.shoeSize" },
        { "custom field of the wrong type", "customFields.score" },
        { "10 MB first name", "firstName" },
        { "null byte in last name", "lastName" },
        { "null byte in email", "email" },
        { "control character in company", "company" },
        { "bad contact type", "type" },
        { "bad tag", "tags[1]" },
        { "no email and no phone", "email" },
        { "undefined status", "status" },
    };

    private static ContactDraft Break(ContactDraft draft, string how) => how switch
    {
        "invalid email" => draft with { Email = "ada@@example" },
        "invalid phone" => draft with { Phone = "555-CALL-NOW" },
        "unknown time zone" => draft with { Preferences = new ContactPreferencesDraft { TimeZone = "Atlantis/Central" } },
        "unknown custom field" => draft with { CustomFields = new Dictionary<string, CustomFieldValue?> { ["shoeSize"] = 42 } },
        "custom field of the wrong type" => draft with { CustomFields = new Dictionary<string, CustomFieldValue?> { ["score"] = "high" } },
        "10 MB first name" => draft with { FirstName = new string('a', 10 * 1024 * 1024) },
        "null byte in last name" => draft with { LastName = "Love\0lace" },
        "null byte in email" => draft with { Email = "ada\0@example.com" },
        "control character in company" => draft with { Company = "Acme\u0007" },
        "bad contact type" => draft with { Type = "VIP customer!" },
        "bad tag" => draft with { Tags = ["ok", "   "] },
        "no email and no phone" => draft with { Email = null, Phone = null },
        "undefined status" => draft with { Status = (ContactStatus)42 },
        _ => throw new ArgumentOutOfRangeException(nameof(how), how, null),
    };

    /// <summary>Creating from a broken draft fails with the field named and stores nothing.</summary>
    /// <param name="how">How the draft is broken.</param>
    /// <param name="field">The field the error must name.</param>
    [Theory]
    [MemberData(nameof(BrokenDrafts))]
    public async Task Creating_from_bad_input_fails_naming_the_field_and_stores_nothing(string how, string field)
    {
        var tenant = NewTenant();
        await CustomFields.DefineAsync(tenant, new CustomFieldDefinition("score", CustomFieldType.Number), Admin);
        var existing = await Contacts.CreateAsync(tenant, NewDraft("Existing"), Admin);
        var before = await AllAuditAsync(tenant);

        var error = await Assert.ThrowsAsync<ValidationFailedException>(() => Contacts.CreateAsync(tenant, Break(NewDraft(), how), Admin));

        Assert.Contains(error.Errors, e => e.Field == field);
        Assert.Contains(field, error.Message, StringComparison.Ordinal);
        Assert.True(error.Message.Length < 2_000, "the message must not echo huge input");
        Assert.Equal([existing.Id], (await AllContactsAsync(tenant)).Select(c => c.Id));
        Assert.Equal(before.Count, (await AllAuditAsync(tenant)).Count);
    }

    /// <summary>Updating from a broken draft fails with the field named and leaves the contact as it was.</summary>
    /// <param name="how">How the draft is broken.</param>
    /// <param name="field">The field the error must name.</param>
    [Theory]
    [MemberData(nameof(BrokenDrafts))]
    public async Task Updating_from_bad_input_fails_naming_the_field_and_changes_nothing(string how, string field)
    {
        var tenant = NewTenant();
        await CustomFields.DefineAsync(tenant, new CustomFieldDefinition("score", CustomFieldType.Number), Admin);
        var existing = await Contacts.CreateAsync(tenant, NewDraft(), Admin);

        var error = await Assert.ThrowsAsync<ValidationFailedException>(() => Contacts.UpdateAsync(tenant, existing.Id, Break(NewDraft(), how), 1, Admin));

        Assert.Contains(error.Errors, e => e.Field == field);
        var read = await Contacts.GetAsync(tenant, existing.Id);
        Assert.Equal(1, read.Version);
        Assert.Equal(existing.Email, read.Email);
        Assert.Single((await Contacts.GetAuditLogAsync(tenant, existing.Id, PageRequest.First)).Items);
    }

    /// <summary>Everything wrong with a draft is reported at once.</summary>
    [Fact]
    public async Task Every_problem_of_a_draft_is_reported_at_once()
    {
        var tenant = NewTenant();

        var error = await Assert.ThrowsAsync<ValidationFailedException>(() => Contacts.CreateAsync(tenant, new ContactDraft
        {
            FirstName = "A\0",
            Email = "no-at-sign",
            Phone = "12",
            Preferences = new ContactPreferencesDraft { TimeZone = "Nowhere/Town" },
            CustomFields = new Dictionary<string, CustomFieldValue?> { ["ghost"] = true },
        }, Admin));

        Assert.Equal(
            ["customFields.ghost", "email", "firstName", "phone", "preferences.timeZone"],
            error.Errors.Select(e => e.Field).Order(StringComparer.Ordinal));
        Assert.Empty(await AllContactsAsync(tenant));
    }

    /// <summary>Looking up a malformed address is a validation error, not a silent miss.</summary>
    [Fact]
    public async Task Finding_by_a_malformed_email_is_a_validation_error()
    {
        var error = await Assert.ThrowsAsync<ValidationFailedException>(() => Contacts.FindByEmailAsync(NewTenant(), "not-an-address"));

        Assert.Equal("email", error.Errors[0].Field);
    }

    /// <summary>The services a host calls, whose every non-nullable reference parameter is checked below.</summary>
    private static readonly Type[] ServiceTypes =
    [
        typeof(IContactService), typeof(IListService), typeof(IConsentService), typeof(ISuppressionService),
        typeof(IEngagementService), typeof(IAudienceService), typeof(IContactSelfService), typeof(ICustomFieldService),
        typeof(IAuditTrail),
    ];

    /// <summary>Each service method and each of its parameters that must not be null: "IContactService.FindByEmailAsync(TenantId, String, CancellationToken)" and "email".</summary>
    public static TheoryData<string, string> NonNullableParameters
    {
        get
        {
            var data = new TheoryData<string, string>();
            var nullability = new NullabilityInfoContext();
            foreach (var method in ServiceTypes.SelectMany(t => t.GetMethods()))
            {
                foreach (var parameter in method.GetParameters())
                {
                    if (!parameter.ParameterType.IsValueType && nullability.Create(parameter).WriteState == NullabilityState.NotNull)
                    {
                        data.Add(Signature(method), parameter.Name!);
                    }
                }
            }

            return data;
        }
    }

    /// <summary>A null where the signature says "not null" is a programmer mistake: the BCL's ArgumentNullException naming the parameter, never a domain error, and nothing is stored.</summary>
    /// <param name="method">The service method, as <see cref="Signature"/> prints it.</param>
    /// <param name="parameter">The parameter given null.</param>
    [Theory]
    [MemberData(nameof(NonNullableParameters))]
    public async Task A_null_argument_to_a_service_is_an_ArgumentNullException_naming_the_parameter(string method, string parameter)
    {
        var tenant = NewTenant();
        var target = ServiceTypes.SelectMany(t => t.GetMethods()).Single(m => Signature(m) == method);
        var service = Services.GetService(target.DeclaringType!) ?? throw new InvalidOperationException($"{target.DeclaringType!.Name} is not registered.");
        var arguments = target.GetParameters().Select(p => p.Name == parameter ? null : SampleOf(p.ParameterType, tenant)).ToArray();

        var error = await Assert.ThrowsAsync<ArgumentNullException>(async () =>
        {
            object? result;
            try
            {
                result = target.Invoke(service, arguments);
            }
            catch (TargetInvocationException ex) when (ex.InnerException is not null)
            {
                ExceptionDispatchInfo.Capture(ex.InnerException).Throw();
                throw;
            }

            await Assert.IsAssignableFrom<Task>(result);
        });

        Assert.Equal(parameter, error.ParamName);
        Assert.Empty(await AllAuditAsync(tenant));
    }

    /// <summary>A blank integration name is a programmer mistake too (the host's code names its integrations), unlike a blank email or token, which come from users.</summary>
    [Fact]
    public async Task A_blank_integration_name_is_an_ArgumentException()
    {
        var tenant = NewTenant();
        var list = await Lists.CreateAsync(tenant, new ListDraft { Name = "Blank integration" }, Admin);

        var error = await Assert.ThrowsAsync<ArgumentException>(() => Lists.UpdateSyncStatusAsync(tenant, list.Id, "  ", new SyncStatusUpdate { Status = SyncStatus.Failed }, Admin));

        Assert.Equal("system", error.ParamName);
    }

    /// <summary>A blank token comes from a link a contact followed: it stays a malformed token, not a programmer mistake.</summary>
    [Fact]
    public async Task A_blank_token_is_a_malformed_token()
    {
        var error = await Assert.ThrowsAsync<InvalidTokenException>(() => Consents.ConfirmOptInAsync(NewTenant(), " ", FormEvidence));

        Assert.Equal(InvalidTokenReason.Malformed, error.Reason);
    }

    private static string Signature(MethodInfo method)
        => $"{method.DeclaringType!.Name}.{method.Name}({string.Join(", ", method.GetParameters().Select(p => p.ParameterType.Name))})";

    private object? SampleOf(Type type, TenantId tenant)
    {
        if (type == typeof(TenantId))
        {
            return tenant;
        }

        if (type == typeof(ContactId))
        {
            return ContactId.New(Clock);
        }

        if (type == typeof(ListId))
        {
            return ListId.New(Clock);
        }

        if (type == typeof(Channel))
        {
            return Channel.Email;
        }

        if (type == typeof(ConsentScope))
        {
            return new ConsentScope(Channel.Email, null);
        }

        if (type == typeof(DateTimeOffset))
        {
            return Clock.GetUtcNow();
        }

        if (type == typeof(int) || type == typeof(long))
        {
            return Convert.ChangeType(10, type, CultureInfo.InvariantCulture);
        }

        if (type.IsEnum)
        {
            return Enum.GetValues(type).GetValue(0);
        }

        if (type.IsValueType)
        {
            return Nullable.GetUnderlyingType(type) is null ? Activator.CreateInstance(type) : null;
        }

        if (type == typeof(string))
        {
            return "x";
        }

        if (type == typeof(Actor))
        {
            return Admin;
        }

        if (type == typeof(Criteria))
        {
            return Criteria.Parse("status = \"active\"");
        }

        if (type == typeof(PageRequest))
        {
            return PageRequest.First;
        }

        if (type == typeof(CustomFieldDefinition))
        {
            return new CustomFieldDefinition("sample", CustomFieldType.Text);
        }

        if (type.IsGenericType && type.GetGenericArguments() is [var element] && type.IsAssignableFrom(element.MakeArrayType()))
        {
            return Array.CreateInstance(element, 0);
        }

        if (type.GetConstructor(Type.EmptyTypes) is { } parameterless)
        {
            return parameterless.Invoke(null);
        }

        if (type.GetConstructors().FirstOrDefault(c => c.GetParameters().All(p => p.IsOptional)) is { } optional)
        {
            return optional.Invoke(optional.GetParameters().Select(_ => Type.Missing).ToArray());
        }

        // Not null, fields unset: the null check of another parameter comes first.
        return RuntimeHelpers.GetUninitializedObject(type);
    }
}
