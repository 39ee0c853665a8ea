using System.Buffers.Binary;
using System.Runtime.InteropServices;
using AlexNet.Autograd;
using AlexNet.Layers;
using Google.Protobuf;
using Onnx;

namespace AlexNet.Onnx;

/// <summary>
/// Builds one ONNX model (a single graph in the default operator domain, opset <see cref="OpsetVersion"/>) value by
/// value: graph inputs, initializers, nodes, graph outputs; then writes it atomically with <see cref="Save"/>.
/// </summary>
/// <remarks>
/// <para>Every value name is defined once (ONNX graphs are in static single-assignment form): inputs, initializers and
/// node outputs share one namespace, and <see cref="UniqueName"/> hands out fresh names from a hint. A node may only
/// consume values defined before it, so the node list is always in the topological order ONNX requires; a mistake
/// is reported when the node is added, not later by a runtime.</para>
/// <para>Graph inputs and outputs are float tensors whose first axis is the symbolic batch dimension
/// <see cref="BatchDimension"/>; the rest of their shape is fixed. Initializers are stored as little-endian raw data.</para>
/// <para>The node helpers (<see cref="Conv"/>, <see cref="Lrn"/>, …, in <c>OnnxGraphBuilder.Operators.cs</c>) set each
/// operator's attributes as opset 17 defines them and convert this library's conventions where they differ.</para>
/// </remarks>
internal sealed partial class OnnxGraphBuilder
{
    /// <summary>The version of the default ("ai.onnx") operator set the model imports.</summary>
    public const int OpsetVersion = 17;

    /// <summary>The name of the symbolic batch dimension of graph inputs and outputs.</summary>
    public const string BatchDimension = "N";

    /// <summary>The producer name written into every model.</summary>
    public const string ProducerName = "AlexNet";

    /// <summary>One protobuf message cannot exceed 2 GiB; ONNX's external-data layout for larger models is not written.</summary>
    private const long MaxModelBytes = int.MaxValue;

    private readonly GraphProto _graph;
    private readonly string _producerVersion;
    private readonly HashSet<string> _reserved = new(StringComparer.Ordinal);    // defined, or handed out by UniqueName
    private readonly HashSet<string> _defined = new(StringComparer.Ordinal);     // inputs, initializers, node outputs
    private readonly HashSet<string> _initializers = new(StringComparer.Ordinal);
    private readonly HashSet<string> _outputs = new(StringComparer.Ordinal);
    private readonly HashSet<string> _nodeNames = new(StringComparer.Ordinal);
    private readonly Dictionary<string, string> _metadata = new(StringComparer.Ordinal);

    /// <summary>The IR version written: the one of the bundled onnx.proto (8 for ONNX 1.12), which is the IR version
    /// that opset 17 was released with.</summary>
    public static long IrVersion => (long)global::Onnx.Version.IrVersion;

    /// <summary>Starts an empty graph.</summary>
    /// <param name="graphName">The graph's name (e.g. the network's).</param>
    /// <param name="producerVersion">The producer version written into the model; this assembly's version when null.</param>
    /// <exception cref="ArgumentException">The graph name is empty.</exception>
    public OnnxGraphBuilder(string graphName, string? producerVersion = null)
    {
        CheckName(graphName, "graph");
        _graph = new GraphProto { Name = graphName };
        _producerVersion = producerVersion ?? typeof(OnnxGraphBuilder).Assembly.GetName().Version?.ToString() ?? "0";
    }

    /// <summary>The graph's name.</summary>
    public string GraphName => _graph.Name;

    /// <summary>Number of nodes added so far.</summary>
    public int NodeCount => _graph.Node.Count;

    /// <summary>Whether <paramref name="name"/> is a value defined so far (a graph input, an initializer or a node output).</summary>
    public bool IsDefined(string name) => _defined.Contains(name);

    /// <summary>A value name not used yet: <paramref name="hint"/> itself when it is free, else <c>hint_1</c>,
    /// <c>hint_2</c>, …. The name is reserved: later calls never return it again. It is not defined until a node
    /// output, graph input or initializer takes it.</summary>
    /// <exception cref="ArgumentException">The hint is empty.</exception>
    public string UniqueName(string hint)
    {
        CheckName(hint, "value name hint");
        var name = Fresh(hint, _reserved);
        _reserved.Add(name);
        return name;
    }

