using System.Data.Common;
using System.Diagnostics;
using System.Globalization;
using System.Linq.Expressions;
using System.Reflection;
using Datum.Contacts.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Diagnostics;
using Microsoft.Extensions.DependencyInjection;
using Npgsql;
using ParsedCriteria = Datum.Contacts.Criteria;

namespace Datum.Contacts.Benchmarks;

/// <summary>
/// <c>dotnet run -c Release -- postgres-explain</c>: for each criteria, the SQL the store sends for
/// <see cref="IContactService.CountAsync"/> (recorded by an interceptor, with its parameters) and the hand-written
/// SQL, both run under <c>EXPLAIN (ANALYZE, BUFFERS)</c> after a few warm runs. Not a benchmark: a look at the plans.
/// </summary>
internal static class PostgresExplain
{
    public static async Task RunAsync()
    {
        PostgresBenchmarkDatabase.EnsureLoaded();
        var recorder = new CommandRecorder();
        await using var services = PostgresBenchmarkDatabase.BuildServices(o => o.AddInterceptors(recorder));
        await using var scope = services.CreateAsyncScope();
        var contacts = scope.ServiceProvider.GetRequiredService<IContactService>();
        await using var connection = new NpgsqlConnection(PostgresBenchmarkDatabase.ConnectionString);
        await connection.OpenAsync();
        foreach (var criteria in Enum.GetValues<CriteriaCase>())
        {
            var parsed = ParsedCriteria.Parse(CriteriaData.Text(criteria));
            recorder.Clear();
            var byStore = await contacts.CountAsync(PostgresBenchmarkDatabase.Tenant, parsed);
            var (sql, parameters) = recorder.Commands.Last(c => c.Sql.Contains("contacts_contacts", StringComparison.Ordinal));
            var handWritten = PostgresHandWrittenCount.For(criteria);

            Console.WriteLine($"==== {criteria}: {CriteriaData.Text(criteria)}");
            Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"---- Store SQL (count {byStore:N0}); every command of the CountAsync call:"));
            foreach (var command in recorder.Commands)
            {
                Console.WriteLine(command.Sql);
                Console.WriteLine("     parameters: " + string.Join(", ", command.Parameters.Select(Describe)));
            }

            await AlternateAsync(contacts, parsed, handWritten);
            await CompareAsync(connection, "store SQL", sql, parameters, handWritten);

