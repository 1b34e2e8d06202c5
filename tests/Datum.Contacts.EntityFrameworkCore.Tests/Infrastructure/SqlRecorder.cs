using System.Collections;
using System.Collections.Concurrent;
using System.Data;
using System.Data.Common;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Diagnostics;

namespace Datum.Contacts.EntityFrameworkCore.Tests;

/// <summary>
/// Records every command a context runs: its SQL, its parameters, the context that ran it, and how many rows its
/// reader handed out (queries only). Add it with <c>options.AddInterceptors(recorder)</c>.
/// </summary>
public sealed class SqlRecorder : DbCommandInterceptor
{
    private readonly ConcurrentQueue<RecordedCommand> _commands = new();
    private readonly ConcurrentDictionary<Guid, RecordedCommand> _running = new();

    /// <summary>The commands run so far, in the order they started.</summary>
    public IReadOnlyList<RecordedCommand> Commands => [.. _commands];

    /// <summary>Forgets the commands run so far.</summary>
    public void Clear()
    {
        while (_commands.TryDequeue(out _))
        {
        }
    }

    /// <summary>Runs <paramref name="action"/> and returns the commands it ran.</summary>
    /// <typeparam name="T">The action's result.</typeparam>
    /// <param name="action">What to run.</param>
    public async Task<(T Result, IReadOnlyList<RecordedCommand> Commands)> CaptureAsync<T>(Func<Task<T>> action)
    {
        ArgumentNullException.ThrowIfNull(action);
        Clear();
        var result = await action();
        return (result, Commands);
    }

    public override InterceptionResult<DbDataReader> ReaderExecuting(DbCommand command, CommandEventData eventData, InterceptionResult<DbDataReader> result)
    {
        Record(command, eventData);
        return result;
    }

    public override ValueTask<InterceptionResult<DbDataReader>> ReaderExecutingAsync(
        DbCommand command, CommandEventData eventData, InterceptionResult<DbDataReader> result, CancellationToken cancellationToken = default)
    {
        Record(command, eventData);
        return ValueTask.FromResult(result);
    }

    public override DbDataReader ReaderExecuted(DbCommand command, CommandExecutedEventData eventData, DbDataReader result)
        => Wrap(eventData, result);

    public override ValueTask<DbDataReader> ReaderExecutedAsync(
        DbCommand command, CommandExecutedEventData eventData, DbDataReader result, CancellationToken cancellationToken = default)
        => ValueTask.FromResult(Wrap(eventData, result));

    public override InterceptionResult<object> ScalarExecuting(DbCommand command, CommandEventData eventData, InterceptionResult<object> result)
    {
        Record(command, eventData);
        return result;
    }

    public override ValueTask<InterceptionResult<object>> ScalarExecutingAsync(
        DbCommand command, CommandEventData eventData, InterceptionResult<object> result, CancellationToken cancellationToken = default)
    {
        Record(command, eventData);
        return ValueTask.FromResult(result);
    }

    public override InterceptionResult<int> NonQueryExecuting(DbCommand command, CommandEventData eventData, InterceptionResult<int> result)
    {
        Record(command, eventData);
        return result;
    }

    public override ValueTask<InterceptionResult<int>> NonQueryExecutingAsync(
        DbCommand command, CommandEventData eventData, InterceptionResult<int> result, CancellationToken cancellationToken = default)
    {
        Record(command, eventData);
        return ValueTask.FromResult(result);
    }

    private void Record(DbCommand command, CommandEventData eventData)
    {
        var parameters = command.Parameters.Cast<DbParameter>()
            .Select(p => new RecordedParameter(p.ParameterName, p.Value is DBNull ? null : p.Value))
            .ToList();
        var recorded = new RecordedCommand(command.CommandText, parameters, eventData.Context);
        if (recorded.IsQuery)
        {
            _running[eventData.CommandId] = recorded;
        }

        _commands.Enqueue(recorded);
    }

    private DbDataReader Wrap(CommandExecutedEventData eventData, DbDataReader result)
        => _running.TryRemove(eventData.CommandId, out var recorded)
            ? new CountingDataReader(result, recorded)
            : result;
}

/// <summary>A parameter as it was sent.</summary>
/// <param name="Name">The parameter's name.</param>
/// <param name="Value">Its value; null for a database null.</param>
public sealed record RecordedParameter(string Name, object? Value)
{
    /// <summary>The value as texts: a text itself, each item of a list, any other value in invariant form.</summary>
    public IEnumerable<string> Texts => Value switch
    {
        null => [],
        string text => [text],
        IEnumerable items => items.Cast<object?>().Where(i => i is not null).Select(i => Convert.ToString(i, System.Globalization.CultureInfo.InvariantCulture)!),
        _ => [Convert.ToString(Value, System.Globalization.CultureInfo.InvariantCulture)!],
    };
}

/// <summary>A command that ran.</summary>
public sealed class RecordedCommand(string text, IReadOnlyList<RecordedParameter> parameters, DbContext? context)
{
    private int _rowsRead;

    /// <summary>Its SQL.</summary>
    public string Text { get; } = text;

    /// <summary>Its parameters.</summary>
    public IReadOnlyList<RecordedParameter> Parameters { get; } = parameters;

