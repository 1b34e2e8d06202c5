using System.Globalization;
using BenchmarkDotNet.Attributes;
using ParsedCriteria = Datum.Contacts.Criteria;

namespace Datum.Contacts.Benchmarks;

/// <summary>
/// A full refresh of a dynamic list over <see cref="CriteriaData.ContactCount"/> contacts of one in-memory tenant,
/// against the bare compiled scan of the same contacts (the baseline), measured in the same run. The list is
/// current, so the refresh finds nothing to add or remove (the steady state).
/// </summary>
[MemoryDiagnoser]
public class DynamicListRefreshBenchmarks
{
    private static readonly TenantId Tenant = CriteriaData.Tenant;

    private ListBenchmarkHost _host = null!;
    private ContactList _list = null!;
    private CompiledCriteria _compiled = null!;
    private Contact[] _scan = [];
    private int[] _matches = [];

    /// <summary>Which criteria the list has.</summary>
    [ParamsSource(nameof(Cases))]
    public CriteriaCase Criteria { get; set; }

    /// <summary>The simple and medium criteria (as <see cref="CriteriaData.Cases"/> chooses them).</summary>
    public static IEnumerable<CriteriaCase> Cases() => ListRefreshData.Cases();

    /// <summary>
    /// Loads the 1,000,000 <see cref="CriteriaData"/> contacts through the store's unit of work, creates the dynamic
    /// list through <see cref="IListService.CreateAsync"/>, compiles its criteria as the list service does, takes the
    /// store's scan array and checks that scan, store and list agree and that a refresh finds nothing to do.
    /// </summary>
    [GlobalSetup]
    public async Task Setup()
    {
        (_host, _list, _compiled) = await ListRefreshData.SetUpAsync(Criteria).ConfigureAwait(false);
        _scan = _host.ScanArray(Tenant);
        _matches = new int[_scan.Length];
        var scanned = CompiledScan();
        var refreshed = await RefreshUnchanged().ConfigureAwait(false);
        var diff = await StoreDiff().ConfigureAwait(false);
        if (_scan.Length != CriteriaData.ContactCount || scanned != _list.MemberCount || refreshed != new ListRefreshResult(0, 0) || diff != 0
            || !ReferenceEquals(_scan, _host.ScanArray(Tenant)))
        {
            throw new InvalidOperationException(
                $"Setup check failed: {_scan.Length} contacts scanned, {scanned} matches, {_list.MemberCount} members, refresh {refreshed}, diff {diff}, same scan array {ReferenceEquals(_scan, _host.ScanArray(Tenant))}.");
        }

        Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"// {Criteria}: {scanned:N0} of {_scan.Length:N0} contacts match; the list has {_list.MemberCount:N0} members; refresh {refreshed}."));
    }

    /// <summary>Releases the provider and the store.</summary>
    [GlobalCleanup]
    public Task Cleanup() => _host.DisposeAsync().AsTask();

    /// <summary>
    /// The bare scan: the list's criteria, compiled by the services' compiler against the tenant's schema,
    /// <see cref="CompiledCriteria.FindMatches"/> over the store's own array of its committed contacts into a
    /// preallocated buffer. Returns the match count.
    /// </summary>
    [Benchmark(Baseline = true)]
    public int CompiledScan() => _compiled.FindMatches(_scan, _matches);

    /// <summary>
    /// The store's part of a refresh alone: a unit of work, <see cref="IListMembershipRepository.DiffAsync"/> (the
    /// compiled scan, then a membership lookup per matching contact), dispose. Returns entering + leaving (0).
    /// </summary>
    [Benchmark]
    public async Task<int> StoreDiff()
    {
        var uow = await _host.Store.BeginAsync(Tenant, default).ConfigureAwait(false);
        await using (uow.ConfigureAwait(false))
        {
            var delta = await uow.Memberships.DiffAsync(_list.Id, _compiled, default).ConfigureAwait(false);
            return delta.Entering.Count + delta.Leaving.Count;
        }
    }

    /// <summary><see cref="IListService.RefreshAsync"/> of the current list: nothing to add or remove, so nothing is committed.</summary>
    [Benchmark]
    public Task<ListRefreshResult> RefreshUnchanged() => _host.Lists.RefreshAsync(Tenant, _list.Id, ListBenchmarkHost.Actor);
}

