using System.Diagnostics;
using AlexNet.Autograd;
using AlexNet.Autograd.Kernels;
using AlexNet.Distributed;
using AlexNet.Facade;
using AlexNet.Facade.Pipeline;

namespace AlexNet.Facade;

/// <summary>
/// The paper's training loop, functional core in plain sight: for each epoch, for each prefetched batch,
/// <c>ValueAndGrad</c> of the cross-entropy → optimiser step (the paper's SGD with momentum, or Adam/AdamW) → metrics; then validation, the learning-rate schedule,
/// and the observer (checkpoint, logs, plots).
/// </summary>
/// <remarks>
/// Everything random derives from the state's root key and the epoch (<see cref="RandomKeys"/>), and every batch is a
/// pure function of its index, so the same seed gives the same batches, and on the CPU the same weights, whether the
/// run is interrupted and resumed or not. A NaN or infinite loss throws <see cref="TrainingDivergedException"/> before
/// the step is applied; the last checkpoint the observer saved stays the last good one.
/// <para>
/// Data-parallel training: with a communicator of N ranks (one process each, e.g. started by <c>mpirun</c>), every rank
/// draws the same epoch order and batches of <see cref="TrainingOptions.BatchSize"/> B, takes its contiguous share of
/// B/N images of each batch (rendered with the augmentation keys one process would use for them), and computes the
/// gradient of its mean loss; the ranks average those gradients (<see cref="GradientAverager"/>), which is the
/// gradient of the mean loss over the whole batch, and every rank applies the same optimiser step, so the weights stay equal
/// everywhere and equal to one process training with batch B, up to float rounding. Rank 0's starting weights and
/// optimiser state are broadcast; validation is split across the ranks and its sums combined; decisions that depend on
/// time or cancellation are taken together; only rank 0 calls the observer (checkpoints, logs, plots, progress).
/// Dropout masks are drawn per rank (each rank folds its number into the step's key), so with dropout a run matches
/// one process statistically, not bit for bit.
/// </para>
/// </remarks>
public sealed class Trainer
{
    private readonly ModelFunction _model;
    private readonly IDataset _train;
    private readonly IDataset? _validation;
    private readonly TrainingOptions _options;
    private readonly IBackend _backend;
    private readonly ICommunicator _communicator;

    /// <summary>Sets up a run on images whose preprocessing is built from <see cref="TrainingOptions.Augmentation"/>:
    /// the one source of truth for what the training images go through, and what a checkpoint of the run records.</summary>
    /// <param name="model">The network.</param>
    /// <param name="train">The training images.</param>
    /// <param name="validation">The images whose error drives the learning-rate schedule; null for no validation pass
    /// (the schedule then watches the training loss, see <see cref="Run"/>).</param>
    /// <param name="options">The settings; <see cref="TrainingOptions.Augmentation"/> is required.</param>
    /// <param name="backend">The device the parameters live on.</param>
    /// <param name="statistics">The training set's statistics, for mean subtraction and PCA colour shifts; computed from
    /// <paramref name="train"/> when null and the augmentation needs them (pass them when they are already known, e.g.
    /// from a checkpoint being resumed, so they are not measured again).</param>
    /// <param name="communicator">The ranks training together (data-parallel); one process when null.</param>
    /// <exception cref="ArgumentException">The options are invalid, have no augmentation or do not fit the images, a set
    /// is empty, the sets disagree in size or classes, or the batch does not divide evenly among the ranks.</exception>
    public Trainer(ModelFunction model, IImageDataset train, IImageDataset? validation, TrainingOptions options, IBackend backend,
                   DatasetStatistics? statistics = null, ICommunicator? communicator = null)
        : this(model, train, validation, TransformFor(train, options, statistics), options, backend, communicator)
    {
    }

