using AlexNet.Autograd;

namespace AlexNet.Layers;

/// <summary>
/// A 2-D convolution with square kernels: [C, H, W] → [Out, (H + 2·Pad − Kernel)/Stride + 1, (W + 2·Pad − Kernel)/Stride + 1].
/// </summary>
/// <param name="Name">Layer name; the parameters are <c>&lt;Name&gt;.weight</c> [Out, C, Kernel, Kernel] and
/// <c>&lt;Name&gt;.bias</c> [Out].</param>
/// <param name="Out">Number of output channels (kernels); per tower inside a <see cref="Towers"/> block.</param>
/// <param name="Kernel">Kernel height and width.</param>
/// <param name="Stride">Step between kernel positions.</param>
/// <param name="Pad">Zero padding on every side.</param>
/// <param name="WeightStd">Initial weights are N(0, WeightStd²) with <see cref="Initializer.Gaussian"/>; the paper uses 0.01.</param>
/// <param name="BiasInit">Initial value of every bias; the paper uses 1 in conv2, conv4 and conv5 and 0 elsewhere.</param>
/// <param name="Initializer">How the weights are drawn: the paper's <see cref="Initializer.Gaussian"/> (the default here),
/// <see cref="Initializer.He"/> or <see cref="Initializer.Glorot"/> (fan-in = C·Kernel², fan-out = Out·Kernel²).</param>
/// <remarks>Inside a <see cref="Towers"/> block on one device the towers' kernels are stacked into one tensor and run as
/// a grouped convolution (groups = towers), or as one ordinary convolution when every tower sees the block's whole
/// input; the weight then has the PyTorch grouped layout [towers·Out, C/groups, Kernel, Kernel].</remarks>
public sealed record Conv(string Name, int Out, int Kernel, int Stride = 1, int Pad = 0, float WeightStd = 0.01f, float BiasInit = 0f,
                          Initializer Initializer = Initializer.Gaussian) : Layer(Name)
{
    /// <summary>Path of the weight tensor.</summary>
    public string WeightName => Name + ".weight";

    /// <summary>Path of the bias tensor.</summary>
    public string BiasName => Name + ".bias";

    /// <inheritdoc/>
    public override Shape OutputShape(Shape input)
    {
        ArgumentNullException.ThrowIfNull(input);
        if (Out < 1) throw SettingError($"Out must be ≥ 1, got {Out}");
        if (Kernel < 1) throw SettingError($"Kernel must be ≥ 1, got {Kernel}");
        if (Stride < 1) throw SettingError($"Stride must be ≥ 1, got {Stride}");
        if (Pad < 0) throw SettingError($"Pad must be ≥ 0, got {Pad}");
        CheckFinite(WeightStd, nameof(WeightStd), nonNegative: true);
        CheckFinite(BiasInit, nameof(BiasInit), nonNegative: false);
        if (input.Rank != 3) throw ShapeError(input, "[channels, height, width]");
        int min = Math.Max(1, Kernel - 2 * Pad);
        if (input[0] < 1 || input[1] < min || input[2] < min)
            throw ShapeError(input, $"[≥ 1, ≥ {min}, ≥ {min}] for a {Kernel}×{Kernel} kernel with pad {Pad}");
        return new Shape(Out, (input[1] + 2 * Pad - Kernel) / Stride + 1, (input[2] + 2 * Pad - Kernel) / Stride + 1);
    }

    /// <inheritdoc/>
    public override IReadOnlyList<ParameterSpec> ParameterSpecs(Shape input)
    {
        OutputShape(input);
        float std = InitializerStd.Of(Initializer, WeightStd, (long)input[0] * Kernel * Kernel, (long)Out * Kernel * Kernel);
        return [new(WeightName, new Shape(Out, input[0], Kernel, Kernel), 0f, std), new(BiasName, new Shape(Out), BiasInit, 0f)];
    }

    /// <inheritdoc/>
    protected override void Lower(Lowering to) => to.Emit(new ConvStep(WeightName, BiasName, Kernel, Stride, Pad));
}
