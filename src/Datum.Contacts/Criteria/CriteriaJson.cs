using System.Buffers;
using System.Text.Encodings.Web;
using System.Text.Json;
using System.Text.Json.Serialization;

namespace Datum.Contacts;

/// <summary>
/// Reads and writes the JSON form with System.Text.Json. A node is a group <c>{ "logic": "and"|"or", "conditions": [...] }</c>,
/// a negation <c>{ "not": node }</c>, or a condition <c>{ "field", "operator", "value" }</c>. Property names are
/// case-insensitive; unknown or repeated properties are errors naming their JSON path.
/// </summary>
internal static class CriteriaJson
{
    private static readonly JsonWriterOptions Compact = new() { Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping };
    private static readonly JsonWriterOptions Indented = new() { Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping, Indented = true };

    public static Criteria Parse(string json, CriteriaLimits limits)
    {
        if (json.Length > limits.MaxLength)
        {
            throw Error("$", "limit_exceeded", $"the criteria is {json.Length} characters long; at most {limits.MaxLength} are allowed", null, $"at most {limits.MaxLength} characters");
        }

        JsonDocument document;
        try
        {
            // A group costs two JSON levels (object, array) and a not one; the reader refuses anything deeper.
            document = JsonDocument.Parse(json, new JsonDocumentOptions { MaxDepth = limits.MaxDepth * 2 + 2 });
        }
        catch (JsonException e)
        {
            throw e.Message.Contains("maximum configured depth", StringComparison.OrdinalIgnoreCase)
                ? new InvalidCriteriaException(limits.TooDeep(CriteriaLocation.InJson("$"), null))
                : Error("$", "invalid_json", $"the JSON is malformed at line {e.LineNumber + 1}, byte {e.BytePositionInLine + 1}", null, "well-formed JSON");
        }
        catch (ArgumentException)
        {
            throw Error("$", "invalid_json", "the JSON text holds broken UTF-16", null, "well-formed JSON");
        }

        using (document)
        {
            return Read(document.RootElement, limits);
        }
    }

    public static Criteria Read(JsonElement root, CriteriaLimits limits)
    {
        var reader = new Reader(limits);
        return reader.Node(root, "$", 0);
    }

    /// <summary>A string value; JSON escapes can encode broken UTF-16 (a lone <c>\uD800</c>), which is refused here.</summary>
    private static string StringOf(JsonElement element, string path)
    {
        try
        {
            return element.GetString()!;
        }
        catch (InvalidOperationException)
        {
            throw Error(path, "invalid_json", "the string holds broken UTF-16 (a lone surrogate escape)", null, "a string of whole characters");
        }
    }

    public static string Write(Criteria criteria, bool indented)
    {
        var buffer = new ArrayBufferWriter<byte>();
        using (var writer = new Utf8JsonWriter(buffer, indented ? Indented : Compact))
        {
            WriteRoot(writer, criteria);
        }

        return System.Text.Encoding.UTF8.GetString(buffer.WrittenSpan);
    }

    /// <summary>Writes the canonical JSON: the root is always a group, as the RFC's ListCriteria is.</summary>
    public static void WriteRoot(Utf8JsonWriter writer, Criteria criteria)
    {
        if (criteria is CriteriaGroup)
        {
            WriteNode(writer, criteria);
            return;
        }

        writer.WriteStartObject();
        writer.WriteString("logic", "and");
        writer.WriteStartArray("conditions");
        WriteNode(writer, criteria);
        writer.WriteEndArray();
        writer.WriteEndObject();
    }

    private static void WriteNode(Utf8JsonWriter writer, Criteria criteria)
    {
        writer.WriteStartObject();
        switch (criteria)
        {
            case CriteriaGroup group:
                writer.WriteString("logic", group.Logic == CriteriaLogic.And ? "and" : "or");
                writer.WriteStartArray("conditions");
                foreach (var item in group.Items)
                {
                    WriteNode(writer, item);
                }

                writer.WriteEndArray();
                break;
            case CriteriaNot not:
                writer.WritePropertyName("not");
                WriteNode(writer, not.Operand);
                break;
            case CriteriaCondition condition:
                writer.WriteString("field", condition.Field.ToString());
                writer.WriteString("operator", CriteriaOperators.Name(condition.Operator));
                switch (condition.Operator)
                {
                    case CriteriaOperator.IsEmpty or CriteriaOperator.IsNotEmpty:
                        break;
                    case CriteriaOperator.Between or CriteriaOperator.In or CriteriaOperator.NotIn:
                        writer.WriteStartArray("value");
                        foreach (var value in condition.Values)
                        {
                            WriteValue(writer, value);
                        }

                        writer.WriteEndArray();
                        break;
                    default:
                        writer.WritePropertyName("value");
                        WriteValue(writer, condition.Values[0]);
                        break;
                }

                break;
        }

        writer.WriteEndObject();
    }

