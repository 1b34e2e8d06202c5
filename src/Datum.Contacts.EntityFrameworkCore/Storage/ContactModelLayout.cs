using Microsoft.EntityFrameworkCore;

namespace Datum.Contacts.EntityFrameworkCore;

/// <summary>
/// The host's <see cref="ContactModelOptions"/> with the provider's defaults filled in: what every table
/// configuration needs to lay its table out.
/// </summary>
internal sealed class ContactModelLayout
{
    private ContactModelLayout(string? schema, string tablePrefix, string? sortCollation, bool exactDecimals)
    {
        Schema = schema;
        TablePrefix = tablePrefix;
        SortCollation = sortCollation;
        ExactDecimals = exactDecimals;
    }

    /// <summary>The database schema of the tables; null for the provider's default.</summary>
    public string? Schema { get; }

    /// <summary>What every table name starts with.</summary>
    public string TablePrefix { get; }

    /// <summary>The collation of the text columns listings sort by; null for the column's default.</summary>
    public string? SortCollation { get; }

    /// <summary>Whether custom number values are stored in an exact decimal column (else as sortable text).</summary>
    public bool ExactDecimals { get; }

    /// <summary>Fills in the provider's defaults: PostgreSQL sorts with collation <c>"C"</c> and has exact decimals.</summary>
    public static ContactModelLayout Resolve(ContactModelOptions options, ModelBuilder modelBuilder)
    {
        var npgsql = modelBuilder.Model.GetAnnotations().Any(a => a.Name.StartsWith("Npgsql:", StringComparison.Ordinal));
        return new ContactModelLayout(options.Schema, options.TablePrefix, options.SortCollation ?? (npgsql ? "C" : null), options.ExactDecimals ?? npgsql);
    }

    /// <summary>A table's name with the prefix.</summary>
    public string Table(string name) => TablePrefix + name;
}
