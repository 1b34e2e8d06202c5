using System.Globalization;
using System.Text;

namespace Datum.Contacts;

/// <summary>
/// Parses the text form by recursive descent. Nesting is counted before each descent and refused past the
/// configured depth, so no input can run the stack out; every failure is an <see cref="InvalidCriteriaException"/>.
/// </summary>
/// <remarks>
/// <code>
/// criteria  := and ("or" and)*
/// and       := unary ("and" unary)*
/// unary     := "not" unary | "(" criteria ")" | condition
/// condition := field test
/// field     := name("." name)* | "memberOf" "(" string ")"
/// test      := ("=" | "!=" | "&lt;&gt;" | "&gt;" | "&gt;=" | "&lt;" | "&lt;=" | operator-name) value
///            | ("in" | "notIn" | "not" "in") "(" value ("," value)* ")"
///            | "between" value "and" value
///            | "isEmpty" | "isNotEmpty" | "is" "empty" | "is" "not" "empty"
///            | "withinLast" integer "days" | "moreThan" integer "days" "ago"
/// value     := string | number | "true" | "false" | date | date-time
/// </code>
/// Keywords and operator names are case-insensitive.
/// </remarks>
internal sealed class CriteriaParser
{
    private readonly CriteriaLexer _lexer;
    private readonly CriteriaLimits _limits;
    private CriteriaToken _token;
    private int _nesting;
    private int _parentheses;
    private int _conditions;

    private CriteriaParser(string text, CriteriaLimits limits)
    {
        _lexer = new CriteriaLexer(text, limits);
        _limits = limits;
        _token = _lexer.Next();
    }

    public static Criteria Parse(string text, CriteriaLimits limits)
    {
        if (text.Length > limits.MaxLength)
        {
            throw new InvalidCriteriaException(new CriteriaError(
                "limit_exceeded", $"the criteria is {text.Length} characters long; at most {limits.MaxLength} are allowed",
                CriteriaLocation.InText(1, 1), null, $"at most {limits.MaxLength} characters"));
        }

        var parser = new CriteriaParser(text, limits);
        if (parser._token.Kind == TokenKind.End)
        {
            throw parser.Unexpected("a condition");
        }

        var criteria = parser.ParseOr();
        if (parser._token.Kind != TokenKind.End)
        {
            throw parser.Unexpected(parser._token.Kind == TokenKind.RightParen ? "the end of the criteria (this ')' closes nothing)" : "'and', 'or' or the end of the criteria");
        }

        return criteria;
    }

    /// <summary>Parses a field alone, as the JSON form's <c>field</c> property holds it.</summary>
    public static CriteriaField ParseField(string text, CriteriaLimits limits)
    {
        var parser = new CriteriaParser(text, limits);
        var field = parser.ParseField();
        if (parser._token.Kind != TokenKind.End)
        {
            throw parser.Unexpected("the end of the field name");
        }

        return field;
    }

    private Criteria ParseOr()
    {
        var start = _token;
        var first = ParseAnd();
        if (!IsKeyword("or"))
        {
            return first;
        }

        var items = new List<Criteria> { first };
        while (IsKeyword("or"))
        {
            Advance();
            items.Add(ParseAnd());
        }

        return MakeGroup(CriteriaLogic.Or, items, start);
    }

    private Criteria ParseAnd()
    {
        var start = _token;
        var first = ParseUnary();
        if (!IsKeyword("and"))
        {
            return first;
        }

        var items = new List<Criteria> { first };
        while (IsKeyword("and"))
        {
            Advance();
            items.Add(ParseUnary());
        }

        return MakeGroup(CriteriaLogic.And, items, start);
    }

    private Criteria ParseUnary()
    {
        var start = _token;
        if (IsKeyword("not"))
        {
            Advance();
            Enter(start);
            var operand = ParseUnary();
            _nesting--;
            CheckDepth(operand.Depth + 1, start);
            return new CriteriaNot(operand);
        }

        if (_token.Kind == TokenKind.LeftParen)
        {
            // Parentheses around a single condition add no level to the tree, so they get a looser guard of
            // their own; the stack stays bounded either way.
            Advance();
            if (++_parentheses > Criteria.MaxSupportedDepth)
            {
                throw Error(start, "limit_exceeded", $"the criteria nests parentheses deeper than {Criteria.MaxSupportedDepth} levels", $"at most {Criteria.MaxSupportedDepth} nested parentheses");
            }

            var inner = ParseOr();
            _parentheses--;
            Expect(TokenKind.RightParen, "')' to close the '(' at " + start.Location);
            return inner;
        }

        return ParseCondition();
    }

