namespace Datum.Contacts.Tests.Contacts;

public sealed class TagSetTests
{
    [Fact]
    public void Tags_are_trimmed()
    {
        var details = TestData.Details(TestData.Draft() with { Tags = ["  vip ", "\tnewsletter"] });

        Assert.Equal(["vip", "newsletter"], details.Tags);
    }

    [Fact]
    public void Duplicate_tags_that_differ_only_in_case_keep_the_first_spelling()
    {
        var details = TestData.Details(TestData.Draft() with { Tags = ["VIP", "newsletter", "vip", " Vip ", "NewsLetter"] });

        Assert.Equal(["VIP", "newsletter"], details.Tags);
        Assert.Equal(2, details.Tags.Count);
    }

    [Fact]
    public void A_tag_set_finds_tags_case_insensitively_and_ignoring_surrounding_whitespace()
    {
        var details = TestData.Details(TestData.Draft() with { Tags = ["Straße", "VIP"] });

        Assert.Contains("vip", details.Tags, StringComparer.OrdinalIgnoreCase);
        Assert.True(details.Tags.Contains("vip"));
        Assert.True(details.Tags.Contains(" STRASSE ".Replace("SS", "ß", StringComparison.Ordinal)));
        Assert.False(details.Tags.Contains("newsletter"));
    }

    [Fact]
    public void No_tags_give_the_empty_set()
    {
        var details = TestData.Details(TestData.Draft() with { Tags = null });

        Assert.Same(TagSet.Empty, details.Tags);
        Assert.Empty(details.Tags);
        Assert.Equal(string.Empty, details.Tags.ToString());
    }

    [Fact]
    public void A_tag_set_prints_its_tags_in_order()
    {
        var details = TestData.Details(TestData.Draft() with { Tags = ["b", "a", "c"] });

        Assert.Equal("b, a, c", details.Tags.ToString());
    }

    [Fact]
    public void An_empty_tag_is_an_error_naming_its_position()
    {
        var errors = TestData.ValidationErrors(TestData.Draft() with { Tags = ["vip", "  ", "news", ""] });

        Assert.Collection(
            errors,
            e => Assert.Equal(("tags[1]", "required"), (e.Field, e.Code)),
            e => Assert.Equal(("tags[3]", "required"), (e.Field, e.Code)));
    }

    [Fact]
    public void A_tag_longer_than_the_limit_is_an_error_naming_its_position()
    {
        var options = new ContactManagementOptions { MaxTagLength = 10 };
        var draft = TestData.Draft() with { Tags = ["ok", new string('x', 11)] };

        var errors = TestData.ValidationErrors(draft, options: options);

        var error = Assert.Single(errors);
        Assert.Equal("tags[1]", error.Field);
        Assert.Equal("too_long", error.Code);
        Assert.Contains("at most 10 characters", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void A_tag_of_exactly_the_limit_is_accepted()
    {
        var options = new ContactManagementOptions { MaxTagLength = 10 };

        var details = TestData.Details(TestData.Draft() with { Tags = [new string('x', 10)] }, options: options);

        Assert.Single(details.Tags);
    }

    [Fact]
    public void A_tag_with_a_control_character_is_an_error_naming_its_position()
    {
        var errors = TestData.ValidationErrors(TestData.Draft() with { Tags = ["ok", "bad\ttag"] });

        Assert.Equal(("tags[1]", "invalid_characters"), (errors[0].Field, errors[0].Code));
    }

    [Fact]
    public void More_distinct_tags_than_allowed_is_an_error()
    {
        var options = new ContactManagementOptions { MaxTagsPerContact = 3 };
        var draft = TestData.Draft() with { Tags = ["a", "b", "c", "d"] };

        var errors = TestData.ValidationErrors(draft, options: options);

        var error = Assert.Single(errors);
        Assert.Equal("tags", error.Field);
        Assert.Equal("too_many", error.Code);
        Assert.Contains("at most 3", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Duplicates_do_not_count_towards_the_tag_limit()
    {
        var options = new ContactManagementOptions { MaxTagsPerContact = 3 };
        var draft = TestData.Draft() with { Tags = ["a", "A", "b", "B", "c", "C"] };

        var details = TestData.Details(draft, options: options);

        Assert.Equal(["a", "b", "c"], details.Tags);
    }
}
