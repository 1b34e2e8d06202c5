using System.Globalization;
using System.Text;

namespace Datum.Contacts;

/// <summary>
/// The reference semantics of the language: evaluates a bound criteria directly, reading each field the plain
/// way (folding text on the spot) instead of through the compiled expression's precomputed keys. Slow and
/// obvious on purpose: tests hold the compiled delegate and every store to what it says, and
/// <see cref="CompiledCriteria.Explain"/> reports what it saw.
/// </summary>
/// <remarks>
/// Missing values: a condition on a field with no value (no phone, an unset custom field, no last engagement)
/// is false for every operator except <c>isEmpty</c>; the negative operators <c>!=</c>, <c>notContains</c>,
/// <c>notIn</c> and <c>isNotEmpty</c> are the exact complements of their positive forms, so they match it; and
/// <c>not</c> is plain negation. Two-valued logic throughout, in every store.
/// </remarks>
internal static class CriteriaInterpreter
{
    public static bool Evaluate(BoundNode node, Contact contact, DateTimeOffset now) => node switch
    {
        BoundGroup { Logic: CriteriaLogic.And } group => group.Items.All(i => Evaluate(i, contact, now)),
        BoundGroup group => group.Items.Any(i => Evaluate(i, contact, now)),
        BoundNot not => !Evaluate(not.Operand, contact, now),
        _ => Test((BoundCondition)node, contact, now),
    };

    public static bool Test(BoundCondition condition, Contact contact, DateTimeOffset now)
    {
        var result = Positive(condition, Read(condition.Field, contact), now);
        return condition.Negated ? !result : result;
    }

    /// <summary>
    /// Explains each condition. <paramref name="source"/> is the caller's tree, which has the bound tree's shape
    /// (equal canonical text) but its own positions.
    /// </summary>
    public static void Explain(BoundNode node, Criteria source, Contact contact, DateTimeOffset now, List<CriteriaConditionExplanation> into)
    {
        switch (node)
        {
            case BoundGroup group:
                var items = ((CriteriaGroup)source).Items;
                for (var i = 0; i < group.Items.Length; i++)
                {
                    Explain(group.Items[i], items[i], contact, now, into);
                }

                break;
            case BoundNot not:
                Explain(not.Operand, ((CriteriaNot)source).Operand, contact, now, into);
                break;
            case BoundCondition condition:
                var written = (CriteriaCondition)source;
                var text = new StringBuilder();
                CriteriaPrinter.WriteCondition(text, written);
                into.Add(new CriteriaConditionExplanation(
                    text.ToString(), condition.Field.Name, Test(condition, contact, now), Display(condition.Field, contact), written.Location));
                break;
        }
    }

    private static bool Positive(BoundCondition condition, object? value, DateTimeOffset now)
    {
        var values = condition.Values;
        if (condition.Operator == CriteriaOperator.IsEmpty)
        {
            return value is null || (value is string s && s.Length == 0) || (value is TagSet tags && tags.Count == 0);
        }

        if (value is null)
        {
            return false;
        }

        switch (condition.Field.Type)
        {
            case CriteriaFieldType.Text:
            case CriteriaFieldType.Choice:
                return condition.Operator switch
                {
                    CriteriaOperator.Equals => values[0].Equals(value),
                    CriteriaOperator.In => values.Contains(value),
                    CriteriaOperator.Contains => ((string)value).Contains((string)values[0], StringComparison.Ordinal),
                    CriteriaOperator.StartsWith => ((string)value).StartsWith((string)values[0], StringComparison.Ordinal),
                    _ => ((string)value).EndsWith((string)values[0], StringComparison.Ordinal),
                };
            case CriteriaFieldType.Tags:
                return ((TagSet)value).Contains((string)values[0]);
            case CriteriaFieldType.Boolean:
                return (bool)value == (bool)values[0];
            case CriteriaFieldType.Number:
                var number = (decimal)value;
                return condition.Operator switch
                {
                    CriteriaOperator.Equals => number == (decimal)values[0],
                    CriteriaOperator.GreaterThan => number > (decimal)values[0],
                    CriteriaOperator.GreaterThanOrEqual => number >= (decimal)values[0],
                    CriteriaOperator.LessThan => number < (decimal)values[0],
                    CriteriaOperator.LessThanOrEqual => number <= (decimal)values[0],
                    CriteriaOperator.Between => number >= (decimal)values[0] && number <= (decimal)values[1],
                    _ => values.Cast<decimal>().Contains(number),
                };
            case CriteriaFieldType.Date:
                var date = (DateOnly)value;
                var today = DateOnly.FromDateTime(now.UtcDateTime);
                return condition.Operator switch
                {
                    CriteriaOperator.Equals => date == (DateOnly)values[0],
                    CriteriaOperator.GreaterThan => date > (DateOnly)values[0],
                    CriteriaOperator.GreaterThanOrEqual => date >= (DateOnly)values[0],
                    CriteriaOperator.LessThan => date < (DateOnly)values[0],
                    CriteriaOperator.LessThanOrEqual => date <= (DateOnly)values[0],
                    CriteriaOperator.Between => date >= (DateOnly)values[0] && date <= (DateOnly)values[1],
                    CriteriaOperator.WithinLastDays => date.DayNumber >= (long)today.DayNumber - (int)values[0] && date <= today,
                    CriteriaOperator.MoreThanDaysAgo => date.DayNumber < (long)today.DayNumber - (int)values[0],
                    _ => values.Cast<DateOnly>().Contains(date),
                };
            default:
                var ticks = ((DateTimeOffset)value).UtcTicks;
                switch (condition.Operator)
                {
                    case CriteriaOperator.WithinLastDays:
                        return ticks >= now.UtcTicks - (TimeSpan.TicksPerDay * (int)values[0]) && ticks <= now.UtcTicks;
                    case CriteriaOperator.MoreThanDaysAgo:
                        return ticks < now.UtcTicks - (TimeSpan.TicksPerDay * (int)values[0]);
                    default:
                        var range = (TimeRange)values[0];
                        return (range.Lower is not { } lower || ticks >= lower.UtcTicks) && (range.Upper is not { } upper || ticks < upper.UtcTicks);
                }
        }
    }