/// <summary>
/// A full refresh of a dynamic list over 1,000,000 in-memory contacts that has real work: before each iteration
/// (not measured), the status of 1% of the list's members is set to inactive, so they stop matching, and the
/// status of as many inactive contacts that match otherwise is set to active, so they start matching; the next
/// iteration sets both back. The contacts are changed through the store's unit of work, bypassing the contact
/// service, so the list is left stale. Each measured invocation is one <see cref="IListService.RefreshAsync"/>
/// adding and removing that many members, committing them with their history entries.
/// </summary>
[MemoryDiagnoser]
[InvocationCount(1)]
[IterationCount(10)]
public class DynamicListRefreshAfterChangesBenchmarks
{
    private static readonly TenantId Tenant = CriteriaData.Tenant;

    private ListBenchmarkHost _host = null!;
    private ContactList _list = null!;
    private CompiledCriteria _compiled = null!;
    private Contact[] _scan = [];
    private int[] _matches = [];
    private ContactId[] _moved = [];
    private Dictionary<ContactId, ContactDetails> _toggled = [];
    private Dictionary<ContactId, ContactDetails> _original = [];
    private int _perSide;
    private bool _toggledNow;
    private ListRefreshResult? _last;

    /// <summary>Which criteria the list has.</summary>
    [ParamsSource(nameof(Cases))]
    public CriteriaCase Criteria { get; set; }

    /// <summary>The simple and medium criteria (as <see cref="CriteriaData.Cases"/> chooses them).</summary>
    public static IEnumerable<CriteriaCase> Cases() => ListRefreshData.Cases();

    /// <summary>
    /// As <see cref="DynamicListRefreshBenchmarks.Setup"/>, then chooses (seeded) 1% of the members to leave and as
    /// many contacts to enter (those matching the criteria with <c>status = "inactive"</c> in place of
    /// <c>status = "active"</c>), prepares both versions of their details, and runs one change and refresh each way
    /// to check that every refresh moves exactly those contacts.
    /// </summary>
    [GlobalSetup]
    public async Task Setup()
    {
        (_host, _list, _compiled) = await ListRefreshData.SetUpAsync(Criteria).ConfigureAwait(false);
        var text = CriteriaData.Text(Criteria);
        const string Active = "status = \"active\"";
        if (!text.StartsWith(Active, StringComparison.Ordinal))
        {
            throw new InvalidOperationException($"The criteria must start with {Active}: {text}");
        }

        var inactive = await _host.CompileAsync(Tenant, ParsedCriteria.Parse("status = \"inactive\"" + text[Active.Length..])).ConfigureAwait(false);
        var scan = _host.ScanArray(Tenant);
        var buffer = new int[scan.Length];
        _perSide = (int)Math.Max(1, _list.MemberCount / 100);
        var random = new Random(ContactData.Seed);
        var leaving = Pick(scan, buffer, _compiled.FindMatches(scan, buffer), _perSide, random);
        var entering = Pick(scan, buffer, inactive.FindMatches(scan, buffer), _perSide, random);
        var schema = await _host.CustomFields.GetSchemaAsync(Tenant).ConfigureAwait(false);
        var options = new ContactManagementOptions();
        ContactDetails With(Contact c, ContactStatus status) => ContactDetails.Validate(ContactDetails.ToDraft(c) with { Status = status }, schema, options);
        _toggled = leaving.ToDictionary(c => c.Id, c => With(c, ContactStatus.Inactive));
        _original = leaving.ToDictionary(c => c.Id, c => With(c, ContactStatus.Active));
        foreach (var c in entering)
        {
            _toggled.Add(c.Id, With(c, ContactStatus.Active));
            _original.Add(c.Id, With(c, ContactStatus.Inactive));
        }

        _moved = [.. leaving.Select(c => c.Id), .. entering.Select(c => c.Id)];

        // One round each way, checked like every measured one.
        for (var i = 0; i < 2; i++)
        {
            await ChangeContacts().ConfigureAwait(false);
            await RefreshAfterChanges().ConfigureAwait(false);
            CheckRefresh();
        }

        _scan = _host.ScanArray(Tenant);
        _matches = new int[_scan.Length];
        Console.WriteLine(string.Create(
            CultureInfo.InvariantCulture,
            $"// {Criteria}: the list has {_list.MemberCount:N0} members; each refresh adds {_perSide:N0} and removes {_perSide:N0} (of {inactive.CountMatches(_scan):N0} candidates to enter)."));
    }

