using System.Buffers.Text;
using System.Globalization;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using FsCheck;
using FsCheck.Fluent;
using FsCheck.Xunit;
using static Datum.Contacts.Tests.ConsentManagement.ConsentTestData;
using Microsoft.Extensions.Time.Testing;

namespace Datum.Contacts.Tests.ConsentManagement;

public sealed class ContactTokensTests
{
    private const int Runs = 1_000;

    private static readonly TenantId OtherTenant = TenantId.Parse("t2");

    private static readonly ContactId Contact = new(Guid.CreateVersion7());

    private static readonly ListId List = new(Guid.CreateVersion7());

    private static readonly TokenPurpose[] AllPurposes = Enum.GetValues<TokenPurpose>();

    /// <summary>Every character a tampered token might hold instead of the original: base64url, separators and noise.</summary>
    private const string TamperAlphabet = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_.=+/ \t\r\n\0éΩ\u00A0";

    public static TheoryData<TokenPurpose, bool, bool> EveryPurposeWithAndWithoutChannelAndList()
    {
        var data = new TheoryData<TokenPurpose, bool, bool>();
        foreach (var purpose in AllPurposes)
        {
            foreach (var withChannel in new[] { false, true })
            {
                foreach (var withList in new[] { false, true })
                {
                    data.Add(purpose, withChannel, withList);
                }
            }
        }

        return data;
    }

    [Theory]
    [MemberData(nameof(EveryPurposeWithAndWithoutChannelAndList))]
    public void An_issued_token_validates_back_to_the_claims_it_was_issued_with(TokenPurpose purpose, bool withChannel, bool withList)
    {
        var tokens = Tokens();
        Channel? channel = withChannel ? Channel.Parse("whatsapp") : null;
        ListId? list = withList ? List : null;

        var (token, issued) = tokens.Issue(purpose, TestData.Tenant, Contact, channel, list);
        var validated = tokens.Validate(TestData.Tenant, token, purpose);

        Assert.Equal(issued, validated);
        Assert.Equal((purpose, TestData.Tenant, Contact, channel, list), (validated.Purpose, validated.Tenant, validated.Contact, validated.Channel, validated.List));
        Assert.Equal(TestData.Now + tokens.LifetimeOf(purpose), validated.ExpiresAt);
        Assert.StartsWith("v1.k1.", token, StringComparison.Ordinal);
        Assert.Equal(4, token.Split('.').Length);
    }

    [Fact]
    public void A_token_validates_when_its_purpose_is_one_of_several_accepted()
    {
        var tokens = Tokens();
        var (token, _) = tokens.Issue(TokenPurpose.UpdateProfile, TestData.Tenant, Contact, null, null);

        var claims = tokens.Validate(TestData.Tenant, token, TokenPurpose.ViewProfile, TokenPurpose.UpdateProfile);

        Assert.Equal(TokenPurpose.UpdateProfile, claims.Purpose);
    }

    [Fact]
    public void Opt_in_and_self_service_tokens_get_their_own_lifetimes()
    {
        var options = TokenOptions("k1", Key("k1"));
        options.OptInTokenLifetime = TimeSpan.FromHours(2);
        options.SelfServiceTokenLifetime = TimeSpan.FromDays(3);
        var tokens = Tokens(options);

        var optIn = tokens.Issue(TokenPurpose.ConfirmOptIn, TestData.Tenant, Contact, Channel.Email, null).Claims;
        var selfService = AllPurposes.Where(p => p != TokenPurpose.ConfirmOptIn).Select(p => tokens.Issue(p, TestData.Tenant, Contact, null, null).Claims.ExpiresAt);

        Assert.Equal(TestData.Now.AddHours(2), optIn.ExpiresAt);
        Assert.All(selfService, expires => Assert.Equal(TestData.Now.AddDays(3), expires));
    }

