using System.CommandLine;
using System.Diagnostics;
using AlexNet.Autograd;
using AlexNet.Autograd.Cpu;
using AlexNet.Autograd.Kernels;
using AlexNet.Distributed;
using AlexNet.Facade;
using AlexNet.Layers;
using AlexNet.Train.Reporting;

namespace AlexNet.Train.Cli;

/// <summary><c>alexnet train</c>: trains with the paper's recipe, prints progress, keeps checkpoints, logs and plots
/// in the output folder, and ends with the test accuracy.</summary>
/// <remarks>Every option is checked while parsing; the output folder before the data is read; the data against the
/// batch size before anything is computed. <c>--resume</c> restores every setting that defines the run from the
/// checkpoint (<see cref="ResumeSettings"/>).</remarks>
internal static class TrainCommand
{
    /// <summary>Builds the command.</summary>
    public static Command Create()
    {
        var o = new TrainOptions();
        var command = new Command("train", "Train AlexNet with the paper's recipe (SGD momentum 0.9, weight decay 5e-4, lr 0.01 ÷ 10 on plateaus, crops, flips, PCA colour)");
        foreach (var option in o.All) command.Options.Add(option);
        command.SetAction(parse => Execute(parse, o));
        return command;
    }

    private static int Execute(ParseResult parse, TrainOptions o)
    {
        var output = parse.InvocationConfiguration.Output;
        var error = parse.InvocationConfiguration.Error;
        bool resume = parse.GetValue(o.Resume);
        string dataGiven = parse.GetValue(o.Data)!;
        var folder = parse.GetValue(o.Output) ?? Path.Combine("runs", Path.GetFileName(Path.TrimEndingDirectorySeparator(dataGiven)));
        if (!resume) ModelPresets.CheckTowers(parse.GetValue(o.Preset) ?? DataSources.DefaultPresetOf(dataGiven), parse.GetValue(o.Towers));
        if (!resume && dataGiven != DataSources.FashionMnistName && !Directory.Exists(dataGiven))
            throw new CliException($"--data '{dataGiven}' is neither '{DataSources.FashionMnistName}' nor an existing folder.", 2);

        var last = RunRecorder.LastCheckpoint(folder);
        if (resume && !Directory.Exists(folder)) throw new CliException($"Nothing to resume: the run folder '{folder}' does not exist.");
        if (!resume && File.Exists(last))
            throw new CliException($"'{folder}' already holds a run; continue it with --resume or choose another --output.");
        // Rank 0 of an MPI job writes the outputs; it alone checks, locks and cleans the folder.
        int removed = 0;
        using var folderLock = MpiLaunch.WorldRank == 0 ? RunFolder.Prepare(folder, out removed) : null;
        if (resume && !File.Exists(last))
            throw new CliException($"Nothing to resume: '{last}' does not exist (the run stopped before its first epoch ended, or --output names another folder).");
        if (removed > 0) output.WriteLine($"removed {Plural(removed, "temporary file", "temporary files")} that an interrupted run left in {folder}");

        using var backend = Devices.Open(JobRanks.Device(parse.GetValue(o.Device)!), parse.GetValue(o.Threads));
        int threads = parse.GetValue(o.Threads);
        TrainingRun? saved = null;
        try
        {
            RunSettings settings;
            TrainingOptions? options = null;
            if (resume)
            {
                saved = TrainingCheckpoint.Load(last, backend);
                (settings, options) = ResumeSettings.Restore(parse, o, saved, last, output);
            }
            else
            {
                settings = new RunSettings(RunSettings.Normalise(dataGiven), Path.GetFullPath(parse.GetValue(o.FashionDirectory)!), parse.GetValue(o.Limit),
                                           parse.GetValue(o.Validation), parse.GetValue(o.Preset) ?? "", parse.GetValue(o.Towers),
                                           parse.GetValue(o.RawPixels), parse.GetValue(o.TenCropTest));
            }

            var set = DataSources.Open(settings.Data, settings.FashionDirectory, settings.Validation, resume ? saved!.Options.Seed : parse.GetValue(o.Seed), threads, error);
            set = DataSources.Limit(set, settings.Limit);
            if (options is null)
            {
                settings = settings with { Preset = settings.Preset.Length > 0 ? settings.Preset : set.DefaultPreset };
                options = NewOptions(parse, o, set, settings.Preset);
            }
            if (saved is not null && (!saved.ClassNames.SequenceEqual(set.Train.ClassNames) || saved.Statistics.Channels != set.Train.Channels
                                      || saved.Statistics.Height != set.Train.Height || saved.Statistics.Width != set.Train.Width
                                      || saved.Statistics.ImageCount != set.Train.Count))
                throw new CliException($"The run in '{folder}' was trained on other data: {saved.Statistics.ImageCount} training images of {saved.ClassNames.Count} classes, "
                                     + $"{saved.Statistics.Channels}×{saved.Statistics.Height}×{saved.Statistics.Width}, but '{settings.Data}' gives {set.Train.Count} of "
                                     + $"{set.Train.ClassNames.Count} classes, {set.Train.Channels}×{set.Train.Height}×{set.Train.Width}.");
            if (options.BatchSize > set.Train.Count)
                throw new CliException($"--batch-size {options.BatchSize} is larger than the {set.Train.Count} training images; use at most {set.Train.Count}.", 2);
            try
            {
                options.ImageAugmentation().Validate(set.Train.Height, set.Train.Width);
            }
            catch (ArgumentException e)
            {
                throw new CliException($"{CliApp.Message(e)} (see --padding and the preset's crop)", 2);
            }
            using var communicator = JobRanks.Join(backend, error);
            var rankOutput = communicator.Rank == 0 ? output : TextWriter.Null;
            return JobRanks.Run(communicator, error, () =>
                Train(set, settings, options, saved, threads, folder, backend, communicator, rankOutput));
        }
        finally
        {
            if (saved is not null)
            {
                saved.State.Dispose();
            }
        }
    }

