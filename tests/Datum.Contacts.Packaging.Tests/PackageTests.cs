using System.Reflection;
using System.Reflection.Metadata;
using System.Reflection.PortableExecutable;
using System.Text;
using System.Xml.Linq;
using Xunit;

namespace Datum.Contacts.Packaging.Tests;

/// <summary>What a consumer finds inside each package: its own README, symbols, deterministic paths, metadata.</summary>
public sealed class PackageTests(PackedPackages packages) : IClassFixture<PackedPackages>
{
    public static TheoryData<string> Ids => new(PackedPackages.PackageIds);

    [Theory]
    [MemberData(nameof(Ids))]
    public void Each_package_carries_its_own_readme_not_the_repository_one(string id)
    {
        var readme = packages.TextOf(id, "README.md");
        var expected = File.ReadAllText(Path.Combine(packages.RepositoryRoot, "src", id, "PACKAGE.md"));

        Assert.NotNull(readme);
        Assert.Equal(expected.ReplaceLineEndings(), readme!.TrimStart('\uFEFF').ReplaceLineEndings());
        Assert.StartsWith($"# {id}", readme.TrimStart('\uFEFF'), StringComparison.Ordinal);
        Assert.Contains($"dotnet add package {id}", readme, StringComparison.Ordinal);
        Assert.DoesNotContain("./build.sh", readme, StringComparison.Ordinal);
        Assert.Equal("README.md", Element(packages.NuspecOf(id), "readme")?.Value);
    }

    [Theory]
    [MemberData(nameof(Ids))]
    public void Each_package_has_complete_metadata(string id)
    {
        var nuspec = packages.NuspecOf(id);

        Assert.Equal(id, Element(nuspec, "id")?.Value);
        Assert.False(string.IsNullOrWhiteSpace(Element(nuspec, "authors")?.Value));
        Assert.False(string.IsNullOrWhiteSpace(Element(nuspec, "description")?.Value));
        Assert.Contains("contacts", Element(nuspec, "tags")?.Value ?? string.Empty, StringComparison.Ordinal);
        Assert.Equal("MIT", Element(nuspec, "license")?.Value);
        var repository = Element(nuspec, "repository");
        Assert.NotNull(repository);
        Assert.Equal("git", repository!.Attribute("type")?.Value);
        Assert.Matches("^[0-9a-f]{40}$", repository.Attribute("commit")?.Value ?? string.Empty);
    }

    [Theory]
    [MemberData(nameof(Ids))]
    public void Each_package_ships_portable_symbols_in_a_snupkg(string id)
    {
        var path = $"lib/net10.0/{id}.pdb";
        Assert.True(File.Exists(packages.PathOf(id, "snupkg")), $"{id} has no .snupkg");
        var pdb = packages.BytesOf(id, path, "snupkg");

        Assert.NotNull(pdb);
        using var provider = MetadataReaderProvider.FromPortablePdbStream(new MemoryStream(pdb!));
        var reader = provider.GetMetadataReader();
        Assert.NotEmpty(reader.Documents);
        Assert.Null(packages.BytesOf(id, path)); // symbols live in the .snupkg, not in the package itself
    }

    [Theory]
    [MemberData(nameof(Ids))]
    public void A_continuous_integration_build_leaves_no_path_of_the_build_machine_in_the_assembly_or_symbols(string id)
    {
        var dll = packages.BytesOf(id, $"lib/net10.0/{id}.dll")!;
        var pdb = packages.BytesOf(id, $"lib/net10.0/{id}.pdb", "snupkg")!;
        var root = packages.RepositoryRoot.TrimEnd(Path.DirectorySeparatorChar);
        using var pe = new PEReader(new MemoryStream(dll));
        var codeView = pe.ReadDebugDirectory().Single(e => e.Type == DebugDirectoryEntryType.CodeView);
        var pdbPath = pe.ReadCodeViewDebugDirectoryData(codeView).Path;

        if (BuiltForContinuousIntegration)
        {
            Assert.StartsWith("/_/", pdbPath, StringComparison.Ordinal);
            Assert.False(Contains(dll, root), $"{id}.dll contains {root}");
            Assert.False(Contains(pdb, root), $"{id}.pdb contains {root}");
        }
        else
        {
            // A developer build keeps real paths for the debugger; ./build.sh pack and CI builds map them to /_/.
            Assert.StartsWith(root, pdbPath, StringComparison.Ordinal);
        }
    }

    [Fact]
    public void The_core_package_describes_only_what_exists()
    {
        var description = Element(packages.NuspecOf("Datum.Contacts"), "description")!.Value;

        Assert.DoesNotContain("privacy request", description, StringComparison.OrdinalIgnoreCase);
        Assert.DoesNotContain("webhook", description, StringComparison.OrdinalIgnoreCase);
        Assert.DoesNotContain("import", description, StringComparison.OrdinalIgnoreCase);
    }

    private static bool BuiltForContinuousIntegration =>
        typeof(PackageTests).Assembly.GetCustomAttributes<AssemblyMetadataAttribute>()
            .Any(a => a.Key == "ContinuousIntegrationBuild" && string.Equals(a.Value, "true", StringComparison.OrdinalIgnoreCase));

    private static XElement? Element(XElement nuspec, string name) =>
        nuspec.Descendants().FirstOrDefault(e => e.Name.LocalName == name);

    private static bool Contains(byte[] haystack, string text) =>
        haystack.AsSpan().IndexOf(Encoding.UTF8.GetBytes(text)) >= 0 || haystack.AsSpan().IndexOf(Encoding.Unicode.GetBytes(text)) >= 0;
}
