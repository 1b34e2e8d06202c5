using System.Buffers;
using System.Buffers.Text;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using System.Text.Json.Serialization;
using Microsoft.Extensions.Options;

namespace Datum.Contacts;

/// <summary>
/// Keys and lifetimes of the signed tokens sent to contacts: double opt-in confirmations and self-service links.
/// Tokens are HMAC-SHA256 signed with <see cref="ActiveKeyId"/>'s key and checked with the key they name, so a key
/// can be rotated: add the new key, make it active, and remove the old one once its tokens have expired.
/// </summary>
public sealed class ContactTokenOptions
{
    /// <summary>The signing keys. None by default: tokens are then unavailable, and issuing one throws <see cref="InvalidOperationException"/>.</summary>
    public IList<TokenSigningKey> SigningKeys { get; set; } = [];

    /// <summary>The id of the key new tokens are signed with; one of <see cref="SigningKeys"/>.</summary>
    public string? ActiveKeyId { get; set; }

    /// <summary>How long a double opt-in confirmation token is valid. Default 7 days; between 1 minute and 90 days.</summary>
    public TimeSpan OptInTokenLifetime { get; set; } = TimeSpan.FromDays(7);

    /// <summary>How long a self-service token is valid. Default 30 days; between 1 minute and 366 days.</summary>
    public TimeSpan SelfServiceTokenLifetime { get; set; } = TimeSpan.FromDays(30);

    internal IEnumerable<string> Validate(string prefix)
    {
        if (SigningKeys is null)
        {
            yield return $"{prefix}.SigningKeys must not be null.";
            yield break;
        }

        var ids = new HashSet<string>(StringComparer.Ordinal);
        for (var i = 0; i < SigningKeys.Count; i++)
        {
            var key = SigningKeys[i];
            if (key is null || string.IsNullOrWhiteSpace(key.Id) || key.Id.Length > 64 || key.Id.Any(c => !char.IsAsciiLetterOrDigit(c) && c is not '-' and not '_'))
            {
                yield return $"{prefix}.SigningKeys[{i}].Id must be 1 to 64 ASCII letters, digits, '-' or '_'.";
                continue;
            }

            if (!ids.Add(key.Id))
            {
                yield return $"{prefix}.SigningKeys[{i}].Id '{key.Id}' is used twice.";
            }

            if (key.TryGetSecret() is not { Length: >= 32 })
            {
                yield return $"{prefix}.SigningKeys[{i}].Secret must be base64 of at least 32 random bytes (generate one with RandomNumberGenerator.GetBytes(32)).";
            }
        }

        if ((SigningKeys.Count > 0 || ActiveKeyId is not null) && (ActiveKeyId is null || !ids.Contains(ActiveKeyId)))
        {
            yield return $"{prefix}.ActiveKeyId must name one of the SigningKeys.";
        }

        if (OptInTokenLifetime < TimeSpan.FromMinutes(1) || OptInTokenLifetime > TimeSpan.FromDays(90))
        {
            yield return $"{prefix}.OptInTokenLifetime is {OptInTokenLifetime}; it must be between 1 minute and 90 days.";
        }

        if (SelfServiceTokenLifetime < TimeSpan.FromMinutes(1) || SelfServiceTokenLifetime > TimeSpan.FromDays(366))
        {
            yield return $"{prefix}.SelfServiceTokenLifetime is {SelfServiceTokenLifetime}; it must be between 1 minute and 366 days.";
        }
    }
}

/// <summary>A token signing key.</summary>
public sealed class TokenSigningKey
{
    /// <summary>The key id, written into every token it signs (not secret).</summary>
    public string Id { get; set; } = string.Empty;

    /// <summary>The secret, base64 of at least 32 random bytes. Keep it in a secret store, not in configuration files.</summary>
    public string Secret { get; set; } = string.Empty;

    internal byte[]? TryGetSecret()
    {
        if (string.IsNullOrWhiteSpace(Secret))
        {
            return null;
        }

        var buffer = new byte[Secret.Length];
        return Convert.TryFromBase64String(Secret.Trim(), buffer, out var written) ? buffer[..written] : null;
    }
}

/// <summary>What a token allows.</summary>
public enum TokenPurpose
{
    /// <summary>Confirm a double opt-in.</summary>
    ConfirmOptIn = 1,

    /// <summary>Read one's own profile, consents and preferences.</summary>
    ViewProfile = 2,

    /// <summary>Change one's own profile and preferences (also allows <see cref="ViewProfile"/>).</summary>
    UpdateProfile = 3,

    /// <summary>Unsubscribe from one list, one channel, or everything.</summary>
    Unsubscribe = 4,

    /// <summary>Ask for one's data to be deleted.</summary>
    RequestDeletion = 5,
}

/// <summary>Why a token was refused.</summary>
public enum InvalidTokenReason
{
    /// <summary>Not a token of ours: wrong shape or encoding.</summary>
    Malformed = 1,

    /// <summary>The signature does not match (tampered, or signed with an unknown or removed key).</summary>
    BadSignature = 2,

