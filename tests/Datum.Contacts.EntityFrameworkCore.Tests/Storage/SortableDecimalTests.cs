using System.Globalization;
using FsCheck;
using FsCheck.Fluent;
using FsCheck.Xunit;
using Microsoft.EntityFrameworkCore;
using Xunit;

namespace Datum.Contacts.EntityFrameworkCore.Tests;

/// <summary>
/// The text SQLite keeps custom numbers in (<see cref="SortableDecimal"/>): it decodes to the same number, its
/// ordinal order is numeric order, and equal numbers encode alike whatever their trailing zeros.
/// </summary>
public sealed class SortableDecimalTests
{
    private const int Runs = 2_000;

    private static readonly decimal[] Special =
    [
        0m, 1m, -1m, 1.0m, 1.00m, -1.000m, 10m, 100m, 0.1m, 0.10m, -0.5m, 0.05m, -0.05m, 9.99m, 99.99m, -99.99m,
        decimal.MaxValue, decimal.MinValue, decimal.MaxValue - 1, decimal.MinValue + 1, 0.0000000000000000000000000001m, -0.0000000000000000000000000001m,
        0.0000000000000000000000000010m, 7.9228162514264337593543950335m, -7.9228162514264337593543950335m, 1234567890.0123456789012345678m,
        new decimal(0, 0, 0, true, 0), new decimal(0, 0, 0, false, 28), new decimal(0, 0, 0, true, 5), new decimal(1, 0, 0, false, 28),
    ];

    [Property(MaxTest = Runs)]
    public Property Decoding_an_encoded_number_gives_the_same_number_without_trailing_zeros()
        => Prop.ForAll(Decimals().ToArbitrary(), x =>
        {
            var decoded = SortableDecimal.Decode(SortableDecimal.Encode(x));
            var normalized = CustomFieldValue.FromNumber(x).NumberValue;
            Assert.True(decoded == x, $"{Show(x)} encodes as {SortableDecimal.Encode(x)} and decodes as {Show(decoded)}");
            Assert.Equal(Show(normalized), Show(decoded));
        });

    [Property(MaxTest = Runs)]
    public Property Ordinal_order_of_the_encodings_is_numeric_order()
    {
        var pairs =
            from a in Decimals()
            from b in Gen.OneOf(Decimals(), Nearby(a), Gen.Constant(-a), Gen.Constant(a))
            select (a, b);

        return Prop.ForAll(pairs.ToArbitrary(), pair =>
        {
            var (a, b) = pair;
            var (ea, eb) = (SortableDecimal.Encode(a), SortableDecimal.Encode(b));
            Assert.True(
                Math.Sign(string.CompareOrdinal(ea, eb)) == Math.Sign(a.CompareTo(b)),
                $"{Show(a)} ({ea}) and {Show(b)} ({eb}): numbers compare {a.CompareTo(b)}, encodings {string.CompareOrdinal(ea, eb)}");
        });
    }

    [Property(MaxTest = Runs)]
    public Property Equal_numbers_encode_alike_whatever_their_trailing_zeros()
        => Prop.ForAll(Decimals().ToArbitrary(), x =>
        {
            var withZeros = x * 1.0m;
            var normalized = CustomFieldValue.FromNumber(x).NumberValue;
            Assert.Equal(x, withZeros);
            Assert.Equal(SortableDecimal.Encode(x), SortableDecimal.Encode(withZeros));
            Assert.Equal(SortableDecimal.Encode(x), SortableDecimal.Encode(normalized));
        });

    [Fact]
    public void Known_numbers_with_trailing_zeros_encode_like_their_normal_form()
    {
        Assert.Equal(SortableDecimal.Encode(1m), SortableDecimal.Encode(CustomFieldValue.FromNumber(1.0m).NumberValue));
        Assert.Equal(SortableDecimal.Encode(1m), SortableDecimal.Encode(1.000m));
        Assert.Equal(SortableDecimal.Encode(0m), SortableDecimal.Encode(new decimal(0, 0, 0, true, 3)));
    }

    [Property(MaxTest = 200)]
    public Property The_converter_stores_what_Encode_gives_and_reads_back_the_number()
        => Prop.ForAll(Decimals().ToArbitrary(), x =>
        {
            var stored = (string?)SortableDecimal.Converter.ConvertToProvider(x);
            Assert.Equal(SortableDecimal.Encode(x), stored);
            Assert.Equal(x, (decimal?)SortableDecimal.Converter.ConvertFromProvider(stored));
        });

    [Fact]
    public void The_converter_stores_no_number_as_null()
        => Assert.Null(SortableDecimal.Converter.ConvertToProvider(null));

    /// <summary>Random decimals of every magnitude, sign and scale, with the special values often.</summary>
    private static Gen<decimal> Decimals()
    {
        var word = from high in Gen.Choose(0, 0xFFFF) from low in Gen.Choose(0, 0xFFFF) select (int)(((uint)high << 16) | (uint)low);
        var smallWord = Gen.Frequency((3, Gen.Constant(0)), (1, Gen.Choose(1, 1000)), (2, word));
        var random =
            from lo in Gen.OneOf(word, Gen.Choose(0, 100))
            from mid in smallWord
            from hi in smallWord
            from negative in Gen.Elements(false, true)
            from scale in Gen.Choose(0, 28)
            select new decimal(lo, mid, hi, negative, (byte)scale);
        return Gen.Frequency((1, Gen.Elements(Special)), (4, random));
    }

    /// <summary>Numbers close to <paramref name="x"/>: a unit in its last place either way, or a tenth of it, when representable.</summary>
    private static Gen<decimal> Nearby(decimal x)
    {
        var ulp = new decimal(1, 0, 0, false, x.Scale);
        var candidates = new List<decimal> { x };
        foreach (var delta in new[] { ulp, -ulp, ulp / 10, -ulp / 10 })
        {
            try
            {
                candidates.Add(x + delta);
            }
            catch (OverflowException)
            {
            }
        }

        return Gen.Elements(candidates.ToArray());
    }

    private static string Show(decimal x) => x.ToString(CultureInfo.InvariantCulture) + $" (scale {x.Scale})";
}
