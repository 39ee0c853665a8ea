using AlexNet.Autograd;
using AlexNet.Layers;

namespace AlexNet.Onnx;

/// <summary>
/// Writes a network with its parameters as an ONNX model (opset 17) for inference elsewhere (ONNX Runtime, TensorRT,
/// OpenVINO, ...): <c>network.ExportOnnx("alexnet.onnx", parameters)</c>.
/// </summary>
/// <remarks>
/// The model is the network's lowering (<see cref="Network.Lower"/>) translated step by step: convolutions to
/// <c>Conv</c> (fused towers as <c>group</c> = towers), fully connected maps to <c>Gemm</c> (with <c>Split</c> and
/// <c>Concat</c> only where towers map their own features), LRN to <c>LRN</c> with α converted to ONNX's convention,
/// pooling, <c>Relu</c>, <c>Flatten</c> and <c>Softmax</c>; dropout is the identity at inference and is left out. The
/// input is named <c>input</c> with a symbolic batch axis <c>N</c>; parameters keep their paths as initializer names.
/// </remarks>
public static class OnnxExport
{
    /// <summary>Writes <paramref name="network"/> and <paramref name="parameters"/> to <paramref name="path"/> (a
    /// temporary file renamed when complete, so a failed export leaves no partial file).</summary>
    /// <param name="network">The network.</param>
    /// <param name="parameters">Its parameters (as from <see cref="Network.Init(RandomKey, AlexNet.Autograd.Kernels.IBackend?)"/>
    /// or a checkpoint), on any device.</param>
    /// <param name="path">The .onnx file to write.</param>
    /// <param name="softmax">Whether a final <see cref="Softmax"/> layer is exported (the model then outputs
    /// <c>probabilities</c>); when false, or when the network has none, the output is <c>logits</c>.</param>
    /// <param name="metadata">Key/value pairs for the model's <c>metadata_props</c> (e.g. class names), or null.</param>
    /// <param name="imageInput">The preprocessing to put into the graph (its input is then whole images named
    /// <c>image</c>), or null for an input named <c>input</c> that takes the network's input as it is.</param>
    /// <exception cref="ArgumentException">A parameter is missing or has the wrong shape (one message lists every
    /// problem), or the image input does not fit the network.</exception>
    /// <exception cref="OnnxExportException">A layer has no ONNX equivalent (the message names it), or the model is too
    /// large for one ONNX file.</exception>
    public static void ExportOnnx(this Network network, string path, TensorMap parameters, bool softmax = true,
                                  IReadOnlyDictionary<string, string>? metadata = null, OnnxImageInput? imageInput = null)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(path);
        Build(network, parameters, softmax, metadata, imageInput).Save(path);
    }

    /// <summary>The ONNX model of <paramref name="network"/> as bytes (see <see cref="ExportOnnx"/>).</summary>
    /// <exception cref="ArgumentException">As <see cref="ExportOnnx"/>.</exception>
    /// <exception cref="OnnxExportException">As <see cref="ExportOnnx"/>.</exception>
    public static byte[] ToOnnx(this Network network, TensorMap parameters, bool softmax = true,
                                IReadOnlyDictionary<string, string>? metadata = null, OnnxImageInput? imageInput = null)
    {
        using var stream = new MemoryStream();
        Google.Protobuf.MessageExtensions.WriteTo(Build(network, parameters, softmax, metadata, imageInput).Build(), stream);
        return stream.ToArray();
    }

    private static OnnxGraphBuilder Build(Network network, TensorMap parameters, bool softmax, IReadOnlyDictionary<string, string>? metadata,
                                          OnnxImageInput? imageInput)
    {
        ArgumentNullException.ThrowIfNull(network);
        ArgumentNullException.ThrowIfNull(parameters);
        CheckParameters(network, parameters);
        var steps = network.Lower().Steps.ToList();
        if (!softmax && steps.Count > 0 && steps[^1] is SoftmaxStep) steps.RemoveAt(steps.Count - 1);
        string outputName = steps.Count > 0 && steps[^1] is SoftmaxStep ? "probabilities" : "logits";

        var graph = new OnnxGraphBuilder("alexnet");
        foreach (var (key, text) in metadata ?? new Dictionary<string, string>()) graph.AddMetadata(key, text);
        var value = imageInput is null ? graph.AddInput("input", network.InputShape) : Preprocess(graph, network, imageInput);
        var writer = new OnnxStepWriter(graph, parameters);
        for (int i = 0; i < steps.Count; i++)
            value = writer.Write(steps[i], value, i == steps.Count - 1 ? outputName : steps[i].Layer);
        if (value == "input" || value != outputName) value = graph.Identity(outputName, value);
        graph.AddOutput(value, steps.Count > 0 ? steps[^1].Output : network.InputShape);
        return graph;
    }

    /// <summary>The image input, cropped to the network's input and mapped to x·scale + offset.</summary>
    private static string Preprocess(OnnxGraphBuilder graph, Network network, OnnxImageInput image)
    {
        var input = network.InputShape;
        if (input.Rank != 3 || image.Channels != input[0])
            throw new ArgumentException($"An image input of {image.Channels} channels does not fit the network's input {input}.", nameof(image));
        int h = input[1], w = input[2];
        if (image.Top < 0 || image.Left < 0 || image.Top + h > image.Height || image.Left + w > image.Width)
            throw new ArgumentException($"A {h}×{w} crop at ({image.Top}, {image.Left}) does not fit a {image.Height}×{image.Width} image.", nameof(image));
        if (image.Offset is null || image.Offset.Length != input.Count)
            throw new ArgumentException($"The offset has {image.Offset?.Length ?? 0} values; the network's input {input} needs {input.Count}.", nameof(image));
        if (!float.IsFinite(image.Scale) || image.Offset.Any(v => !float.IsFinite(v)))
            throw new ArgumentException("The image input's scale and offset must be finite.", nameof(image));
        var value = graph.AddInput("image", new Shape(image.Channels, image.Height, image.Width));
        if (h != image.Height || w != image.Width)
        {
            var starts = graph.AddInt64Initializer("crop.starts", [image.Top, image.Left], [2]);
            var ends = graph.AddInt64Initializer("crop.ends", [image.Top + h, image.Left + w], [2]);
            var axes = graph.AddInt64Initializer("crop.axes", [2, 3], [2]);
            var cropped = graph.UniqueName("crop");
            graph.AddNode("Slice", "crop", [value, starts, ends, axes], [cropped]);
            value = cropped;
        }
        var scale = graph.AddInitializer("preprocess.scale", [image.Scale], []);
        var offset = graph.AddInitializer("preprocess.offset", image.Offset, input.ToArray());
        var scaled = graph.UniqueName("scaled");
        graph.AddNode("Mul", "scale", [value, scale], [scaled]);
        var shifted = graph.UniqueName("preprocessed");
        graph.AddNode("Add", "offset", [scaled, offset], [shifted]);
        return shifted;
    }

    private static void CheckParameters(Network network, TensorMap parameters)
    {
        var problems = new List<string>();
        foreach (var spec in network.ParameterSpecs)
        {
            if (!parameters.TryGetValue(spec.Name, out var tensor)) problems.Add($"'{spec.Name}' {spec.Shape} is missing");
            else if (tensor.Shape != spec.Shape) problems.Add($"'{spec.Name}' has shape {tensor.Shape}, the network needs {spec.Shape}");
        }
        if (problems.Count > 0)
            throw new ArgumentException($"The parameters do not fit the network: {string.Join("; ", problems)}.", nameof(parameters));
    }
}
