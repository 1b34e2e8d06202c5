// Datum.Contacts quickstart: one tenant's contacts, on the in-memory store or in a SQLite file.
// Run: dotnet run --project samples/Datum.Contacts.Samples.Quickstart
// On SQLite (quickstart.db in the working folder, created fresh by the sample's migrations):
//      dotnet run --project samples/Datum.Contacts.Samples.Quickstart -- --store sqlite
// Search with your own criteria: dotnet run --project samples/Datum.Contacts.Samples.Quickstart -- 'company contains "engine" or tags has "vip"'
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
var contacts = scope.ServiceProvider.GetRequiredService<IContactService>();
var customFields = scope.ServiceProvider.GetRequiredService<ICustomFieldService>();

var tenant = TenantId.Parse("acme");
var admin = Actor.Admin("alice@acme.test");

Console.WriteLine($"== Datum.Contacts quickstart ({(store == "sqlite" ? "SQLite store, quickstart.db" : "in-memory store")}) ==");
await customFields.DefineAsync(tenant, new CustomFieldDefinition("plan", CustomFieldType.Text, "Subscription plan"), admin);
await customFields.DefineAsync(tenant, new CustomFieldDefinition("seats", CustomFieldType.Number), admin);

var ada = await contacts.CreateAsync(tenant, new ContactDraft
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
}, admin);
await contacts.CreateAsync(tenant, new ContactDraft { FirstName = "Grace", LastName = "Hopper", Email = "grace@navy.example", Type = "prospect" }, Actor.Import("crm-import-7"));
await contacts.CreateAsync(tenant, new ContactDraft { FirstName = "Jürgen", LastName = "Müller", Email = "jürgen@bücher.de", Source = ContactSource.Form }, admin);
Console.WriteLine($"Created 3 contacts; Ada is {ada.Id} at version {ada.Version}, tags [{string.Join(", ", ada.Tags)}].");

// Input errors are typed and list every field at once; nothing is stored.
try
{
    await contacts.CreateAsync(tenant, new ContactDraft { FirstName = "Eve\0", Email = "eve@@example", Phone = "12345" }, admin);
}
catch (ValidationFailedException e)
{
    Console.WriteLine($"Rejected a bad contact: {string.Join("; ", e.Errors.Select(x => $"{x.Field} ({x.Code})"))}");
}

try
{
    await contacts.CreateAsync(tenant, new ContactDraft { Email = "ADA.LOVELACE@example.com" }, admin);
}
catch (DuplicateEmailException e)
{
    Console.WriteLine($"Rejected a duplicate email: it belongs to {e.ExistingContactId}.");
}

// A partial update based on the version we read; a second one based on the same, now stale, version fails.
ada = await contacts.PatchAsync(tenant, ada.Id, new ContactPatch
{
    Title = "Countess of Lovelace",
    Phone = null,
    CustomFields = new Dictionary<string, CustomFieldValue?> { ["seats"] = 25 },
}, expectedVersion: ada.Version, admin);
Console.WriteLine($"Updated Ada to version {ada.Version}.");
try
{
    await contacts.PatchAsync(tenant, ada.Id, new ContactPatch { Title = "Lady" }, expectedVersion: 1, admin);
}
catch (ConcurrencyConflictException e)
{
    Console.WriteLine($"Refused a stale update: based on version {e.ExpectedVersion}, current is {e.ActualVersion}.");
}

Console.WriteLine();
Console.WriteLine("Audit trail of Ada (newest first):");
foreach (var entry in (await contacts.GetAuditLogAsync(tenant, ada.Id, PageRequest.First)).Items)
{
    Console.WriteLine($"  {entry.Action} by {entry.Actor}");
    foreach (var change in entry.Changes)
    {
        Console.WriteLine($"    {change.Field}: {change.OldValue ?? "∅"} -> {change.NewValue ?? "∅"}");
    }
}

