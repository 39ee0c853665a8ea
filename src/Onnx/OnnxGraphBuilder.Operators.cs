namespace AlexNet.Onnx;

/// <summary>
/// One helper per ONNX operator the exporter emits. Each adds one node (opset 17 semantics) whose output value is named
/// from <c>name</c> (made unique) and returns that name; the node is named after it too.
/// </summary>
/// <remarks>Spatial settings are square and symmetric, as in this library's layers: one kernel size, one stride and one
/// padding for both axes and every side.</remarks>
internal sealed partial class OnnxGraphBuilder
{
    /// <summary>A 2-D convolution, <c>Conv</c>: input [N, C, H, W], weight [O, C/groups, k, k] (the layout of
    /// <c>Ops.Conv2d</c>, which ONNX shares), optional bias [O].</summary>
    /// <param name="name">Hint for the output's and the node's name.</param>
    /// <param name="input">The input value.</param>
    /// <param name="weight">The weight initializer.</param>
    /// <param name="bias">The bias initializer, or null for none.</param>
    /// <param name="kernel">Kernel height and width (<c>kernel_shape</c>).</param>
    /// <param name="stride">Stride in both directions (<c>strides</c>).</param>
    /// <param name="padding">Zero padding on every side (<c>pads</c> = [p, p, p, p]: begins then ends).</param>
    /// <param name="groups">Channel groups (<c>group</c>); the paper's towers fused into one convolution are 2.</param>
    /// <exception cref="ArgumentException">A size is out of range, or an input is not defined.</exception>
    public string Conv(string name, string input, string weight, string? bias, int kernel, int stride, int padding, int groups)
    {
        CheckWindow("Conv", name, kernel, stride, padding);
        if (groups < 1) throw new ArgumentException($"Conv '{name}': groups must be ≥ 1, got {groups}.", nameof(groups));
        return Single("Conv", name, bias is null ? [input, weight] : [input, weight, bias],
            OnnxAttribute.Ints("kernel_shape", kernel, kernel),
            OnnxAttribute.Ints("strides", stride, stride),
            OnnxAttribute.Ints("pads", padding, padding, padding, padding),
            OnnxAttribute.Ints("dilations", 1, 1),
            OnnxAttribute.Int("group", groups));
    }

    /// <summary>max(x, 0) elementwise, <c>Relu</c>.</summary>
    public string Relu(string name, string input) => Single("Relu", name, [input]);

    /// <summary>
    /// Local response normalisation across channels, <c>LRN</c>, from this library's parameters (those of
    /// <c>Ops.Lrn</c> and the <c>Lrn</c> layer).
    /// </summary>
    /// <remarks>
    /// ONNX computes y = x / (bias + alpha/size · Σ x²)^beta over the window of <c>size</c> channels centred on each
    /// channel (truncated at the edges), like PyTorch and cuDNN: its alpha is divided by the window size. This library's
    /// α is not (the paper's convention), so the node gets <c>alpha</c> = α·size (5e-4 for the paper's 1e-4 and 5);
    /// <c>bias</c> is k. Writing α unchanged would make the normalisation <paramref name="size"/> times weaker.
    /// </remarks>
    /// <param name="name">Hint for the output's and the node's name.</param>
    /// <param name="input">The input value, [N, C, H, W].</param>
    /// <param name="size">Window n, a positive odd number.</param>
    /// <param name="alpha">α in this library's convention (not divided by n).</param>
    /// <param name="beta">β.</param>
    /// <param name="k">k (ONNX's <c>bias</c>).</param>
    /// <exception cref="ArgumentException">size is not a positive odd number, or α, β or k is negative or not finite.</exception>
    public string Lrn(string name, string input, int size, float alpha, float beta, float k)
    {
        if (size < 1 || size % 2 == 0) throw new ArgumentException($"LRN '{name}': size must be a positive odd number, got {size}.", nameof(size));
        if (!(alpha >= 0) || !(beta >= 0) || !(k >= 0) || !float.IsFinite(alpha) || !float.IsFinite(beta) || !float.IsFinite(k))
            throw new ArgumentException($"LRN '{name}': α ({alpha}), β ({beta}) and k ({k}) must be finite and ≥ 0.", nameof(alpha));
        return Single("LRN", name, [input],
            OnnxAttribute.Int("size", size),
            OnnxAttribute.Float("alpha", alpha * size),
            OnnxAttribute.Float("beta", beta),
            OnnxAttribute.Float("bias", k));
    }

