namespace Datum.Contacts.Tests.Lists;

public sealed class ListGraphTests
{
    private static readonly TenantId Tenant = TenantId.Parse("acme");
    private static readonly DateTimeOffset Now = new(2026, 1, 2, 3, 4, 5, TimeSpan.Zero);
    private static int _next;

    private static ContactList Dynamic(string name, string criteria)
    {
        var id = new ListId(new Guid(Interlocked.Increment(ref _next), 0, 0, new byte[8]));
        var details = ListDetails.Validate(new ListDraft { Name = name, Kind = ListKind.Dynamic, Criteria = Criteria.Parse(criteria) }, new ContactManagementOptions());
        return ContactList.Create(Tenant, id, details, Now);
    }

    [Fact]
    public void Lists_are_ordered_after_the_lists_they_refer_to()
    {
        var c = Dynamic("C", "memberOf(\"b\") = \"active\"");
        var b = Dynamic("B", "memberOf(\"A\") = \"active\" and status = \"active\"");
        var a = Dynamic("A", "tags has \"x\"");
        var free = Dynamic("Free", "status = \"active\"");

        var ordered = ListGraph.Order([c, b, a, free]).Select(l => l.Name).ToList();

        Assert.True(ordered.IndexOf("A") < ordered.IndexOf("B"));
        Assert.True(ordered.IndexOf("B") < ordered.IndexOf("C"));
        Assert.Equal(4, ordered.Count);
    }

    [Fact]
    public void Dependents_include_lists_that_depend_through_others_but_not_unrelated_ones()
    {
        var a = Dynamic("A", "tags has \"x\"");
        var b = Dynamic("B", "memberOf(\"A\") = \"active\"");
        var c = Dynamic("C", "memberOf(\"B\") isNotEmpty");
        var other = Dynamic("Other", "memberOf(\"Static\") = \"active\"");

        var dependents = ListGraph.DependentsOf(ContactList.KeyOf("a"), ListGraph.Order([a, b, c, other]));

        Assert.Equal(["B", "C"], dependents.Select(l => l.Name));
    }

    [Fact]
    public void A_reference_back_to_the_list_is_found_as_a_cycle_with_its_path()
    {
        var a = Dynamic("A", "memberOf(\"B\") = \"active\"");
        var b = Dynamic("B", "memberOf(\"C\") = \"active\"");
        var c = Dynamic("C", "status = \"active\"");

        var cycle = ListGraph.FindCycle(c.NameKey, "C", [ContactList.KeyOf("A")], [a, b, c]);
        var none = ListGraph.FindCycle(c.NameKey, "C", [ContactList.KeyOf("Static")], [a, b, c]);

        Assert.Equal(["C", "A", "B", "C"], cycle);
        Assert.Null(none);
    }

    [Fact]
    public void The_lists_a_criteria_names_are_found_anywhere_in_it_with_their_positions()
    {
        var criteria = Criteria.Parse("status = \"active\" and not (memberOf(\"VIP\") = \"active\" or memberOf(\"Press\") isEmpty)");

        var references = MemberOfCriteriaExtension.References(criteria).ToList();

        Assert.Equal(["VIP", "Press"], references.Select(r => r.Name));
        Assert.Equal([ContactList.KeyOf("vip"), ContactList.KeyOf("press")], references.Select(r => r.Key));
        Assert.All(references, r => Assert.NotNull(r.Location));
    }

    [Fact]
    public void Evaluating_memberOf_without_memberships_says_how_to_evaluate_it()
    {
        var compiled = new CriteriaCompiler(extensions: [new MemberOfCriteriaExtension()]).Compile(Criteria.Parse("memberOf(\"VIP\") = \"active\""), CustomFieldSchema.Empty);
        var contact = Contact.Create(Tenant, new ContactId(Guid.CreateVersion7()), ContactDetails.Validate(new ContactDraft { FirstName = "Ada", Email = "ada@example.com" }, CustomFieldSchema.Empty, new ContactManagementOptions()), ContactSource.Manual, Now);

        var error = Assert.Throws<InvalidOperationException>(() => compiled.Matches(contact));

        Assert.Contains("IContactService.SearchAsync", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Time_ordered_ids_increase_strictly_even_when_the_clock_stands_still()
    {
        var ids = Enumerable.Range(0, 10_000).Select(_ => TimeOrderedGuid.Next(Now)).ToList();

        for (var i = 1; i < ids.Count; i++)
        {
            Assert.True(ids[i - 1].CompareTo(ids[i]) < 0);
            Assert.True(string.CompareOrdinal(ids[i - 1].ToString("D"), ids[i].ToString("D")) < 0);
        }

        Assert.Equal(7, ids[0].Version);
        // The first 48 bits are the time in milliseconds: never before the clock's time.
        Assert.True(Convert.ToInt64(ids[0].ToString("N")[..12], 16) >= Now.ToUnixTimeMilliseconds());
    }
}
