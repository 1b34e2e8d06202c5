using System.Data.Common;
using System.Globalization;
using System.Linq.Expressions;
using System.Text;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Infrastructure;
using Microsoft.EntityFrameworkCore.Metadata;
using Microsoft.EntityFrameworkCore.Storage;

namespace Datum.Contacts.EntityFrameworkCore;

/// <summary>
/// Set-based membership changes (<see cref="ISetBasedMembershipMaintenance"/>), applied inside the commit's transaction
/// with a few statements per batch of contacts and never a membership in memory: joins as
/// <c>INSERT ... SELECT</c> into the history and the memberships over the criteria EF Core translates, removals as
/// <c>INSERT ... SELECT</c> into the history and then <c>DELETE</c>. Each statement's row count is checked against the
/// other's and against the counts the caller recorded: any difference is a concurrent writer, and the commit fails.
/// </summary>
internal sealed partial class EntityFrameworkCoreUnitOfWork
{
    /// <summary>Set-based changes write more rows than this: refresh the planner's statistics after the commit.</summary>
    internal const int AnalyzeAfterRows = 10_000;

    /// <summary>
    /// Contacts per batch of statements when a change may move more than that: every statement then reads and writes a
    /// bounded range of contacts, far from the command timeout whatever the tenant's size.
    /// </summary>
    internal static int SetBasedBatchSize { get; set; } = 50_000;

    /// <summary>The set-based changes queued, in order.</summary>
    internal List<SetBasedMembershipChange> SetBasedChanges { get; } = [];

    /// <summary>The provider's SQL for set-based changes; null when the provider keeps the per-membership path.</summary>
    internal SetBasedDialect? Dialect { get; }

    /// <summary>Rows the set-based changes of the current commit attempt wrote.</summary>
    private long _setBasedRows;

    /// <summary>The contacts of a list that match a criteria and have no membership on it.</summary>
    internal IQueryable<ContactRow> Entering(IQueryable<ContactRow> matching, Guid listKey)
    {
        var onList = MembershipRows.Where(m => m.ListId == listKey);
        return matching.Where(c => !onList.Any(m => m.ContactId == c.Id));
    }

    /// <summary>
    /// The memberships that leave: those, not unsubscribed, whose contact does not match (NOT EXISTS over the matching
    /// contacts, the negation of the whole predicate whatever its NULLs do); every one when <paramref name="matching"/> is null.
    /// </summary>
    internal static IQueryable<ListMembershipRow> Leaving(IQueryable<ListMembershipRow> onList, IQueryable<ContactRow>? matching)
        => matching is null ? onList : onList.Where(m => m.Status != MembershipStatus.Unsubscribed && !matching.Any(c => c.Id == m.ContactId));

    /// <summary>The history rows a set-based change wrote: its list, its time, its block of ids.</summary>
    internal IQueryable<MembershipHistoryRow> WrittenBy(SetBasedMembershipChange change)
    {
        var (listKey, ticks, lowest, highest) = (change.List.Value, change.OccurredAt.UtcTicks, change.Ids.Lowest, change.Ids.Highest);
        return HistoryRows.Where(h => h.ListId == listKey && h.OccurredAtTicks == ticks && h.Id.CompareTo(lowest) >= 0 && h.Id.CompareTo(highest) <= 0);
    }

    /// <summary>Applies the queued removals of deleted lists' memberships (before the lists are deleted), or the queued refreshes (after every other change is written).</summary>
    private async Task ApplySetBasedChangesAsync(bool removals, CancellationToken cancellationToken)
    {
        var before = Dialect?.BeforeChanges;
        foreach (var change in SetBasedChanges.Where(c => (c.Criteria is null) == removals))
        {
            if (before is not null)
            {
                await Context.Database.ExecuteSqlRawAsync(before, cancellationToken).ConfigureAwait(false);
                before = null;
            }

            await ApplyAsync(change, cancellationToken).ConfigureAwait(false);
        }
    }

    /// <summary>After a commit with big set-based changes, refreshes the statistics of the tables they wrote (<see cref="TableStatistics.AnalyzeAsync"/>).</summary>
    private async Task AnalyzeAfterSetBasedChangesAsync()
    {
        if (_setBasedRows < AnalyzeAfterRows)
        {
            return;
        }

        try
        {
            await TableStatistics.AnalyzeAsync(Context, CancellationToken.None, typeof(ListMembershipRow), typeof(MembershipHistoryRow)).ConfigureAwait(false);
        }
        catch (DbException)
        {
            // The change is committed; statistics are only the planner's hint, and autovacuum refreshes them later.
        }
    }

