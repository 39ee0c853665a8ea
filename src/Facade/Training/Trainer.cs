using System.Diagnostics;
using AlexNet.Autograd;
using AlexNet.Autograd.Kernels;
using AlexNet.Facade.Augmentation;
using AlexNet.Facade.Data;
using AlexNet.Facade.Pipeline;

namespace AlexNet.Facade.Training;

/// <summary>
/// The paper's training loop, functional core in plain sight: for each epoch, for each prefetched batch,
/// <c>ValueAndGrad</c> of the cross-entropy → SGD-momentum step → metrics; then validation, the learning-rate schedule,
/// and the observer (checkpoint, logs, plots).
/// </summary>
/// <remarks>
/// Everything random derives from the state's root key and the epoch (<see cref="RandomKeys"/>), and every batch is a
/// pure function of its index, so the same seed gives the same batches, and on the CPU the same weights, whether the
/// run is interrupted and resumed or not. A NaN or infinite loss throws <see cref="TrainingDivergedException"/> before
/// the step is applied; the last checkpoint the observer saved stays the last good one.
/// </remarks>
public sealed class Trainer
{
    private readonly ModelFunction _model;
    private readonly IImageDataset _train;
    private readonly IImageDataset _validation;
    private readonly ImageTransform _transform;
    private readonly TrainingOptions _options;
    private readonly IBackend _backend;

    /// <summary>Sets up a run.</summary>
    /// <param name="model">The network.</param>
    /// <param name="train">The training set.</param>
    /// <param name="validation">The set whose error drives the learning-rate schedule.</param>
    /// <param name="transform">Training augmentation (validation uses its deterministic views).</param>
    /// <param name="options">The settings.</param>
    /// <param name="backend">The device the parameters live on.</param>
    /// <exception cref="ArgumentException">The options are invalid, a set is empty, or the sets disagree in size or classes.</exception>
    public Trainer(ModelFunction model, IImageDataset train, IImageDataset validation, ImageTransform transform, TrainingOptions options, IBackend backend)
    {
        ArgumentNullException.ThrowIfNull(model);
        ArgumentNullException.ThrowIfNull(train);
        ArgumentNullException.ThrowIfNull(validation);
        ArgumentNullException.ThrowIfNull(transform);
        ArgumentNullException.ThrowIfNull(options);
        ArgumentNullException.ThrowIfNull(backend);
        options.Validate();
        if (train.Count < options.BatchSize)
            throw new ArgumentException($"The training set has {train.Count} images, fewer than one batch of {options.BatchSize}.", nameof(train));
        if (validation.Count == 0) throw new ArgumentException("The validation set is empty.", nameof(validation));
        foreach (var set in new[] { train, validation })
            if (set.Channels != transform.Channels || set.Height != transform.Height || set.Width != transform.Width)
                throw new ArgumentException($"A data set of {set.Channels}×{set.Height}×{set.Width} images does not fit a transform for {transform.Channels}×{transform.Height}×{transform.Width}.");
        if (!train.ClassNames.SequenceEqual(validation.ClassNames))
            throw new ArgumentException("The training and validation sets have different classes.", nameof(validation));
        _model = model;
        _train = train;
        _validation = validation;
        _transform = transform;
        _options = options;
        _backend = backend;
    }

    /// <summary>Training steps per epoch (the last partial batch is left out so every step has the same size).</summary>
    public int StepsPerEpoch => _train.Count / _options.BatchSize;

    /// <summary>
    /// Trains from <paramref name="start"/> until the epoch limit, the schedule's end, the time budget or cancellation
    /// (checked between steps; the epoch in progress is then abandoned and the state after the last whole epoch returned).
    /// </summary>
    /// <returns>The state after the last completed epoch; its tensors are new and owned by the caller.</returns>
    /// <exception cref="TrainingDivergedException">The loss became NaN or infinite.</exception>
    public TrainingState Run(TrainingState start, ITrainingObserver? observer = null, CancellationToken cancellation = default)
    {
        ArgumentNullException.ThrowIfNull(start);
        var schedule = new PlateauSchedule(_options.LearningRate, _options.Patience, _options.MaxDrops, _options.DropFactor, start.Schedule);
        using var optimizer = new SgdMomentum(start.Parameters, _options.Momentum, _options.WeightDecay, start.Velocity);
        var history = start.History.ToList();
        int epoch = start.EpochsDone;
        double elapsed = start.ElapsedSeconds;
        bool finished = start.Finished;
        double lastEpochSeconds = history.Count > 0 ? history[^1].EpochSeconds : 0;
        while (!finished && epoch < _options.Epochs && !cancellation.IsCancellationRequested)
        {
            if (_options.TimeBudget is { } budget && lastEpochSeconds > 0 && elapsed + lastEpochSeconds > budget.TotalSeconds) break;
            var clock = Stopwatch.StartNew();
            var (trainLoss, trainError, imagesPerSecond, completed) = TrainEpoch(optimizer, epoch, start.Key, schedule.LearningRate, observer, cancellation);
            if (!completed) break;
            var validation = Evaluator.Evaluate(_model, optimizer.Parameters, _validation, _transform, _options.TenCropValidation,
                                                _options.EvaluationBatchSize, _backend, observer is null ? null : observer.ValidationProgress, _options.Workers);
            float rate = schedule.LearningRate;
            var decision = schedule.Observe(validation.Top1Error);
            finished = decision == ScheduleDecision.Stop;
            epoch++;
            lastEpochSeconds = clock.Elapsed.TotalSeconds;
            elapsed += lastEpochSeconds;
            if (decision == ScheduleDecision.Continue && FinalPhaseStarts(epoch, elapsed, lastEpochSeconds, schedule) && schedule.ForceDrop())
                decision = ScheduleDecision.Dropped;
            var record = new EpochRecord(epoch, rate, trainLoss, trainError, validation.Loss, validation.Top1Error, validation.Top5Error,
                                         imagesPerSecond, lastEpochSeconds, elapsed, decision);
            history.Add(record);
            observer?.EpochCompleted(record, new TrainingState(optimizer.Parameters, optimizer.Velocity, epoch, schedule.State, start.Key, history.ToArray(), elapsed, finished));
        }
        return new TrainingState(optimizer.Parameters.Map((_, t) => Ops.Copy(t, track: false)),
                                 optimizer.Velocity.Map((_, t) => Ops.Copy(t, track: false)),
                                 epoch, schedule.State, start.Key, history.ToArray(), elapsed, finished);
    }

