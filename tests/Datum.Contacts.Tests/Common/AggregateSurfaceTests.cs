using System.Reflection;
using Xunit;

namespace Datum.Contacts.Tests.Common;

/// <summary>
/// A host changes aggregates only through the services, which store what they change: an aggregate it gets back exposes
/// reads, never a factory or a mutator whose change would be lost (or, worse, look stored).
/// </summary>
public sealed class AggregateSurfaceTests
{
    /// <summary>The aggregates and the public methods (besides property getters) each may expose: reads only.</summary>
    public static TheoryData<Type, string[]> Aggregates => new()
    {
        { typeof(Contact), [] },
        { typeof(ContactList), [nameof(ContactList.KeyOf)] },
        { typeof(ListMembership), [] },
        { typeof(Consent), [] },
    };

    /// <summary>An aggregate exposes no public factory, mutator or other method outside its allow-list of reads.</summary>
    /// <param name="aggregate">The aggregate type.</param>
    /// <param name="allowed">The public methods it may expose.</param>
    [Theory]
    [MemberData(nameof(Aggregates))]
    public void An_aggregate_exposes_no_public_method_that_changes_it(Type aggregate, string[] allowed)
    {
        var objectMethods = typeof(object).GetMethods().Select(m => m.Name).ToHashSet(StringComparer.Ordinal);

        var exposed = aggregate
            .GetMethods(BindingFlags.Public | BindingFlags.Instance | BindingFlags.Static | BindingFlags.DeclaredOnly)
            .Where(m => !m.IsSpecialName || !m.Name.StartsWith("get_", StringComparison.Ordinal))
            .Select(m => m.Name)
            .Where(name => !objectMethods.Contains(name))
            .Distinct(StringComparer.Ordinal)
            .Order(StringComparer.Ordinal);

        Assert.Equal(allowed.Order(StringComparer.Ordinal), exposed);
    }

    /// <summary>An aggregate has no public constructor and no public or init setter: it is made and changed by the services only.</summary>
    /// <param name="aggregate">The aggregate type.</param>
    /// <param name="allowed">Unused here.</param>
    [Theory]
    [MemberData(nameof(Aggregates))]
    public void An_aggregate_has_no_public_constructor_or_setter(Type aggregate, string[] allowed)
    {
        _ = allowed;

        var setters = aggregate.GetProperties(BindingFlags.Public | BindingFlags.Instance | BindingFlags.Static)
            .Where(p => p.SetMethod is { IsPublic: true })
            .Select(p => p.Name);

        Assert.Empty(aggregate.GetConstructors(BindingFlags.Public | BindingFlags.Instance));
        Assert.Empty(setters);
    }
}
