using FsCheck;
using FsCheck.Fluent;
using FsCheck.Xunit;
using Xunit;

namespace Datum.Contacts.Specification.Tests;

/// <summary>
/// Lists under random operations (FsCheck), over two tenants that use the same list names: after any sequence of
/// contact creates, updates and deletes and list operations, every dynamic list's active members are exactly the
/// contacts its criteria matches minus those who unsubscribed from it, every static list holds what was added and not
/// removed, every member count is the real number of active members, and no membership crosses tenants.
/// </summary>
/// <remarks>
/// Which contacts match is computed here from a model of the three fields the criteria use (company, status, tags)
/// and of the memberships, never with the library's evaluator. 100 cases; an adapter over a slow store may set fewer
/// with <c>[Properties(MaxTest = 30)]</c> on its subclass.
/// </remarks>
[Properties(MaxTest = 100)]
public abstract class ListPropertySpecification : ContactManagementSpecification
{
    private const int StaticLists = 2;

    private static readonly string?[] Companies = ["Acme", "Globex", null];
    private static readonly string[][] TagSets = [[], ["vip"], ["beta"], ["vip", "beta"]];

    /// <summary>The criteria dynamic lists may take, each with what it means in the model.</summary>
    private static readonly (string Text, Func<TenantModel, ModelContact, bool> Matches)[] CriteriaPool =
    [
        ("company = \"Acme\"", (_, c) => c.Company == "Acme"),
        ("tags has \"VIP\"", (_, c) => c.Tags.Contains("vip")),
        ("status = \"active\" and not tags has \"beta\"", (_, c) => c.Status == ContactStatus.Active && !c.Tags.Contains("beta")),
        ("company = \"Globex\" or tags has \"beta\"", (_, c) => c.Company == "Globex" || c.Tags.Contains("beta")),
        ("memberOf(\"Static-0\") = \"active\" and status = \"active\"", (m, c) => m.StaticStatus(0, c.Id) == MembershipStatus.Active && c.Status == ContactStatus.Active),
        ("memberOf(\"Base\") = \"active\" and tags has \"vip\"", (m, c) => m.IsActiveOnBase(c) && c.Tags.Contains("vip")),
        ("memberOf(\"static-1\") isEmpty and not company = \"Acme\"", (m, c) => m.StaticStatus(1, c.Id) is null && c.Company != "Acme"),
    ];

    /// <summary>Random contact and list operations in two tenants always leave every list exactly as the model says.</summary>
    /// <returns>The property.</returns>
    [Property]
    public Property Lists_stay_equal_to_their_definition_under_random_operations()
    {
        var operation =
            from kind in Gen.Choose(0, 11)
            from tenant in Gen.Choose(0, 1)
            from target in Gen.Choose(0, 1_000)
            from list in Gen.Choose(0, 1_000)
            from company in Gen.Choose(0, Companies.Length - 1)
            from tags in Gen.Choose(0, TagSets.Length - 1)
            from active in Gen.Elements(true, false)
            from criteria in Gen.Choose(0, CriteriaPool.Length - 1)
            from foreign in Gen.Frequency((9, Gen.Constant(false)), (1, Gen.Constant(true)))
            select new Operation(kind, tenant, target, list, company, tags, active, criteria, foreign);
        var scenarios =
            from first in Gen.Choose(0, CriteriaPool.Length - 1)
            from second in Gen.Choose(0, CriteriaPool.Length - 1)
            from ops in Gen.ArrayOf(operation)
            select new Scenario([first, second], [.. ops.Take(30)]);

        return Prop.ForAll(scenarios.ToArbitrary(), scenario => Run(scenario).GetAwaiter().GetResult());
    }

