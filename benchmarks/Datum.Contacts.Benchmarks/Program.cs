using BenchmarkDotNet.Running;

namespace Datum.Contacts.Benchmarks;

/// <summary>
/// Runs the benchmarks chosen on the command line (for example <c>--filter '*' --job short</c>), or, with
/// <c>postgres-explain</c>, prints the store's and the hand-written SQL of the PostgreSQL count benchmarks with their plans;
/// with <c>audience-memory [sizes...]</c>, the live memory an audience resolution holds at each list size; with
/// <c>criteria-check</c>, only the criteria benchmarks' check that every evaluator (ours, the hand-written lambdas,
/// Dynamic LINQ) selects the same contacts; with <c>ef-list-memory [sizes] [providers]</c>, the time and peak managed heap
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

        BenchmarkSwitcher.FromAssembly(typeof(Program).Assembly).Run(args);
    }
}
