namespace Datum.Contacts;

/// <summary>Rules for short lower-case identifiers (contact types, channels, social networks).</summary>
internal static class Slug
{
    public const int MaxLength = 64;

    /// <summary>Trims and lower-cases <paramref name="value"/>; returns null and an error message when it is not a slug.</summary>
    public static string? Normalize(string? value, out string? error)
    {
        if (string.IsNullOrWhiteSpace(value))
        {
            error = "is required";
            return null;
        }

        if (value.Length > MaxLength * 2)
        {
            error = $"must be at most {MaxLength} characters long";
            return null;
        }

        // Check the ASCII rule before lower-casing: "\u212A" (Kelvin sign) lower-cases to 'k'.
        var slug = value.Trim();
        if (slug.Length > MaxLength)
        {
            error = $"must be at most {MaxLength} characters long";
            return null;
        }

        if (!char.IsAsciiLetter(slug[0]))
        {
            error = "must start with a letter a-z";
            return null;
        }

        foreach (var c in slug)
        {
            if (!(char.IsAsciiLetterOrDigit(c) || c is '-' or '_'))
            {
                error = "may contain only letters a-z, digits, '-' and '_'";
                return null;
            }
        }

        error = null;
        return slug.ToLowerInvariant();
    }
}
