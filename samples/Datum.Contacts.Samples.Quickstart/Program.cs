// Datum.Contacts quickstart: one tenant's contacts, on the in-memory store or in a SQLite file.
// Run: dotnet run --project samples/Datum.Contacts.Samples.Quickstart
// On SQLite (quickstart.db in the working folder, created fresh by the sample's migrations):
//      dotnet run --project samples/Datum.Contacts.Samples.Quickstart -- --store sqlite
// Search with your own criteria: dotnet run --project samples/Datum.Contacts.Samples.Quickstart -- 'company contains "engine" or tags has "vip"'
//
// Each section of the output names the method of this file that does it (Tour.ContactsAsync, ...), in the order it runs.
using Datum.Contacts;
using Datum.Contacts.Samples.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;

var arguments = args.ToList();
var store = "memory";
if (arguments.Count > 0 && arguments[0] == "--store")
{
    store = arguments.Count > 1 ? arguments[1] : string.Empty;
    arguments.RemoveRange(0, Math.Min(2, arguments.Count));
}

var services = new ServiceCollection();
var builder = services.AddContactManagement(options =>
{
    options.DefaultPageSize = 2;

    // Opt-in and self-service tokens are signed with this key. A real host reads it from its secret store; a new
    // key is added (and made active) to rotate, and the old one removed once its tokens have expired.
    options.Tokens.SigningKeys.Add(new TokenSigningKey { Id = "2026-12", Secret = Convert.ToBase64String(System.Security.Cryptography.RandomNumberGenerator.GetBytes(32)) });
    options.Tokens.ActiveKeyId = "2026-12";
});
switch (store)
{
    case "memory":
        builder.UseInMemoryStore();
        break;
    case "sqlite":
        // A fresh file each run, its tables created by the sample's migration (Migrations/Sqlite).
        const string connectionString = "Data Source=quickstart.db;Pooling=False";
        File.Delete("quickstart.db");
        await using (var migrating = new SampleSqliteDbContext(SampleSqliteDbContext.Options(connectionString)))
        {
            await migrating.Database.MigrateAsync();
        }

        services.AddDbContextFactory<SampleSqliteDbContext>(options => options.UseSqlite(connectionString));
        builder.UseEntityFrameworkCore<SampleSqliteDbContext>();
        break;
    default:
        Console.Error.WriteLine($"Unknown store '{store}': use --store memory or --store sqlite.");
        return 2;
}

await using var provider = services.BuildServiceProvider(new ServiceProviderOptions { ValidateOnBuild = true, ValidateScopes = true });
provider.GetRequiredService<IStartupValidator>().Validate(); // a generic host does this for you at start-up

await using var scope = provider.CreateAsyncScope();
Console.WriteLine($"== Datum.Contacts quickstart ({(store == "sqlite" ? "SQLite store, quickstart.db" : "in-memory store")}) ==");
var tour = new Tour(scope.ServiceProvider);
await tour.ContactsAsync();
await tour.AuditTrailAsync();
await tour.PagingAsync();
await tour.SearchAsync(arguments.Count > 0 ? string.Join(' ', arguments) : null);
await tour.ListsAsync();
await tour.ConsentAsync();
await tour.SuppressionAsync();
await tour.AudienceAsync();
await tour.SummaryAsync();
return Environment.ExitCode;

/// <summary>The quickstart's steps, one method per section of its output, sharing the contacts they create.</summary>
internal sealed class Tour(IServiceProvider services)
{
    private readonly IContactService contacts = services.GetRequiredService<IContactService>();
    private readonly ICustomFieldService customFields = services.GetRequiredService<ICustomFieldService>();
    private readonly ICriteriaCompiler compiler = services.GetRequiredService<ICriteriaCompiler>();
    private readonly IListService lists = services.GetRequiredService<IListService>();
    private readonly IConsentService consent = services.GetRequiredService<IConsentService>();
    private readonly ISuppressionService suppressions = services.GetRequiredService<ISuppressionService>();
    private readonly IAudienceService audience = services.GetRequiredService<IAudienceService>();
    private readonly TenantId tenant = TenantId.Parse("acme");
    private readonly Actor admin = Actor.Admin("alice@acme.test");
    private readonly Dictionary<string, string> names = [];   // contact id -> name, to print who did what
    private static readonly ConsentScope Email = new(Channel.Email, null);