    /// <summary>Sets up a run on images with a transform built by the caller; it must have been built from
    /// <see cref="TrainingOptions.Augmentation"/>, so that the augmentation a checkpoint records is the one used.</summary>
    /// <param name="model">The network.</param>
    /// <param name="train">The training images.</param>
    /// <param name="validation">The images whose error drives the learning-rate schedule; null for no validation pass
    /// (the schedule then watches the training loss, see <see cref="Run"/>).</param>
    /// <param name="transform">Training augmentation (validation uses its centre crop, or its ten crops with
    /// <see cref="TrainingOptions.TenCropValidation"/>); its <see cref="ImageTransform.Options"/> must equal
    /// <paramref name="options"/>' <see cref="TrainingOptions.Augmentation"/>.</param>
    /// <param name="options">The settings.</param>
    /// <param name="backend">The device the parameters live on.</param>
    /// <param name="communicator">The ranks training together (data-parallel); one process when null.</param>
    /// <exception cref="ArgumentException">The options are invalid, the transform's augmentation differs from the
    /// options', a set is empty, the sets disagree in size or classes, or the batch does not divide evenly among the
    /// ranks.</exception>
    public Trainer(ModelFunction model, IImageDataset train, IImageDataset? validation, ImageTransform transform, TrainingOptions options, IBackend backend,
                   ICommunicator? communicator = null)
        : this(model, new ImageExamples(train, transform),
               validation is null ? null : new ImageExamples(validation, transform, (options ?? throw new ArgumentNullException(nameof(options))).TenCropValidation),
               options ?? throw new ArgumentNullException(nameof(options)), backend, communicator)
    {
    }

    /// <summary>Sets up a run on any labelled data set of float examples (<see cref="IDataset"/>); images go through
    /// <see cref="ImageExamples"/> or the constructors that take an <see cref="IImageDataset"/>.</summary>
    /// <param name="model">The network.</param>
    /// <param name="train">The training examples; their <see cref="IDataset.ReadTraining"/> is the augmentation.</param>
    /// <param name="validation">The examples whose error drives the learning-rate schedule (averaged over their
    /// <see cref="IDataset.Views"/>); null for no validation pass (the schedule then watches the training loss, see
    /// <see cref="Run"/>).</param>
    /// <param name="options">The settings. <see cref="TrainingOptions.Augmentation"/> records the image pipeline's
    /// augmentation: it must be the <see cref="ImageExamples"/>' own, and null for other data sets (their augmentation
    /// is their <see cref="IDataset.ReadTraining"/>); likewise <see cref="TrainingOptions.TenCropValidation"/> must say
    /// whether the validation <see cref="ImageExamples"/> use ten crops.</param>
    /// <param name="backend">The device the parameters live on.</param>
    /// <param name="communicator">The ranks training together (data-parallel); one process when null.</param>
    /// <exception cref="ArgumentException">The options are invalid or contradict the data, a set is empty, the sets
    /// disagree in example shape or classes, or the batch does not divide evenly among the ranks.</exception>
    public Trainer(ModelFunction model, IDataset train, IDataset? validation, TrainingOptions options, IBackend backend, ICommunicator? communicator = null)
    {
        ArgumentNullException.ThrowIfNull(model);
        ArgumentNullException.ThrowIfNull(train);
        ArgumentNullException.ThrowIfNull(options);
        ArgumentNullException.ThrowIfNull(backend);
        options.Validate();
        CheckRecordedAugmentation(train, validation, options);
        if (train.Count < options.BatchSize)
            throw new ArgumentException($"The training set has {train.Count} examples, fewer than one batch of {options.BatchSize}.", nameof(train));
        if (validation is { Count: 0 }) throw new ArgumentException("The validation set is empty; pass null for a run without validation.", nameof(validation));
        communicator ??= SingleProcessCommunicator.Instance;
        if (options.BatchSize % communicator.Size != 0)
            throw new ArgumentException($"The batch of {options.BatchSize} examples does not divide among {communicator.Size} ranks; choose a batch size that is a multiple of {communicator.Size} (each rank takes batch / ranks examples of every step).", nameof(options));
        if (validation is not null && validation.Count < communicator.Size)
            throw new ArgumentException($"The validation set has {validation.Count} examples, fewer than the {communicator.Size} ranks that share it.", nameof(validation));
        if (validation is not null && validation.ExampleShape != train.ExampleShape)
            throw new ArgumentException($"The validation examples are {validation.ExampleShape} but the training examples are {train.ExampleShape}.", nameof(validation));
        if (validation is not null && !train.ClassNames.SequenceEqual(validation.ClassNames))
            throw new ArgumentException("The training and validation sets have different classes.", nameof(validation));
        _model = model;
        _train = train;
        _validation = validation;
        _options = options;
        _backend = backend;
        _communicator = communicator;
    }

    /// <summary>The image preprocessing of the run (training views are drawn from it, validation uses its centre or
    /// ten crops; evaluate the trained network with it), or null when the training set is not images through
    /// <see cref="ImageExamples"/>.</summary>
    public ImageTransform? Transform => (_train as ImageExamples)?.Transform;