    private CriteriaCondition ParseCondition()
    {
        var start = _token;
        var field = ParseField();
        if (++_conditions > _limits.MaxConditions)
        {
            throw new InvalidCriteriaException(_limits.TooManyConditions(start.Location, start.Raw));
        }

        var opToken = _token;
        var op = ParseOperator(field);
        var values = op switch
        {
            CriteriaOperator.IsEmpty or CriteriaOperator.IsNotEmpty => [],
            CriteriaOperator.In or CriteriaOperator.NotIn => ParseList(opToken),
            CriteriaOperator.Between => ParseRange(),
            CriteriaOperator.WithinLastDays => [ParseDays(ago: false)],
            CriteriaOperator.MoreThanDaysAgo => [ParseDays(ago: true)],
            _ => new[] { ParseValue() },
        };
        return new CriteriaCondition(field, op, values, start.Location);
    }

    private CriteriaField ParseField()
    {
        var token = _token;
        if (token.Kind != TokenKind.Name)
        {
            throw Unexpected("a field name (such as status, tags or customFields.score), 'not' or '('");
        }

        Advance();
        if (string.Equals(token.Text, CriteriaField.MemberOfName, StringComparison.OrdinalIgnoreCase) && _token.Kind == TokenKind.LeftParen)
        {
            Advance();
            var list = _token;
            if (list.Kind != TokenKind.String || string.IsNullOrWhiteSpace(list.Text))
            {
                throw Unexpected("the list name in double quotes, as in memberOf(\"Newsletter\")");
            }

            Advance();
            Expect(TokenKind.RightParen, "')' after the list name");
            return CriteriaField.MemberOf(list.Text);
        }

        if (!CriteriaField.TryCreate(token.Text, out var field, out var error))
        {
            throw Error(token, "syntax_error", error, "a field name");
        }

        return field;
    }

    private CriteriaOperator ParseOperator(CriteriaField field)
    {
        var token = _token;
        const string Expected = "an operator (=, !=, >, >=, <, <=, contains, startsWith, endsWith, in, notIn, between, has, isEmpty, isNotEmpty, withinLast, moreThan)";
        if (token.Kind == TokenKind.Symbol)
        {
            Advance();
            return token.Text switch
            {
                "=" or "==" => CriteriaOperator.Equals,
                "!=" or "<>" => CriteriaOperator.NotEquals,
                ">" => CriteriaOperator.GreaterThan,
                ">=" => CriteriaOperator.GreaterThanOrEqual,
                "<" => CriteriaOperator.LessThan,
                "<=" => CriteriaOperator.LessThanOrEqual,
                _ => throw Error(token, "syntax_error", $"'{token.Text}' is not an operator", Expected),
            };
        }

        if (token.Kind != TokenKind.Name)
        {
            throw Unexpected($"{Expected} after {field}");
        }

        Advance();
        var word = token.Text;
        if (Is(word, "not"))
        {
            if (IsKeyword("in"))
            {
                Advance();
                return CriteriaOperator.NotIn;
            }

            if (IsKeyword("contains"))
            {
                Advance();
                return CriteriaOperator.NotContains;
            }

            throw Unexpected("'in' or 'contains' after 'not'");
        }

        if (Is(word, "is"))
        {
            var negated = IsKeyword("not");
            if (negated)
            {
                Advance();
            }

            if (!IsKeyword("empty"))
            {
                throw Unexpected(negated ? "'empty' after 'is not'" : "'empty' or 'not empty' after 'is'");
            }

            Advance();
            return negated ? CriteriaOperator.IsNotEmpty : CriteriaOperator.IsEmpty;
        }

        if (Is(word, "withinLast"))
        {
            return CriteriaOperator.WithinLastDays;
        }

        if (Is(word, "moreThan"))
        {
            return CriteriaOperator.MoreThanDaysAgo;
        }

        return CriteriaOperators.TryParseName(word, out var op)
            ? op
            : throw Error(token, "syntax_error", $"'{Shorten(word)}' is not an operator", Expected);
    }