    private static void WriteValue(Utf8JsonWriter writer, CriteriaValue value)
    {
        switch (value.Kind)
        {
            case CriteriaValueKind.Text: writer.WriteStringValue(value.Text); break;
            case CriteriaValueKind.Number: writer.WriteNumberValue(value.Number); break;
            default: writer.WriteBooleanValue(value.Boolean); break;
        }
    }

    private static InvalidCriteriaException Error(string path, string code, string message, string? token, string? expected)
        => new(new CriteriaError(code, message, CriteriaLocation.InJson(path), token, expected));

    private sealed class Reader(CriteriaLimits limits)
    {
        private int _conditions;

        public Criteria Node(JsonElement node, string path, int nesting)
        {
            if (nesting >= limits.MaxDepth)
            {
                throw new InvalidCriteriaException(limits.TooDeep(CriteriaLocation.InJson(path), null));
            }

            if (node.ValueKind != JsonValueKind.Object)
            {
                throw Error(path, "invalid_json", $"found {Describe(node)} where a condition, a group or a not was expected", Token(node), "an object");
            }

            var properties = Properties(node, path);
            if (properties.ContainsKey("field"))
            {
                Only(properties, path, "a condition", "field", "operator", "value");
                return Condition(properties, path);
            }

            if (properties.TryGetValue("not", out var operand))
            {
                Only(properties, path, "a not", "not");
                var inner = Node(operand, path + ".not", nesting + 1);
                CheckDepth(inner.Depth + 1, path);
                return new CriteriaNot(inner);
            }

            if (properties.ContainsKey("logic") || properties.ContainsKey("conditions"))
            {
                Only(properties, path, "a group", "logic", "conditions");
                return Group(properties, path, nesting);
            }

            throw Error(path, "invalid_json", "the object is neither a condition (field, operator, value), a group (logic, conditions) nor a not", properties.Keys.FirstOrDefault(), "\"field\", \"logic\" or \"not\"");
        }

        private Criteria Group(Dictionary<string, JsonElement> properties, string path, int nesting)
        {
            var logicText = properties.TryGetValue("logic", out var logicElement) ? logicElement : default;
            CriteriaLogic logic;
            var logicValue = logicText.ValueKind == JsonValueKind.String ? StringOf(logicText, path + ".logic") : null;
            if (string.Equals(logicValue, "and", StringComparison.OrdinalIgnoreCase))
            {
                logic = CriteriaLogic.And;
            }
            else if (string.Equals(logicValue, "or", StringComparison.OrdinalIgnoreCase))
            {
                logic = CriteriaLogic.Or;
            }
            else
            {
                throw Error(path + ".logic", logicText.ValueKind == JsonValueKind.Undefined ? "missing_property" : "invalid_json", "logic must be \"and\" or \"or\"", Token(logicText), "\"and\" or \"or\"");
            }

            if (!properties.TryGetValue("conditions", out var conditions) || conditions.ValueKind != JsonValueKind.Array)
            {
                throw Error(path + ".conditions", conditions.ValueKind == JsonValueKind.Undefined ? "missing_property" : "invalid_json", "conditions must be an array of conditions, groups or nots", Token(conditions), "an array");
            }

            if (conditions.GetArrayLength() == 0)
            {
                throw Error(path + ".conditions", "empty_group", "conditions must hold at least one condition", "[]", "one or more conditions");
            }

            // A one-item group collapses to its item, so it adds no level (the canonical JSON wraps a lone root that way).
            var items = new List<Criteria>(conditions.GetArrayLength());
            var index = 0;
            var childNesting = conditions.GetArrayLength() == 1 ? nesting : nesting + 1;
            foreach (var item in conditions.EnumerateArray())
            {
                items.Add(Node(item, $"{path}.conditions[{index++}]", childNesting));
            }

            if (items.Count == 1)
            {
                return items[0];
            }

            CheckDepth(items.Max(i => i.Depth) + 1, path);
            return new CriteriaGroup(logic, items);
        }