    private async Task ApplyAsync(SetBasedMembershipChange change, CancellationToken cancellationToken)
    {
        var moved = new MovedCounts();
        try
        {
            Guid? from = null;
            while (true)
            {
                var to = change.Ids.Count <= SetBasedBatchSize ? null : await BatchEndAsync(from, cancellationToken).ConfigureAwait(false);
                await ApplyBatchAsync(change, from, to, moved, cancellationToken).ConfigureAwait(false);
                if (to is null)
                {
                    break;
                }

                from = to;
            }
        }
        catch (DbException exception) when (Dialect!.IsConflict(exception))
        {
            throw MovedConflict(change, "had memberships changed by another writer while they were being changed", exception);
        }

        if (change.Expected is { } expected)
        {
            if (expected != new MembershipDeltaCounts(moved.Entering, moved.Leaving, moved.LeavingActive))
            {
                throw MovedConflict(change, $"had memberships changed by another writer since they were counted ({expected.Entering} to join and {expected.Leaving} to leave, but {moved.Entering} and {moved.Leaving} did)", null);
            }

            return; // the count moved by the expected numbers when the list row was locked
        }

        var key = change.List.Value;
        var delta = (long)moved.Entering - moved.LeavingActive;
        if (delta != 0)
        {
            await ListRows.Where(r => r.Id == key)
                .ExecuteUpdateAsync(set => set.SetProperty(r => r.MemberCount, r => r.MemberCount + delta), cancellationToken)
                .ConfigureAwait(false);
        }
    }

    /// <summary>The last contact id of the batch that starts after <paramref name="from"/>; null when the batch runs to the end.</summary>
    private Task<Guid?> BatchEndAsync(Guid? from, CancellationToken cancellationToken)
        => InRange(ContactRows, c => c.Id, from, null)
            .OrderBy(c => c.Id)
            .Select(c => (Guid?)c.Id)
            .Skip(SetBasedBatchSize - 1)
            .FirstOrDefaultAsync(cancellationToken);

    private async Task ApplyBatchAsync(SetBasedMembershipChange change, Guid? from, Guid? to, MovedCounts moved, CancellationToken cancellationToken)
    {
        var listKey = change.List.Value;
        var onList = InRange(MembershipRows.Where(m => m.ListId == listKey), m => m.ContactId, from, to);
        IQueryable<ContactRow>? matching = null;
        if (change.Criteria is { } criteria)
        {
            matching = ContactRows.Where(CriteriaSqlTranslator.Translate(criteria));
            var candidates = InRange(matching, c => c.Id, from, to);
            if (change.Within is { } within)
            {
                var moving = WrittenBy(within);
                candidates = candidates.Where(c => moving.Any(h => h.ContactId == c.Id));
            }

            var entering = Entering(candidates, listKey).Select(c => c.Id);
            var history = await InsertHistoryAsync(change, entering, MembershipStatus.Active, moved, cancellationToken).ConfigureAwait(false);
            var joined = await InsertSelectAsync(
                entering,
                ["contact_id"],
                ListRowMapper.ToRow(ListMembership.Create(Tenant, change.List, default, MembershipStatus.Active, MembershipSource.Dynamic, change.OccurredAt)),
                new Dictionary<string, string> { [nameof(ListMembershipRow.ContactId)] = "q.contact_id" },
                numbered: false,
                cancellationToken).ConfigureAwait(false);
            Check(change, history, joined);
            moved.Entering += joined;
            _setBasedRows += joined;
        }

        if (change.Within is { } leavingWithin)
        {
            var moving = WrittenBy(leavingWithin);
            onList = onList.Where(m => moving.Any(h => h.ContactId == m.ContactId));
        }

        var leaving = Leaving(onList, matching);
        var left = await InsertHistoryAsync(change, leaving.Select(m => new { m.ContactId, m.Status }), null, moved, cancellationToken).ConfigureAwait(false);
        var leftActive = await leaving.Where(m => m.Status == MembershipStatus.Active).ExecuteDeleteAsync(cancellationToken).ConfigureAwait(false);
        var leftOther = await leaving.Where(m => m.Status != MembershipStatus.Active).ExecuteDeleteAsync(cancellationToken).ConfigureAwait(false);
        Check(change, left, leftActive + leftOther);
        moved.Leaving += left;
        moved.LeavingActive += leftActive;
        _setBasedRows += leftActive + leftOther;
    }

    /// <summary>
    /// Writes one history entry per row of <paramref name="contacts"/> (a contact id, then, for removals, the status it
    /// leaves from), in contact id order, taking the change's next ids.
    /// </summary>
    private async Task<int> InsertHistoryAsync(SetBasedMembershipChange change, IQueryable contacts, MembershipStatus? to, MovedCounts moved, CancellationToken cancellationToken)
    {
        var first = change.Ids.First + moved.Entering + moved.Leaving;
        var columns = new Dictionary<string, string>
        {
            [nameof(MembershipHistoryRow.Id)] = Dialect!.HistoryId($"{first.ToString(CultureInfo.InvariantCulture)} + q.n"),
            [nameof(MembershipHistoryRow.ContactId)] = "q.contact_id",
        };
        string[] source = ["contact_id"];
        if (to is null)
        {
            columns[nameof(MembershipHistoryRow.FromStatus)] = "q.from_status";
            source = ["contact_id", "from_status"];
        }

        var template = ListRowMapper.ToRow(new MembershipHistoryEntry(Guid.Empty, Tenant, change.List, default, change.OccurredAt, null, to, change.Reason, change.Actor));
        var written = await InsertSelectAsync(contacts, source, template, columns, numbered: true, cancellationToken).ConfigureAwait(false);
        if (moved.Entering + moved.Leaving + written > change.Ids.Count)
        {
            throw MovedConflict(change, "had more memberships to change than were counted", null);
        }

        _setBasedRows += written;
        return written;
    }

