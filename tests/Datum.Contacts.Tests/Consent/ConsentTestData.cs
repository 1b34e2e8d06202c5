using System.Security.Cryptography;
using Microsoft.Extensions.Options;
using Microsoft.Extensions.Time.Testing;

// Not Datum.Contacts.Tests.Consent: inside that namespace the simple name Consent would name the namespace, not the type.
namespace Datum.Contacts.Tests.ConsentManagement;

/// <summary>Shared arrange steps of the consent tests: signing keys, a token service on a hand-set clock, consents.</summary>
internal static class ConsentTestData
{
    /// <summary>A fixed 32-byte secret, so a failing run can be replayed.</summary>
    public static TokenSigningKey Key(string id, byte seed = 1)
        => new() { Id = id, Secret = Convert.ToBase64String(Enumerable.Range(0, 32).Select(i => (byte)(seed * 31 + i * 7)).ToArray()) };

    /// <summary>A key with a fresh random secret.</summary>
    public static TokenSigningKey RandomKey(string id) => new() { Id = id, Secret = Convert.ToBase64String(RandomNumberGenerator.GetBytes(32)) };

    public static ContactTokenOptions TokenOptions(string activeKeyId, params TokenSigningKey[] keys)
        => new() { SigningKeys = [.. keys], ActiveKeyId = activeKeyId };

    public static ContactTokens Tokens(ContactTokenOptions options, TimeProvider? clock = null)
        => new(Options.Create(new ContactManagementOptions { Tokens = options }), clock ?? new FakeTimeProvider(TestData.Now));

    /// <summary>A token service with one key, <c>k1</c>.</summary>
    public static ContactTokens Tokens(TimeProvider? clock = null) => Tokens(TokenOptions("k1", Key("k1")), clock);

    public static Consent NewConsent(ListId? list = null, Channel? channel = null)
        => Consent.New(TestData.Tenant, new ContactId(Guid.CreateVersion7()), new ConsentScope(channel ?? Channel.Email, list), TestData.Now);

    /// <summary>A consent granted at <see cref="TestData.Now"/> (version 1, still in the unit of work that granted it).</summary>
    public static Consent Granted(ContactId contact, Channel channel, ListId? list = null)
    {
        var consent = Consent.New(TestData.Tenant, contact, new ConsentScope(channel, list), TestData.Now);
        consent.Grant("policy-1", TestData.Now);
        return consent;
    }

    public static Consent Withdrawn(ContactId contact, Channel channel, ListId? list = null)
    {
        var consent = Consent.New(TestData.Tenant, contact, new ConsentScope(channel, list), TestData.Now);
        consent.Withdraw(TestData.Now);
        return consent;
    }

    public static Consent Pending(ContactId contact, Channel channel, ListId? list = null)
    {
        var consent = Consent.New(TestData.Tenant, contact, new ConsentScope(channel, list), TestData.Now);
        consent.Request("hash", TestData.Now.AddDays(7), "policy-1", TestData.Now);
        return consent;
    }
}
