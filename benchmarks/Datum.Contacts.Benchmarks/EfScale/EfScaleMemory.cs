using System.Diagnostics;
using System.Globalization;

namespace Datum.Contacts.Benchmarks;

/// <summary>
/// <c>ef-list-memory [sizes] [providers]</c>: creates the half list (<see cref="EfScaleDynamicListBenchmarks.CreateHalfList"/>)
/// on a fresh copy of the analyzed template, then flips its criteria, once each, sampling the managed heap
/// (<see cref="GC.GetTotalMemory(bool)"/> without a collection, every 10 ms) during each; prints the time, the peak heap
/// above the heap before the operation (after a full collection), and the bytes allocated.
/// </summary>
internal static class EfScaleMemory
{
    public static async Task RunAsync(IReadOnlyList<string> args)
    {
        var sizes = args.Where(a => char.IsDigit(a[0])).Select(a => int.Parse(a, CultureInfo.InvariantCulture)).ToArray();
        var providers = args.Where(a => !char.IsDigit(a[0])).Select(Enum.Parse<EfProvider>).ToArray();
        Console.WriteLine("| Provider | Contacts | Create (fill size/2) | Peak heap | Allocated | Flip (size/2 leave, size/2 join) | Peak heap | Allocated |");
        Console.WriteLine("| --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: |");
        foreach (var provider in providers.Length == 0 ? ScaleDatabases.Providers() : providers)
        {
            foreach (var size in sizes.Length == 0 ? ScaleDatabases.Sizes() : sizes)
            {
                await using var database = await ScaleDatabases.CopyAsync(provider, ScaleKind.Analyzed, size);
                var tenant = ScaleContacts.Tenant;
                ContactList list = null!;
                var create = await MeasureAsync(async () => list = await database.Lists.CreateAsync(tenant, ScaleDatabases.ListDraft(ScaleDatabases.HalfListName, ScaleContacts.FirstHalf(size)), ScaleDatabases.Actor));
                Check(list, size);
                var flip = await MeasureAsync(async () => list = await database.Lists.UpdateAsync(tenant, list.Id, ScaleDatabases.ListDraft(ScaleDatabases.HalfListName, ScaleContacts.SecondHalf(size)), list.Version, ScaleDatabases.Actor));
                Check(await database.Lists.GetAsync(tenant, list.Id), size);
                Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"| {provider} | {size:N0} | {create} | {flip} |"));
            }
        }
    }

    private static void Check(ContactList list, int size)
    {
        if (list.MemberCount != size / 2)
        {
            throw new InvalidOperationException($"The list has {list.MemberCount:N0} members; half of {size:N0} expected.");
        }
    }

    private static async Task<string> MeasureAsync(Func<Task> operation)
    {
        var before = GC.GetTotalMemory(forceFullCollection: true);
        var allocatedBefore = GC.GetTotalAllocatedBytes(precise: true);
        var peak = before;
        using var sampler = new Timer(_ => InterlockedMax(ref peak, GC.GetTotalMemory(forceFullCollection: false)), null, 0, 10);
        var watch = Stopwatch.StartNew();
        await operation();
        watch.Stop();
        InterlockedMax(ref peak, GC.GetTotalMemory(forceFullCollection: false));
        await sampler.DisposeAsync();
        var allocated = GC.GetTotalAllocatedBytes(precise: true) - allocatedBefore;
        return string.Create(
            CultureInfo.InvariantCulture,
            $"{watch.Elapsed.TotalSeconds:F1} s | {(Interlocked.Read(ref peak) - before) / 1048576.0:N0} MB | {allocated / 1048576.0:N0} MB");
    }

    private static void InterlockedMax(ref long target, long value)
    {
        var current = Interlocked.Read(ref target);
        while (value > current)
        {
            var seen = Interlocked.CompareExchange(ref target, value, current);
            if (seen == current)
            {
                return;
            }

            current = seen;
        }
    }
}
