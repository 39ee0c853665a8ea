using System.Buffers.Binary;
using System.Runtime.InteropServices;
using System.Text.Json;
using AlexNet.Autograd;
using AlexNet.Autograd.Kernels;

namespace AlexNet.Layers;

/// <summary>
/// Reads and writes the safetensors format (https://github.com/huggingface/safetensors), the container of PyTorch's
/// <c>safetensors.torch.save_file</c> and of this library's checkpoints: an 8-byte little-endian header length N, N
/// bytes of JSON header (<c>{"__metadata__": {string: string}, "name": {"dtype": "F32", "shape": [...],
/// "data_offsets": [begin, end]}, ...}</c>, padded with spaces to a multiple of 8), then the data region, the tensors'
/// little-endian bytes at their offsets.
/// </summary>
/// <remarks>
/// <para>Reading validates everything before trusting it: the header length against the file size and
/// <see cref="MaxHeaderBytes"/>, the JSON, every dtype (F32, F16 and BF16; F16 and BF16 are converted exactly to
/// float32), shape and offset pair, and that the tensors tile the data region exactly (no overlap, no gap, no trailing
/// bytes). Any problem raises <see cref="CheckpointFormatException"/> naming the file and what is wrong.</para>
/// <para>Writing is atomic when given a path (a temporary file renamed over the target). To load a file's weights into a
/// network with its names and shapes checked, use <see cref="SafeTensorsImport"/>; for this library's own checkpoints
/// (the model travels in the metadata), <see cref="Checkpoint"/>.</para>
/// </remarks>
public static class SafeTensors
{
    /// <summary>The largest header accepted (100 MiB, the reference implementation's limit).</summary>
    public const long MaxHeaderBytes = 100L * 1024 * 1024;

    /// <summary>Writes <paramref name="tensors"/> (in the given order) and <paramref name="metadata"/> to
    /// <paramref name="path"/>, atomically.</summary>
    /// <param name="path">The file to write (replaced if it exists; its folder is created if missing).</param>
    /// <param name="tensors">Names and tensors, on any device; names must be unique, non-empty and not <c>__metadata__</c>.</param>
    /// <param name="metadata">String metadata for <c>__metadata__</c>; null for none.</param>
    /// <param name="dtype">The element type written (values are rounded to nearest even for F16 and BF16).</param>
    /// <exception cref="ArgumentException">A name is empty, repeated or <c>__metadata__</c>.</exception>
    /// <exception cref="IOException">The file cannot be written.</exception>
    public static void Save(string path, IReadOnlyList<KeyValuePair<string, Tensor>> tensors, IReadOnlyDictionary<string, string>? metadata = null,
                            SafeTensorsDtype dtype = SafeTensorsDtype.F32)
    {
        ArgumentException.ThrowIfNullOrEmpty(path);
        ArgumentNullException.ThrowIfNull(tensors);
        CheckNames(tensors);
        AtomicFile.Write(path, stream => Write(stream, tensors, metadata ?? new Dictionary<string, string>(), dtype));
    }

    /// <summary>Reads every tensor of a safetensors file (converted to float32) and its metadata.</summary>
    /// <param name="path">The file.</param>
    /// <param name="backend">Where the tensors go; the default CPU backend when null.</param>
    /// <exception cref="CheckpointFormatException">The file is malformed or holds a dtype other than F32, F16 and BF16.</exception>
    /// <exception cref="FileNotFoundException">The file does not exist.</exception>
    public static (TensorMap Tensors, IReadOnlyDictionary<string, string> Metadata) Load(string path, IBackend? backend = null)
    {
        ArgumentException.ThrowIfNullOrEmpty(path);
        using var stream = OpenRead(path);
        var header = ReadHeader(stream, path);
        var map = TensorMap.Empty;
        try
        {
            foreach (var entry in header.Entries)
                map = map.Add(entry.Name, Tensor.FromArray(ReadData(stream, header, entry, path), entry.Shape, backend));
        }
        catch
        {
            map.DisposeAll();
            throw;
        }
        return (map, header.Metadata);
    }

    /// <summary>Reads and validates only the header of a safetensors file: names, dtypes, shapes and metadata.</summary>
    /// <exception cref="CheckpointFormatException">The header is malformed.</exception>
    /// <exception cref="FileNotFoundException">The file does not exist.</exception>
    public static SafeTensorsHeader ReadHeader(string path)
    {
        ArgumentException.ThrowIfNullOrEmpty(path);
        using var stream = OpenRead(path);
        return ReadHeader(stream, path);
    }

