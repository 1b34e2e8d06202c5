using Datum.Contacts.Specification.Tests;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Xunit;

namespace Datum.Contacts.EntityFrameworkCore.Tests;

/// <summary>
/// What only a database can get wrong about consent: consent rows that read back exactly (the token hash included)
/// and are versioned, a ledger that outlives the contact, suppressions replaced in place, latest sends grouped in SQL,
/// one audience policy per tenant, and the privacy and quiet-hours columns of contacts. Where a port answers a
/// query, the answer is compared with the in-memory store's for the same data.
/// </summary>
public abstract class ConsentStoreTests : ContactManagementSpecification
{
    private static readonly DateTimeOffset T0 = new DateTimeOffset(2026, 1, 5, 9, 0, 0, TimeSpan.Zero).AddTicks(1_234_567);
    private static readonly ContactManagementOptions Options = new();
    private static readonly string TokenHash = new string('a', 32) + new string('f', 32);

    private readonly ServiceProvider _memory;

    protected ConsentStoreTests()
    {
        var services = new ServiceCollection();
        services.AddSingleton<TimeProvider>(Clock);
        services.AddContactManagement().UseInMemoryStore();
        _memory = services.BuildServiceProvider();
    }

    protected abstract TestDatabase Database { get; }

    protected override void UseStore(ContactManagementBuilder builder) => Database.Use(builder);

    /// <summary>
    /// A pending consent reads back with every field (the policy version, the times to the tick, the token hash and its
    /// expiry), apart from the list-scoped consent of the same channel, and confirming and withdrawing it moves its
    /// version on by one per unit of work. The channel-wide consent is stored under the empty list id.
    /// </summary>
    [Fact]
    public async Task A_consent_reads_back_with_every_field_including_the_token_hash()
    {
        // Arrange
        var tenant = NewTenant();
        var contact = (await Contacts.CreateAsync(tenant, NewDraft(), Admin)).Id;
        var list = (await Lists.CreateAsync(tenant, new ListDraft { Name = "News" }, Admin)).Id;
        var email = new ConsentScope(Channel.Email, null);
        var news = new ConsentScope(Channel.Email, list);
        var pending = Consent.New(tenant, contact, email, T0);
        pending.Request(TokenHash, T0.AddDays(2).AddTicks(3), "privacy-2026-01", T0.AddTicks(9));
        var listScoped = Consent.New(tenant, contact, news, T0);
        listScoped.Grant(null, T0.AddTicks(11));
        await WriteAsync(tenant, uow =>
        {
            uow.Consents.Add(pending);
            uow.Consents.Add(listScoped);
        });

        // Act
        var read = await ReadAsync(tenant, uow => uow.Consents.FindAsync(contact, email, default));
        var both = await ReadAsync(tenant, uow => uow.Consents.ForContactsAsync([contact], default));
        var uow = await Store.BeginAsync(tenant, default);
        await using (uow)
        {
            var loaded = (await uow.Consents.FindAsync(contact, email, default))!;
            loaded.Confirm(TokenHash, T0.AddHours(1));
            uow.Consents.Update(loaded);
            await uow.CommitAsync(default);
        }

        var confirmed = await ReadAsync(tenant, uow => uow.Consents.FindAsync(contact, email, default));
        await using var context = Database.NewContext();
        var rows = await context.Set<ConsentRow>().Where(r => r.TenantId == tenant.Value).OrderBy(r => r.ListId == ConsentRow.ChannelWide ? 0 : 1).ToListAsync();

        // Assert
        Assert.NotNull(read);
        Assert.Equal((tenant, contact, email, ConsentState.Pending, "privacy-2026-01"), (read.Tenant, read.ContactId, read.Scope, read.State, read.PolicyVersion));
        Assert.Equal((T0, T0.AddTicks(9), (DateTimeOffset?)null, (DateTimeOffset?)null), (read.CreatedAt, read.UpdatedAt, read.GrantedAt, read.WithdrawnAt));
        Assert.Equal((TokenHash, T0.AddDays(2).AddTicks(3), 1L), (read.TokenHash, read.TokenExpiresAt, read.Version));
        Assert.Equal([email, news], both.Select(c => c.Scope));
        Assert.Equal((ConsentState.Granted, T0.AddTicks(11), (string?)null), (both[1].State, both[1].GrantedAt, both[1].TokenHash));
        Assert.NotNull(confirmed);
        Assert.Equal((ConsentState.Granted, T0.AddHours(1), T0.AddHours(1), 2L), (confirmed.State, confirmed.GrantedAt, confirmed.UpdatedAt, confirmed.Version));
        Assert.Equal(TokenHash, confirmed.TokenHash);
        Assert.Equal([ConsentRow.ChannelWide, list.Value], rows.Select(r => r.ListId));
        Assert.Equal(["email", "email"], rows.Select(r => r.Channel));
    }

