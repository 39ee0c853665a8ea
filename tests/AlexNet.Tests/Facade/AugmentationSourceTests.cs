using AlexNet.Autograd.Cpu;
using AlexNet.Facade;
using Xunit;

namespace AlexNet.Tests.Facade;

/// <summary>The augmentation the options record is the one the trainer uses: it builds its transform from them, or
/// refuses a transform built from anything else.</summary>
public sealed class AugmentationSourceTests
{
    [Fact]
    public void ATransformBuiltFromOtherOptionsIsRefusedNamingBoth()
    {
        var train = TinyProblem.Data(32, seed: 1);
        var options = TinyProblem.Options(epochs: 1);
        var other = new ImageTransform(options.Augmentation! with { Padding = 0, HorizontalFlip = false }, 1, TinyProblem.Size, TinyProblem.Size,
                                       DatasetStatistics.Compute(train));
        var e = Assert.Throws<ArgumentException>(() => new Trainer(TinyProblem.Model, train, train, other, options, CpuBackend.Default));
        Assert.Contains("Padding = 0", e.Message);
        Assert.Contains("Padding = 1", e.Message);
        Assert.Contains("options.Augmentation", e.Message);
    }

    /// <summary>Without a transform the trainer builds it from the options and the training set's statistics: the run is
    /// bit for bit the one with a transform built by hand from the same options and statistics.</summary>
    [Fact]
    public void TheTrainerBuildsItsTransformFromTheOptions()
    {
        var train = TinyProblem.Data(64, seed: 2);
        var validation = TinyProblem.Data(24, seed: 3);
        var options = TinyProblem.Options(epochs: 2);
        var init = TinyProblem.Init(RandomKeys.Initialisation(RandomKeys.Root(options.Seed)));
        var built = new Trainer(TinyProblem.Model, train, validation, options, CpuBackend.Default);
        Assert.Equal(options.Augmentation, built.Transform!.Options);
        var byHand = new Trainer(TinyProblem.Model, train, validation, TinyProblem.Transform(options, train), options, CpuBackend.Default);
        var a = built.Run(TrainingState.Start(init, options));
        var b = byHand.Run(TrainingState.Start(init, options));
        foreach (var name in a.Parameters.Keys) Assert.Equal(b.Parameters[name].ToArray(), a.Parameters[name].ToArray());
        Assert.Equal(b.History.Select(r => r.ValidationTop1Error), a.History.Select(r => r.ValidationTop1Error));
    }

    /// <summary>Given statistics are used as they are (not measured again), and an augmentation without mean subtraction
    /// or PCA needs none.</summary>
    [Fact]
    public void GivenStatisticsAreUsedAndNoneAreNeededWithoutMeanOrPca()
    {
        var train = TinyProblem.Data(32, seed: 4);
        var options = TinyProblem.Options(epochs: 1);
        var others = DatasetStatistics.Compute(TinyProblem.Data(32, seed: 99));
        var trainer = new Trainer(TinyProblem.Model, train, null, options, CpuBackend.Default, others);
        var expected = new ImageTransform(options.Augmentation!, 1, TinyProblem.Size, TinyProblem.Size, others);
        var pixels = new byte[TinyProblem.Size * TinyProblem.Size];
        train.ReadImage(0, pixels);
        var got = new float[expected.OutputLength];
        var want = new float[expected.OutputLength];
        trainer.Transform!.Render(pixels, trainer.Transform.Centre, got);
        expected.Render(pixels, expected.Centre, want);
        Assert.Equal(want, got);

        var raw = options with { Augmentation = options.Augmentation! with { Mean = MeanSubtraction.None } };
        var plain = new Trainer(TinyProblem.Model, train, null, raw, CpuBackend.Default);
        plain.Transform!.Render(pixels, plain.Transform.Centre, got);
        Assert.Equal(pixels.Select(p => p * options.Augmentation!.Scale), got);
    }
}
