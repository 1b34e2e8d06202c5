using System.Linq.Expressions;
using System.Reflection;

namespace Datum.Contacts;

/// <summary>Where <c>memberOf("list")</c> reads a contact's status on a list while a criteria is evaluated in memory.</summary>
internal interface IMembershipStatusSource
{
    /// <summary>The contact's status on the list with this name key; null when it has no membership (or there is no such list).</summary>
    MembershipStatus? StatusOf(ContactId contact, string listKey);
}

/// <summary>
/// The <c>memberOf("list name")</c> criteria field: a contact's membership status on a list of the same tenant
/// (<c>active</c>, <c>pending</c>, <c>unsubscribed</c>, or empty when not on it). The field reads the list by its
/// case-folded name, so one compiled criteria serves every tenant; whoever evaluates it in memory supplies the
/// memberships for the duration of the evaluation (<see cref="Use"/>), and SQL stores translate
/// <see cref="StatusOfMethod"/> into a lookup of the membership table.
/// </summary>
internal sealed class MemberOfCriteriaExtension : ICriteriaExtension
{
    private static readonly string[] Choices = ["active", "pending", "unsubscribed"];

    [ThreadStatic]
    private static IMembershipStatusSource? t_source;

    /// <summary><see cref="StatusOf"/>, which SQL stores recognize in the criteria expression.</summary>
    internal static readonly MethodInfo StatusOfMethod = typeof(MemberOfCriteriaExtension).GetMethod(nameof(StatusOf), BindingFlags.Static | BindingFlags.NonPublic)!;

    public string Prefix => CriteriaField.MemberOfName;

    public CriteriaExtensionField? Resolve(CriteriaField field)
    {
        if (field.Argument is not { } name || string.IsNullOrWhiteSpace(name))
        {
            return null;
        }

        var contact = Expression.Parameter(typeof(Contact), "contact");
        var read = Expression.Lambda<Func<Contact, string?>>(
            Expression.Call(StatusOfMethod, contact, Expression.Constant(ContactList.KeyOf(name))), contact);
        return new CriteriaExtensionField(Choices, read);
    }

    /// <summary>The status of a contact on the list with this name key, as the criteria language spells it.</summary>
    internal static string? StatusOf(Contact contact, string listKey)
    {
        var source = t_source ?? throw new InvalidOperationException(
            "memberOf(...) needs the tenant's list memberships: evaluate this criteria through a store (IContactService.SearchAsync, CountAsync) "
            + "or the list service, not with CompiledCriteria.Matches on its own.");
        return Name(source.StatusOf(contact.Id, listKey));
    }

    /// <summary>The criteria spelling of a status.</summary>
    internal static string? Name(MembershipStatus? status) => status switch
    {
        MembershipStatus.Active => "active",
        MembershipStatus.Pending => "pending",
        MembershipStatus.Unsubscribed => "unsubscribed",
        _ => null,
    };

    /// <summary>Makes <paramref name="source"/> answer <c>memberOf</c> on this thread until the scope is disposed.</summary>
    internal static Scope Use(IMembershipStatusSource source)
    {
        var previous = t_source;
        t_source = source;
        return new Scope(previous);
    }

    /// <summary>The <c>memberOf</c> fields of a criteria: each list name, its key and where it appears.</summary>
    internal static IEnumerable<(string Name, string Key, CriteriaLocation? Location)> References(Criteria criteria)
    {
        var pending = new Stack<Criteria>();
        pending.Push(criteria);
        while (pending.TryPop(out var node))
        {
            switch (node)
            {
                case CriteriaGroup group:
                    for (var i = group.Items.Count - 1; i >= 0; i--)
                    {
                        pending.Push(group.Items[i]);
                    }

                    break;
                case CriteriaNot not:
                    pending.Push(not.Operand);
                    break;
                case CriteriaCondition { Field.Argument: { } name } condition:
                    yield return (name, ContactList.KeyOf(name), condition.Location);
                    break;
            }
        }
    }

    /// <summary>Restores the previous source when disposed.</summary>
    internal readonly struct Scope(IMembershipStatusSource? previous) : IDisposable
    {
        public void Dispose() => t_source = previous;
    }
}