    /// <summary>Refuses options whose record of the augmentation is not what the data does: a checkpoint stores
    /// <see cref="TrainingOptions.Augmentation"/> and <see cref="TrainingOptions.TenCropValidation"/> as the run's.</summary>
    private static void CheckRecordedAugmentation(IDataset train, IDataset? validation, TrainingOptions options)
    {
        if (train is ImageExamples images)
        {
            if (images.Transform.Options != options.Augmentation)
                throw new ArgumentException($"The transform was built from the augmentation {images.Transform.Options} but the options record {Describe(options.Augmentation)}; "
                                          + "build the transform from options.Augmentation (or use the constructor without a transform), so that what the run records is what it does.",
                                            "transform");
        }
        else if (options.Augmentation is not null)
            throw new ArgumentException($"The options record the image augmentation {options.Augmentation}, but the training set is a {train.GetType().Name}, whose "
                                      + "augmentation is its own ReadTraining; set Augmentation only for images (ImageExamples), so that what the run records is what it does.",
                                        nameof(options));
        if (validation is ImageExamples v && v.Transform.Options != options.Augmentation)
            throw new ArgumentException($"The validation images go through the augmentation {v.Transform.Options} but the options record {Describe(options.Augmentation)}; "
                                      + "render both sets through the run's transform.", nameof(validation));
        bool tenCrop = validation is ImageExamples { TenCrop: true };
        if (validation is not null && tenCrop != options.TenCropValidation)
            throw new ArgumentException(options.TenCropValidation
                ? "The options ask for ten-crop validation but the validation set does not read ten crops; pass new ImageExamples(images, transform, tenCrop: true) or set TenCropValidation false."
                : "The validation images read ten crops but the options do not say so; set TenCropValidation true, so that what the run records is what it does.",
                nameof(validation));
    }

    private static string Describe(AugmentationOptions? augmentation) => augmentation?.ToString() ?? "none";

    /// <summary>The transform the options' augmentation defines for the training images, with statistics measured on
    /// them when the augmentation needs them and none were given.</summary>
    private static ImageTransform TransformFor(IImageDataset train, TrainingOptions options, DatasetStatistics? statistics)
    {
        ArgumentNullException.ThrowIfNull(train);
        ArgumentNullException.ThrowIfNull(options);
        options.Validate();
        var a = options.Augmentation
                ?? throw new ArgumentException("Training on images needs options.Augmentation (e.g. AugmentationOptions.Paper, or AugmentationOptions.None(cropSize) for none).", nameof(options));
        bool needed = a.Mean != MeanSubtraction.None || a.PcaStandardDeviation > 0;
        if (statistics is null && needed) statistics = DatasetStatistics.Compute(train, options.Workers);
        return new ImageTransform(a, train.Channels, train.Height, train.Width, statistics);
    }

    /// <summary>Training steps per epoch (the last partial batch is left out so every step has the same size).</summary>
    public int StepsPerEpoch => _train.Count / _options.BatchSize;

