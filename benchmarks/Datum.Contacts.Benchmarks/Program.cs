using BenchmarkDotNet.Running;

namespace Datum.Contacts.Benchmarks;

/// <summary>
/// Runs the benchmarks chosen on the command line (for example <c>--filter '*' --job short</c>), or, with
/// <c>postgres-explain</c>, prints the store's and the hand-written SQL of the PostgreSQL count benchmarks with their plans.
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

        BenchmarkSwitcher.FromAssembly(typeof(Program).Assembly).Run(args);
    }
}
