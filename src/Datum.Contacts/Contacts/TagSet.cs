using System.Collections;

namespace Datum.Contacts;

/// <summary>
/// A contact's tags: trimmed, compared case-insensitively, without duplicates, in the order first given
/// (a later duplicate that differs only in case is dropped).
/// </summary>
public sealed class TagSet : IReadOnlyCollection<string>
{
    private readonly string[] _tags;
    private readonly HashSet<string> _folded;

    private TagSet(string[] tags)
    {
        _tags = tags;
        _folded = new HashSet<string>(tags.Select(Text.Fold), StringComparer.Ordinal);
    }

    /// <summary>No tags.</summary>
    public static TagSet Empty { get; } = new([]);

    /// <inheritdoc />
    public int Count => _tags.Length;

    /// <summary>Whether the set holds <paramref name="tag"/>, compared case-insensitively.</summary>
    /// <param name="tag">The tag to look for.</param>
    public bool Contains(string tag)
    {
        Guard.Against.Null(tag);
        return _folded.Contains(Text.Fold(tag.Trim()));
    }

    /// <summary>Whether the set holds a tag already case-folded with <see cref="Text.Fold"/>; allocation-free.</summary>
    internal bool ContainsFolded(string folded) => _folded.Contains(folded);

    /// <summary>A set from tags a store kept, already clean and distinct, in their order.</summary>
    internal static TagSet Restore(IEnumerable<string> tags)
    {
        var array = tags.ToArray();
        return array.Length == 0 ? Empty : new TagSet(array);
    }

    /// <summary>
    /// Builds a set from raw tags, recording an error per bad tag (on <c>tags[i]</c>) and one when there are too many.
    /// </summary>
    internal static TagSet Create(IEnumerable<string?>? tags, int maxTags, int maxTagLength, ICollection<FieldError> errors)
    {
        if (tags is null)
        {
            return Empty;
        }

        var result = new List<string>();
        var seen = new HashSet<string>(StringComparer.Ordinal);
        var index = 0;
        var tooMany = false;
        foreach (var raw in tags)
        {
            var field = $"tags[{index++}]";
            if (raw is null || string.IsNullOrWhiteSpace(raw))
            {
                errors.Add(new FieldError(field, "required", $"{field} must not be empty."));
                continue;
            }

            var tag = Text.CleanLine(raw, field, maxTagLength, errors);
            if (tag is null || !seen.Add(Text.Fold(tag)))
            {
                continue;
            }

            if (result.Count == maxTags)
            {
                tooMany = true;
                break;
            }

            result.Add(tag);
        }

        if (tooMany)
        {
            errors.Add(new FieldError("tags", "too_many", $"tags must hold at most {maxTags} distinct tags."));
        }

        return result.Count == 0 ? Empty : new TagSet([.. result]);
    }

    /// <inheritdoc />
    public IEnumerator<string> GetEnumerator() => ((IEnumerable<string>)_tags).GetEnumerator();

    IEnumerator IEnumerable.GetEnumerator() => GetEnumerator();

    /// <inheritdoc />
    public override string ToString() => string.Join(", ", _tags);
}