    /// <summary>
    /// Trains from <paramref name="start"/> until the epoch limit, the schedule's end, the time budget or cancellation
    /// (checked between steps; the epoch in progress is then abandoned and the state after the last whole epoch returned).
    /// </summary>
    /// <remarks>With a validation set, the plateau schedule watches the validation top-1 error (the paper). Without one,
    /// no validation pass runs, the epoch records' validation figures are NaN, and the schedule watches the epoch's mean
    /// training loss instead: the rate is divided after <see cref="TrainingOptions.Patience"/> epochs without a new lowest
    /// training loss, and the plateau after the last drop ends the run as it would with validation. For a fixed rate, set
    /// <see cref="TrainingOptions.Patience"/> to at least <see cref="TrainingOptions.Epochs"/>.</remarks>
    /// <param name="start">Where to start: <see cref="TrainingState.Start"/> for a new run, or a saved state.</param>
    /// <param name="observer">Receives the progress (<see cref="ConsoleProgress"/> prints it); none when null.</param>
    /// <param name="cancellation">Stops the run between steps.</param>
    /// <returns>The state after the last completed epoch; its tensors are new and owned by the caller.</returns>
    /// <exception cref="TrainingDivergedException">The loss became NaN or infinite.</exception>
    public TrainingState Run(TrainingState start, ITrainingObserver? observer = null, CancellationToken cancellation = default)
    {
        ArgumentNullException.ThrowIfNull(start);
        if (_communicator.Rank != 0) observer = null;
        var schedule = new PlateauSchedule(_options.LearningRate, _options.Patience, _options.MaxDrops, _options.DropFactor, start.Schedule);
        // Every completed epoch took StepsPerEpoch steps (a failed step throws), so the steps done follow from the epochs.
        using var optimizer = Optimizer.Create(_options, start.Parameters, start.OptimizerState, (long)start.EpochsDone * StepsPerEpoch);
        var history = start.History.ToList();
        int epoch = start.EpochsDone;
        double elapsed = start.ElapsedSeconds;
        bool finished = start.Finished;
        double lastEpochSeconds = history.Count > 0 ? history[^1].EpochSeconds : 0;
        if (_communicator.Size > 1) JoinRanks(optimizer, start, ref elapsed, ref lastEpochSeconds);
        while (!finished && epoch < _options.Epochs && !Agreement.Any(_communicator, cancellation.IsCancellationRequested))
        {
            if (_options.TimeBudget is { } budget && lastEpochSeconds > 0 && elapsed + lastEpochSeconds > budget.TotalSeconds) break;
            var clock = Stopwatch.StartNew();
            var (trainLoss, trainError, imagesPerSecond, completed) = TrainEpoch(optimizer, epoch, start.Key, schedule.LearningRate, observer, cancellation);
            if (!completed) break;
            var validation = Validate(optimizer.Parameters, observer);
            float rate = ScheduledRate(schedule.LearningRate, (long)epoch * StepsPerEpoch);
            // Without a validation set the plateau is one of the training loss (the only measure the run has). The
            // cosine schedule takes no decision: its rate is a function of the step, and its run ends with its epochs.
            var decision = Cosine ? ScheduleDecision.Continue : schedule.Observe(validation?.Top1Error ?? trainLoss);
            finished = decision == ScheduleDecision.Stop;
            epoch++;
            lastEpochSeconds = Agreement.FromRoot(_communicator, clock.Elapsed.TotalSeconds); // every rank decides on rank 0's time
            elapsed += lastEpochSeconds;
            if (decision == ScheduleDecision.Continue && !Cosine && FinalPhaseStarts(epoch, elapsed, lastEpochSeconds, schedule) && schedule.ForceDrop())
                decision = ScheduleDecision.Dropped;
            var record = new EpochRecord(epoch, rate, trainLoss, trainError, validation?.Loss ?? double.NaN, validation?.Top1Error ?? double.NaN,
                                         validation?.Top5Error ?? double.NaN, imagesPerSecond, lastEpochSeconds, elapsed, decision);
            history.Add(record);
            observer?.EpochCompleted(record, new TrainingState(optimizer.Parameters, optimizer.State, epoch, schedule.State, start.Key, history.ToArray(), elapsed, finished));
        }
        // The weights are handed over rather than copied; the optimiser's state is copied (the optimiser releases its own).
        var state = optimizer.State.Map((_, t) => Ops.Copy(t, track: false));
        return new TrainingState(optimizer.TakeParameters(), state, epoch, schedule.State, start.Key, history.ToArray(), elapsed, finished);
    }

    /// <summary>The validation pass after an epoch (split across the ranks), or null when the run has no validation set.</summary>
    private EvaluationResult? Validate(TensorMap parameters, ITrainingObserver? observer)
    {
        if (_validation is null) return null;
        Action<int, int>? progress = observer is null ? null : observer.ValidationProgress;
        return _communicator.Size == 1
            ? Evaluator.Evaluate(_model, parameters, _validation, _options.EvaluationBatchSize, _backend, progress, _options.Workers)
            : DataParallel.Evaluate(_communicator, _model, parameters, _validation, _options.EvaluationBatchSize, _backend, progress, _options.Workers);
    }

