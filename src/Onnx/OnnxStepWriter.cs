using AlexNet.Autograd;
using AlexNet.Layers;

namespace AlexNet.Onnx;

/// <summary>
/// Translates one lowered step into ONNX nodes: the one place that knows how every step kind looks in ONNX. A layer
/// kind built from existing steps exports with no change here.
/// </summary>
internal sealed class OnnxStepWriter(OnnxGraphBuilder graph, TensorMap parameters)
{
    /// <summary>Adds the nodes of <paramref name="step"/> reading <paramref name="input"/>; returns the value it produces,
    /// named from <paramref name="name"/>.</summary>
    /// <exception cref="OnnxExportException">ONNX cannot express the step; the message names its layer.</exception>
    public string Write(Step step, string input, string name) => step switch
    {
        ConvStep c => graph.Conv(name, input, Parameter(c.Weight), Parameter(c.Bias), c.Kernel, c.Stride, c.Pad, c.Groups),
        LinearStep l when l.Groups == 1 => graph.Gemm(name, input, Parameter(l.Weight), Parameter(l.Bias)),
        LinearStep l => GroupedGemm(l, input, name),
        ReluStep => graph.Relu(name, input),
        LrnStep l when l.Groups == 1 => graph.Lrn(name, input, l.Size, l.Alpha, l.Beta, l.K),
        LrnStep l => GroupedLrn(l, input, name),
        MaxPoolStep m => graph.MaxPool(name, input, m.Kernel, m.Stride, m.Pad),
        AvgPoolStep a => graph.AveragePool(name, input, a.Kernel, a.Stride, a.Pad, countIncludePad: true),
        AdaptiveAvgPoolStep a => AdaptiveAveragePool(a, input, name),
        DropoutStep => input,
        FlattenStep => graph.Flatten(name, input),
        SoftmaxStep => graph.Softmax(name, input),
        _ => throw new OnnxExportException(step.Layer, $"its step {step.GetType().Name} has no ONNX equivalent."),
    };

    /// <summary>Every tower maps its own share of the features with its own rows: Split, one Gemm per tower, Concat.</summary>
    private string GroupedGemm(LinearStep step, string input, string name)
    {
        int groups = step.Groups, share = step.Input[0] / groups;
        var weight = parameters[step.Weight];
        var bias = parameters[step.Bias];
        int rows = weight.Shape[0] / groups;
        var parts = graph.Split(name + ".split", input, 1, Enumerable.Repeat(share, groups).ToArray());
        var outputs = new string[groups];
        for (int g = 0; g < groups; g++)
        {
            using var w = Ops.Slice(weight, 0, g * rows, rows);
            using var b = Ops.Slice(bias, 0, g * rows, rows);
            var wName = graph.AddInitializer(TowerName(step.Weight, g), w);
            var bName = graph.AddInitializer(TowerName(step.Bias, g), b);
            outputs[g] = graph.Gemm($"{name}.tower{g}", parts[g], wName, bName);
        }
        return graph.Concat(name, outputs, 1);
    }

    /// <summary>Windows that never cross towers: [N, G·C, H, W] reshaped to [N·G, C, H, W], normalised, reshaped back.</summary>
    private string GroupedLrn(LrnStep step, string input, string name)
    {
        int groups = step.Groups, c = step.Input[0] / groups, h = step.Input[1], w = step.Input[2];
        var perTower = graph.Reshape(name + ".towers", input, [-1, c, h, w]);
        var normalised = graph.Lrn(name + ".lrn", perTower, step.Size, step.Alpha, step.Beta, step.K);
        return graph.Reshape(name, normalised, [-1, groups * c, h, w]);
    }

    /// <summary>Adaptive pooling whose windows are all alike: the global average, or an ordinary average pooling when the
    /// input is a multiple of the output (the torchvision network at 224×224 pools 6×6 to 6×6). Windows of different
    /// sizes have no ONNX operator.</summary>
    private string AdaptiveAveragePool(AdaptiveAvgPoolStep step, string input, string name)
    {
        int h = step.Input[1], w = step.Input[2];
        if (step.OutHeight == 1 && step.OutWidth == 1) return graph.GlobalAveragePool(name, input);
        if (h % step.OutHeight == 0 && w % step.OutWidth == 0 && h / step.OutHeight == w / step.OutWidth)
            return graph.AveragePool(name, input, h / step.OutHeight, h / step.OutHeight, 0, countIncludePad: true);
        throw new OnnxExportException(step.Layer,
            $"adaptive average pooling from {h}×{w} to {step.OutHeight}×{step.OutWidth} uses windows of different sizes, which no ONNX operator " +
            $"expresses; choose an input size whose maps here are a multiple of {step.OutHeight}×{step.OutWidth} (the torchvision network: 224×224).");
    }

    /// <summary>The initializer of parameter <paramref name="path"/>, added on first use.</summary>
    private string Parameter(string path) => graph.IsDefined(path) ? path : graph.AddInitializer(path, parameters[path]);

    private static string TowerName(string path, int tower)
    {
        int dot = path.LastIndexOf('.');
        return $"{path[..dot]}.tower{tower}{path[dot..]}";
    }
}