    private Contact ada = null!;
    private Contact grace = null!;
    private Contact jurgen = null!;
    private Contact eve = null!;
    private ContactList newsletter = null!;
    private ContactList vipClients = null!;

    public async Task ContactsAsync()
    {
        Section("Contacts: create, validate, update", nameof(ContactsAsync));
        await customFields.DefineAsync(tenant, new CustomFieldDefinition("plan", CustomFieldType.Text, "Subscription plan"), admin);
        await customFields.DefineAsync(tenant, new CustomFieldDefinition("seats", CustomFieldType.Number), admin);

        ada = Named(await contacts.CreateAsync(tenant, new ContactDraft
        {
            FirstName = "Ada",
            LastName = "Lovelace",
            Company = "Analytical Engines",
            Email = "Ada.Lovelace@Example.com",
            Phone = "+44 20 7946 0958",
            Type = "client",
            Tags = ["vip", "newsletter", "VIP"],
            Preferences = new ContactPreferencesDraft { Frequency = ContactFrequency.Weekly, TimeZone = "Europe/London" },
            CustomFields = new Dictionary<string, CustomFieldValue?> { ["plan"] = "pro", ["seats"] = 12 },
        }, admin));
        grace = Named(await contacts.CreateAsync(tenant, new ContactDraft { FirstName = "Grace", LastName = "Hopper", Email = "grace@navy.example", Type = "prospect" }, Actor.Import("crm-import-7")));
        jurgen = Named(await contacts.CreateAsync(tenant, new ContactDraft { FirstName = "Jürgen", LastName = "Müller", Email = "jürgen@bücher.de", Source = ContactSource.Form }, admin));
        Console.WriteLine($"Created 3 contacts: Ada Lovelace (a client, by {Who(admin)}), Grace Hopper (a prospect, by {Who(Actor.Import("crm-import-7"))}) and Jürgen Müller (from a form).");
        Console.WriteLine($"Ada's id is {ada.Id}; she is at version {ada.Version}, tags [{string.Join(", ", ada.Tags)}] (\"VIP\" was the same tag as \"vip\").");

        // Input errors are typed and list every field at once; nothing is stored.
        try
        {
            await contacts.CreateAsync(tenant, new ContactDraft { FirstName = "Mallory\0", Email = "mallory@@example", Phone = "12345" }, admin);
        }
        catch (ValidationFailedException e)
        {
            Console.WriteLine($"Refused Mallory, a contact with three bad fields, naming each: {string.Join("; ", e.Errors.Select(x => $"{x.Field} ({x.Code})"))}. Nothing was stored.");
        }

        try
        {
            await contacts.CreateAsync(tenant, new ContactDraft { Email = "ADA.LOVELACE@example.com" }, admin);
        }
        catch (DuplicateEmailException e)
        {
            Console.WriteLine($"Refused a second contact with Ada's email in other letter case: it belongs to {names.GetValueOrDefault(e.ExistingContactId.ToString() ?? string.Empty, "another contact")}.");
        }

        // A partial update based on the version we read; a second one based on the same, now stale, version fails.
        ada = await contacts.PatchAsync(tenant, ada.Id, new ContactPatch
        {
            Title = "Countess of Lovelace",
            Phone = null,
            CustomFields = new Dictionary<string, CustomFieldValue?> { ["seats"] = 25 },
        }, expectedVersion: ada.Version, admin);
        Console.WriteLine($"Updated Ada's title, phone and seats: she is now at version {ada.Version}.");
        try
        {
            await contacts.PatchAsync(tenant, ada.Id, new ContactPatch { Title = "Lady" }, expectedVersion: 1, admin);
        }
        catch (ConcurrencyConflictException e)
        {
            Console.WriteLine($"Refused a stale update of Ada: it was based on version {e.ExpectedVersion}, the current one is {e.ActualVersion}.");
        }
    }

