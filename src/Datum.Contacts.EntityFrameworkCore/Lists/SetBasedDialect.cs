using System.Data.Common;
using Microsoft.EntityFrameworkCore;

namespace Datum.Contacts.EntityFrameworkCore;

/// <summary>
/// The little SQL that set-based membership changes need beyond what EF Core writes: building a history id from its
/// sequence value (<see cref="MembershipHistoryIds"/>) with random bits, telling a constraint or lock conflict from
/// other errors, and refreshing statistics. Known for PostgreSQL and SQLite; other providers keep the
/// per-membership path.
/// </summary>
internal abstract class SetBasedDialect
{
    private static readonly SetBasedDialect PostgreSql = new PostgreSqlDialect();
    private static readonly SetBasedDialect Sqlite = new SqliteDialect();

    /// <summary>The dialect of a context's provider; null when set-based changes are not written for it.</summary>
    public static SetBasedDialect? For(DbContext context) => context.Database.ProviderName switch
    {
        TableStatistics.NpgsqlProvider => PostgreSql,
        TableStatistics.SqliteProvider => Sqlite,
        _ => null,
    };

    /// <summary>
    /// The id of sequence value <paramref name="sequence"/> (an SQL expression of type bigint), laid out as
    /// <see cref="MembershipHistoryIds"/> says, in the column type the provider stores Guids in.
    /// </summary>
    public abstract string HistoryId(string sequence);

    /// <summary>Whether an error of a statement is a constraint violation, a deadlock or a serialization failure: a concurrent writer.</summary>
    public abstract bool IsConflict(DbException exception);

    /// <summary>A statement run once in the commit's transaction before its set-based changes; null when none is needed.</summary>
    public virtual string? BeforeChanges => null;

    /// <summary>PostgreSQL: uuid from hex text; SQLSTATE classes 23 and 40.</summary>
    private sealed class PostgreSqlDialect : SetBasedDialect
    {
        // gen_random_uuid() (PostgreSQL 13+) gives the random tail: its text from position 20 is the variant digit (8-b)
        // and the last 15 hex digits, exactly the shape of the tail of a version 7 id.
        public override string HistoryId(string sequence)
            => $"CAST(lpad(to_hex(({sequence}) >> 28), 8, '0') || '-' || lpad(to_hex((({sequence}) >> 12) & 65535), 4, '0') || '-7' "
                + $"|| lpad(to_hex(({sequence}) & 4095), 3, '0') || '-' || substr(CAST(gen_random_uuid() AS text), 20, 17) AS uuid)";

        public override bool IsConflict(DbException exception)
            => exception.SqlState is { } state && (state.StartsWith("23", StringComparison.Ordinal) || state.StartsWith("40", StringComparison.Ordinal));

        // Every statement of a change reads the tenant's rows through indexes that lead with the tenant. Without this,
        // a list with no memberships yet (statistics say the table holds none of its rows) is filled with a nested loop
        // whose inner sequential scan of list_memberships is rescanned for each contact, over the pages the same
        // statement is adding: quadratic (50,000 joins took 13.8 s instead of 0.7 s). For this transaction only.
        public override string? BeforeChanges => "SET LOCAL enable_seqscan = off";
    }

    /// <summary>SQLite: upper-case text, as EF Core's SQLite provider stores a Guid; SQLITE_CONSTRAINT.</summary>
    private sealed class SqliteDialect : SetBasedDialect
    {
        private const int SqliteConstraint = 19;

        public override string HistoryId(string sequence)
            => $"printf('%08X-%04X-7%03X-%04X-', ({sequence}) >> 28, (({sequence}) >> 12) & 65535, ({sequence}) & 4095, 32768 | (random() & 16383)) "
                + "|| hex(randomblob(6))";

        public override bool IsConflict(DbException exception) => exception.ErrorCode == SqliteConstraint;
    }
}