        private CriteriaCondition Condition(Dictionary<string, JsonElement> properties, string path)
        {
            if (++_conditions > limits.MaxConditions)
            {
                throw new InvalidCriteriaException(limits.TooManyConditions(CriteriaLocation.InJson(path), null));
            }

            var fieldElement = properties["field"];
            if (fieldElement.ValueKind != JsonValueKind.String)
            {
                throw Error(path + ".field", "invalid_json", "field must be a string such as \"status\" or \"customFields.score\"", Token(fieldElement), "a field name");
            }

            CriteriaField field;
            var fieldText = StringOf(fieldElement, path + ".field");
            try
            {
                field = CriteriaParser.ParseField(fieldText, limits);
            }
            catch (InvalidCriteriaException e)
            {
                var inner = e.Errors[0];
                throw Error(path + ".field", inner.Code, inner.Message, CriteriaParser.Shorten(fieldText), inner.Expected);
            }

            if (!properties.TryGetValue("operator", out var opElement))
            {
                throw Error(path + ".operator", "missing_property", "operator is required", null, OperatorNames);
            }

            if (opElement.ValueKind != JsonValueKind.String || !CriteriaOperators.TryParseName(StringOf(opElement, path + ".operator"), out var op))
            {
                throw Error(path + ".operator", "syntax_error", $"{Token(opElement)} is not an operator", Token(opElement), OperatorNames);
            }

            var valuePath = path + ".value";
            var hasValue = properties.TryGetValue("value", out var value) && value.ValueKind != JsonValueKind.Null;
            CriteriaValue[] values;
            switch (op)
            {
                case CriteriaOperator.IsEmpty or CriteriaOperator.IsNotEmpty:
                    values = hasValue
                        ? throw Error(valuePath, "invalid_value", $"{CriteriaOperators.Name(op)} takes no value", Token(value), "no value")
                        : [];
                    break;
                case CriteriaOperator.In or CriteriaOperator.NotIn or CriteriaOperator.Between:
                    values = List(op, value, hasValue, valuePath);
                    break;
                case CriteriaOperator.WithinLastDays or CriteriaOperator.MoreThanDaysAgo:
                    values = [Days(value, hasValue, valuePath)];
                    break;
                default:
                    values = hasValue
                        ? [Scalar(value, valuePath)]
                        : throw Error(valuePath, "missing_property", $"{CriteriaOperators.Name(op)} needs a value", null, "a string, number or boolean");
                    break;
            }

            return new CriteriaCondition(field, op, values, CriteriaLocation.InJson(path));
        }

        private CriteriaValue[] List(CriteriaOperator op, JsonElement value, bool hasValue, string path)
        {
            var between = op == CriteriaOperator.Between;
            var expected = between ? "an array of two values, [low, high]" : "an array of one or more values";
            if (!hasValue || value.ValueKind != JsonValueKind.Array)
            {
                throw Error(path, hasValue ? "invalid_value" : "missing_property", $"{CriteriaOperators.Name(op)} needs {expected}", Token(value), expected);
            }

            var count = value.GetArrayLength();
            if (between ? count != 2 : count == 0)
            {
                throw Error(path, "invalid_value", $"{CriteriaOperators.Name(op)} needs {expected}; found {count}", Token(value), expected);
            }

            if (count > limits.MaxListValues)
            {
                throw Error(path, "limit_exceeded", $"the list holds {count} values; at most {limits.MaxListValues} are allowed", null, $"at most {limits.MaxListValues} values");
            }

            var values = new CriteriaValue[count];
            var index = 0;
            foreach (var item in value.EnumerateArray())
            {
                values[index] = Scalar(item, $"{path}[{index}]");
                index++;
            }

            return values;
        }

        private CriteriaValue Days(JsonElement value, bool hasValue, string path)
        {
            if (!hasValue || value.ValueKind != JsonValueKind.Number || !value.TryGetDecimal(out var days) || days < 0 || days != decimal.Truncate(days))
            {
                throw Error(path, hasValue ? "invalid_value" : "missing_property", "the number of days must be a whole number, 0 or more", Token(value), "a whole number of days");
            }

            return days > limits.MaxDays
                ? throw Error(path, "limit_exceeded", $"{days} days is more than the configured maximum of {limits.MaxDays}", Token(value), $"at most {limits.MaxDays} days")
                : CriteriaValue.Num(days, CriteriaLocation.InJson(path));
        }

