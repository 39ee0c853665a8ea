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
        var kind = LayerKinds.Of(layer);
        w.WriteStartObject();
        w.WriteString("type", kind.Name);
        foreach (var field in kind.Fields)
        {
            switch (field.Property.GetValue(layer))
            {
                case string text: w.WriteString(field.Json, text); break;
                case int number: w.WriteNumber(field.Json, number); break;
                case float number: w.WriteNumber(field.Json, number); break;
                case bool flag: w.WriteBoolean(field.Json, flag); break;
                case Enum choice: w.WriteString(field.Json, choice.ToString()); break;
                case LayerList list: WriteLayers(w, field.Json, list); break;
                case var other: throw new NotSupportedException($"Layer '{layer.Name}': property {field.Property.Name} is {other ?? "null"}, which has no JSON form.");
            }
        }
        w.WriteEndObject();
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
        if (!LayerKinds.TryFind(type, out var kind))
            throw new FormatException($"Network JSON: {where} has unknown type '{type}' (known: {string.Join(", ", LayerKinds.Names)}).");
        var arguments = new object?[kind.Fields.Count];
        arguments[0] = name;
        for (int i = 1; i < arguments.Length; i++)
        {
            var field = kind.Fields[i];
            // A property the layer's constructor gives a default may be left out (files written before it existed).
            if (field.HasDefault && !f.Has(field.Json))
            {
                arguments[i] = field.Default;
                continue;
            }
            arguments[i] = field.Type == typeof(int) ? f.Int(field.Json)
                : field.Type == typeof(float) ? f.Float(field.Json)
                : field.Type == typeof(bool) ? f.Bool(field.Json)
                : field.Type == typeof(string) ? f.String(field.Json)
                : field.Type == typeof(LayerList) ? new LayerList(ReadLayers(f.Array(field.Json), $"{where}.{field.Json}"))
                : f.Enum(field.Json, field.Type);
        }
        var layer = kind.Create(arguments);
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

        public bool Has(string name) => _element.TryGetProperty(name, out _);

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

        public bool Bool(string name)
        {
            var v = Get(name);
            return v.ValueKind is JsonValueKind.True or JsonValueKind.False ? v.GetBoolean() : throw new FormatException($"Network JSON: {Where}.{name} must be true or false.");
        }

        public object Enum(string name, Type type)
        {
            var text = String(name);
            return System.Enum.GetNames(type).Contains(text, StringComparer.Ordinal)
                ? System.Enum.Parse(type, text)
                : throw new FormatException($"Network JSON: {Where}.{name} is '{text}'; expected one of {string.Join(", ", System.Enum.GetNames(type))}.");
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
