using System.Data.Common;
using System.Text.RegularExpressions;

namespace Datum.Contacts.EntityFrameworkCore;

/// <summary>
/// Recognizes the provider's "no such table" among the exceptions a command raised, by the standard codes alone
/// (no provider package referenced): PostgreSQL's SQLSTATE 42P01 (undefined_table) and SQLite's error 1 with
/// "no such table: X". Only looked at once a command has failed, so it costs nothing otherwise.
/// </summary>
internal static partial class StoreSchema
{
    private const string UndefinedTable = "42P01";

    /// <summary>The typed error for a missing table when <paramref name="exception"/> or one of its causes is one, else null.</summary>
    public static ContactStoreSchemaMissingException? MissingTable(Exception exception)
    {
        for (var cause = exception; cause is not null; cause = cause.InnerException)
        {
            if (cause is ContactStoreSchemaMissingException missing)
            {
                return missing;
            }

            if (cause is DbException database && TableOf(database) is { } table)
            {
                return new ContactStoreSchemaMissingException(table, database);
            }
        }

        return null;
    }

    private static string? TableOf(DbException exception)
    {
        if (exception.SqlState == UndefinedTable)
        {
            var relation = PostgresRelation().Match(exception.Message);
            return relation.Success ? relation.Groups["table"].Value : "(unnamed)";
        }

        // Microsoft.Data.Sqlite keeps the result code in its own property and in the message: "SQLite Error 1: '...'".
        var table = SqliteNoSuchTable().Match(exception.Message);
        return table.Success ? table.Groups["table"].Value : null;
    }

    [GeneratedRegex("""relation "(?<table>[^"]+)" does not exist""", RegexOptions.CultureInvariant)]
    private static partial Regex PostgresRelation();

    [GeneratedRegex("""SQLite Error 1: 'no such table: (?<table>[^']+)'""", RegexOptions.CultureInvariant)]
    private static partial Regex SqliteNoSuchTable();
}
