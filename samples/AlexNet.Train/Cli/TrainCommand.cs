using System.CommandLine;
using System.Diagnostics;
using AlexNet.Autograd;
using AlexNet.Autograd.Cpu;
using AlexNet.Autograd.Kernels;
using AlexNet.Distributed;
using AlexNet.Facade.Augmentation;
using AlexNet.Facade.Data;
using AlexNet.Facade.Training;
using AlexNet.Layers;
using AlexNet.Train.Reporting;

namespace AlexNet.Train.Cli;

/// <summary><c>alexnet train</c>: trains with the paper's recipe, prints progress, keeps checkpoints, logs and plots
/// in the output folder, and ends with the test accuracy.</summary>
internal static class TrainCommand
{
    /// <summary>Builds the command.</summary>
    public static Command Create()
    {
        var data = SharedOptions.Data();
        var fashionDir = SharedOptions.FashionDirectory();
        var device = SharedOptions.Device();
        var threads = SharedOptions.Threads();
        var batch = SharedOptions.BatchSize(128);
        var preset = new Option<string?>("--preset", "-p") { Description = $"Network: {string.Join(", ", ModelPresets.Names)} (default: fashion for Fashion-MNIST, cifar for small colour images such as CIFAR-10, alexnet for other folders)" };
        var towers = SharedOptions.Towers();
        var epochs = new Option<int>("--epochs", "-e") { Description = "Most epochs", DefaultValueFactory = _ => 100 };
        var minutes = new Option<double>("--minutes", "-m") { Description = "Time budget in minutes for training and validation (0: none); no epoch starts that would end after it", DefaultValueFactory = _ => 10 };
        var lr = new Option<float?>("--lr") { Description = "Initial learning rate (default: the paper's 0.01; 0.02 for the cifar preset)" };
        var momentum = new Option<float>("--momentum") { Description = "Momentum", DefaultValueFactory = _ => 0.9f };
        var decay = new Option<float>("--weight-decay") { Description = "Weight decay", DefaultValueFactory = _ => 5e-4f };
        var patience = new Option<int?>("--patience") { Description = "Epochs without a new best validation error before the learning rate is divided by 10 (default 2; 3 for the cifar preset)" };
        var finalDrop = new Option<int>("--final-drop-epochs") { Description = "With a time budget: divide the learning rate once when only this many epochs fit and no plateau has dropped it yet (0: off)", DefaultValueFactory = _ => 2 };
        var raw = new Option<bool>("--raw-pixels") { Description = "Feed pixel values minus the mean unscaled, as the paper (default for the alexnet presets); otherwise the fashion preset scales them to unit variance" };
        var drops = new Option<int>("--max-drops") { Description = "Most learning-rate drops; the plateau after the last ends training", DefaultValueFactory = _ => 3 };
        var seed = new Option<long>("--seed", "-s") { Description = "Seed of every random choice (initialisation, order, augmentation, dropout)", DefaultValueFactory = _ => 1 };
        var output = new Option<string?>("--output", "-o") { Description = "Run folder (default: runs/<data set>)" };
        var resume = new Option<bool>("--resume") { Description = "Continue the run in the output folder exactly where it stopped (its saved settings are used; --epochs and --minutes may be changed)" };
        var validation = new Option<int>("--validation") { Description = "Training images held out for validation when there is no val/ folder (0: validate on the test set)", DefaultValueFactory = _ => 5000 };
        var workers = new Option<int>("--workers") { Description = "Threads preparing batches in the background (0: one on the CPU, whose cores run the kernels; all cores but one with a CUDA device)", DefaultValueFactory = _ => 0 };
        var padding = new Option<int?>("--padding") { Description = "Pixels of padding for random pad-and-crop shifts of small images (default 0: none; folders crop 227 of 256 without padding)" };
        var noFlip = new Option<bool>("--no-flip") { Description = "Turn off horizontal reflections" };
        var noCrop = new Option<bool>("--no-random-crop") { Description = "Turn off random crops (centre crop)" };
        var rotate = new Option<float>("--rotate") { Description = "Random rotation up to ± this many degrees (0: off, as the paper)", DefaultValueFactory = _ => 0f };
        var pca = new Option<float?>("--pca") { Description = "Std of the PCA colour coefficients (default: 0.1 for RGB as the paper, 0 for grey)" };
        var mean = new Option<string>("--mean") { Description = "Subtract the training set's mean image, mean pixel, or none", DefaultValueFactory = _ => "image" };
        mean.AcceptOnlyFromAmong("image", "pixel", "none");
        var tenCropValidation = new Option<bool>("--ten-crop-validation") { Description = "Validate with the ten crops (slower)" };
        var tenCropTest = new Option<bool>("--ten-crop-test") { Description = "Also report the ten-crop test accuracy at the end" };
        var limit = new Option<int>("--limit") { Description = "Train on only the first N training images (0: all), for quick tries", DefaultValueFactory = _ => 0 };

        var command = new Command("train", "Train AlexNet with the paper's recipe (SGD momentum 0.9, weight decay 5e-4, lr 0.01 ÷ 10 on plateaus, crops, flips, PCA colour)")
        {
            data, fashionDir, preset, towers, epochs, minutes, batch, lr, momentum, decay, patience, finalDrop, raw, drops, seed, device, threads,
            output, resume, validation, workers, padding, noFlip, noCrop, rotate, pca, mean, tenCropValidation, tenCropTest, limit,
        };
        command.SetAction(parse =>
        {
            bool Given(Option o) => parse.GetResult(o) is { Implicit: false };
            var dataName = parse.GetValue(data)!;
            var set = DataSources.Open(dataName, parse.GetValue(fashionDir)!, parse.GetValue(validation), parse.GetValue(seed), parse.GetValue(threads));
            set = DataSources.Limit(set, parse.GetValue(limit));
            var presetName = parse.GetValue(preset) ?? set.DefaultPreset;
            var augmentation = set.DefaultAugmentation with
            {
                Padding = parse.GetValue(padding) ?? set.DefaultAugmentation.Padding,
                HorizontalFlip = !parse.GetValue(noFlip),
                RandomCrop = !parse.GetValue(noCrop),
                MaxRotationDegrees = parse.GetValue(rotate),
                PcaStandardDeviation = parse.GetValue(pca) ?? (set.Train.Channels == 3 ? 0.1f : 0f),
                Mean = parse.GetValue(mean) switch { "pixel" => MeanSubtraction.MeanPixel, "none" => MeanSubtraction.None, _ => MeanSubtraction.MeanImage },
            };
            int batchWorkers = BatchWorkers(parse.GetValue(workers), parse.GetValue(device)!);
            double budget = parse.GetValue(minutes);
            if (!double.IsFinite(budget) || budget < 0 || budget > TimeSpan.MaxValue.TotalMinutes / 2)
                throw new CliException($"--minutes must be a finite number ≥ 0 (0: no budget), got {budget}.", 2);
            var options = new TrainingOptions
            {
                Augmentation = augmentation,
                Epochs = parse.GetValue(epochs),
                TimeBudget = budget > 0 ? TimeSpan.FromMinutes(budget) : null,
                BatchSize = parse.GetValue(batch),
                LearningRate = parse.GetValue(lr) ?? ModelPresets.LearningRate(presetName),
                Momentum = parse.GetValue(momentum),
                WeightDecay = parse.GetValue(decay),
                Patience = parse.GetValue(patience) ?? ModelPresets.Patience(presetName),
                FinalDropEpochs = parse.GetValue(finalDrop),
                MaxDrops = parse.GetValue(drops),
                Seed = parse.GetValue(seed),
                TenCropValidation = parse.GetValue(tenCropValidation),
                Workers = batchWorkers,
                PrefetchDepth = Math.Max(4, batchWorkers + 2),
            };
            var folder = parse.GetValue(output) ?? Path.Combine("runs", Path.GetFileName(Path.TrimEndingDirectorySeparator(dataName)));
            return Run(set, options, presetName, parse.GetValue(towers), parse.GetValue(device)!,
                       parse.GetValue(threads), folder, parse.GetValue(resume), Given(epochs), Given(minutes), parse.GetValue(tenCropTest), parse.GetValue(raw));
        });
        return command;
    }

