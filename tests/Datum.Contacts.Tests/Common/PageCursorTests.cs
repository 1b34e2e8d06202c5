using System.Buffers.Text;
using System.Text;
using FsCheck;
using FsCheck.Fluent;
using FsCheck.Xunit;

namespace Datum.Contacts.Tests.Common;

public sealed class PageCursorTests
{
    private const string Scope = "contacts:createdAt:asc";

    [Theory]
    [InlineData("2025-03-14T09:26:53.0000000+00:00", "0195934c-7c4e-7b1a-9a3e-2f1d2c3b4a59")]
    [InlineData("", "")]
    [InlineData("Ünïcode, \"quotes\" and \\ backslashes", "[\"not\",\"an\",\"array\"]")]
    public void A_cursor_decodes_to_the_key_and_id_it_was_encoded_from(string key, string id)
    {
        var cursor = PageCursor.Encode(Scope, key, id);

        var (decodedKey, decodedId) = PageCursor.Decode(cursor, Scope);

        Assert.Equal(key, decodedKey);
        Assert.Equal(id, decodedId);
    }

    [Fact]
    public void A_cursor_is_url_safe_text()
    {
        var cursor = PageCursor.Encode(Scope, "key with spaces/and+signs?", "id");

        Assert.All(cursor, c => Assert.True(char.IsAsciiLetterOrDigit(c) || c is '-' or '_', $"'{c}' is not URL-safe."));
    }

    [Fact]
    public void A_cursor_from_another_listing_is_rejected()
    {
        var cursor = PageCursor.Encode("contacts:email:asc", "a@example.com", "id");

        var errors = TestData.ErrorsOf(() => PageCursor.Decode(cursor, Scope));

        var error = Assert.Single(errors);
        Assert.Equal("cursor", error.Field);
        Assert.Equal("invalid_cursor", error.Code);
        Assert.Contains("another listing", error.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("")]
    [InlineData("not a cursor")]
    [InlineData("%%%%")]
    [InlineData("A")]
    [InlineData("bnVsbA")] // null
    [InlineData("WzEsMiwzXQ")] // [1,2,3]
    [InlineData("WyJhIiwiYiJd")] // ["a","b"]
    [InlineData("WyJhIiwiYiIsImMiLCJkIl0")] // ["a","b","c","d"]
    [InlineData("WyJhIixudWxsLCJjIl0")] // ["a",null,"c"]
    [InlineData("eyJzY29wZSI6ImEifQ")] // {"scope":"a"}
    public void A_garbage_cursor_is_rejected_on_the_cursor_field(string cursor)
    {
        var errors = TestData.ErrorsOf(() => PageCursor.Decode(cursor, Scope));

        var error = Assert.Single(errors);
        Assert.Equal("cursor", error.Field);
        Assert.Equal("invalid_cursor", error.Code);
        Assert.Contains("not a cursor this library issued", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void A_truncated_or_extended_cursor_is_rejected()
    {
        var cursor = PageCursor.Encode(Scope, "key", "id");

        Assert.Throws<ValidationFailedException>(() => PageCursor.Decode(cursor[..^3], Scope));
        Assert.Throws<ValidationFailedException>(() => PageCursor.Decode(cursor[3..], Scope));
        Assert.Throws<ValidationFailedException>(() => PageCursor.Decode(cursor + "Zm9v", Scope));
    }

    [Fact]
    public void A_cursor_with_a_swapped_scope_is_rejected_even_when_well_formed()
    {
        var forged = Base64Url.EncodeToString(Encoding.UTF8.GetBytes("[\"contacts:other\",\"key\",\"id\"]"));

        var errors = TestData.ErrorsOf(() => PageCursor.Decode(forged, Scope));

        Assert.Contains("another listing", errors[0].Message, StringComparison.Ordinal);
    }

    [Fact]
    public void An_oversized_cursor_is_rejected_without_decoding_it()
    {
        var cursor = PageCursor.Encode(Scope, new string('k', 10_000), "id");

        var errors = TestData.ErrorsOf(() => PageCursor.Decode(cursor, Scope));

        Assert.Equal("cursor", errors[0].Field);
    }

    [Property(MaxTest = 500)]
    public Property Any_string_given_as_a_cursor_is_either_decoded_or_rejected_with_a_validation_error()
    {
        var strings = ArbMap.Default.ArbFor<string>().Filter(s => s is not null);

        return Prop.ForAll(strings, text =>
        {
            var thrown = Record.Exception(() => PageCursor.Decode(text, Scope));
            return thrown is null or ValidationFailedException { Errors: [{ Field: "cursor" }] };
        });
    }

    [Property(MaxTest = 500)]
    public Property Any_corruption_of_one_character_of_a_cursor_is_either_harmless_or_rejected()
    {
        var cursor = PageCursor.Encode(Scope, "2025-03-14T09:26:53Z", "0195934c-7c4e-7b1a-9a3e-2f1d2c3b4a59");
        var corruptions = Gen.Choose(0, cursor.Length - 1)
            .SelectMany(_ => Gen.Elements("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_=+/ !".ToCharArray()), (at, c) => (at, c))
            .ToArbitrary();

        return Prop.ForAll(corruptions, corruption =>
        {
            var chars = cursor.ToCharArray();
            chars[corruption.at] = corruption.c;
            var thrown = Record.Exception(() => PageCursor.Decode(new string(chars), Scope));
            return thrown is null or ValidationFailedException { Errors: [{ Field: "cursor" }] };
        });
    }

    [Theory]
    [InlineData(null, 50)]
    [InlineData(1, 1)]
    [InlineData(1_000, 1_000)]
    public void A_page_size_within_the_limits_is_used_and_none_means_the_default(int? size, int expected)
    {
        Assert.Equal(expected, PageCursor.ResolveSize(size, new ContactManagementOptions()));
    }

    [Theory]
    [InlineData(0)]
    [InlineData(-5)]
    [InlineData(1_001)]
    public void A_page_size_outside_the_limits_is_rejected_on_the_size_field(int size)
    {
        var errors = TestData.ErrorsOf(() => PageCursor.ResolveSize(size, new ContactManagementOptions()));

        Assert.Equal(("size", "out_of_range"), (errors[0].Field, errors[0].Code));
        Assert.Equal("size must be between 1 and 1000.", errors[0].Message);
    }
}