    private async Task Run(Scenario scenario)
    {
        var ops = scenario.Operations;
        TenantModel[] tenants = [new(NewTenant()), new(NewTenant())];
        foreach (var model in tenants)
        {
            for (var i = 0; i < StaticLists; i++)
            {
                model.Lists.Add(new ModelList((await Lists.CreateAsync(model.Tenant, new ListDraft { Name = $"Static-{i}" }, Admin)).Id, null));
            }

            var baseList = await Lists.CreateAsync(model.Tenant, new ListDraft { Name = "Base", Kind = ListKind.Dynamic, Criteria = Criteria.Parse(CriteriaPool[0].Text) }, Admin);
            model.Lists.Add(new ModelList(baseList.Id, 0));

            // Two dynamic lists from the start, kept current by every later change rather than filled when created.
            foreach (var criteria in scenario.InitialCriteria)
            {
                var dynamic = await Lists.CreateAsync(model.Tenant, new ListDraft { Name = $"Dynamic-{model.Lists.Count}", Kind = ListKind.Dynamic, Criteria = Criteria.Parse(CriteriaPool[criteria].Text) }, Admin);
                model.Lists.Add(new ModelList(dynamic.Id, criteria));
            }
        }

        foreach (var op in ops)
        {
            await ApplyAsync(tenants[op.Tenant], tenants[1 - op.Tenant], op);
        }

        foreach (var model in tenants)
        {
            await CheckAsync(model, tenants.Single(t => t != model));
        }
    }

    private async Task ApplyAsync(TenantModel model, TenantModel other, Operation op)
    {
        var tenant = model.Tenant;
        var contact = model.Contacts.Count == 0 ? null : model.Contacts.Values.ElementAt(op.Target % model.Contacts.Count);
        var list = model.Lists[op.List % model.Lists.Count];
        var foreignContact = other.Contacts.Count == 0 ? (ContactId?)null : other.Contacts.Keys.ElementAt(op.Target % other.Contacts.Count);
        switch (op.Kind)
        {
            case 0:
            case 1:
                var created = await Contacts.CreateAsync(tenant, new ContactDraft
                {
                    FirstName = "P",
                    Email = $"p.{Guid.NewGuid():N}@example.com",
                    Company = Companies[op.Company],
                    Tags = TagSets[op.Tags],
                    Status = op.Active ? ContactStatus.Active : ContactStatus.Inactive,
                }, Admin);
                model.Contacts[created.Id] = new ModelContact(created.Id, Companies[op.Company], op.Active ? ContactStatus.Active : ContactStatus.Inactive, TagSets[op.Tags]);
                break;
            case 2:
                if (contact is null)
                {
                    break;
                }

                await Contacts.PatchAsync(tenant, contact.Id, new ContactPatch { Company = Companies[op.Company], Tags = TagSets[op.Tags], Status = op.Active ? ContactStatus.Active : ContactStatus.Inactive }, null, Admin);
                model.Contacts[contact.Id] = contact with { Company = Companies[op.Company], Tags = TagSets[op.Tags], Status = op.Active ? ContactStatus.Active : ContactStatus.Inactive };
                break;
            case 3:
                if (contact is null)
                {
                    break;
                }

                await Contacts.DeleteAsync(tenant, contact.Id, null, Admin);
                model.Contacts.Remove(contact.Id);
                model.Forget(contact.Id);
                break;
            case 4:
            case 5:
                if (op.Foreign && foreignContact is { } stranger && list.Criteria is null)
                {
                    await Assert.ThrowsAsync<EntityNotFoundException>(() => Lists.AddMembersAsync(tenant, list.Id, [stranger], MembershipSource.Manual, Admin));
                    break;
                }

                if (contact is null)
                {
                    break;
                }

                var picked = model.Contacts.Keys.Where((_, i) => i % 3 == op.Target % 3).Append(contact.Id).Distinct().ToList();
                if (list.Criteria is not null)
                {
                    var refused = await Assert.ThrowsAsync<ListOperationException>(() => Lists.AddMembersAsync(tenant, list.Id, picked, MembershipSource.Manual, Admin));
                    Assert.Equal(ListOperationException.DynamicListMembersCode, refused.Code);
                    break;
                }

                var added = await Lists.AddMembersAsync(tenant, list.Id, picked, MembershipSource.Manual, Admin);
                var members = model.StaticOf(list);
                Assert.Equal(picked.Count(id => !members.ContainsKey(id)), added.Changed);
                foreach (var id in picked)
                {
                    members.TryAdd(id, MembershipStatus.Active);
                }

                break;
            case 6:
                if (contact is null || list.Criteria is not null)
                {
                    break;
                }

                var removed = await Lists.RemoveMembersAsync(tenant, list.Id, [contact.Id], Admin);
                var current = model.StaticOf(list);
                var wasActive = current.TryGetValue(contact.Id, out var status) && status == MembershipStatus.Active;
                Assert.Equal(wasActive ? 1 : 0, removed.Changed);
                if (wasActive)
                {
                    current.Remove(contact.Id);
                }

                break;
            case 7:
                if (op.Foreign)
                {
                    var otherList = other.Lists[op.List % other.Lists.Count];
                    await Assert.ThrowsAsync<EntityNotFoundException>(() => Lists.UnsubscribeAsync(tenant, otherList.Id, contact?.Id ?? ContactId.New(Clock), Admin));
                    break;
                }

                if (contact is null)
                {
                    break;
                }

                if (model.HasMembership(list, contact))
                {
                    var membership = await Lists.UnsubscribeAsync(tenant, list.Id, contact.Id, Admin);
                    Assert.Equal(MembershipStatus.Unsubscribed, membership.Status);
                    model.Unsubscribe(list, contact.Id);
                }
                else
                {
                    var notMember = await Assert.ThrowsAsync<ListOperationException>(() => Lists.UnsubscribeAsync(tenant, list.Id, contact.Id, Admin));
                    Assert.Equal(ListOperationException.NotAMemberCode, notMember.Code);
                }

                break;
            case 8:
                if (contact is null)
                {
                    break;
                }

                if (model.HasMembership(list, contact))
                {
                    var membership = await Lists.ResubscribeAsync(tenant, list.Id, contact.Id, Admin);
                    model.Resubscribe(list, contact.Id);
                    Assert.Equal(model.HasMembership(list, contact) ? MembershipStatus.Active : null, membership?.Status);
                }
                else
                {
                    await Assert.ThrowsAsync<ListOperationException>(() => Lists.ResubscribeAsync(tenant, list.Id, contact.Id, Admin));
                }

                break;
            case 9:
                if (model.Lists.Count >= 9)
                {
                    break;
                }

                var name = $"Dynamic-{model.Lists.Count}";
                var dynamic = await Lists.CreateAsync(tenant, new ListDraft { Name = name, Kind = ListKind.Dynamic, Criteria = Criteria.Parse(CriteriaPool[op.Criteria].Text) }, Admin);
                model.Lists.Add(new ModelList(dynamic.Id, op.Criteria));
                Assert.Equal(model.Contacts.Values.Count(c => CriteriaPool[op.Criteria].Matches(model, c)), dynamic.MemberCount);
                break;
            case 10:
                var index = model.Lists.FindIndex(l => l.Id == list.Id);
                if (list.Criteria is null || index == StaticLists)
                {
                    // Static lists have no criteria; Base keeps its own, which other criteria rely on.
                    break;
                }

                var read = await Lists.GetAsync(tenant, list.Id);
                await Lists.UpdateAsync(tenant, list.Id, new ListDraft { Name = read.Name, Kind = ListKind.Dynamic, Criteria = Criteria.Parse(CriteriaPool[op.Criteria].Text) }, null, Admin);
                model.Lists[index] = list with { Criteria = op.Criteria };
                break;
            default:
                if (list.Criteria is null)
                {
                    break;
                }

                // Incremental maintenance keeps every dynamic list current, so a refresh finds nothing to do.
                Assert.Equal(new ListRefreshResult(0, 0), await Lists.RefreshAsync(tenant, list.Id, Admin));
                break;
        }
    }