        private CriteriaValue Scalar(JsonElement value, string path)
        {
            var location = CriteriaLocation.InJson(path);
            switch (value.ValueKind)
            {
                case JsonValueKind.String:
                    var text = StringOf(value, path);
                    if (text.Length > limits.MaxValueLength)
                    {
                        throw Error(path, "limit_exceeded", $"the text value is {text.Length} characters long; at most {limits.MaxValueLength} are allowed", CriteriaParser.Shorten(text), $"at most {limits.MaxValueLength} characters");
                    }

                    if (Datum.Contacts.Text.FindProblem(text, allowLineBreaks: true) is { } problem)
                    {
                        throw Error(path, "invalid_value", $"the text value {problem}", CriteriaParser.Shorten(text), "text without control characters");
                    }

                    return CriteriaValue.Str(text, location);
                case JsonValueKind.Number:
                    return value.TryGetDecimal(out var number)
                        ? CriteriaValue.Num(number, location)
                        : throw Error(path, "invalid_value", $"{Token(value)} is out of the range of numbers", Token(value), "a decimal number");
                case JsonValueKind.True or JsonValueKind.False:
                    return CriteriaValue.Flag(value.GetBoolean(), location);
                default:
                    throw Error(path, "invalid_value", $"found {Describe(value)} where a string, number or boolean was expected", Token(value), "a string, number or boolean");
            }
        }

        private void CheckDepth(int depth, string path)
        {
            if (depth > limits.MaxDepth)
            {
                throw new InvalidCriteriaException(limits.TooDeep(CriteriaLocation.InJson(path), null));
            }
        }

        private static Dictionary<string, JsonElement> Properties(JsonElement node, string path)
        {
            var properties = new Dictionary<string, JsonElement>(StringComparer.OrdinalIgnoreCase);
            foreach (var property in node.EnumerateObject())
            {
                string name;
                try
                {
                    name = property.Name;
                }
                catch (InvalidOperationException)
                {
                    throw Error(path, "invalid_json", "a property name holds broken UTF-16 (a lone surrogate escape)", null, "property names of whole characters");
                }

                if (!properties.TryAdd(name, property.Value))
                {
                    throw Error($"{path}.{name}", "invalid_json", $"the property '{CriteriaParser.Shorten(name)}' appears twice", CriteriaParser.Shorten(name), "each property once");
                }
            }

            return properties;
        }

        private static void Only(Dictionary<string, JsonElement> properties, string path, string what, params string[] allowed)
        {
            foreach (var name in properties.Keys)
            {
                if (!allowed.Contains(name, StringComparer.OrdinalIgnoreCase))
                {
                    throw Error($"{path}.{name}", "unknown_property", $"'{CriteriaParser.Shorten(name)}' is not a property of {what}", name, string.Join(", ", allowed));
                }
            }
        }

        private const string OperatorNames = "one of equals, notEquals, contains, notContains, startsWith, endsWith, greaterThan, greaterThanOrEqual, lessThan, lessThanOrEqual, between, in, notIn, isEmpty, isNotEmpty, has, withinLastDays, moreThanDaysAgo";

        private static string Describe(JsonElement element) => element.ValueKind switch
        {
            JsonValueKind.Object => "an object",
            JsonValueKind.Array => "an array",
            JsonValueKind.String => "a string",
            JsonValueKind.Number => "a number",
            JsonValueKind.True or JsonValueKind.False => "a boolean",
            JsonValueKind.Null => "null",
            _ => "nothing",
        };

        private static string? Token(JsonElement element)
            => element.ValueKind == JsonValueKind.Undefined ? null : CriteriaParser.Shorten(element.GetRawText());
    }
}

/// <summary>Reads and writes <see cref="Criteria"/> as its JSON form in System.Text.Json, with the default <see cref="CriteriaLimits"/>.</summary>
public sealed class CriteriaJsonConverter : JsonConverter<Criteria>
{
    /// <inheritdoc />
    public override Criteria? Read(ref Utf8JsonReader reader, Type typeToConvert, JsonSerializerOptions options)
    {
        if (reader.TokenType == JsonTokenType.Null)
        {
            return null;
        }

        using var document = JsonDocument.ParseValue(ref reader);
        return CriteriaJson.Read(document.RootElement, CriteriaLimits.Default);
    }

    /// <inheritdoc />
    public override void Write(Utf8JsonWriter writer, Criteria value, JsonSerializerOptions options)
    {
        Guard.Against.Null(writer);
        Guard.Against.Null(value);
        CriteriaJson.WriteRoot(writer, value);
    }
}