    /// <summary>Releases the provider and the store.</summary>
    [GlobalCleanup]
    public Task Cleanup() => _host.DisposeAsync().AsTask();

    /// <summary>
    /// Flips the chosen contacts' status through one unit of work of the store (the list is not maintained), then
    /// counts through the store, which rebuilds its scan array, so the measured refresh does not pay for that.
    /// </summary>
    [IterationSetup(Target = nameof(RefreshAfterChanges))]
    public void ChangeContactsSync() => ChangeContacts().GetAwaiter().GetResult();

    /// <summary>Checks that the refresh added and removed exactly the contacts changed.</summary>
    [IterationCleanup(Target = nameof(RefreshAfterChanges))]
    public void CheckRefresh()
    {
        if (_last != new ListRefreshResult(_perSide, _perSide))
        {
            throw new InvalidOperationException($"The refresh did {_last}; expected {_perSide} added and {_perSide} removed.");
        }

        _last = null;
    }

    /// <summary>The bare compiled scan over the store's contacts, as in <see cref="DynamicListRefreshBenchmarks.CompiledScan"/> (data unchanged).</summary>
    [Benchmark(Baseline = true)]
    public int CompiledScan() => _compiled.FindMatches(_scan, _matches);

    /// <summary><see cref="IListService.RefreshAsync"/> after the iteration setup's changes: 1% of the members leave, as many contacts join.</summary>
    [Benchmark]
    public async Task<ListRefreshResult> RefreshAfterChanges()
    {
        var result = await _host.Lists.RefreshAsync(Tenant, _list.Id, ListBenchmarkHost.Actor).ConfigureAwait(false);
        _last = result;
        return result;
    }

    private static Contact[] Pick(Contact[] scan, int[] positions, int count, int wanted, Random random)
    {
        if (count < wanted)
        {
            throw new InvalidOperationException($"Only {count} contacts to choose {wanted} from.");
        }

        var chosen = positions.AsSpan(0, count).ToArray();
        random.Shuffle(chosen);
        return [.. chosen.Take(wanted).Order().Select(i => scan[i])];
    }

    private async Task ChangeContacts()
    {
        _toggledNow = !_toggledNow;
        var details = _toggledNow ? _toggled : _original;
        var now = TimeProvider.System.GetUtcNow();
        var uow = await _host.Store.BeginAsync(Tenant, default).ConfigureAwait(false);
        await using (uow.ConfigureAwait(false))
        {
            foreach (var chunk in _moved.Chunk(1_000))
            {
                foreach (var contact in await uow.Contacts.FindManyAsync(chunk, default).ConfigureAwait(false))
                {
                    contact.Update(details[contact.Id], now);
                    uow.Contacts.Update(contact);
                }
            }

            await uow.CommitAsync(default).ConfigureAwait(false);
        }

        var count = await _host.Store.BeginAsync(Tenant, default).ConfigureAwait(false);
        await using (count.ConfigureAwait(false))
        {
            _ = await count.Contacts.CountAsync(_compiled, default).ConfigureAwait(false);
        }
    }
}