    private async Task CheckAsync(TenantModel model, TenantModel other)
    {
        var tenant = model.Tenant;
        var stored = await AllListsAsync(tenant);
        Assert.Equal(model.Lists.Select(l => l.Id), stored.Select(l => l.Id));
        foreach (var list in model.Lists)
        {
            var members = await AllMembersAsync(tenant, list.Id);
            Assert.All(members, m => Assert.Equal(tenant, m.Membership.Tenant));
            Assert.All(members, m => Assert.Equal(tenant, m.Contact.Tenant));
            Assert.All(members, m => Assert.True(model.Contacts.ContainsKey(m.Contact.Id)));
            var active = members.Where(m => m.Membership.Status == MembershipStatus.Active).Select(m => m.Contact.Id).Order().ToList();
            var unsubscribed = members.Where(m => m.Membership.Status == MembershipStatus.Unsubscribed).Select(m => m.Contact.Id).Order().ToList();

            Assert.Equal(model.ActiveMembers(list).Order(), active);
            Assert.Equal(model.UnsubscribedMembers(list).Order(), unsubscribed);
            Assert.Equal(active.Count, (await Lists.GetAsync(tenant, list.Id)).MemberCount);
            Assert.Equal(members.Count, active.Count + unsubscribed.Count);
        }

        foreach (var id in model.Contacts.Keys)
        {
            var memberships = await Lists.GetMembershipsAsync(tenant, id);
            Assert.All(memberships, m => Assert.Equal(tenant, m.Tenant));
            Assert.All(memberships, m => Assert.Contains(model.Lists, l => l.Id == m.ListId));
            Assert.Empty(await Lists.GetMembershipsAsync(other.Tenant, id));
        }
    }

