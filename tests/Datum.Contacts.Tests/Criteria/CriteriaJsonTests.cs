using System.Text.Json;

namespace Datum.Contacts.Tests.CriteriaLanguage;

public sealed class CriteriaJsonTests
{
    // ---------------------------------------------------------------- accepted shapes

    [Fact]
    public void The_rfc_list_criteria_shape_is_accepted_as_is()
    {
        const string Json = """{"logic":"and","conditions":[{"field":"status","operator":"equals","value":"active"}]}""";

        var criteria = Criteria.ParseJson(Json);

        Assert.Equal(Criteria.Parse("status = \"active\""), criteria);
        var condition = Assert.IsType<CriteriaCondition>(criteria);
        Assert.Equal(CriteriaLocation.InJson("$.conditions[0]"), condition.Location);
        Assert.Equal(CriteriaLocation.InJson("$.conditions[0].value"), condition.Values[0].Location);
    }

    [Fact]
    public void The_rfc_operator_names_are_accepted()
    {
        const string Json = """
            {
              "logic": "or",
              "conditions": [
                { "field": "status", "operator": "equals", "value": "active" },
                { "field": "company", "operator": "contains", "value": "Acme" },
                { "field": "createdAt", "operator": "greaterThan", "value": "2025-01-01" },
                { "field": "customFields.score", "operator": "lessThan", "value": 10 },
                { "field": "source", "operator": "in", "value": ["form", "import"] },
                { "field": "type", "operator": "notIn", "value": ["lead"] }
              ]
            }
            """;

        var criteria = Criteria.ParseJson(Json);

        Assert.Equal(
            Criteria.Parse("status = \"active\" or company contains \"Acme\" or createdAt > 2025-01-01 or customFields.score < 10 or source in (\"form\", \"import\") or type notIn (\"lead\")"),
            criteria);
    }

    [Theory]
    [InlineData("equals", "\"x\"", "firstName = \"x\"")]
    [InlineData("notEquals", "\"x\"", "firstName != \"x\"")]
    [InlineData("contains", "\"x\"", "firstName contains \"x\"")]
    [InlineData("notContains", "\"x\"", "firstName notContains \"x\"")]
    [InlineData("startsWith", "\"x\"", "firstName startsWith \"x\"")]
    [InlineData("endsWith", "\"x\"", "firstName endsWith \"x\"")]
    [InlineData("greaterThan", "1.5", "firstName > 1.5")]
    [InlineData("greaterThanOrEqual", "-1", "firstName >= -1")]
    [InlineData("lessThan", "true", "firstName < true")]
    [InlineData("lessThanOrEqual", "\"2025-01-01\"", "firstName <= 2025-01-01")]
    [InlineData("between", "[1, \"5\"]", "firstName between 1 and \"5\"")]
    [InlineData("in", "[\"a\", 2, false]", "firstName in (\"a\", 2, false)")]
    [InlineData("notIn", "[\"a\"]", "firstName not in (\"a\")")]
    [InlineData("isEmpty", null, "firstName is empty")]
    [InlineData("isNotEmpty", null, "firstName is not empty")]
    [InlineData("has", "\"vip\"", "firstName has \"vip\"")]
    [InlineData("withinLastDays", "30", "firstName withinLast 30 days")]
    [InlineData("moreThanDaysAgo", "90", "firstName moreThan 90 days ago")]
    [InlineData("GREATERTHANOREQUAL", "2", "firstName >= 2")]
    public void Every_operator_name_reads_as_its_text_form(string op, string? value, string text)
    {
        var json = value is null
            ? $$"""{"field":"firstName","operator":"{{op}}"}"""
            : $$"""{"field":"firstName","operator":"{{op}}","value":{{value}}}""";

        Assert.Equal(Criteria.Parse(text), Criteria.ParseJson(json));
    }

