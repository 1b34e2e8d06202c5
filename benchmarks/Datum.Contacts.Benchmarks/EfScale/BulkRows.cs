using System.Data.Common;
using System.Diagnostics;
using System.Globalization;
using System.Linq.Expressions;
using Microsoft.Data.Sqlite;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata;
using Microsoft.EntityFrameworkCore.Storage;
using Npgsql;
using NpgsqlTypes;

namespace Datum.Contacts.Benchmarks;

/// <summary>
/// A table of the store's EF Core model as bulk loaders write it: its quoted name and every mapped column, each read
/// from the row's CLR property and converted to the provider's value by the model's own type mapping, so a loaded row
/// holds exactly what EF Core would have written.
/// </summary>
/// <typeparam name="TRow">The row type (one of the store's entity types).</typeparam>
internal sealed class RowTable<TRow>
    where TRow : class
{
    private RowTable(string name, string qualified, RowColumn<TRow>[] columns)
    {
        Name = name;
        Qualified = qualified;
        Columns = columns;
    }

    /// <summary>The table name.</summary>
    public string Name { get; }

    /// <summary>The quoted, schema-qualified name.</summary>
    public string Qualified { get; }

    /// <summary>Every mapped column.</summary>
    public RowColumn<TRow>[] Columns { get; }

    /// <summary>The quoted column list, comma-separated.</summary>
    public string ColumnList => string.Join(", ", Columns.Select(c => "\"" + c.Name + "\""));

    /// <summary>The table of <typeparamref name="TRow"/> in a model.</summary>
    /// <param name="model">The context's model.</param>
    public static RowTable<TRow> Of(IModel model)
    {
        var entity = model.FindEntityType(typeof(TRow)) ?? throw new InvalidOperationException($"{typeof(TRow).Name} is not in the model.");
        var tableName = entity.GetTableName()!;
        var table = StoreObjectIdentifier.Table(tableName, entity.GetSchema());
        var qualified = entity.GetSchema() is { } schema ? $"\"{schema}\".\"{tableName}\"" : $"\"{tableName}\"";
        return new RowTable<TRow>(tableName, qualified, entity.GetProperties().Select(p => RowColumn<TRow>.Of(p, table)).ToArray());
    }
}

/// <summary>One column of a <see cref="RowTable{TRow}"/>.</summary>
/// <typeparam name="TRow">The row type.</typeparam>
internal sealed class RowColumn<TRow>
{
    private readonly Func<TRow, object?> _read;
    private readonly Func<object?, object?>? _convert;

    private RowColumn(string name, Func<TRow, object?> read, RelationalTypeMapping mapping)
    {
        Name = name;
        _read = read;
        Mapping = mapping;
        _convert = mapping.Converter is { } converter ? converter.ConvertToProvider : null;
    }

    /// <summary>The column name.</summary>
    public string Name { get; }

    /// <summary>The model's type mapping of the column.</summary>
    public RelationalTypeMapping Mapping { get; }

    /// <summary>The column of a property.</summary>
    public static RowColumn<TRow> Of(IProperty property, StoreObjectIdentifier table)
    {
        var info = property.PropertyInfo ?? throw new InvalidOperationException($"{property.Name} has no CLR property.");
        var row = Expression.Parameter(typeof(TRow), "row");
        var read = Expression.Lambda<Func<TRow, object?>>(Expression.Convert(Expression.Property(row, info), typeof(object)), row).Compile();
        return new RowColumn<TRow>(property.GetColumnName(table)!, read, (RelationalTypeMapping)property.GetTypeMapping());
    }

    /// <summary>The row's value of the column (the CLR value, before conversion).</summary>
    public object? Read(TRow row) => _read(row);

    /// <summary>Adds the row's value to a command as EF Core binds it (the mapping's converter and parameter settings).</summary>
    public void Bind(DbCommand command, string parameterName, TRow row)
        => command.Parameters.Add(Mapping.CreateParameter(command, parameterName, _read(row)));

    /// <summary>Writes the row's value into a binary COPY, converted as the model does, with its PostgreSQL type.</summary>
    public void Write(NpgsqlBinaryImporter writer, TRow row)
    {
        var value = _read(row);
        if (_convert is not null && value is not null)
        {
            value = _convert(value);
        }

        switch (value)
        {
            case null:
                writer.WriteNull();
                break;
            case string text:
                writer.Write(text, NpgsqlDbType.Text);
                break;
            case Guid id:
                writer.Write(id, NpgsqlDbType.Uuid);
                break;
            case int number:
                writer.Write(number, NpgsqlDbType.Integer);
                break;
            case long number:
                writer.Write(number, NpgsqlDbType.Bigint);
                break;
            case bool flag:
                writer.Write(flag, NpgsqlDbType.Boolean);
                break;
            case decimal number:
                writer.Write(number, NpgsqlDbType.Numeric);
                break;
            case DateOnly date:
                writer.Write(date, NpgsqlDbType.Date);
                break;
            default:
                throw new NotSupportedException($"Column {Name}: no COPY mapping for {value.GetType().Name}.");
        }
    }
}

