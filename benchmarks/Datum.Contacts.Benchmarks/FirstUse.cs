using System.Diagnostics;
using System.Globalization;

namespace Datum.Contacts.Benchmarks;

/// <summary>
/// What criteria cost the first time, which the compile benchmarks (warmed up, many invocations) leave out: the JIT of
/// the library's own parser, binder and expression builder in a fresh process, of the compiled delegate on its first
/// call, and of the scanning loop that <see cref="CompiledCriteria.CountMatches"/> compiles on first use (what a list's
/// first refresh pays). Each measurement runs in a fresh process (this program, <c>first-use-child</c>), several
/// processes in turn; the table gives the median of each step.
/// </summary>
internal static class FirstUse
{
    private const int ScanSize = 10_000;

    private static readonly string[] Steps =
    [
        "medium, first criteria in the process: parse + bind + compile",
        "medium: first call of the compiled delegate",
        "medium: first CountMatches (builds and compiles the scan loop, runs it)",
        "medium: second CountMatches",
        "heavy, a new criteria in a warm process: parse + bind + compile",
        "heavy: first call of the compiled delegate",
        "heavy: first CountMatches (builds and compiles the scan loop, runs it)",
        "heavy: second CountMatches",
        "heavy again, parsed anew: parse + cached compile",
    ];

    /// <summary>Runs <paramref name="processes"/> children and prints the median of each step.</summary>
    public static async Task RunAsync(int processes)
    {
        var runs = new List<double[]>();
        for (var i = 0; i < processes; i++)
        {
            var start = new ProcessStartInfo(Environment.ProcessPath!) { RedirectStandardOutput = true, UseShellExecute = false };
            if (!Environment.ProcessPath!.EndsWith("Datum.Contacts.Benchmarks", StringComparison.Ordinal))
            {
                start.ArgumentList.Add(typeof(FirstUse).Assembly.Location);
            }

            start.ArgumentList.Add("first-use-child");
            using var child = Process.Start(start)!;
            var output = await child.StandardOutput.ReadToEndAsync().ConfigureAwait(false);
            await child.WaitForExitAsync().ConfigureAwait(false);
            if (child.ExitCode != 0)
            {
                throw new InvalidOperationException($"The child process failed ({child.ExitCode}): {output}");
            }

            runs.Add([.. output.Trim().Split(' ').Select(s => double.Parse(s, CultureInfo.InvariantCulture))]);
        }

        Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"First use, median of {processes} fresh processes ({ScanSize:N0} contacts scanned):"));
        Console.WriteLine("| step | median | min | max |");
        Console.WriteLine("| --- | ---: | ---: | ---: |");
        for (var step = 0; step < Steps.Length; step++)
        {
            var values = runs.Select(r => r[step]).Order().ToArray();
            Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"| {Steps[step]} | {Format(values[values.Length / 2])} | {Format(values[0])} | {Format(values[^1])} |"));
        }
    }

    /// <summary>The child: measures each step once, in order, and prints the microseconds on one line.</summary>
    public static void RunChild()
    {
        // The contacts are made before any criteria code runs; the contact model's JIT is not the criteria's cost.
        var contacts = CriteriaData.Stream(CriteriaData.Tenant, ScanSize).ToArray();
        var compiler = new CriteriaCompiler();
        var times = new List<double>();
        foreach (var criteria in new[] { CriteriaCase.Medium, CriteriaCase.Heavy })
        {
            var text = CriteriaData.Text(criteria);
            var compiled = Time(times, () => compiler.Compile(compiler.Parse(text), CriteriaData.Schema));
            Time(times, () => compiled.Predicate(contacts[0]));
            var first = Time(times, () => compiled.CountMatches(contacts));
            var second = Time(times, () => compiled.CountMatches(contacts));
            if (first != second || first != contacts.Count(compiled.Predicate))
            {
                throw new InvalidOperationException("The scans disagree.");
            }
        }

        Time(times, () => compiler.Compile(compiler.Parse(CriteriaData.Text(CriteriaCase.Heavy)), CriteriaData.Schema));
        Console.WriteLine(string.Join(' ', times.Select(t => t.ToString("F1", CultureInfo.InvariantCulture))));
    }

    private static T Time<T>(List<double> times, Func<T> step)
    {
        var watch = Stopwatch.StartNew();
        var result = step();
        times.Add(watch.Elapsed.TotalMicroseconds);
        return result;
    }

    private static string Format(double microseconds) => microseconds >= 1_000
        ? string.Create(CultureInfo.InvariantCulture, $"{microseconds / 1_000:N2} ms")
        : string.Create(CultureInfo.InvariantCulture, $"{microseconds:N1} µs");
}
