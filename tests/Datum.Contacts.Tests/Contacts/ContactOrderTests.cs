using System.Text;
using FsCheck;
using FsCheck.Fluent;
using FsCheck.Xunit;

namespace Datum.Contacts.Tests.Contacts;

public sealed class ContactOrderTests
{
    [Theory]
    [InlineData("a", "b", -1)]
    [InlineData("ab", "a", 1)]
    [InlineData("", "", 0)]
    [InlineData("\uFF21", "\U0001F600", -1)] // a fullwidth A (U+FF21) sorts before an emoji (U+1F600), as in UTF-8
    [InlineData("\U0001F600", "\uE000", 1)]
    [InlineData("z\U0001F600", "z\U0001F601", -1)]
    public void Text_keys_sort_by_code_point(string x, string y, int expected)
    {
        var result = ContactOrder.Compare(new ContactSortKey(null, x), new ContactSortKey(null, y));

        Assert.Equal(expected, Math.Sign(result));
    }

    [Property]
    public Property Text_keys_sort_as_their_utf8_bytes_do()
    {
        // Well-formed text over the ranges where UTF-16 order and code point order differ.
        var pieces = Gen.Elements("a", "Z", "é", "\uD7FF", "\uE000", "\uFFFD", "\uFF21", "\U00010000", "\U0001F600", "\U0010FFFF", "");
        var texts = Gen.ListOf(pieces).Select(p => string.Concat(p)).ToArbitrary();

        return Prop.ForAll(texts, texts, (x, y) =>
        {
            var expected = Math.Sign(Encoding.UTF8.GetBytes(x).AsSpan().SequenceCompareTo(Encoding.UTF8.GetBytes(y)));
            var actual = Math.Sign(ContactOrder.Compare(new ContactSortKey(null, x), new ContactSortKey(null, y)));
            Assert.Equal(expected, actual);
        });
    }
}