    /// <summary>A double opt-in through the services: the stored token hash is what the confirmation is checked against.</summary>
    [Fact]
    public async Task A_double_opt_in_confirms_against_the_stored_token_hash()
    {
        // Arrange
        var tenant = NewTenant();
        var services = CreateServices(Clock, o =>
        {
            o.Tokens.SigningKeys.Add(new TokenSigningKey { Id = "k1", Secret = Convert.ToBase64String(Enumerable.Range(1, 32).Select(i => (byte)i).ToArray()) });
            o.Tokens.ActiveKeyId = "k1";
        }).CreateScope().ServiceProvider;
        var consents = services.GetRequiredService<IConsentService>();
        var contact = (await services.GetRequiredService<IContactService>().CreateAsync(tenant, NewDraft(), Admin)).Id;
        var email = new ConsentScope(Channel.Email, null);
        var first = await consents.RequestOptInAsync(tenant, contact, email, new ConsentEvidenceDraft { Source = ConsentSource.Form, PolicyVersion = "v1" }, Admin);
        var second = await consents.RequestOptInAsync(tenant, contact, email, new ConsentEvidenceDraft { Source = ConsentSource.Form, PolicyVersion = "v2" }, Admin);

        // Act
        var superseded = await Assert.ThrowsAsync<InvalidTokenException>(() => consents.ConfirmOptInAsync(tenant, first.Token, new ConsentEvidenceDraft { Source = ConsentSource.Form }));
        var confirmed = await consents.ConfirmOptInAsync(tenant, second.Token, new ConsentEvidenceDraft { Source = ConsentSource.Form, IpAddress = "203.0.113.9" });
        var evidence = await consents.GetEvidenceAsync(tenant, contact, email, new PageRequest());

        // Assert
        Assert.Equal(InvalidTokenReason.Superseded, superseded.Reason);
        Assert.Equal((ConsentState.Granted, "v2", 3L), (confirmed.State, confirmed.PolicyVersion, confirmed.Version));
        Assert.Equal([ConsentAction.Confirmed, ConsentAction.Requested, ConsentAction.Requested], evidence.Items.Select(e => e.Action));
        Assert.Equal("203.0.113.9", evidence.Items[0].IpAddress);
    }

    /// <summary>
    /// Consents are checked like memberships at commit: an update based on a version another unit of work moved on, a
    /// consent another unit of work recorded first, and a consent of a contact deleted meanwhile each fail with a
    /// concurrency conflict, and nothing of the failed unit of work (its ledger entry included) is written.
    /// </summary>
    [Fact]
    public async Task Stale_duplicate_and_orphan_consents_fail_with_a_concurrency_conflict_and_write_nothing()
    {
        // Arrange
        var tenant = NewTenant();
        var contact = (await Contacts.CreateAsync(tenant, NewDraft(), Admin)).Id;
        var doomed = (await Contacts.CreateAsync(tenant, NewDraft("Doomed"), Admin)).Id;
        var email = new ConsentScope(Channel.Email, null);
        var granted = Consent.New(tenant, contact, email, T0);
        granted.Grant("v1", T0);
        await WriteAsync(tenant, uow => uow.Consents.Add(granted));

        // Act 1: two units of work change the same consent; the second commits last.
        var stale = await Store.BeginAsync(tenant, default);
        ConcurrencyConflictException staleConflict;
        await using (stale)
        {
            var mine = (await stale.Consents.FindAsync(contact, email, default))!;
            await WriteAsync(tenant, async uow =>
            {
                var theirs = (await uow.Consents.FindAsync(contact, email, default))!;
                theirs.Withdraw(T0.AddMinutes(1));
                uow.Consents.Update(theirs);
            });
            mine.Withdraw(T0.AddMinutes(2));
            stale.Consents.Update(mine);
            stale.ConsentEvidence.Append(Evidence(tenant, contact, email, T0.AddMinutes(2)));
            staleConflict = await Assert.ThrowsAsync<ConcurrencyConflictException>(() => stale.CommitAsync(default).AsTask());
        }

        // Act 2: a consent recorded by another unit of work after this one found none.
        var late = await Store.BeginAsync(tenant, default);
        ConcurrencyConflictException duplicate;
        var sms = new ConsentScope(Channel.Sms, null);
        await using (late)
        {
            Assert.Null(await late.Consents.FindAsync(contact, sms, default));
            await WriteAsync(tenant, uow => uow.Consents.Add(Granted(tenant, contact, sms)));
            late.Consents.Add(Granted(tenant, contact, sms));
            duplicate = await Assert.ThrowsAsync<ConcurrencyConflictException>(() => late.CommitAsync(default).AsTask());
        }

        // Act 3: a consent of a contact another unit of work deletes before this one commits.
        var orphan = await Store.BeginAsync(tenant, default);
        ConcurrencyConflictException gone;
        await using (orphan)
        {
            Assert.NotNull(await orphan.Contacts.FindAsync(doomed, default));
            await Contacts.DeleteAsync(tenant, doomed, null, Admin);
            orphan.Consents.Add(Granted(tenant, doomed, email));
            gone = await Assert.ThrowsAsync<ConcurrencyConflictException>(() => orphan.CommitAsync(default).AsTask());
        }

        // Assert
        Assert.Equal(("consent", $"{contact}/email", 1L, (long?)2), (staleConflict.EntityType, staleConflict.EntityId, staleConflict.ExpectedVersion, staleConflict.ActualVersion));
        Assert.Equal(("consent", $"{contact}/sms", 0L, (long?)1), (duplicate.EntityType, duplicate.EntityId, duplicate.ExpectedVersion, duplicate.ActualVersion));
        Assert.Equal((AuditEntityTypes.Contact, doomed.ToString(), (long?)null), (gone.EntityType, gone.EntityId, gone.ActualVersion));
        var stored = await ReadAsync(tenant, uow => uow.Consents.ForContactsAsync([contact, doomed], default));
        Assert.Equal([(email, ConsentState.Withdrawn, 2L), (sms, ConsentState.Granted, 1L)], stored.Select(c => (c.Scope, c.State, c.Version)));
        Assert.Empty(await ReadAsync(tenant, uow => uow.ConsentEvidence.ReadAsync(new ConsentEvidenceQuery(contact, null, null, null, 10), default)));
    }