    private CriteriaValue[] ParseList(CriteriaToken opToken)
    {
        Expect(TokenKind.LeftParen, $"'(' to open the list of values after {opToken.Text}");
        var values = new List<CriteriaValue>();
        while (true)
        {
            if (values.Count == _limits.MaxListValues)
            {
                throw Error(_token, "limit_exceeded", $"the list holds more than {_limits.MaxListValues} values, the configured maximum", $"at most {_limits.MaxListValues} values");
            }

            values.Add(ParseValue());
            if (_token.Kind == TokenKind.Comma)
            {
                Advance();
                continue;
            }

            Expect(TokenKind.RightParen, "',' or ')' in the list of values");
            return [.. values];
        }
    }

    private CriteriaValue[] ParseRange()
    {
        var low = ParseValue();
        if (!IsKeyword("and"))
        {
            throw Unexpected("'and' between the two values of between");
        }

        Advance();
        return [low, ParseValue()];
    }

    private CriteriaValue ParseDays(bool ago)
    {
        var token = _token;
        if (token.Kind != TokenKind.Number || token.Number < 0 || token.Number != decimal.Truncate(token.Number))
        {
            throw Unexpected("a whole number of days, 0 or more");
        }

        if (token.Number > _limits.MaxDays)
        {
            throw Error(token, "limit_exceeded", $"{token.Text} days is more than the configured maximum of {_limits.MaxDays}", $"at most {_limits.MaxDays} days");
        }

        Advance();
        if (!IsKeyword("days") && !IsKeyword("day"))
        {
            throw Unexpected("'days' after the number of days");
        }

        Advance();
        if (ago)
        {
            if (!IsKeyword("ago"))
            {
                throw Unexpected("'ago', as in moreThan 90 days ago");
            }

            Advance();
        }

        return CriteriaValue.Num(token.Number, token.Location);
    }

    private CriteriaValue ParseValue()
    {
        var token = _token;
        switch (token.Kind)
        {
            case TokenKind.String:
            case TokenKind.Date:
                Advance();
                return CriteriaValue.Str(token.Text, token.Location);
            case TokenKind.Number:
                Advance();
                return CriteriaValue.Num(token.Number, token.Location);
            case TokenKind.Name when Is(token.Text, "true") || Is(token.Text, "false"):
                Advance();
                return CriteriaValue.Flag(Is(token.Text, "true"), token.Location);
            default:
                throw Unexpected("a value: text in double quotes, a number, true, false or a date such as 2025-01-31");
        }
    }

    private CriteriaGroup MakeGroup(CriteriaLogic logic, List<Criteria> items, CriteriaToken start)
    {
        CheckDepth(items.Max(i => i.Depth) + 1, start);
        return new CriteriaGroup(logic, items);
    }

    private void Enter(CriteriaToken token)
    {
        // Guards the recursion through 'not': each one is a level of the tree.
        if (++_nesting >= _limits.MaxDepth)
        {
            throw new InvalidCriteriaException(_limits.TooDeep(token.Location, token.Raw));
        }
    }

    private void CheckDepth(int depth, CriteriaToken start)
    {
        if (depth > _limits.MaxDepth)
        {
            throw new InvalidCriteriaException(_limits.TooDeep(start.Location, start.Raw));
        }
    }

    private bool IsKeyword(string keyword) => _token.Kind == TokenKind.Name && Is(_token.Text, keyword);

    private static bool Is(string text, string keyword) => string.Equals(text, keyword, StringComparison.OrdinalIgnoreCase);

    private void Advance() => _token = _lexer.Next();

    private void Expect(TokenKind kind, string expected)
    {
        if (_token.Kind != kind)
        {
            throw Unexpected(expected);
        }

        Advance();
    }

    private InvalidCriteriaException Unexpected(string expected)
        => _token.Kind == TokenKind.End
            ? Error(_token, "unexpected_end", $"the criteria ends where {expected} was expected", expected)
            : Error(_token, "syntax_error", $"found {Shorten(_token.Raw)} where {expected} was expected", expected);