    [Fact]
    public void Nested_groups_and_not_are_read()
    {
        const string Json = """
            {"logic":"and","conditions":[
              {"field":"status","operator":"equals","value":"active"},
              {"not":{"logic":"or","conditions":[
                {"field":"phone","operator":"isEmpty"},
                {"logic":"and","conditions":[
                  {"field":"tags","operator":"has","value":"a"},
                  {"not":{"not":{"field":"tags","operator":"has","value":"b"}}}
                ]}
              ]}}
            ]}
            """;

        var criteria = Criteria.ParseJson(Json);

        Assert.Equal(
            Criteria.Parse("status = \"active\" and not (phone isEmpty or (tags has \"a\" and not not tags has \"b\"))"),
            criteria);
        var inner = (CriteriaCondition)((CriteriaNot)((CriteriaNot)((CriteriaGroup)((CriteriaGroup)((CriteriaNot)((CriteriaGroup)criteria).Items[1]).Operand).Items[1]).Items[1]).Operand).Operand;
        Assert.Equal(CriteriaLocation.InJson("$.conditions[1].not.conditions[1].conditions[1].not.not"), inner.Location);
    }

    [Fact]
    public void A_bare_condition_is_accepted_at_the_root()
    {
        var criteria = Criteria.ParseJson("""{"field":"customFields.score","operator":"between","value":[1,5]}""");

        Assert.Equal(Criteria.Parse("customFields.score between 1 and 5"), criteria);
        Assert.Equal(CriteriaLocation.InJson("$.value[1]"), ((CriteriaCondition)criteria).Values[1].Location);
    }

    [Fact]
    public void A_bare_not_is_accepted_at_the_root()
    {
        var criteria = Criteria.ParseJson("""{"not":{"field":"phone","operator":"isEmpty"}}""");

        Assert.Equal(Criteria.Parse("not phone isEmpty"), criteria);
    }

    [Fact]
    public void Property_names_and_logic_are_case_insensitive()
    {
        const string Json = """
            {"Logic":"OR","Conditions":[
              {"Field":"STATUS","Operator":"Equals","Value":"active"},
              {"NOT":{"FIELD":"phone","OPERATOR":"isEmpty"}}
            ]}
            """;

        Assert.Equal(Criteria.Parse("status = \"active\" or not phone isEmpty"), Criteria.ParseJson(Json));
    }

    [Fact]
    public void A_null_value_is_no_value_for_is_empty()
    {
        Assert.Equal(Criteria.Parse("phone isEmpty"), Criteria.ParseJson("""{"field":"phone","operator":"isEmpty","value":null}"""));
    }

    [Fact]
    public void Memberof_fields_are_read_from_their_text_form()
    {
        var criteria = Criteria.ParseJson("""{"field":"memberOf(\"VIP \\\"gold\\\"\")","operator":"equals","value":"active"}""");

        var condition = Assert.IsType<CriteriaCondition>(criteria);
        Assert.Equal(CriteriaField.MemberOf("VIP \"gold\""), condition.Field);
    }

    [Fact]
    public void Json_numbers_keep_their_decimal_value()
    {
        var criteria = Criteria.ParseJson("""{"field":"customFields.score","operator":"in","value":[1.50, -0.001, 1E2, 79228162514264337593543950335]}""");

        Assert.Equal<CriteriaValue>([1.5m, -0.001m, 100m, decimal.MaxValue], ((CriteriaCondition)criteria).Values);
    }

    // ---------------------------------------------------------------- canonical JSON

