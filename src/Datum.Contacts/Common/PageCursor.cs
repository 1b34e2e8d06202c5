using System.Buffers.Text;
using System.Globalization;
using System.Text.Json;

namespace Datum.Contacts;

/// <summary>
/// Opaque keyset cursors: base64url of a small JSON array [scope, key, id]. The scope (what was listed and in
/// which order) must match on the way back, so a cursor cannot be replayed against another listing.
/// </summary>
internal static class PageCursor
{
    private const int MaxCursorLength = 4096;

    public static string Encode(string scope, string key, string id)
        => Base64Url.EncodeToString(JsonSerializer.SerializeToUtf8Bytes(new[] { scope, key, id }));

    public static (string Key, string Id) Decode(string cursor, string scope)
    {
        string[]? parts = null;
        if (cursor.Length <= MaxCursorLength)
        {
            try
            {
                parts = JsonSerializer.Deserialize<string[]>(Base64Url.DecodeFromChars(cursor));
            }
            catch (Exception e) when (e is FormatException or JsonException)
            {
                parts = null;
            }
        }

        if (parts is not { Length: 3 } || parts.Any(p => p is null))
        {
            throw Invalid("cursor is not a cursor this library issued; pass the NextCursor of the previous page unchanged");
        }

        if (!string.Equals(parts[0], scope, StringComparison.Ordinal))
        {
            throw Invalid("cursor belongs to another listing or sort order; start again without a cursor");
        }

        return (parts[1], parts[2]);
    }

    public static int ResolveSize(int? size, ContactManagementOptions options)
    {
        var resolved = size ?? options.DefaultPageSize;
        if (resolved < 1 || resolved > options.MaxPageSize)
        {
            throw new ValidationFailedException(new FieldError("size", "out_of_range", $"size must be between 1 and {options.MaxPageSize}."));
        }

        return resolved;
    }

    /// <summary>Turns a time sort key into cursor text (UTC ticks).</summary>
    public static string EncodeTime(DateTimeOffset time) => time.UtcTicks.ToString(CultureInfo.InvariantCulture);

    /// <summary>Reads a time sort key written by <see cref="EncodeTime"/>.</summary>
    public static DateTimeOffset DecodeTime(string key)
        => long.TryParse(key, NumberStyles.None, CultureInfo.InvariantCulture, out var ticks) && ticks <= DateTimeOffset.MaxValue.UtcTicks
            ? new DateTimeOffset(ticks, TimeSpan.Zero)
            : throw Damaged();

    /// <summary>
    /// Cuts a page from items fetched with a limit of <paramref name="size"/> + 1: the extra item, when present,
    /// only tells that another page follows, whose cursor is the position of the page's last item.
    /// </summary>
    public static Page<T> ToPage<T>(IReadOnlyList<T> fetched, int size, string scope, Func<T, (string Key, string Id)> positionOf)
    {
        if (fetched.Count <= size)
        {
            return new Page<T>(fetched, null);
        }

        var items = fetched.Take(size).ToArray();
        var (key, id) = positionOf(items[^1]);
        return new Page<T>(items, Encode(scope, key, id));
    }

    public static ValidationFailedException Damaged()
        => Invalid("cursor is damaged; pass the NextCursor of the previous page unchanged");

    public static ValidationFailedException Invalid(string message)
        => new(new FieldError("cursor", "invalid_cursor", message + "."));
}
