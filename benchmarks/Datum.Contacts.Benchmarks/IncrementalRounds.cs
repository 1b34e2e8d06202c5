using System.Diagnostics;
using System.Globalization;

namespace Datum.Contacts.Benchmarks;

/// <summary>
/// <see cref="IncrementalMembershipBenchmarks"/>' operations measured side by side in one process, in alternating rounds,
/// for tenants too large for BenchmarkDotNet to set up in each of its processes: one setup (of
/// <see cref="IncrementalMembershipBenchmarks.ContactCount"/> contacts, <c>DATUM_INCREMENTAL_CONTACTS</c>), then
/// <see cref="Rounds"/> rounds in which each operation runs <see cref="CallsPerRound"/> times; the table gives each
/// operation's median round, per call, and the bytes it allocated per call.
/// </summary>
internal static class IncrementalRounds
{
    private const int Rounds = 15;
    private const int CallsPerRound = 1_000;

    public static async Task RunAsync()
    {
        var benchmarks = new IncrementalMembershipBenchmarks();
        await benchmarks.Setup().ConfigureAwait(false);
        (string Name, Func<Task> Call)[] operations =
        [
            ("open a unit of work and load the contact", () => benchmarks.OpenAndLoad()),
            ("re-evaluate against the 100 lists, no membership changes, not committed", () => benchmarks.ReevaluateOneContactUnchanged()),
            ("re-evaluate, memberships changing, not committed", () => benchmarks.ReevaluateOneContactChanged()),
            ("re-evaluate, memberships changing, committed (contact, joins, leaves, history)", () => benchmarks.ReevaluateOneContactChangedCommitted()),
            ("a whole `PatchAsync` (validation, audit, re-evaluation, commit), memberships changing", () => benchmarks.UpdateContactThroughService()),
            ("the same `PatchAsync` in a tenant without lists", () => benchmarks.UpdateContactThroughServiceNoLists()),
        ];

        var times = operations.Select(_ => new List<double>()).ToArray();
        var bytes = new long[operations.Length];
        for (var round = 0; round < Rounds; round++)
        {
            for (var i = 0; i < operations.Length; i++)
            {
                var allocated = GC.GetAllocatedBytesForCurrentThread();
                var watch = Stopwatch.StartNew();
                for (var call = 0; call < CallsPerRound; call++)
                {
                    await operations[i].Call().ConfigureAwait(false);
                }

                times[i].Add(watch.Elapsed.TotalMicroseconds / CallsPerRound);
                bytes[i] += GC.GetAllocatedBytesForCurrentThread() - allocated;
            }
        }

        Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"{IncrementalMembershipBenchmarks.ContactCount:N0} contacts per tenant; median of {Rounds} alternating rounds of {CallsPerRound:N0} calls (min–max of the rounds):"));
        Console.WriteLine("| | median per call | rounds' range | allocated per call |");
        Console.WriteLine("| --- | ---: | ---: | ---: |");
        for (var i = 0; i < operations.Length; i++)
        {
            var sorted = times[i].Order().ToArray();
            Console.WriteLine(string.Create(
                CultureInfo.InvariantCulture,
                $"| {operations[i].Name} | {sorted[sorted.Length / 2]:F1} µs | {sorted[0]:F1}–{sorted[^1]:F1} µs | {bytes[i] / (double)(Rounds * CallsPerRound) / 1024:F1} KB |"));
        }
    }
}
