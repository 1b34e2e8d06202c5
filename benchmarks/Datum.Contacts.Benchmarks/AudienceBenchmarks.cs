using System.Diagnostics;
using System.Globalization;
using BenchmarkDotNet.Attributes;

namespace Datum.Contacts.Benchmarks;

/// <summary>
/// Resolving the email audience of a dynamic list of every one of <see cref="CriteriaData.ContactCount"/> in-memory
/// contacts, against two baselines measured in the same run: the list's criteria compiled and scanned over the same
/// contacts (<see cref="CompiledScan"/>, the BenchmarkDotNet baseline), and the bare dynamic-list read: the same list's
/// active members through the same store port, in the same pages, with no rule (<see cref="MemberScan"/>). The README
/// gives the resolution's ratio to each.
/// </summary>
[MemoryDiagnoser]
public class AudienceBenchmarks
{
    private static readonly TenantId Tenant = CriteriaData.Tenant;

    private AudienceData _data = null!;
    private Contact[] _scan = [];
    private int[] _matches = [];

    /// <summary>Loads the contacts, the list, consents, suppressions and sends (see <see cref="AudienceData"/>), and checks the audience against the rules.</summary>
    [GlobalSetup]
    public async Task Setup()
    {
        _data = await AudienceData.SetUpAsync(CriteriaData.ContactCount).ConfigureAwait(false);
        _scan = _data.Host.ScanArray(Tenant);
        _matches = new int[_scan.Length];
        var members = await MemberScan().ConfigureAwait(false);
        var audience = await ResolveAudience().ConfigureAwait(false);
        if (members != CriteriaData.ContactCount || audience != _data.ExpectedAudience)
        {
            throw new InvalidOperationException($"Setup check failed: {members:N0} members read, audience {audience:N0}, expected {_data.ExpectedAudience:N0}.");
        }

        Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"// {members:N0} members; the email audience has {audience:N0}."));
    }

    /// <summary>Releases the provider and the store.</summary>
    [GlobalCleanup]
    public Task Cleanup() => _data.Host.DisposeAsync().AsTask();

    /// <summary>The list's criteria, compiled, over the store's array of committed contacts. Returns the match count.</summary>
    [Benchmark(Baseline = true)]
    public int CompiledScan() => _data.Compiled.FindMatches(_scan, _matches);

    /// <summary>
    /// The bare dynamic-list scan: the list's active members read with <see cref="IListMembershipRepository.PageAsync"/> in
    /// pages of <see cref="ContactManagementOptions.AudienceBatchSize"/>, one unit of work per page, as the audience
    /// resolution reads them, with no rule applied. Returns the member count.
    /// </summary>
    [Benchmark]
    public async Task<int> MemberScan()
    {
        var count = 0;
        ContactId? after = null;
        var batch = new ContactManagementOptions().AudienceBatchSize;
        while (true)
        {
            var uow = await _data.Host.Store.BeginAsync(Tenant, default).ConfigureAwait(false);
            await using (uow.ConfigureAwait(false))
            {
                var page = await uow.Memberships.PageAsync(new MembershipPageQuery(_data.List.Id, MembershipStatus.Active, null, after, batch), default).ConfigureAwait(false);
                count += page.Count;
                if (page.Count < batch)
                {
                    return count;
                }

                after = page[^1].Contact.Id;
            }
        }
    }

    /// <summary><see cref="IAudienceService.ResolveAudienceAsync"/> of the list on email, enumerated to the end. Returns the audience size.</summary>
    [Benchmark]
    public async Task<int> ResolveAudience()
    {
        var count = 0;
        await foreach (var member in _data.Audience.ResolveAudienceAsync(Tenant, _data.List.Id, Channel.Email, _data.At).ConfigureAwait(false))
        {
            count += member.Contact.Email is null ? 0 : 1;
        }

        return count;
    }
}

/// <summary>
/// The audience benchmarks' data: <see cref="CriteriaData"/> contacts in an in-memory store; a dynamic list that
/// matches all of them; granted email consent for 90% (seeded), a withdrawn one for 5%; 1% of the addresses suppressed;
/// an email sent three days before to 10%; the tenant's quiet hours 22:00–07:00 (in each contact's time zone, UTC
/// when it has none) and a send time of 12:00 UTC. <see cref="ExpectedAudience"/> is counted from the contacts with the same rules.
/// </summary>
internal sealed class AudienceData
{
    private AudienceData(ListBenchmarkHost host, IAudienceService audience, ContactList list, CompiledCriteria compiled, DateTimeOffset at, int expected)
    {
        Host = host;
        Audience = audience;
        List = list;
        Compiled = compiled;
        At = at;
        ExpectedAudience = expected;
    }