/// <summary>
/// Keeping dynamic lists current when one contact changes: an in-memory tenant with <see cref="ContactCount"/>
/// contacts, <see cref="StaticListCount"/> static lists and <see cref="DynamicListCount"/> dynamic lists with varied
/// criteria (status, tags, company, email, creation and engagement dates, a custom field, and <c>memberOf</c> of
/// static and of other dynamic lists, some referring to lists created after them). The baseline is what the
/// re-evaluation needs around it: open a unit of work and load the contact.
/// </summary>
[MemoryDiagnoser]
public class IncrementalMembershipBenchmarks
{
    /// <summary>
    /// Contacts in each tenant: 1,000,000, or the number in the environment variable <c>DATUM_INCREMENTAL_CONTACTS</c>
    /// (such as 10000, for a quick run).
    /// </summary>
    public static readonly int ContactCount = Environment.GetEnvironmentVariable("DATUM_INCREMENTAL_CONTACTS") is { Length: > 0 } count
        ? int.Parse(count, CultureInfo.InvariantCulture)
        : CriteriaData.ContactCount;

    /// <summary>Dynamic lists in the tenant with lists.</summary>
    public const int DynamicListCount = 100;

    /// <summary>Static lists in the tenant with lists.</summary>
    public const int StaticListCount = 5;

    private const int SampleSize = 64; // a power of two: the rotation masks

    private static readonly TenantId WithLists = TenantId.Parse("bench-lists");
    private static readonly TenantId WithoutLists = TenantId.Parse("bench-no-lists");
    private static readonly string[] Tags = ["newsletter", "customer", "lead", "partner", "webinar", "event-2025", "beta", "churn-risk", "vip"];
    private static readonly string[] CompanyParts = ["acme", "in", "co", "tech", "ind", "group", "llc", "and", "ster", "son"];

    private ListBenchmarkHost _host = null!;
    private ContactId[] _sample = [];
    private ContactDetails[] _flipped = [];
    private ContactDetails[] _unflipped = [];
    private bool[] _flippedNow = [];
    private ContactPatch[] _patches = [];
    private ContactId _patched;
    private DateTimeOffset _now;
    private long _next;
    private long _nextPatch;

    /// <summary>The criteria of dynamic list <paramref name="i"/>, named <c>dyn-{i:00}</c> (see <see cref="Setup"/> for those of <c>i % 10 == 9</c>).</summary>
    /// <param name="i">0 to 99.</param>
    internal static string CriteriaOf(int i)
    {
        var n = i / 10;
        var tag = Tags[n % Tags.Length];
        var date = new DateOnly(2023, 1, 1).AddMonths(4 * n).ToString("yyyy-MM-dd", CultureInfo.InvariantCulture);
        return (i % 10) switch
        {
            0 => $"status = \"active\" and tags has \"{tag}\"",
            1 => $"company contains \"{CompanyParts[n]}\"",
            2 => $"createdAt > {date}",
            3 => $"customFields.engagementScore >= {10 * n}",
            4 => $"status = \"{(n % 3 == 0 ? "active" : n % 3 == 1 ? "inactive" : "unsubscribed")}\" and email endsWith \"@{(n % 2 == 0 ? "acme.com" : "example.com")}\"",
            5 => $"tags has \"vip\" or (customFields.engagementScore > {90 - n} and status = \"active\")",
            6 => $"memberOf(\"static-{n % StaticListCount}\") = \"active\" and status = \"active\"",
            7 => $"memberOf(\"dyn-{i - 7:00}\") = \"active\" and lastEngagementAt > {date}",
            8 => $"not (tags has \"{tag}\") and createdAt < {date}",
            _ => "status = \"inactive\"",
        };
    }

    /// <summary>
    /// The final criteria of <c>dyn-{i:00}</c> for <c>i % 10 == 9</c>, set once every list exists: member of a list
    /// created after it (<c>i + 3</c>, a date list) or of <c>i - 2</c> (which itself depends on <c>i - 9</c>), so the
    /// lists must be evaluated in dependency order, not creation order.
    /// </summary>
    /// <param name="i">9, 19, ... 99.</param>
    internal static string LateCriteriaOf(int i)
        => $"(memberOf(\"dyn-{(i + 3) % DynamicListCount:00}\") = \"active\" or memberOf(\"dyn-{i - 2:00}\") = \"active\") and status = \"active\"";

