using System.Security.Cryptography;

namespace Datum.Contacts;

/// <summary>
/// UUID version 7 ids that increase strictly within the process, even when the clock stands still (a test clock) or
/// many are made in one millisecond: the 12 bits after the timestamp count (RFC 9562, method 3). Records that are
/// ordered by time and then by id (membership history) keep the order they were written in.
/// </summary>
/// <remarks>
/// Each id comes from a sequence value: the Unix milliseconds shifted left by 12 bits plus the count within the
/// millisecond. A block of consecutive values can be reserved (<see cref="Reserve"/>) for ids that a store builds
/// itself, in SQL, with the layout of <see cref="FromSequence(long, ushort, ReadOnlySpan{byte})"/>.
/// </remarks>
internal static class TimeOrderedGuid
{
    // Random bytes drawn from the system's generator a block at a time: one call per 64 ids rather than one per id,
    // which cost more than everything else a membership change does.
    private const int RandomBlock = 512;

    [ThreadStatic]
    private static byte[]? t_random;

    [ThreadStatic]
    private static int t_used;

    private static long _last;

    public static Guid Next(DateTimeOffset now) => FromSequence(Reserve(now, 1));

    /// <summary>Reserves <paramref name="count"/> consecutive sequence values after every value handed out so far; returns the first.</summary>
    public static long Reserve(DateTimeOffset now, long count)
    {
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(count);
        var candidate = Math.Max(now.ToUnixTimeMilliseconds(), 0) << 12;
        while (true)
        {
            var last = Volatile.Read(ref _last);
            var first = Math.Max(candidate, last + 1);
            if (Interlocked.CompareExchange(ref _last, first + count - 1, last) == last)
            {
                return first;
            }
        }
    }

    /// <summary>The id of a sequence value, with random bits after the counter.</summary>
    public static Guid FromSequence(long value)
    {
        var random = NextRandom();
        return FromSequence(value, (ushort)(random[0] << 8 | random[1]), random[2..]);
    }

    /// <summary>
    /// The id of a sequence value: 48 bits of milliseconds (<c>value &gt;&gt; 12</c>), version 7, 12 bits of counter
    /// (<c>value &amp; 0xFFF</c>), variant 10, then 14 + 48 bits taken from <paramref name="clockSequence"/> and
    /// <paramref name="node"/> (6 bytes).
    /// </summary>
    public static Guid FromSequence(long value, ushort clockSequence, ReadOnlySpan<byte> node)
    {
        var milliseconds = value >> 12;
        return new Guid(
            (int)(milliseconds >> 16),
            (short)(milliseconds & 0xFFFF),
            (short)(0x7000 | (int)(value & 0xFFF)),
            (byte)(0x80 | ((clockSequence >> 8) & 0x3F)),
            (byte)clockSequence,
            node[0],
            node[1],
            node[2],
            node[3],
            node[4],
            node[5]);
    }

    private static ReadOnlySpan<byte> NextRandom()
    {
        var block = t_random;
        if (block is null || t_used == RandomBlock)
        {
            block = t_random ??= new byte[RandomBlock];
            RandomNumberGenerator.Fill(block);
            t_used = 0;
        }

        var random = block.AsSpan(t_used, 8);
        t_used += 8;
        return random;
    }
}