    public async Task AuditTrailAsync()
    {
        Section("Audit trail of Ada, newest first", nameof(AuditTrailAsync));
        foreach (var entry in (await contacts.GetAuditLogAsync(tenant, ada.Id, PageRequest.First)).Items)
        {
            Console.WriteLine($"  {entry.Action} by {Who(entry.Actor)}");
            foreach (var change in entry.Changes)
            {
                Console.WriteLine($"    {change.Field}: {change.OldValue ?? "∅"} -> {change.NewValue ?? "∅"}");
            }
        }
    }

    public async Task PagingAsync()
    {
        Section("Contacts by last name, two per page", nameof(PagingAsync));
        string? cursor = null;
        var pageNumber = 0;
        do
        {
            var page = await contacts.PageAsync(tenant, new ContactPageRequest(ContactSortField.LastName, Cursor: cursor));
            pageNumber++;
            foreach (var c in page.Items)
            {
                Console.WriteLine($"  page {pageNumber}: {c.LastName}, {c.FirstName} <{c.Email}> {c.Type?.Value ?? "(no type)"}, version {c.Version}");
            }

            cursor = page.NextCursor;
        }
        while (cursor is not null);

        var found = await contacts.FindByEmailAsync(tenant, "JÜRGEN@BÜCHER.DE");
        Console.WriteLine($"Looked up JÜRGEN@BÜCHER.DE, case-insensitively: {found?.FirstName} {found?.LastName} (stored for identity as {found?.Email?.Normalized}).");
    }

    public async Task SearchAsync(string? criteriaText)
    {
        Section("Search with the criteria language", nameof(SearchAsync));
        // The first command-line argument, or a default criteria.
        criteriaText ??= "status = \"active\" and (tags has \"VIP\" or email endsWith \"@bücher.de\") and createdAt withinLast 30 days";
        Console.WriteLine($"Search: {criteriaText}");
        try
        {
            var criteria = compiler.Parse(criteriaText);
            Console.WriteLine($"  canonical text: {criteria}");
            Console.WriteLine($"  as JSON:        {criteria.ToJson()}");
            var matches = await contacts.SearchAsync(tenant, criteria, new ContactPageRequest(ContactSortField.LastName, Size: 100));
            Console.WriteLine($"  {matches.Items.Count} of the {await contacts.CountAsync(tenant, null)} contacts match:");
            foreach (var c in matches.Items)
            {
                Console.WriteLine($"    {c.FirstName} {c.LastName} <{c.Email}> tags [{string.Join(", ", c.Tags)}]");
            }

            // Why Grace is (or is not) in the result, condition by condition.
            var graceNow = (await contacts.GetAsync(tenant, grace.Id))!;
            var explanation = compiler.Compile(criteria, await customFields.GetSchemaAsync(tenant)).Explain(graceNow);
            Console.WriteLine($"  Grace {(explanation.Matched ? "matches" : "does not match")}:");
            foreach (var condition in explanation.Conditions)
            {
                Console.WriteLine($"    {(condition.Matched ? "yes" : "no ")}  {condition.Condition}   (her value: {condition.Value ?? "none"})");
            }
        }
        catch (InvalidCriteriaException e)
        {
            PrintCriteriaErrors(criteriaText, e);
            Environment.ExitCode = 2;
        }

        // A malformed criteria is refused with the position of each problem.
        const string Malformed = "status = \"active\" and createdAt > \"last tuesday\" and lastNme startsWith \"Love\"";
        Console.WriteLine($"Search: {Malformed}");
        try
        {
            await contacts.SearchAsync(tenant, compiler.Parse(Malformed), new ContactPageRequest());
        }
        catch (InvalidCriteriaException e)
        {
            PrintCriteriaErrors(Malformed, e);
        }
    }