    /// <summary>Declares a float graph input of shape [<see cref="BatchDimension"/>, ..<paramref name="exampleShape"/>].</summary>
    /// <param name="name">The input's name, used as given.</param>
    /// <param name="exampleShape">The shape of one example (without the batch axis), e.g. [3, 227, 227].</param>
    /// <returns><paramref name="name"/>.</returns>
    /// <exception cref="ArgumentException">The name is empty or already defined.</exception>
    public string AddInput(string name, Shape exampleShape)
    {
        ArgumentNullException.ThrowIfNull(exampleShape);
        Define(name, "graph input");
        _graph.Input.Add(FloatValueInfo(name, exampleShape));
        return name;
    }

    /// <summary>Declares the defined value <paramref name="name"/> a float graph output of shape
    /// [<see cref="BatchDimension"/>, ..<paramref name="exampleShape"/>].</summary>
    /// <param name="name">A value defined earlier (usually the last node's output).</param>
    /// <param name="exampleShape">The shape of one example (without the batch axis), e.g. [1000].</param>
    /// <exception cref="ArgumentException">The value is not defined, is already an output, or is an initializer.</exception>
    public void AddOutput(string name, Shape exampleShape)
    {
        ArgumentNullException.ThrowIfNull(exampleShape);
        CheckName(name, "graph output");
        if (!_defined.Contains(name))
            throw new ArgumentException($"Graph output '{name}' is not a value of the graph; add the node that produces it first.", nameof(name));
        if (_initializers.Contains(name))
            throw new ArgumentException($"Graph output '{name}' is an initializer; route it through an Identity node to output a constant.", nameof(name));
        if (!_outputs.Add(name)) throw new ArgumentException($"'{name}' is already a graph output.", nameof(name));
        _graph.Output.Add(FloatValueInfo(name, exampleShape));
    }

    /// <summary>Adds a float initializer (a constant such as a weight) holding <paramref name="tensor"/>'s values.</summary>
    /// <param name="name">The initializer's name, used as given (e.g. the parameter name <c>conv1.weight</c>).</param>
    /// <param name="tensor">The values, on any backend (they are copied to the host).</param>
    /// <returns><paramref name="name"/>.</returns>
    /// <exception cref="ArgumentException">The name is empty or already defined.</exception>
    public string AddInitializer(string name, Tensor tensor)
    {
        ArgumentNullException.ThrowIfNull(tensor);
        return AddInitializer(name, tensor.ToArray(), tensor.Shape.ToArray());
    }

    /// <summary>Adds a float initializer of shape <paramref name="dims"/> holding <paramref name="data"/> (row-major).</summary>
    /// <param name="name">The initializer's name, used as given.</param>
    /// <param name="data">The values; as many as the product of <paramref name="dims"/>.</param>
    /// <param name="dims">The shape (empty for a scalar).</param>
    /// <returns><paramref name="name"/>.</returns>
    /// <exception cref="ArgumentException">The name is empty or defined, a dimension is negative, or the data's length
    /// is not the product of the dimensions.</exception>
    public string AddInitializer(string name, ReadOnlySpan<float> data, IReadOnlyList<int> dims)
    {
        var proto = InitializerProto(name, TensorProto.Types.DataType.Float, data.Length, dims);
        var bytes = new byte[checked(data.Length * sizeof(float))];
        if (BitConverter.IsLittleEndian) MemoryMarshal.AsBytes(data).CopyTo(bytes);
        else for (int i = 0; i < data.Length; i++) BinaryPrimitives.WriteSingleLittleEndian(bytes.AsSpan(i * sizeof(float)), data[i]);
        proto.RawData = UnsafeByteOperations.UnsafeWrap(bytes);
        Define(name, "initializer");
        _initializers.Add(name);
        _graph.Initializer.Add(proto);
        return name;
    }

