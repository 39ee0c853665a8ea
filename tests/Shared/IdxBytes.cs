using System.Buffers.Binary;
using System.IO.Compression;

namespace AlexNet.Tests.Shared;

/// <summary>IDX files made byte by byte for tests (compiled into both test projects).</summary>
internal static class IdxBytes
{
    /// <summary>The bytes of an IDX file: the magic number, the dimensions (big-endian), then the data.</summary>
    public static byte[] Idx(int magic, int[] dims, byte[] data)
    {
        var bytes = new byte[4 + 4 * dims.Length + data.Length];
        BinaryPrimitives.WriteInt32BigEndian(bytes, magic);
        for (int i = 0; i < dims.Length; i++) BinaryPrimitives.WriteInt32BigEndian(bytes.AsSpan(4 + 4 * i), dims[i]);
        data.CopyTo(bytes, 4 + 4 * dims.Length);
        return bytes;
    }

    /// <summary>Writes <paramref name="bytes"/> gzip-compressed to <paramref name="path"/>.</summary>
    public static void WriteGzip(string path, byte[] bytes)
    {
        using var file = File.Create(path);
        using var gz = new GZipStream(file, CompressionLevel.Fastest);
        gz.Write(bytes);
    }
}
