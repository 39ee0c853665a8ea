using System.Buffers.Binary;
using System.Runtime.InteropServices;
using System.Text.Json;
using AlexNet.Autograd;

namespace AlexNet.Layers;

/// <summary>
/// The safetensors container for float32 tensors: an 8-byte little-endian header length N, N bytes of JSON header
/// (<c>{"__metadata__": {string: string}, "name": {"dtype": "F32", "shape": [...], "data_offsets": [begin, end]}, ...}</c>,
/// padded with spaces to a multiple of 8), then the data region, the tensors' little-endian bytes at their offsets.
/// Reading validates everything before trusting it: the header length against the file size and
/// <see cref="MaxHeaderBytes"/>, the JSON, every dtype, shape and offset pair, and that the tensors tile the data region
/// exactly (no overlap, no gap, no trailing bytes).
/// </summary>
internal static class SafeTensors
{
    /// <summary>The largest header accepted (100 MiB, the reference implementation's limit).</summary>
    public const long MaxHeaderBytes = 100L * 1024 * 1024;

    /// <summary>Where one tensor lies in the data region.</summary>
    public sealed record Entry(string Name, Shape Shape, long Begin, long End);

    /// <summary>A validated header.</summary>
    public sealed record Header(IReadOnlyList<Entry> Entries, IReadOnlyDictionary<string, string> Metadata, long DataStart);

    /// <summary>Writes the tensors and metadata to <paramref name="stream"/>, tensors in the given order.</summary>
    public static void Write(Stream stream, IReadOnlyList<KeyValuePair<string, Tensor>> tensors, IReadOnlyDictionary<string, string> metadata)
    {
        using var json = new MemoryStream();
        using (var w = new Utf8JsonWriter(json))
        {
            w.WriteStartObject();
            w.WriteStartObject("__metadata__");
            foreach (var (k, v) in metadata) w.WriteString(k, v);
            w.WriteEndObject();
            long offset = 0;
            foreach (var (name, t) in tensors)
            {
                w.WriteStartObject(name);
                w.WriteString("dtype", "F32");
                w.WriteStartArray("shape");
                foreach (var d in t.Shape.Dims) w.WriteNumberValue(d);
                w.WriteEndArray();
                w.WriteStartArray("data_offsets");
                w.WriteNumberValue(offset);
                offset += 4L * t.Count;
                w.WriteNumberValue(offset);
                w.WriteEndArray();
                w.WriteEndObject();
            }
            w.WriteEndObject();
        }
        long padded = (json.Length + 7) / 8 * 8;
        Span<byte> prefix = stackalloc byte[8];
        BinaryPrimitives.WriteUInt64LittleEndian(prefix, (ulong)padded);
        stream.Write(prefix);
        stream.Write(json.GetBuffer(), 0, (int)json.Length);
        for (long i = json.Length; i < padded; i++) stream.WriteByte((byte)' ');
        foreach (var (_, t) in tensors)
        {
            var values = t.ToArray();
            if (!BitConverter.IsLittleEndian)
                for (int i = 0; i < values.Length; i++)
                    values[i] = BitConverter.Int32BitsToSingle(BinaryPrimitives.ReverseEndianness(BitConverter.SingleToInt32Bits(values[i])));
            stream.Write(MemoryMarshal.AsBytes(values.AsSpan()));
        }
    }