    /// <summary>Opens a file for the reads of <see cref="ReadHeader(FileStream, string)"/> and <see cref="ReadData"/>.</summary>
    internal static FileStream OpenRead(string path) => new(path, FileMode.Open, FileAccess.Read, FileShare.Read, 1 << 20);

    /// <summary>Writes the tensors and metadata to <paramref name="stream"/>, tensors in the given order.</summary>
    /// <param name="stream">Where the file's bytes go.</param>
    /// <param name="tensors">Names and tensors, on any device.</param>
    /// <param name="metadata">String metadata for <c>__metadata__</c>.</param>
    /// <param name="dtype">The element type written.</param>
    /// <exception cref="ArgumentException">A name is empty, repeated or <c>__metadata__</c>.</exception>
    public static void Write(Stream stream, IReadOnlyList<KeyValuePair<string, Tensor>> tensors, IReadOnlyDictionary<string, string> metadata,
                             SafeTensorsDtype dtype = SafeTensorsDtype.F32)
    {
        ArgumentNullException.ThrowIfNull(stream);
        ArgumentNullException.ThrowIfNull(tensors);
        ArgumentNullException.ThrowIfNull(metadata);
        CheckNames(tensors);
        int width = ElementBytes(dtype);
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
                w.WriteString("dtype", DtypeName(dtype));
                w.WriteStartArray("shape");
                foreach (var d in t.Shape.Dims) w.WriteNumberValue(d);
                w.WriteEndArray();
                w.WriteStartArray("data_offsets");
                w.WriteNumberValue(offset);
                offset += (long)width * t.Count;
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
            if (dtype == SafeTensorsDtype.F32 && BitConverter.IsLittleEndian) stream.Write(MemoryMarshal.AsBytes(values.AsSpan()));
            else stream.Write(Encode(values, dtype));
        }
    }

    private static void CheckNames(IReadOnlyList<KeyValuePair<string, Tensor>> tensors)
    {
        var seen = new HashSet<string>(StringComparer.Ordinal);
        foreach (var (name, t) in tensors)
        {
            if (string.IsNullOrEmpty(name) || name == "__metadata__")
                throw new ArgumentException($"Tensor name '{name}' cannot be written: names must be non-empty and not '__metadata__'.", nameof(tensors));
            if (!seen.Add(name)) throw new ArgumentException($"Tensor name '{name}' appears twice.", nameof(tensors));
            ArgumentNullException.ThrowIfNull(t, name);
        }
    }

    private static byte[] Encode(float[] values, SafeTensorsDtype dtype)
    {
        var bytes = new byte[(long)values.Length * ElementBytes(dtype)];
        switch (dtype)
        {
            case SafeTensorsDtype.F32:
                for (int i = 0; i < values.Length; i++) BinaryPrimitives.WriteSingleLittleEndian(bytes.AsSpan(4 * i), values[i]);
                break;
            case SafeTensorsDtype.F16:
                for (int i = 0; i < values.Length; i++) BinaryPrimitives.WriteHalfLittleEndian(bytes.AsSpan(2 * i), (Half)values[i]);
                break;
            default:
                for (int i = 0; i < values.Length; i++) BinaryPrimitives.WriteUInt16LittleEndian(bytes.AsSpan(2 * i), ToBFloat16(values[i]));
                break;
        }
        return bytes;
    }

    /// <summary>Rounds a float32 to bfloat16, to nearest even; NaN stays a (quiet) NaN.</summary>
    private static ushort ToBFloat16(float value)
    {
        uint bits = BitConverter.SingleToUInt32Bits(value);
        if (float.IsNaN(value)) return (ushort)((bits >> 16) | 0x0040);
        bits += 0x7FFFu + ((bits >> 16) & 1u);
        return (ushort)(bits >> 16);
    }

    private static int ElementBytes(SafeTensorsDtype dtype) => dtype switch
    {
        SafeTensorsDtype.F32 => 4,
        SafeTensorsDtype.F16 or SafeTensorsDtype.BF16 => 2,
        _ => throw new ArgumentOutOfRangeException(nameof(dtype), dtype, "Unknown safetensors dtype."),
    };

    private static string DtypeName(SafeTensorsDtype dtype) => dtype switch
    {
        SafeTensorsDtype.F32 => "F32",
        SafeTensorsDtype.F16 => "F16",
        SafeTensorsDtype.BF16 => "BF16",
        _ => throw new ArgumentOutOfRangeException(nameof(dtype), dtype, "Unknown safetensors dtype."),
    };

    /// <summary>Reads and validates the header of a file opened for reading.</summary>
    /// <param name="stream">The file, open for reading and seeking.</param>
    /// <param name="path">The file's name, for messages.</param>
    /// <exception cref="CheckpointFormatException">Anything is malformed.</exception>
    public static SafeTensorsHeader ReadHeader(FileStream stream, string path)
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

    private static SafeTensorsHeader Interpret(JsonElement root, long dataStart, long dataLength, string path)
    {
        if (root.ValueKind != JsonValueKind.Object)
            throw new CheckpointFormatException(path, $"the header must be a JSON object, not {root.ValueKind}.");
        var entries = new List<SafeTensorsEntry>();
        var metadata = new Dictionary<string, string>(StringComparer.Ordinal);
        var names = new HashSet<string>(StringComparer.Ordinal);
        foreach (var p in root.EnumerateObject())
        {
            if (!names.Add(p.Name)) throw new CheckpointFormatException(path, $"the header names '{p.Name}' twice.");
            if (p.Name == "__metadata__") ReadMetadata(p.Value, metadata, path);
            else entries.Add(ReadEntry(p.Name, p.Value, dataLength, path));
        }
        CheckTiling(entries, dataLength, path);
        return new SafeTensorsHeader(entries, metadata, dataStart);
    }

    /// <summary>Reads one tensor's values as float32 (F16 and BF16 converted exactly).</summary>
    /// <param name="stream">The file, open for reading and seeking.</param>
    /// <param name="header">Its header, from <see cref="ReadHeader(FileStream, string)"/>.</param>
    /// <param name="entry">One of the header's entries.</param>
    /// <param name="path">The file's name, for messages.</param>
    /// <exception cref="CheckpointFormatException">The file ended early (it changed after the header was read).</exception>
    public static float[] ReadData(FileStream stream, SafeTensorsHeader header, SafeTensorsEntry entry, string path)
    {
        ArgumentNullException.ThrowIfNull(stream);
        ArgumentNullException.ThrowIfNull(header);
        ArgumentNullException.ThrowIfNull(entry);
        var values = new float[entry.Shape.Count];
        try
        {
            stream.Position = header.DataStart + entry.Begin;
            if (entry.Dtype == SafeTensorsDtype.F32)
            {
                stream.ReadExactly(MemoryMarshal.AsBytes(values.AsSpan()));
                if (!BitConverter.IsLittleEndian)
                    for (int i = 0; i < values.Length; i++)
                        values[i] = BitConverter.Int32BitsToSingle(BinaryPrimitives.ReverseEndianness(BitConverter.SingleToInt32Bits(values[i])));
                return values;
            }
            var halves = new byte[2L * values.Length];
            stream.ReadExactly(halves);
            if (entry.Dtype == SafeTensorsDtype.F16)
                for (int i = 0; i < values.Length; i++) values[i] = (float)BinaryPrimitives.ReadHalfLittleEndian(halves.AsSpan(2 * i));
            else
                for (int i = 0; i < values.Length; i++)
                    values[i] = BitConverter.UInt32BitsToSingle((uint)BinaryPrimitives.ReadUInt16LittleEndian(halves.AsSpan(2 * i)) << 16);
            return values;
        }
        catch (EndOfStreamException e)
        {
            throw new CheckpointFormatException(path, $"the data of tensor '{entry.Name}' is cut short.", e);
        }
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

    private static SafeTensorsEntry ReadEntry(string name, JsonElement value, long dataLength, string path)
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
        SafeTensorsDtype type = (dtype.Value.ValueKind == JsonValueKind.String ? dtype.Value.GetString() : null) switch
        {
            "F32" => SafeTensorsDtype.F32,
            "F16" => SafeTensorsDtype.F16,
            "BF16" => SafeTensorsDtype.BF16,
            _ => throw new CheckpointFormatException(path,
                $"tensor '{name}' has dtype {dtype.Value.GetRawText()}; this reader takes floating-point weights as \"F32\", \"F16\" or \"BF16\" (convert it, e.g. tensor.float(), before saving)."),
        };
        int width = ElementBytes(type);

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
        if (end - begin != width * count)
            throw new CheckpointFormatException(path, $"tensor '{name}' of shape [{string.Join(", ", dims)}] and dtype {DtypeName(type)} needs {width * count} bytes but its data_offsets [{begin}, {end}) hold {end - begin}.");
        return new SafeTensorsEntry(name, type, new Shape([.. dims]), begin, end);
    }

    private static bool TryOffset(JsonElement e, out long value)
    {
        value = 0;
        return e.ValueKind == JsonValueKind.Number && e.TryGetInt64(out value) && value >= 0;
    }

    private static void CheckTiling(List<SafeTensorsEntry> entries, long dataLength, string path)
    {
        long expected = 0;
        SafeTensorsEntry? previous = null;
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
