using System.Text;
using System.Text.Json;
using AlexNet.Autograd;

namespace AlexNet.Layers;

/// <summary>
/// The JSON form of a network, written and read by hand so that the format is explicit and every malformed document
/// gets a message saying where it is wrong:
/// <c>{"format":"alexnet.network","version":1,"input":[3,227,227],"layers":[{"type":"conv","name":"conv1",...},...]}</c>.
/// Floats are written in their shortest round-trip form, so a round trip is bit-exact.
/// </summary>
internal static class NetworkJson
{
    public const string Format = "alexnet.network";
    public const int Version = 1;

    public static string Write(Network network)
    {
        using var stream = new MemoryStream();
        using (var w = new Utf8JsonWriter(stream, new JsonWriterOptions { Indented = true }))
        {
            w.WriteStartObject();
            w.WriteString("format", Format);
            w.WriteNumber("version", Version);
            w.WriteStartArray("input");
            foreach (var d in network.InputShape.Dims) w.WriteNumberValue(d);
            w.WriteEndArray();
            WriteLayers(w, "layers", network.Layers);
            w.WriteEndObject();
        }
        return Encoding.UTF8.GetString(stream.ToArray());
    }

    private static void WriteLayers(Utf8JsonWriter w, string property, IEnumerable<Layer> layers)
    {
        w.WriteStartArray(property);
        foreach (var layer in layers) WriteLayer(w, layer);
        w.WriteEndArray();
    }

    private static void WriteLayer(Utf8JsonWriter w, Layer layer)
    {
        w.WriteStartObject();
        switch (layer)
        {
            case Conv c:
                Head(w, "conv", c.Name);
                w.WriteNumber("out", c.Out); w.WriteNumber("kernel", c.Kernel); w.WriteNumber("stride", c.Stride);
                w.WriteNumber("pad", c.Pad); w.WriteNumber("weightStd", c.WeightStd); w.WriteNumber("biasInit", c.BiasInit);
                break;
            case Dense d:
                Head(w, "dense", d.Name);
                w.WriteNumber("out", d.Out); w.WriteNumber("weightStd", d.WeightStd); w.WriteNumber("biasInit", d.BiasInit);
                break;
            case Relu r: Head(w, "relu", r.Name); break;
            case Flatten f: Head(w, "flatten", f.Name); break;
            case Softmax s: Head(w, "softmax", s.Name); break;
            case Lrn l:
                Head(w, "lrn", l.Name);
                w.WriteNumber("size", l.Size); w.WriteNumber("alpha", l.Alpha); w.WriteNumber("beta", l.Beta); w.WriteNumber("k", l.K);
                break;
            case MaxPool m:
                Head(w, "maxpool", m.Name);
                w.WriteNumber("kernel", m.Kernel); w.WriteNumber("stride", m.Stride); w.WriteNumber("pad", m.Pad);
                break;
            case Dropout d:
                Head(w, "dropout", d.Name);
                w.WriteNumber("p", d.P);
                break;
            case Towers t:
                Head(w, "towers", t.Name);
                w.WriteNumber("count", t.Count);
                WriteLayers(w, "body", t.Body);
                break;
            case Sequential s:
                Head(w, "sequential", s.Name);
                WriteLayers(w, "layers", s.Layers);
                break;
            default:
                throw new NotSupportedException($"Layer type {layer.GetType().Name} has no JSON form.");
        }
        w.WriteEndObject();
    }

    private static void Head(Utf8JsonWriter w, string type, string name)
    {
        w.WriteString("type", type);
        w.WriteString("name", name);
    }

    public static Network Read(string json)
    {
        ArgumentNullException.ThrowIfNull(json);
        JsonDocument doc;
        try
        {
            doc = JsonDocument.Parse(json, new JsonDocumentOptions { MaxDepth = 64 });
        }
        catch (JsonException e)
        {
            throw new FormatException($"Network JSON is not valid JSON: {e.Message}", e);
        }
        using (doc)
        {
            try
            {
                return Interpret(doc.RootElement);
            }
            catch (InvalidOperationException e)
            {
                // JsonElement throws this for strings that parse but cannot be decoded (a lone surrogate escape).
                throw new FormatException($"Network JSON is not valid JSON: {e.Message}", e);
            }
        }
    }