    /// <summary>
    /// Eight units of work find no consent, wait for each other, then each records the same new consent and commits at
    /// once on a connection of its own: exactly one commits, the others get a conflict naming the consent and the
    /// version the winner wrote, and the ledger holds the winner's entry only.
    /// </summary>
    [Fact]
    public async Task Eight_writers_recording_the_same_new_consent_at_once_leave_exactly_one()
    {
        // Arrange
        const int Writers = 8;
        var tenant = NewTenant();
        var contact = (await Contacts.CreateAsync(tenant, NewDraft(), Admin)).Id;
        var email = new ConsentScope(Channel.Email, null);
        var arrived = 0;
        var allRead = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        async Task<Exception?> WriteAsync(int writer)
        {
            var uow = await Resolve<IContactManagementStore>().BeginAsync(tenant, default);
            await using (uow)
            {
                Assert.Null(await uow.Consents.FindAsync(contact, email, default));
                if (Interlocked.Increment(ref arrived) == Writers)
                {
                    allRead.SetResult();
                }

                await allRead.Task.WaitAsync(TimeSpan.FromSeconds(60));
                uow.Consents.Add(Granted(tenant, contact, email));
                uow.ConsentEvidence.Append(Evidence(tenant, contact, email, T0.AddSeconds(writer)));
                try
                {
                    await uow.CommitAsync(default);
                    return null;
                }
                catch (ContactManagementException exception)
                {
                    return exception;
                }
            }
        }

        // Act
        var outcomes = await Task.WhenAll(Enumerable.Range(0, Writers).Select(w => Task.Run(() => WriteAsync(w))));

        // Assert
        Assert.Single(outcomes, o => o is null);
        Assert.All(outcomes.OfType<Exception>(), e =>
        {
            var conflict = Assert.IsType<ConcurrencyConflictException>(e);
            Assert.Equal(("consent", $"{contact}/email", 0L, (long?)1), (conflict.EntityType, conflict.EntityId, conflict.ExpectedVersion, conflict.ActualVersion));
        });
        Assert.Single(await ReadAsync(tenant, uow => uow.ConsentEvidence.ReadAsync(new ConsentEvidenceQuery(contact, null, null, null, 10), default)));
    }

