using AlexNet.Autograd;

namespace AlexNet.Layers;

/// <summary>Ready-made networks.</summary>
public static partial class Presets
{
    /// <summary>
    /// The paper's AlexNet (Krizhevsky, Sutskever and Hinton, 2012) with its two-GPU wiring as Towers blocks:
    /// conv1 → relu1 → lrn1 → pool1 → conv2 (groups = towers) → relu2 → lrn2 → pool2 | conv3 (reads every tower) →
    /// relu3 → conv4 → relu4 → conv5 → relu5 → pool5 → flatten | fc6 → relu6 → drop6 | fc7 → relu7 → drop7 | fc8 → prob.
    /// Towers talk only at conv3, fc6, fc7 and fc8. Weights N(0, 0.01²); biases 1 in conv2, conv4, conv5, fc6 and fc7,
    /// 0 elsewhere. With the defaults: 3×227×227 in, 1000 classes out, 60,965,224 parameters (62,378,344 with one tower).
    /// </summary>
    /// <param name="channels">Input channels (3 for RGB).</param>
    /// <param name="size">Input height and width (227 makes conv1's arithmetic give 55, as in Caffe; the paper says 224).</param>
    /// <param name="classes">Number of classes (fc8's width).</param>
    /// <param name="towers">Number of towers; 1 gives the single-tower variant (plain layers, no groups).</param>
    /// <param name="conv1">Kernels of conv1, over all towers (each tower has conv1/towers); so are the other widths.</param>
    /// <param name="conv2">Kernels of conv2.</param>
    /// <param name="conv3">Kernels of conv3.</param>
    /// <param name="conv4">Kernels of conv4.</param>
    /// <param name="conv5">Kernels of conv5.</param>
    /// <param name="fc">Width of fc6 and fc7.</param>
    /// <param name="conv1Kernel">conv1's kernel size (11).</param>
    /// <param name="conv1Stride">conv1's stride (4).</param>
    /// <param name="conv1Pad">conv1's padding (0).</param>
    /// <param name="conv2Kernel">conv2's kernel size (5, padded to keep the size).</param>
    /// <param name="poolKernel">Max-pooling window (3: overlapping pooling).</param>
    /// <param name="poolStride">Max-pooling stride (2).</param>
    /// <param name="dropout">Dropout probability of fc6 and fc7 (0.5).</param>
    /// <param name="weightStd">Standard deviation of the initial weights (0.01).</param>
    /// <exception cref="ArgumentException">A width does not divide by <paramref name="towers"/>, a setting is not
    /// positive, or the input is too small for the kernels and pools (the message names the layer).</exception>
    public static Network AlexNet(
        int channels = 3, int size = 227, int classes = 1000, int towers = 2,
        int conv1 = 96, int conv2 = 256, int conv3 = 384, int conv4 = 384, int conv5 = 256, int fc = 4096,
        int conv1Kernel = 11, int conv1Stride = 4, int conv1Pad = 0, int conv2Kernel = 5,
        int poolKernel = 3, int poolStride = 2, float dropout = 0.5f, float weightStd = 0.01f)
    {
        if (towers < 1) throw new ArgumentException($"towers must be ≥ 1, got {towers}.", nameof(towers));
        if (classes < 1) throw new ArgumentException($"classes must be ≥ 1, got {classes}.", nameof(classes));
        foreach (var (name, width) in new[] { ("conv1", conv1), ("conv2", conv2), ("conv3", conv3), ("conv4", conv4), ("conv5", conv5), ("fc", fc) })
            if (width < towers || width % towers != 0)
                throw new ArgumentException($"The width of {name} ({width}) must be a positive multiple of the tower count {towers}.", name);
        if (conv2Kernel < 1 || conv2Kernel % 2 == 0)
            throw new ArgumentException($"conv2Kernel must be a positive odd number (it is padded to keep the size), got {conv2Kernel}.", nameof(conv2Kernel));

        int t = towers;
        Layer[] stage1 =
        [
            new Conv("conv1", conv1 / t, conv1Kernel, conv1Stride, conv1Pad, weightStd, 0f),
            new Relu("relu1"), new Lrn("lrn1"), new MaxPool("pool1", poolKernel, poolStride),
            new Conv("conv2", conv2 / t, conv2Kernel, 1, conv2Kernel / 2, weightStd, 1f),
            new Relu("relu2"), new Lrn("lrn2"), new MaxPool("pool2", poolKernel, poolStride),
        ];
        Layer[] stage2 =
        [
            new Conv("conv3", conv3 / t, 3, 1, 1, weightStd, 0f), new Relu("relu3"),
            new Conv("conv4", conv4 / t, 3, 1, 1, weightStd, 1f), new Relu("relu4"),
            new Conv("conv5", conv5 / t, 3, 1, 1, weightStd, 1f), new Relu("relu5"),
            new MaxPool("pool5", poolKernel, poolStride), new Flatten("flatten"),
        ];
        Layer[] stage3 = [new Dense("fc6", fc / t, weightStd, 1f), new Relu("relu6"), new Dropout("drop6", dropout)];
        Layer[] stage4 = [new Dense("fc7", fc / t, weightStd, 1f), new Relu("relu7"), new Dropout("drop7", dropout)];
        Layer[] head = [new Dense("fc8", classes, weightStd, 0f), new Softmax("prob")];

        IEnumerable<Layer> layers = towers == 1
            ? [.. stage1, .. stage2, .. stage3, .. stage4, .. head]
            : [new Towers("towers1", t, stage1), new Towers("towers2", t, stage2), new Towers("towers3", t, stage3),
               new Towers("towers4", t, stage4), .. head];
        return Network.Create(new Shape(channels, size, size), layers);
    }