    /// <summary>Reads a field the plain way: raw property, folded here. Choices as enum numbers, absent values as null.</summary>
    private static object? Read(CatalogField field, Contact contact) => field.Access switch
    {
        FieldAccess.FirstName => Fold(contact.FirstName),
        FieldAccess.LastName => Fold(contact.LastName),
        FieldAccess.Title => Fold(contact.Title),
        FieldAccess.Company => Fold(contact.Company),
        FieldAccess.Email => Fold(contact.Email?.Value),
        FieldAccess.Phone => Fold(contact.Phone?.Value),
        FieldAccess.Type => Fold(contact.Type?.Value),
        FieldAccess.TimeZone => Fold(contact.Preferences.TimeZone?.Value),
        FieldAccess.Social => Fold(contact.SocialProfiles.GetValueOrDefault(field.Key!)),
        FieldAccess.Status => (int)contact.Status,
        FieldAccess.Source => (int)contact.Source,
        FieldAccess.Frequency => contact.Preferences.Frequency is { } frequency ? (int)frequency : null,
        FieldAccess.Channel => !contact.Preferences.Channels.TryGetValue(Channel.Parse(field.Key), out var on) || on,
        FieldAccess.Tags => contact.Tags,
        FieldAccess.CreatedAt => contact.CreatedAt,
        FieldAccess.UpdatedAt => contact.UpdatedAt,
        FieldAccess.LastEngagementAt => contact.LastEngagementAt,
        FieldAccess.Custom => contact.CustomFields.GetValueOrDefault(field.Key!) switch
        {
            null => null,
            { Type: CustomFieldType.Text } v when field.Type == CriteriaFieldType.Text => Fold(v.TextValue),
            { Type: CustomFieldType.Number } v when field.Type == CriteriaFieldType.Number => v.NumberValue,
            { Type: CustomFieldType.Boolean } v when field.Type == CriteriaFieldType.Boolean => v.BooleanValue,
            { Type: CustomFieldType.Date } v when field.Type == CriteriaFieldType.Date => v.DateValue,
            _ => null,
        },
        _ => Fold(field.Extension!.Read(contact)),
    };

    /// <summary>The value as people read it (not folded), for explanations; null when empty.</summary>
    private static string? Display(CatalogField field, Contact contact) => field.Access switch
    {
        FieldAccess.FirstName => contact.FirstName,
        FieldAccess.LastName => contact.LastName,
        FieldAccess.Title => contact.Title,
        FieldAccess.Company => contact.Company,
        FieldAccess.Email => contact.Email?.Value,
        FieldAccess.Phone => contact.Phone?.Value,
        FieldAccess.Type => contact.Type?.Value,
        FieldAccess.TimeZone => contact.Preferences.TimeZone?.Value,
        FieldAccess.Social => contact.SocialProfiles.GetValueOrDefault(field.Key!),
        FieldAccess.Status or FieldAccess.Source or FieldAccess.Frequency => Read(field, contact) is int n
            ? field.Choices[Array.IndexOf(Enum.GetValues(field.EnumType!).Cast<int>().ToArray(), n)]
            : null,
        FieldAccess.Channel => (bool)Read(field, contact)! ? "true" : "false",
        FieldAccess.Tags => contact.Tags.Count == 0 ? null : "[" + string.Join(", ", contact.Tags.Select(CriteriaPrinter.Quote)) + "]",
        FieldAccess.CreatedAt or FieldAccess.UpdatedAt or FieldAccess.LastEngagementAt => Read(field, contact) is DateTimeOffset time
            ? time.ToString("yyyy-MM-dd'T'HH:mm:ss.FFFFFFFzzz", CultureInfo.InvariantCulture)
            : null,
        FieldAccess.Custom => contact.CustomFields.GetValueOrDefault(field.Key!)?.ToString(),
        _ => field.Extension!.Read(contact),
    };

    private static string? Fold(string? value) => value is null ? null : Text.Fold(value);
}
