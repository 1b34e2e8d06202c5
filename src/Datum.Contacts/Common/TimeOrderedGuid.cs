using System.Security.Cryptography;

namespace Datum.Contacts;

/// <summary>
/// UUID version 7 ids that increase strictly within the process, even when the clock stands still (a test clock) or
/// many are made in one millisecond: the 12 bits after the timestamp count (RFC 9562, method 3). Records that are
/// ordered by time and then by id (membership history) keep the order they were written in.
/// </summary>
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

    public static Guid Next(DateTimeOffset now)
    {
        var candidate = Math.Max(now.ToUnixTimeMilliseconds(), 0) << 12;
        long value;
        while (true)
        {
            var last = Volatile.Read(ref _last);
            value = Math.Max(candidate, last + 1);
            if (Interlocked.CompareExchange(ref _last, value, last) == last)
            {
                break;
            }
        }

        var milliseconds = value >> 12;
        var random = NextRandom();
        return new Guid(
            (int)(milliseconds >> 16),
            (short)(milliseconds & 0xFFFF),
            (short)(0x7000 | (int)(value & 0xFFF)),
            (byte)(0x80 | (random[0] & 0x3F)),
            random[1],
            random[2],
            random[3],
            random[4],
            random[5],
            random[6],
            random[7]);
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
