using System.Collections.Concurrent;
using AlexNet.Autograd;
using AlexNet.Autograd.Cpu;
using AlexNet.Facade;
using AlexNet.Facade.Pipeline;
using Xunit;

namespace AlexNet.Tests.Facade;

/// <summary>The trainer and evaluator on any <see cref="IDataset"/>: float examples without images, the image pipeline
/// as one implementation, augmentation keys, evaluation views, and options that contradict the data.</summary>
public sealed class DatasetTests
{
    private const int Features = 8;
    private static readonly string[] s_classes = ["a", "b", "c"];

    /// <summary>Three Gaussian clusters in 8 dimensions (centres ±2 on a class's own axes, noise σ 1).</summary>
    private static InMemoryDataset Clusters(int count, int seed)
    {
        var rng = new Random(seed);
        var values = new float[count * Features];
        var labels = new int[count];
        for (int n = 0; n < count; n++)
        {
            labels[n] = n % s_classes.Length;
            for (int f = 0; f < Features; f++)
            {
                double noise = Math.Sqrt(-2 * Math.Log(1 - rng.NextDouble())) * Math.Cos(2 * Math.PI * rng.NextDouble());
                values[n * Features + f] = (float)((f % s_classes.Length == labels[n] ? 2.0 : 0.0) + noise);
            }
        }
        return new InMemoryDataset(values, labels, new Shape(Features), s_classes);
    }

    private static TensorMap Linear(RandomKey key) => TensorMap.Empty
        .Add("fc.weight", Tensor.Normal(key, new Shape(s_classes.Length, Features), 0f, 0.01f))
        .Add("fc.bias", Tensor.Zeros(new Shape(s_classes.Length)));

    private static Tensor LinearModel(TensorMap p, Tensor x, bool training, RandomKey key) => Ops.Linear(x, p["fc.weight"], p["fc.bias"]);

    private static TrainingOptions FloatOptions(int epochs) => new()
    {
        Epochs = epochs, BatchSize = 20, LearningRate = 0.05f, Patience = 5, Seed = 3, EvaluationBatchSize = 64, Workers = 2,
    };

    [Fact]
    public void FloatExamplesTrainWithoutAnyImage()
    {
        var train = Clusters(600, seed: 1);
        var validation = Clusters(300, seed: 2);
        var options = FloatOptions(epochs: 4);
        var trainer = new Trainer(LinearModel, train, validation, options, CpuBackend.Default);
        Assert.Null(trainer.Transform);
        using var start = Linear(RandomKey.FromSeed(5));
        var before = Evaluator.Evaluate(LinearModel, start, validation, 64, CpuBackend.Default);
        var end = trainer.Run(TrainingState.Start(start, options));
        var after = Evaluator.Evaluate(LinearModel, end.Parameters, validation, 64, CpuBackend.Default);
        // Chance is 2/3; the clusters are separable enough for a linear model to get most right.
        Assert.InRange(before.Top1Error, 0.4, 1.0);
        Assert.InRange(after.Top1Error, 0.0, 0.15);
        Assert.Equal(after.Top1Error, end.History[^1].ValidationTop1Error, 12);
        Assert.Equal(4, end.History.Count);
        end.Dispose();
    }

    /// <summary>The constructors that take images wrap them in <see cref="ImageExamples"/>: a run through the general
    /// constructor is the same run, bit for bit.</summary>
    [Fact]
    public void ImagesThroughImageExamplesAreTheImageRunBitForBit()
    {
        var train = TinyProblem.Data(64, seed: 2);
        var validation = TinyProblem.Data(24, seed: 3);
        var options = TinyProblem.Options(epochs: 2);
        var transform = TinyProblem.Transform(options, train);
        using var init = TinyProblem.Init(RandomKeys.Initialisation(RandomKeys.Root(options.Seed)));
        var images = new Trainer(TinyProblem.Model, train, validation, transform, options, CpuBackend.Default).Run(TrainingState.Start(init, options));
        var general = new Trainer(TinyProblem.Model, new ImageExamples(train, transform), new ImageExamples(validation, transform), options, CpuBackend.Default)
            .Run(TrainingState.Start(init, options));
        foreach (var name in images.Parameters.Keys) Assert.Equal(images.Parameters[name].ToArray(), general.Parameters[name].ToArray());
        Assert.Equal(images.History.Select(r => r.ValidationLoss), general.History.Select(r => r.ValidationLoss));
    }

    /// <summary>A data set of its own augmentation: every example of every epoch gets its own key, and the keys come from
    /// the seed only, so two runs are the same and another seed is another run.</summary>
    [Fact]
    public void ReadTrainingGetsOneKeyPerExampleAndEpochFromTheSeed()
    {
        var first = new Jittered(Clusters(100, seed: 4));
        var options = FloatOptions(epochs: 2) with { Patience = 2 };
        var a = Train(first, options);
        int steps = 2 * (100 / options.BatchSize);
        Assert.Equal(steps * options.BatchSize, first.Keys.Count);
        Assert.Equal(first.Keys.Count, first.Keys.Distinct().Count());
        var again = Train(new Jittered(Clusters(100, seed: 4)), options);
        var other = Train(new Jittered(Clusters(100, seed: 4)), options with { Seed = 4 });
        Assert.Equal(a, again);
        Assert.NotEqual(a, other);

        static float[] Train(IDataset data, TrainingOptions options)
        {
            using var init = Linear(RandomKey.FromSeed(1));
            var end = new Trainer(LinearModel, data, null, options, CpuBackend.Default).Run(TrainingState.Start(init, options));
            var weights = end.Parameters["fc.weight"].ToArray();
            end.Dispose();
            return weights;
        }
    }