    /// <summary>
    /// Checks that every rank was started alike (or throws <see cref="RankMismatchException"/> on every rank), then gives
    /// every rank rank 0's weights, optimiser state and clock.
    /// </summary>
    private void JoinRanks(Optimizer optimizer, TrainingState start, ref double elapsed, ref double lastEpochSeconds)
    {
        Agreement.RequireSame(_communicator, DataParallel.Fingerprint(optimizer.Parameters, _train, _validation, _options, start),
                              "network, options, data or starting epoch");
        foreach (var (_, t) in optimizer.Parameters) _communicator.Broadcast(t, 0);
        foreach (var (_, t) in optimizer.State) _communicator.Broadcast(t, 0);
        elapsed = Agreement.FromRoot(_communicator, elapsed);
        lastEpochSeconds = Agreement.FromRoot(_communicator, lastEpochSeconds);
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
        Optimizer optimizer, int epoch, RandomKey root, float learningRate, ITrainingObserver? observer, CancellationToken cancellation)
    {
        int batchSize = _options.BatchSize, rank = _communicator.Rank, ranks = _communicator.Size;
        var order = EpochPlan.Permutation(_train.Count, RandomKeys.Order(root, epoch));
        var batches = EpochPlan.Batches(order, batchSize, dropLast: true);
        var augmentationKey = RandomKeys.Augmentation(root, epoch);
        observer?.EpochStarted(epoch + 1, batches.Length, ScheduledRate(learningRate, (long)epoch * batches.Length));
        using var prefetch = new Prefetcher<Batch>(batches.Length,
            b => BatchBuilder.Training(_train, DataParallel.Slice(batches[b], rank, ranks), b, batchSize, augmentationKey,
                                       DataParallel.Share(batchSize, rank, ranks).Start),
            _options.PrefetchDepth, _options.Workers);
        double lossSum = 0;
        long correct = 0, seen = 0;
        var clock = Stopwatch.StartNew();
        for (int b = 0; b < batches.Length; b++)
        {
            if (Agreement.Any(_communicator, cancellation.IsCancellationRequested)) return (0, 0, 0, false);
            var batch = prefetch.Take();
            var dropoutKey = ranks == 1 ? RandomKeys.Dropout(root, epoch, b) : RandomKeys.Dropout(root, epoch, b).Fold((ulong)rank);
            long step = (long)epoch * batches.Length + b;
            float rate = WarmedUp(ScheduledRate(learningRate, step), step);
            var (loss, hits) = Step(optimizer, batch, dropoutKey, rate);
            if (!float.IsFinite(loss)) throw new TrainingDivergedException(epoch + 1, b + 1, loss, rate);
            lossSum += loss;
            correct += hits;
            seen += batch.Count * ranks;
            double speed = seen / clock.Elapsed.TotalSeconds;
            observer?.BatchCompleted(new BatchProgress(epoch + 1, b + 1, batches.Length, lossSum / (b + 1), (double)correct / seen, speed,
                                                       TimeSpan.FromSeconds((batches.Length - b - 1) * batchSize / speed), rate));
        }
        return (lossSum / batches.Length, 1 - (double)correct / seen, seen / clock.Elapsed.TotalSeconds, true);
    }

    private bool Cosine => _options.Schedule == LearningRateSchedule.Cosine;

    /// <summary>The schedule's rate at the run's step <paramref name="step"/> (0-based, over all epochs), before the
    /// warm-up: the plateau schedule's current rate, or that rate on the cosine curve over the run's
    /// <see cref="TrainingOptions.Epochs"/>.</summary>
    private float ScheduledRate(float rate, long step)
    {
        if (!Cosine) return rate;
        long total = (long)_options.Epochs * StepsPerEpoch;
        return (float)(rate * 0.5 * (1 + Math.Cos(Math.PI * Math.Min(step, total) / total)));
    }

    /// <summary>The rate of the run's step <paramref name="step"/> (0-based, over all epochs): the schedule's rate, scaled
    /// by the linear warm-up while it lasts (<see cref="TrainingOptions.WarmupSteps"/>). A pure function of the step, so a
    /// resumed run uses the same rates as an uninterrupted one.</summary>
    private float WarmedUp(float scheduled, long step) =>
        step < _options.WarmupSteps ? scheduled * (float)((step + 1.0) / _options.WarmupSteps) : scheduled;

    /// <summary>One optimiser step on one batch (this rank's share of it); returns the loss and the number of correct top-1
    /// predictions over the whole batch. The step is not applied when the loss is not finite.</summary>
    private (float Loss, int Correct) Step(Optimizer optimizer, Batch batch, RandomKey dropoutKey, float learningRate)
    {
        using var x = Tensor.FromArray(batch.Examples, batch.Shape, _backend);
        using var y = Tensor.FromArray(Array.ConvertAll(batch.Labels, l => (float)l), new Shape(batch.Count), _backend);
        var (value, correct, gradients) = Autodiff.ValueAndGrad(p =>
        {
            var logits = _model(p, x, true, dropoutKey);
            return (Ops.SoftmaxCrossEntropy(logits, y, _options.LabelSmoothing), CountCorrect(logits, batch.Labels));
        }, optimizer.Parameters);
        float loss;
        using (value) loss = value.Item();
        if (_communicator.Size > 1)
        {
            Span<double> sums = [loss, correct];
            _communicator.AllReduceSum(sums);
            (loss, correct) = ((float)(sums[0] / _communicator.Size), (int)sums[1]);
            if (float.IsFinite(loss))
            {
                var mean = GradientAverager.Average(_communicator, gradients);
                gradients.DisposeAll();
                gradients = mean;
            }
        }
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
