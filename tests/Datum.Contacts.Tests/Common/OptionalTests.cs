namespace Datum.Contacts.Tests.Common;

public sealed class OptionalTests
{
    [Fact]
    public void A_default_optional_has_no_value()
    {
        Optional<string?> unset = default;

        Assert.False(unset.HasValue);
        Assert.Equal("fallback", unset.GetValueOrDefault("fallback"));
        Assert.Throws<InvalidOperationException>(() => unset.Value);
        Assert.Equal("(unset)", unset.ToString());
    }

    [Fact]
    public void Assigning_null_is_a_value_not_an_absence()
    {
        Optional<string?> cleared = null;

        Assert.True(cleared.HasValue);
        Assert.Null(cleared.Value);
        Assert.Null(cleared.GetValueOrDefault("fallback"));
        Assert.Equal("null", cleared.ToString());
    }

    [Fact]
    public void Assigning_a_value_holds_it()
    {
        Optional<int> three = 3;

        Assert.True(three.HasValue);
        Assert.Equal(3, three.Value);
        Assert.Equal(3, three.GetValueOrDefault(7));
    }

    [Fact]
    public void Optionals_are_equal_when_both_are_unset_or_both_hold_equal_values()
    {
        Assert.Equal(default(Optional<int>), default);
        Assert.True(new Optional<int>(3) == 3);
        Assert.True(new Optional<int>(3) != 4);
        Assert.True(new Optional<int>(0) != default);
        Assert.False(new Optional<string?>(null).Equals(default(Optional<string?>)));
        Assert.Equal(new Optional<string>("a").GetHashCode(), new Optional<string>("a").GetHashCode());
    }
}