    /// <summary>Adds an int64 initializer (shapes, split sizes and other integer operands of operators).</summary>
    /// <param name="name">The initializer's name, used as given.</param>
    /// <param name="data">The values; as many as the product of <paramref name="dims"/>.</param>
    /// <param name="dims">The shape (empty for a scalar).</param>
    /// <returns><paramref name="name"/>.</returns>
    /// <exception cref="ArgumentException">As for the float overload.</exception>
    public string AddInt64Initializer(string name, ReadOnlySpan<long> data, IReadOnlyList<int> dims)
    {
        var proto = InitializerProto(name, TensorProto.Types.DataType.Int64, data.Length, dims);
        var bytes = new byte[checked(data.Length * sizeof(long))];
        for (int i = 0; i < data.Length; i++) BinaryPrimitives.WriteInt64LittleEndian(bytes.AsSpan(i * sizeof(long)), data[i]);
        proto.RawData = UnsafeByteOperations.UnsafeWrap(bytes);
        Define(name, "initializer");
        _initializers.Add(name);
        _graph.Initializer.Add(proto);
        return name;
    }

    /// <summary>Adds one node.</summary>
    /// <param name="opType">The operator, as the ONNX specification spells it (e.g. <c>Conv</c>).</param>
    /// <param name="nameHint">Hint for the node's name (made unique among node names).</param>
    /// <param name="inputs">Values defined earlier, in the operator's input order; an empty string marks an omitted
    /// optional input.</param>
    /// <param name="outputs">New value names (from <see cref="UniqueName"/> or never used), in the operator's output order.</param>
    /// <param name="attributes">The node's attributes; each name at most once.</param>
    /// <returns>The node's name.</returns>
    /// <exception cref="ArgumentException">An input is not defined yet, an output is already defined by something
    /// else, the node has no output, or an attribute name repeats.</exception>
    public string AddNode(string opType, string nameHint, IReadOnlyList<string> inputs, IReadOnlyList<string> outputs,
        params OnnxAttribute[] attributes)
    {
        CheckName(opType, "operator type");
        CheckName(nameHint, "node name hint");
        ArgumentNullException.ThrowIfNull(inputs);
        ArgumentNullException.ThrowIfNull(outputs);
        ArgumentNullException.ThrowIfNull(attributes);
        foreach (var input in inputs)
            if (input is null || (input.Length > 0 && !_defined.Contains(input)))
                throw new ArgumentException($"{opType} node '{nameHint}': input '{input}' is not defined yet; add the graph input, initializer or node that produces it first.", nameof(inputs));
        if (outputs.Count == 0) throw new ArgumentException($"{opType} node '{nameHint}' has no output.", nameof(outputs));
        foreach (var output in outputs)
        {
            CheckName(output, $"{opType} node '{nameHint}' output");
            if (_defined.Contains(output))
                throw new ArgumentException($"{opType} node '{nameHint}': output '{output}' is already defined; take a fresh name from UniqueName.", nameof(outputs));
        }
        if (outputs.Distinct(StringComparer.Ordinal).Count() != outputs.Count)
            throw new ArgumentException($"{opType} node '{nameHint}' names an output twice.", nameof(outputs));
        var repeated = attributes.GroupBy(a => a.Name, StringComparer.Ordinal).FirstOrDefault(g => g.Count() > 1);
        if (repeated is not null) throw new ArgumentException($"{opType} node '{nameHint}' sets attribute '{repeated.Key}' twice.", nameof(attributes));

        var node = new NodeProto { OpType = opType, Name = Fresh(nameHint, _nodeNames) };
        _nodeNames.Add(node.Name);
        node.Input.Add(inputs);
        node.Output.Add(outputs);
        foreach (var attribute in attributes) node.Attribute.Add(attribute.ToProto());
        foreach (var output in outputs)
        {
            _reserved.Add(output);
            _defined.Add(output);
        }
        _graph.Node.Add(node);
        return node.Name;
    }

    /// <summary>Records a key/value pair in the model's <c>metadata_props</c> (class names, preprocessing), which
    /// runtimes expose to applications (ONNX Runtime: <c>InferenceSession.ModelMetadata.CustomMetadataMap</c>).</summary>
    /// <exception cref="ArgumentException">The key is empty or already recorded.</exception>
    public void AddMetadata(string key, string value)
    {
        ArgumentException.ThrowIfNullOrEmpty(key);
        ArgumentNullException.ThrowIfNull(value);
        if (!_metadata.TryAdd(key, value)) throw new ArgumentException($"Metadata key '{key}' is already recorded.", nameof(key));
    }