    private static InvalidCriteriaException Error(CriteriaToken token, string code, string message, string expected)
        => new(new CriteriaError(code, message, token.Location, token.Kind == TokenKind.End ? null : token.Raw, expected));

    internal static string Shorten(string text) => text.Length <= 40 ? text : text[..40] + "…";
}

internal enum TokenKind
{
    End,
    Name,
    String,
    Number,
    Date,
    Symbol,
    LeftParen,
    RightParen,
    Comma,
}

/// <summary>A token: its kind, its value, the raw text it came from, and where it starts.</summary>
internal readonly record struct CriteriaToken(TokenKind Kind, string Text, decimal Number, string Raw, CriteriaLocation Location);

/// <summary>Splits criteria text into tokens, tracking line and column.</summary>
internal sealed class CriteriaLexer(string text, CriteriaLimits limits)
{
    private int _position;
    private int _line = 1;
    private int _lineStart;

    public CriteriaToken Next()
    {
        SkipWhitespace();
        var location = CriteriaLocation.InText(_line, _position - _lineStart + 1);
        if (_position >= text.Length)
        {
            return new CriteriaToken(TokenKind.End, string.Empty, 0, string.Empty, location);
        }

        var start = _position;
        var c = text[_position];
        switch (c)
        {
            case '(':
                _position++;
                return new CriteriaToken(TokenKind.LeftParen, "(", 0, "(", location);
            case ')':
                _position++;
                return new CriteriaToken(TokenKind.RightParen, ")", 0, ")", location);
            case ',':
                _position++;
                return new CriteriaToken(TokenKind.Comma, ",", 0, ",", location);
            case '"':
                return ReadString(location);
            case '=' or '!' or '<' or '>':
                _position++;
                if (_position < text.Length && (text[_position] == '=' || (c == '<' && text[_position] == '>')))
                {
                    _position++;
                }

                var symbol = text[start.._position];
                return symbol == "!"
                    ? throw Error(location, symbol, "'!' is not an operator; write != or not", "an operator such as != or a condition after not")
                    : new CriteriaToken(TokenKind.Symbol, symbol, 0, symbol, location);
        }

        if (char.IsAsciiLetter(c))
        {
            while (_position < text.Length && (char.IsAsciiLetterOrDigit(text[_position]) || text[_position] is '_' or '-' or '.'))
            {
                _position++;
            }

            var name = text[start.._position];
            return new CriteriaToken(TokenKind.Name, name, 0, name, location);
        }

        if (char.IsAsciiDigit(c) || ((c == '-' || c == '+') && _position + 1 < text.Length && char.IsAsciiDigit(text[_position + 1])))
        {
            return ReadNumberOrDate(location);
        }

        if (c == '\'')
        {
            throw Error(location, "'", "text values are written in double quotes, not single quotes", "text in double quotes, such as \"active\"");
        }

        var raw = char.IsSurrogate(c) && _position + 1 < text.Length ? text.Substring(_position, 2) : c.ToString();
        throw Error(location, raw, $"the character {Describe(c)} is not part of the criteria language", "a field name, a value, an operator, a parenthesis or a comma");
    }

    private void SkipWhitespace()
    {
        while (_position < text.Length && char.IsWhiteSpace(text[_position]))
        {
            if (text[_position] == '\n')
            {
                _line++;
                _lineStart = _position + 1;
            }

            _position++;
        }
    }

    private CriteriaToken ReadNumberOrDate(CriteriaLocation location)
    {
        var start = _position;
        _position++;
        while (_position < text.Length && (char.IsAsciiLetterOrDigit(text[_position]) || text[_position] is '.' or ':' or '-' or '+'))
        {
            _position++;
        }

        var raw = text[start.._position];
        if (IsDateLike(raw))
        {
            return CriteriaDates.IsDateOrDateTime(raw)
                ? new CriteriaToken(TokenKind.Date, raw, 0, raw, location)
                : throw Error(location, raw, $"{CriteriaParser.Shorten(raw)} is not a valid date (yyyy-MM-dd) or ISO 8601 date-time", "a date such as 2025-01-31 or a date-time such as 2025-01-31T08:00:00Z");
        }

        if (!IsPlainNumber(raw))
        {
            throw Error(location, raw, $"{CriteriaParser.Shorten(raw)} is not a number (digits, an optional sign and decimal point)", "a number such as 42 or -1.5");
        }

        return decimal.TryParse(raw, NumberStyles.AllowLeadingSign | NumberStyles.AllowDecimalPoint, CultureInfo.InvariantCulture, out var number)
            ? new CriteriaToken(TokenKind.Number, raw, number, raw, location)
            : throw Error(location, raw, $"{CriteriaParser.Shorten(raw)} is out of the range of numbers", "a number between ±79,228,162,514,264,337,593,543,950,335");
    }