    [Theory]
    [InlineData(
        "status = \"active\"",
        """{"logic":"and","conditions":[{"field":"status","operator":"equals","value":"active"}]}""")]
    [InlineData(
        "STATUS == \"active\" and CustomFields.Score between 1.50 and 5 or not phone is empty",
        """{"logic":"or","conditions":[{"logic":"and","conditions":[{"field":"status","operator":"equals","value":"active"},{"field":"customFields.Score","operator":"between","value":[1.5,5]}]},{"not":{"field":"phone","operator":"isEmpty"}}]}""")]
    [InlineData(
        "source not in (\"form\") and createdAt withinLast 7 days and updatedAt moreThan 1 day ago and preferences.channels.SMS != false",
        """{"logic":"and","conditions":[{"field":"source","operator":"notIn","value":["form"]},{"field":"createdAt","operator":"withinLastDays","value":7},{"field":"updatedAt","operator":"moreThanDaysAgo","value":1},{"field":"preferences.channels.sms","operator":"notEquals","value":false}]}""")]
    [InlineData(
        "memberOf(\"VIP\") = \"active\" and firstName = \"Zoë \\\"Z\\\" <b>&\"",
        """{"logic":"and","conditions":[{"field":"memberOf(\"VIP\")","operator":"equals","value":"active"},{"field":"firstName","operator":"equals","value":"Zoë \"Z\" <b>&"}]}""")]
    [InlineData(
        "createdAt > 2025-01-01",
        """{"logic":"and","conditions":[{"field":"createdAt","operator":"greaterThan","value":"2025-01-01"}]}""")]
    public void Criteria_write_canonical_json(string text, string json)
    {
        var criteria = Criteria.Parse(text);

        Assert.Equal(json, criteria.ToJson());
    }

    [Fact]
    public void Non_canonical_json_is_written_back_canonically()
    {
        const string Json = """{ "Conditions": [ { "Value": 1.0, "Operator": "GREATERTHAN", "Field": "CUSTOMFIELDS.score" } ], "Logic": "AND" }""";

        Assert.Equal(
            """{"logic":"and","conditions":[{"field":"customFields.score","operator":"greaterThan","value":1}]}""",
            Criteria.ParseJson(Json).ToJson());
    }

    [Fact]
    public void Indented_json_is_indented_and_reads_back()
    {
        var criteria = Criteria.Parse("status = \"active\" and not (phone isEmpty or tags has \"x\")");

        var json = criteria.ToJson(indented: true);

        Assert.Contains('\n', json);
        Assert.Equal(criteria, Criteria.ParseJson(json));
        Assert.Equal(criteria.ToJson(), Criteria.ParseJson(json).ToJson());
    }

    public static TheoryData<string> TrickyTreeNames => [.. ParserTestTrees.All.Keys];

    [Theory]
    [MemberData(nameof(TrickyTreeNames))]
    public void Reading_the_written_json_gives_the_same_tree(string name)
    {
        var tree = ParserTestTrees.All[name];

        var parsed = Criteria.ParseJson(tree.ToJson());

        Assert.Equal(tree, parsed);
        Assert.Equal(tree.ToJson(), parsed.ToJson());
        Assert.Equal(tree, Criteria.ParseJson(tree.ToJson(indented: true)));
    }

    [Theory]
    [InlineData(
        "firstName = \"Ada\" and (tags has \"vip\" or not email endsWith \"@example.com\")",
        """{"logic":"and","conditions":[{"field":"firstName","operator":"equals","value":"Ada"},{"logic":"or","conditions":[{"field":"tags","operator":"has","value":"vip"},{"not":{"field":"email","operator":"endsWith","value":"@example.com"}}]}]}""")]
    [InlineData(
        "customFields.score between -1 and 2.5 or customFields.score in (7, 8)",
        """{"logic":"or","conditions":[{"field":"customFields.score","operator":"between","value":[-1,2.5]},{"field":"customFields.score","operator":"in","value":[7,8]}]}""")]
    [InlineData(
        "lastEngagementAt is not empty and lastEngagementAt withinLast 30 days",
        """{"conditions":[{"operator":"isNotEmpty","field":"lastEngagementAt"},{"value":30,"operator":"withinLastDays","field":"lastEngagementAt"}],"logic":"and"}""")]
    [InlineData(
        "not not preferences.frequency = \"weekly\"",
        """{"not":{"logic":"or","conditions":[{"not":{"field":"preferences.frequency","operator":"equals","value":"weekly"}}]}}""")]
    public void Text_and_json_of_the_same_criteria_are_equal_trees(string text, string json)
    {
        var fromText = Criteria.Parse(text);
        var fromJson = Criteria.ParseJson(json);

        Assert.Equal(fromText, fromJson);
        Assert.Equal(fromText.GetHashCode(), fromJson.GetHashCode());
        Assert.Equal(fromText.ToString(), fromJson.ToString());
        Assert.Equal(fromText.ToJson(), fromJson.ToJson());
    }