Console.WriteLine();
Console.WriteLine("Contacts by last name, two per page:");
string? cursor = null;
var pageNumber = 0;
do
{
    var page = await contacts.PageAsync(tenant, new ContactPageRequest(ContactSortField.LastName, Cursor: cursor));
    pageNumber++;
    foreach (var c in page.Items)
    {
        Console.WriteLine($"  page {pageNumber}: {c.LastName}, {c.FirstName} <{c.Email}> {c.Type?.Value ?? "-"} v{c.Version}");
    }

    cursor = page.NextCursor;
}
while (cursor is not null);

var found = await contacts.FindByEmailAsync(tenant, "JÜRGEN@BÜCHER.DE");
Console.WriteLine();
Console.WriteLine($"Found by email, case-insensitively: {found?.FirstName} {found?.LastName} ({found?.Email?.Normalized}).");

// Search with the criteria language: the first command-line argument, or a default criteria.
const string DefaultCriteria = "status = \"active\" and (tags has \"VIP\" or email endsWith \"@bücher.de\") and createdAt withinLast 30 days";
var criteriaText = arguments.Count > 0 ? string.Join(' ', arguments) : DefaultCriteria;
var compiler = scope.ServiceProvider.GetRequiredService<ICriteriaCompiler>();
Console.WriteLine();
Console.WriteLine($"Search: {criteriaText}");
try
{
    var criteria = compiler.Parse(criteriaText);
    Console.WriteLine($"  canonical text: {criteria}");
    Console.WriteLine($"  as JSON:        {criteria.ToJson()}");
    var matches = await contacts.SearchAsync(tenant, criteria, new ContactPageRequest(ContactSortField.LastName, Size: 100));
    Console.WriteLine($"  {matches.Items.Count} of {await contacts.CountAsync(tenant, null)} contacts match:");
    foreach (var c in matches.Items)
    {
        Console.WriteLine($"    {c.FirstName} {c.LastName} <{c.Email}> tags [{string.Join(", ", c.Tags)}]");
    }

    // Why Grace is (or is not) in the result, condition by condition.
    var graceNow = (await contacts.FindByEmailAsync(tenant, "grace@navy.example"))!;
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
Console.WriteLine();
Console.WriteLine($"Search: {Malformed}");
try
{
    await contacts.SearchAsync(tenant, compiler.Parse(Malformed), new ContactPageRequest());
}
catch (InvalidCriteriaException e)
{
    PrintCriteriaErrors(Malformed, e);
}

// Lists: a static list filled by hand, a dynamic list kept equal to its criteria.
var lists = scope.ServiceProvider.GetRequiredService<IListService>();
var grace = (await contacts.FindByEmailAsync(tenant, "grace@navy.example"))!;
var newsletter = await lists.CreateAsync(tenant, new ListDraft
{
    Name = "Newsletter",
    Kind = ListKind.Static,
    CommunicationMethod = new CommunicationMethodDraft { Channel = "email", Settings = new Dictionary<string, string> { ["fromAddress"] = "news@acme.test" } },
}, admin);
await lists.AddMembersAsync(tenant, newsletter.Id, [ada.Id, grace.Id], MembershipSource.Manual, admin);
var vipClients = await lists.CreateAsync(tenant, new ListDraft
{
    Name = "VIP clients",
    Kind = ListKind.Dynamic,
    Criteria = compiler.Parse("type = \"client\" and tags has \"vip\" and memberOf(\"Newsletter\") = \"active\""),
    Integrations = [new ListIntegrationDraft { System = "salesforce", Direction = SyncDirection.Push, FieldMapping = new Dictionary<string, string> { ["email"] = "Email" } }],
}, admin);
Console.WriteLine();
Console.WriteLine($"Lists: '{newsletter.Name}' (static) has {(await lists.GetAsync(tenant, newsletter.Id)).MemberCount} members; '{vipClients.Name}' (dynamic: {vipClients.Criteria}) has {vipClients.MemberCount}.");

// A contact change moves Grace into the dynamic list at once, in the same unit of work as the change.
grace = await contacts.PatchAsync(tenant, grace.Id, new ContactPatch { Type = "client", Tags = new[] { "vip" } }, grace.Version, admin);
Console.WriteLine($"Grace became a VIP client: '{vipClients.Name}' now has {(await lists.GetAsync(tenant, vipClients.Id)).MemberCount} members.");

// She unsubscribes from that list only: she stays on the newsletter, and out of the dynamic list while she still matches.
await lists.UnsubscribeAsync(tenant, vipClients.Id, grace.Id, new Actor(ActorKind.Contact, grace.Id.ToString()));
grace = await contacts.PatchAsync(tenant, grace.Id, new ContactPatch { Company = "US Navy" }, grace.Version, admin);
var refresh = await lists.RefreshAsync(tenant, vipClients.Id, Actor.System);
Console.WriteLine($"Grace unsubscribed from '{vipClients.Name}'; after another change and a refresh (+{refresh.Added}/-{refresh.Removed}) her membership is {(await lists.FindMembershipAsync(tenant, vipClients.Id, grace.Id))?.Status}; on '{newsletter.Name}' it is {(await lists.FindMembershipAsync(tenant, newsletter.Id, grace.Id))?.Status}.");
foreach (var member in (await lists.GetMembersAsync(tenant, vipClients.Id, new ListMembersRequest(MembershipStatus.Active))).Items)
{
    Console.WriteLine($"  active member of '{vipClients.Name}': {member.Contact.FirstName} {member.Contact.LastName} (joined {member.Membership.JoinedAt:u}, source {member.Membership.Source})");
}

var preview = await lists.PreviewAsync(tenant, compiler.Parse("memberOf(\"Newsletter\") isNotEmpty and lastName startsWith \"L\""), sampleSize: 5);
Console.WriteLine($"Preview of an unsaved criteria: {preview.Count} match ({string.Join(", ", preview.Sample.Select(c => c.FirstName))}).");
await lists.UpdateSyncStatusAsync(tenant, vipClients.Id, "salesforce", new SyncStatusUpdate { Status = SyncStatus.Succeeded, SyncedAt = DateTimeOffset.UtcNow }, Actor.Integration("salesforce"));
var sync = (await lists.GetSyncStatusAsync(tenant, vipClients.Id)).Single();
Console.WriteLine($"Sync status of '{vipClients.Name}' with {sync.System} ({sync.Direction}): {sync.Status}.");

Console.WriteLine("Grace's membership history (newest first):");
foreach (var entry in (await lists.GetHistoryAsync(tenant, grace.Id, null, new PageRequest(20))).Items)
{
    var list = entry.List == vipClients.Id ? vipClients.Name : newsletter.Name;
    Console.WriteLine($"  {list}: {entry.From?.ToString() ?? "∅"} -> {entry.To?.ToString() ?? "∅"} ({entry.Reason}, by {entry.Actor}){(entry.IsEntry ? " entered" : entry.IsExit ? " left" : string.Empty)}");
}

// Consent: Jürgen signs up through a form with double opt-in; the confirmation link carries a signed, single-use token.
var consent = scope.ServiceProvider.GetRequiredService<IConsentService>();
var suppressions = scope.ServiceProvider.GetRequiredService<ISuppressionService>();
var audience = scope.ServiceProvider.GetRequiredService<IAudienceService>();
var jurgen = (await contacts.FindByEmailAsync(tenant, "jürgen@bücher.de"))!;
var signUp = new ConsentEvidenceDraft { Source = ConsentSource.Form, PolicyVersion = "privacy-2026-11", IpAddress = "203.0.113.7", UserAgent = "Mozilla/5.0" };
var request = await consent.RequestOptInAsync(tenant, jurgen.Id, new ConsentScope(Channel.Email, null), signUp, Actor.System);
Console.WriteLine();
Console.WriteLine($"Double opt-in for Jürgen: {request.Consent.State}, confirmation token {request.Token[..24]}… (expires {request.ExpiresAt:u}).");
var confirmed = await consent.ConfirmOptInAsync(tenant, request.Token, signUp with { Source = ConsentSource.Form });
Console.WriteLine($"He confirmed: email consent {confirmed.State}.");
try
{
    await consent.ConfirmOptInAsync(tenant, request.Token, signUp);
}
catch (InvalidTokenException e)
{
    Console.WriteLine($"The same link again is refused: {e.Reason}.");
}

// Ada and Grace opted in directly (single opt-in, at an event); then Grace withdraws.
await consent.GrantAsync(tenant, ada.Id, new ConsentScope(Channel.Email, null), new ConsentEvidenceDraft { Source = ConsentSource.Admin, PolicyVersion = "privacy-2026-11" }, admin);
await consent.GrantAsync(tenant, grace.Id, new ConsentScope(Channel.Email, null), new ConsentEvidenceDraft { Source = ConsentSource.Admin, PolicyVersion = "privacy-2026-11" }, admin);
await consent.WithdrawAsync(tenant, grace.Id, new ConsentScope(Channel.Email, null), new ConsentEvidenceDraft { Source = ConsentSource.Form }, new Actor(ActorKind.Contact, grace.Id.ToString()));
var allowedThen = await consent.WasAllowedAsync(tenant, grace.Id, new ConsentScope(Channel.Email, null), DateTimeOffset.UtcNow);
Console.WriteLine($"Grace withdrew her email consent: allowed now? {allowedThen.Allowed} ({allowedThen.ChannelState}, evidence: {allowedThen.ChannelEvidence?.Action} by {allowedThen.ChannelEvidence?.Actor} via {allowedThen.ChannelEvidence?.Source}).");

// A suppressed address is never contacted, whatever its consent says; a new opt-in for it is refused.
var eve = await contacts.CreateAsync(tenant, new ContactDraft { FirstName = "Eve", Email = "eve@spam.example" }, admin);
await lists.AddMembersAsync(tenant, newsletter.Id, [jurgen.Id, eve.Id], MembershipSource.Manual, admin);
await consent.GrantAsync(tenant, eve.Id, new ConsentScope(Channel.Email, null), new ConsentEvidenceDraft { Source = ConsentSource.Import }, admin);
await suppressions.AddAsync(tenant, new SuppressionDraft { Kind = SuppressionKind.EmailDomain, Value = "@spam.example", Reason = SuppressionReason.Complaint, Note = "ticket 4711" }, admin);
try
{
    await consent.RequestOptInAsync(tenant, eve.Id, new ConsentScope(Channel.Sms, null), signUp, Actor.System);
}
catch (ContactSuppressedException e)
{
    Console.WriteLine($"Suppressed: {e.Entry.Kind} {e.Entry.Value} ({e.Entry.Reason}); a new opt-in for Eve is refused.");
}

// Who gets the newsletter by email now, and why Grace does not.
await audience.SetPolicyAsync(tenant, new AudiencePolicyDraft { QuietHoursStart = "21:00", QuietHoursEnd = "08:00", DefaultTimeZone = "Europe/London" }, admin);
var sendAt = new DateTimeOffset(2026, 12, 3, 11, 0, 0, TimeSpan.Zero);
Console.WriteLine($"Email audience of '{newsletter.Name}' at {sendAt:u} (quiet hours 21:00-08:00 local):");
await foreach (var member in audience.ResolveAudienceAsync(tenant, newsletter.Id, Channel.Email, sendAt))
{
    Console.WriteLine($"  {member.Contact.FirstName} {member.Contact.LastName} <{member.Contact.Email}>");
}

var why = await audience.ExplainEligibilityAsync(tenant, grace.Id, newsletter.Id, Channel.Email, sendAt);
Console.WriteLine($"Grace is {(why.IsEligible ? "in" : "left out")}:");
foreach (var rule in why.Rules)
{
    Console.WriteLine($"  {(rule.Passed ? "pass" : "FAIL")}  {rule.Rule}: {rule.Detail}");
}

var tenantLog = await scope.ServiceProvider.GetRequiredService<IAuditTrail>().ReadTenantAsync(tenant, new PageRequest(100));
Console.WriteLine();
Console.WriteLine($"Summary: {await contacts.CountAsync(tenant, null)} contacts, {tenantLog.Items.Count} audit entries in tenant '{tenant}'.");
return Environment.ExitCode;

static void PrintCriteriaErrors(string text, InvalidCriteriaException e)
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
