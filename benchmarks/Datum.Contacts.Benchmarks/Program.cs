using BenchmarkDotNet.Running;

namespace Datum.Contacts.Benchmarks;

/// <summary>Runs the benchmarks chosen on the command line (for example <c>--filter '*' --job short</c>).</summary>
public static class Program
{
    /// <summary>The entry point.</summary>
    /// <param name="args">BenchmarkDotNet's command-line arguments.</param>
    public static void Main(string[] args) => BenchmarkSwitcher.FromAssembly(typeof(Program).Assembly).Run(args);
}
