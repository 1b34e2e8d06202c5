using System.Globalization;

namespace Datum.Contacts.Tests.CustomFields;

public sealed class CustomFieldValueTests
{
    [Fact]
    public void A_text_value_prints_as_itself()
    {
        CustomFieldValue value = "Gold member";

        Assert.Equal(CustomFieldType.Text, value.Type);
        Assert.Equal("Gold member", value.TextValue);
        Assert.Equal("Gold member", value.ToString());
    }

    [Theory]
    [InlineData("12.5", "12.5")]
    [InlineData("-0.001", "-0.001")]
    [InlineData("1234567.89", "1234567.89")]
    [InlineData("0", "0")]
    public void A_number_prints_in_invariant_form_whatever_the_current_culture(string number, string expected)
    {
        var value = CustomFieldValue.FromNumber(decimal.Parse(number, CultureInfo.InvariantCulture));
        var previous = CultureInfo.CurrentCulture;
        CultureInfo.CurrentCulture = CultureInfo.GetCultureInfo("fr-FR");
        try
        {
            Assert.Equal(expected, value.ToString());
        }
        finally
        {
            CultureInfo.CurrentCulture = previous;
        }
    }

    [Fact]
    public void A_boolean_prints_as_lower_case_true_or_false()
    {
        Assert.Equal("true", CustomFieldValue.FromBoolean(true).ToString());
        Assert.Equal("false", ((CustomFieldValue)false).ToString());
    }

    [Fact]
    public void A_date_prints_as_an_iso_date_whatever_the_current_culture()
    {
        var previous = CultureInfo.CurrentCulture;
        CultureInfo.CurrentCulture = CultureInfo.GetCultureInfo("ar-SA");
        try
        {
            Assert.Equal("2024-02-29", CustomFieldValue.FromDate(new DateOnly(2024, 2, 29)).ToString());
            Assert.Equal("0001-01-01", ((CustomFieldValue)DateOnly.MinValue).ToString());
        }
        finally
        {
            CultureInfo.CurrentCulture = previous;
        }
    }

    [Fact]
    public void Implicit_conversions_give_values_of_the_matching_type()
    {
        CustomFieldValue fromInt = 42;
        CustomFieldValue fromLong = 42L;
        CustomFieldValue fromDecimal = 42m;
        CustomFieldValue fromDate = new DateOnly(2025, 1, 1);

        Assert.Equal(CustomFieldType.Number, fromInt.Type);
        Assert.Equal(fromDecimal, fromInt);
        Assert.Equal(fromDecimal, fromLong);
        Assert.Equal(42m, fromInt.NumberValue);
        Assert.Equal(CustomFieldType.Date, fromDate.Type);
    }

    [Fact]
    public void Values_of_different_types_are_never_equal()
    {
        Assert.NotEqual(CustomFieldValue.FromText("1"), CustomFieldValue.FromNumber(1));
        Assert.NotEqual(CustomFieldValue.FromBoolean(false), CustomFieldValue.FromNumber(0));
    }

    [Fact]
    public void A_text_value_cannot_be_null()
    {
        Assert.Throws<ArgumentNullException>(() => CustomFieldValue.FromText(null!));
    }

    [Fact]
    public void Updating_a_number_field_to_an_equal_number_with_another_scale_changes_nothing()
    {
        var schema = new CustomFieldSchema([new CustomFieldDefinition("score", CustomFieldType.Number)]);
        var contact = TestData.LoadedContact(TestData.Draft() with { CustomFields = new Dictionary<string, CustomFieldValue?> { ["score"] = 12.5m } }, schema);

        var changes = contact.Update(
            TestData.Details(TestData.Draft() with { CustomFields = new Dictionary<string, CustomFieldValue?> { ["score"] = 12.50m } }, schema),
            TestData.Now.AddHours(1));

        Assert.Equal(CustomFieldValue.FromNumber(12.5m), CustomFieldValue.FromNumber(12.50m));
        Assert.Empty(changes);
        Assert.Equal(1, contact.Version);
    }
}