    /// <summary>
    /// Loads the first <see cref="ContactCount"/> <see cref="CriteriaData"/> contacts into two tenants through the store's unit of work;
    /// in the first, creates 5 static lists (every tenth contact on each) and the 100 dynamic lists through the list
    /// service, then updates the criteria of the ten <c>i % 10 == 9</c> lists; samples 64 active or inactive contacts
    /// (seeded) and prepares their details with the status flipped; prints how many memberships a re-evaluation changes.
    /// </summary>
    [GlobalSetup]
    public async Task Setup()
    {
        _host = ListBenchmarkHost.Create();
        await _host.LoadContactsAsync(WithLists, ContactCount).ConfigureAwait(false);
        await _host.LoadContactsAsync(WithoutLists, ContactCount).ConfigureAwait(false);
        var ids = CriteriaData.Stream(WithLists, ContactCount).Select(c => c.Id).ToArray();

        for (var j = 0; j < StaticListCount; j++)
        {
            var list = await _host.Lists.CreateAsync(WithLists, new ListDraft { Name = $"static-{j}" }, ListBenchmarkHost.Actor).ConfigureAwait(false);
            var members = ids.Where((_, index) => index % 10 == j).ToArray();
            await _host.Lists.AddMembersAsync(WithLists, list.Id, members, MembershipSource.Manual, ListBenchmarkHost.Actor).ConfigureAwait(false);
        }

        var dynamic = new List<ContactList>();
        for (var i = 0; i < DynamicListCount; i++)
        {
            dynamic.Add(await _host.Lists.CreateAsync(WithLists, Draft(i, CriteriaOf(i)), ListBenchmarkHost.Actor).ConfigureAwait(false));
        }

        for (var i = 9; i < DynamicListCount; i += 10)
        {
            dynamic[i] = await _host.Lists.UpdateAsync(WithLists, dynamic[i].Id, Draft(i, LateCriteriaOf(i)), null, ListBenchmarkHost.Actor).ConfigureAwait(false);
        }

        var schema = await _host.CustomFields.GetSchemaAsync(WithLists).ConfigureAwait(false);
        var options = new ContactManagementOptions();
        var random = new Random(ContactData.Seed);
        var sample = new List<Contact>();
        var uow = await _host.Store.BeginAsync(WithLists, default).ConfigureAwait(false);
        await using (uow.ConfigureAwait(false))
        {
            while (sample.Count < SampleSize)
            {
                var contact = (await uow.Contacts.FindAsync(ids[random.Next(ids.Length)], default).ConfigureAwait(false))!;
                if (contact.Status != ContactStatus.Unsubscribed && sample.All(c => c.Id != contact.Id))
                {
                    sample.Add(contact);
                }
            }
        }

        _sample = [.. sample.Select(c => c.Id)];
        _flipped = [.. sample.Select(c => ContactDetails.Validate(
            ContactDetails.ToDraft(c) with { Status = c.Status == ContactStatus.Active ? ContactStatus.Inactive : ContactStatus.Active }, schema, options))];
        _unflipped = [.. sample.Select(c => ContactDetails.Validate(ContactDetails.ToDraft(c), schema, options))];
        _flippedNow = new bool[SampleSize];
        _now = TimeProvider.System.GetUtcNow();
        _patched = _sample[0];
        _patches = sample[0].Status == ContactStatus.Active
            ? [new() { Status = ContactStatus.Inactive }, new() { Status = ContactStatus.Active }]
            : [new() { Status = ContactStatus.Active }, new() { Status = ContactStatus.Inactive }];

        long memberships = 0;
        foreach (var list in dynamic)
        {
            memberships += (await _host.Lists.GetAsync(WithLists, list.Id).ConfigureAwait(false)).MemberCount;
        }

        int unchanged = 0, changed = 0, committed = 0;
        for (var i = 0; i < SampleSize; i++)
        {
            unchanged += await ReevaluateOneContactUnchanged().ConfigureAwait(false);
        }

        for (var i = 0; i < SampleSize; i++)
        {
            changed += await ReevaluateOneContactChanged().ConfigureAwait(false);
        }

        // Two rounds of committed flips: each sampled contact flipped and flipped back, so the tenant ends as it began.
        for (var i = 0; i < 2 * SampleSize; i++)
        {
            committed += await ReevaluateOneContactChangedCommitted().ConfigureAwait(false);
        }

        var history = new PageRequest(Size: 1_000);
        var before = (await _host.Lists.GetHistoryAsync(WithLists, _patched, null, history).ConfigureAwait(false)).Items.Count;
        await _host.Contacts.PatchAsync(WithLists, _patched, _patches[0], null, ListBenchmarkHost.Actor).ConfigureAwait(false);
        var moves = (await _host.Lists.GetHistoryAsync(WithLists, _patched, null, history).ConfigureAwait(false)).Items.Count - before;
        await _host.Contacts.PatchAsync(WithLists, _patched, _patches[1], null, ListBenchmarkHost.Actor).ConfigureAwait(false);
        if (unchanged != 0 || committed != 2 * changed)
        {
            throw new InvalidOperationException($"Re-evaluating unchanged contacts changed {unchanged} memberships (expected 0), committed flips {committed} (expected {2 * changed}).");
        }

        Console.WriteLine(string.Create(
            CultureInfo.InvariantCulture,
            $"// {DynamicListCount} dynamic lists holding {memberships:N0} memberships; {StaticListCount} static lists. Flipping the status of a sampled contact changes {changed / (double)SampleSize:F1} memberships on average; the patched contact's first patch changed {moves}."));
        _next = 0;
    }