    /// <summary>The options of a new run, from the command line and the data's defaults.</summary>
    private static TrainingOptions NewOptions(ParseResult parse, TrainOptions o, DataSet set, string presetName)
    {
        var augmentation = set.DefaultAugmentation with
        {
            Padding = parse.GetValue(o.Padding) ?? set.DefaultAugmentation.Padding,
            HorizontalFlip = !parse.GetValue(o.NoFlip),
            RandomCrop = !parse.GetValue(o.NoCrop),
            MaxRotationDegrees = parse.GetValue(o.Rotate),
            PcaStandardDeviation = parse.GetValue(o.Pca) ?? (set.Train.Channels == 3 ? 0.1f : 0f),
            Mean = TrainOptions.MeanOf(parse.GetValue(o.Mean)!),
        };
        int workers = TrainOptions.BatchWorkers(parse.GetValue(o.Workers), parse.GetValue(o.Device)!);
        double minutes = parse.GetValue(o.Minutes);
        var options = new TrainingOptions
        {
            Augmentation = augmentation,
            Epochs = parse.GetValue(o.Epochs),
            TimeBudget = minutes > 0 ? TimeSpan.FromMinutes(minutes) : null,
            BatchSize = parse.GetValue(o.BatchSize),
            LearningRate = parse.GetValue(o.LearningRate) ?? ModelPresets.LearningRate(presetName),
            Optimizer = TrainOptions.OptimizerOf(parse.GetValue(o.Optimizer)!),
            Schedule = TrainOptions.ScheduleOf(parse.GetValue(o.Schedule)!),
            LabelSmoothing = parse.GetValue(o.LabelSmoothing),
            Momentum = parse.GetValue(o.Momentum),
            WeightDecay = parse.GetValue(o.WeightDecay),
            Patience = parse.GetValue(o.Patience) ?? ModelPresets.Patience(presetName),
            FinalDropEpochs = parse.GetValue(o.FinalDrop),
            MaxDrops = parse.GetValue(o.MaxDrops),
            Seed = parse.GetValue(o.Seed),
            TenCropValidation = parse.GetValue(o.TenCropValidation),
            Workers = workers,
            PrefetchDepth = Math.Max(4, workers + 2),
        };
        options.Validate();
        return options;
    }

