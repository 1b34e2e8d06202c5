using System.Diagnostics;
using System.IO.Compression;
using System.Text;
using System.Xml.Linq;

namespace Datum.Contacts.Packaging.Tests;

/// <summary>
/// Packs every package of the solution once, from the build this test run belongs to, into a temporary folder.
/// </summary>
public sealed class PackedPackages : IDisposable
{
#if DEBUG
    internal const string Configuration = "Debug";
#else
    internal const string Configuration = "Release";
#endif

    internal static readonly string[] PackageIds =
    [
        "Datum.Contacts",
        "Datum.Contacts.InMemory",
        "Datum.Contacts.EntityFrameworkCore",
        "Datum.Contacts.Specification.Tests",
    ];

    /// <summary>Packs the solution's packable projects (already built) into <see cref="Folder"/>.</summary>
    public PackedPackages()
    {
        RepositoryRoot = FindRepositoryRoot();
        Root = Directory.CreateTempSubdirectory("datum-contacts-packages-").FullName;
        Folder = Path.Combine(Root, "packages");
        Version = "0.1.0";
        var result = Dotnet.Run(RepositoryRoot, TimeSpan.FromMinutes(8),
            "pack", "Datum.Contacts.sln", "-c", Configuration, "--no-build", "--nologo", "-o", Folder);
        PackOutput = result.Output;
        if (result.ExitCode != 0)
        {
            throw new InvalidOperationException($"dotnet pack failed ({result.ExitCode}):\n{result.Output}");
        }
    }

    /// <summary>The folder holding Datum.Contacts.sln.</summary>
    public string RepositoryRoot { get; }

    /// <summary>A temporary folder of this run, removed at the end.</summary>
    public string Root { get; }

    /// <summary>The folder the packages were written to.</summary>
    public string Folder { get; }

    /// <summary>The version every package was packed with.</summary>
    public string Version { get; }

    /// <summary>What <c>dotnet pack</c> printed.</summary>
    public string PackOutput { get; }

    /// <summary>The path of a package, <c>.nupkg</c> or <c>.snupkg</c>.</summary>
    public string PathOf(string id, string extension = "nupkg") => Path.Combine(Folder, $"{id}.{Version}.{extension}");

    /// <summary>Reads a package's .nuspec.</summary>
    public XElement NuspecOf(string id)
    {
        using var package = ZipFile.OpenRead(PathOf(id));
        var entry = package.Entries.Single(e => e.FullName == $"{id}.nuspec");
        using var stream = entry.Open();
        return XDocument.Load(stream).Root!;
    }

    /// <summary>Reads one file of a package as text, or null when the package has no such file.</summary>
    public string? TextOf(string id, string path, string extension = "nupkg")
    {
        using var package = ZipFile.OpenRead(PathOf(id, extension));
        var entry = package.GetEntry(path);
        if (entry is null)
        {
            return null;
        }

        using var reader = new StreamReader(entry.Open(), Encoding.UTF8);
        return reader.ReadToEnd();
    }

    /// <summary>Reads one file of a package as bytes, or null when the package has no such file.</summary>
    public byte[]? BytesOf(string id, string path, string extension = "nupkg")
    {
        using var package = ZipFile.OpenRead(PathOf(id, extension));
        var entry = package.GetEntry(path);
        if (entry is null)
        {
            return null;
        }

        using var stream = entry.Open();
        using var copy = new MemoryStream();
        stream.CopyTo(copy);
        return copy.ToArray();
    }

    /// <inheritdoc />
    public void Dispose()
    {
        try
        {
            Directory.Delete(Root, recursive: true);
        }
        catch (IOException)
        {
            // A temporary folder left behind is harmless.
        }
    }

    private static string FindRepositoryRoot()
    {
        for (var directory = new DirectoryInfo(AppContext.BaseDirectory); directory is not null; directory = directory.Parent)
        {
            if (File.Exists(Path.Combine(directory.FullName, "Datum.Contacts.sln")))
            {
                return directory.FullName;
            }
        }

        throw new InvalidOperationException($"No Datum.Contacts.sln above {AppContext.BaseDirectory}.");
    }
}

/// <summary>Runs the dotnet CLI as a child process and collects what it prints.</summary>
internal static class Dotnet
{
    internal sealed record Result(int ExitCode, string Output);

    internal static Result Run(string workingDirectory, TimeSpan timeout, params string[] arguments) =>
        Run(workingDirectory, timeout, new Dictionary<string, string>(), arguments);

    internal static Result Run(string workingDirectory, TimeSpan timeout, IReadOnlyDictionary<string, string> environment, params string[] arguments)
    {
        var start = new ProcessStartInfo("dotnet")
        {
            WorkingDirectory = workingDirectory,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        foreach (var argument in arguments)
        {
            start.ArgumentList.Add(argument);
        }

        start.Environment["DOTNET_CLI_TELEMETRY_OPTOUT"] = "1";
        start.Environment["DOTNET_NOLOGO"] = "1";
        start.Environment["DOTNET_SKIP_FIRST_TIME_EXPERIENCE"] = "1";
        // The test host's own MSBuild settings must not leak into the child build.
        start.Environment.Remove("MSBuildSDKsPath");
        start.Environment.Remove("MSBuildExtensionsPath");
        start.Environment.Remove("MSBUILD_EXE_PATH");
        foreach (var (name, value) in environment)
        {
            start.Environment[name] = value;
        }

        using var process = new Process { StartInfo = start };
        var output = new StringBuilder();
        process.OutputDataReceived += (_, e) => { if (e.Data is not null) { lock (output) { output.AppendLine(e.Data); } } };
        process.ErrorDataReceived += (_, e) => { if (e.Data is not null) { lock (output) { output.AppendLine(e.Data); } } };
        process.Start();
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        if (!process.WaitForExit(timeout))
        {
            process.Kill(entireProcessTree: true);
            throw new TimeoutException($"dotnet {string.Join(' ', arguments)} did not finish within {timeout}:\n{output}");
        }

        process.WaitForExit();
        lock (output)
        {
            return new Result(process.ExitCode, output.ToString());
        }
    }
}
