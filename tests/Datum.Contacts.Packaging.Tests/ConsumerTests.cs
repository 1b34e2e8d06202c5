using System.Xml.Linq;
using Xunit;

namespace Datum.Contacts.Packaging.Tests;

/// <summary>A new host restores the packages from the packed folder alone and runs the README's example.</summary>
public sealed class ConsumerTests(PackedPackages packages) : IClassFixture<PackedPackages>
{
    [Fact]
    public void A_host_restored_from_the_packages_alone_runs_the_readme_example_on_both_stores()
    {
        var consumer = Path.Combine(packages.Root, "consumer");
        Directory.CreateDirectory(consumer);
        foreach (var file in Directory.GetFiles(Path.Combine(AppContext.BaseDirectory, "Consumer")))
        {
            File.Copy(file, Path.Combine(consumer, Path.GetFileName(file)));
        }

        // Offline and isolated: the Datum.Contacts packages come only from the packed folder; their dependencies come
        // from the packages this build already restored (used as a read-only feed), into an empty cache of our own.
        var restored = Environment.GetEnvironmentVariable("NUGET_PACKAGES") is { Length: > 0 } configured
            ? configured
            : Path.Combine(Environment.GetFolderPath(Environment.SpecialFolder.UserProfile), ".nuget", "packages");
        File.WriteAllText(Path.Combine(consumer, "nuget.config"), $"""
            <?xml version="1.0" encoding="utf-8"?>
            <configuration>
              <packageSources>
                <clear />
                <add key="packed" value="{packages.Folder}" />
                <add key="restored" value="{restored}" />
              </packageSources>
              <packageSourceMapping>
                <packageSource key="packed"><package pattern="Datum.Contacts*" /></packageSource>
                <packageSource key="restored"><package pattern="*" /></packageSource>
              </packageSourceMapping>
            </configuration>
            """);
        var versions = CentralVersions();
        var environment = new Dictionary<string, string> { ["NUGET_PACKAGES"] = Path.Combine(packages.Root, "nuget-cache") };

        var result = Dotnet.Run(consumer, TimeSpan.FromMinutes(8), environment,
            "run", "-c", "Release", "--nologo",
            $"-p:DatumContactsVersion={packages.Version}",
            $"-p:EntityFrameworkCoreVersion={versions["Microsoft.EntityFrameworkCore.Sqlite"]}",
            $"-p:ExtensionsVersion={versions["Microsoft.Extensions.DependencyInjection"]}");

        Assert.True(result.ExitCode == 0, result.Output);
        Assert.Contains("memory: Ada Countess v2, 2 audit entries, 1 vip", result.Output, StringComparison.Ordinal);
        Assert.Contains("sqlite: Ada Countess v2, 2 audit entries, 1 vip", result.Output, StringComparison.Ordinal);
        // Restored from the packed folder, not from a project reference.
        var assets = File.ReadAllText(Path.Combine(consumer, "obj", "project.assets.json"));
        Assert.Contains($"\"Datum.Contacts.EntityFrameworkCore/{packages.Version}\"", assets, StringComparison.Ordinal);
        Assert.DoesNotContain("\"type\": \"project\"", assets, StringComparison.Ordinal);
    }

    private Dictionary<string, string> CentralVersions() =>
        XDocument.Load(Path.Combine(packages.RepositoryRoot, "Directory.Packages.props"))
            .Descendants("PackageVersion")
            .ToDictionary(e => (string)e.Attribute("Include")!, e => (string)e.Attribute("Version")!);
}
