using System.Globalization;

namespace Datum.Contacts.Benchmarks;

/// <summary>
/// Live memory per contact of the in-memory store, against a bare array of the same contacts: for each size, the
/// managed heap after a full blocking collection before and after the <see cref="CriteriaData"/> contacts are held in
/// an array (nothing else), then before and after they are loaded into a store (<see cref="ListBenchmarkHost.LoadContactsAsync"/>),
/// and after the store's scan array is built (as the first count, refresh or audience builds it).
/// </summary>
internal static class StoreMemory
{
    public static async Task RunAsync(IReadOnlyList<int> sizes)
    {
        Console.WriteLine("| contacts | bare array, per contact | in-memory store, per contact | store with its scan array, per contact | overhead over the array |");
        Console.WriteLine("| ---: | ---: | ---: | ---: | ---: |");
        foreach (var size in sizes)
        {
            var before = Live();
            var array = CriteriaData.Stream(CriteriaData.Tenant, size).ToArray();
            var bare = Live() - before;
            GC.KeepAlive(array);
            array = null;

            before = Live();
            var host = ListBenchmarkHost.Create();
            await using (host.ConfigureAwait(false))
            {
                await host.LoadContactsAsync(CriteriaData.Tenant, size).ConfigureAwait(false);
                var stored = Live() - before;
                _ = host.ScanArray(CriteriaData.Tenant);
                var scanned = Live() - before;
                Console.WriteLine(string.Create(
                    CultureInfo.InvariantCulture,
                    $"| {size:N0} | {bare / (double)size:N0} B | {stored / (double)size:N0} B | {scanned / (double)size:N0} B | {(scanned - bare) / (double)bare:P0} |"));
            }
        }
    }

    private static long Live()
    {
        GC.Collect(GC.MaxGeneration, GCCollectionMode.Forced, blocking: true, compacting: true);
        GC.WaitForPendingFinalizers();
        return GC.GetTotalMemory(forceFullCollection: true);
    }
}