    /// <summary>
    /// AlexNet scaled to 28×28 images such as Fashion-MNIST (grey, 10 classes): the same layers, order, wiring and
    /// initialisation, with a 3×3 stride-1 padded conv1 and narrower layers (conv widths 64, 128, 192, 192, 128; fc
    /// 1024), so the maps go 28 → 13 → 6 → 2.
    /// </summary>
    /// <param name="channels">Input channels (1 for grey).</param>
    /// <param name="size">Input height and width.</param>
    /// <param name="classes">Number of classes.</param>
    /// <param name="towers">Number of towers; 1 gives a single tower.</param>
    /// <exception cref="ArgumentException">As <see cref="AlexNet"/>.</exception>
    public static Network AlexNetSmall(int channels = 1, int size = 28, int classes = 10, int towers = 2) =>
        AlexNet(channels, size, classes, towers, conv1: 64, conv2: 128, conv3: 192, conv4: 192, conv5: 128, fc: 1024,
                conv1Kernel: 3, conv1Stride: 1, conv1Pad: 1, conv2Kernel: 5);

    /// <summary>
    /// AlexNet adapted to 28×28: the paper's layer order, tower wiring, LRN, overlapping pooling, dropout and biases of
    /// 1, at half the width of <see cref="AlexNetSmall"/> (conv 32-64-96-96-64, fc 512), conv1 3×3 stride 1,
    /// and no pool5 (fc6 reads the 6×6 maps, not a 2×2 remnant). Weights are N(0, 2/fan-in) (He) instead of the
    /// paper's N(0, 0.01²): with 0.01 this narrow network stayed at chance for five epochs. It expects inputs scaled to
    /// unit variance (mean image subtracted, divided by the pixel standard deviation), which He initialisation assumes.
    /// The training sample's default for Fashion-MNIST (docs/training.md says how it was chosen).
    /// </summary>
    /// <param name="channels">Input channels (1 for grey).</param>
    /// <param name="size">Input height and width.</param>
    /// <param name="classes">Number of classes.</param>
    /// <param name="towers">Number of towers (1, 2, 4 or 8); 1 gives a single tower.</param>
    /// <exception cref="ArgumentException">The widths do not divide into the towers, or the network does not fit the input.</exception>
    public static Network AlexNetFashion(int channels = 1, int size = 28, int classes = 10, int towers = 2) =>
        Compact("fashion", channels, size, classes, towers, conv1Kernel: 3, widths: [32, 64, 96, 96, 64], fc: 512, biasOne: true, fc8Std: null);

    /// <summary>
    /// AlexNet for small colour photographs such as CIFAR-10 (3×32×32 images, of which the network sees 28×28 crops, as
    /// the paper's 224 of 256): the layers, order, two-tower wiring, LRN after ReLU, overlapping pooling and dropout of
    /// <see cref="AlexNetFashion"/>, with a 5×5 conv1 and widths conv 48-96-144-144-96, fc 768. He initialisation for
    /// unit-variance inputs, every bias 0 (the paper's biases of 1 slowed the first steps here), and fc8 N(0, 0.01²) as
    /// the paper, so the first logits are small. The training sample's default for 3-channel 32×32 data
    /// (docs/training.md says how it was chosen).
    /// </summary>
    /// <param name="channels">Input channels (3 for RGB).</param>
    /// <param name="size">Input height and width (the crop side).</param>
    /// <param name="classes">Number of classes.</param>
    /// <param name="towers">Number of towers (1, 2, 4 or 8, or any divisor of every width); 1 gives a single tower.</param>
    /// <param name="widths">The five convolution widths over all towers (default 48, 96, 144, 144, 96).</param>
    /// <param name="fc">Width of fc6 and fc7 over all towers (default 768).</param>
    /// <param name="conv1Kernel">conv1's kernel size (odd; default 5).</param>
    /// <exception cref="ArgumentException">The widths do not divide into the towers, or the network does not fit the input.</exception>
    public static Network AlexNetCifar(int channels = 3, int size = 28, int classes = 10, int towers = 2,
                                       int[]? widths = null, int fc = 768, int conv1Kernel = 5) =>
        Compact("cifar", channels, size, classes, towers, conv1Kernel, widths ?? [48, 96, 144, 144, 96], fc, biasOne: false, fc8Std: 0.01f);

