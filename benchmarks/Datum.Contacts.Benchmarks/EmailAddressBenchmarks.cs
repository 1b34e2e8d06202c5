using BenchmarkDotNet.Attributes;

namespace Datum.Contacts.Benchmarks;

/// <summary>Parsing and validating email addresses.</summary>
[MemoryDiagnoser]
public class EmailAddressBenchmarks
{
    private string _ascii = string.Empty;
    private string _idn = string.Empty;
    private string _invalid = string.Empty;

    /// <summary>Picks the inputs: a Bogus-generated ASCII address, an IDN one, and one with two '@'.</summary>
    [GlobalSetup]
    public void Setup()
    {
        var f = ContactData.NewFaker();
        _ascii = ContactData.Email(f, f.Name.FirstName(), f.Name.LastName(), 1);
        _idn = "jürgen@bücher.de";
        _invalid = "jane.doe@@example..com";

        // Fail fast if an input does not behave as the benchmark assumes.
        _ = EmailAddress.Parse(_ascii);
        _ = EmailAddress.Parse(_idn);
        if (EmailAddress.TryParse(_invalid, out _, out _))
        {
            throw new InvalidOperationException("The invalid address parsed.");
        }
    }

    /// <summary>Parses a plain ASCII address.</summary>
    [Benchmark(Baseline = true)]
    public EmailAddress ParseAscii() => EmailAddress.Parse(_ascii);

    /// <summary>Parses an address whose domain is internationalized (IDNA to punycode and back).</summary>
    [Benchmark]
    public EmailAddress ParseIdn() => EmailAddress.Parse(_idn);

    /// <summary>Rejects an invalid address without throwing.</summary>
    [Benchmark]
    public string? TryParseInvalid() => EmailAddress.TryParse(_invalid, out _, out var error) ? null : error;
}