    [Fact]
    public void A_token_is_valid_until_its_expiry_and_expired_from_that_instant_on()
    {
        var clock = new FakeTimeProvider(TestData.Now);
        var tokens = Tokens(clock);
        var (token, claims) = tokens.Issue(TokenPurpose.ConfirmOptIn, TestData.Tenant, Contact, Channel.Email, null);

        clock.SetUtcNow(claims.ExpiresAt.AddTicks(-1));
        tokens.Validate(TestData.Tenant, token, TokenPurpose.ConfirmOptIn);

        clock.SetUtcNow(claims.ExpiresAt);
        var atExpiry = Assert.Throws<InvalidTokenException>(() => tokens.Validate(TestData.Tenant, token, TokenPurpose.ConfirmOptIn));
        clock.SetUtcNow(claims.ExpiresAt.AddYears(1));
        var longAfter = Assert.Throws<InvalidTokenException>(() => tokens.Validate(TestData.Tenant, token, TokenPurpose.ConfirmOptIn));

        Assert.Equal(InvalidTokenReason.Expired, atExpiry.Reason);
        Assert.Equal(InvalidTokenReason.Expired, longAfter.Reason);
        Assert.Equal("invalid_token", atExpiry.Code);
        Assert.Contains("ask for a new one", atExpiry.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void A_token_presented_to_another_tenant_is_refused()
    {
        var tokens = Tokens();
        var (token, _) = tokens.Issue(TokenPurpose.ViewProfile, TestData.Tenant, Contact, null, null);

        var error = Assert.Throws<InvalidTokenException>(() => tokens.Validate(OtherTenant, token, TokenPurpose.ViewProfile));

        Assert.Equal(InvalidTokenReason.WrongTenant, error.Reason);
    }

    [Fact]
    public void A_token_presented_for_another_purpose_is_refused_and_the_message_names_both()
    {
        var tokens = Tokens();
        var (token, _) = tokens.Issue(TokenPurpose.ViewProfile, TestData.Tenant, Contact, null, null);

        var error = Assert.Throws<InvalidTokenException>(() => tokens.Validate(TestData.Tenant, token, TokenPurpose.UpdateProfile, TokenPurpose.RequestDeletion));

        Assert.Equal(InvalidTokenReason.WrongPurpose, error.Reason);
        Assert.Contains("allows ViewProfile, not UpdateProfile or RequestDeletion", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Changing_the_version_is_malformed_and_changing_the_key_id_payload_or_signature_breaks_the_signature()
    {
        var tokens = Tokens();
        var (token, _) = tokens.Issue(TokenPurpose.ConfirmOptIn, TestData.Tenant, Contact, Channel.Email, List);
        var parts = token.Split('.');

        InvalidTokenReason ReasonWith(int part, string value)
        {
            var changed = (string[])parts.Clone();
            changed[part] = value;
            return Assert.Throws<InvalidTokenException>(() => tokens.Validate(TestData.Tenant, string.Join('.', changed), TokenPurpose.ConfirmOptIn)).Reason;
        }

        Assert.Equal(InvalidTokenReason.Malformed, ReasonWith(0, "v2"));
        Assert.Equal(InvalidTokenReason.BadSignature, ReasonWith(1, "k2"));
        Assert.Equal(InvalidTokenReason.BadSignature, ReasonWith(2, Flip(parts[2], 5)));
        Assert.Equal(InvalidTokenReason.BadSignature, ReasonWith(3, Flip(parts[3], 0)));
    }

    [Fact]
    public void A_payload_rewritten_by_someone_without_the_key_breaks_the_signature()
    {
        var tokens = Tokens();
        var (token, _) = tokens.Issue(TokenPurpose.ViewProfile, TestData.Tenant, Contact, null, null);
        var parts = token.Split('.');
        var json = Encoding.UTF8.GetString(Base64Url.DecodeFromChars(parts[2]));
        var forged = json.Replace("\"p\":2", "\"p\":5", StringComparison.Ordinal);
        Assert.NotEqual(json, forged);

        var error = Assert.Throws<InvalidTokenException>(() => tokens.Validate(TestData.Tenant, $"{parts[0]}.{parts[1]}.{Base64Url.EncodeToString(Encoding.UTF8.GetBytes(forged))}.{parts[3]}", TokenPurpose.RequestDeletion));

        Assert.Equal(InvalidTokenReason.BadSignature, error.Reason);
    }

    [Fact]
    public void Every_single_character_change_anywhere_in_a_token_is_refused()
    {
        var tokens = Tokens();
        var (token, _) = tokens.Issue(TokenPurpose.ConfirmOptIn, TestData.Tenant, Contact, Channel.Email, List);
        Assert.False(IsRefused(() => tokens.Validate(TestData.Tenant, token, TokenPurpose.ConfirmOptIn)));

        for (var position = 0; position < token.Length; position++)
        {
            foreach (var replacement in TamperAlphabet.Where(c => c != token[position]))
            {
                var tampered = string.Concat(token.AsSpan(0, position), replacement.ToString(), token.AsSpan(position + 1));
                Assert.True(IsRefused(() => tokens.Validate(TestData.Tenant, tampered, TokenPurpose.ConfirmOptIn)), $"'{tampered}' (position {position} changed to U+{(int)replacement:X4}) was accepted");
            }
        }
    }

    [Property(MaxTest = Runs)]
    public Property Flipping_any_single_character_of_any_valid_token_only_ever_yields_an_invalid_token_error()
    {
        var tokens = Tokens();
        var cases =
            from purpose in Gen.Elements(AllPurposes)
            from channel in Gen.Elements<Channel?>(null, Channel.Email, Channel.Sms, Channel.Parse("push-web"))
            from list in Gen.Elements<ListId?>(null, List)
            let token = tokens.Issue(purpose, TestData.Tenant, Contact, channel, list).Token
            from position in Gen.Choose(0, token.Length - 1)
            from replacement in Gen.Elements(TamperAlphabet.ToCharArray()).Where(c => c != token[position])
            select (Purpose: purpose, Tampered: string.Concat(token.AsSpan(0, position), replacement.ToString(), token.AsSpan(position + 1)));

        return Prop.ForAll(cases.ToArbitrary(), c => IsRefused(() => tokens.Validate(TestData.Tenant, c.Tampered, c.Purpose)));
    }

    /// <summary>Spellings of a valid token that base64url decoders commonly let through: padding, white space, stray bits.</summary>
    public static TheoryData<string> Respellings => new()
    {
        "padded once",
        "padded twice",
        "padded signature inside",
        "padded payload then a tab",
        "space inside the signature",
        "newline inside the payload",
        "tab inside the signature",
        "leading space",
        "trailing newline",
    };

    [Theory]
    [MemberData(nameof(Respellings))]
    public void A_respelled_valid_token_is_refused_like_a_forged_one(string respelling)
    {
        var tokens = Tokens();
        var (token, _) = tokens.Issue(TokenPurpose.ConfirmOptIn, TestData.Tenant, Contact, Channel.Email, List);
        var parts = token.Split('.');
        var signatureEnd = token.Length - 1;
        var payloadMiddle = token.Length - parts[3].Length - 1 - (parts[2].Length / 2);
        var respelled = respelling switch
        {
            "padded once" => token + "=",
            "padded twice" => token + "==",
            "padded signature inside" => $"{parts[0]}.{parts[1]}.{parts[2]}=.{parts[3]}",
            "padded payload then a tab" => $"{parts[0]}.{parts[1]}.{parts[2]}=\t.{parts[3]}",
            "space inside the signature" => token.Insert(signatureEnd - 3, " "),
            "newline inside the payload" => token.Insert(payloadMiddle, "\n"),
            "tab inside the signature" => token.Insert(signatureEnd - 10, "\t"),
            "leading space" => " " + token,
            _ => token + "\n",
        };
        Assert.NotEqual(token, respelled);
        Assert.Equal(Base64Url.DecodeFromChars(parts[3].AsSpan()), Base64Url.DecodeFromChars(respelled.Trim().Split('.')[3].TrimEnd('=')));
        var forged = Assert.Throws<InvalidTokenException>(() => tokens.Validate(TestData.Tenant, Flip(token, signatureEnd), TokenPurpose.ConfirmOptIn));

        var error = Assert.Throws<InvalidTokenException>(() => tokens.Validate(TestData.Tenant, respelled, TokenPurpose.ConfirmOptIn));

        Assert.Equal(forged.GetType(), error.GetType());
        Assert.Equal(InvalidTokenReason.Malformed, error.Reason);
        Assert.Equal(Contact, tokens.Validate(TestData.Tenant, token, TokenPurpose.ConfirmOptIn).Contact);
    }

    [Property(MaxTest = Runs)]
    public Property Any_edit_of_a_valid_token_that_changes_its_text_is_refused()
    {
        var tokens = Tokens();
        var insertions = Gen.Elements("=", "==", " ", "\n", "\r\n", "\t", "A", "-", "_", ".", "+", "/", "\0", "\u00A0", "\uD800");
        var cases =
            from purpose in Gen.Elements(AllPurposes)
            from list in Gen.Elements<ListId?>(null, List)
            let token = tokens.Issue(purpose, TestData.Tenant, Contact, Channel.Email, list).Token
            from start in Gen.Choose(0, token.Length)
            from removed in Gen.Choose(0, Math.Min(3, token.Length - start))
            from inserted in insertions.ListOf().Select(i => string.Concat(i.Take(3)))
            let edited = string.Concat(token.AsSpan(0, start), inserted, token.AsSpan(start + removed))
            where edited != token
            select (Purpose: purpose, Edited: edited);

        return Prop.ForAll(cases.ToArbitrary(), c => IsRefused(() => tokens.Validate(TestData.Tenant, c.Edited, c.Purpose)));
    }

    [Fact]
    public void A_token_signed_with_a_retired_key_validates_while_the_key_is_kept_and_is_refused_once_it_is_removed()
    {
        var k1 = Key("k1", seed: 1);
        var k2 = Key("k2", seed: 2);
        var (token, issued) = Tokens(TokenOptions("k1", k1)).Issue(TokenPurpose.Unsubscribe, TestData.Tenant, Contact, Channel.Sms, List);

        var rotated = Tokens(TokenOptions("k2", k1, k2));
        var stillValid = rotated.Validate(TestData.Tenant, token, TokenPurpose.Unsubscribe);
        var newToken = rotated.Issue(TokenPurpose.Unsubscribe, TestData.Tenant, Contact, Channel.Sms, List).Token;
        var retired = Tokens(TokenOptions("k2", k2));
        var error = Assert.Throws<InvalidTokenException>(() => retired.Validate(TestData.Tenant, token, TokenPurpose.Unsubscribe));

        Assert.Equal(issued, stillValid);
        Assert.StartsWith("v1.k2.", newToken, StringComparison.Ordinal);
        Assert.Equal(InvalidTokenReason.BadSignature, error.Reason);
        Assert.Equal(TokenPurpose.Unsubscribe, retired.Validate(TestData.Tenant, newToken, TokenPurpose.Unsubscribe).Purpose);
    }

    [Fact]
    public void A_token_signed_by_another_system_with_the_same_key_id_is_refused()
    {
        var (token, _) = Tokens(TokenOptions("k1", RandomKey("k1"))).Issue(TokenPurpose.ViewProfile, TestData.Tenant, Contact, null, null);

        var error = Assert.Throws<InvalidTokenException>(() => Tokens(TokenOptions("k1", RandomKey("k1"))).Validate(TestData.Tenant, token, TokenPurpose.ViewProfile));

        Assert.Equal(InvalidTokenReason.BadSignature, error.Reason);
    }

    [Fact]
    public void Issuing_without_signing_keys_fails_and_says_what_to_configure()
    {
        var tokens = Tokens(new ContactTokenOptions());

        var error = Assert.Throws<InvalidOperationException>(() => tokens.Issue(TokenPurpose.ConfirmOptIn, TestData.Tenant, Contact, Channel.Email, null));

        Assert.Contains("Tokens.SigningKeys", error.Message, StringComparison.Ordinal);
        Assert.Contains("Tokens.ActiveKeyId", error.Message, StringComparison.Ordinal);
        Assert.Contains("32 random bytes", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Issuing_with_an_active_key_id_that_names_no_key_fails_the_same_way()
    {
        var tokens = Tokens(TokenOptions("k3", Key("k1")));

        var error = Assert.Throws<InvalidOperationException>(() => tokens.Issue(TokenPurpose.ViewProfile, TestData.Tenant, Contact, null, null));

        Assert.Contains("Tokens.ActiveKeyId", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Validating_without_signing_keys_refuses_the_token_instead_of_failing()
    {
        var (token, _) = Tokens().Issue(TokenPurpose.ViewProfile, TestData.Tenant, Contact, null, null);

        var error = Assert.Throws<InvalidTokenException>(() => Tokens(new ContactTokenOptions()).Validate(TestData.Tenant, token, TokenPurpose.ViewProfile));

        Assert.Equal(InvalidTokenReason.BadSignature, error.Reason);
    }

    [Theory]
    [InlineData(null)]
    [InlineData("")]
    [InlineData("   ")]
    [InlineData("v1")]
    [InlineData("v1.k1.e30")]
    [InlineData("v1.k1.e30.AAAA.AAAA")]
    [InlineData("v2.k1.e30.AAAA")]
    [InlineData("...")]
    public void Text_that_is_not_shaped_like_a_token_is_malformed(string? text)
    {
        var error = Assert.Throws<InvalidTokenException>(() => Tokens().Validate(TestData.Tenant, text, TokenPurpose.ViewProfile));

        Assert.Equal(InvalidTokenReason.Malformed, error.Reason);
    }

    [Fact]
    public void An_overlong_token_is_malformed_before_anything_is_decoded()
    {
        var error = Assert.Throws<InvalidTokenException>(() => Tokens().Validate(TestData.Tenant, "v1.k1." + new string('A', 5_000) + ".AAAA", TokenPurpose.ViewProfile));

        Assert.Equal(InvalidTokenReason.Malformed, error.Reason);
    }

    [Property(MaxTest = Runs)]
    public Property Any_string_only_ever_yields_an_invalid_token_error()
    {
        var tokens = Tokens();

        return Prop.ForAll(ArbMap.Default.ArbFor<string>(), text => IsRefused(() => tokens.Validate(TestData.Tenant, text, TokenPurpose.ViewProfile)));
    }

    [Property(MaxTest = Runs)]
    public Property Token_shaped_noise_only_ever_yields_an_invalid_token_error()
    {
        var tokens = Tokens();
        var fragments = Gen.Elements("v1", "v1.", "k1", "k1.", ".", "..", "e30", "AAAA", "A", "-", "_", "=", "==", "+", "/", " ", "é", "\0", "eyJwIjoxfQ", "%", "\uD800");
        var noise = fragments.ListOf().Select(parts => string.Concat(parts)).ToArbitrary();

        return Prop.ForAll(noise, text => IsRefused(() => tokens.Validate(TestData.Tenant, text, TokenPurpose.ViewProfile)));
    }

    [Property(MaxTest = Runs)]
    public Property Correctly_signed_garbage_payloads_never_throw_anything_but_an_invalid_token_error()
    {
        // Only a key holder can sign a payload, but the parser must stay total even then.
        var tokens = Tokens();
        return Prop.ForAll(SignedGarbagePayloads().ToArbitrary(), payload => IsAcceptedOrRefused(tokens, payload) is not null);
    }

    [Fact]
    public void Correctly_signed_garbage_payloads_are_sometimes_accepted_and_mostly_refused()
    {
        // The payloads of the property above must reach the tenant, purpose and expiry checks, and pass them sometimes.
        var tokens = Tokens();

        var accepted = SignedGarbagePayloads().Sample(Runs).Count(payload => IsAcceptedOrRefused(tokens, payload) == true);

        Assert.InRange(accepted, 1, Runs - 1);
    }

    /// <summary>Whether a signed payload is accepted (true) or refused with an invalid token error (false); any other exception escapes.</summary>
    private static bool? IsAcceptedOrRefused(ContactTokens tokens, byte[] payload)
    {
        try
        {
            tokens.Validate(TestData.Tenant, Signed(payload), AllPurposes);
            return true;
        }
        catch (InvalidTokenException)
        {
            return false;
        }
    }

    /// <summary>
    /// Payloads of signed tokens: JSON objects whose members are each usually valid, so that many get past the shape
    /// checks to the tenant, purpose and expiry checks, some broken shapes, and raw bytes.
    /// </summary>
    private static Gen<byte[]> SignedGarbagePayloads()
    {
        var numbers = new[] { "0", "-1", "1.5", "1e3", "\"1\"", "null", "true", "2147483648", "9223372036854775807", "-9223372036854775808", "253402300799", "253402300800", "-62135596801", "99999999999999999999" };
        var texts = new[] { "null", "\"\"", "\"T1\"", "\"t2\"", "\"a b\"", "1", "[]", "{}", "\"E-MAIL\"", "\"9x\"", "\"==\"", "\"\\u0000\"", "\"\\uD800\"" };
        Gen<string> Member(string name, Gen<string> valid, string[] garbage) => Gen.Frequency(
            (1, Gen.Constant(string.Empty)),
            (8, valid.Select(v => $"\"{name}\":{v},")),
            (2, Gen.Elements(garbage).Select(v => $"\"{name}\":{v},")));
        var expiry = Gen.Choose(-100, 100).Select(days => TestData.Now.AddDays(days).ToUnixTimeSeconds().ToString(CultureInfo.InvariantCulture));
        var json =
            from p in Member("p", Gen.Choose(1, 5).Select(n => n.ToString(CultureInfo.InvariantCulture)), [.. numbers, "6"])
            from t in Member("t", Gen.Constant("\"t1\""), texts)
            from c in Member("c", Gen.Constant($"\"{Contact}\""), texts)
            from ch in Member("ch", Gen.Elements("\"email\"", "\"sms\""), texts)
            from l in Member("l", Gen.Constant($"\"{List}\""), texts)
            from n in Member("n", Gen.Elements("\"AAAAAAAAAAAAAAAAAAAAAA\"", "\"\""), texts)
            from e in Member("e", expiry, numbers)
            from shape in Gen.Frequency((12, Gen.Constant(0)), (1, Gen.Constant(1)), (1, Gen.Constant(2)), (1, Gen.Constant(3)))
            let members = (p + t + c + ch + l + n + e).TrimEnd(',')
            select shape switch
            {
                0 => "{" + members + "}",
                1 => "[" + members + "]",
                2 => "{" + members,
                _ => "null",
            };
        var raw = Gen.Choose(0, 64).SelectMany(length => Gen.Choose(0, 255).Select(b => (byte)b).ArrayOf(length));
        return Gen.Frequency((6, json.Select(Encoding.UTF8.GetBytes)), (1, raw));
    }

    [Theory]
    [InlineData(long.MaxValue)]
    [InlineData(long.MinValue)]
    [InlineData(253_402_300_800L)]
    [InlineData(-62_135_596_801L)]
    public void A_signed_payload_with_an_expiry_outside_the_calendar_is_malformed(long expires)
    {
        var json = $"{{\"p\":2,\"t\":\"t1\",\"c\":\"{Contact}\",\"n\":\"AAAAAAAAAAAAAAAAAAAAAA\",\"e\":{expires}}}";

        var error = Assert.Throws<InvalidTokenException>(() => Tokens().Validate(TestData.Tenant, Signed(Encoding.UTF8.GetBytes(json)), TokenPurpose.ViewProfile));

        Assert.Equal(InvalidTokenReason.Malformed, error.Reason);
    }

    [Fact]
    public void A_signed_payload_with_every_member_valid_is_accepted()
    {
        var expires = TestData.Now.AddDays(1);
        var json = $"{{\"p\":2,\"t\":\"t1\",\"c\":\"{Contact}\",\"n\":\"AAAAAAAAAAAAAAAAAAAAAA\",\"e\":{expires.ToUnixTimeSeconds()}}}";

        var claims = Tokens().Validate(TestData.Tenant, Signed(Encoding.UTF8.GetBytes(json)), TokenPurpose.ViewProfile);

        Assert.Equal(new TokenClaims(TokenPurpose.ViewProfile, TestData.Tenant, Contact, null, null, Convert.ToHexStringLower(SHA256.HashData(new byte[16])), expires), claims);
    }

    /// <summary>A token around any payload, signed with the key of <see cref="ConsentTestData.Tokens(TimeProvider?)"/>.</summary>
    private static string Signed(byte[] payload)
    {
        var body = "v1.k1." + Base64Url.EncodeToString(payload);
        return body + "." + Base64Url.EncodeToString(HMACSHA256.HashData(Convert.FromBase64String(Key("k1").Secret), Encoding.ASCII.GetBytes(body)));
    }

    [Fact]
    public void The_token_carries_the_nonce_and_the_claims_its_lower_case_hex_sha_256_never_the_hash_itself()
    {
        var tokens = Tokens();

        var (first, firstClaims) = tokens.Issue(TokenPurpose.ConfirmOptIn, TestData.Tenant, Contact, Channel.Email, null);
        var (second, secondClaims) = tokens.Issue(TokenPurpose.ConfirmOptIn, TestData.Tenant, Contact, Channel.Email, null);

        Assert.NotEqual(first, second);
        Assert.NotEqual(firstClaims.NonceHash, secondClaims.NonceHash);
        foreach (var (token, claims) in new[] { (first, firstClaims), (second, secondClaims) })
        {
            Assert.Matches("^[0-9a-f]{64}$", claims.NonceHash);
            Assert.Equal(Convert.ToHexStringLower(SHA256.HashData(NonceOf(token))), claims.NonceHash);
            Assert.Equal(claims.NonceHash, tokens.Validate(TestData.Tenant, token, TokenPurpose.ConfirmOptIn).NonceHash);
            Assert.DoesNotContain(claims.NonceHash, token, StringComparison.OrdinalIgnoreCase);
            Assert.DoesNotContain(Base64Url.EncodeToString(Convert.FromHexString(claims.NonceHash)), token, StringComparison.Ordinal);
        }
    }

    private static byte[] NonceOf(string token)
    {
        using var payload = JsonDocument.Parse(Base64Url.DecodeFromChars(token.Split('.')[2]));
        return Base64Url.DecodeFromChars(payload.RootElement.GetProperty("n").GetString());
    }

    private static string Flip(string text, int position)
        => string.Concat(text.AsSpan(0, position), (text[position] == 'A' ? 'B' : 'A').ToString(), text.AsSpan(position + 1));

    /// <summary>True when the call throws <see cref="InvalidTokenException"/>, false when it succeeds; any other exception escapes.</summary>
    private static bool IsRefused(Action validate)
    {
        try
        {
            validate();
            return false;
        }
        catch (InvalidTokenException)
        {
            return true;
        }
    }
}
