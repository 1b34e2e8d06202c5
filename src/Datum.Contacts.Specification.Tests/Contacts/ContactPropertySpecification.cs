using FsCheck;
using FsCheck.Fluent;
using FsCheck.Xunit;
using Xunit;

namespace Datum.Contacts.Specification.Tests;

/// <summary>Properties checked over generated data (FsCheck): round trips, stale versions, tenant isolation.</summary>
/// <remarks>100 cases per property; an adapter over a slow store may set fewer with <c>[Properties(MaxTest = 30)]</c> on its subclass.</remarks>
[Properties(MaxTest = 100)]
public abstract class ContactPropertySpecification : ContactManagementSpecification
{
    private static readonly string[] Names = ["Ada", "Zoë", "José", "Łukasz", "Søren", "Ağaoğlu", "O'Brien", "Nguyễn", "Мария", "李", "van der Berg", "Ørsted", "ß-Strauß"];
    private static readonly string[] Domains = ["example.com", "EXAMPLE.org", "bücher.de", "xn--bcher-kva.ch", "mail.example.co.uk", "münchen.example"];
    private static readonly string[] Zones = ["Europe/Paris", "America/New_York", "Asia/Tokyo", "UTC", "Australia/Adelaide", "America/Argentina/Buenos_Aires"];
    private static readonly string[] Tags = ["vip", "VIP", "newsletter", "Beta", "ünïcödé", "b2b", "churn-risk"];

    /// <summary>The tenant of <see cref="Any_valid_contact_round_trips"/>, with its custom fields defined (once: FsCheck calls the property method for every case).</summary>
    private TenantId? _roundTripTenant;

    /// <summary>Any valid contact reads back exactly as it was created.</summary>
    /// <returns>The property.</returns>
    [Property]
    public Property Any_valid_contact_round_trips()
    {
        var tenant = RoundTripTenant();
        return Prop.ForAll(ValidDrafts().ToArbitrary(), draft =>
        {
            var created = Contacts.CreateAsync(tenant, draft, Admin).GetAwaiter().GetResult();
            var read = Contacts.GetAsync(tenant, created.Id).GetAwaiter().GetResult();

            Assert.Equal(Describe(created), Describe(read));
            Assert.Equal(draft.FirstName, read.FirstName);
            Assert.Equal(draft.LastName, read.LastName);
            Assert.Equal(EmailAddress.Parse(draft.Email).Normalized, read.Email!.Normalized);
            Assert.Equal(draft.Tags!.Distinct(StringComparer.OrdinalIgnoreCase).Count(), read.Tags.Count);
            Assert.Equal(draft.CustomFields!.Count(p => p.Value is not null), read.CustomFields.Count);
            Assert.Equal(1, read.Version);
        });
    }

    /// <summary>An update based on any version but the current one is never applied.</summary>
    /// <returns>The property.</returns>
    [Property]
    public Property Stale_version_updates_are_never_applied()
    {
        var steps = Gen.ArrayOf(Gen.Choose(-3, 2)).Select(a => a.Take(12).ToArray());
        return Prop.ForAll(steps.ToArbitrary(), offsets =>
        {
            var tenant = NewTenant();
            var contact = Contacts.CreateAsync(tenant, NewDraft(), Admin).GetAwaiter().GetResult();
            long version = 1;
            var title = (string?)null;
            for (var i = 0; i < offsets.Length; i++)
            {
                var newTitle = $"title-{i}";
                long? expected = offsets[i] == 2 ? null : version + offsets[i];
                var fresh = expected is null || expected == version;
                if (fresh)
                {
                    var after = Contacts.PatchAsync(tenant, contact.Id, new ContactPatch { Title = newTitle }, expected, Admin).GetAwaiter().GetResult();
                    version++;
                    title = newTitle;
                    Assert.Equal(version, after.Version);
                }
                else
                {
                    var error = Assert.ThrowsAsync<ConcurrencyConflictException>(() => Contacts.PatchAsync(tenant, contact.Id, new ContactPatch { Title = newTitle }, expected, Admin)).GetAwaiter().GetResult();
                    Assert.Equal(version, error.ActualVersion);
                }

                var read = Contacts.GetAsync(tenant, contact.Id).GetAwaiter().GetResult();
                Assert.Equal(version, read.Version);
                Assert.Equal(title, read.Title);
            }
        });
    }