    private static string Plural(int count, string one, string many) => $"{count} {(count == 1 ? one : many)}";

    private static int Train(DataSet set, RunSettings settings, TrainingOptions options, TrainingRun? saved, int threads, string folder,
                             IBackend backend, ICommunicator communicator, TextWriter output)
    {
        Network network;
        TrainingState state;
        DatasetStatistics statistics;
        if (saved is not null)
        {
            (network, state, statistics) = (saved.Network, saved.State, saved.Statistics);
            if (saved.Options.Ranks != communicator.Size)
                output.WriteLine($"note: this run trained on {Plural(saved.Options.Ranks, "process", "processes")} and resumes on {communicator.Size}: the global batch stays {options.BatchSize}, so each step computes the same update, but the dropout masks (drawn per process) differ from those of an uninterrupted run");
            options = options with { Ranks = communicator.Size };
            output.WriteLine($"resuming {folder} after epoch {state.EpochsDone} (learning rate {Format.General(state.Schedule.LearningRate)}, {Format.Seconds(state.ElapsedSeconds)} spent)");
        }
        else
        {
            int crop = options.ImageAugmentation().CropSize;
            network = ModelPresets.Create(settings.Preset, new Shape(set.Train.Channels, crop, crop), set.Train.ClassNames.Count, settings.Towers);
            var clock = Stopwatch.StartNew();
            statistics = DatasetStatistics.Compute(set.Train, threads);
            // The fashion and cifar presets' He initialisation expects unit-variance inputs: divide by the pixel standard deviation.
            double pixelStd = 255 * Math.Sqrt(Enumerable.Range(0, statistics.Channels).Average(c => statistics.Covariance[c, c]));
            options = (ModelPresets.ExpectsUnitVariance(settings.Preset) && !settings.RawPixels && pixelStd > 0
                ? options with { Augmentation = options.ImageAugmentation() with { Scale = (float)(1 / pixelStd) } }
                : options) with { Ranks = communicator.Size };
            output.WriteLine($"training-set statistics: mean pixel [{string.Join(", ", statistics.MeanPixel.Select(v => Format.General(v)))}] from {statistics.ImageCount} images in {clock.Elapsed.TotalSeconds:F1} s");
            var root = RandomKeys.Root(options.Seed);
            state = TrainingState.Start(network.Init(RandomKeys.Initialisation(root), backend), options);
        }

        var transform = new ImageTransform(options.ImageAugmentation(), set.Train.Channels, set.Train.Height, set.Train.Width, statistics);
        var model = NetworkModel.Of(network);
        var trainer = new Trainer(model, set.Train, set.Validation, transform, options, backend, communicator);
        PrintHeader(output, set, network, options, backend, folder, trainer.StepsPerEpoch);
        if (communicator.Size > 1)
            output.WriteLine($"data-parallel: {communicator.Size} ranks through {communicator.Description}, {options.BatchSize / communicator.Size} of each batch's {options.BatchSize} images per rank; rank 0 writes the outputs");

        var runClock = Stopwatch.StartNew();
        double startElapsed = state.ElapsedSeconds;
        double? lastEpochSeconds = state.History.Count > 0 ? state.History[^1].EpochSeconds : null;
        int epochsDone = state.EpochsDone;
        double epochEndedAt = 0;
        TimeSpan? RunRemaining()
        {
            double now = runClock.Elapsed.TotalSeconds;
            double? byBudget = options.TimeBudget is { } b ? b.TotalSeconds - (startElapsed + now) : null;
            double? byEpochs = lastEpochSeconds is { } e ? (options.Epochs - epochsDone) * e - (now - epochEndedAt) : null;
            double? left = byBudget is { } x && byEpochs is { } y ? Math.Min(x, y) : byBudget ?? byEpochs;
            return left is { } l ? TimeSpan.FromSeconds(Math.Max(0, l)) : null;
        }
        ITrainingObserver progress = TerminalProgress.AvailableFor(output)
            ? new TerminalProgress(options.Epochs, RunRemaining, output)
            : new PlainProgress(options.Epochs, RunRemaining, TimeSpan.FromSeconds(15), output);
        var recorder = new RunRecorder(folder, network, options, statistics, set.Train.ClassNames, settings.ToMetadata(), new EpochTracker(progress, r =>
        {
            lastEpochSeconds = r.EpochSeconds;
            epochsDone = r.Epoch;
            epochEndedAt = runClock.Elapsed.TotalSeconds;
        }));

        using var cancel = new CancellationTokenSource();
        ConsoleCancelEventHandler onCancel = (_, e) =>
        {
            e.Cancel = true;
            cancel.Cancel();
        };
        Console.CancelKeyPress += onCancel;
        TrainingState end;
        var last = RunRecorder.LastCheckpoint(folder);
        try
        {
            end = trainer.Run(state, recorder, cancel.Token);
        }
        catch (TrainingDivergedException e)
        {
            (progress as IDisposable)?.Dispose();
            var good = File.Exists(last) ? $" The last good checkpoint is '{last}'." : "";
            throw new CliException(e.Message + good);
        }
        finally
        {
            Console.CancelKeyPress -= onCancel;
            (progress as IDisposable)?.Dispose();
        }
        if (saved is null)
        {
            state.Dispose();
        }

        string again = $"alexnet train --resume --output {ShellWord(folder)}";
        if (cancel.IsCancellationRequested)
        {
            output.WriteLine($"interrupted after epoch {end.EpochsDone}; continue with: {again}");
            end.Dispose();
            return 130;
        }
        if (end.Finished) output.WriteLine("the learning-rate schedule ended the run");
        else if (end.EpochsDone >= options.Epochs) output.WriteLine($"reached {Plural(options.Epochs, "epoch", "epochs")}; to train longer: {again} --epochs {2 * options.Epochs}");
        else output.WriteLine($"time budget reached; to train longer: {again} --minutes {Format.General(2 * options.TimeBudget!.Value.TotalMinutes)}");
        if (end.History.Count > 0)
        {
            // The first epoch with the lowest error: the one best.ckpt holds (a later tie does not replace it).
            var best = end.History.MinBy(h => h.ValidationTop1Error)!;
            output.WriteLine($"best validation top-1 error {Format.Percent(best.ValidationTop1Error)} at epoch {best.Epoch} (best.ckpt); {Format.Seconds(end.ElapsedSeconds)} of training");
        }
        if (set.Test is { } test && communicator.Rank == 0)
        {
            var clock = Stopwatch.StartNew();
            var result = Evaluator.Evaluate(model, end.Parameters, test, transform, false, options.EvaluationBatchSize, backend, workers: options.Workers);
            output.WriteLine($"test accuracy {result.Accuracy:F4} (top-5 {1 - result.Top5Error:F4}, loss {Format.Number(result.Loss)}, centre crop, {result.Count} images, {clock.Elapsed.TotalSeconds:F0} s)");
            if (settings.TenCropTest)
            {
                var ten = Evaluator.Evaluate(model, end.Parameters, test, transform, true, Math.Max(1, options.EvaluationBatchSize / 10), backend, workers: options.Workers);
                output.WriteLine($"test accuracy {ten.Accuracy:F4} (top-5 {1 - ten.Top5Error:F4}, loss {Format.Number(ten.Loss)}, ten crops)");
            }
        }
        output.WriteLine($"outputs in {folder}: {string.Join(", ", RunFolder.Outputs)}");
        end.Dispose();
        return 0;
    }