    /// <summary>
    /// True when a budgeted run should drop its rate now (see <see cref="TrainingOptions.FinalDropEpochs"/>): no drop
    /// yet, at most that many more epochs fit the budget, and they are at most a quarter of the run, so a short run is
    /// not spent mostly at the low rate.
    /// </summary>
    private bool FinalPhaseStarts(int epochsDone, double elapsed, double epochSeconds, PlateauSchedule schedule)
    {
        if (_options.TimeBudget is not { } budget || _options.FinalDropEpochs == 0 || schedule.State.Drops > 0 || epochsDone >= _options.Epochs) return false;
        int fit = Math.Min((int)Math.Floor((budget.TotalSeconds - elapsed) / epochSeconds), _options.Epochs - epochsDone);
        return fit >= 1 && fit <= _options.FinalDropEpochs && fit <= 0.25 * (epochsDone + fit);
    }

    private (double Loss, double Error, double ImagesPerSecond, bool Completed) TrainEpoch(
        SgdMomentum optimizer, int epoch, RandomKey root, float learningRate, ITrainingObserver? observer, CancellationToken cancellation)
    {
        int batchSize = _options.BatchSize;
        var order = EpochPlan.Permutation(_train.Count, RandomKeys.Order(root, epoch));
        var batches = EpochPlan.Batches(order, batchSize, dropLast: true);
        var augmentationKey = RandomKeys.Augmentation(root, epoch);
        observer?.EpochStarted(epoch + 1, batches.Length, learningRate);
        using var prefetch = new Prefetcher<Batch>(batches.Length,
            b => BatchBuilder.Training(_train, _transform, batches[b], b, batchSize, augmentationKey), _options.PrefetchDepth, _options.Workers);
        double lossSum = 0;
        long correct = 0, seen = 0;
        var clock = Stopwatch.StartNew();
        for (int b = 0; b < batches.Length; b++)
        {
            if (cancellation.IsCancellationRequested) return (0, 0, 0, false);
            var batch = prefetch.Take();
            var (loss, hits) = Step(optimizer, batch, RandomKeys.Dropout(root, epoch, b), learningRate);
            if (!float.IsFinite(loss)) throw new TrainingDivergedException(epoch + 1, b + 1, loss, learningRate);
            lossSum += loss;
            correct += hits;
            seen += batch.Count;
            double rate = seen / clock.Elapsed.TotalSeconds;
            observer?.BatchCompleted(new BatchProgress(epoch + 1, b + 1, batches.Length, lossSum / (b + 1), (double)correct / seen, rate,
                                                       TimeSpan.FromSeconds((batches.Length - b - 1) * batchSize / rate), learningRate));
        }
        return (lossSum / batches.Length, 1 - (double)correct / seen, seen / clock.Elapsed.TotalSeconds, true);
    }

    /// <summary>One SGD step on one batch; returns the loss and the number of correct top-1 predictions. The step is not
    /// applied when the loss is not finite.</summary>
    private (float Loss, int Correct) Step(SgdMomentum optimizer, Batch batch, RandomKey dropoutKey, float learningRate)
    {
        using var x = Tensor.FromArray(batch.Images, batch.Shape, _backend);
        using var y = Tensor.FromArray(Array.ConvertAll(batch.Labels, l => (float)l), new Shape(batch.Count), _backend);
        var (value, correct, gradients) = Autodiff.ValueAndGrad(p =>
        {
            var logits = _model(p, x, true, dropoutKey);
            return (Ops.SoftmaxCrossEntropy(logits, y), CountCorrect(logits, batch.Labels));
        }, optimizer.Parameters);
        float loss;
        using (value) loss = value.Item();
        if (float.IsFinite(loss)) optimizer.Step(gradients, learningRate);
        gradients.DisposeAll();
        return (loss, correct);
    }

    private static int CountCorrect(Tensor logits, int[] labels)
    {
        var values = logits.ToArray();
        int classes = logits.Shape[1], correct = 0;
        for (int i = 0; i < labels.Length; i++)
        {
            var row = values.AsSpan(i * classes, classes);
            int best = 0;
            for (int k = 1; k < classes; k++) if (row[k] > row[best]) best = k;
            if (best == labels[i]) correct++;
        }
        return correct;
    }
}