    /// <summary>
    /// <c>INSERT INTO</c> the table of <typeparamref name="TRow"/> every column, from the rows of a query EF Core
    /// translates: a column named in <paramref name="columns"/> takes that SQL (over the query's rows as <c>q</c>, with
    /// <c>q.n</c> their 0-based number in order of the first source column when <paramref name="numbered"/>), every
    /// other column the template row's value, as a parameter of the column's own type mapping.
    /// </summary>
    private async Task<int> InsertSelectAsync<TRow>(IQueryable source, string[] sourceColumns, TRow template, Dictionary<string, string> columns, bool numbered, CancellationToken cancellationToken)
        where TRow : class
    {
        var entity = Context.Model.FindEntityType(typeof(TRow))!;
        var sql = Context.GetService<ISqlGenerationHelper>();
        using var command = source.CreateDbCommand();
        var names = new StringBuilder();
        var values = new StringBuilder();
        foreach (var property in entity.GetProperties())
        {
            var separator = names.Length == 0 ? string.Empty : ", ";
            names.Append(separator).Append(sql.DelimitIdentifier(property.GetColumnName()));
            if (!columns.TryGetValue(property.Name, out var value))
            {
                value = $"@sb_{property.Name}";
                var clrValue = property.PropertyInfo?.GetValue(template) ?? (property.IsNullable ? null : throw new InvalidOperationException($"No value for {entity.DisplayName()}.{property.Name}."));
                command.Parameters.Add(property.GetRelationalTypeMapping().CreateParameter(command, value, clrValue, property.IsNullable));
            }

            values.Append(separator).Append(value);
        }

        var rows = numbered ? $"(SELECT m.*, ROW_NUMBER() OVER (ORDER BY m.{sourceColumns[0]}) - 1 AS n FROM moved AS m)" : "moved";
        command.CommandText = $"WITH moved({string.Join(", ", sourceColumns)}) AS ({command.CommandText})\n"
            + $"INSERT INTO {TableOf<TRow>()} ({names})\nSELECT {values} FROM {rows} AS q";
        command.Transaction = Context.Database.CurrentTransaction?.GetDbTransaction();
        if (Context.Database.GetCommandTimeout() is { } timeout)
        {
            command.CommandTimeout = timeout;
        }

        return await command.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false);
    }

    private string TableOf<TRow>() => TableStatistics.TableOf(Context, typeof(TRow));

    /// <summary>Only the rows whose contact id is after <paramref name="from"/> and at most <paramref name="to"/> (each when given).</summary>
    private static IQueryable<TRow> InRange<TRow>(IQueryable<TRow> rows, Expression<Func<TRow, Guid>> contactId, Guid? from, Guid? to)
    {
        if (from is { } after)
        {
            rows = rows.Where(Compare(contactId, after, ExpressionType.GreaterThan));
        }

        if (to is { } last)
        {
            rows = rows.Where(Compare(contactId, last, ExpressionType.LessThanOrEqual));
        }

        return rows;
    }

    /// <summary><c>id.CompareTo(bound) op 0</c> with the bound as a parameter (<see cref="Keyset.Compare"/>), a comparison of the stored ids.</summary>
    private static Expression<Func<TRow, bool>> Compare<TRow>(Expression<Func<TRow, Guid>> id, Guid bound, ExpressionType comparison)
        => Expression.Lambda<Func<TRow, bool>>(Keyset.Compare(id.Body, comparison, Keyset.Parameter(bound)), id.Parameters);

    private void Check(SetBasedMembershipChange change, int history, int memberships)
    {
        if (history != memberships)
        {
            throw MovedConflict(change, $"had memberships changed by another writer during the change ({history} history entries for {memberships} memberships)", null);
        }
    }

    private ConcurrencyConflictException MovedConflict(SetBasedMembershipChange change, string reason, Exception? inner)
    {
        var version = Guard.LoadedVersion(change.List) ?? ListChanges.LastOrDefault(c => c.List.Id == change.List).List?.Version ?? 0;
        return new ConcurrencyConflictException(AuditEntityTypes.List, change.List.ToString(), reason, version, inner);
    }

    /// <summary>What a change has moved so far.</summary>
    private sealed class MovedCounts
    {
        public int Entering { get; set; }

        public int Leaving { get; set; }

        public int LeavingActive { get; set; }
    }
}