    /// <summary>Releases the provider and the store.</summary>
    [GlobalCleanup]
    public Task Cleanup() => _host.DisposeAsync().AsTask();

    /// <summary>Opens a unit of work on the tenant with lists, loads one contact (rotating over the 64 sampled), disposes the unit of work.</summary>
    [Benchmark(Baseline = true)]
    public async Task<Contact> OpenAndLoad()
    {
        var id = _sample[_next++ & (SampleSize - 1)];
        var uow = await _host.Store.BeginAsync(WithLists, default).ConfigureAwait(false);
        await using (uow.ConfigureAwait(false))
        {
            return (await uow.Contacts.FindAsync(id, default).ConfigureAwait(false))!;
        }
    }

    /// <summary>
    /// As <see cref="OpenAndLoad"/>, then <see cref="ListMaintenance.Begin"/> and
    /// <see cref="MembershipWork.ContactChangedAsync"/> of the contact as stored: the 100 dynamic lists re-evaluated,
    /// no membership changes. The unit of work is disposed without committing. Returns the changes queued (0).
    /// </summary>
    [Benchmark]
    public async Task<int> ReevaluateOneContactUnchanged()
    {
        var id = _sample[_next++ & (SampleSize - 1)];
        var uow = await _host.Store.BeginAsync(WithLists, default).ConfigureAwait(false);
        await using (uow.ConfigureAwait(false))
        {
            var contact = (await uow.Contacts.FindAsync(id, default).ConfigureAwait(false))!;
            var work = _host.Maintenance.Begin(uow, ListBenchmarkHost.Actor);
            await work.ContactChangedAsync(contact, default).ConfigureAwait(false);
            return work.Changes.Count;
        }
    }

    /// <summary>
    /// As <see cref="ReevaluateOneContactUnchanged"/>, with the loaded contact's status flipped in memory first
    /// (<see cref="Contact.Update"/> with prepared details: active ↔ inactive), so the re-evaluation queues the joins
    /// and leaves that causes (with their history entries). Not committed, so every call makes the same change.
    /// Returns the changes queued.
    /// </summary>
    [Benchmark]
    public async Task<int> ReevaluateOneContactChanged()
    {
        var i = (int)(_next++ & (SampleSize - 1));
        var uow = await _host.Store.BeginAsync(WithLists, default).ConfigureAwait(false);
        await using (uow.ConfigureAwait(false))
        {
            var contact = (await uow.Contacts.FindAsync(_sample[i], default).ConfigureAwait(false))!;
            contact.Update(_flipped[i], _now);
            var work = _host.Maintenance.Begin(uow, ListBenchmarkHost.Actor);
            await work.ContactChangedAsync(contact, default).ConfigureAwait(false);
            return work.Changes.Count;
        }
    }