    /// <summary>
    /// Deleting a contact removes its consents and engagement events (the core removes them in the same unit of work
    /// as the contact, and the tracked rows and the cascade do not get in each other's way) and keeps its ledger.
    /// </summary>
    [Fact]
    public async Task The_consent_ledger_survives_deleting_the_contact()
    {
        // Arrange
        var tenant = NewTenant();
        var consents = Resolve<IConsentService>();
        var contact = (await Contacts.CreateAsync(tenant, NewDraft(), Admin)).Id;
        var list = (await Lists.CreateAsync(tenant, new ListDraft { Name = "News" }, Admin)).Id;
        var evidence = new ConsentEvidenceDraft { Source = ConsentSource.Form, PolicyVersion = "v1", UserAgent = "Mozilla/5.0" };
        await consents.GrantAsync(tenant, contact, new ConsentScope(Channel.Email, null), evidence, Admin);
        await consents.GrantAsync(tenant, contact, new ConsentScope(Channel.Email, list), evidence, Admin);
        await consents.WithdrawAsync(tenant, contact, new ConsentScope(Channel.Sms, null), evidence, Admin);
        await Resolve<IEngagementService>().RecordAsync(tenant, new EngagementDraft(contact, Channel.Email, EngagementKind.Sent, list), Admin);
        var before = await consents.GetEvidenceAsync(tenant, contact, null, new PageRequest());

        // Act
        await Contacts.DeleteAsync(tenant, contact, null, Admin);
        var after = await consents.GetEvidenceAsync(tenant, contact, null, new PageRequest());
        var channelOnly = await consents.GetEvidenceAsync(tenant, contact, new ConsentScope(Channel.Email, null), new PageRequest());

        // Assert
        Assert.Equal(3, before.Items.Count);
        Assert.Equal(before.Items, after.Items);
        Assert.Equal(ConsentAction.Granted, Assert.Single(channelOnly.Items).Action);
        Assert.Equal(("v1", "Mozilla/5.0", Admin), (after.Items[0].PolicyVersion, after.Items[0].UserAgent, after.Items[0].Actor));
        Assert.Empty(await consents.GetConsentsAsync(tenant, contact));
        await using var context = Database.NewContext();
        Assert.Equal(0, await context.Set<ConsentRow>().CountAsync(r => r.TenantId == tenant.Value));
        Assert.Equal(0, await context.Set<EngagementRow>().CountAsync(r => r.TenantId == tenant.Value));
        Assert.Equal(3, await context.Set<ConsentEvidenceRow>().CountAsync(r => r.TenantId == tenant.Value));
    }

    /// <summary>
    /// The ledger is read newest first by time then id (ties included), filtered by scope (a null list meaning the
    /// channel-wide consent only), by time and by position, and cut at the limit, exactly as in memory.
    /// </summary>
    [Fact]
    public async Task The_ledger_reads_like_the_in_memory_store()
    {
        // Arrange: entries in random id order, some at the same tick, over two scopes of one channel and another channel.
        var tenant = NewTenant();
        var contact = NewContactId();
        var other = NewContactId();
        var list = new ListId(Guid.NewGuid());
        var email = new ConsentScope(Channel.Email, null);
        var news = new ConsentScope(Channel.Email, list);
        var sms = new ConsentScope(Channel.Sms, null);
        var entries = Enumerable.Range(0, 24)
            .Select(i => Evidence(tenant, i == 7 ? other : contact, (i % 3) switch { 0 => email, 1 => news, _ => sms }, T0.AddMinutes(i / 3)))
            .ToList();
        await SeedBothAsync(tenant, [contact, other], uow => entries.ForEach(uow.ConsentEvidence.Append));
        var middle = entries.OrderByDescending(e => e.OccurredAt).ThenByDescending(e => e.Id).ElementAt(9);
        ConsentEvidenceQuery[] queries =
        [
            new(contact, null, null, null, 100),
            new(contact, email, null, null, 100),
            new(contact, news, null, null, 100),
            new(contact, sms, null, null, 3),
            new(contact, null, T0.AddMinutes(3), null, 100),
            new(contact, null, null, (middle.OccurredAt, middle.Id), 5),
            new(contact, email, T0.AddMinutes(6), (T0.AddMinutes(6), Guid.Empty), 100),
            new(other, null, null, null, 100),
            new(NewContactId(), null, null, null, 100),
        ];

        // Act and assert
        foreach (var query in queries)
        {
            var (stored, inMemory) = await ReadBothAsync(tenant, uow => uow.ConsentEvidence.ReadAsync(query, default));
            Assert.Equal(inMemory.Select(e => e.Id), stored.Select(e => e.Id));
            Assert.Equal(inMemory, stored);
        }

        var all = await ReadAsync(tenant, uow => uow.ConsentEvidence.ReadAsync(queries[0], default));
        Assert.Equal(23, all.Count);
    }