    /// <summary>The batch-preparing threads: as given, or by default one on the CPU (its cores run the kernels) and all
    /// cores but one when a GPU trains, so the input path keeps up with it.</summary>
    private static int BatchWorkers(int given, string device)
    {
        if (given < 0) throw new CliException($"--workers must be ≥ 0, got {given}.", 2);
        if (given > 0) return given;
        return device.StartsWith("cuda", StringComparison.OrdinalIgnoreCase) ? Math.Max(1, Environment.ProcessorCount - 1) : 1;
    }

    private static string Plural(int count, string one, string many) => $"{count} {(count == 1 ? one : many)}";

    private static int Run(DataSet set, TrainingOptions requested, string presetName, int towers, string deviceName, int threads,
                           string folder, bool resume, bool epochsGiven, bool minutesGiven, bool tenCropTest, bool rawPixels)
    {
        try
        {
            requested.Validate();
            requested.Augmentation.Validate(set.Train.Height, set.Train.Width);
        }
        catch (ArgumentException e)
        {
            throw new CliException(e.Message, 2);
        }
        using var backend = Devices.Open(JobRanks.Device(deviceName), threads);
        using var communicator = JobRanks.Join(backend);
        return JobRanks.Run(communicator, () => Train(set, requested, presetName, towers, threads, folder, resume, epochsGiven, minutesGiven,
                                                      tenCropTest, rawPixels, backend, communicator));
    }