    public async Task ListsAsync()
    {
        Section("Lists: a static list filled by hand, a dynamic list kept equal to its criteria", nameof(ListsAsync));
        newsletter = await lists.CreateAsync(tenant, new ListDraft
        {
            Name = "Newsletter",
            Kind = ListKind.Static,
            CommunicationMethod = new CommunicationMethodDraft { Channel = "email", Settings = new Dictionary<string, string> { ["fromAddress"] = "news@acme.test" } },
        }, admin);
        await lists.AddMembersAsync(tenant, newsletter.Id, [ada.Id, grace.Id], MembershipSource.Manual, admin);
        vipClients = await lists.CreateAsync(tenant, new ListDraft
        {
            Name = "VIP clients",
            Kind = ListKind.Dynamic,
            Criteria = compiler.Parse("type = \"client\" and tags has \"vip\" and memberOf(\"Newsletter\") = \"active\""),
            Integrations = [new ListIntegrationDraft { System = "salesforce", Direction = SyncDirection.Push, FieldMapping = new Dictionary<string, string> { ["email"] = "Email" } }],
        }, admin);
        Console.WriteLine($"'{newsletter.Name}' (static): Ada and Grace added by hand, {(await lists.GetAsync(tenant, newsletter.Id)).MemberCount} members.");
        Console.WriteLine($"'{vipClients.Name}' (dynamic: {vipClients.Criteria}): {Contacts(vipClients.MemberCount)} at once (Ada).");

        // A contact change moves Grace into the dynamic list at once, in the same unit of work as the change.
        grace = await contacts.PatchAsync(tenant, grace.Id, new ContactPatch { Type = "client", Tags = new[] { "vip" } }, grace.Version, admin);
        Console.WriteLine($"Grace became a VIP client: '{vipClients.Name}' now has {Contacts((await lists.GetAsync(tenant, vipClients.Id)).MemberCount)}.");

        // She unsubscribes from that list only: she stays on the newsletter, and out of the dynamic list while she still matches.
        await lists.UnsubscribeAsync(tenant, vipClients.Id, grace.Id, AsContact(grace));
        grace = await contacts.PatchAsync(tenant, grace.Id, new ContactPatch { Company = "US Navy" }, grace.Version, admin);
        var refresh = await lists.RefreshAsync(tenant, vipClients.Id, Actor.System);
        Console.WriteLine($"Grace unsubscribed from '{vipClients.Name}' and still matches its criteria; after another change of hers and a full refresh, which added {Contacts(refresh.Added, "no one")} and removed {Contacts(refresh.Removed, "no one")}, her membership is {(await lists.FindMembershipAsync(tenant, vipClients.Id, grace.Id))?.Status}. On '{newsletter.Name}' it is {(await lists.FindMembershipAsync(tenant, newsletter.Id, grace.Id))?.Status}.");
        foreach (var member in (await lists.GetMembersAsync(tenant, vipClients.Id, new ListMembersRequest(MembershipStatus.Active))).Items)
        {
            Console.WriteLine($"  active member of '{vipClients.Name}': {member.Contact.FirstName} {member.Contact.LastName} (joined {member.Membership.JoinedAt:u}, source {member.Membership.Source})");
        }

        var preview = await lists.PreviewAsync(tenant, compiler.Parse("memberOf(\"Newsletter\") isNotEmpty and lastName startsWith \"L\""), sampleSize: 5);
        Console.WriteLine($"Preview of an unsaved criteria (newsletter members whose last name starts with L): {preview.Count} match ({string.Join(", ", preview.Sample.Select(c => c.FirstName))}).");
        await lists.UpdateSyncStatusAsync(tenant, vipClients.Id, "salesforce", new SyncStatusUpdate { Status = SyncStatus.Succeeded, SyncedAt = DateTimeOffset.UtcNow }, Actor.Integration("salesforce"));
        var sync = (await lists.GetSyncStatusAsync(tenant, vipClients.Id)).Single();
        Console.WriteLine($"Sync status of '{vipClients.Name}' with {sync.System} ({sync.Direction}), as the integration reported it: {sync.Status}.");

        Console.WriteLine("Grace's membership history (newest first):");
        foreach (var entry in (await lists.GetHistoryAsync(tenant, grace.Id, null, new PageRequest(20))).Items)
        {
            var list = entry.List == vipClients.Id ? vipClients.Name : newsletter.Name;
            Console.WriteLine($"  {list}: {entry.From?.ToString() ?? "∅"} -> {entry.To?.ToString() ?? "∅"} ({entry.Reason}, by {Who(entry.Actor)}){(entry.IsEntry ? ", entered" : entry.IsExit ? ", left" : string.Empty)}");
        }
    }