            // The store's SQL with a boolean comparison folded away, as proposed for CriteriaSqlTranslator: a
            // channel test compared with a true/false parameter becomes the bare NOT EXISTS (or EXISTS).
            var compiler = new CriteriaCompiler();
            var translated = CriteriaSqlTranslator.Translate(compiler.Compile(parsed, CriteriaData.Schema));
            var folded = (Expression<Func<ContactRow, bool>>)new BooleanComparisonFolding().Visit(translated);
            if (!ReferenceEquals(folded, translated))
            {
                recorder.Clear();
                var options = new DbContextOptionsBuilder<ContactsDbContext>().UseNpgsql(PostgresBenchmarkDatabase.ConnectionString).AddInterceptors(recorder).Options;
                await using var context = new ContactsDbContext(options);
                var tenant = PostgresBenchmarkDatabase.Tenant.Value;
                var byFolded = await context.Set<ContactRow>().AsNoTracking().Where(r => r.TenantId == tenant).Where(folded).LongCountAsync();
                var (foldedSql, foldedParameters) = recorder.Commands[^1];
                Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"---- Store SQL with the boolean comparison folded (proposed translator change; count {byFolded:N0}):"));
                Console.WriteLine(foldedSql);
                await CompareAsync(connection, "folded store SQL", foldedSql, foldedParameters, handWritten);
            }

            Console.WriteLine("---- Hand-written SQL:");
            Console.WriteLine(handWritten.Sql);
            Console.WriteLine("---- EXPLAIN (ANALYZE, BUFFERS) of the hand-written SQL:");
            await using (var explain = handWritten.Command(connection, "EXPLAIN (ANALYZE, BUFFERS) "))
            {
                await PrintAsync(explain);
            }

            Console.WriteLine();
        }
    }

    /// <summary>
    /// The two benchmarks' operations alternated in this one process (3 warm-up rounds, then 11 timed): the whole
    /// <see cref="IContactService.CountAsync"/> against the hand-written count on a pooled connection opened for the
    /// call. Between processes the same query varies by 20 to 30% on a shared machine; alternating cancels that out.
    /// </summary>
    private static async Task AlternateAsync(IContactService contacts, ParsedCriteria criteria, PostgresHandWrittenCount handWritten)
    {
        const int Rounds = 11;
        var storeTimes = new List<double>();
        var handTimes = new List<double>();
        for (var i = -3; i < Rounds; i++)
        {
            var watch = Stopwatch.StartNew();
            await contacts.CountAsync(PostgresBenchmarkDatabase.Tenant, criteria);
            var store = watch.Elapsed.TotalMilliseconds;
            watch.Restart();
            await using (var connection = new NpgsqlConnection(PostgresBenchmarkDatabase.ConnectionString))
            {
                await connection.OpenAsync();
                await handWritten.ExecuteAsync(connection);
            }

            var hand = watch.Elapsed.TotalMilliseconds;
            if (i >= 0)
            {
                storeTimes.Add(store);
                handTimes.Add(hand);
            }
        }

        var (storeMedian, handMedian) = (Median(storeTimes), Median(handTimes));
        Console.WriteLine(string.Create(
            CultureInfo.InvariantCulture,
            $"---- Alternating in one process, median of {Rounds}: CountAsync {storeMedian:F1} ms, hand-written SQL {handMedian:F1} ms, ratio {storeMedian / handMedian:F2}"));
    }

    /// <summary>Times a query of the store against the hand-written one (alternating, after warming both), then prints its plan.</summary>
    private static async Task CompareAsync(NpgsqlConnection connection, string label, string sql, NpgsqlParameter[] parameters, PostgresHandWrittenCount handWritten)
    {
        await using (var store = StoreCommand(connection, sql, parameters, string.Empty))
        await using (var hand = handWritten.Command(connection))
        {
            for (var i = 0; i < 2; i++)
            {
                await store.ExecuteScalarAsync();
                await hand.ExecuteScalarAsync();
            }

            var storeTimes = new List<double>();
            var handTimes = new List<double>();
            for (var i = 0; i < 5; i++)
            {
                storeTimes.Add(await TimeAsync(store));
                handTimes.Add(await TimeAsync(hand));
            }

            Console.WriteLine(string.Create(
                CultureInfo.InvariantCulture,
                $"---- Query alone (no context, no schema read), median of 5 alternating runs: {label} {Median(storeTimes):F1} ms, hand-written SQL {Median(handTimes):F1} ms"));
        }

        Console.WriteLine($"---- EXPLAIN (ANALYZE, BUFFERS) of the {label}:");
        await using var explain = StoreCommand(connection, sql, parameters, "EXPLAIN (ANALYZE, BUFFERS) ");
        await PrintAsync(explain);
    }

    private static NpgsqlCommand StoreCommand(NpgsqlConnection connection, string sql, NpgsqlParameter[] parameters, string prefix)
    {
        var command = new NpgsqlCommand(prefix + sql, connection);
        foreach (var parameter in parameters)
        {
            command.Parameters.Add(parameter.Clone());
        }

        return command;
    }

    private static async Task<double> TimeAsync(NpgsqlCommand command)
    {
        var watch = Stopwatch.StartNew();
        await command.ExecuteScalarAsync();
        return watch.Elapsed.TotalMilliseconds;
    }

    private static double Median(List<double> values)
    {
        var sorted = values.Order().ToArray();
        return sorted[sorted.Length / 2];
    }

    private static async Task PrintAsync(NpgsqlCommand explain)
    {
        await using var reader = await explain.ExecuteReaderAsync();
        while (await reader.ReadAsync())
        {
            Console.WriteLine(reader.GetString(0));
        }
    }

    private static string Describe(NpgsqlParameter p)
        => $"{p.ParameterName}={(p.Value is Array a ? "[" + string.Join(",", a.Cast<object>()) + "]" : p.Value)} ({p.DataTypeName ?? p.NpgsqlDbType.ToString()})";

    /// <summary>
    /// Folds <c>predicate == true/false</c> (a non-nullable boolean compared with a criteria parameter) into the
    /// predicate or its negation. EF Core sends such a comparison as <c>EXISTS (…) &lt;&gt; @p</c>, which PostgreSQL
    /// cannot turn into a (parallel) anti-join; the bare <c>NOT EXISTS (…)</c> it can.
    /// </summary>
    private sealed class BooleanComparisonFolding : ExpressionVisitor
    {
        protected override Expression VisitBinary(BinaryExpression node)
        {
            if (node.NodeType is ExpressionType.Equal or ExpressionType.NotEqual && node.Left.Type == typeof(bool))
            {
                var equal = node.NodeType == ExpressionType.Equal;
                if (Value(node.Right) is bool right)
                {
                    return Fold(Visit(node.Left), right == equal);
                }

                if (Value(node.Left) is bool left)
                {
                    return Fold(Visit(node.Right), left == equal);
                }
            }

            return base.VisitBinary(node);
        }

        private static Expression Fold(Expression predicate, bool keep)
            => keep ? predicate
                : predicate is UnaryExpression { NodeType: ExpressionType.Not } not ? not.Operand
                : Expression.Not(predicate);

        private static object? Value(Expression expression) => expression switch
        {
            ConstantExpression constant => constant.Value,
            MemberExpression { Member: FieldInfo field, Expression: ConstantExpression holder } => field.GetValue(holder.Value),
            _ => null,
        };
    }

    /// <summary>Records the text and parameters of every command EF Core executes.</summary>
    private sealed class CommandRecorder : DbCommandInterceptor
    {
        private readonly List<(string Sql, NpgsqlParameter[] Parameters)> _commands = [];

        public IReadOnlyList<(string Sql, NpgsqlParameter[] Parameters)> Commands
        {
            get
            {
                lock (_commands)
                {
                    return _commands.ToList();
                }
            }
        }

        public void Clear()
        {
            lock (_commands)
            {
                _commands.Clear();
            }
        }

        public override ValueTask<InterceptionResult<DbDataReader>> ReaderExecutingAsync(
            DbCommand command, CommandEventData eventData, InterceptionResult<DbDataReader> result, CancellationToken cancellationToken = default)
        {
            Record(command);
            return base.ReaderExecutingAsync(command, eventData, result, cancellationToken);
        }

        public override ValueTask<InterceptionResult<object>> ScalarExecutingAsync(
            DbCommand command, CommandEventData eventData, InterceptionResult<object> result, CancellationToken cancellationToken = default)
        {
            Record(command);
            return base.ScalarExecutingAsync(command, eventData, result, cancellationToken);
        }

        private void Record(DbCommand command)
        {
            var parameters = command.Parameters.Cast<NpgsqlParameter>().Select(p => p.Clone()).ToArray();
            lock (_commands)
            {
                _commands.Add((command.CommandText, parameters));
            }
        }
    }
}