    private static int Train(DataSet set, TrainingOptions requested, string presetName, int towers, int threads, string folder, bool resume,
                             bool epochsGiven, bool minutesGiven, bool tenCropTest, bool rawPixels, IBackend backend, ICommunicator communicator)
    {
        Network network;
        TrainingState state;
        TrainingOptions options;
        DatasetStatistics statistics;
        var last = RunRecorder.LastCheckpoint(folder);
        if (resume)
        {
            if (!File.Exists(last)) throw new CliException($"Nothing to resume: '{last}' does not exist.");
            var run = TrainingCheckpoint.Load(last, backend);
            options = run.Options with
            {
                Epochs = epochsGiven ? requested.Epochs : run.Options.Epochs,
                TimeBudget = minutesGiven ? requested.TimeBudget : run.Options.TimeBudget,
            };
            if (!run.ClassNames.SequenceEqual(set.Train.ClassNames) || run.Statistics.Channels != set.Train.Channels
                || run.Statistics.Height != set.Train.Height || run.Statistics.Width != set.Train.Width)
                throw new CliException($"The run in '{folder}' was trained on other data (classes or image size differ).");
            (network, state, statistics) = (run.Network, run.State, run.Statistics);
            if (run.Options.Ranks != communicator.Size && communicator.Rank == 0)
                Console.WriteLine($"note: this run trained on {Plural(run.Options.Ranks, "process", "processes")} and resumes on {communicator.Size}: the global batch stays {options.BatchSize}, so each step computes the same update, but the dropout masks (drawn per process) differ from those of an uninterrupted run");
            options = options with { Ranks = communicator.Size };
            Console.WriteLine($"resuming {folder} after epoch {state.EpochsDone} (learning rate {Format.General(state.Schedule.LearningRate)}, {Format.Seconds(state.ElapsedSeconds)} spent)");
            if (state.Finished) Console.WriteLine("the learning-rate schedule had already ended this run");
        }
        else
        {
            if (File.Exists(last))
                throw new CliException($"'{folder}' already holds a run; continue it with --resume or choose another --output.");
            var clock = Stopwatch.StartNew();
            statistics = DatasetStatistics.Compute(set.Train, threads);
            // The fashion preset's He initialisation expects unit-variance inputs: divide by the pixel standard deviation.
            double pixelStd = 255 * Math.Sqrt(Enumerable.Range(0, statistics.Channels).Average(c => statistics.Covariance[c, c]));
            options = (ModelPresets.ExpectsUnitVariance(presetName) && !rawPixels && pixelStd > 0
                ? requested with { Augmentation = requested.Augmentation with { Scale = (float)(1 / pixelStd) } }
                : requested) with { Ranks = communicator.Size };
            Console.WriteLine($"training-set statistics: mean pixel [{string.Join(", ", statistics.MeanPixel.Select(v => Format.General(v)))}] from {statistics.ImageCount} images in {clock.Elapsed.TotalSeconds:F1} s");
            int crop = options.Augmentation.CropSize;
            network = ModelPresets.Create(presetName, new Shape(set.Train.Channels, crop, crop), set.Train.ClassNames.Count, towers);
            var root = RandomKeys.Root(options.Seed);
            state = TrainingState.Start(network.Init(RandomKeys.Initialisation(root), backend), options);
        }
        Directory.CreateDirectory(folder);

        var transform = new ImageTransform(options.Augmentation, set.Train.Channels, set.Train.Height, set.Train.Width, statistics);
        var model = NetworkModel.Of(network);
        var trainer = new Trainer(model, set.Train, set.Validation, transform, options, backend, communicator);
        PrintHeader(set, network, options, backend, folder, trainer.StepsPerEpoch);
        if (communicator.Size > 1)
            Console.WriteLine($"data-parallel: {communicator.Size} ranks through {communicator.Description}, {options.BatchSize / communicator.Size} of each batch's {options.BatchSize} images per rank; rank 0 writes the outputs");

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
        ITrainingObserver progress = TerminalProgress.Available
            ? new TerminalProgress(options.Epochs, RunRemaining)
            : new PlainProgress(options.Epochs, RunRemaining, TimeSpan.FromSeconds(15));
        var recorder = new RunRecorder(folder, network, options, statistics, set.Train.ClassNames, new EpochTracker(progress, r =>
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
        state.Parameters.DisposeAll();
        state.Velocity.DisposeAll();

        if (cancel.IsCancellationRequested)
        {
            Console.WriteLine($"interrupted after epoch {end.EpochsDone}; continue with: alexnet train --resume --output {folder}");
            return 130;
        }
        Console.WriteLine(end.Finished ? "the learning-rate schedule ended the run"
                        : end.EpochsDone >= options.Epochs ? $"reached {options.Epochs} epochs" : "time budget reached");
        if (end.History.Count > 0)
        {
            var best = end.History.MinBy(h => h.ValidationTop1Error)!;
            Console.WriteLine($"best validation top-1 error {Format.Percent(best.ValidationTop1Error)} at epoch {best.Epoch}; {Format.Seconds(end.ElapsedSeconds)} of training");
        }
        if (set.Test is { } test && communicator.Rank == 0)
        {
            var clock = Stopwatch.StartNew();
            var result = Evaluator.Evaluate(model, end.Parameters, test, transform, false, options.EvaluationBatchSize, backend, workers: options.Workers);
            Console.WriteLine($"test accuracy {result.Accuracy:F4} (top-5 {1 - result.Top5Error:F4}, loss {Format.Number(result.Loss)}, centre crop, {result.Count} images, {clock.Elapsed.TotalSeconds:F0} s)");
            if (tenCropTest)
            {
                var ten = Evaluator.Evaluate(model, end.Parameters, test, transform, true, Math.Max(1, options.EvaluationBatchSize / 10), backend, workers: options.Workers);
                Console.WriteLine($"test accuracy {ten.Accuracy:F4} (top-5 {1 - ten.Top5Error:F4}, loss {Format.Number(ten.Loss)}, ten crops)");
            }
        }
        Console.WriteLine($"outputs in {folder}: last.ckpt, best.ckpt, metrics.csv, metrics.jsonl, loss.png, error.png, conv1.png");
        end.Parameters.DisposeAll();
        end.Velocity.DisposeAll();
        return 0;
    }

    private static void PrintHeader(DataSet set, Network network, TrainingOptions o, IBackend backend, string folder, int steps)
    {
        string device = backend is CpuBackend cpu ? $"cpu ({cpu.Threads} threads)" : backend.Name;
        Console.WriteLine($"data: {set.Name}: {set.Train.Count} training, {set.Validation.Count} validation{(set.Test is null ? "" : $", {set.Test.Count} test")} images of {set.Train.Channels}×{set.Train.Height}×{set.Train.Width}, {set.Train.ClassNames.Count} classes{(set.Note is null ? "" : $" ({set.Note})")}");
        Console.WriteLine($"network: {network}");
        var a = o.Augmentation;
        bool shifts = a.RandomCrop && (a.CropSize < set.Train.Height || a.Padding > 0);
        Console.WriteLine($"input: {a.CropSize}×{a.CropSize} {(shifts ? "random" : "centre")} crop of the {set.Train.Height}×{set.Train.Width} image{(a.Padding > 0 ? $" padded by {a.Padding}" : "")}, mean {a.Mean} subtracted, scale {Format.General(a.Scale)}");
        Console.WriteLine($"augmentation: random crops {(shifts ? "on" : "off")}, flip {(a.HorizontalFlip ? "on" : "off")}, rotation {(a.MaxRotationDegrees > 0 ? $"±{a.MaxRotationDegrees}°" : "off")}, PCA colour {(a.PcaStandardDeviation > 0 ? $"α~N(0, {a.PcaStandardDeviation})" : "off")}");
        Console.WriteLine($"optimiser: SGD batch {o.BatchSize}, momentum {o.Momentum}, weight decay {o.WeightDecay}, lr {o.LearningRate} ÷ {o.DropFactor} after {o.Patience} epoch(s) without improvement (at most {o.MaxDrops} drops{(o.TimeBudget is not null && o.FinalDropEpochs > 0 ? $"; once when only {o.FinalDropEpochs} epochs fit the budget" : "")}), {steps} steps per epoch");
        Console.WriteLine($"limits: {o.Epochs} epochs{(o.TimeBudget is { } t ? $", {t.TotalMinutes:G4} minutes" : "")}; seed {o.Seed}; device {device}; output {folder}");
    }
}
