using BenchmarkDotNet.Running;

namespace Datum.Contacts.Benchmarks;

/// <summary>
/// Runs the benchmarks chosen on the command line (for example <c>--filter '*' --job short</c>), or, with
/// <c>postgres-explain</c>, prints the store's and the hand-written SQL of the PostgreSQL count benchmarks with their plans;
/// with <c>audience-memory [sizes...]</c>, the live memory an audience resolution holds at each list size; with
/// <c>criteria-check</c>, only the criteria benchmarks' check that every evaluator (ours, the hand-written lambdas,
/// Dynamic LINQ) selects the same contacts; with <c>first-use [processes]</c>, what criteria cost the first time, in
/// fresh processes (see <see cref="FirstUse"/>); with <c>store-memory [sizes...]</c>, the in-memory store's live memory per
/// contact against a bare array (see <see cref="StoreMemory"/>); with <c>incremental</c>, the incremental list
/// maintenance operations in alternating rounds in one process (see <see cref="IncrementalRounds"/>); with <c>ef-list-memory [sizes] [providers]</c>, the time and peak managed heap
/// of creating and flipping a dynamic list of half the contacts on the EF Core store (see <see cref="EfScaleMemory"/>).
/// </summary>
public static class Program
{
    /// <summary>The entry point.</summary>
    /// <param name="args">BenchmarkDotNet's command-line arguments, or <c>postgres-explain</c>.</param>
    public static async Task Main(string[] args)
    {
        if (args is ["postgres-explain"])
        {
            await PostgresExplain.RunAsync();
            return;
        }

        if (args is ["criteria-check"])
        {
            foreach (var criteria in Enum.GetValues<CriteriaCase>())
            {
                Console.WriteLine($"// {criteria} in Dynamic LINQ: {DynamicLinqCriteria.Parse(DynamicLinqCriteria.Text(criteria))}");
            }

            CriteriaData.EnsureEvaluatorsAgree();
            return;
        }

        if (args is ["audience-memory", .. var sizes])
        {
            await AudienceMemory.RunAsync(sizes.Length == 0 ? [100_000, 1_000_000] : [.. sizes.Select(s => int.Parse(s, System.Globalization.CultureInfo.InvariantCulture))]);
            return;
        }

        if (args is ["ef-list-memory", .. var scale])
        {
            await EfScaleMemory.RunAsync(scale);
            return;
        }

        if (args is ["incremental"])
        {
            await IncrementalRounds.RunAsync();
            return;
        }

        if (args is ["store-memory", .. var counts])
        {
            await StoreMemory.RunAsync(counts.Length == 0 ? [100_000, 1_000_000] : [.. counts.Select(s => int.Parse(s, System.Globalization.CultureInfo.InvariantCulture))]);
            return;
        }

        if (args is ["first-use", .. var processes])
        {
            await FirstUse.RunAsync(processes.Length == 0 ? 7 : int.Parse(processes[0], System.Globalization.CultureInfo.InvariantCulture));
            return;
        }

        if (args is ["first-use-child"])
        {
            FirstUse.RunChild();
            return;
        }

        BenchmarkSwitcher.FromAssembly(typeof(Program).Assembly).Run(args);
    }
}
