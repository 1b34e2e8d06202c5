using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Infrastructure;
using Microsoft.EntityFrameworkCore.Storage;

namespace Datum.Contacts.EntityFrameworkCore;

/// <summary>
/// Keeps the planner's statistics current. The store's plans do not need them (every side table is reached by an
/// index that leads with tenant and contact), but a planner with none can still pick a join order that reads far
/// more than it must, so the store refreshes them where it is cheap: SQLite runs <c>PRAGMA optimize</c> after each
/// commit (usually a no-op; it analyzes a table, within a bounded sample, only when its size changed enough), and
/// a bulk path calls <see cref="AnalyzeAsync"/> for the tables it loaded.
/// </summary>
internal static class TableStatistics
{
    /// <summary>The provider name of EF Core's SQLite provider.</summary>
    internal const string SqliteProvider = "Microsoft.EntityFrameworkCore.Sqlite";

    /// <summary>The provider name of Npgsql's PostgreSQL provider.</summary>
    internal const string NpgsqlProvider = "Npgsql.EntityFrameworkCore.PostgreSQL";

    /// <summary>Whether the context runs on SQLite.</summary>
    internal static bool IsSqlite(DbContext context) => context.Database.ProviderName == SqliteProvider;

    /// <summary>
    /// What SQLite's documentation recommends before a connection that changed data is closed: <c>PRAGMA optimize</c>,
    /// which re-analyzes (with its own analysis limit) only the tables whose statistics no longer hold. Nothing on
    /// other providers (PostgreSQL's autovacuum analyzes on its own; bulk paths call <see cref="AnalyzeAsync"/>).
    /// </summary>
    /// <remarks>It runs after the commit, so it can only fail on its own (a busy database): then the statistics wait for the next commit.</remarks>
    internal static async Task OptimizeAsync(DbContext context)
    {
        if (!IsSqlite(context))
        {
            return;
        }

        try
        {
            await context.Database.ExecuteSqlRawAsync("PRAGMA optimize", CancellationToken.None).ConfigureAwait(false);
        }
        catch (System.Data.Common.DbException)
        {
            // The commit is done; a statistics refresh is never worth failing it.
        }
    }

    /// <summary>The table of a row type as SQL names it (schema and prefix included, delimited).</summary>
    /// <param name="context">The context whose model names the table.</param>
    /// <param name="row">The row type (<see cref="ContactRow"/>, <see cref="ListMembershipRow"/>, ...).</param>
    /// <exception cref="ArgumentException">The type is not a table of the model.</exception>
    internal static string TableOf(DbContext context, Type row)
    {
        var entity = context.Model.FindEntityType(row)
            ?? throw new ArgumentException($"{row.Name} is not a table of the contact management model.", nameof(row));
        return context.GetService<ISqlGenerationHelper>().DelimitIdentifier(entity.GetTableName()!, entity.GetSchema());
    }

    /// <summary>
    /// Gathers the planner's statistics of the tables of these rows now (<c>ANALYZE</c>), for a bulk path that just
    /// loaded or changed many of their rows: PostgreSQL's autovacuum would analyze them only a minute or more later,
    /// and a fresh SQLite table has no statistics until someone analyzes it. Nothing on other providers.
    /// </summary>
    /// <param name="context">The context whose model names the tables.</param>
    /// <param name="cancellationToken">Cancels the statement.</param>
    /// <param name="rows">The row types (<see cref="ContactRow"/>, <see cref="ContactTagRow"/>, ...) whose tables to analyze.</param>
    internal static async Task AnalyzeAsync(DbContext context, CancellationToken cancellationToken, params Type[] rows)
    {
        var provider = context.Database.ProviderName;
        if (rows.Length == 0 || provider is not (SqliteProvider or NpgsqlProvider))
        {
            return;
        }

        var tables = rows.Select(type => TableOf(context, type)).Distinct(StringComparer.Ordinal).ToList();

        // PostgreSQL analyzes several tables in one statement; SQLite takes one name per ANALYZE.
        var statements = provider == NpgsqlProvider ? ["ANALYZE " + string.Join(", ", tables)] : tables.Select(t => "ANALYZE " + t);
        foreach (var statement in statements)
        {
            await context.Database.ExecuteSqlRawAsync(statement, cancellationToken).ConfigureAwait(false);
        }
    }
}