    /// <summary>Reads and validates the header of a file opened for reading.</summary>
    /// <exception cref="CheckpointFormatException">Anything is malformed.</exception>
    public static Header ReadHeader(FileStream stream, string path)
    {
        long fileLength = stream.Length;
        if (fileLength < 8)
            throw new CheckpointFormatException(path, $"the file has {fileLength} bytes, fewer than the 8-byte header length that starts a safetensors file (truncated?).");
        Span<byte> prefix = stackalloc byte[8];
        stream.Position = 0;
        stream.ReadExactly(prefix);
        ulong headerLength = BinaryPrimitives.ReadUInt64LittleEndian(prefix);
        if (headerLength == 0) throw new CheckpointFormatException(path, "the header length is 0; the header must hold at least '{}'.");
        if (headerLength > (ulong)MaxHeaderBytes)
            throw new CheckpointFormatException(path, $"the header length {headerLength} exceeds the limit of {MaxHeaderBytes} bytes.");
        if (headerLength > (ulong)(fileLength - 8))
            throw new CheckpointFormatException(path, $"the header length {headerLength} runs past the end of the {fileLength}-byte file (truncated?).");
        var header = new byte[headerLength];
        stream.ReadExactly(header);
        long dataStart = 8 + (long)headerLength, dataLength = fileLength - dataStart;

        if (!System.Text.Unicode.Utf8.IsValid(header))
            throw new CheckpointFormatException(path, "the header is not valid JSON (its bytes are not valid UTF-8).");
        JsonDocument doc;
        try
        {
            doc = JsonDocument.Parse(header, new JsonDocumentOptions { MaxDepth = 8 });
        }
        catch (JsonException e)
        {
            throw new CheckpointFormatException(path, $"the header is not valid JSON ({e.Message}).", e);
        }
        using (doc)
        {
            try
            {
                return Interpret(doc.RootElement, dataStart, dataLength, path);
            }
            catch (InvalidOperationException e)
            {
                // JsonElement throws this for strings that parse but cannot be decoded (a lone surrogate escape).
                throw new CheckpointFormatException(path, $"the header is not valid JSON ({e.Message}).", e);
            }
        }
    }

    private static Header Interpret(JsonElement root, long dataStart, long dataLength, string path)
    {
        if (root.ValueKind != JsonValueKind.Object)
            throw new CheckpointFormatException(path, $"the header must be a JSON object, not {root.ValueKind}.");
        var entries = new List<Entry>();
        var metadata = new Dictionary<string, string>(StringComparer.Ordinal);
        var names = new HashSet<string>(StringComparer.Ordinal);
        foreach (var p in root.EnumerateObject())
        {
            if (!names.Add(p.Name)) throw new CheckpointFormatException(path, $"the header names '{p.Name}' twice.");
            if (p.Name == "__metadata__") ReadMetadata(p.Value, metadata, path);
            else entries.Add(ReadEntry(p.Name, p.Value, dataLength, path));
        }
        CheckTiling(entries, dataLength, path);
        return new Header(entries, metadata, dataStart);
    }

    /// <summary>Reads one tensor's values (already validated by <see cref="ReadHeader"/>).</summary>
    /// <exception cref="CheckpointFormatException">The file ended early (it changed after the header was read).</exception>
    public static float[] ReadData(FileStream stream, Header header, Entry entry, string path)
    {
        var values = new float[entry.Shape.Count];
        try
        {
            stream.Position = header.DataStart + entry.Begin;
            stream.ReadExactly(MemoryMarshal.AsBytes(values.AsSpan()));
        }
        catch (EndOfStreamException e)
        {
            throw new CheckpointFormatException(path, $"the data of tensor '{entry.Name}' is cut short.", e);
        }
        if (!BitConverter.IsLittleEndian)
            for (int i = 0; i < values.Length; i++)
                values[i] = BitConverter.Int32BitsToSingle(BinaryPrimitives.ReverseEndianness(BitConverter.SingleToInt32Bits(values[i])));
        return values;
    }

    private static void ReadMetadata(JsonElement value, Dictionary<string, string> metadata, string path)
    {
        if (value.ValueKind != JsonValueKind.Object)
            throw new CheckpointFormatException(path, $"'__metadata__' must be an object of strings, not {value.ValueKind}.");
        foreach (var m in value.EnumerateObject())
        {
            if (m.Value.ValueKind != JsonValueKind.String)
                throw new CheckpointFormatException(path, $"metadata entry '{m.Name}' must be a string, not {m.Value.ValueKind}.");
            if (!metadata.TryAdd(m.Name, m.Value.GetString()!))
                throw new CheckpointFormatException(path, $"metadata entry '{m.Name}' appears twice.");
        }
    }