    // ---------------------------------------------------------------- System.Text.Json

    [Fact]
    public void A_criteria_property_round_trips_through_the_json_serializer()
    {
        var request = new SearchRequest { Name = "VIPs", Filter = Criteria.Parse("status = \"active\" and tags has \"vip\"") };

        var json = JsonSerializer.Serialize(request);
        var read = JsonSerializer.Deserialize<SearchRequest>(json);

        Assert.Equal(
            """{"Name":"VIPs","Filter":{"logic":"and","conditions":[{"field":"status","operator":"equals","value":"active"},{"field":"tags","operator":"has","value":"vip"}]}}""",
            json);
        Assert.NotNull(read);
        Assert.Equal("VIPs", read.Name);
        Assert.Equal(request.Filter, read.Filter);
    }

    [Fact]
    public void The_serializer_reads_the_rfc_shape_and_a_null_criteria()
    {
        const string Json = """{"name":"n","filter":{"logic":"and","conditions":[{"field":"status","operator":"equals","value":"active"}]}}""";
        var options = new JsonSerializerOptions(JsonSerializerDefaults.Web);

        var withFilter = JsonSerializer.Deserialize<SearchRequest>(Json, options);
        var withoutFilter = JsonSerializer.Deserialize<SearchRequest>("""{"name":"n","filter":null}""", options);

        Assert.Equal(Criteria.Parse("status = \"active\""), withFilter!.Filter);
        Assert.Null(withoutFilter!.Filter);
    }

    [Fact]
    public void A_bare_condition_serializes_as_a_group()
    {
        var json = JsonSerializer.Serialize<Criteria>(Criteria.Parse("phone isEmpty"));

        Assert.Equal("""{"logic":"and","conditions":[{"field":"phone","operator":"isEmpty"}]}""", json);
    }

    [Fact]
    public void An_invalid_criteria_inside_a_document_fails_with_the_criteria_error()
    {
        const string Json = """{"Name":"n","Filter":{"logic":"and","conditions":[{"field":"status","operator":"like","value":"a"}]}}""";

        var exception = Assert.Throws<InvalidCriteriaException>(() => JsonSerializer.Deserialize<SearchRequest>(Json));

        var error = Assert.Single(exception.Errors);
        Assert.Equal("syntax_error", error.Code);
        Assert.Equal("$.conditions[0].operator", error.Location?.JsonPath);
    }

    // ---------------------------------------------------------------- errors

