using Datum.Contacts.Specification.Tests;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Xunit;

namespace Datum.Contacts.EntityFrameworkCore.Tests;

/// <summary>
/// Optimistic concurrency under real parallel connections: eight units of work load the same version of one
/// contact, wait for each other, then change it and commit at once, each on a context and connection of its own.
/// Exactly one commit is based on the version it read; the others get a conflict and write nothing: no mixed
/// fields, no stray child rows, no audit entry.
/// </summary>
/// <remarks>
/// The conformance suite's <see cref="ConcurrencySpecification"/> runs two units of work one after the other and
/// eight service calls whose loads and commits may not overlap; here the commits are made to overlap.
/// </remarks>
public abstract class ConcurrentCommitTests : ContactManagementSpecification
{
    private const int Writers = 8;
    private const int Rounds = 2;
    private static readonly TimeSpan Patience = TimeSpan.FromSeconds(60);

    protected abstract TestDatabase Database { get; }

    protected override void UseStore(ContactManagementBuilder builder) => Database.Use(builder);

    /// <summary>What every writer's change does to the contact's child rows, one case each.</summary>
    public static TheoryData<string> ChildRowChanges => ["same rows", "more tag rows", "fewer tag rows", "new profile row"];

    /// <summary>
    /// Round after round, eight writers commit a change of the same loaded version together: each either commits or
    /// gets <see cref="ConcurrencyConflictException"/> naming the contact and both versions, exactly one commits, the
    /// contact holds exactly that writer's change (every field and its child rows), its version advanced by one, and
    /// the audit log has that writer's entry only. The writers' changes update, insert or delete child rows, which
    /// the database locks and checks before it reaches the contact row.
    /// </summary>
    /// <param name="change">What the writers do to the child rows.</param>
    [Theory]
    [MemberData(nameof(ChildRowChanges))]
    public async Task Eight_writers_committing_the_same_loaded_version_at_once_leave_exactly_one_change(string change)
    {
        // Arrange
        var tenant = NewTenant();
        var draft = NewDraft() with { Tags = ["start", "second"] };
        var id = (await Contacts.CreateAsync(tenant, draft, Admin)).Id;
        var winners = new List<string>();
        ContactDraft Change(string marker) => change switch
        {
            "same rows" => draft with { Company = marker, Title = marker, Tags = [marker, "second"] },
            "more tag rows" => draft with { Company = marker, Title = marker, Tags = [marker, "second", "third", "fourth"] },
            "fewer tag rows" => draft with { Company = marker, Title = marker, Tags = [marker] },
            _ => draft with { Company = marker, Title = marker, Tags = [marker, "second"], SocialProfiles = new Dictionary<string, string> { ["github"] = marker } },
        };

        for (var round = 0; round < Rounds; round++)
        {
            // Between rounds the contact goes back to two tags and no profile, so every round changes the same rows.
            var before = await Contacts.UpdateAsync(tenant, id, draft with { Company = $"reset{round}" }, null, Admin);
            var loaded = new Rendezvous(Writers);

            // Act
            var outcomes = await Task.WhenAll(Enumerable.Range(0, Writers)
                .Select(w => Task.Run(() => WriteAsync(tenant, id, Change($"round{round}-writer{w}"), loaded))));

            // Assert
            Assert.All(outcomes, o => Assert.Equal(before.Version, o.LoadedVersion));
            var unexpected = outcomes.Where(o => o.Error is not null and not ConcurrencyConflictException).ToList();
            Assert.True(unexpected.Count == 0, $"round {round}: writers failed with something else than a conflict: {string.Join(Environment.NewLine, unexpected.Select(o => o.Error))}");
            var won = outcomes.Where(o => o.Error is null).ToList();
            Assert.True(won.Count >= 1, $"round {round}: no writer committed");
            Assert.True(won.Count == 1, $"round {round}: {won.Count} writers committed changes based on the same version {before.Version}: {string.Join(", ", won.Select(o => o.Marker))}");
            foreach (var conflict in outcomes.Select(o => o.Error).OfType<ConcurrencyConflictException>())
            {
                Assert.True(
                    conflict.EntityType == AuditEntityTypes.Contact && conflict.EntityId == id.ToString()
                        && conflict.ExpectedVersion == before.Version && conflict.ActualVersion == before.Version + 1,
                    $"round {round}: the conflict should name contact {id}, expected version {before.Version} and actual {before.Version + 1}, not {conflict.EntityType} {conflict.EntityId}, {conflict.ExpectedVersion} and {conflict.ActualVersion}");
            }

            var winner = won[0].Marker;
            var wanted = Change(winner);
            var after = await Contacts.GetAsync(tenant, id);
            Assert.Equal(before.Version + won.Count, after.Version);
            Assert.Equal(winner, after.Company);
            Assert.Equal(winner, after.Title);
            Assert.Equal(wanted.Tags, after.Tags);
            Assert.Equal(wanted.SocialProfiles ?? new Dictionary<string, string>(), after.SocialProfiles);
            Assert.Equal(wanted.Tags, await StoredTagsAsync(tenant, id));
            winners.Add(winner);
        }

        var updates = (await Contacts.GetAuditLogAsync(tenant, id, new PageRequest(100))).Items
            .Where(e => e.Action == AuditActions.ContactUpdated && e.CorrelationId?.StartsWith("round", StringComparison.Ordinal) == true)
            .ToList();
        Assert.Equal(winners.Order(StringComparer.Ordinal), updates.Select(e => e.CorrelationId).Order(StringComparer.Ordinal));
        Assert.All(updates, e => Assert.Contains(e.Changes, c => c.Field == "company" && c.NewValue == e.CorrelationId));
    }