/// <summary>Receives the rows of one table and writes them in bulk; <see cref="Complete"/> ends the write.</summary>
/// <typeparam name="TRow">The row type.</typeparam>
internal abstract class RowSink<TRow> : IDisposable
    where TRow : class
{
    private readonly Stopwatch _watch = Stopwatch.StartNew();

    protected RowSink(RowTable<TRow> table) => Table = table;

    /// <summary>The table.</summary>
    public RowTable<TRow> Table { get; }

    /// <summary>How many rows were added.</summary>
    public long Count { get; private set; }

    /// <summary>Adds a row.</summary>
    public void Add(TRow row)
    {
        Write(row);
        Count++;
    }

    /// <summary>Adds rows.</summary>
    public void AddRange(IEnumerable<TRow> rows)
    {
        foreach (var row in rows)
        {
            Add(row);
        }
    }

    /// <summary>Writes what is left; returns what was written and in how long (since the sink was opened).</summary>
    public string Complete()
    {
        Finish();
        return string.Create(CultureInfo.InvariantCulture, $"{Table.Name} {Count:N0} rows");
    }

    /// <inheritdoc />
    public abstract void Dispose();

    protected abstract void Write(TRow row);

    protected abstract void Finish();
}

/// <summary>Binary COPY of the store's rows into PostgreSQL (Npgsql's <c>BeginBinaryImport</c>), one table per connection.</summary>
/// <typeparam name="TRow">The row type.</typeparam>
internal sealed class PostgresCopy<TRow> : RowSink<TRow>
    where TRow : class
{
    private readonly NpgsqlBinaryImporter _writer;

    public PostgresCopy(NpgsqlConnection connection, IModel model)
        : base(RowTable<TRow>.Of(model))
        => _writer = connection.BeginBinaryImport($"COPY {Table.Qualified} ({Table.ColumnList}) FROM STDIN (FORMAT BINARY)");

    public override void Dispose() => _writer.Dispose();

    protected override void Write(TRow row)
    {
        _writer.StartRow();
        foreach (var column in Table.Columns)
        {
            column.Write(_writer, row);
        }
    }

    protected override void Finish() => _writer.Complete();
}

/// <summary>Binary COPY of a sequence of rows.</summary>
internal static class PostgresCopy
{
    /// <summary>Writes rows with binary COPY into their table, the columns taken from the store's EF Core model.</summary>
    /// <returns>What was written, and how fast.</returns>
    public static string Copy<TRow>(NpgsqlConnection connection, IModel model, IEnumerable<TRow> rows)
        where TRow : class
    {
        var watch = Stopwatch.StartNew();
        using var sink = new PostgresCopy<TRow>(connection, model);
        sink.AddRange(rows);
        return string.Create(CultureInfo.InvariantCulture, $"{sink.Complete()} in {watch.Elapsed.TotalSeconds:F1} s");
    }
}

/// <summary>
/// Multi-row <c>INSERT</c>s of the store's rows into SQLite: one command of as many rows as fit in
/// <see cref="MaxVariables"/> parameters, prepared once and run again for each batch with new values, inside the caller's transaction.
/// Binding looks each parameter up by name, a linear search in SQLite, so a statement of thousands of parameters costs
/// far more per row than a few small ones; a couple of hundred is the sweet spot.
/// </summary>
/// <typeparam name="TRow">The row type.</typeparam>
internal sealed class SqliteInsert<TRow> : RowSink<TRow>
    where TRow : class
{
    /// <summary>The most parameters one statement binds.</summary>
    public const int MaxVariables = 200;

    private readonly SqliteConnection _connection;
    private readonly SqliteTransaction _transaction;
    private readonly List<TRow> _batch;
    private readonly int _perStatement;
    private SqliteCommand? _full;

    public SqliteInsert(SqliteConnection connection, SqliteTransaction transaction, IModel model)
        : base(RowTable<TRow>.Of(model))
    {
        _connection = connection;
        _transaction = transaction;
        _perStatement = Math.Max(1, MaxVariables / Table.Columns.Length);
        _batch = new List<TRow>(_perStatement);
    }

    public override void Dispose() => _full?.Dispose();

    protected override void Write(TRow row)
    {
        _batch.Add(row);
        if (_batch.Count == _perStatement)
        {
            if (_full is null)
            {
                _full = Command(_perStatement);
                _full.Prepare();
            }

            Run(_full);
        }
    }

    protected override void Finish()
    {
        if (_batch.Count > 0)
        {
            using var rest = Command(_batch.Count);
            Run(rest);
        }
    }

    private SqliteCommand Command(int rows)
    {
        var width = Table.Columns.Length;
        var values = Enumerable.Range(0, rows)
            .Select(r => "(" + string.Join(", ", Enumerable.Range(0, width).Select(c => Name(r, c, width))) + ")");
        return new SqliteCommand($"INSERT INTO {Table.Qualified} ({Table.ColumnList}) VALUES {string.Join(", ", values)}", _connection, _transaction);
    }

    private void Run(SqliteCommand command)
    {
        var width = Table.Columns.Length;
        command.Parameters.Clear();
        for (var r = 0; r < _batch.Count; r++)
        {
            for (var c = 0; c < width; c++)
            {
                Table.Columns[c].Bind(command, Name(r, c, width), _batch[r]);
            }
        }

        command.ExecuteNonQuery();
        _batch.Clear();
    }

    private static string Name(int row, int column, int width) => "@p" + (row * width + column).ToString(CultureInfo.InvariantCulture);
}