    /// <summary>Evaluation averages the softmax outputs of a data set's views.</summary>
    [Fact]
    public void TheViewsOfAnExampleAreAveraged()
    {
        var data = new TwoViews(Clusters(7, seed: 5));
        using var weights = Linear(RandomKey.FromSeed(2));
        var got = Evaluator.Predict(LinearModel, weights, data, batchSize: 3, CpuBackend.Default).SelectMany(b => b.Probabilities).ToArray();
        int k = s_classes.Length;
        for (int i = 0; i < data.Count; i++)
        {
            var views = new float[2 * Features];
            data.ReadViews(i, views);
            using var x = Tensor.FromArray(views, new Shape(2, Features));
            using var logits = LinearModel(weights, x, false, default);
            using var p = Ops.Softmax(logits);
            var each = p.ToArray();
            for (int c = 0; c < k; c++) Assert.Equal((each[c] + each[k + c]) / 2, got[i * k + c], 6);
        }
        Assert.Equal(2, BatchBuilder.Evaluation(data, [0, 1, 2], 0).Views);
        Assert.Equal(new Shape(6, Features), BatchBuilder.Evaluation(data, [0, 1, 2], 0).Shape);
    }

    [Fact]
    public void OptionsThatContradictTheDataAreRefused()
    {
        var floats = Clusters(40, seed: 6);
        var images = TinyProblem.Data(40, seed: 7);
        var imageOptions = TinyProblem.Options(epochs: 1);
        var transform = TinyProblem.Transform(imageOptions, images);

        var e = Assert.Throws<ArgumentException>(() => new Trainer(LinearModel, floats, null, FloatOptions(1) with { Augmentation = AugmentationOptions.None(4) }, CpuBackend.Default));
        Assert.Contains("ReadTraining", e.Message);
        e = Assert.Throws<ArgumentException>(() => new Trainer(LinearModel, floats, floats, FloatOptions(1) with { TenCropValidation = true }, CpuBackend.Default));
        Assert.Contains("tenCrop: true", e.Message);
        e = Assert.Throws<ArgumentException>(() => new Trainer(TinyProblem.Model, new ImageExamples(images, transform), new ImageExamples(images, transform, tenCrop: true),
                                                                imageOptions, CpuBackend.Default));
        Assert.Contains("TenCropValidation true", e.Message);
        e = Assert.Throws<ArgumentException>(() => new Trainer(TinyProblem.Model, new ImageExamples(images, transform), floats, imageOptions, CpuBackend.Default));
        Assert.Contains("[8]", e.Message);
        e = Assert.Throws<ArgumentException>(() => new Trainer(TinyProblem.Model, images, null, imageOptions with { Augmentation = null }, CpuBackend.Default));
        Assert.Contains("needs options.Augmentation", e.Message);
        e = Assert.Throws<ArgumentException>(() => new ImageExamples(TinyProblem.Data(4, seed: 1), new ImageTransform(new AugmentationOptions { CropSize = 4, Mean = MeanSubtraction.None }, 3, 6, 6, null)));
        Assert.Contains("1×6×6", e.Message);
    }

    [Fact]
    public void ImageExamplesReadTheTransformsViews()
    {
        var images = TinyProblem.Data(5, seed: 8);
        var transform = TinyProblem.Transform(TinyProblem.Options(1), images);
        var examples = new ImageExamples(images, transform, tenCrop: true);
        Assert.Equal(new Shape(1, TinyProblem.Size, TinyProblem.Size), examples.ExampleShape);
        Assert.Equal(10, ((IDataset)examples).Views);
        var pixels = new byte[transform.InputLength];
        images.ReadImage(3, pixels);
        var expected = new float[10 * transform.OutputLength];
        for (int v = 0; v < 10; v++) transform.Render(pixels, transform.TenCrops[v], expected.AsSpan(v * transform.OutputLength, transform.OutputLength));
        var views = new float[expected.Length];
        examples.ReadViews(3, views);
        Assert.Equal(expected, views);
        var centre = new float[transform.OutputLength];
        examples.Read(3, centre);
        var centreByHand = new float[transform.OutputLength];
        transform.Render(pixels, transform.Centre, centreByHand);
        Assert.Equal(centreByHand, centre);
        var key = RandomKey.FromSeed(9);
        var drawn = new float[transform.OutputLength];
        examples.ReadTraining(3, key, drawn);
        var byHand = new float[transform.OutputLength];
        transform.RenderTraining(pixels, key, byHand);
        Assert.Equal(byHand, drawn);
        Assert.Throws<ArgumentException>(() => examples.ReadViews(3, new float[transform.OutputLength]));
    }