    /// <summary>The context that ran it.</summary>
    public DbContext? Context { get; } = context;

    /// <summary>How many rows its reader handed out.</summary>
    public int RowsRead => Volatile.Read(ref _rowsRead);

    /// <summary>Whether it is a query (its text starts with SELECT).</summary>
    public bool IsQuery => Text.TrimStart().StartsWith("SELECT", StringComparison.OrdinalIgnoreCase);

    /// <summary>Every text the parameters carried.</summary>
    public IEnumerable<string> ParameterTexts => Parameters.SelectMany(p => p.Texts);

    internal void CountRow() => Interlocked.Increment(ref _rowsRead);

    public override string ToString()
        => Text + Environment.NewLine + "-- " + string.Join(", ", Parameters.Select(p => $"{p.Name}={string.Join("|", p.Texts)}")) + $" -- {RowsRead} rows";
}

/// <summary>A reader that counts the rows it hands out and passes everything else through.</summary>
internal sealed class CountingDataReader(DbDataReader inner, RecordedCommand command) : DbDataReader
{
    public override int Depth => inner.Depth;

    public override int FieldCount => inner.FieldCount;

    public override bool HasRows => inner.HasRows;

    public override bool IsClosed => inner.IsClosed;

    public override int RecordsAffected => inner.RecordsAffected;

    public override int VisibleFieldCount => inner.VisibleFieldCount;

    public override object this[int ordinal] => inner[ordinal];

    public override object this[string name] => inner[name];

    public override bool Read()
    {
        var read = inner.Read();
        if (read)
        {
            command.CountRow();
        }

        return read;
    }

    public override async Task<bool> ReadAsync(CancellationToken cancellationToken)
    {
        var read = await inner.ReadAsync(cancellationToken);
        if (read)
        {
            command.CountRow();
        }

        return read;
    }

    public override bool NextResult() => inner.NextResult();

    public override Task<bool> NextResultAsync(CancellationToken cancellationToken) => inner.NextResultAsync(cancellationToken);

    public override bool GetBoolean(int ordinal) => inner.GetBoolean(ordinal);

    public override byte GetByte(int ordinal) => inner.GetByte(ordinal);

    public override long GetBytes(int ordinal, long dataOffset, byte[]? buffer, int bufferOffset, int length) => inner.GetBytes(ordinal, dataOffset, buffer, bufferOffset, length);

    public override char GetChar(int ordinal) => inner.GetChar(ordinal);

    public override long GetChars(int ordinal, long dataOffset, char[]? buffer, int bufferOffset, int length) => inner.GetChars(ordinal, dataOffset, buffer, bufferOffset, length);

    public override string GetDataTypeName(int ordinal) => inner.GetDataTypeName(ordinal);

    public override DateTime GetDateTime(int ordinal) => inner.GetDateTime(ordinal);

    public override decimal GetDecimal(int ordinal) => inner.GetDecimal(ordinal);

    public override double GetDouble(int ordinal) => inner.GetDouble(ordinal);

    public override Type GetFieldType(int ordinal) => inner.GetFieldType(ordinal);

    public override float GetFloat(int ordinal) => inner.GetFloat(ordinal);

    public override Guid GetGuid(int ordinal) => inner.GetGuid(ordinal);

    public override short GetInt16(int ordinal) => inner.GetInt16(ordinal);

    public override int GetInt32(int ordinal) => inner.GetInt32(ordinal);

    public override long GetInt64(int ordinal) => inner.GetInt64(ordinal);

    public override string GetName(int ordinal) => inner.GetName(ordinal);

    public override int GetOrdinal(string name) => inner.GetOrdinal(name);

    public override string GetString(int ordinal) => inner.GetString(ordinal);

    public override object GetValue(int ordinal) => inner.GetValue(ordinal);

    public override int GetValues(object[] values) => inner.GetValues(values);

    public override bool IsDBNull(int ordinal) => inner.IsDBNull(ordinal);

    public override Task<bool> IsDBNullAsync(int ordinal, CancellationToken cancellationToken) => inner.IsDBNullAsync(ordinal, cancellationToken);

    public override T GetFieldValue<T>(int ordinal) => inner.GetFieldValue<T>(ordinal);

    public override Task<T> GetFieldValueAsync<T>(int ordinal, CancellationToken cancellationToken) => inner.GetFieldValueAsync<T>(ordinal, cancellationToken);

    public override Type GetProviderSpecificFieldType(int ordinal) => inner.GetProviderSpecificFieldType(ordinal);

    public override object GetProviderSpecificValue(int ordinal) => inner.GetProviderSpecificValue(ordinal);

    public override int GetProviderSpecificValues(object[] values) => inner.GetProviderSpecificValues(values);

    public override Stream GetStream(int ordinal) => inner.GetStream(ordinal);

    public override TextReader GetTextReader(int ordinal) => inner.GetTextReader(ordinal);

    public override DataTable? GetSchemaTable() => inner.GetSchemaTable();

    public override IEnumerator GetEnumerator() => ((IEnumerable)inner).GetEnumerator();

    public override void Close() => inner.Close();

    public override Task CloseAsync() => inner.CloseAsync();

    protected override void Dispose(bool disposing)
    {
        if (disposing)
        {
            inner.Dispose();
        }

        base.Dispose(disposing);
    }
}
