using AlexNet.Autograd;
using AlexNet.Layers;

namespace AlexNet.Train.Cli;

/// <summary>The networks <c>--preset</c> can name.</summary>
internal static class ModelPresets
{
    /// <summary>The paper's AlexNet (227×227 input).</summary>
    public const string Paper = "alexnet";

    /// <summary>The layers library's 28×28 AlexNet (conv 64-128-192-192-128, fc 1024).</summary>
    public const string Small = "alexnet-small";

    /// <summary>The 28×28 AlexNet this sample trains Fashion-MNIST with (docs/training.md says how it was chosen).</summary>
    public const string Fashion = "fashion";

    /// <summary>All names.</summary>
    public static IReadOnlyList<string> Names { get; } = [Fashion, Small, Paper];

    /// <summary>True when the preset expects inputs scaled to unit variance (its He initialisation assumes it); the
    /// paper's presets take raw pixel values minus the mean, as the paper.</summary>
    public static bool ExpectsUnitVariance(string name) => name == Fashion;

    /// <summary>
    /// AlexNet adapted to 28×28: the paper's layer order, tower wiring, LRN, overlapping pooling, dropout and biases of
    /// 1, at half the width of <see cref="Presets.AlexNetSmall"/> (conv 32-64-96-96-64, fc 512), conv1 3×3 stride 1,
    /// and no pool5 (fc6 reads the 6×6 maps, not a 2×2 remnant). Weights are N(0, 2/fan-in) (He) instead of the
    /// paper's N(0, 0.01²): with 0.01 this narrow network stayed at chance for five epochs.
    /// </summary>
    private static Network FashionNetwork(int channels, int size, int classes, int towers)
    {
        const int c1 = 32, c2 = 64, c3 = 96, c4 = 96, c5 = 64, fc = 512;
        int t = towers;
        if (new[] { c1, c2, c3, c4, c5, fc }.Any(w => w % t != 0))
            throw new CliException($"The fashion preset's widths do not divide into {t} towers (use 1, 2, 4 or 8).", 2);
        static float He(int fanIn) => MathF.Sqrt(2f / fanIn);
        int pooled = (((size - 3) / 2 + 1) - 3) / 2 + 1; // after pool1 and pool2
        Layer[] stage1 =
        [
            new Conv("conv1", c1 / t, 3, 1, 1, He(channels * 9), 0f), new Relu("relu1"), new Lrn("lrn1"), new MaxPool("pool1", 3, 2),
            new Conv("conv2", c2 / t, 5, 1, 2, He(c1 / t * 25), 1f), new Relu("relu2"), new Lrn("lrn2"), new MaxPool("pool2", 3, 2),
        ];
        Layer[] stage2 =
        [
            new Conv("conv3", c3 / t, 3, 1, 1, He(c2 * 9), 0f), new Relu("relu3"),
            new Conv("conv4", c4 / t, 3, 1, 1, He(c3 / t * 9), 1f), new Relu("relu4"),
            new Conv("conv5", c5 / t, 3, 1, 1, He(c4 / t * 9), 1f), new Relu("relu5"), new Flatten("flatten"),
        ];
        Layer[] stage3 = [new Dense("fc6", fc / t, He(c5 * pooled * pooled), 1f), new Relu("relu6"), new Dropout("drop6", 0.5f)];
        Layer[] stage4 = [new Dense("fc7", fc / t, He(fc), 1f), new Relu("relu7"), new Dropout("drop7", 0.5f)];
        Layer[] head = [new Dense("fc8", classes, He(fc), 0f), new Softmax("prob")];
        IEnumerable<Layer> layers = t == 1
            ? [.. stage1, .. stage2, .. stage3, .. stage4, .. head]
            : [new Towers("towers1", t, stage1), new Towers("towers2", t, stage2), new Towers("towers3", t, stage3), new Towers("towers4", t, stage4), .. head];
        return Network.Create(new Shape(channels, size, size), layers);
    }

    /// <summary>Builds the network for images of <paramref name="input"/> [C, H, W] (after cropping).</summary>
    /// <exception cref="CliException">The name is unknown or the network does not fit the input.</exception>
    public static Network Create(string name, Shape input, int classes, int towers)
    {
        int channels = input[0], size = input[1];
        try
        {
            return name switch
            {
                Paper => Presets.AlexNet(channels, size, classes, towers),
                Small => Presets.AlexNetSmall(channels, size, classes, towers),
                Fashion => FashionNetwork(channels, size, classes, towers),
                _ => throw new CliException($"--preset must be one of {string.Join(", ", Names)}; got '{name}'.", 2),
            };
        }
        catch (ArgumentException e)
        {
            throw new CliException($"Preset '{name}' does not fit {input} images: {e.Message}");
        }
    }
}