    /// <summary>
    /// Random operations across three tenants, some aimed at other tenants' contacts: every tenant always holds
    /// exactly what a per-tenant model says, and no call ever sees or touches another tenant.
    /// </summary>
    /// <returns>The property.</returns>
    [Property]
    public Property Tenants_stay_isolated_under_random_operations()
    {
        var operation =
            from kind in Gen.Choose(0, 4)
            from tenant in Gen.Choose(0, 2)
            from target in Gen.Choose(0, 1_000)
            from slot in Gen.Choose(0, 4)
            select new Operation(kind, tenant, target, slot);
        var sequences = Gen.ArrayOf(operation).Select(a => a.Take(25).ToArray());

        return Prop.ForAll(sequences.ToArbitrary(), ops => RunIsolation(ops));
    }

    private TenantId RoundTripTenant()
    {
        if (_roundTripTenant is { } defined)
        {
            return defined;
        }

        var tenant = NewTenant();
        CustomFields.DefineAsync(tenant, new CustomFieldDefinition("note", CustomFieldType.Text), Admin).GetAwaiter().GetResult();
        CustomFields.DefineAsync(tenant, new CustomFieldDefinition("score", CustomFieldType.Number), Admin).GetAwaiter().GetResult();
        CustomFields.DefineAsync(tenant, new CustomFieldDefinition("vip", CustomFieldType.Boolean), Admin).GetAwaiter().GetResult();
        CustomFields.DefineAsync(tenant, new CustomFieldDefinition("since", CustomFieldType.Date), Admin).GetAwaiter().GetResult();
        _roundTripTenant = tenant;
        return tenant;
    }

    private void RunIsolation(Operation[] ops)
    {
        TenantId[] tenants = [NewTenant(), NewTenant(), NewTenant()];
        var model = tenants.ToDictionary(t => t, _ => new Dictionary<ContactId, (string Name, string Email)>());
        var everCreated = tenants.ToDictionary(t => t, _ => new HashSet<string>());
        var known = new List<ContactId>();

        foreach (var op in ops)
        {
            var tenant = tenants[op.Tenant];
            var mine = model[tenant];
            var email = $"slot{op.Slot}@example.com";
            var target = known.Count == 0 ? ContactId.New(Clock) : known[op.Target % known.Count];
            switch (op.Kind)
            {
                case 0:
                    if (mine.Values.Any(v => v.Email == email))
                    {
                        Assert.ThrowsAsync<DuplicateEmailException>(() => Contacts.CreateAsync(tenant, new ContactDraft { FirstName = "N", Email = email }, Admin)).GetAwaiter().GetResult();
                    }
                    else
                    {
                        var created = Contacts.CreateAsync(tenant, new ContactDraft { FirstName = "N", Email = email }, Admin).GetAwaiter().GetResult();
                        mine[created.Id] = ("N", email);
                        known.Add(created.Id);
                        everCreated[tenant].Add(created.Id.ToString());
                    }

                    break;
                case 1:
                case 2:
                    var name = $"name-{op.Target}";
                    if (mine.TryGetValue(target, out var current))
                    {
                        Contacts.PatchAsync(tenant, target, new ContactPatch { FirstName = name }, null, Admin).GetAwaiter().GetResult();
                        mine[target] = (name, current.Email);
                    }
                    else
                    {
                        Assert.ThrowsAsync<EntityNotFoundException>(() => Contacts.PatchAsync(tenant, target, new ContactPatch { FirstName = name }, null, Admin)).GetAwaiter().GetResult();
                    }

                    break;
                case 3:
                    if (mine.Remove(target))
                    {
                        Contacts.DeleteAsync(tenant, target, null, Admin).GetAwaiter().GetResult();
                    }
                    else
                    {
                        Assert.ThrowsAsync<EntityNotFoundException>(() => Contacts.DeleteAsync(tenant, target, null, Admin)).GetAwaiter().GetResult();
                    }

                    break;
                default:
                    var found = Contacts.FindAsync(tenant, target).GetAwaiter().GetResult();
                    Assert.Equal(mine.ContainsKey(target), found is not null);
                    var byEmail = Contacts.FindByEmailAsync(tenant, email).GetAwaiter().GetResult();
                    Assert.Equal(mine.Values.Any(v => v.Email == email), byEmail is not null);
                    Assert.True(byEmail is null || byEmail.Tenant == tenant);
                    break;
            }
        }

        foreach (var tenant in tenants)
        {
            var stored = AllContactsAsync(tenant).GetAwaiter().GetResult();
            Assert.Equal(model[tenant].Keys.Order(), stored.Select(c => c.Id).Order());
            Assert.All(stored, c => Assert.Equal(tenant, c.Tenant));
            Assert.All(stored, c => Assert.Equal(model[tenant][c.Id].Name, c.FirstName));
            var log = AllAuditAsync(tenant).GetAwaiter().GetResult();
            Assert.All(log, e => Assert.Equal(tenant, e.Tenant));
            Assert.All(log, e => Assert.Contains(e.EntityId, everCreated[tenant]));
        }
    }

