using AlexNet.Autograd;

namespace AlexNet.Layers;

public static partial class Presets
{
    /// <summary>
    /// The parameter names of torchvision's <c>alexnet()</c> (its <c>state_dict()</c> keys, as
    /// <c>safetensors.torch.save_file</c> writes them) mapped to those of <see cref="TorchvisionAlexNet"/>, whose layer
    /// names cannot hold '.': <c>features.0</c> → conv1, <c>features.3</c> → conv2, <c>features.6</c> → conv3,
    /// <c>features.8</c> → conv4, <c>features.10</c> → conv5, <c>classifier.1</c> → fc6, <c>classifier.4</c> → fc7,
    /// <c>classifier.6</c> → fc8, each with <c>.weight</c> and <c>.bias</c>. Pass it as the name map of
    /// <see cref="SafeTensorsImport.Load"/>. The layouts are PyTorch's on both sides, so no tensor is transposed.
    /// </summary>
    public static IReadOnlyDictionary<string, string> TorchvisionAlexNetNames { get; } = BuildTorchvisionNames().AsReadOnly();

    /// <summary>
    /// torchvision's single-tower AlexNet (<c>torchvision.models.alexnet</c>, after "One weird trick…", Krizhevsky 2014):
    /// conv1 64 (11×11 stride 4 pad 2) → relu → max pool 3/2 → conv2 192 (5×5 pad 2) → relu → max pool 3/2 → conv3 384 →
    /// relu → conv4 256 → relu → conv5 256 (3×3 pad 1) → relu → max pool 3/2 → adaptive average pool to 6×6 → flatten →
    /// dropout → fc6 4096 → relu → dropout → fc7 4096 → relu → fc8 → softmax. No LRN and no towers. With the defaults
    /// (3×224×224 in, 1000 classes) it has 61,100,840 parameters, torchvision's count; <see cref="TorchvisionAlexNetNames"/>
    /// maps torchvision's parameter names to these, so torchvision's weights load with <see cref="SafeTensorsImport"/>
    /// and give PyTorch's logits in eval mode. The adaptive pooling lets any size from 63×63 up run (at 64×64 the features
    /// end at 1×1 and are repeated to 6×6, as in PyTorch).
    /// </summary>
    /// <param name="classes">Number of classes (fc8's width).</param>
    /// <param name="size">Input height and width (224 as torchvision; the adaptive pooling accepts others).</param>
    /// <param name="channels">Input channels (3 for RGB).</param>
    /// <param name="dropout">Dropout probability before fc6 and fc7 (0.5).</param>
    /// <remarks>Initial weights are N(0, 1/(3·fan-in)), the variance of PyTorch's default uniform initialisation, and
    /// biases 0; imported weights replace them.</remarks>
    /// <exception cref="ArgumentException">classes is not positive, or the input is too small for the kernels and pools
    /// (the message names the layer).</exception>
    public static Network TorchvisionAlexNet(int classes = 1000, int size = 224, int channels = 3, float dropout = 0.5f)
    {
        if (classes < 1) throw new ArgumentException($"classes must be ≥ 1, got {classes}.", nameof(classes));
        static float Std(int fanIn) => MathF.Sqrt(1f / (3f * fanIn));
        Layer[] layers =
        [
            new Conv("conv1", 64, 11, 4, 2, Std(channels * 121)), new Relu("relu1"), new MaxPool("pool1", 3, 2),
            new Conv("conv2", 192, 5, 1, 2, Std(64 * 25)), new Relu("relu2"), new MaxPool("pool2", 3, 2),
            new Conv("conv3", 384, 3, 1, 1, Std(192 * 9)), new Relu("relu3"),
            new Conv("conv4", 256, 3, 1, 1, Std(384 * 9)), new Relu("relu4"),
            new Conv("conv5", 256, 3, 1, 1, Std(256 * 9)), new Relu("relu5"), new MaxPool("pool5", 3, 2),
            new AdaptiveAvgPool("avgpool", 6, 6), new Flatten("flatten"),
            new Dropout("drop6", dropout), new Dense("fc6", 4096, Std(256 * 36)), new Relu("relu6"),
            new Dropout("drop7", dropout), new Dense("fc7", 4096, Std(4096)), new Relu("relu7"),
            new Dense("fc8", classes, Std(4096)), new Softmax("prob"),
        ];
        return Network.Create(new Shape(channels, size, size), layers);
    }

    private static Dictionary<string, string> BuildTorchvisionNames()
    {
        (string Torch, string Ours)[] layers =
        [
            ("features.0", "conv1"), ("features.3", "conv2"), ("features.6", "conv3"), ("features.8", "conv4"),
            ("features.10", "conv5"), ("classifier.1", "fc6"), ("classifier.4", "fc7"), ("classifier.6", "fc8"),
        ];
        var map = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var (torch, ours) in layers)
        {
            map[torch + ".weight"] = ours + ".weight";
            map[torch + ".bias"] = ours + ".bias";
        }
        return map;
    }
}