    /// <summary>Max pooling, <c>MaxPool</c>: padding cells never win (ONNX pads max pooling with −∞, as
    /// <c>Ops.MaxPool2d</c> does); output sizes rounded down (<c>ceil_mode</c> 0).</summary>
    /// <exception cref="ArgumentException">A size is out of range (padding must stay below the kernel).</exception>
    public string MaxPool(string name, string input, int kernel, int stride, int padding)
    {
        CheckWindow("MaxPool", name, kernel, stride, padding);
        return Single("MaxPool", name, [input],
            OnnxAttribute.Ints("kernel_shape", kernel, kernel),
            OnnxAttribute.Ints("strides", stride, stride),
            OnnxAttribute.Ints("pads", padding, padding, padding, padding));
    }

    /// <summary>Average pooling, <c>AveragePool</c>; output sizes rounded down.</summary>
    /// <param name="name">Hint for the output's and the node's name.</param>
    /// <param name="input">The input value, [N, C, H, W].</param>
    /// <param name="kernel">Window height and width.</param>
    /// <param name="stride">Stride in both directions.</param>
    /// <param name="padding">Zero padding on every side.</param>
    /// <param name="countIncludePad">Whether padding cells count in the divisor (<c>count_include_pad</c>; PyTorch's
    /// default is true, ONNX's false).</param>
    /// <exception cref="ArgumentException">A size is out of range (padding must stay below the kernel).</exception>
    public string AveragePool(string name, string input, int kernel, int stride, int padding, bool countIncludePad)
    {
        CheckWindow("AveragePool", name, kernel, stride, padding);
        return Single("AveragePool", name, [input],
            OnnxAttribute.Ints("kernel_shape", kernel, kernel),
            OnnxAttribute.Ints("strides", stride, stride),
            OnnxAttribute.Ints("pads", padding, padding, padding, padding),
            OnnxAttribute.Int("count_include_pad", countIncludePad ? 1 : 0));
    }

    /// <summary>The mean of each channel's map, <c>GlobalAveragePool</c>: [N, C, H, W] → [N, C, 1, 1].</summary>
    public string GlobalAveragePool(string name, string input) => Single("GlobalAveragePool", name, [input]);

    /// <summary>[N, ...] → [N, rest], <c>Flatten</c> with axis 1 (as <c>Ops.Flatten</c>).</summary>
    public string Flatten(string name, string input) => Single("Flatten", name, [input], OnnxAttribute.Int("axis", 1));

    /// <summary>A fully connected layer, <c>Gemm</c>: y = x·wᵀ + b for x [N, in], weight [out, in] (the layout of
    /// <c>Ops.Linear</c>, hence <c>transB</c> = 1) and optional bias [out].</summary>
    public string Gemm(string name, string input, string weight, string? bias) =>
        Single("Gemm", name, bias is null ? [input, weight] : [input, weight, bias],
            OnnxAttribute.Float("alpha", 1f),
            OnnxAttribute.Float("beta", 1f),
            OnnxAttribute.Int("transA", 0),
            OnnxAttribute.Int("transB", 1));

    /// <summary>Softmax over the last axis, <c>Softmax</c> with axis −1 (since opset 13 ONNX normalises along that one
    /// axis only, as <c>Ops.Softmax</c>; earlier opsets flattened the trailing axes).</summary>
    public string Softmax(string name, string input) => Single("Softmax", name, [input], OnnxAttribute.Int("axis", -1));

