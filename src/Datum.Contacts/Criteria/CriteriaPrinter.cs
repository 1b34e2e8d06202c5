using System.Globalization;
using System.Text;

namespace Datum.Contacts;

/// <summary>Prints the canonical text form: lower-case keywords, symbols for comparisons, parentheses only where needed.</summary>
internal static class CriteriaPrinter
{
    public static string Print(Criteria criteria)
    {
        var builder = new StringBuilder();
        Write(builder, criteria);
        return builder.ToString();
    }

    public static void Write(StringBuilder builder, Criteria criteria)
    {
        switch (criteria)
        {
            case CriteriaGroup group:
                var keyword = group.Logic == CriteriaLogic.And ? " and " : " or ";
                for (var i = 0; i < group.Items.Count; i++)
                {
                    if (i > 0)
                    {
                        builder.Append(keyword);
                    }

                    WriteOperand(builder, group.Items[i]);
                }

                break;
            case CriteriaNot not:
                builder.Append("not ");
                WriteOperand(builder, not.Operand);
                break;
            case CriteriaCondition condition:
                WriteCondition(builder, condition);
                break;
        }
    }

    public static void WriteCondition(StringBuilder builder, CriteriaCondition condition)
    {
        builder.Append(condition.Field.ToString()).Append(' ').Append(CriteriaOperators.Symbol(condition.Operator));
        var values = condition.Values;
        switch (condition.Operator)
        {
            case CriteriaOperator.IsEmpty or CriteriaOperator.IsNotEmpty:
                break;
            case CriteriaOperator.In or CriteriaOperator.NotIn:
                builder.Append(" (");
                for (var i = 0; i < values.Count; i++)
                {
                    builder.Append(i == 0 ? string.Empty : ", ").Append(values[i].ToString());
                }

                builder.Append(')');
                break;
            case CriteriaOperator.Between:
                builder.Append(' ').Append(values[0].ToString()).Append(" and ").Append(values[1].ToString());
                break;
            case CriteriaOperator.WithinLastDays:
                builder.Append(' ').Append(values[0].ToString()).Append(" days");
                break;
            case CriteriaOperator.MoreThanDaysAgo:
                builder.Append(' ').Append(values[0].ToString()).Append(" days ago");
                break;
            default:
                builder.Append(' ').Append(values[0].ToString());
                break;
        }
    }

    // A nested group is always parenthesized, so the printed text parses back to the same shape.
    private static void WriteOperand(StringBuilder builder, Criteria operand)
    {
        if (operand is CriteriaGroup)
        {
            builder.Append('(');
            Write(builder, operand);
            builder.Append(')');
        }
        else
        {
            Write(builder, operand);
        }
    }

    /// <summary>Quotes text with the escapes the lexer reads: <c>\"</c>, <c>\\</c>, <c>\n</c>, <c>\r</c>, <c>\t</c>, and <c>\uXXXX</c> for other control characters.</summary>
    public static string Quote(string text)
    {
        var builder = new StringBuilder(text.Length + 2).Append('"');
        foreach (var c in text)
        {
            switch (c)
            {
                case '"': builder.Append("\\\""); break;
                case '\\': builder.Append("\\\\"); break;
                case '\n': builder.Append("\\n"); break;
                case '\r': builder.Append("\\r"); break;
                case '\t': builder.Append("\\t"); break;
                default:
                    if (char.IsControl(c) || c is '\u2028' or '\u2029')
                    {
                        builder.Append("\\u").Append(((int)c).ToString("X4", CultureInfo.InvariantCulture));
                    }
                    else
                    {
                        builder.Append(c);
                    }

                    break;
            }
        }

        return builder.Append('"').ToString();
    }
}
