using System.Linq.Expressions;
using System.Reflection;

namespace Datum.Contacts;

/// <summary>Where <c>consent.&lt;channel&gt;</c> reads a contact's channel-wide consent while a criteria is evaluated in memory.</summary>
internal interface IConsentStateSource
{
    /// <summary>The state of the contact's consent for the channel (not scoped to a list); <see cref="ConsentState.None"/> when it has none.</summary>
    ConsentState StateOf(ContactId contact, string channel);
}

/// <summary>
/// The <c>consent.&lt;channel&gt;</c> criteria field: the state of a contact's channel-wide consent, one of <c>none</c>,
/// <c>pending</c>, <c>granted</c>, <c>withdrawn</c> (never empty: no consent reads <c>none</c>). Whoever evaluates a
/// criteria in memory supplies the consents for the duration of the evaluation (<see cref="Use"/>); SQL stores
/// translate <see cref="StateOfMethod"/> into a lookup of the consent table.
/// </summary>
internal sealed class ConsentCriteriaExtension : ICriteriaExtension
{
    /// <summary>The choices, indexed by <see cref="ConsentState"/> minus one.</summary>
    internal static readonly string[] Choices = ["none", "pending", "granted", "withdrawn"];

    [ThreadStatic]
    private static IConsentStateSource? t_source;

    /// <summary><see cref="StateOf"/>, which SQL stores recognize in the criteria expression.</summary>
    internal static readonly MethodInfo StateOfMethod = typeof(ConsentCriteriaExtension).GetMethod(nameof(StateOf), BindingFlags.Static | BindingFlags.NonPublic)!;

    public string Prefix => "consent";

    public CriteriaExtensionField? Resolve(CriteriaField field)
    {
        var dot = field.Path.IndexOf('.', StringComparison.Ordinal);
        if (field.Argument is not null || dot < 0 || !Channel.TryParse(field.Path[(dot + 1)..], out var channel, out _))
        {
            return null;
        }

        var contact = Expression.Parameter(typeof(Contact), "contact");
        var read = Expression.Lambda<Func<Contact, string?>>(Expression.Call(StateOfMethod, contact, Expression.Constant(channel.Value)), contact);
        return new CriteriaExtensionField(Choices, read);
    }

    /// <summary>The state of a contact's channel-wide consent, as the criteria language spells it.</summary>
    internal static string StateOf(Contact contact, string channel)
    {
        var source = t_source ?? throw new InvalidOperationException(
            "consent.<channel> needs the tenant's consents: evaluate this criteria through a store (IContactService.SearchAsync, CountAsync) "
            + "or the list service, not with CompiledCriteria.Matches on its own.");
        return Name(source.StateOf(contact.Id, channel));
    }

    /// <summary>The criteria spelling of a state.</summary>
    internal static string Name(ConsentState state) => Choices[Math.Clamp((int)state, 1, 4) - 1];

    /// <summary>Makes <paramref name="source"/> answer <c>consent.&lt;channel&gt;</c> on this thread until the scope is disposed.</summary>
    internal static Scope Use(IConsentStateSource source)
    {
        var previous = t_source;
        t_source = source;
        return new Scope(previous);
    }

    /// <summary>Whether a criteria reads consents anywhere.</summary>
    internal static bool IsUsedBy(Criteria criteria)
    {
        var pending = new Stack<Criteria>();
        pending.Push(criteria);
        while (pending.TryPop(out var node))
        {
            switch (node)
            {
                case CriteriaGroup group:
                    foreach (var item in group.Items)
                    {
                        pending.Push(item);
                    }

                    break;
                case CriteriaNot not:
                    pending.Push(not.Operand);
                    break;
                case CriteriaCondition { Field.Argument: null } condition when condition.Field.Path.StartsWith("consent.", StringComparison.Ordinal):
                    return true;
            }
        }

        return false;
    }

    /// <summary>Restores the previous source when disposed.</summary>
    internal readonly struct Scope(IConsentStateSource? previous) : IDisposable
    {
        public void Dispose() => t_source = previous;
    }
}
