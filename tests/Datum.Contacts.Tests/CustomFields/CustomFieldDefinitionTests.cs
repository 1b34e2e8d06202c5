namespace Datum.Contacts.Tests.CustomFields;

public sealed class CustomFieldDefinitionTests
{
    [Theory]
    [InlineData("score")]
    [InlineData("loyalty_score")]
    [InlineData("Score2")]
    [InlineData("x")]
    public void Declaring_a_field_with_a_valid_name_succeeds(string name)
    {
        var definition = new CustomFieldDefinition(name, CustomFieldType.Number, "  How loyal.  ");

        Assert.Equal(name, definition.Name);
        Assert.Equal(CustomFieldType.Number, definition.Type);
        Assert.Equal("How loyal.", definition.Description);
    }

    [Fact]
    public void A_name_of_64_characters_is_accepted()
    {
        var definition = new CustomFieldDefinition(new string('a', 64), CustomFieldType.Text);

        Assert.Equal(64, definition.Name.Length);
    }

    [Theory]
    [InlineData("", "name is required.")]
    [InlineData("1score", "name must start with a letter.")]
    [InlineData("_score", "name must start with a letter.")]
    [InlineData(" score", "name must start with a letter.")]
    [InlineData("loyalty-score", "name may contain only letters, digits and '_'.")]
    [InlineData("loyalty score", "name may contain only letters, digits and '_'.")]
    [InlineData("customFields.score", "name may contain only letters, digits and '_'.")]
    [InlineData("naïve", "name may contain only letters, digits and '_'.")]
    [InlineData("score\0", "name may contain only letters, digits and '_'.")]
    [InlineData("aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa", "name must be at most 64 characters long.")]
    public void Declaring_a_field_with_an_invalid_name_fails_on_the_name(string name, string message)
    {
        var errors = TestData.ErrorsOf(() => _ = new CustomFieldDefinition(name, CustomFieldType.Text));

        var error = Assert.Single(errors);
        Assert.Equal("name", error.Field);
        Assert.Equal("invalid_name", error.Code);
        Assert.Equal(message, error.Message);
    }

    [Fact]
    public void Declaring_a_field_with_a_null_name_fails_on_the_name()
    {
        var errors = TestData.ErrorsOf(() => _ = new CustomFieldDefinition(null!, CustomFieldType.Text));

        Assert.Equal("name is required.", errors[0].Message);
    }

    [Fact]
    public void Declaring_a_field_with_a_bad_name_type_and_description_reports_all_three()
    {
        var errors = TestData.ErrorsOf(() => _ = new CustomFieldDefinition("1st", (CustomFieldType)0, new string('d', 501)));

        Assert.Equal(
            [("name", "invalid_name"), ("type", "invalid_type"), ("description", "too_long")],
            errors.Select(e => (e.Field, e.Code)));
    }

    [Fact]
    public void A_description_may_span_several_lines_but_not_hold_other_control_characters()
    {
        var multiline = new CustomFieldDefinition("notes", CustomFieldType.Text, "line one\r\nline two");
        var errors = TestData.ErrorsOf(() => _ = new CustomFieldDefinition("notes", CustomFieldType.Text, "bell\u0007"));

        Assert.Equal("line one\r\nline two", multiline.Description);
        Assert.Equal(("description", "invalid_characters"), (errors[0].Field, errors[0].Code));
    }

    [Fact]
    public void A_schema_finds_definitions_case_insensitively()
    {
        var schema = new CustomFieldSchema([new CustomFieldDefinition("loyaltyScore", CustomFieldType.Number)]);

        Assert.Equal("loyaltyScore", schema.Find("LOYALTYSCORE")?.Name);
        Assert.Null(schema.Find("score"));
        Assert.Single(schema.Definitions);
    }

    [Fact]
    public void A_schema_rejects_a_name_declared_twice_in_different_cases()
    {
        var definitions = new[]
        {
            new CustomFieldDefinition("score", CustomFieldType.Number),
            new CustomFieldDefinition("Score", CustomFieldType.Text),
        };

        var thrown = Assert.Throws<ArgumentException>(() => new CustomFieldSchema(definitions));

        Assert.Contains("'Score' is declared twice", thrown.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void The_empty_schema_knows_no_field()
    {
        Assert.Empty(CustomFieldSchema.Empty.Definitions);
        Assert.Null(CustomFieldSchema.Empty.Find("anything"));
    }
}