    private static Entry ReadEntry(string name, JsonElement value, long dataLength, string path)
    {
        if (name.Length == 0) throw new CheckpointFormatException(path, "a tensor has an empty name.");
        if (value.ValueKind != JsonValueKind.Object)
            throw new CheckpointFormatException(path, $"tensor '{name}' must be described by an object, not {value.ValueKind}.");
        JsonElement? dtype = null, shape = null, offsets = null;
        foreach (var f in value.EnumerateObject())
        {
            switch (f.Name)
            {
                case "dtype" when dtype is null: dtype = f.Value; break;
                case "shape" when shape is null: shape = f.Value; break;
                case "data_offsets" when offsets is null: offsets = f.Value; break;
                default: throw new CheckpointFormatException(path, $"tensor '{name}' has an unexpected or repeated field '{f.Name}'.");
            }
        }
        if (dtype is null || shape is null || offsets is null)
            throw new CheckpointFormatException(path, $"tensor '{name}' lacks one of 'dtype', 'shape' and 'data_offsets'.");
        if (dtype.Value.ValueKind != JsonValueKind.String || dtype.Value.GetString() != "F32")
            throw new CheckpointFormatException(path, $"tensor '{name}' has dtype {dtype.Value.GetRawText()}; only \"F32\" is supported.");

        if (shape.Value.ValueKind != JsonValueKind.Array)
            throw new CheckpointFormatException(path, $"the shape of tensor '{name}' must be an array of sizes.");
        var dims = new List<int>();
        long count = 1;
        foreach (var d in shape.Value.EnumerateArray())
        {
            if (d.ValueKind != JsonValueKind.Number || !d.TryGetInt32(out int size) || size < 0)
                throw new CheckpointFormatException(path, $"the shape of tensor '{name}' holds {d.GetRawText()}; sizes are integers in [0, {int.MaxValue}].");
            dims.Add(size);
            count *= size;
            if (count > int.MaxValue)
                throw new CheckpointFormatException(path, $"tensor '{name}' has more than {int.MaxValue} elements.");
        }

        if (offsets.Value.ValueKind != JsonValueKind.Array || offsets.Value.GetArrayLength() != 2)
            throw new CheckpointFormatException(path, $"the data_offsets of tensor '{name}' must be an array [begin, end].");
        var pair = offsets.Value.EnumerateArray().ToArray();
        if (!TryOffset(pair[0], out long begin) || !TryOffset(pair[1], out long end))
            throw new CheckpointFormatException(path, $"the data_offsets of tensor '{name}' ({offsets.Value.GetRawText()}) must be non-negative integers.");
        if (end < begin)
            throw new CheckpointFormatException(path, $"the data_offsets of tensor '{name}' [{begin}, {end}) end before they begin.");
        if (end > dataLength)
            throw new CheckpointFormatException(path, $"the data_offsets of tensor '{name}' [{begin}, {end}) run past the {dataLength}-byte data region (truncated?).");
        if (end - begin != 4 * count)
            throw new CheckpointFormatException(path, $"tensor '{name}' of shape [{string.Join(", ", dims)}] needs {4 * count} bytes but its data_offsets [{begin}, {end}) hold {end - begin}.");
        return new Entry(name, new Shape([.. dims]), begin, end);
    }

    private static bool TryOffset(JsonElement e, out long value)
    {
        value = 0;
        return e.ValueKind == JsonValueKind.Number && e.TryGetInt64(out value) && value >= 0;
    }

    private static void CheckTiling(List<Entry> entries, long dataLength, string path)
    {
        long expected = 0;
        Entry? previous = null;
        foreach (var e in entries.OrderBy(e => e.Begin).ThenBy(e => e.End))
        {
            if (e.Begin < expected)
                throw new CheckpointFormatException(path, $"tensor '{e.Name}' [{e.Begin}, {e.End}) overlaps tensor '{previous!.Name}' [{previous.Begin}, {previous.End}).");
            if (e.Begin > expected)
                throw new CheckpointFormatException(path, $"the data region has a gap of {e.Begin - expected} bytes before tensor '{e.Name}' at offset {e.Begin}.");
            expected = e.End;
            previous = e;
        }
        if (expected != dataLength)
            throw new CheckpointFormatException(path, $"the tensors cover {expected} bytes but the data region has {dataLength} (trailing bytes).");
    }
}