    public async Task ConsentAsync()
    {
        Section("Consent: double opt-in, single opt-in, withdrawal", nameof(ConsentAsync));
        // Jürgen signs up through a form with double opt-in; the confirmation link carries a signed, single-use token.
        var signUp = SignUp;
        var request = await consent.RequestOptInAsync(tenant, jurgen.Id, Email, signUp, Actor.System);
        Console.WriteLine($"Jürgen asked for the newsletter by email (double opt-in): {request.Consent.State}; the confirmation link carries token {request.Token[..24]}… (expires {request.ExpiresAt:u}).");
        var confirmed = await consent.ConfirmOptInAsync(tenant, request.Token, signUp with { Source = ConsentSource.Form });
        Console.WriteLine($"He clicked the link: email consent {confirmed.State}.");
        try
        {
            await consent.ConfirmOptInAsync(tenant, request.Token, signUp);
        }
        catch (InvalidTokenException e)
        {
            Console.WriteLine($"The same link again is refused: {e.Reason}.");
        }

        // Ada and Grace opted in directly (single opt-in, at an event); then Grace withdraws.
        await consent.GrantAsync(tenant, ada.Id, Email, new ConsentEvidenceDraft { Source = ConsentSource.Admin, PolicyVersion = "privacy-2026-11" }, admin);
        await consent.GrantAsync(tenant, grace.Id, Email, new ConsentEvidenceDraft { Source = ConsentSource.Admin, PolicyVersion = "privacy-2026-11" }, admin);
        await consent.WithdrawAsync(tenant, grace.Id, Email, new ConsentEvidenceDraft { Source = ConsentSource.Form }, AsContact(grace));
        var allowed = await consent.WasAllowedAsync(tenant, grace.Id, Email, DateTimeOffset.UtcNow);
        Console.WriteLine($"Ada and Grace opted in at an event (recorded by {Who(admin)}); then Grace withdrew her email consent.");
        Console.WriteLine($"May Grace be emailed now? {(allowed.Allowed ? "yes" : "no")} ({allowed.ChannelState}; evidence: {allowed.ChannelEvidence?.Action} by {Who(allowed.ChannelEvidence?.Actor)} via {allowed.ChannelEvidence?.Source}).");
    }

    public async Task SuppressionAsync()
    {
        Section("Suppression: a blocked domain always wins", nameof(SuppressionAsync));
        eve = Named(await contacts.CreateAsync(tenant, new ContactDraft { FirstName = "Eve", Email = "eve@spam.example" }, admin));
        await lists.AddMembersAsync(tenant, newsletter.Id, [jurgen.Id, eve.Id], MembershipSource.Manual, admin);
        await consent.GrantAsync(tenant, eve.Id, Email, new ConsentEvidenceDraft { Source = ConsentSource.Import }, admin);
        Console.WriteLine($"A fourth contact, Eve <eve@spam.example>, came with an imported email consent; she and Jürgen joined '{newsletter.Name}'.");
        await suppressions.AddAsync(tenant, new SuppressionDraft { Kind = SuppressionKind.EmailDomain, Value = "@spam.example", Reason = SuppressionReason.Complaint, Note = "ticket 4711" }, admin);
        try
        {
            await consent.RequestOptInAsync(tenant, eve.Id, new ConsentScope(Channel.Sms, null), SignUp, Actor.System);
        }
        catch (ContactSuppressedException e)
        {
            Console.WriteLine($"After a complaint, the whole domain was suppressed ({e.Entry.Kind} {e.Entry.Value}, {e.Entry.Reason}): a new opt-in for Eve is refused, and her consent no longer counts.");
        }
    }