    private static Network Interpret(JsonElement element)
    {
        var root = new Fields(element, "network");
        var format = root.String("format");
        if (format != Format) throw new FormatException($"Network JSON: 'format' is '{format}', expected '{Format}'.");
        int version = root.Int("version");
        if (version != Version) throw new FormatException($"Network JSON: version {version} is not supported (this library reads version {Version}).");
        var input = root.Array("input").Select((e, i) => Fields.IntOf(e, $"network.input[{i}]")).ToArray();
        var layers = ReadLayers(root.Array("layers"), "layers");
        root.End();
        Shape shape;
        try
        {
            shape = new Shape(input);
        }
        catch (ArgumentException e)
        {
            throw new FormatException($"Network JSON: 'input' {e.Message}", e);
        }
        return Network.Create(shape, layers);
    }

    private static List<Layer> ReadLayers(IReadOnlyList<JsonElement> items, string where) =>
        [.. items.Select((e, i) => ReadLayer(e, $"{where}[{i}]"))];

    private static Layer ReadLayer(JsonElement e, string where)
    {
        var f = new Fields(e, where);
        var type = f.String("type");
        var name = f.String("name");
        f.Where = $"{where} ({type} '{name}')";
        Layer layer = type switch
        {
            "conv" => new Conv(name, f.Int("out"), f.Int("kernel"), f.Int("stride"), f.Int("pad"), f.Float("weightStd"), f.Float("biasInit")),
            "dense" => new Dense(name, f.Int("out"), f.Float("weightStd"), f.Float("biasInit")),
            "relu" => new Relu(name),
            "flatten" => new Flatten(name),
            "softmax" => new Softmax(name),
            "lrn" => new Lrn(name, f.Int("size"), f.Float("alpha"), f.Float("beta"), f.Float("k")),
            "maxpool" => new MaxPool(name, f.Int("kernel"), f.Int("stride"), f.Int("pad")),
            "dropout" => new Dropout(name, f.Float("p")),
            "towers" => new Towers(name, f.Int("count"), new LayerList(ReadLayers(f.Array("body"), where + ".body"))),
            "sequential" => new Sequential(name, new LayerList(ReadLayers(f.Array("layers"), where + ".layers"))),
            _ => throw new FormatException($"Network JSON: {where} has unknown type '{type}'."),
        };
        f.End();
        return layer;
    }

    /// <summary>Reads the properties of one JSON object, each exactly once, and rejects any left unread.</summary>
    private sealed class Fields
    {
        private readonly JsonElement _element;
        private readonly HashSet<string> _read = new(StringComparer.Ordinal);

        public Fields(JsonElement element, string where)
        {
            if (element.ValueKind != JsonValueKind.Object)
                throw new FormatException($"Network JSON: {where} must be an object, not {element.ValueKind}.");
            _element = element;
            Where = where;
            var seen = new HashSet<string>(StringComparer.Ordinal);
            foreach (var p in element.EnumerateObject())
                if (!seen.Add(p.Name)) throw new FormatException($"Network JSON: {where} has property '{p.Name}' twice.");
        }

        public string Where { get; set; }

        private JsonElement Get(string name)
        {
            if (!_element.TryGetProperty(name, out var value))
                throw new FormatException($"Network JSON: {Where} lacks property '{name}'.");
            _read.Add(name);
            return value;
        }

        public string String(string name)
        {
            var v = Get(name);
            return v.ValueKind == JsonValueKind.String ? v.GetString()! : throw new FormatException($"Network JSON: {Where}.{name} must be a string.");
        }

        public int Int(string name) => IntOf(Get(name), $"{Where}.{name}");

        public static int IntOf(JsonElement v, string where) =>
            v.ValueKind == JsonValueKind.Number && v.TryGetInt32(out int i) ? i : throw new FormatException($"Network JSON: {where} must be a 32-bit integer.");

        public float Float(string name)
        {
            var v = Get(name);
            if (v.ValueKind == JsonValueKind.Number && v.TryGetSingle(out float f) && float.IsFinite(f)) return f;
            throw new FormatException($"Network JSON: {Where}.{name} must be a finite number.");
        }

        public IReadOnlyList<JsonElement> Array(string name)
        {
            var v = Get(name);
            return v.ValueKind == JsonValueKind.Array ? [.. v.EnumerateArray()] : throw new FormatException($"Network JSON: {Where}.{name} must be an array.");
        }

        public void End()
        {
            foreach (var p in _element.EnumerateObject())
                if (!_read.Contains(p.Name)) throw new FormatException($"Network JSON: {Where} has unknown property '{p.Name}'.");
        }
    }
}