    private static bool IsDateLike(string raw) => raw.Length >= 10 && char.IsAsciiDigit(raw[0]) && raw[4] == '-' && raw[..4].All(char.IsAsciiDigit);

    private static bool IsPlainNumber(string raw)
    {
        var i = raw[0] is '-' or '+' ? 1 : 0;
        var digits = 0;
        var dot = false;
        for (; i < raw.Length; i++)
        {
            if (char.IsAsciiDigit(raw[i]))
            {
                digits++;
            }
            else if (raw[i] == '.' && !dot && digits > 0)
            {
                dot = true;
            }
            else
            {
                return false;
            }
        }

        return digits > 0 && raw[^1] != '.';
    }

    private CriteriaToken ReadString(CriteriaLocation location)
    {
        var start = _position;
        _position++;
        var value = new StringBuilder();
        while (true)
        {
            if (_position >= text.Length)
            {
                throw Error(location, CriteriaParser.Shorten(text[start..]), "the text value is not closed: a '\"' is missing", "a closing '\"'");
            }

            var c = text[_position];
            if (c == '"')
            {
                _position++;
                break;
            }

            if (c == '\n')
            {
                _line++;
                _lineStart = _position + 1;
            }

            if (c != '\\')
            {
                value.Append(c);
                _position++;
            }
            else
            {
                value.Append(ReadEscape());
            }

            if (value.Length > limits.MaxValueLength)
            {
                throw new InvalidCriteriaException(new CriteriaError(
                    "limit_exceeded", $"the text value is longer than {limits.MaxValueLength} characters, the configured maximum",
                    location, CriteriaParser.Shorten(text[start.._position]), $"at most {limits.MaxValueLength} characters"));
            }
        }

        var result = value.ToString();
        var raw = text[start.._position];
        if (Text.FindProblem(result, allowLineBreaks: true) is { } problem)
        {
            throw Error(location, CriteriaParser.Shorten(raw), $"the text value {problem}", "text without control characters or broken UTF-16");
        }

        return new CriteriaToken(TokenKind.String, result, 0, raw, location);
    }

    private char ReadEscape()
    {
        var escape = CriteriaLocation.InText(_line, _position - _lineStart + 1);
        if (_position + 1 >= text.Length)
        {
            throw Error(escape, "\\", "the text value ends in the middle of an escape", EscapeHelp);
        }

        var c = text[_position + 1];
        _position += 2;
        switch (c)
        {
            case '"': return '"';
            case '\\': return '\\';
            case '/': return '/';
            case 'n': return '\n';
            case 'r': return '\r';
            case 't': return '\t';
            case 'b': return '\b';
            case 'f': return '\f';
            case 'u':
                if (_position + 4 <= text.Length && ushort.TryParse(text.AsSpan(_position, 4), NumberStyles.AllowHexSpecifier, CultureInfo.InvariantCulture, out var code))
                {
                    _position += 4;
                    return (char)code;
                }

                throw Error(escape, CriteriaParser.Shorten(text[(_position - 2)..Math.Min(text.Length, _position + 4)]), "\\u must be followed by four hexadecimal digits", "\\u and four hexadecimal digits, such as \\u00e9");
            default:
                throw Error(escape, $"\\{c}", $"\\{c} is not an escape", EscapeHelp);
        }
    }

    private const string EscapeHelp = "one of the escapes \\\", \\\\, \\/, \\n, \\r, \\t, \\b, \\f or \\uXXXX";

    private static string Describe(char c) => char.IsControl(c) || char.IsWhiteSpace(c) || char.IsSurrogate(c) ? $"U+{(int)c:X4}" : $"'{c}'";

    private static InvalidCriteriaException Error(CriteriaLocation location, string token, string message, string expected)
        => new(new CriteriaError("syntax_error", message, location, token, expected));
}