    /// <summary>A path as one shell word (quoted when it holds anything but plain characters).</summary>
    private static string ShellWord(string text) =>
        text.Length > 0 && text.All(c => char.IsAsciiLetterOrDigit(c) || c is '/' or '.' or '_' or '-' or '+' or ':' or ',') ? text : $"'{text.Replace("'", "'\\''", StringComparison.Ordinal)}'";

    private static void PrintHeader(TextWriter output, DataSet set, Network network, TrainingOptions o, IBackend backend, string folder, int steps)
    {
        string device = backend is CpuBackend cpu ? $"cpu ({cpu.Threads} threads)" : backend.Name;
        output.WriteLine($"data: {set.Name}: {set.Train.Count} training, {set.Validation.Count} validation{(set.Test is null ? "" : $", {set.Test.Count} test")} images of {set.Train.Channels}×{set.Train.Height}×{set.Train.Width}, {Plural(set.Train.ClassNames.Count, "class", "classes")}{(set.Note is null ? "" : $" ({set.Note})")}");
        output.WriteLine($"network: {network}");
        var a = o.ImageAugmentation();
        bool shifts = a.RandomCrop && (a.CropSize < set.Train.Height || a.Padding > 0);
        string mean = a.Mean switch { MeanSubtraction.MeanImage => "mean image subtracted", MeanSubtraction.MeanPixel => "mean pixel subtracted", _ => "no mean subtracted" };
        output.WriteLine($"input: {a.CropSize}×{a.CropSize} {(shifts ? "random" : "centre")} crop of the {set.Train.Height}×{set.Train.Width} image{(a.Padding > 0 ? $" padded by {a.Padding}" : "")}, {mean}, scale {Format.General(a.Scale)}");
        output.WriteLine($"augmentation: random crops {(shifts ? "on" : "off")}, flip {(a.HorizontalFlip ? "on" : "off")}, rotation {(a.MaxRotationDegrees > 0 ? $"±{a.MaxRotationDegrees}°" : "off")}, PCA colour {(a.PcaStandardDeviation > 0 ? $"α~N(0, {a.PcaStandardDeviation})" : "off")}");
        string optimiser = o.Optimizer switch
        {
            OptimizerKind.SgdMomentum => $"SGD batch {o.BatchSize}, momentum {o.Momentum}, weight decay {o.WeightDecay}",
            var adam => $"{adam} batch {o.BatchSize}, β₁ {o.Beta1}, β₂ {o.Beta2}, ε {o.Epsilon}, {(adam == OptimizerKind.AdamW ? "decoupled " : "")}weight decay {o.WeightDecay}",
        };
        string schedule = o.Schedule == LearningRateSchedule.Cosine
            ? $"lr {o.LearningRate} on a cosine to 0 over {Plural(o.Epochs, "epoch", "epochs")}"
            : $"lr {o.LearningRate} ÷ {o.DropFactor} after {Plural(o.Patience, "epoch", "epochs")} without improvement (at most {Plural(o.MaxDrops, "drop", "drops")}{(o.TimeBudget is not null && o.FinalDropEpochs > 0 ? $"; once when only {Plural(o.FinalDropEpochs, "epoch fits", "epochs fit")} the budget" : "")})";
        output.WriteLine($"optimiser: {optimiser}, {schedule}, {Plural(steps, "step", "steps")} per epoch{(o.LabelSmoothing > 0 ? $"; label smoothing {o.LabelSmoothing}" : "")}");
        output.WriteLine($"limits: {Plural(o.Epochs, "epoch", "epochs")}{(o.TimeBudget is { } t ? $", {Format.General(t.TotalMinutes)} minutes" : "")}; seed {o.Seed}; device {device}; output {folder}");
    }
}
