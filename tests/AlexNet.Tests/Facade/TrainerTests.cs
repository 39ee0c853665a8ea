using AlexNet.Autograd;
using AlexNet.Autograd.Cpu;
using AlexNet.Facade;
using Xunit;

namespace AlexNet.Tests.Facade;

public sealed class TrainerTests
{
    private sealed class Recorder : ITrainingObserver
    {
        public List<EpochRecord> Epochs { get; } = [];
        public int Steps => Rates.Count;
        public List<float> Rates { get; } = [];
        public List<double> Losses { get; } = [];
        public void EpochStarted(int epoch, int batches, float learningRate) { }
        public void BatchCompleted(BatchProgress progress)
        {
            Rates.Add(progress.LearningRate);
            Losses.Add(progress.Loss);
        }
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

    /// <summary>The warm-up: step s of the run (over epochs, 0-based) trains at ε·(s + 1)/WarmupSteps until the full rate,
    /// and a run resumed in the middle of it continues with the same rates.</summary>
    [Fact]
    public void TheRateWarmsUpLinearlyOverTheFirstSteps()
    {
        var train = TinyProblem.Data(96, seed: 1);
        var options = TinyProblem.Options(epochs: 3) with { WarmupSteps = 8, Patience = 10 }; // no plateau drop within the run
        var transform = TinyProblem.Transform(options, train);
        var init = TinyProblem.Init(RandomKey.FromSeed(3));
        float rate = options.LearningRate;
        var expected = Enumerable.Range(0, 18).Select(s => s < 8 ? rate * (float)((s + 1.0) / 8) : rate).ToArray();
        var whole = new Recorder();
        new Trainer(TinyProblem.Model, train, train, transform, options, CpuBackend.Default).Run(TrainingState.Start(init, options), whole);
        Assert.Equal(expected, whole.Rates);

        var first = new Recorder();
        var afterOne = new Trainer(TinyProblem.Model, train, train, transform, options with { Epochs = 1 }, CpuBackend.Default)
            .Run(TrainingState.Start(init, options), first);
        var rest = new Recorder();
        new Trainer(TinyProblem.Model, train, train, transform, options, CpuBackend.Default).Run(afterOne, rest);
        Assert.Equal(expected, first.Rates.Concat(rest.Rates));
        Assert.Throws<ArgumentException>(() => (options with { WarmupSteps = -1 }).Validate());
    }

    /// <summary>The cosine schedule: step s of S trains at ε·½(1 + cos(π·s/S)) times the warm-up, no plateau ever drops
    /// the rate or ends the run (the validation set here is pure noise), and a run resumed mid-way continues the curve.</summary>
    [Fact]
    public void TheCosineScheduleFollowsItsCurveOverTheRunAndAcrossAResume()
    {
        var train = TinyProblem.Data(96, seed: 1);
        var noise = TinyProblem.Data(24, seed: 9);
        var options = TinyProblem.Options(epochs: 4) with { Schedule = LearningRateSchedule.Cosine, WarmupSteps = 3, Patience = 1, MaxDrops = 0 };
        var transform = TinyProblem.Transform(options, train);
        using var init = TinyProblem.Init(RandomKey.FromSeed(3));
        const int steps = 4 * 96 / 16;
        float rate = options.LearningRate;
        var expected = Enumerable.Range(0, steps)
            .Select(s => (float)(rate * 0.5 * (1 + Math.Cos(Math.PI * s / steps))) * (s < 3 ? (float)((s + 1.0) / 3) : 1f)).ToArray();
        var whole = new Recorder();
        using var end = new Trainer(TinyProblem.Model, train, noise, transform, options, CpuBackend.Default).Run(TrainingState.Start(init, options), whole);
        Assert.Equal(expected, whole.Rates);
        Assert.Equal(4, end.EpochsDone);
        Assert.All(whole.Epochs, e => Assert.Equal(ScheduleDecision.Continue, e.Decision));
        Assert.Equal(Enumerable.Range(0, 4).Select(e => (float)(rate * 0.5 * (1 + Math.Cos(Math.PI * e / 4)))), whole.Epochs.Select(e => e.LearningRate));
        Assert.True(expected[^1] < rate * 0.01f);

        var first = new Recorder();
        using var half = new Trainer(TinyProblem.Model, train, noise, transform, options with { Epochs = 2 }, CpuBackend.Default)
            .Run(TrainingState.Start(init, options), first);
        var rest = new Recorder();
        using var resumed = new Trainer(TinyProblem.Model, train, noise, transform, options, CpuBackend.Default).Run(half, rest);
        // The first half ran as a 2-epoch curve; the resumed half continues the 4-epoch curve from step 12.
        Assert.Equal(expected[12..], rest.Rates);
        Assert.Throws<ArgumentException>(() => (options with { Schedule = (LearningRateSchedule)5 }).Validate());
    }

