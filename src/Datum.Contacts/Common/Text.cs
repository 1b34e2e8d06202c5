using System.Text;

namespace Datum.Contacts;

/// <summary>
/// The one place where free text is checked and case-folded, so every rule that compares or cleans text
/// (email identity, tags, sort keys, later the criteria language) agrees.
/// </summary>
internal static class Text
{
    /// <summary>
    /// Folds text for case-insensitive identity: Unicode NFC, then invariant lower case. Stores that need to
    /// compare in the database persist this form.
    /// </summary>
    public static string Fold(string value) => value.Normalize(NormalizationForm.FormC).ToLowerInvariant().Normalize(NormalizationForm.FormC);

    /// <summary>
    /// Cleans an optional single-line text field: trims it, turns empty into null, normalizes to NFC, and
    /// records an error (instead of throwing) when it is too long or holds control characters or broken
    /// UTF-16. The length check comes first so a huge input costs nothing more than its length.
    /// </summary>
    public static string? CleanLine(string? value, string field, int maxLength, ICollection<FieldError> errors)
        => Clean(value, field, maxLength, allowLineBreaks: false, errors);

    /// <summary>Like <see cref="CleanLine"/> but accepts line breaks and tabs (multi-line values).</summary>
    public static string? CleanMultiline(string? value, string field, int maxLength, ICollection<FieldError> errors)
        => Clean(value, field, maxLength, allowLineBreaks: true, errors);

    private static string? Clean(string? value, string field, int maxLength, bool allowLineBreaks, ICollection<FieldError> errors)
    {
        if (value is null)
        {
            return null;
        }

        if (value.Length > maxLength * 2 + 64)
        {
            // Far too long even before trimming: do not scan or copy it.
            errors.Add(TooLong(field, maxLength));
            return null;
        }

        var trimmed = value.Trim();
        if (trimmed.Length == 0)
        {
            return null;
        }

        if (FindProblem(trimmed, allowLineBreaks) is { } problem)
        {
            errors.Add(InvalidCharacters(field, problem));
            return null;
        }

        var normalized = trimmed.Normalize(NormalizationForm.FormC);
        if (normalized.Length > maxLength)
        {
            errors.Add(TooLong(field, maxLength));
            return null;
        }

        return normalized;
    }

    public static FieldError TooLong(string field, int maxLength)
        => new(field, "too_long", $"{field} must be at most {maxLength} characters long.");

    /// <summary>The error of a text holding a character <see cref="FindProblem"/> refuses.</summary>
    public static FieldError InvalidCharacters(string field, string problem)
        => new(field, "invalid_characters", $"{field} {problem}.");

    /// <summary>
    /// Whether a text could be part of a stored value: every stored text refuses control characters (but tabs and
    /// line breaks) and broken surrogate pairs. A lookup by a text holding one finds nothing, and must not reach a
    /// store either: PostgreSQL cannot take a NUL or a lone surrogate as a text parameter, SQLite turns a lone
    /// surrogate into U+FFFD, and Unicode normalization throws on it.
    /// </summary>
    public static bool IsStorable(string text)
    {
        for (var i = 0; i < text.Length; i++)
        {
            var c = text[i];
            if (char.IsHighSurrogate(c) && i + 1 < text.Length && char.IsLowSurrogate(text[i + 1]))
            {
                i++;
            }
            else if (char.IsSurrogate(c) || (char.IsControl(c) && c is not ('\t' or '\n' or '\r')))
            {
                return false;
            }
        }

        return true;
    }

    /// <summary>Describes the first character that makes the text unacceptable, or null when it is clean.</summary>
    public static string? FindProblem(string value, bool allowLineBreaks)
    {
        for (var i = 0; i < value.Length; i++)
        {
            var c = value[i];
            if (char.IsHighSurrogate(c))
            {
                if (i + 1 < value.Length && char.IsLowSurrogate(value[i + 1]))
                {
                    i++;
                    continue;
                }

                return $"contains an unpaired UTF-16 surrogate at position {i + 1}";
            }

            if (char.IsLowSurrogate(c))
            {
                return $"contains an unpaired UTF-16 surrogate at position {i + 1}";
            }

            if (c == '\0')
            {
                return $"contains a null character at position {i + 1}";
            }

            if (char.IsControl(c) && !(allowLineBreaks && c is '\n' or '\r' or '\t'))
            {
                return $"contains the control character U+{(int)c:X4} at position {i + 1}";
            }

            if (c is (>= '\u202A' and <= '\u202E') or (>= '\u2066' and <= '\u2069'))
            {
                // Bidirectional overrides and isolates make text display differently from what it is.
                return $"contains the bidirectional control character U+{(int)c:X4} at position {i + 1}";
            }

            if (c is '\u2028' or '\u2029' && !allowLineBreaks)
            {
                return $"contains a line separator at position {i + 1}";
            }
        }

        return null;
    }
}