    /// <summary>
    /// Adding a suppression with the kind and value of an existing one replaces it in place (one row, the new reason,
    /// note and actor), removing it removes it, and within one unit of work the last change to a key wins.
    /// </summary>
    [Fact]
    public async Task A_suppression_is_replaced_by_a_new_one_with_its_key_and_removed()
    {
        // Arrange
        var tenant = NewTenant();
        var suppressions = Resolve<ISuppressionService>();
        await suppressions.AddAsync(tenant, new SuppressionDraft { Kind = SuppressionKind.Email, Value = "Bounce@Example.com", Reason = SuppressionReason.HardBounce }, Admin);

        // Act
        var replaced = await suppressions.AddAsync(tenant, new SuppressionDraft { Kind = SuppressionKind.Email, Value = "bounce@example.com", Reason = SuppressionReason.Complaint, Note = "ticket 42" }, Actor.Admin("other"));
        var found = await suppressions.FindAsync(tenant, SuppressionKind.Email, "bounce@example.com");
        await using var context = Database.NewContext();
        var rowsAfterReplace = await context.Set<SuppressionRow>().CountAsync(r => r.TenantId == tenant.Value);
        var removed = await suppressions.RemoveAsync(tenant, SuppressionKind.Email, "bounce@example.com", Admin);
        var removedAgain = await suppressions.RemoveAsync(tenant, SuppressionKind.Email, "bounce@example.com", Admin);
        await WriteAsync(tenant, uow =>
        {
            uow.Suppressions.Add(Suppression(tenant, SuppressionKind.EmailDomain, "spam.example", SuppressionReason.Blocklist));
            uow.Suppressions.Remove(SuppressionKind.EmailDomain, "spam.example");
            uow.Suppressions.Remove(SuppressionKind.Phone, "+33123456789");
            uow.Suppressions.Add(Suppression(tenant, SuppressionKind.Phone, "+33123456789", SuppressionReason.DoNotContact));
        });
        var last = await ReadAsync(tenant, uow => uow.Suppressions.ListAsync(null, 10, default));

        // Assert
        Assert.Equal(replaced, found);
        Assert.Equal((SuppressionReason.Complaint, "ticket 42", Actor.Admin("other")), (found!.Reason, found.Note, found.Actor));
        Assert.Equal(1, rowsAfterReplace);
        Assert.True(removed);
        Assert.False(removedAgain);
        Assert.Null(await suppressions.FindAsync(tenant, SuppressionKind.Email, "bounce@example.com"));
        Assert.Equal((SuppressionKind.Phone, "+33123456789", SuppressionReason.DoNotContact), Assert.Single(last) is var entry ? (entry.Kind, entry.Value, entry.Reason) : default);
    }

    /// <summary>Suppressions are listed in (kind, value) code-point order, paged after a position, and matched by key, as in memory.</summary>
    [Fact]
    public async Task Suppressions_list_and_match_like_the_in_memory_store()
    {
        // Arrange
        var tenant = NewTenant();
        (SuppressionKind Kind, string Value)[] keys =
        [
            (SuppressionKind.Email, "zed@example.com"), (SuppressionKind.Email, "émile@example.com"), (SuppressionKind.Email, "Ada@example.com"),
            (SuppressionKind.Email, "ada@example.com"), (SuppressionKind.Email, "ada_b@example.com"), (SuppressionKind.Phone, "+4420794609"),
            (SuppressionKind.Phone, "+33123456789"), (SuppressionKind.EmailDomain, "example.com"), (SuppressionKind.EmailDomain, "exämple.com"),
        ];
        await SeedBothAsync(tenant, [], uow =>
        {
            foreach (var (kind, value) in keys)
            {
                uow.Suppressions.Add(Suppression(tenant, kind, value, SuppressionReason.Blocklist));
            }
        });

        // Act and assert
        var (all, allInMemory) = await ReadBothAsync(tenant, uow => uow.Suppressions.ListAsync(null, 100, default));
        Assert.Equal(allInMemory, all);
        Assert.Equal(keys.Length, all.Count);
        foreach (var after in all.Select(e => ((SuppressionKind Kind, string Value)?)(e.Kind, e.Value)).Prepend(null))
        {
            var (page, pageInMemory) = await ReadBothAsync(tenant, uow => uow.Suppressions.ListAsync(after, 3, default));
            Assert.Equal(pageInMemory, page);
        }

        (SuppressionKind, string)[] wanted = [(SuppressionKind.Phone, "+33123456789"), (SuppressionKind.Email, "nobody@example.com"), (SuppressionKind.Email, "ada@example.com"), (SuppressionKind.EmailDomain, "example.com")];
        var (matched, matchedInMemory) = await ReadBothAsync(tenant, uow => uow.Suppressions.MatchAsync(wanted, default));
        Assert.Equal(matchedInMemory, matched);
        Assert.Equal(3, matched.Count);
    }