    /// <summary>With label smoothing the trainer minimises the smoothed loss: its first step's loss is the smoothed
    /// cross-entropy of the logits that step computed (all labels 0 here, so they are known).</summary>
    [Fact]
    public void TheTrainingLossIsTheSmoothedCrossEntropy()
    {
        var all = TinyProblem.Data(96, seed: 5);
        var train = new ImageDatasetSubset(all, [.. Enumerable.Range(0, all.Count).Where(i => all.Label(i) == 0)]);
        var options = TinyProblem.Options(epochs: 1) with { LabelSmoothing = 0.3f };
        float[]? firstLogits = null;
        Tensor Model(TensorMap p, Tensor x, bool training, RandomKey key)
        {
            var logits = TinyProblem.Model(p, x, training, key);
            firstLogits ??= logits.ToArray();
            return logits;
        }
        var recorder = new Recorder();
        using var init = TinyProblem.Init(RandomKey.FromSeed(2));
        using var end = new Trainer(Model, train, null, options, CpuBackend.Default).Run(TrainingState.Start(init, options), recorder);
        using var logits = Tensor.FromArray(firstLogits!, new Shape(options.BatchSize, TinyProblem.Classes));
        using var zeros = Tensor.Zeros(new Shape(options.BatchSize));
        using var smoothed = Ops.SoftmaxCrossEntropy(logits, zeros, 0.3f);
        using var plain = Ops.SoftmaxCrossEntropy(logits, zeros);
        Assert.Equal(smoothed.Item(), recorder.Losses[0], 6);
        Assert.NotEqual(plain.Item(), (float)recorder.Losses[0]);
        Assert.Throws<ArgumentException>(() => (options with { LabelSmoothing = 1f }).Validate());
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
            Assert.Equal(uninterrupted.OptimizerState[name].ToArray(), resumed.OptimizerState[name].ToArray());
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

    /// <summary>
    /// The ten-crop evaluation against the paper's procedure done by hand: the four corner crops, the centre crop and
    /// their reflections of every image, each run through the model on its own, softmax, the ten probability vectors
    /// averaged; then the loss, top-1 and top-5 errors of those averages. Seven classes, so top-5 can miss.
    /// </summary>
    [Fact]
    public void TenCropEvaluationAveragesTheSoftmaxOfTheTenViews()
    {
        const int size = 8, crop = 6, classes = 7, count = 40;
        var rng = new Random(6);
        var pixels = new byte[count * size * size];
        rng.NextBytes(pixels);
        var labels = Enumerable.Range(0, count).Select(i => i % classes).ToArray();
        var data = new InMemoryImageDataset(pixels, labels, 1, size, size, [.. Enumerable.Range(0, classes).Select(k => $"c{k}")]);
        var transform = new ImageTransform(new AugmentationOptions { CropSize = crop, Scale = 1 / 64f }, 1, size, size, DatasetStatistics.Compute(data));
        var parameters = TensorMap.Empty
            .Add("fc.weight", Tensor.Normal(RandomKey.FromSeed(7), new Shape(classes, crop * crop), 0f, 0.6f))
            .Add("fc.bias", Tensor.Normal(RandomKey.FromSeed(8), new Shape(classes), 0f, 0.5f));
        Tensor Model(TensorMap p, Tensor x, bool training, RandomKey key) => Ops.Linear(Ops.Reshape(x, x.Shape[0], crop * crop), p["fc.weight"], p["fc.bias"]);

        // The ten views written out: corners of the 8×8 image, the centre, then the same five reflected.
        (int Top, int Left)[] places = [(0, 0), (0, 2), (2, 0), (2, 2), (1, 1)];
        var views = places.Select(v => (v.Top, v.Left, Flip: false)).Concat(places.Select(v => (v.Top, v.Left, Flip: true))).ToArray();
        Assert.Equal(views, transform.TenCrops.Select(v => (v.Top, v.Left, v.Flip)));

        var byHand = new double[count, classes];
        var logitMeans = new double[count, classes];
        var centre = new float[count][];
        var image = new byte[size * size];
        var rendered = new float[crop * crop];
        for (int i = 0; i < count; i++)
        {
            data.ReadImage(i, image);
            foreach (var (top, left, flip) in views)
            {
                transform.Render(image, CropWindow.At(top, left, flip), rendered);
                using var x = Tensor.FromArray(rendered, new Shape(1, 1, crop, crop));
                using var logits = Model(parameters, x, false, default);
                using var probabilities = Ops.Softmax(logits);
                var p = probabilities.ToArray();
                var z = logits.ToArray();
                for (int k = 0; k < classes; k++)
                {
                    byHand[i, k] += p[k] / 10.0;
                    logitMeans[i, k] += z[k] / 10.0;
                }
                if ((top, left, flip) == (1, 1, false)) centre[i] = p;
            }
        }

        var predicted = Evaluator.Predict(Model, parameters, data, transform, tenCrop: true, batchSize: 7, CpuBackend.Default)
            .SelectMany(b => b.Probabilities).ToArray();
        double fromLogits = 0, fromCentre = 0;
        for (int i = 0; i < count; i++)
        {
            double norm = Enumerable.Range(0, classes).Sum(k => Math.Exp(logitMeans[i, k]));
            for (int k = 0; k < classes; k++)
            {
                Assert.Equal(byHand[i, k], predicted[i * classes + k], 1e-6);
                fromLogits = Math.Max(fromLogits, Math.Abs(Math.Exp(logitMeans[i, k]) / norm - byHand[i, k]));
                fromCentre = Math.Max(fromCentre, Math.Abs(centre[i][k] - byHand[i, k]));
            }
        }
        // The data tell the procedures apart: averaging logits, or taking the centre crop, gives other numbers.
        Assert.True(fromLogits > 1e-3 && fromCentre > 1e-2, $"softmax of mean logits differs by {fromLogits}, the centre crop by {fromCentre}");

        double loss = 0;
        int wrong1 = 0, wrong5 = 0;
        for (int i = 0; i < count; i++)
        {
            loss -= Math.Log(byHand[i, labels[i]]);
            int higher = Enumerable.Range(0, classes).Count(k => byHand[i, k] > byHand[i, labels[i]]);
            if (higher >= 1) wrong1++;
            if (higher >= 5) wrong5++;
        }
        Assert.InRange(wrong5, 1, count - 1);
        var ten = Evaluator.Evaluate(Model, parameters, data, transform, tenCrop: true, batchSize: 7, CpuBackend.Default);
        var one = Evaluator.Evaluate(Model, parameters, data, transform, tenCrop: false, batchSize: 7, CpuBackend.Default);
        Assert.Equal(count, ten.Count);
        Assert.Equal(loss / count, ten.Loss, 1e-5);
        Assert.Equal((double)wrong1 / count, ten.Top1Error);
        Assert.Equal((double)wrong5 / count, ten.Top5Error);
        Assert.NotEqual(one.Loss, ten.Loss);
    }
}
