using AlexNet.Autograd.Cpu;
using AlexNet.Facade;
using Xunit;

namespace AlexNet.Tests.Facade;

/// <summary>A run without a validation set: no validation pass, NaN validation figures, and the plateau schedule fed the
/// training loss.</summary>
public sealed class OptionalValidationTests
{
    private sealed class Counter : ITrainingObserver
    {
        public int ValidationCalls { get; private set; }
        public List<float> EpochRates { get; } = [];
        public void EpochStarted(int epoch, int batches, float learningRate) => EpochRates.Add(learningRate);
        public void BatchCompleted(BatchProgress progress) { }
        public void ValidationProgress(int done, int total) => ValidationCalls++;
        public void EpochCompleted(EpochRecord record, TrainingState state) { }
    }

    [Fact]
    public void ARunWithoutValidationTrainsAndRecordsNaNValidationFigures()
    {
        var train = TinyProblem.Data(96, seed: 1);
        var options = TinyProblem.Options(epochs: 3);
        var start = TrainingState.Start(TinyProblem.Init(RandomKeys.Initialisation(RandomKeys.Root(options.Seed))), options);
        var trainer = new Trainer(TinyProblem.Model, train, null, options, CpuBackend.Default);
        var before = Evaluator.Evaluate(TinyProblem.Model, start.Parameters, train, trainer.Transform!, false, 32, CpuBackend.Default);
        var counter = new Counter();
        var end = trainer.Run(start, counter);
        var after = Evaluator.Evaluate(TinyProblem.Model, end.Parameters, train, trainer.Transform!, false, 32, CpuBackend.Default);
        Assert.True(after.Loss < before.Loss * 0.7, $"loss {before.Loss} → {after.Loss}");
        Assert.Equal(3, end.EpochsDone);
        Assert.Equal(0, counter.ValidationCalls);
        Assert.All(end.History, r =>
        {
            Assert.True(double.IsNaN(r.ValidationLoss) && double.IsNaN(r.ValidationTop1Error) && double.IsNaN(r.ValidationTop5Error));
            Assert.True(double.IsFinite(r.TrainLoss));
        });
    }

    /// <summary>The decisions of a run without validation are those of the plateau rule applied to its training losses,
    /// and the rates of the epochs follow them (the run is long enough, at patience 1, to see drops).</summary>
    [Fact]
    public void WithoutValidationThePlateauScheduleWatchesTheTrainingLoss()
    {
        var train = TinyProblem.Data(48, seed: 5);
        var options = TinyProblem.Options(epochs: 20) with { Patience = 1, MaxDrops = 2, WarmupSteps = 0 };
        var start = TrainingState.Start(TinyProblem.Init(RandomKeys.Initialisation(RandomKeys.Root(options.Seed))), options);
        var counter = new Counter();
        var end = new Trainer(TinyProblem.Model, train, null, options, CpuBackend.Default).Run(start, counter);

        var replay = new PlateauSchedule(options.LearningRate, options.Patience, options.MaxDrops, options.DropFactor);
        foreach (var record in end.History)
        {
            Assert.Equal(replay.LearningRate, record.LearningRate);
            Assert.Equal(replay.Observe(record.TrainLoss), record.Decision);
        }
        Assert.Equal(counter.EpochRates, end.History.Select(r => r.LearningRate));
        Assert.Contains(end.History, r => r.Decision == ScheduleDecision.Dropped);
        Assert.Equal(replay.State, end.Schedule);
    }

    [Fact]
    public void AnEmptyValidationSetIsRefusedAndNullIsSuggested()
    {
        var train = TinyProblem.Data(32, seed: 1);
        var empty = new AlexNet.Facade.InMemoryImageDataset([], [], 1, TinyProblem.Size, TinyProblem.Size, train.ClassNames);
        var e = Assert.Throws<ArgumentException>(() => new Trainer(TinyProblem.Model, train, empty, TinyProblem.Options(1), CpuBackend.Default));
        Assert.Contains("validation set is empty", e.Message);
        Assert.Contains("pass null", e.Message);
    }
}