    /// <summary>
    /// The latest send per contact and list on one channel is grouped in SQL: sends only (not interactions), of that
    /// channel only, one row per list sent through (no list included), the latest time of each, as in memory. Removing
    /// a contact's events removes them, and an event queued for it in the same unit of work goes with them.
    /// </summary>
    [Fact]
    public async Task Latest_sends_are_grouped_per_contact_and_list_like_the_in_memory_store()
    {
        // Arrange
        var tenant = NewTenant();
        var (ada, bob, cleo) = (NewContactId(), NewContactId(), NewContactId());
        var (news, deals) = (new ListId(Guid.NewGuid()), new ListId(Guid.NewGuid()));
        EngagementEvent Event(ContactId contact, Channel channel, ListId? list, EngagementKind kind, int minutes)
            => new(Guid.NewGuid(), tenant, contact, channel, list, kind, T0.AddMinutes(minutes));
        EngagementEvent[] events =
        [
            Event(ada, Channel.Email, news, EngagementKind.Sent, 1), Event(ada, Channel.Email, news, EngagementKind.Sent, 30), Event(ada, Channel.Email, news, EngagementKind.Sent, 5),
            Event(ada, Channel.Email, null, EngagementKind.Sent, 12), Event(ada, Channel.Email, deals, EngagementKind.Opened, 90), Event(ada, Channel.Sms, deals, EngagementKind.Sent, 95),
            Event(ada, Channel.Email, deals, EngagementKind.Sent, 7), Event(bob, Channel.Email, deals, EngagementKind.Sent, 3), Event(bob, Channel.Email, deals, EngagementKind.Clicked, 40),
            Event(cleo, Channel.Sms, null, EngagementKind.Sent, 2),
        ];
        await SeedBothAsync(tenant, [ada, bob, cleo], uow => Array.ForEach(events, uow.Engagements.Append));

        // Act
        var (sends, sendsInMemory) = await ReadBothAsync(tenant, uow => uow.Engagements.LatestSendsAsync([cleo, ada, bob, NewContactId()], Channel.Email, default));
        var (sms, smsInMemory) = await ReadBothAsync(tenant, uow => uow.Engagements.LatestSendsAsync([ada, bob, cleo], Channel.Sms, default));
        var (adaEvents, adaEventsInMemory) = await ReadBothAsync(tenant, uow => uow.Engagements.ReadAsync(ada, 4, default));
        await SeedBothAsync(tenant, [], uow =>
        {
            uow.Engagements.RemoveForContact(ada);
            uow.Engagements.Append(Event(ada, Channel.Email, news, EngagementKind.Sent, 200));
            uow.Engagements.Append(Event(bob, Channel.Email, news, EngagementKind.Sent, 200));
        });
        var (removed, removedInMemory) = await ReadBothAsync(tenant, uow => uow.Engagements.LatestSendsAsync([ada, bob], Channel.Email, default));

        // Assert
        static IEnumerable<LatestSend> Sorted(IEnumerable<LatestSend> sends) => sends.OrderBy(s => s.ContactId).ThenBy(s => s.ListId?.Value);
        Assert.Equal(Sorted(sendsInMemory), Sorted(sends));
        Assert.Equal(
            Sorted([new(ada, news, T0.AddMinutes(30)), new(ada, null, T0.AddMinutes(12)), new(ada, deals, T0.AddMinutes(7)), new(bob, deals, T0.AddMinutes(3))]),
            Sorted(sends));
        Assert.Equal(Sorted(smsInMemory), Sorted(sms));
        Assert.Equal(2, sms.Count);
        Assert.Equal(adaEventsInMemory, adaEvents);
        Assert.Equal(Sorted(removedInMemory), Sorted(removed));
        Assert.Equal(Sorted([new(bob, deals, T0.AddMinutes(3)), new(bob, news, T0.AddMinutes(200))]), Sorted(removed));
        Assert.Empty(await ReadAsync(tenant, uow => uow.Engagements.ReadAsync(ada, 10, default)));
    }

    /// <summary>
    /// A dynamic list on <c>consent.email</c> is filled in SQL (the refresh diff runs the consent subquery) and kept
    /// current when a consent changes (the unit of work evaluates the contact with its staged consent).
    /// </summary>
    [Fact]
    public async Task A_dynamic_list_on_consent_is_filled_in_SQL_and_kept_current()
    {
        // Arrange
        var tenant = NewTenant();
        var consents = Resolve<IConsentService>();
        var evidence = new ConsentEvidenceDraft { Source = ConsentSource.Api };
        var ada = (await Contacts.CreateAsync(tenant, NewDraft("Ada"), Admin)).Id;
        var bob = (await Contacts.CreateAsync(tenant, NewDraft("Bob"), Admin)).Id;
        var newsletter = (await Lists.CreateAsync(tenant, new ListDraft { Name = "Newsletter" }, Admin)).Id;
        await consents.GrantAsync(tenant, ada, new ConsentScope(Channel.Email, null), evidence, Admin);
        await consents.GrantAsync(tenant, bob, new ConsentScope(Channel.Email, newsletter), evidence, Admin);

        // Act
        var list = await Lists.CreateAsync(tenant, new ListDraft { Name = "Opted in", Kind = ListKind.Dynamic, Criteria = Criteria.Parse("""consent.email = "granted" """) }, Admin);
        var filled = await ActiveMemberIdsAsync(tenant, list.Id);
        await consents.GrantAsync(tenant, bob, new ConsentScope(Channel.Email, null), evidence, Admin);
        await consents.WithdrawAsync(tenant, ada, new ConsentScope(Channel.Email, null), evidence, Admin);
        var current = await ActiveMemberIdsAsync(tenant, list.Id);
        var refreshed = await Lists.RefreshAsync(tenant, list.Id, Admin);

        // Assert
        Assert.Equal([ada], filled);
        Assert.Equal([bob], current);
        Assert.Equal([bob], await ActiveMemberIdsAsync(tenant, list.Id));
        Assert.Equal(new ListRefreshResult(0, 0), refreshed); // nothing left to catch up on
    }

