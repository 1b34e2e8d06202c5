using System.Globalization;
using Datum.Contacts.Specification.Tests;
using Microsoft.Data.Sqlite;
using Microsoft.Extensions.DependencyInjection;
using Xunit;
using Xunit.Abstractions;

namespace Datum.Contacts.EntityFrameworkCore.Tests;

/// <summary>
/// A page of a list's members allocates in proportion to the page, not to the list: on SQLite, one page of 1,000
/// members of a list of 20,000 allocates within 1.5 times what the same page of a list of 5,000 does, and less than
/// 64 MB (it took about 700 MB when the page's contacts were read with one parameter per id).
/// </summary>
[Collection(nameof(UnanalyzedDatabaseGroup))]
public sealed class SqliteMemberPageAllocationTests(ITestOutputHelper output) : ContactManagementSpecification
{
    /// <summary>
    /// Generous: about 700 MB before the store read a page's contacts with one array parameter; the rows, the
    /// contacts and EF Core's materialization of 1,000 members take a few megabytes.
    /// </summary>
    private const long MaxPageBytes = 64L * 1024 * 1024;

    protected override void UseStore(ContactManagementBuilder builder) => SqliteTestDatabase.Instance.Use(builder);

    [Fact]
    public async Task A_page_of_1000_members_allocates_the_same_whatever_the_list_size()
    {
        // Arrange
        var small = await ListOfAsync(5_000);
        var large = await ListOfAsync(20_000);

        // Act
        var smallBytes = await PageAllocationAsync(small);
        var largeBytes = await PageAllocationAsync(large);
        output.WriteLine($"page of 1,000: {smallBytes / 1024.0 / 1024:F1} MB at 5,000 members, {largeBytes / 1024.0 / 1024:F1} MB at 20,000");

        // Assert
        Assert.True(largeBytes < smallBytes * 1.5, $"a page of 1,000 allocated {largeBytes:N0} bytes at 20,000 members against {smallBytes:N0} at 5,000");
        Assert.True(largeBytes < MaxPageBytes, $"a page of 1,000 members allocated {largeBytes:N0} bytes, over {MaxPageBytes:N0}");
    }

    private async Task<(TenantId Tenant, ListId List)> ListOfAsync(int members)
    {
        var tenant = NewTenant();
        var list = await Lists.CreateAsync(tenant, new ListDraft { Name = "Everyone" }, Admin);
        var numbers = FormattableString.Invariant($"WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n WHERE i < {members}) ");
        const string Id = "printf('%08X-0000-4000-8000-%012X', i, i)";
        var t = $"'{tenant.Value}'";
        await using var connection = new SqliteConnection(SqliteTestDatabase.Instance.ConnectionString);
        await connection.OpenAsync();
        await using var command = new SqliteCommand(
            $"""
            BEGIN;
            {numbers} INSERT INTO contacts_contacts ("TenantId", "Id", "FirstName", "Status", "Source", "SortLastName", "SortEmail", "CreatedAtTicks", "UpdatedAtTicks", "Version", "DoNotSellOrShare")
                SELECT {t}, {Id}, 'Member ' || i, 1, 2, '', '', i, i, 1, 0 FROM n;
            {numbers} INSERT INTO contacts_contact_tags ("TenantId", "ContactId", "Position", "Tag", "FoldedTag") SELECT {t}, {Id}, 0, 'bulk', 'bulk' FROM n;
            {numbers} INSERT INTO contacts_list_memberships ("TenantId", "ListId", "ContactId", "Status", "Source", "JoinedAtTicks", "UpdatedAtTicks", "ChannelOverrides", "Version")
                SELECT {t}, '{list.Id.Value.ToString().ToUpperInvariant()}', {Id}, 1, 2, i, i, '{UnanalyzedPlanTests.NoOverridesJson}', 1 FROM n;
            COMMIT;
            """,
            connection);
        command.CommandTimeout = 120;
        await command.ExecuteNonQueryAsync();
        return (tenant, list.Id);
    }

    /// <summary>The bytes one page of 1,000 members allocates, the page after the first (so that queries are compiled).</summary>
    private async Task<long> PageAllocationAsync((TenantId Tenant, ListId List) list)
    {
        var lists = Lists;
        var first = await lists.GetMembersAsync(list.Tenant, list.List, new ListMembersRequest(Size: 1_000));
        Assert.Equal(1_000, first.Items.Count);
        var before = GC.GetTotalAllocatedBytes(precise: true);
        var second = await lists.GetMembersAsync(list.Tenant, list.List, new ListMembersRequest(Size: 1_000, Cursor: first.NextCursor));
        var allocated = GC.GetTotalAllocatedBytes(precise: true) - before;

        Assert.Equal(1_000, second.Items.Count);
        Assert.Equal("Member 1001", second.Items[0].Contact.FirstName);
        return allocated;
    }
}