    /// <summary>
    /// As <see cref="ReevaluateOneContactChanged"/>, committed: the contact's status flipped (active ↔ inactive, then
    /// back the next time the rotation comes to it), <see cref="IUnitOfWork.Contacts"/> updated, the 100 lists
    /// re-evaluated, and the contact with the joins and leaves and their history entries committed. Without the
    /// contact service's validation and audit. Returns the changes committed.
    /// </summary>
    [Benchmark]
    public async Task<int> ReevaluateOneContactChangedCommitted()
    {
        var i = (int)(_next++ & (SampleSize - 1));
        var uow = await _host.Store.BeginAsync(WithLists, default).ConfigureAwait(false);
        await using (uow.ConfigureAwait(false))
        {
            var contact = (await uow.Contacts.FindAsync(_sample[i], default).ConfigureAwait(false))!;
            _flippedNow[i] = !_flippedNow[i];
            contact.Update(_flippedNow[i] ? _flipped[i] : _unflipped[i], _now);
            uow.Contacts.Update(contact);
            var work = _host.Maintenance.Begin(uow, ListBenchmarkHost.Actor);
            await work.ContactChangedAsync(contact, default).ConfigureAwait(false);
            await uow.CommitAsync(default).ConfigureAwait(false);
            return work.Changes.Count;
        }
    }

    /// <summary>
    /// <see cref="IContactService.PatchAsync"/> of one contact's status, alternating active and inactive, in the
    /// tenant with the lists: validation, audit, re-evaluation of the 100 lists, commit of the contact and of the
    /// memberships it gains or loses with their history.
    /// </summary>
    [Benchmark]
    public Task<Contact> UpdateContactThroughService()
        => _host.Contacts.PatchAsync(WithLists, _patched, _patches[_nextPatch++ & 1], null, ListBenchmarkHost.Actor);

    /// <summary>The same patch of the same contact in the tenant without lists.</summary>
    [Benchmark]
    public Task<Contact> UpdateContactThroughServiceNoLists()
        => _host.Contacts.PatchAsync(WithoutLists, _patched, _patches[_nextPatch++ & 1], null, ListBenchmarkHost.Actor);

    private static ListDraft Draft(int i, string criteria)
        => new() { Name = $"dyn-{i:00}", Kind = ListKind.Dynamic, Criteria = ParsedCriteria.Parse(criteria) };
}

/// <summary>The setup the two refresh benchmarks share.</summary>
internal static class ListRefreshData
{
    /// <summary>The simple and medium criteria, as <see cref="CriteriaData.Cases"/> chooses them (<c>DATUM_CRITERIA_CASES</c>).</summary>
    public static IEnumerable<CriteriaCase> Cases() => CriteriaData.Cases().Where(c => c is CriteriaCase.Simple or CriteriaCase.Medium);

    /// <summary>
    /// A host whose tenant <see cref="CriteriaData.Tenant"/> holds the 1,000,000 <see cref="CriteriaData"/> contacts
    /// and one dynamic list, <c>refresh</c>, of the criteria; the criteria compiled as the list service compiles it.
    /// </summary>
    /// <param name="criteria">The criteria.</param>
    public static async Task<(ListBenchmarkHost Host, ContactList List, CompiledCriteria Compiled)> SetUpAsync(CriteriaCase criteria)
    {
        var host = ListBenchmarkHost.Create();
        await host.LoadContactsAsync(CriteriaData.Tenant, CriteriaData.ContactCount).ConfigureAwait(false);
        var list = await host.CreateDynamicListAsync(CriteriaData.Tenant, "refresh", CriteriaData.Text(criteria)).ConfigureAwait(false);
        var compiled = await host.CompileAsync(CriteriaData.Tenant, list.Criteria!).ConfigureAwait(false);
        return (host, list, compiled);
    }
}