    /// <summary>The criteria of the list: every contact was created after this date.</summary>
    public const string EveryoneCriteria = "createdAt > 2000-01-01";

    /// <summary>The host.</summary>
    public ListBenchmarkHost Host { get; }

    /// <summary>The audience service.</summary>
    public IAudienceService Audience { get; }

    /// <summary>The list.</summary>
    public ContactList List { get; }

    /// <summary>The list's criteria, compiled.</summary>
    public CompiledCriteria Compiled { get; }

    /// <summary>The send time.</summary>
    public DateTimeOffset At { get; }

    /// <summary>The audience size the rules give.</summary>
    public int ExpectedAudience { get; }

    /// <summary>Builds the data with the first <paramref name="count"/> contacts.</summary>
    /// <param name="count">How many contacts (all members of the list).</param>
    public static async Task<AudienceData> SetUpAsync(int count)
    {
        var tenant = CriteriaData.Tenant;
        var host = ListBenchmarkHost.Create();
        await host.LoadContactsAsync(tenant, count).ConfigureAwait(false);
        var list = await host.CreateDynamicListAsync(tenant, "everyone", EveryoneCriteria).ConfigureAwait(false);
        var audience = host.Resolve<IAudienceService>();
        var at = new DateTimeOffset(2026, 11, 2, 12, 0, 0, TimeSpan.Zero);
        await audience.SetPolicyAsync(tenant, new AudiencePolicyDraft { QuietHoursStart = "22:00", QuietHoursEnd = "07:00" }, ListBenchmarkHost.Actor).ConfigureAwait(false);

        var watch = Stopwatch.StartNew();
        var random = new Random(42);
        var expected = 0;
        var contacts = host.ScanArray(tenant);
        foreach (var batch in contacts.Chunk(50_000))
        {
            var uow = await host.Store.BeginAsync(tenant, default).ConfigureAwait(false);
            await using (uow.ConfigureAwait(false))
            {
                foreach (var contact in batch)
                {
                    var roll = random.NextDouble();
                    var consent = Consent.New(tenant, contact.Id, new ConsentScope(Channel.Email, null), at.AddDays(-30));
                    var granted = roll < 0.90;
                    if (granted)
                    {
                        consent.Grant("bench-1", at.AddDays(-30));
                        uow.Consents.Add(consent);
                    }
                    else if (roll < 0.95)
                    {
                        consent.Withdraw(at.AddDays(-30));
                        uow.Consents.Add(consent);
                    }

                    var suppressed = contact.Email is not null && random.NextDouble() < 0.01;
                    if (suppressed)
                    {
                        uow.Suppressions.Add(new SuppressionEntry(tenant, SuppressionKind.Email, contact.Email!.Normalized, SuppressionReason.HardBounce, null, at.AddDays(-10), ListBenchmarkHost.Actor));
                    }

                    var sentRecently = random.NextDouble() < 0.10;
                    if (sentRecently)
                    {
                        uow.Engagements.Append(new EngagementEvent(Guid.NewGuid(), tenant, contact.Id, Channel.Email, list.Id, EngagementKind.Sent, at.AddDays(-3)));
                    }

                    // The same rules, by hand: active, an email, not suppressed, consent granted, email on; a send three
                    // days ago leaves only a daily cap (or none) open; outside 22:00-07:00 in the contact's time zone.
                    var local = TimeZoneInfo.ConvertTime(at, contact.Preferences.TimeZone?.Zone ?? TimeZoneInfo.Utc).TimeOfDay;
                    var quiet = local >= TimeSpan.FromHours(22) || local < TimeSpan.FromHours(7);
                    if (contact.Status == ContactStatus.Active && contact.Email is not null && !suppressed && granted && contact.Preferences.IsEnabled(Channel.Email)
                        && (!sentRecently || contact.Preferences.Frequency is null or ContactFrequency.Daily) && !quiet)
                    {
                        expected++;
                    }
                }

                await uow.CommitAsync(default).ConfigureAwait(false);
            }
        }

        Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"// Consents, suppressions and sends for {contacts.Length:N0} contacts in {watch.Elapsed.TotalSeconds:F1} s."));
        var compiled = await host.CompileAsync(tenant, Datum.Contacts.Criteria.Parse(EveryoneCriteria)).ConfigureAwait(false);
        return new AudienceData(host, audience, list, compiled, at, expected);
    }

}