    [Theory]
    [InlineData("""{"logic":"and",""", "invalid_json", "$")]
    [InlineData("", "invalid_json", "$")]
    [InlineData("""{"logic":"and","conditions":[{"field":"a","operator":"isEmpty"}""", "invalid_json", "$")]
    [InlineData("""{"not":{"not":{"field":"a","operator":"isEmpty"}}""", "invalid_json", "$")]
    [InlineData("""{"field":"status","operator":"equals","value":"a"} extra""", "invalid_json", "$")]
    [InlineData("""{"field":"status",/* comment */"operator":"equals","value":"a"}""", "invalid_json", "$")]
    [InlineData("""{'field':'status'}""", "invalid_json", "$")]
    [InlineData("""{"logic":"and","conditions":[{"field":"status","operator":"equals","value":"a","extra":1}]}""", "unknown_property", "$.conditions[0].extra")]
    [InlineData("""{"logic":"and","conditions":[{"field":"a","operator":"isEmpty"}],"comment":"x"}""", "unknown_property", "$.comment")]
    [InlineData("""{"not":{"field":"phone","operator":"isEmpty"},"logic":"and"}""", "unknown_property", "$.logic")]
    [InlineData("""{"logic":"and","logic":"or","conditions":[{"field":"a","operator":"isEmpty"}]}""", "invalid_json", "$.logic")]
    [InlineData("""{"field":"status","Field":"source","operator":"isEmpty"}""", "invalid_json", "$.Field")]
    [InlineData("""{"field":"status","value":"active"}""", "missing_property", "$.operator")]
    [InlineData("""{"logic":"and","conditions":[{"field":"phone","operator":"isEmpty"},{"field":"status","value":"active"}]}""", "missing_property", "$.conditions[1].operator")]
    [InlineData("""{"field":"status","operator":"equals"}""", "missing_property", "$.value")]
    [InlineData("""{"field":"status","operator":"equals","value":null}""", "missing_property", "$.value")]
    [InlineData("""{"field":"status","operator":"in","value":"active"}""", "invalid_value", "$.value")]
    [InlineData("""{"field":"status","operator":"notIn","value":[]}""", "invalid_value", "$.value")]
    [InlineData("""{"field":"status","operator":"in"}""", "missing_property", "$.value")]
    [InlineData("""{"field":"score","operator":"between","value":[1,2,3]}""", "invalid_value", "$.value")]
    [InlineData("""{"field":"score","operator":"between","value":5}""", "invalid_value", "$.value")]
    [InlineData("""{"field":"phone","operator":"isEmpty","value":"x"}""", "invalid_value", "$.value")]
    [InlineData("""{"field":"phone","operator":"isNotEmpty","value":[]}""", "invalid_value", "$.value")]
    [InlineData("""{"field":"createdAt","operator":"withinLastDays","value":"30"}""", "invalid_value", "$.value")]
    [InlineData("""{"field":"createdAt","operator":"withinLastDays","value":-1}""", "invalid_value", "$.value")]
    [InlineData("""{"field":"createdAt","operator":"moreThanDaysAgo","value":1.5}""", "invalid_value", "$.value")]
    [InlineData("""{"field":"createdAt","operator":"withinLastDays"}""", "missing_property", "$.value")]
    [InlineData("""{"field":"status","operator":"like","value":"a"}""", "syntax_error", "$.operator")]
    [InlineData("""{"field":"status","operator":1,"value":"a"}""", "syntax_error", "$.operator")]
    [InlineData("""{"field":"status","operator":"=","value":"a"}""", "syntax_error", "$.operator")]
    [InlineData("""["status"]""", "invalid_json", "$")]
    [InlineData("null", "invalid_json", "$")]
    [InlineData("\"status = 1\"", "invalid_json", "$")]
    [InlineData("""{"logic":"and","conditions":[{"field":"phone","operator":"isEmpty"},"status = 1"]}""", "invalid_json", "$.conditions[1]")]
    [InlineData("""{"not":[]}""", "invalid_json", "$.not")]
    [InlineData("""{}""", "invalid_json", "$")]
    [InlineData("""{"logic":"and","conditions":[]}""", "empty_group", "$.conditions")]
    [InlineData("""{"not":{"logic":"or","conditions":[]}}""", "empty_group", "$.not.conditions")]
    [InlineData("""{"logic":"xor","conditions":[{"field":"a","operator":"isEmpty"}]}""", "invalid_json", "$.logic")]
    [InlineData("""{"logic":"not","conditions":[{"field":"a","operator":"isEmpty"}]}""", "invalid_json", "$.logic")]
    [InlineData("""{"logic":1,"conditions":[{"field":"a","operator":"isEmpty"}]}""", "invalid_json", "$.logic")]
    [InlineData("""{"conditions":[{"field":"a","operator":"isEmpty"}]}""", "missing_property", "$.logic")]
    [InlineData("""{"logic":"and"}""", "missing_property", "$.conditions")]
    [InlineData("""{"logic":"and","conditions":{}}""", "invalid_json", "$.conditions")]
    [InlineData("""{"field":"customFields.score","operator":"equals","value":1e300}""", "invalid_value", "$.value")]
    [InlineData("""{"field":"customFields.score","operator":"in","value":[1,-1e29]}""", "invalid_value", "$.value[1]")]
    [InlineData("""{"field":"createdAt","operator":"withinLastDays","value":1e300}""", "invalid_value", "$.value")]
    [InlineData("""{"field":"status","operator":"equals","value":{"a":1}}""", "invalid_value", "$.value")]
    [InlineData("""{"field":"status","operator":"in","value":["a",null]}""", "invalid_value", "$.value[1]")]
    [InlineData("""{"field":"status","operator":"equals","value":"a\u0000b"}""", "invalid_value", "$.value")]
    [InlineData("""{"field":1,"operator":"isEmpty"}""", "invalid_json", "$.field")]
    [InlineData("""{"field":"1status","operator":"isEmpty"}""", "syntax_error", "$.field")]
    [InlineData("""{"field":"status = 1","operator":"isEmpty"}""", "syntax_error", "$.field")]
    [InlineData("""{"logic":"or","conditions":[{"field":"a","operator":"isEmpty"},{"not":{"field":"b","operator":"nope","value":1}}]}""", "syntax_error", "$.conditions[1].not.operator")]
    public void Bad_json_is_reported_with_its_code_and_json_path(string json, string code, string path)
    {
        var exception = Assert.Throws<InvalidCriteriaException>(() => Criteria.ParseJson(json));

        var error = Assert.Single(exception.Errors);
        Assert.Equal(code, error.Code);
        Assert.Equal(CriteriaLocation.InJson(path), error.Location);
        Assert.False(string.IsNullOrWhiteSpace(error.Expected));
        Assert.Equal("invalid_criteria", exception.Code);
    }