    [Fact]
    public void ASubsetForwardsEveryReadToItsSource()
    {
        var source = new Jittered(Clusters(10, seed: 9));
        IDataset subset = new DatasetSubset(new TwoViews(source), [7, 2]);
        Assert.Equal(2, subset.Count);
        Assert.Equal(2, subset.Views);
        Assert.Equal(source.Label(2), subset.Label(1));
        var got = new float[2 * Features];
        var want = new float[2 * Features];
        subset.ReadViews(1, got);
        new TwoViews(source).ReadViews(2, want);
        Assert.Equal(want, got);
        var key = RandomKey.FromSeed(3);
        subset.ReadTraining(0, key, got.AsSpan(0, Features));
        source.ReadTraining(7, key, want.AsSpan(0, Features));
        Assert.Equal(want.AsSpan(0, Features).ToArray(), got.AsSpan(0, Features).ToArray());
        Assert.Throws<ArgumentOutOfRangeException>(() => subset.Label(2));
        Assert.Throws<ArgumentOutOfRangeException>(() => new DatasetSubset(source, [10]));
    }

    [Fact]
    public void InMemoryDatasetsRefuseInconsistentArrays()
    {
        Assert.Contains("need 16 floats", Assert.Throws<ArgumentException>(() => new InMemoryDataset(new float[15], [0, 1], new Shape(8), s_classes)).Message);
        Assert.Contains("outside [0, 3)", Assert.Throws<ArgumentException>(() => new InMemoryDataset(new float[16], [0, 3], new Shape(8), s_classes)).Message);
        Assert.Contains("holds no value", Assert.Throws<ArgumentException>(() => new InMemoryDataset([], [], new Shape(0), s_classes)).Message);
        var data = new InMemoryDataset([.. Enumerable.Range(0, 16).Select(i => (float)i)], [0, 1], new Shape(2, 4), s_classes);
        var one = new float[8];
        data.Read(1, one);
        Assert.Equal([8f, 9, 10, 11, 12, 13, 14, 15], one);
        Assert.Throws<ArgumentException>(() => data.Read(0, new float[7]));
        Assert.Throws<ArgumentOutOfRangeException>(() => data.Read(2, one));
    }

    [Fact]
    public void ALabelOutsideTheClassesIsNamedWithItsExample()
    {
        var data = new DatasetSubset(Clusters(6, seed: 1), [0, 1, 2]);
        var wrong = new WrongLabel(data);
        var e = Assert.Throws<InvalidDataException>(() => BatchBuilder.Training(wrong, [0, 1, 2], 0, 3, RandomKey.FromSeed(1)));
        Assert.Contains("Example 2 of the WrongLabel has label 3, outside its 3 classes", e.Message);
        Assert.Throws<InvalidDataException>(() => BatchBuilder.Evaluation(wrong, [2], 0));
    }

    /// <summary>Gives example 2 the label 3 of a 3-class set.</summary>
    private sealed class WrongLabel(IDataset inner) : IDataset
    {
        public int Count => inner.Count;

        public Shape ExampleShape => inner.ExampleShape;

        public IReadOnlyList<string> ClassNames => inner.ClassNames;

        public int Label(int index) => index == 2 ? 3 : inner.Label(index);

        public void Read(int index, Span<float> destination) => inner.Read(index, destination);
    }

    /// <summary>Adds key-drawn noise in training and records every key it was given.</summary>
    private sealed class Jittered(IDataset inner) : IDataset
    {
        public ConcurrentBag<ulong> Keys { get; } = [];

        public int Count => inner.Count;

        public Shape ExampleShape => inner.ExampleShape;

        public IReadOnlyList<string> ClassNames => inner.ClassNames;

        public int Label(int index) => inner.Label(index);

        public void Read(int index, Span<float> destination) => inner.Read(index, destination);

        public void ReadTraining(int index, RandomKey key, Span<float> destination)
        {
            Keys.Add(key.State);
            inner.Read(index, destination);
            for (int i = 0; i < destination.Length; i++) destination[i] += 0.3f * key.Normal(i);
        }
    }

    /// <summary>Two evaluation views: the example and its negation.</summary>
    private sealed class TwoViews(IDataset inner) : IDataset
    {
        public int Count => inner.Count;

        public Shape ExampleShape => inner.ExampleShape;

        public IReadOnlyList<string> ClassNames => inner.ClassNames;

        public int Views => 2;

        public int Label(int index) => inner.Label(index);

        public void Read(int index, Span<float> destination) => inner.Read(index, destination);

        public void ReadTraining(int index, RandomKey key, Span<float> destination) => inner.ReadTraining(index, key, destination);

        public void ReadViews(int index, Span<float> destination)
        {
            int n = ExampleShape.Count;
            inner.Read(index, destination[..n]);
            for (int i = 0; i < n; i++) destination[n + i] = -destination[i];
        }
    }
}
