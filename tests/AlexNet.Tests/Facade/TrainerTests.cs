using AlexNet.Autograd;
using AlexNet.Autograd.Cpu;
using AlexNet.Facade.Training;
using Xunit;

namespace AlexNet.Tests.Facade;

public sealed class TrainerTests
{
    private sealed class Recorder : ITrainingObserver
    {
        public List<EpochRecord> Epochs { get; } = [];
        public int Steps { get; private set; }
        public void EpochStarted(int epoch, int batches, float learningRate) { }
        public void BatchCompleted(BatchProgress progress) => Steps++;
        public void ValidationProgress(int done, int total) { }
        public void EpochCompleted(EpochRecord record, TrainingState state) => Epochs.Add(record);
    }

    [Fact]
    public void AFewStepsLowerTheLoss()
    {
        var train = TinyProblem.Data(96, seed: 1);
        var options = TinyProblem.Options(epochs: 3);
        var transform = TinyProblem.Transform(options, train);
        var start = TrainingState.Start(TinyProblem.Init(RandomKeys.Initialisation(RandomKeys.Root(options.Seed))), options);
        var before = Evaluator.Evaluate(TinyProblem.Model, start.Parameters, train, transform, false, 32, CpuBackend.Default);
        var recorder = new Recorder();
        var end = new Trainer(TinyProblem.Model, train, train, transform, options, CpuBackend.Default).Run(start, recorder);
        var after = Evaluator.Evaluate(TinyProblem.Model, end.Parameters, train, transform, false, 32, CpuBackend.Default);
        Assert.True(after.Loss < before.Loss * 0.7, $"loss {before.Loss} → {after.Loss}");
        Assert.Equal(3, recorder.Epochs.Count);
        Assert.Equal(3 * (96 / 16), recorder.Steps);
        Assert.Equal(3, end.EpochsDone);
    }

    /// <summary>A batch reaches the device as one upload of its assembled pixels (and one of its labels): never image
    /// by image, whatever the device.</summary>
    [Fact]
    public void EachTrainingBatchIsUploadedOnceAsAWhole()
    {
        var train = TinyProblem.Data(64, seed: 4);
        var options = TinyProblem.Options(epochs: 1) with { Workers = 2 };
        var transform = TinyProblem.Transform(options, train);
        var log = new AlexNet.Tests.Layers.TransferLog();
        using var device = new AlexNet.Tests.Layers.CountingBackend("device", log);
        var start = TrainingState.Start(TinyProblem.Init(RandomKeys.Initialisation(RandomKeys.Root(options.Seed))).Map((_, t) => Ops.To(t, device)), options);
        log.Clear();
        var trainer = new Trainer(TinyProblem.Model, train, train, transform, options, device);
        trainer.Run(start);
        int batchPixels = options.BatchSize * transform.OutputLength;
        var uploads = log.Events.Where(e => e.Kind == AlexNet.Tests.Layers.TransferLog.Kind.Upload).ToList();
        Assert.Equal(trainer.StepsPerEpoch, uploads.Count(e => e.Count == batchPixels));
        Assert.DoesNotContain(uploads, e => e.Count == transform.OutputLength);
    }

