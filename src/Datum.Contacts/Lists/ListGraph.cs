using System.Runtime.CompilerServices;

namespace Datum.Contacts;

/// <summary>How dynamic lists refer to each other through <c>memberOf("...")</c>: evaluation order, dependents and cycles.</summary>
internal static class ListGraph
{
    // Criteria are immutable and shared by every copy of a list read from memory: remember what each refers to.
    private static readonly ConditionalWeakTable<Criteria, string[]> Keys = [];

    /// <summary>The name keys of the lists a dynamic list's criteria refers to.</summary>
    public static string[] ReferencedKeys(ContactList list)
        => list.Criteria is null
            ? []
            : Keys.GetValue(list.Criteria, c => [.. MemberOfCriteriaExtension.References(c).Select(r => r.Key).Distinct(StringComparer.Ordinal)]);

    // A store may hand the same read-only dynamic lists to every unit of work: order each such set once.
    private static readonly ConditionalWeakTable<IReadOnlyList<ContactList>, IReadOnlyList<ContactList>> Orders = [];

    private static readonly ConditionalWeakTable<IReadOnlyList<ContactList>, ListKeys> KeySets = [];

    /// <summary>The lists' name keys with their ids, and the keys their criteria refer to that none of them has; computed once per set.</summary>
    public static ListKeys KeysOf(IReadOnlyList<ContactList> lists) => KeySets.GetValue(lists, static lists =>
    {
        var ids = new Dictionary<string, ListId>(lists.Count, StringComparer.Ordinal);
        foreach (var list in lists)
        {
            ids[list.NameKey] = list.Id;
        }

        return new ListKeys(
            ids,
            [.. lists.SelectMany(ReferencedKeys).Distinct(StringComparer.Ordinal).Where(k => !ids.ContainsKey(k))],
            new(StringComparer.Ordinal),
            lists.Any(l => l.Criteria is { } criteria && ConsentCriteriaExtension.IsUsedBy(criteria)));
    });

    /// <summary>Orders lists so that each comes after the lists it refers to (ties in id order). The input must not change afterwards.</summary>
    public static IReadOnlyList<ContactList> Order(IReadOnlyList<ContactList> lists)
        => Orders.TryGetValue(lists, out var ordered) ? ordered
            : lists.All(l => ReferencedKeys(l).Length == 0) ? lists
            : Orders.GetValue(lists, OrderOnce);

    private static IReadOnlyList<ContactList> OrderOnce(IReadOnlyList<ContactList> lists)
    {

        var byKey = lists.ToDictionary(l => l.NameKey, StringComparer.Ordinal);
        var ordered = new List<ContactList>(lists.Count);
        var state = new Dictionary<ListId, bool>();
        foreach (var list in lists.OrderBy(l => l.Id))
        {
            Visit(list);
        }

        return ordered;

        void Visit(ContactList list)
        {
            if (state.TryGetValue(list.Id, out var done))
            {
                // done: already placed; not done: a cycle, which saving refuses; keep going rather than loop.
                return;
            }

            state[list.Id] = false;
            foreach (var key in ReferencedKeys(list))
            {
                if (byKey.TryGetValue(key, out var dependency))
                {
                    Visit(dependency);
                }
            }

            state[list.Id] = true;
            ordered.Add(list);
        }
    }

    /// <summary>The dynamic lists that depend on the list with this key, directly or through others, in evaluation order.</summary>
    public static IReadOnlyList<ContactList> DependentsOf(string key, IReadOnlyList<ContactList> orderedDynamicLists)
    {
        var affected = new HashSet<string>(StringComparer.Ordinal) { key };
        var result = new List<ContactList>();
        foreach (var list in orderedDynamicLists)
        {
            if (ReferencedKeys(list).Any(affected.Contains))
            {
                result.Add(list);
                affected.Add(list.NameKey);
            }
        }

        return result;
    }

    /// <summary>
    /// The cycle a list with these references would close among the tenant's dynamic lists, as list names from the
    /// list back to itself; null when there is none.
    /// </summary>
    public static IReadOnlyList<string>? FindCycle(string key, string name, IReadOnlyCollection<string> references, IReadOnlyList<ContactList> dynamicLists)
    {
        var byKey = dynamicLists.Where(l => l.NameKey != key).ToDictionary(l => l.NameKey, StringComparer.Ordinal);
        var path = new List<string> { name };
        var seen = new HashSet<string>(StringComparer.Ordinal);
        return Walk(references) ? path : null;

        bool Walk(IEnumerable<string> keys)
        {
            foreach (var next in keys)
            {
                if (next == key)
                {
                    path.Add(name);
                    return true;
                }

                if (!byKey.TryGetValue(next, out var list) || !seen.Add(next))
                {
                    continue;
                }

                path.Add(list.Name);
                if (Walk(ReferencedKeys(list)))
                {
                    return true;
                }

                path.RemoveAt(path.Count - 1);
            }

            return false;
        }
    }
}

/// <summary>A set of lists' name keys (see <see cref="ListGraph.KeysOf"/>).</summary>
/// <param name="Ids">Each list's name key and id.</param>
/// <param name="Referenced">The keys the lists' criteria refer to that are not among them.</param>
/// <param name="Resolved">
/// The ids of those lists, as found. A list another list's criteria refers to can be neither renamed nor deleted, so
/// the ids stay right for as long as this set of lists is current.
/// </param>
/// <param name="ReadConsents">Whether any of the lists' criteria reads <c>consent.&lt;channel&gt;</c>.</param>
internal sealed record ListKeys(IReadOnlyDictionary<string, ListId> Ids, string[] Referenced, System.Collections.Concurrent.ConcurrentDictionary<string, ListId> Resolved, bool ReadConsents);
