using AlexNet.Autograd;
using AlexNet.Facade;

namespace AlexNet.Tests.Facade;

/// <summary>A small learnable problem for trainer tests: 6×6 grey images whose bright row band gives the class, and a
/// one-layer model with dropout.</summary>
internal static class TinyProblem
{
    public const int Size = 6;
    public const int Classes = 3;

    public static InMemoryImageDataset Data(int count, int seed)
    {
        var rng = new Random(seed);
        var pixels = new byte[count * Size * Size];
        var labels = new int[count];
        for (int n = 0; n < count; n++)
        {
            labels[n] = n % Classes;
            for (int y = 0; y < Size; y++)
                for (int x = 0; x < Size; x++)
                    pixels[n * Size * Size + y * Size + x] = (byte)((y / 2 == labels[n] ? 150 : 40) + rng.Next(60));
        }
        return new InMemoryImageDataset(pixels, labels, 1, Size, Size, ["top", "middle", "bottom"]);
    }

    /// <summary>The problem's network as layers: a small convolution, dropout and a dense layer.</summary>
    public static AlexNet.Layers.Network Network() => AlexNet.Layers.Network.Create(new Shape(1, Size, Size),
    [
        new AlexNet.Layers.Conv("conv1", 4, 3, 1, 1, 0.1f, 0f), new AlexNet.Layers.Relu("relu1"), new AlexNet.Layers.Flatten("flatten"),
        new AlexNet.Layers.Dropout("drop", 0.2f), new AlexNet.Layers.Dense("fc", Classes, 0.05f, 0f),
    ]);

    public static TensorMap Init(RandomKey key) => TensorMap.Empty
        .Add("fc.weight", Tensor.Normal(key, new Shape(Classes, Size * Size), 0f, 0.01f))
        .Add("fc.bias", Tensor.Zeros(new Shape(Classes)));

    public static Tensor Model(TensorMap p, Tensor x, bool training, RandomKey key)
    {
        var flat = Ops.Reshape(x, x.Shape[0], Size * Size);
        var dropped = Ops.Dropout(flat, 0.2f, key, training);
        return Ops.Linear(dropped, p["fc.weight"], p["fc.bias"]);
    }

    public static TrainingOptions Options(int epochs) => new()
    {
        Augmentation = new AugmentationOptions { CropSize = Size, Padding = 1, Scale = 1 / 64f },
        Epochs = epochs,
        BatchSize = 16,
        LearningRate = 0.05f,
        Patience = 1,
        MaxDrops = 5,
        Seed = 42,
        EvaluationBatchSize = 32,
        Workers = 2,
        PrefetchDepth = 2,
    };

    public static ImageTransform Transform(TrainingOptions options, InMemoryImageDataset train) =>
        new(options.Augmentation!, 1, Size, Size, DatasetStatistics.Compute(train));
}