    [Fact]
    public void ResumingGivesTheSameWeightsAsAnUninterruptedRun()
    {
        var train = TinyProblem.Data(64, seed: 2);
        var validation = TinyProblem.Data(30, seed: 3);
        var full = TinyProblem.Options(epochs: 4);
        var transform = TinyProblem.Transform(full, train);
        var init = TinyProblem.Init(RandomKeys.Initialisation(RandomKeys.Root(full.Seed)));

        var uninterrupted = new Trainer(TinyProblem.Model, train, validation, transform, full, CpuBackend.Default)
            .Run(TrainingState.Start(init, full));

        var firstHalf = new Trainer(TinyProblem.Model, train, validation, transform, full with { Epochs = 2 }, CpuBackend.Default)
            .Run(TrainingState.Start(init, full));
        Assert.Equal(2, firstHalf.EpochsDone);
        var resumed = new Trainer(TinyProblem.Model, train, validation, transform, full, CpuBackend.Default).Run(firstHalf);

        Assert.Equal(4, resumed.EpochsDone);
        foreach (var name in uninterrupted.Parameters.Keys)
        {
            Assert.Equal(uninterrupted.Parameters[name].ToArray(), resumed.Parameters[name].ToArray());
            Assert.Equal(uninterrupted.Velocity[name].ToArray(), resumed.Velocity[name].ToArray());
        }
        Assert.Equal(uninterrupted.Schedule, resumed.Schedule);
        Assert.Equal(uninterrupted.History.Select(h => (h.TrainLoss, h.ValidationTop1Error, h.LearningRate)),
                     resumed.History.Select(h => (h.TrainLoss, h.ValidationTop1Error, h.LearningRate)));
        Assert.NotEqual(init["fc.weight"].ToArray(), resumed.Parameters["fc.weight"].ToArray());
    }

    [Fact]
    public void ANonFiniteLossStopsTheRunAndKeepsTheLastGoodEpoch()
    {
        var train = TinyProblem.Data(64, seed: 4);
        var options = TinyProblem.Options(epochs: 3);
        var transform = TinyProblem.Transform(options, train);
        int trainingCalls = 0;
        Tensor Poisoned(TensorMap p, Tensor x, bool training, RandomKey key)
        {
            var logits = TinyProblem.Model(p, x, training, key);
            if (training && ++trainingCalls == 64 / 16 + 2) return Ops.Mul(logits, Tensor.Full(logits.Shape, float.NaN));
            return logits;
        }
        var recorder = new Recorder();
        var trainer = new Trainer(Poisoned, train, train, transform, options, CpuBackend.Default);
        var start = TrainingState.Start(TinyProblem.Init(RandomKey.FromSeed(1)), options);
        var e = Assert.Throws<TrainingDivergedException>(() => trainer.Run(start, recorder));
        Assert.Equal((2, 2), (e.Epoch, e.Step));
        Assert.Contains("NaN", e.Message);
        Assert.Single(recorder.Epochs);
    }

    [Fact]
    public void TimeBudgetAndCancellationEndTheRunBetweenEpochs()
    {
        var train = TinyProblem.Data(48, seed: 5);
        var options = TinyProblem.Options(epochs: 50) with { TimeBudget = TimeSpan.FromTicks(1) };
        var transform = TinyProblem.Transform(options, train);
        var start = TrainingState.Start(TinyProblem.Init(RandomKey.FromSeed(1)), options);
        var end = new Trainer(TinyProblem.Model, train, train, transform, options, CpuBackend.Default).Run(start);
        Assert.Equal(1, end.EpochsDone); // the first epoch measures; the second would overrun

        using var cancelled = new CancellationTokenSource();
        cancelled.Cancel();
        var none = new Trainer(TinyProblem.Model, train, train, transform, options with { TimeBudget = null }, CpuBackend.Default).Run(start, null, cancelled.Token);
        Assert.Equal(0, none.EpochsDone);
    }

    [Fact]
    public void TenCropEvaluationAveragesTheViews()
    {
        var data = TinyProblem.Data(20, seed: 6);
        var options = TinyProblem.Options(1);
        var transform = TinyProblem.Transform(options, data);
        var p = TinyProblem.Init(RandomKey.FromSeed(9));
        var ten = Evaluator.Evaluate(TinyProblem.Model, p, data, transform, true, 7, CpuBackend.Default);
        var one = Evaluator.Evaluate(TinyProblem.Model, p, data, transform, false, 7, CpuBackend.Default);
        Assert.Equal(20, ten.Count);
        Assert.Equal(0, ten.Top5Error); // three classes: the label is always in the top five
        Assert.NotEqual(one.Loss, ten.Loss);
        Assert.True(ten.Loss > 0 && one.Loss > 0);
    }
}