    /// <summary>The model built so far, as a protobuf message (a deep copy: later additions do not change it).</summary>
    /// <exception cref="InvalidOperationException">The graph has no input or no output yet.</exception>
    /// <exception cref="OnnxExportException">The model is larger than one ONNX file can hold (2 GiB).</exception>
    public ModelProto Build()
    {
        if (_graph.Input.Count == 0) throw new InvalidOperationException($"ONNX graph '{GraphName}' has no input; call AddInput first.");
        if (_graph.Output.Count == 0) throw new InvalidOperationException($"ONNX graph '{GraphName}' has no output; call AddOutput after the last node.");
        long bytes = _graph.Initializer.Sum(t => (long)t.CalculateSize()) + _graph.Node.Sum(n => (long)n.CalculateSize());
        if (bytes > MaxModelBytes - (1 << 20))
            throw new OnnxExportException($"the model needs about {bytes:N0} bytes, more than the 2 GiB one protobuf file can hold; "
                + "ONNX's external-data layout for larger models is not supported.");
        var model = new ModelProto
        {
            IrVersion = IrVersion,
            ProducerName = ProducerName,
            ProducerVersion = _producerVersion,
            Graph = _graph.Clone(),
        };
        model.OpsetImport.Add(new OperatorSetIdProto { Domain = "", Version = OpsetVersion });
        foreach (var (key, value) in _metadata) model.MetadataProps.Add(new StringStringEntryProto { Key = key, Value = value });
        return model;
    }

    /// <summary>Writes the model to <paramref name="path"/>: to a temporary file in the same folder, flushed, then
    /// renamed over the target, so a reader never sees a partial file. The folder is created if missing.</summary>
    /// <exception cref="InvalidOperationException">The graph has no input or output yet.</exception>
    /// <exception cref="OnnxExportException">The model is larger than one ONNX file can hold.</exception>
    public void Save(string path)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(path);
        var model = Build();
        AtomicFile.Write(path, model.WriteTo);
    }

    private TensorProto InitializerProto(string name, TensorProto.Types.DataType type, int length, IReadOnlyList<int> dims)
    {
        CheckName(name, "initializer");
        ArgumentNullException.ThrowIfNull(dims);
        if (dims.Any(d => d < 0)) throw new ArgumentException($"Initializer '{name}': dimensions [{string.Join(", ", dims)}] must be ≥ 0.", nameof(dims));
        long count = dims.Aggregate(1L, (p, d) => p * d);
        if (count != length)
            throw new ArgumentException($"Initializer '{name}': shape [{string.Join(", ", dims)}] holds {count} values but {length} were given.", nameof(dims));
        var proto = new TensorProto { Name = name, DataType = (int)type };
        proto.Dims.Add(dims.Select(d => (long)d));
        return proto;
    }

    private static ValueInfoProto FloatValueInfo(string name, Shape exampleShape)
    {
        if (exampleShape.Dims.Any(d => d < 1))
            throw new ArgumentException($"Graph value '{name}': example shape {exampleShape} must have positive dimensions.", nameof(exampleShape));
        var shape = new TensorShapeProto();
        shape.Dim.Add(new TensorShapeProto.Types.Dimension { DimParam = BatchDimension });
        foreach (var d in exampleShape.Dims) shape.Dim.Add(new TensorShapeProto.Types.Dimension { DimValue = d });
        return new ValueInfoProto
        {
            Name = name,
            Type = new TypeProto { TensorType = new TypeProto.Types.Tensor { ElemType = (int)TensorProto.Types.DataType.Float, Shape = shape } },
        };
    }

    /// <summary>Defines a graph input or initializer; a name handed out by <see cref="UniqueName"/> may be defined
    /// once, like any other.</summary>
    private void Define(string name, string what)
    {
        CheckName(name, what);
        if (!_defined.Add(name)) throw new ArgumentException($"ONNX graph '{GraphName}': {what} name '{name}' is already used; names must be unique.", nameof(name));
        _reserved.Add(name);
    }

    private static string Fresh(string hint, HashSet<string> used)
    {
        if (!used.Contains(hint)) return hint;
        for (int i = 1; ; i++)
        {
            var candidate = $"{hint}_{i}";
            if (!used.Contains(candidate)) return candidate;
        }
    }

    private static void CheckName(string name, string what)
    {
        if (string.IsNullOrWhiteSpace(name)) throw new ArgumentException($"The {what} needs a non-empty name.", nameof(name));
    }
}
