using System.Text;

namespace AlexNet.Distributed;

/// <summary>
/// A 64-bit FNV-1a hash built up from values, the same on every machine and every run (unlike
/// <see cref="HashCode"/>, which is seeded per process): what ranks compare to find that they were started differently.
/// </summary>
public sealed class Fingerprint
{
    private const ulong Offset = 14695981039346656037UL;
    private const ulong Prime = 1099511628211UL;

    /// <summary>The hash of everything added so far.</summary>
    public ulong Value { get; private set; } = Offset;

    /// <summary>Adds bytes.</summary>
    /// <returns>This fingerprint.</returns>
    public Fingerprint Add(ReadOnlySpan<byte> bytes)
    {
        ulong h = Value;
        foreach (byte b in bytes) h = (h ^ b) * Prime;
        Value = h;
        return this;
    }

    /// <summary>Adds a string (UTF-8, length-prefixed so that "ab"+"c" differs from "a"+"bc").</summary>
    /// <returns>This fingerprint.</returns>
    public Fingerprint Add(string text)
    {
        ArgumentNullException.ThrowIfNull(text);
        var bytes = Encoding.UTF8.GetBytes(text);
        return Add(bytes.Length).Add(bytes);
    }

    /// <summary>Adds an integer (little-endian bytes).</summary>
    /// <returns>This fingerprint.</returns>
    public Fingerprint Add(long value)
    {
        Span<byte> bytes = stackalloc byte[8];
        System.Buffers.Binary.BinaryPrimitives.WriteInt64LittleEndian(bytes, value);
        return Add(bytes);
    }
}