    /// <summary>A tenant has one audience policy: saving another replaces it, quiet hours and time zone read back exactly.</summary>
    [Fact]
    public async Task An_audience_policy_is_saved_and_replaced()
    {
        // Arrange
        var tenant = NewTenant();
        var audience = Resolve<IAudienceService>();
        var unset = await audience.GetPolicyAsync(tenant);

        // Act
        var first = await audience.SetPolicyAsync(tenant, new AudiencePolicyDraft { QuietHoursStart = "21:00", QuietHoursEnd = "08:00", DefaultTimeZone = "Europe/Paris" }, Admin);
        var readFirst = await audience.GetPolicyAsync(tenant);
        var second = await audience.SetPolicyAsync(tenant, new AudiencePolicyDraft { DefaultTimeZone = "America/New_York" }, Admin);
        var readSecond = await audience.GetPolicyAsync(tenant);
        var exact = new AudiencePolicy(tenant, QuietHours.Create(new TimeOnly(22, 15, 30, 250, 7), new TimeOnly(6, 0)), null, T0);
        await WriteAsync(tenant, uow => uow.AudiencePolicies.Save(exact));
        var readExact = await ReadAsync(tenant, uow => uow.AudiencePolicies.FindAsync(default));
        await using var context = Database.NewContext();
        var rows = await context.Set<AudiencePolicyRow>().CountAsync(r => r.TenantId == tenant.Value);

        // Assert
        Assert.Equal(AudiencePolicy.Default(tenant), unset);
        Assert.Equal((first.QuietHours, "Europe/Paris", first.UpdatedAt), (readFirst.QuietHours, readFirst.DefaultTimeZone?.Value, readFirst.UpdatedAt));
        Assert.Equal(QuietHours.Create(new TimeOnly(21, 0), new TimeOnly(8, 0)), readFirst.QuietHours);
        Assert.Equal(((QuietHours?)null, "America/New_York", second.UpdatedAt), (readSecond.QuietHours, readSecond.DefaultTimeZone?.Value, readSecond.UpdatedAt));
        Assert.Equal(exact, readExact);
        Assert.Equal(1, rows);
    }

    /// <summary>
    /// A contact's privacy choices and quiet hours are columns of its row: they read back exactly (times to the tick,
    /// quiet hours to the tick of the day), and clearing them reads back as none.
    /// </summary>
    [Fact]
    public async Task Privacy_choices_and_quiet_hours_read_back_exactly()
    {
        // Arrange
        var tenant = NewTenant();
        var consents = Resolve<IConsentService>();
        var draft = NewDraft() with { Preferences = new ContactPreferencesDraft { TimeZone = "Europe/Paris", QuietHoursStart = "21:00", QuietHoursEnd = "7:30" } };
        var created = await Contacts.CreateAsync(tenant, draft, Admin);

        // Act
        var flagged = await consents.SetPrivacyAsync(tenant, created.Id, new ContactPrivacyDraft { DoNotSellOrShare = true, GlobalPrivacyControl = true, DeletionRequested = true }, Admin);
        var read = await Contacts.GetAsync(tenant, created.Id);
        await using var context = Database.NewContext();
        var row = await context.Set<ContactRow>().AsNoTracking().SingleAsync(r => r.TenantId == tenant.Value && r.Id == created.Id.Value);
        var exactQuiet = QuietHours.Create(new TimeOnly(22, 15, 30, 250, 7), new TimeOnly(6, 0));
        var exactPrivacy = new ContactPrivacy(false, T0.AddTicks(5), null);
        await WriteAsync(tenant, async uow =>
        {
            var contact = (await uow.Contacts.FindAsync(created.Id, default))!;
            contact.SetPreferences(new ContactPreferences(new Dictionary<Channel, bool> { [Channel.Sms] = false }, null, null, exactQuiet), T0.AddDays(1));
            contact.SetPrivacy(exactPrivacy, T0.AddDays(1));
            uow.Contacts.Update(contact);
        });
        var exact = await Contacts.GetAsync(tenant, created.Id);
        await WriteAsync(tenant, async uow =>
        {
            var contact = (await uow.Contacts.FindAsync(created.Id, default))!;
            contact.SetPreferences(ContactPreferences.Default, T0.AddDays(2));
            contact.SetPrivacy(ContactPrivacy.None, T0.AddDays(2));
            uow.Contacts.Update(contact);
        });
        var cleared = await Contacts.GetAsync(tenant, created.Id);

        // Assert
        Assert.Equal(QuietHours.Create(new TimeOnly(21, 0), new TimeOnly(7, 30)), read.Preferences.QuietHours);
        Assert.Equal("Europe/Paris", read.Preferences.TimeZone?.Value);
        Assert.True(read.Privacy.DoNotSellOrShare);
        Assert.NotNull(read.Privacy.GlobalPrivacyControlAt);
        Assert.Equal(flagged.Privacy, read.Privacy);
        Assert.Equal((new TimeOnly(21, 0).Ticks, new TimeOnly(7, 30).Ticks), (row.QuietHoursStartTicks, row.QuietHoursEndTicks));
        Assert.Equal((true, flagged.Privacy.GlobalPrivacyControlAt!.Value.UtcTicks, flagged.Privacy.DeletionRequestedAt!.Value.UtcTicks), (row.DoNotSellOrShare, row.GlobalPrivacyControlAtTicks, row.DeletionRequestedAtTicks));
        Assert.Equal(exactQuiet, exact.Preferences.QuietHours);
        Assert.False(exact.Preferences.IsEnabled(Channel.Sms));
        Assert.Equal(exactPrivacy, exact.Privacy);
        Assert.Null(cleared.Preferences.QuietHours);
        Assert.Equal(ContactPrivacy.None, cleared.Privacy);
    }