    public async Task AudienceAsync()
    {
        Section("Audience: who may be emailed the newsletter now, and why not Grace", nameof(AudienceAsync));
        await audience.SetPolicyAsync(tenant, new AudiencePolicyDraft { QuietHoursStart = "21:00", QuietHoursEnd = "08:00", DefaultTimeZone = "Europe/London" }, admin);
        var now = DateTimeOffset.UtcNow;   // the run's own time: between 21:00 and 08:00 in London, quiet hours hold everyone back
        var london = TimeZoneInfo.ConvertTime(now, TimeZoneInfo.FindSystemTimeZoneById("Europe/London"));
        Console.WriteLine($"Email audience of '{newsletter.Name}' now, {now:u} ({london:HH:mm} in London; quiet hours 21:00-08:00 local):");
        var members = 0;
        await foreach (var member in audience.ResolveAudienceAsync(tenant, newsletter.Id, Channel.Email, now))
        {
            members++;
            Console.WriteLine($"  {member.Contact.FirstName} {member.Contact.LastName} <{member.Contact.Email}>");
        }

        if (members == 0)
        {
            Console.WriteLine("  no one at this hour (quiet hours); run it again in London's daytime to see Ada and Jürgen.");
        }

        var why = await audience.ExplainEligibilityAsync(tenant, grace.Id, newsletter.Id, Channel.Email, now);
        Console.WriteLine($"Grace is {(why.IsEligible ? "in" : "left out")}:");
        foreach (var rule in why.Rules)
        {
            Console.WriteLine($"  {(rule.Passed ? "pass" : "FAIL")}  {rule.Rule}: {rule.Detail}");
        }

        var eveWhy = await audience.ExplainEligibilityAsync(tenant, eve.Id, newsletter.Id, Channel.Email, now);
        Console.WriteLine($"Eve is {(eveWhy.IsEligible ? "in" : "left out")}: {string.Join("; ", eveWhy.Rules.Where(r => !r.Passed).Select(r => $"{r.Rule}: {r.Detail}"))}.");
    }

    public async Task SummaryAsync()
    {
        Section("Summary", nameof(SummaryAsync));
        var tenantLog = await services.GetRequiredService<IAuditTrail>().ReadTenantAsync(tenant, new PageRequest(100));
        Console.WriteLine($"Tenant '{tenant}' holds {Contacts(await contacts.CountAsync(tenant, null))} ({string.Join(", ", names.Values)}) and {tenantLog.Items.Count} audit entries, one per change.");
    }

    private static ConsentEvidenceDraft SignUp => new() { Source = ConsentSource.Form, PolicyVersion = "privacy-2026-11", IpAddress = "203.0.113.7", UserAgent = "Mozilla/5.0" };

    private Contact Named(Contact contact)
    {
        names[contact.Id.ToString()] = $"{contact.FirstName} {contact.LastName}".Trim();
        return contact;
    }

    private static Actor AsContact(Contact contact) => new(ActorKind.Contact, contact.Id.ToString());

    // An actor as a reader wants it: a name and what kind of actor it is, not a bare id.
    private string Who(Actor? actor) => actor?.Kind switch
    {
        null => "nobody",
        ActorKind.Contact => $"{(names.TryGetValue(actor.Id, out var name) ? name : actor.Id)} (the contact)",
        ActorKind.AdminUser => $"{actor.Id} (admin user)",
        ActorKind.Import => $"{actor.Id} (an import)",
        ActorKind.Integration => $"{actor.Id} (an integration)",
        ActorKind.System => "the system",
        _ => $"{actor.Id} ({actor.Kind})",
    };

    private static string Contacts(long count, string none = "no contacts") =>
        count switch { 0 => none, 1 => "1 contact", _ => $"{count} contacts" };

    private static void Section(string title, string method)
    {
        Console.WriteLine();
        Console.WriteLine($"-- {title} (Tour.{method} in Program.cs) --");
    }

    private static void PrintCriteriaErrors(string text, InvalidCriteriaException e)
    {
        Console.WriteLine($"  refused ({e.Errors.Count} {(e.Errors.Count == 1 ? "error" : "errors")}):");
        foreach (var error in e.Errors)
        {
            Console.WriteLine($"    {error.Location}: {error.Message} [{error.Code}]");
            if (error.Location is { Line: 1, Column: > 0 } at)
            {
                Console.WriteLine($"      {text}");
                Console.WriteLine($"      {new string(' ', at.Column - 1)}^");
            }
        }
    }
}
