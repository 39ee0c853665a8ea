using AlexNet.Autograd;
using AlexNet.Autograd.Cpu;
using AlexNet.Facade;
using AlexNet.Layers;
using Xunit;

namespace AlexNet.Tests.Facade;

/// <summary>The trainer with each optimiser: training, resuming through a checkpoint, and states that belong to another
/// optimiser.</summary>
public sealed class TrainerOptimizerTests
{
    private static TrainingOptions OptionsFor(OptimizerKind kind, int epochs) => TinyProblem.Options(epochs) with
    {
        Optimizer = kind,
        LearningRate = kind == OptimizerKind.SgdMomentum ? 0.05f : 0.01f,
        WeightDecay = kind == OptimizerKind.AdamW ? 0.01f : 5e-4f,
    };

    /// <summary>Two epochs, a checkpoint, two more: the same weights and optimiser state as four epochs in one go (Adam's
    /// bias correction continues from the steps the saved epochs took).</summary>
    [Theory]
    [InlineData(OptimizerKind.SgdMomentum)]
    [InlineData(OptimizerKind.Adam)]
    [InlineData(OptimizerKind.AdamW)]
    public void ResumingFromACheckpointEqualsAnUninterruptedRun(OptimizerKind kind)
    {
        using var dir = new TempDirectory();
        var train = TinyProblem.Data(64, seed: 8);
        var validation = TinyProblem.Data(24, seed: 9);
        var options = OptionsFor(kind, epochs: 4);
        var statistics = DatasetStatistics.Compute(train);
        var network = TinyProblem.Network();
        var model = NetworkModel.Of(network);
        using var init = network.Init(RandomKeys.Initialisation(RandomKeys.Root(options.Seed)));

        using var straight = new Trainer(model, train, validation, options, CpuBackend.Default, statistics).Run(TrainingState.Start(init, options));
        using var half = new Trainer(model, train, validation, options with { Epochs = 2 }, CpuBackend.Default, statistics).Run(TrainingState.Start(init, options));
        string path = dir.File("last.ckpt");
        TrainingCheckpoint.Save(path, new TrainingRun(network, half, options, statistics, train.ClassNames));
        var loaded = TrainingCheckpoint.Load(path);
        Assert.Equal(kind, loaded.Options.Optimizer);
        Assert.Equal(half.OptimizerState.Keys.Order(), loaded.State.OptimizerState.Keys.Order());
        using var resumed = new Trainer(model, train, validation, loaded.Options, CpuBackend.Default, loaded.Statistics).Run(loaded.State);
        loaded.State.Dispose();

        Assert.Equal(4, resumed.EpochsDone);
        foreach (var name in straight.Parameters.Keys) Assert.Equal(straight.Parameters[name].ToArray(), resumed.Parameters[name].ToArray());
        foreach (var name in straight.OptimizerState.Keys) Assert.Equal(straight.OptimizerState[name].ToArray(), resumed.OptimizerState[name].ToArray());
        Assert.Equal(straight.History.Select(h => h.TrainLoss), resumed.History.Select(h => h.TrainLoss));
    }

    [Theory]
    [InlineData(OptimizerKind.Adam)]
    [InlineData(OptimizerKind.AdamW)]
    public void AdamTrainsAndKeepsItsMomentsInTheState(OptimizerKind kind)
    {
        var train = TinyProblem.Data(96, seed: 1);
        var validation = TinyProblem.Data(48, seed: 2);
        var options = OptionsFor(kind, epochs: 4);
        using var init = TinyProblem.Init(RandomKeys.Initialisation(RandomKeys.Root(options.Seed)));
        using var end = new Trainer(TinyProblem.Model, train, validation, options, CpuBackend.Default).Run(TrainingState.Start(init, options));
        Assert.True(end.History[^1].ValidationTop1Error < 0.2, $"validation error {end.History[^1].ValidationTop1Error} (chance 0.67)");
        Assert.Equal(["m.fc.bias", "m.fc.weight", "v.fc.bias", "v.fc.weight"], end.OptimizerState.Keys.Order());
        Assert.All(end.OptimizerState["v.fc.weight"].ToArray(), v => Assert.True(v >= 0));
        Assert.Contains(end.OptimizerState["m.fc.weight"].ToArray(), m => m != 0);
    }

    [Fact]
    public void AdamAndAdamWDecayTheWeightsDifferently()
    {
        var train = TinyProblem.Data(64, seed: 3);
        using var init = TinyProblem.Init(RandomKeys.Initialisation(RandomKeys.Root(7)));
        float[] Weights(OptimizerKind kind)
        {
            var options = OptionsFor(kind, epochs: 1) with { WeightDecay = 0.05f };
            using var end = new Trainer(TinyProblem.Model, train, null, options, CpuBackend.Default).Run(TrainingState.Start(init, options));
            return end.Parameters["fc.weight"].ToArray();
        }
        Assert.NotEqual(Weights(OptimizerKind.Adam), Weights(OptimizerKind.AdamW));
    }

    [Fact]
    public void AStateOfAnotherOptimizerIsRefusedByName()
    {
        var train = TinyProblem.Data(32, seed: 4);
        var sgd = TinyProblem.Options(epochs: 1);
        var adam = sgd with { Optimizer = OptimizerKind.Adam };
        using var start = TrainingState.Start(TinyProblem.Init(RandomKey.FromSeed(1)), sgd);
        var e = Assert.Throws<ArgumentException>(() => new Trainer(TinyProblem.Model, train, null, adam, CpuBackend.Default).Run(start));
        Assert.Contains("m.fc.", e.Message);
        Assert.Contains("another optimiser", e.Message);

        var network = TinyProblem.Network();
        using var adamStart = TrainingState.Start(network.Init(RandomKey.FromSeed(2)), adam);
        using var dir = new TempDirectory();
        e = Assert.Throws<ArgumentException>(() => TrainingCheckpoint.Save(dir.File("x.ckpt"),
            new TrainingRun(network, adamStart, sgd, DatasetStatistics.Compute(train), train.ClassNames)));
        Assert.Contains("SgdMomentum", e.Message);
        Assert.False(File.Exists(dir.File("x.ckpt")));
    }

    [Fact]
    public void AdamHyperParametersAreChecked()
    {
        var options = TinyProblem.Options(epochs: 1);
        Assert.Contains("β₁", Assert.Throws<ArgumentException>(() => (options with { Beta1 = 1 }).Validate()).Message);
        Assert.Contains("β₂", Assert.Throws<ArgumentException>(() => (options with { Beta2 = -0.1f }).Validate()).Message);
        Assert.Contains("ε", Assert.Throws<ArgumentException>(() => (options with { Epsilon = 0 }).Validate()).Message);
        Assert.Contains("Optimizer 7", Assert.Throws<ArgumentException>(() => (options with { Optimizer = (OptimizerKind)7 }).Validate()).Message);
    }
}