    /// <summary>Joins values along <paramref name="axis"/>, <c>Concat</c> (as <c>Ops.Concat</c>).</summary>
    /// <exception cref="ArgumentException">No input is given.</exception>
    public string Concat(string name, IReadOnlyList<string> inputs, int axis)
    {
        ArgumentNullException.ThrowIfNull(inputs);
        if (inputs.Count == 0) throw new ArgumentException($"Concat '{name}' needs at least one input.", nameof(inputs));
        return Single("Concat", name, inputs, OnnxAttribute.Int("axis", axis));
    }

    /// <summary>Cuts a value along <paramref name="axis"/> into consecutive parts of the given sizes, <c>Split</c>. Since
    /// opset 13 the sizes are the node's second input (an int64 initializer, added here), no longer an attribute.</summary>
    /// <returns>The parts' names, in order (<c>name_0</c>, <c>name_1</c>, … when free).</returns>
    /// <exception cref="ArgumentException">No size is given or a size is below 1.</exception>
    public IReadOnlyList<string> Split(string name, string input, int axis, IReadOnlyList<int> sizes)
    {
        ArgumentNullException.ThrowIfNull(sizes);
        if (sizes.Count == 0 || sizes.Any(s => s < 1))
            throw new ArgumentException($"Split '{name}': sizes [{string.Join(", ", sizes)}] must be one or more positive numbers.", nameof(sizes));
        CheckInputs("Split", name, [input]);
        var split = AddInt64Initializer(UniqueName(name + ".split"), sizes.Select(s => (long)s).ToArray(), [sizes.Count]);
        var outputs = Enumerable.Range(0, sizes.Count).Select(i => UniqueName($"{name}_{i}")).ToArray();
        AddNode("Split", name, [input, split], outputs, OnnxAttribute.Int("axis", axis));
        return outputs;
    }

    /// <summary>Gives a value a new shape, <c>Reshape</c>; the target shape is an int64 initializer (added here). As
    /// ONNX defines it (<c>allowzero</c> 0), a 0 copies the input's dimension at that position (use it for the batch
    /// axis) and one −1 is inferred from the rest.</summary>
    /// <exception cref="ArgumentException">The shape is empty, has a value below −1, or more than one −1.</exception>
    public string Reshape(string name, string input, IReadOnlyList<long> shape)
    {
        ArgumentNullException.ThrowIfNull(shape);
        if (shape.Count == 0 || shape.Any(d => d < -1) || shape.Count(d => d == -1) > 1)
            throw new ArgumentException($"Reshape '{name}': target shape [{string.Join(", ", shape)}] must be non-empty, with dimensions ≥ 0 and at most one −1.", nameof(shape));
        CheckInputs("Reshape", name, [input]);
        var target = AddInt64Initializer(UniqueName(name + ".shape"), shape.ToArray(), [shape.Count]);
        return Single("Reshape", name, [input, target]);
    }

    /// <summary>The value unchanged, <c>Identity</c> (dropout at inference, or a graph output renamed).</summary>
    public string Identity(string name, string input) => Single("Identity", name, [input]);

    /// <summary>Adds a node with one output named from <paramref name="name"/>.</summary>
    private string Single(string opType, string name, IReadOnlyList<string> inputs, params OnnxAttribute[] attributes)
    {
        CheckInputs(opType, name, inputs);
        var output = UniqueName(name);
        AddNode(opType, name, inputs, [output], attributes);
        return output;
    }

    /// <summary>Checks the name and inputs before anything is added, so a refused node leaves no initializer behind.</summary>
    private void CheckInputs(string opType, string name, IReadOnlyList<string> inputs)
    {
        CheckName(name, $"{opType} node");
        foreach (var input in inputs)
            if (input is null || !_defined.Contains(input))
                throw new ArgumentException($"{opType} '{name}': input '{input}' is not defined yet; add the graph input, initializer or node that produces it first.", nameof(inputs));
    }

    private static void CheckWindow(string opType, string name, int kernel, int stride, int padding)
    {
        if (kernel < 1 || stride < 1 || padding < 0 || padding >= kernel)
            throw new ArgumentException($"{opType} '{name}': kernel ({kernel}) and stride ({stride}) must be ≥ 1 and padding ({padding}) in [0, kernel).", nameof(kernel));
    }
}