    [Theory]
    [InlineData("""{"field":"firstName","operator":"equals","value":"\uD800"}""")]
    [InlineData("""{"field":"firstName","operator":"equals","value":"a\uDC00b"}""")]
    [InlineData("""{"field":"fir\uD800stName","operator":"equals","value":"a"}""")]
    [InlineData("""{"\uD800":1}""")]
    [InlineData("""{"logic":"\uD800","conditions":[{"field":"a","operator":"isEmpty"}]}""")]
    [InlineData("""{"field":"firstName","operator":"equ\uD800als","value":"a"}""")]
    public void A_lone_surrogate_escape_fails_as_an_invalid_criteria(string json)
    {
        var exception = Record.Exception(() => Criteria.ParseJson(json));

        Assert.IsType<InvalidCriteriaException>(exception);
    }

    [Fact]
    public void Broken_utf16_in_the_json_text_itself_is_invalid_json()
    {
        var json = "{\"field\":\"firstName\",\"operator\":\"equals\",\"value\":\"" + '\uD800' + "\"}";

        var exception = Assert.Throws<InvalidCriteriaException>(() => Criteria.ParseJson(json));

        Assert.Equal("invalid_json", Assert.Single(exception.Errors).Code);
    }

    [Fact]
    public void The_json_error_names_the_offending_token()
    {
        var exception = Assert.Throws<InvalidCriteriaException>(
            () => Criteria.ParseJson("""{"logic":"and","conditions":[{"field":"status","operator":"like","value":"a"}]}"""));

        var error = Assert.Single(exception.Errors);
        Assert.Equal("\"like\"", error.Token);
        Assert.Contains("like", error.Message, StringComparison.Ordinal);
        Assert.Contains("greaterThanOrEqual", error.Expected, StringComparison.Ordinal);
        Assert.Contains("$.conditions[0].operator", exception.Message, StringComparison.Ordinal);
    }

    private sealed class SearchRequest
    {
        public string? Name { get; set; }

        public Criteria? Filter { get; set; }
    }
}