    /// <summary>
    /// Eight parallel patches that name no version (apply to whatever is current): each applies whole or fails with a
    /// conflict, none is lost silently; the version counts the ones that applied, and the audit log has one entry each.
    /// </summary>
    [Fact]
    public async Task Parallel_patches_without_an_expected_version_each_apply_whole_or_fail_with_a_conflict()
    {
        // Arrange
        var tenant = NewTenant();
        var id = (await Contacts.CreateAsync(tenant, NewDraft() with { Tags = ["start"] }, Admin)).Id;
        var start = new Rendezvous(Writers);

        // Act
        var outcomes = await Task.WhenAll(Enumerable.Range(0, Writers).Select(w => Task.Run(async () =>
        {
            var contacts = Contacts;
            var marker = $"patch-{w}";
            await start.ArriveAndWaitAsync().WaitAsync(Patience);
            try
            {
                var after = await contacts.PatchAsync(tenant, id, new ContactPatch { Company = marker, Tags = new[] { marker } }, null, Admin);
                return (Marker: marker, Version: after.Version, Error: (Exception?)null);
            }
#pragma warning disable CA1031 // Every failure is an outcome the assertions look at.
            catch (Exception exception)
#pragma warning restore CA1031
            {
                return (Marker: marker, Version: 0L, Error: exception);
            }
        })));

        // Assert
        var unexpected = outcomes.Where(o => o.Error is not null and not ConcurrencyConflictException).ToList();
        Assert.True(unexpected.Count == 0, $"patches failed with something else than a conflict: {string.Join(Environment.NewLine, unexpected.Select(o => o.Error))}");
        var applied = outcomes.Where(o => o.Error is null).OrderBy(o => o.Version).ToList();
        Assert.NotEmpty(applied);
        Assert.Equal(Enumerable.Range(2, applied.Count).Select(v => (long)v), applied.Select(o => o.Version));
        var final = await Contacts.GetAsync(tenant, id);
        Assert.Equal(1 + applied.Count, final.Version);
        Assert.Equal(applied[^1].Marker, final.Company);
        Assert.Equal([applied[^1].Marker], final.Tags);
        Assert.Equal([applied[^1].Marker], await StoredTagsAsync(tenant, id));
        var updates = (await Contacts.GetAuditLogAsync(tenant, id, new PageRequest(100))).Items.Where(e => e.Action == AuditActions.ContactUpdated).ToList();
        Assert.Equal(
            applied.Select(o => o.Marker).Order(StringComparer.Ordinal),
            updates.Select(e => e.Changes.Single(c => c.Field == "company").NewValue).Order(StringComparer.Ordinal));
    }

    /// <summary>One writer: loads, waits until every writer has loaded, then applies its change (its marker is the company) and commits.</summary>
    private async Task<WriteOutcome> WriteAsync(TenantId tenant, ContactId id, ContactDraft change, Rendezvous loaded)
    {
        var store = Store;
        var marker = change.Company!;
        long version = -1;
        var arrived = false;
        try
        {
            var uow = await store.BeginAsync(tenant, default);
            await using (uow)
            {
                var contact = await uow.Contacts.FindAsync(id, default) ?? throw new InvalidOperationException("the contact is gone");
                version = contact.Version;
                arrived = true;
                await loaded.ArriveAndWaitAsync().WaitAsync(Patience);

                var details = ContactDetails.Validate(change, CustomFieldSchema.Empty, new ContactManagementOptions());
                var changes = contact.Update(details, Clock.GetUtcNow());
                uow.Contacts.Update(contact);
                uow.AuditLog.Append(new AuditEntry(Guid.CreateVersion7(), tenant, Clock.GetUtcNow(), Admin, AuditActions.ContactUpdated, AuditEntityTypes.Contact, id.ToString(), changes, marker));
                await uow.CommitAsync(default);
                return new WriteOutcome(marker, version, null);
            }
        }
#pragma warning disable CA1031 // Every failure is an outcome the assertions look at.
        catch (Exception exception)
#pragma warning restore CA1031
        {
            if (!arrived)
            {
                _ = loaded.ArriveAndWaitAsync(); // do not keep the others waiting
            }

            return new WriteOutcome(marker, version, exception);
        }
    }

    /// <summary>The contact's tag rows as the table holds them, in position order.</summary>
    private async Task<List<string>> StoredTagsAsync(TenantId tenant, ContactId id)
    {
        await using var context = Database.NewContext();
        return await context.Set<ContactTagRow>()
            .Where(t => t.TenantId == tenant.Value && t.ContactId == id.Value)
            .OrderBy(t => t.Position)
            .Select(t => t.Tag)
            .ToListAsync();
    }

    private sealed record WriteOutcome(string Marker, long LoadedVersion, Exception? Error);

    /// <summary>An async barrier for one use: every party's wait ends when the last one arrives.</summary>
    private sealed class Rendezvous(int parties)
    {
        private readonly TaskCompletionSource _all = new(TaskCreationOptions.RunContinuationsAsynchronously);
        private int _arrived;

        public Task ArriveAndWaitAsync()
        {
            if (Interlocked.Increment(ref _arrived) == parties)
            {
                _all.SetResult();
            }

            return _all.Task;
        }
    }
}

public sealed class SqliteConcurrentCommitTests : ConcurrentCommitTests
{
    protected override TestDatabase Database => SqliteTestDatabase.Instance;
}

public sealed class PostgresConcurrentCommitTests : ConcurrentCommitTests
{
    protected override TestDatabase Database => PostgresTestDatabase.Instance;
}
