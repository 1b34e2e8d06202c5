using System.Diagnostics;
using System.Globalization;

namespace Datum.Contacts.Benchmarks;

/// <summary>
/// Peak memory of an audience resolution, by list size: for each size, builds <see cref="AudienceData"/>, then enumerates
/// <see cref="IAudienceService.ResolveAudienceAsync"/> while measuring, after a full blocking collection every 25,000
/// members, how much more managed memory is live than before the resolution started (after a first, untimed resolution
/// let the store build its index of the list's members), and the list's criteria compiled and scanned over the same
/// contacts in the same process, for the ratio. Constant memory means that figure does not grow with the list.
/// </summary>
internal static class AudienceMemory
{
    private const int SampleEvery = 25_000;

    public static async Task RunAsync(IReadOnlyList<int> sizes)
    {
        Console.WriteLine("| List size | Audience | Resolve time | Compiled scan of the list's criteria (median of 5) | Ratio | Peak live memory above the store | Allocated during the resolution |");
        Console.WriteLine("| ---: | ---: | ---: | ---: | ---: | ---: | ---: |");
        foreach (var size in sizes)
        {
            var data = await AudienceData.SetUpAsync(size).ConfigureAwait(false);
            await using (data.Host.ConfigureAwait(false))
            {
                // One resolution first, untimed: the store builds its sorted index of the list's members on the first page
                // read after a change, and keeps it; that is the store's memory, not the resolution's.
                await foreach (var _ in data.Audience.ResolveAudienceAsync(CriteriaData.Tenant, data.List.Id, Channel.Email, data.At).ConfigureAwait(false))
                {
                }

                var before = GC.GetTotalMemory(forceFullCollection: true);
                var allocatedBefore = GC.GetTotalAllocatedBytes(precise: true);
                var peak = 0L;
                var count = 0;
                var seen = 0;
                var watch = Stopwatch.StartNew();
                await foreach (var member in data.Audience.ResolveAudienceAsync(CriteriaData.Tenant, data.List.Id, Channel.Email, data.At).ConfigureAwait(false))
                {
                    count += member.Contact.Email is null ? 0 : 1;
                    if (++seen % SampleEvery == 0)
                    {
                        watch.Stop();
                        peak = Math.Max(peak, GC.GetTotalMemory(forceFullCollection: true) - before);
                        watch.Start();
                    }
                }

                watch.Stop();
                var allocated = GC.GetTotalAllocatedBytes(precise: true) - allocatedBefore;
                if (count != data.ExpectedAudience)
                {
                    throw new InvalidOperationException($"The audience has {count:N0} members; the rules by hand give {data.ExpectedAudience:N0}.");
                }

                var scan = ScanMilliseconds(data);
                Console.WriteLine(string.Create(
                    CultureInfo.InvariantCulture,
                    $"| {size:N0} | {count:N0} | {watch.Elapsed.TotalMilliseconds:N0} ms | {scan:N1} ms | {watch.Elapsed.TotalMilliseconds / scan:N0}x | {Math.Max(0, peak) / 1024.0:N0} KB | {allocated / (1024.0 * 1024.0):N0} MB |"));
            }
        }
    }

    // The baseline in the same process: the list's criteria compiled, over the store's array of the same contacts.
    private static double ScanMilliseconds(AudienceData data)
    {
        var scan = data.Host.ScanArray(CriteriaData.Tenant);
        var matches = new int[scan.Length];
        var times = new double[5];
        for (var i = 0; i < times.Length; i++)
        {
            var watch = Stopwatch.StartNew();
            data.Compiled.FindMatches(scan, matches);
            times[i] = watch.Elapsed.TotalMilliseconds;
        }

        Array.Sort(times);
        return times[times.Length / 2];
    }
}