    /// <summary>The token has expired.</summary>
    Expired = 3,

    /// <summary>The token was issued for another tenant.</summary>
    WrongTenant = 4,

    /// <summary>The token was issued for another purpose.</summary>
    WrongPurpose = 5,

    /// <summary>The single-use token was used already.</summary>
    AlreadyUsed = 6,

    /// <summary>A newer token replaced this one, or what it was issued for no longer exists.</summary>
    Superseded = 7,
}

/// <summary>A contact token was refused. Nothing changed.</summary>
public sealed class InvalidTokenException : ContactManagementException
{
    /// <summary>Creates the exception.</summary>
    /// <param name="reason">Why the token was refused.</param>
    /// <param name="detail">What is wrong.</param>
    public InvalidTokenException(InvalidTokenReason reason, string detail)
        : base("invalid_token", $"token: {detail}")
    {
        Reason = reason;
    }

    /// <summary>Why the token was refused.</summary>
    public InvalidTokenReason Reason { get; }
}

/// <summary>What a valid token says.</summary>
/// <param name="Purpose">What it allows.</param>
/// <param name="Tenant">The tenant.</param>
/// <param name="Contact">The contact.</param>
/// <param name="Channel">The channel, for opt-in and unsubscribe tokens scoped to one.</param>
/// <param name="List">The list, for tokens scoped to one.</param>
/// <param name="NonceHash">The SHA-256 (hex) of its random nonce.</param>
/// <param name="ExpiresAt">When it expires.</param>
internal sealed record TokenClaims(TokenPurpose Purpose, TenantId Tenant, ContactId Contact, Channel? Channel, ListId? List, string NonceHash, DateTimeOffset ExpiresAt);

/// <summary>
/// Issues and checks contact tokens: <c>v1.{key id}.{payload}.{signature}</c>, base64url, the payload a small JSON
/// document (purpose, tenant, contact, channel, list, random nonce, expiry) and the signature HMAC-SHA256 over
/// everything before it. Only the nonce's hash is ever stored.
/// </summary>
internal sealed class ContactTokens(IOptions<ContactManagementOptions> options, TimeProvider time)
{
    private const string Version = "v1";
    private const int MaxTokenLength = 2_048;
    private static readonly long MinExpires = DateTimeOffset.MinValue.ToUnixTimeSeconds();
    private static readonly long MaxExpires = DateTimeOffset.MaxValue.ToUnixTimeSeconds();
    private readonly ContactTokenOptions _options = options.Value.Tokens;

    public TimeSpan LifetimeOf(TokenPurpose purpose) => purpose == TokenPurpose.ConfirmOptIn ? _options.OptInTokenLifetime : _options.SelfServiceTokenLifetime;

    /// <summary>Issues a token; returns it and its claims.</summary>
    public (string Token, TokenClaims Claims) Issue(TokenPurpose purpose, TenantId tenant, ContactId contact, Channel? channel, ListId? list)
    {
        var (keyId, secret) = ActiveKey();
        var nonce = RandomNumberGenerator.GetBytes(16);
        var expires = time.GetUtcNow() + LifetimeOf(purpose);
        var payload = new Payload
        {
            Purpose = (int)purpose,
            Tenant = tenant.Value,
            Contact = contact.ToString(),
            Channel = channel?.Value,
            List = list?.ToString(),
            Nonce = Base64Url.EncodeToString(nonce),
            Expires = expires.ToUnixTimeSeconds(),
        };
        var body = $"{Version}.{keyId}.{Base64Url.EncodeToString(JsonSerializer.SerializeToUtf8Bytes(payload, TokenJson.Default.Payload))}";
        var signature = HMACSHA256.HashData(secret, Encoding.ASCII.GetBytes(body));
        var claims = new TokenClaims(purpose, tenant, contact, channel, list, HashNonce(nonce), DateTimeOffset.FromUnixTimeSeconds(payload.Expires));
        return ($"{body}.{Base64Url.EncodeToString(signature)}", claims);
    }