    private sealed record Scenario(int[] InitialCriteria, Operation[] Operations);

    private sealed record Operation(int Kind, int Tenant, int Target, int List, int Company, int Tags, bool Active, int Criteria, bool Foreign);

    private sealed record ModelContact(ContactId Id, string? Company, ContactStatus Status, string[] Tags);

    /// <summary>A list of the model: static when <paramref name="Criteria"/> is null, else the index of its criteria in the pool.</summary>
    private sealed record ModelList(ListId Id, int? Criteria);

    private sealed class TenantModel(TenantId tenant)
    {
        public TenantId Tenant { get; } = tenant;

        public Dictionary<ContactId, ModelContact> Contacts { get; } = [];

        /// <summary>Static lists first (Static-0, Static-1), then Base, then the dynamic lists created.</summary>
        public List<ModelList> Lists { get; } = [];

        /// <summary>Each static list's memberships (active or unsubscribed).</summary>
        public Dictionary<ListId, Dictionary<ContactId, MembershipStatus>> Static { get; } = [];

        /// <summary>Who unsubscribed from each dynamic list (and is kept out while unsubscribed).</summary>
        public Dictionary<ListId, HashSet<ContactId>> Unsubscribed { get; } = [];

        public MembershipStatus? StaticStatus(int index, ContactId contact)
            => StaticOf(Lists[index]).TryGetValue(contact, out var status) ? status : null;

        public bool IsActiveOnBase(ModelContact contact)
            => CriteriaPool[0].Matches(this, contact) && !UnsubscribedOf(Lists[StaticLists]).Contains(contact.Id);

        public bool HasMembership(ModelList list, ModelContact contact)
            => list.Criteria is null
                ? StaticOf(list).ContainsKey(contact.Id)
                : UnsubscribedOf(list).Contains(contact.Id) || CriteriaPool[list.Criteria.Value].Matches(this, contact);

        public void Unsubscribe(ModelList list, ContactId contact)
        {
            if (list.Criteria is null)
            {
                StaticOf(list)[contact] = MembershipStatus.Unsubscribed;
            }
            else
            {
                UnsubscribedOf(list).Add(contact);
            }
        }

        public void Resubscribe(ModelList list, ContactId contact)
        {
            if (list.Criteria is null)
            {
                StaticOf(list)[contact] = MembershipStatus.Active;
            }
            else
            {
                UnsubscribedOf(list).Remove(contact);
            }
        }

        public void Forget(ContactId contact)
        {
            foreach (var members in Static.Values)
            {
                members.Remove(contact);
            }

            foreach (var unsubscribed in Unsubscribed.Values)
            {
                unsubscribed.Remove(contact);
            }
        }

        public IEnumerable<ContactId> ActiveMembers(ModelList list)
            => list.Criteria is null
                ? StaticOf(list).Where(p => p.Value == MembershipStatus.Active).Select(p => p.Key)
                : Contacts.Values.Where(c => CriteriaPool[list.Criteria.Value].Matches(this, c) && !UnsubscribedOf(list).Contains(c.Id)).Select(c => c.Id);

        public IEnumerable<ContactId> UnsubscribedMembers(ModelList list)
            => list.Criteria is null
                ? StaticOf(list).Where(p => p.Value == MembershipStatus.Unsubscribed).Select(p => p.Key)
                : UnsubscribedOf(list);

        public Dictionary<ContactId, MembershipStatus> StaticOf(ModelList list)
            => Static.TryGetValue(list.Id, out var members) ? members : Static[list.Id] = [];

        private HashSet<ContactId> UnsubscribedOf(ModelList list)
            => Unsubscribed.TryGetValue(list.Id, out var members) ? members : Unsubscribed[list.Id] = [];
    }
}