    /// <summary>The small-image AlexNet shared by the fashion and cifar presets: conv1 (stride 1, padded) → relu → LRN →
    /// pool 3/2 → conv2 5×5 → relu → LRN → pool 3/2 | conv3 → conv4 → conv5 (3×3) → flatten | fc6 | fc7 | fc8, He init;
    /// with <paramref name="biasOne"/> the paper's biases of 1 in conv2, conv4, conv5, fc6 and fc7; fc8 N(0, fc8Std²)
    /// when given, else He.</summary>
    private static Network Compact(string preset, int channels, int size, int classes, int towers, int conv1Kernel, int[] widths, int fc,
                                   bool biasOne, float? fc8Std)
    {
        if (towers < 1) throw new ArgumentException($"towers must be ≥ 1, got {towers}.", nameof(towers));
        if (classes < 1) throw new ArgumentException($"classes must be ≥ 1, got {classes}.", nameof(classes));
        if (widths.Length != 5) throw new ArgumentException($"The {preset} preset needs five convolution widths, got {widths.Length}.", nameof(widths));
        if (conv1Kernel < 1 || conv1Kernel % 2 == 0)
            throw new ArgumentException($"conv1Kernel must be a positive odd number (it is padded to keep the size), got {conv1Kernel}.", nameof(conv1Kernel));
        int t = towers;
        if (widths.Append(fc).Any(w => w < t || w % t != 0))
            throw new ArgumentException($"The {preset} preset's widths ({string.Join("-", widths)}, fc {fc}) do not divide into {t} towers.", nameof(towers));
        var (c1, c2, c3, c4, c5) = (widths[0], widths[1], widths[2], widths[3], widths[4]);
        static float He(int fanIn) => MathF.Sqrt(2f / fanIn);
        float one = biasOne ? 1f : 0f;
        int pooled = (((size - 3) / 2 + 1) - 3) / 2 + 1; // after pool1 and pool2
        Layer[] stage1 =
        [
            new Conv("conv1", c1 / t, conv1Kernel, 1, conv1Kernel / 2, He(channels * conv1Kernel * conv1Kernel), 0f), new Relu("relu1"), new Lrn("lrn1"), new MaxPool("pool1", 3, 2),
            new Conv("conv2", c2 / t, 5, 1, 2, He(c1 / t * 25), one), new Relu("relu2"), new Lrn("lrn2"), new MaxPool("pool2", 3, 2),
        ];
        Layer[] stage2 =
        [
            new Conv("conv3", c3 / t, 3, 1, 1, He(c2 * 9), 0f), new Relu("relu3"),
            new Conv("conv4", c4 / t, 3, 1, 1, He(c3 / t * 9), one), new Relu("relu4"),
            new Conv("conv5", c5 / t, 3, 1, 1, He(c4 / t * 9), one), new Relu("relu5"), new Flatten("flatten"),
        ];
        Layer[] stage3 = [new Dense("fc6", fc / t, He(c5 * Math.Max(pooled, 1) * Math.Max(pooled, 1)), one), new Relu("relu6"), new Dropout("drop6", 0.5f)];
        Layer[] stage4 = [new Dense("fc7", fc / t, He(fc), one), new Relu("relu7"), new Dropout("drop7", 0.5f)];
        Layer[] head = [new Dense("fc8", classes, fc8Std ?? He(fc), 0f), new Softmax("prob")];
        IEnumerable<Layer> layers = t == 1
            ? [.. stage1, .. stage2, .. stage3, .. stage4, .. head]
            : [new Towers("towers1", t, stage1), new Towers("towers2", t, stage2), new Towers("towers3", t, stage3), new Towers("towers4", t, stage4), .. head];
        return Network.Create(new Shape(channels, size, size), layers);
    }
}