    /// <summary>Checks a token's shape, signature, expiry, tenant and purpose; throws <see cref="InvalidTokenException"/>.</summary>
    /// <param name="tenant">The tenant the token is presented to.</param>
    /// <param name="token">The token.</param>
    /// <param name="allowed">The purposes accepted.</param>
    public TokenClaims Validate(TenantId tenant, string? token, params TokenPurpose[] allowed)
    {
        if (string.IsNullOrWhiteSpace(token) || token.Length > MaxTokenLength)
        {
            throw Malformed();
        }

        var parts = token.Split('.');
        if (parts.Length != 4 || parts[0] != Version)
        {
            throw Malformed();
        }

        var secret = KeyFor(parts[1]) ?? throw new InvalidTokenException(InvalidTokenReason.BadSignature, "the token is signed with a key this system does not hold (removed after rotation, or never ours).");

        // One valid spelling: the payload and signature must be exactly as issued (strict unpadded base64url), so a
        // padded, spaced or otherwise re-spelled copy of a valid token is refused before its signature is checked.
        if (DecodeStrict(parts[3]) is not { } signature || DecodeStrict(parts[2]) is not { } json)
        {
            throw Malformed();
        }

        var expected = HMACSHA256.HashData(secret, Encoding.ASCII.GetBytes($"{parts[0]}.{parts[1]}.{parts[2]}"));
        if (!CryptographicOperations.FixedTimeEquals(expected, signature))
        {
            throw new InvalidTokenException(InvalidTokenReason.BadSignature, "the token's signature does not match: it was altered or not issued by this system.");
        }

        Payload? payload;
        try
        {
            payload = JsonSerializer.Deserialize(json, TokenJson.Default.Payload);
        }
        catch (JsonException)
        {
            throw Malformed();
        }

        if (payload is null
            || !Enum.IsDefined((TokenPurpose)payload.Purpose)
            || !TenantId.TryParse(payload.Tenant, out var tokenTenant, out _)
            || !ContactId.TryParse(payload.Contact, out var contact)
            || DecodeStrict(payload.Nonce) is not { } nonce
            || payload.Expires < MinExpires || payload.Expires > MaxExpires)
        {
            throw Malformed();
        }

        Channel? channel = null;
        if (payload.Channel is not null)
        {
            channel = Channel.TryParse(payload.Channel, out var parsed, out _) ? parsed : throw Malformed();
        }

        ListId? list = null;
        if (payload.List is not null)
        {
            list = ListId.TryParse(payload.List, out var parsed) ? parsed : throw Malformed();
        }

        if (tokenTenant != tenant)
        {
            throw new InvalidTokenException(InvalidTokenReason.WrongTenant, "the token was issued for another tenant.");
        }

        var purpose = (TokenPurpose)payload.Purpose;
        if (!allowed.Contains(purpose))
        {
            throw new InvalidTokenException(InvalidTokenReason.WrongPurpose, $"the token allows {purpose}, not {string.Join(" or ", allowed)}.");
        }

        var expires = DateTimeOffset.FromUnixTimeSeconds(payload.Expires);
        if (time.GetUtcNow() >= expires)
        {
            throw new InvalidTokenException(InvalidTokenReason.Expired, $"the token expired at {expires:O}; ask for a new one.");
        }

        return new TokenClaims(purpose, tenant, contact, channel, list, HashNonce(nonce), expires);
    }

    /// <summary>
    /// The bytes of strict unpadded base64url text (only A-Z, a-z, 0-9, '-' and '_', no padding, no white space,
    /// no stray bits in the last character: the text the encoder gives for them); null for anything else.
    /// </summary>
    private static byte[]? DecodeStrict(string? text)
    {
        // Only the alphabet, before anything decodes: Base64Url.IsValid skips white space and allows padding, and
        // decoding then throws a FormatException on some of those spellings (padding followed by a tab) instead of refusing them.
        if (text is null || text.AsSpan().ContainsAnyExcept(Base64UrlAlphabet) || !Base64Url.IsValid(text, out var length))
        {
            return null;
        }

        var bytes = new byte[length];
        return Base64Url.TryDecodeFromChars(text, bytes, out var written) && written == length && Base64Url.EncodeToString(bytes) == text ? bytes : null;
    }

    private static readonly SearchValues<char> Base64UrlAlphabet = SearchValues.Create("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_");

    private static InvalidTokenException Malformed() => new(InvalidTokenReason.Malformed, "this is not a token issued by this system (wrong shape or encoding).");

    private static string HashNonce(byte[] nonce) => Convert.ToHexStringLower(SHA256.HashData(nonce));

    private (string Id, byte[] Secret) ActiveKey()
    {
        if (_options.SigningKeys.Count == 0 || _options.ActiveKeyId is null || KeyFor(_options.ActiveKeyId) is not { } secret)
        {
            throw new InvalidOperationException(
                "Contact tokens need a signing key: set ContactManagementOptions.Tokens.SigningKeys (base64 of at least 32 random bytes each) and Tokens.ActiveKeyId.");
        }

        return (_options.ActiveKeyId, secret);
    }

    private byte[]? KeyFor(string id)
    {
        foreach (var key in _options.SigningKeys)
        {
            if (string.Equals(key.Id, id, StringComparison.Ordinal))
            {
                return key.TryGetSecret();
            }
        }

        return null;
    }

    internal sealed class Payload
    {
        [JsonPropertyName("p")]
        public int Purpose { get; set; }

        [JsonPropertyName("t")]
        public string? Tenant { get; set; }

        [JsonPropertyName("c")]
        public string? Contact { get; set; }

        [JsonPropertyName("ch")]
        [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
        public string? Channel { get; set; }

        [JsonPropertyName("l")]
        [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
        public string? List { get; set; }

        [JsonPropertyName("n")]
        public string? Nonce { get; set; }

        [JsonPropertyName("e")]
        public long Expires { get; set; }
    }
}

/// <summary>Source-generated JSON for token payloads.</summary>
[JsonSerializable(typeof(ContactTokens.Payload))]
internal sealed partial class TokenJson : JsonSerializerContext;