    protected override void Dispose(bool disposing)
    {
        if (disposing)
        {
            _memory.Dispose();
        }

        base.Dispose(disposing);
    }

    private static ContactId NewContactId() => new(Guid.NewGuid());

    private static Consent Granted(TenantId tenant, ContactId contact, ConsentScope scope)
    {
        var consent = Consent.New(tenant, contact, scope, T0);
        consent.Grant("v1", T0);
        return consent;
    }

    private static ConsentEvidence Evidence(TenantId tenant, ContactId contact, ConsentScope scope, DateTimeOffset at)
        => new(Guid.NewGuid(), tenant, contact, scope.Channel, scope.List, ConsentAction.Granted, ConsentState.None, ConsentState.Granted, at, Admin,
            ConsentSource.Form, "v1", LawfulBasis.Consent, "198.51.100.7", "agent");

    private static SuppressionEntry Suppression(TenantId tenant, SuppressionKind kind, string value, SuppressionReason reason)
        => new(tenant, kind, value, reason, null, T0, Admin);

    private async Task WriteAsync(TenantId tenant, Action<IUnitOfWork> write)
        => await WriteAsync(tenant, uow =>
        {
            write(uow);
            return Task.CompletedTask;
        });

    private async Task WriteAsync(TenantId tenant, Func<IUnitOfWork, Task> write)
    {
        var uow = await Store.BeginAsync(tenant, default);
        await using (uow)
        {
            await write(uow);
            await uow.CommitAsync(default);
        }
    }

    private async Task<T> ReadAsync<T>(TenantId tenant, Func<IUnitOfWork, ValueTask<T>> read)
    {
        var uow = await Store.BeginAsync(tenant, default);
        await using (uow)
        {
            return await read(uow);
        }
    }

    /// <summary>Writes the same contacts (bare, with these ids) and changes in this store and in memory.</summary>
    private async Task SeedBothAsync(TenantId tenant, ContactId[] contacts, Action<IUnitOfWork> write)
    {
        foreach (var store in new[] { Store, _memory.CreateScope().ServiceProvider.GetRequiredService<IContactManagementStore>() })
        {
            var uow = await store.BeginAsync(tenant, default);
            await using (uow)
            {
                foreach (var id in contacts)
                {
                    var details = ContactDetails.Validate(new ContactDraft { Email = $"{id}@example.com" }, CustomFieldSchema.Empty, Options);
                    uow.Contacts.Add(Contact.Create(tenant, id, details, ContactSource.Manual, T0));
                }

                write(uow);
                await uow.CommitAsync(default);
            }
        }
    }

    /// <summary>The same read from this store and from memory.</summary>
    private async Task<(T Stored, T InMemory)> ReadBothAsync<T>(TenantId tenant, Func<IUnitOfWork, ValueTask<T>> read)
    {
        var stored = await ReadAsync(tenant, read);
        var uow = await _memory.CreateScope().ServiceProvider.GetRequiredService<IContactManagementStore>().BeginAsync(tenant, default);
        await using (uow)
        {
            return (stored, await read(uow));
        }
    }
}

public sealed class SqliteConsentStoreTests : ConsentStoreTests
{
    protected override TestDatabase Database => SqliteTestDatabase.Instance;
}

public sealed class PostgresConsentStoreTests : ConsentStoreTests
{
    protected override TestDatabase Database => PostgresTestDatabase.Instance;
}