    private static Gen<ContactDraft> ValidDrafts()
    {
        var name = Gen.Elements(Names);
        var optionalName = Gen.OneOf(Gen.Constant((string?)null), name.Select(n => (string?)n));
        var email =
            from local in Gen.Elements("a", "Ada.Lovelace", "x+tag", "o'brien", "UPPER", "josé", "user_1")
            from n in Gen.Choose(0, 1_000_000)
            from domain in Gen.Elements(Domains)
            select $"{local}{n}@{domain}";
        var phone = Gen.OneOf(Gen.Constant((string?)null), Gen.Choose(1_000_000, 99_999_999).Select(n => (string?)$"+44 20 {n}"));
        var tags = Gen.SubListOf(Tags).Select(t => (IReadOnlyCollection<string>)t.ToArray());
        var custom =
            from note in Gen.OneOf(Gen.Constant((CustomFieldValue?)null), name.Select(n => (CustomFieldValue?)CustomFieldValue.FromText(n + "\nsecond line")))
            from score in Gen.Choose(-100_000, 100_000).Select(n => (CustomFieldValue?)(n / 100m))
            from vip in Gen.Elements(true, false).Select(b => (CustomFieldValue?)b)
            from days in Gen.Choose(0, 40_000).Select(d => (CustomFieldValue?)DateOnly.FromDayNumber(690_000 + d))
            select (IReadOnlyDictionary<string, CustomFieldValue?>)new Dictionary<string, CustomFieldValue?> { ["note"] = note, ["score"] = score, ["vip"] = vip, ["since"] = days };
        var preferences =
            from zone in Gen.Elements(Zones)
            from frequency in Gen.Elements<ContactFrequency?>(null, ContactFrequency.Daily, ContactFrequency.Quarterly)
            from sms in Gen.Elements(true, false)
            select new ContactPreferencesDraft { TimeZone = zone, Frequency = frequency, Channels = new Dictionary<string, bool> { ["sms"] = sms } };

        return
            from first in optionalName
            from last in optionalName
            from mail in email
            from tel in phone
            from tagSet in tags
            from fields in custom
            from prefs in preferences
            from type in Gen.Elements<string?>(null, "client", "Vendor", "partner-gold")
            from status in Gen.Elements(ContactStatus.Active, ContactStatus.Inactive, ContactStatus.Unsubscribed)
            select new ContactDraft
            {
                FirstName = first,
                LastName = last,
                Email = mail,
                Phone = tel,
                Tags = tagSet,
                CustomFields = fields,
                Preferences = prefs,
                Type = type,
                Status = status,
                SocialProfiles = new Dictionary<string, string> { ["github"] = "octo-" + (first ?? "anon") },
            };
    }

    private static string Describe(Contact c) => string.Join(
        "|",
        c.Id, c.Tenant, c.FirstName, c.LastName, c.Title, c.Company, c.Email?.Value, c.Email?.Normalized, c.Phone?.Value,
        string.Join(",", c.SocialProfiles.OrderBy(p => p.Key, StringComparer.Ordinal).Select(p => $"{p.Key}={p.Value}")),
        c.Type?.Value, c.Status, c.Source, string.Join(",", c.Tags),
        string.Join(",", c.Preferences.Channels.OrderBy(p => p.Key.Value, StringComparer.Ordinal).Select(p => $"{p.Key.Value}={p.Value}")),
        c.Preferences.Frequency, c.Preferences.TimeZone?.Value,
        string.Join(",", c.CustomFields.OrderBy(p => p.Key, StringComparer.Ordinal).Select(p => $"{p.Key}={p.Value.Type}:{p.Value}")),
        c.CreatedAt.UtcTicks, c.UpdatedAt.UtcTicks, c.LastEngagementAt?.UtcTicks, c.Version);

    private sealed record Operation(int Kind, int Tenant, int Target, int Slot);
}
