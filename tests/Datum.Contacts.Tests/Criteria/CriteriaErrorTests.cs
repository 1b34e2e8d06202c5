using System.Text;

namespace Datum.Contacts.Tests.CriteriaLanguage;

public sealed class CriteriaErrorTests
{
    private static readonly CustomFieldSchema Schema = new(
    [
        new CustomFieldDefinition("engagementScore", CustomFieldType.Number),
        new CustomFieldDefinition("birthday", CustomFieldType.Date),
        new CustomFieldDefinition("vip", CustomFieldType.Boolean),
        new CustomFieldDefinition("nickname", CustomFieldType.Text),
    ]);

    // ---------------------------------------------------------------- parse errors in text

    [Theory]
    [InlineData("status = = \"active\"", "syntax_error", 1, 10, "=", "a value", "found =")]
    [InlineData("status like \"active\"", "syntax_error", 1, 8, "like", "an operator", "'like' is not an operator")]
    [InlineData("status = \"active\")", "syntax_error", 1, 18, ")", "closes nothing", "found )")]
    [InlineData("status = \"active\" tags has \"x\"", "syntax_error", 1, 19, "tags", "'and', 'or'", "found tags")]
    [InlineData("status in \"active\"", "syntax_error", 1, 11, "\"active\"", "'(' to open the list", "found \"active\"")]
    [InlineData("customFields.score between 1 or 2", "syntax_error", 1, 30, "or", "'and' between", "found or")]
    [InlineData("createdAt withinLast -3 days", "syntax_error", 1, 22, "-3", "whole number of days", "found -3")]
    [InlineData("createdAt moreThan 3 days", "unexpected_end", 1, 26, null, "'ago'", "ends")]
    [InlineData("status =", "unexpected_end", 1, 9, null, "a value", "ends")]
    [InlineData("(status = \"active\"", "unexpected_end", 1, 19, null, "')' to close the '(' at line 1, column 1", "ends")]
    [InlineData("status = \"active\"\nand\n  tags has", "unexpected_end", 3, 11, null, "a value", "ends")]
    [InlineData("status = \"active\" and", "unexpected_end", 1, 22, null, "a field name", "ends")]
    [InlineData("", "unexpected_end", 1, 1, null, "a condition", "ends")]
    [InlineData("createdAt > 2025-13-01", "syntax_error", 1, 13, "2025-13-01", "2025-01-31", "not a valid date")]
    [InlineData("customFields.score = 1e5", "syntax_error", 1, 22, "1e5", "a number", "not a number")]
    [InlineData("customFields.score = 79228162514264337593543950336", "syntax_error", 1, 22, "79228162514264337593543950336", "a number", "out of the range")]
    [InlineData("status. = 1", "syntax_error", 1, 1, "status.", "a field name", "must not end with '.'")]
    [InlineData("memberOf = \"x\"", "syntax_error", 1, 1, "memberOf", "a field name", "memberOf needs a list name")]
    [InlineData("memberOf(\"\") = \"x\"", "syntax_error", 1, 10, "\"\"", "the list name", "found \"\"")]
    public void Parse_errors_name_the_position_the_token_and_what_was_expected(
        string text, string code, int line, int column, string? token, string expected, string message)
    {
        var error = SingleError(() => Criteria.Parse(text));

        Assert.Equal(code, error.Code);
        Assert.Equal(CriteriaLocation.InText(line, column), error.Location);
        Assert.Equal(token, error.Token);
        Assert.Contains(expected, error.Expected, StringComparison.Ordinal);
        Assert.Contains(message, error.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("status = 'active'", 1, 10, "'", "double quotes")]
    [InlineData("status ! \"active\"", 1, 8, "!", "'!' is not an operator")]
    [InlineData("status = \"active", 1, 10, "\"active", "not closed")]
    [InlineData("firstName = \"a\\qb\"", 1, 15, "\\q", "not an escape")]
    [InlineData("firstName = \"a\\u12\"", 1, 15, "\\u12\"", "four hexadecimal digits")]
    [InlineData("status = \"x\" # comment", 1, 14, "#", "'#' is not part of the criteria language")]
    [InlineData("firstName = \"\\uD800\"", 1, 13, "\"\\uD800\"", "unpaired UTF-16 surrogate")]
    [InlineData("firstName = \"a\u0001\"", 1, 13, "\"a\u0001\"", "control character U+0001")]
    public void Character_level_errors_name_the_position_the_token_and_what_was_expected(
        string text, int line, int column, string token, string message)
    {
        var error = SingleError(() => Criteria.Parse(text));

        Assert.Equal("syntax_error", error.Code);
        Assert.Equal(CriteriaLocation.InText(line, column), error.Location);
        Assert.Equal(token, error.Token);
        Assert.Contains(message, error.Message, StringComparison.Ordinal);
        Assert.False(string.IsNullOrWhiteSpace(error.Expected), $"no Expected for: {error.Message}");
    }

    [Fact]
    public void A_limit_error_names_the_position_the_token_and_the_limit()
    {
        var limits = new CriteriaLimits { MaxValueLength = 5 };

        var error = SingleError(() => Criteria.Parse("status = \"abcdefgh\"", limits));

        Assert.Equal("limit_exceeded", error.Code);
        Assert.Equal(CriteriaLocation.InText(1, 10), error.Location);
        Assert.StartsWith("\"abcde", error.Token, StringComparison.Ordinal);
        Assert.Equal("at most 5 characters", error.Expected);
        Assert.Contains("longer than 5 characters", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void The_exception_message_carries_the_position_and_the_reason()
    {
        var exception = Assert.Throws<InvalidCriteriaException>(() => Criteria.Parse("status = \"active\"\n  and tags hs \"vip\""));

        Assert.Equal("invalid_criteria", exception.Code);
        Assert.IsAssignableFrom<ContactManagementException>(exception);
        Assert.Equal("Invalid criteria: line 2, column 12: 'hs' is not an operator", exception.Message);
    }

    // ---------------------------------------------------------------- binding errors

    [Theory]
    [InlineData("lastNme = \"Smith\"", "unknown_field", 1, 1, "lastNme", "a standard field", "did you mean 'lastName'?")]
    [InlineData("customFields.engagmentScore > 1", "unknown_field", 1, 1, "customFields.engagmentScore", "customFields.<declared name>", "did you mean 'customFields.engagementScore'?")]
    [InlineData("engagmentScore > 1", "unknown_field", 1, 1, "engagmentScore", "customFields.<declared name>", "did you mean 'customFields.engagementScore'?")]
    [InlineData("memberOf(\"VIP\") = \"active\"", "unknown_field", 1, 1, "memberOf(\"VIP\")", "a field of the catalogue", "list support is not registered")]
    [InlineData("consent.email = \"granted\"", "unknown_field", 1, 1, "consent.email", "a field of the catalogue", "consent support is not registered")]
    [InlineData("createdAt contains \"a\"", "operator_not_applicable", 1, 1, "contains", ">=", "does not apply to createdAt")]
    [InlineData("tags = \"x\"", "operator_not_applicable", 1, 1, "=", "has", "does not apply to tags")]
    [InlineData("status > \"active\"", "operator_not_applicable", 1, 1, ">", "in", "does not apply to status")]
    [InlineData("firstName withinLast 3 days", "operator_not_applicable", 1, 1, "withinLast", "contains", "does not apply to firstName")]
    [InlineData("createdAt > \"abc\"", "invalid_value", 1, 13, "\"abc\"", "2025-01-31", "date-time field")]
    [InlineData("customFields.engagementScore in (\"x\")", "invalid_value", 1, 34, "\"x\"", "a number", "number field")]
    [InlineData("engagementScore in (\"x\")", "invalid_value", 1, 21, "\"x\"", "a number", "number field")]
    [InlineData("status = \"actve\"", "invalid_value", 1, 10, "\"actve\"", "\"active\"", "choice field")]
    [InlineData("preferences.channels.email = \"yes\"", "invalid_value", 1, 30, "\"yes\"", "true or false", "true/false field")]
    [InlineData("customFields.birthday = 2025-01-01T10:00:00Z", "invalid_value", 1, 25, "\"2025-01-01T10:00:00Z\"", "2025-01-31", "date field")]
    [InlineData("firstName = 42", "invalid_value", 1, 13, "42", "double quotes", "text field")]
    [InlineData("customFields.engagementScore between 10 and 1", "empty_range", 1, 38, "10", "the lower value first", "nothing could match")]
    [InlineData("createdAt between 2025-02-01 and 2025-01-31", "empty_range", 1, 19, "\"2025-02-01\"", "the lower value first", "nothing could match")]
    [InlineData("customFields.birthday between 2025-02-01 and 2025-01-31", "empty_range", 1, 31, "\"2025-02-01\"", "the lower value first", "nothing could match")]
    public void Binding_errors_name_the_position_the_token_and_what_was_expected(
        string text, string code, int line, int column, string token, string expected, string message)
    {
        var criteria = Criteria.Parse(text);

        var error = SingleError(() => new CriteriaCompiler().Compile(criteria, Schema));

        Assert.Equal(code, error.Code);
        Assert.Equal(CriteriaLocation.InText(line, column), error.Location);
        Assert.Equal(token, error.Token);
        Assert.Contains(expected, error.Expected, StringComparison.Ordinal);
        Assert.Contains(message, error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void An_unknown_field_far_from_any_known_one_gets_no_suggestion()
    {
        var error = SingleError(() => new CriteriaCompiler().Compile(Criteria.Parse("colour = \"red\""), Schema));

        Assert.Equal("unknown_field", error.Code);
        Assert.Contains("unknown field 'colour'", error.Message, StringComparison.Ordinal);
        Assert.DoesNotContain("did you mean", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Between_on_one_and_the_same_day_is_not_an_empty_range()
    {
        var compiled = new CriteriaCompiler().Compile(Criteria.Parse("createdAt between 2025-01-01 and 2025-01-01 and customFields.engagementScore between 3 and 3"), Schema);

        Assert.NotNull(compiled.Predicate);
    }

    [Fact]
    public void Several_binding_errors_are_reported_at_once_in_position_order()
    {
        const string Text = """
            lastNme = "x"
            and createdAt contains "a"
            and status = "actve"
            and customFields.engagementScore between 10 and 1
            and engagementScore in ("a", 1, "b")
            """;

        var exception = Assert.Throws<InvalidCriteriaException>(() => new CriteriaCompiler().Compile(Criteria.Parse(Text), Schema));

        Assert.Equal(
            [
                ("unknown_field", CriteriaLocation.InText(1, 1)),
                ("operator_not_applicable", CriteriaLocation.InText(2, 5)),
                ("invalid_value", CriteriaLocation.InText(3, 14)),
                ("empty_range", CriteriaLocation.InText(4, 42)),
                ("invalid_value", CriteriaLocation.InText(5, 25)),
                ("invalid_value", CriteriaLocation.InText(5, 33)),
            ],
            exception.Errors.Select(e => (e.Code, e.Location!)));
        Assert.StartsWith("Invalid criteria, 6 errors: line 1, column 1: unknown field 'lastNme'", exception.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Binding_errors_of_the_json_form_name_their_json_paths()
    {
        const string Json = """
            {"logic":"and","conditions":[
              {"field":"status","operator":"equals","value":"actve"},
              {"not":{"field":"lastNme","operator":"equals","value":"x"}},
              {"field":"customFields.engagementScore","operator":"in","value":[1,"two"]},
              {"field":"tags","operator":"equals","value":"x"}
            ]}
            """;

        var exception = Assert.Throws<InvalidCriteriaException>(() => new CriteriaCompiler().Compile(Criteria.ParseJson(Json), Schema));

        Assert.Equal(
            [
                ("invalid_value", "$.conditions[0].value"),
                ("unknown_field", "$.conditions[1].not"),
                ("invalid_value", "$.conditions[2].value[1]"),
                ("operator_not_applicable", "$.conditions[3]"),
            ],
            exception.Errors.Select(e => (e.Code, e.Location!.JsonPath!)));
    }

    [Fact]
    public void Binding_errors_of_criteria_built_in_code_have_no_position()
    {
        var criteria = Criteria.Condition("createdAt", CriteriaOperator.GreaterThan, "abc");

        var error = SingleError(() => new CriteriaCompiler().Compile(criteria, Schema));

        Assert.Equal("invalid_value", error.Code);
        Assert.Null(error.Location);
        Assert.Equal("\"abc\"", error.Token);
    }

    // ---------------------------------------------------------------- json errors

    [Theory]
    [InlineData("""{"logic":"and","conditions":[""", "invalid_json", "$", null, "well-formed JSON", "malformed")]
    [InlineData("""{"logic":"and","conditions":[{"field":"a","operator":"isEmpty","extra":1}]}""", "unknown_property", "$.conditions[0].extra", "extra", "field, operator, value", "'extra' is not a property of a condition")]
    [InlineData("""{"logic":"and","conditions":[{"field":"a","value":1}]}""", "missing_property", "$.conditions[0].operator", null, "greaterThan", "operator is required")]
    [InlineData("""{"logic":"and","conditions":[]}""", "empty_group", "$.conditions", "[]", "one or more conditions", "at least one condition")]
    [InlineData("""{"logic":"xor","conditions":[{"field":"a","operator":"isEmpty"}]}""", "invalid_json", "$.logic", "\"xor\"", "\"and\" or \"or\"", "logic must be")]
    [InlineData("""{"field":"a","operator":"isEmpty","OPERATOR":"isEmpty"}""", "invalid_json", "$.OPERATOR", "OPERATOR", "each property once", "appears twice")]
    [InlineData("""{"field":"status","operator":"in","value":"active"}""", "invalid_value", "$.value", "\"active\"", "an array of one or more values", "in needs an array")]
    [InlineData("""{"field":"status","operator":"between","value":[1]}""", "invalid_value", "$.value", "[1]", "[low, high]", "found 1")]
    [InlineData("""{"field":"createdAt","operator":"withinLastDays","value":"7"}""", "invalid_value", "$.value", "\"7\"", "a whole number of days", "whole number")]
    public void Json_errors_name_the_path_the_token_and_what_was_expected(
        string json, string code, string path, string? token, string expected, string message)
    {
        var error = SingleError(() => Criteria.ParseJson(json));

        Assert.Equal(code, error.Code);
        Assert.Equal(CriteriaLocation.InJson(path), error.Location);
        Assert.Equal(token, error.Token);
        Assert.Contains(expected, error.Expected, StringComparison.Ordinal);
        Assert.Contains(message, error.Message, StringComparison.Ordinal);
    }

    // ---------------------------------------------------------------- nothing but the criteria error

    [Theory]
    [InlineData("status = \"active")]
    [InlineData("status = 'active'")]
    [InlineData("!status")]
    [InlineData("status ! \"x\"")]
    [InlineData("status = \"active\")")]
    [InlineData(")")]
    [InlineData("status = \"active\" and")]
    [InlineData("status = \"active\" or")]
    [InlineData("")]
    [InlineData("   \n\t\r\n  ")]
    [InlineData("firstName = \"\\uD800\"")]
    [InlineData("firstName = \"\\uDC00\\uD800\"")]
    [InlineData("firstName = \"\\u00\"")]
    [InlineData("firstName = \"abc\\")]
    [InlineData("firstName = \"\0\"")]
    [InlineData("\0")]
    [InlineData("status = 1e5")]
    [InlineData("status = 1.")]
    [InlineData("status = .5")]
    [InlineData("status = --1")]
    [InlineData("createdAt > 2025-02-30")]
    [InlineData("createdAt > 2025-01-01T25:00:00Z")]
    [InlineData("status in ()")]
    [InlineData("status in (\"a\",)")]
    [InlineData("status in (\"a\"")]
    [InlineData("status between 1")]
    [InlineData("status between 1 and")]
    [InlineData("createdAt withinLast 1.5 days")]
    [InlineData("createdAt withinLast 30")]
    [InlineData("createdAt moreThan 30 days")]
    [InlineData("status is")]
    [InlineData("status is not")]
    [InlineData("status not")]
    [InlineData("status not equals \"a\"")]
    [InlineData("not")]
    [InlineData("not not")]
    [InlineData("()")]
    [InlineData("(")]
    [InlineData("((status = \"a\")")]
    [InlineData("= 1")]
    [InlineData("a..b = 1")]
    [InlineData(".a = 1")]
    [InlineData("memberOf(")]
    [InlineData("memberOf(\"x\"")]
    [InlineData("memberOf(x) = 1")]
    [InlineData("status = true false")]
    [InlineData("status == == 1")]
    [InlineData("status =< 1")]
    [InlineData("status = 1, 2")]
    [InlineData("status = \"a\" and and status = \"b\"")]
    [InlineData("status = \"a\" xor status = \"b\"")]
    [InlineData("{\"field\":\"status\"}")]
    public void Malformed_text_fails_only_with_the_criteria_error(string text)
    {
        var exception = Record.Exception(() => Criteria.Parse(text));

        var invalid = Assert.IsType<InvalidCriteriaException>(exception);
        Assert.NotEmpty(invalid.Errors);
        Assert.All(invalid.Errors, e => Assert.True(e.Location is { Line: >= 1, Column: >= 1 }, e.ToString()));
    }

    [Fact]
    public void Broken_utf16_in_the_text_itself_fails_only_with_the_criteria_error()
    {
        // Built in code: attribute arguments cannot carry a lone surrogate (they are stored as UTF-8).
        string[] inputs =
        [
            "firstName = \"" + '\uD800' + "\"",
            "firstName = \"a" + '\uDC00' + "b\"",
            "firstName = " + '\uD83D',
            "firstName = " + '\uD83D' + " and",
            '\uDE00' + "firstName = \"a\"",
        ];

        foreach (var input in inputs)
        {
            var exception = Record.Exception(() => Criteria.Parse(input));

            Assert.IsType<InvalidCriteriaException>(exception);
        }
    }

    [Fact]
    public void Truncated_and_mutated_text_fails_only_with_the_criteria_error()
    {
        const string Seed = "status = \"active\" and tags has \"vip\" and createdAt > 2025-01-01T08:00:00Z and (company = \"Ac\\\"me\" or email endsWith \"@acme.com\")"
            + " and not customFields.score between -1.5 and 2 or memberOf(\"VIP\") in (\"a\", \"b\") and phone is not empty and updatedAt moreThan 3 days ago";
        const string Alphabet = "()\"\\=!<>,.-+ 0123456789aeiostnudT:Z\n'\u00e9\uD83D";
        var random = new Random(20250314);
        var inputs = new List<string>();
        for (var i = 0; i <= Seed.Length; i++)
        {
            inputs.Add(Seed[..i]);
            inputs.Add(Seed[i..]);
        }

        for (var i = 0; i < 3_000; i++)
        {
            var text = new StringBuilder(Seed);
            for (var edits = random.Next(1, 4); edits > 0; edits--)
            {
                var at = random.Next(text.Length);
                switch (random.Next(3))
                {
                    case 0: text.Remove(at, 1); break;
                    case 1: text.Insert(at, Alphabet[random.Next(Alphabet.Length)]); break;
                    default: text[at] = Alphabet[random.Next(Alphabet.Length)]; break;
                }
            }

            inputs.Add(text.ToString());
        }

        foreach (var input in inputs)
        {
            Criteria parsed;
            try
            {
                parsed = Criteria.Parse(input);
            }
            catch (InvalidCriteriaException)
            {
                continue;
            }
            catch (Exception e)
            {
                Assert.Fail($"{e.GetType().Name} for input: {input}\n{e}");
                throw;
            }

            Assert.Equal(parsed, Criteria.Parse(parsed.ToString()));
        }
    }

    [Fact]
    public void Truncated_and_mutated_json_fails_only_with_the_criteria_error()
    {
        var seed = Criteria.Parse(
            "status = \"active\" and not (tags has \"v\\\"ip\" or customFields.score between -1.5 and 2) and createdAt withinLast 3 days and phone isEmpty and source in (\"form\", \"import\")")
            .ToJson();
        const string Alphabet = "{}[]\",:\\ 0123456789.-eE+truefalsnl\u00e9";
        var random = new Random(1_000_003);
        var inputs = new List<string>();
        for (var i = 0; i <= seed.Length; i++)
        {
            inputs.Add(seed[..i]);
        }

        for (var i = 0; i < 3_000; i++)
        {
            var text = new StringBuilder(seed);
            for (var edits = random.Next(1, 4); edits > 0; edits--)
            {
                var at = random.Next(text.Length);
                switch (random.Next(3))
                {
                    case 0: text.Remove(at, 1); break;
                    case 1: text.Insert(at, Alphabet[random.Next(Alphabet.Length)]); break;
                    default: text[at] = Alphabet[random.Next(Alphabet.Length)]; break;
                }
            }

            inputs.Add(text.ToString());
        }

        foreach (var input in inputs)
        {
            try
            {
                var parsed = Criteria.ParseJson(input);
                Assert.Equal(parsed, Criteria.ParseJson(parsed.ToJson()));
            }
            catch (InvalidCriteriaException)
            {
            }
            catch (Exception e) when (e is not Xunit.Sdk.XunitException)
            {
                Assert.Fail($"{e.GetType().Name} for input: {input}\n{e}");
            }
        }
    }

    private static CriteriaError SingleError(Action act)
    {
        var exception = Assert.Throws<InvalidCriteriaException>(act);
        return Assert.Single(exception.Errors);
    }

    private static CriteriaError SingleError(Func<object> act) => SingleError(() => { _ = act(); });
}
