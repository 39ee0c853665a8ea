using System.CommandLine;
using AlexNet.Facade;
using AlexNet.Train.Reporting;

namespace AlexNet.Train.Cli;

/// <summary>
/// What <c>train --resume</c> continues with: every setting that defines the run (data, limit, validation split,
/// network, recipe, augmentation, seed) comes from the checkpoint; an option on the command line that contradicts one
/// is refused with the values side by side; <c>--epochs</c> and <c>--minutes</c> may extend the run; the device,
/// threads and batch workers (which do not change what is computed) follow the command line.
/// </summary>
internal static class ResumeSettings
{
    /// <summary>The run's settings and options for the resumed part.</summary>
    /// <exception cref="CliException">An option contradicts the run (exit 2), the new limits would end it at once
    /// (exit 2), or the run has nothing left to do (exit 1).</exception>
    public static (RunSettings Settings, TrainingOptions Options) Restore(ParseResult parse, TrainOptions o, TrainingRun run, string checkpoint, TextWriter output)
    {
        var folder = Path.GetDirectoryName(checkpoint) is { Length: > 0 } f ? f : ".";
        var stored = RunSettings.FromMetadata(run.Metadata, checkpoint);
        var saved = run.Options;
        var a = saved.ImageAugmentation();
        var contradictions = new List<string>();
        void Check<T>(Option option, T given, T kept)
        {
            if (o.IsGiven(parse, option) && !EqualityComparer<T>.Default.Equals(given, kept))
                contradictions.Add($"{option.Name} {OptionChecks.Text(given)} contradicts its {OptionChecks.Text(kept)}");
        }
        void Flag(Option<bool> option, bool kept)
        {
            if (o.IsGiven(parse, option) && parse.GetValue(option) != kept)
                contradictions.Add($"{option.Name} contradicts the run, which {(kept ? "had" : "did not have")} it");
        }

        RunSettings settings;
        if (stored is null)
        {
            // A checkpoint from before the settings were recorded: the data settings can only come from this command line.
            output.WriteLine($"note: '{checkpoint}' does not record its data settings (written by an older alexnet); --data, --limit and --validation are taken from this command line");
            settings = new RunSettings(RunSettings.Normalise(parse.GetValue(o.Data)!), Path.GetFullPath(parse.GetValue(o.FashionDirectory)!), parse.GetValue(o.Limit),
                                       parse.GetValue(o.Validation), parse.GetValue(o.Preset) ?? "", RunRecorder.TowerCount(run.Network), parse.GetValue(o.RawPixels), false);
        }
        else
        {
            settings = stored;
            Check(o.Preset, parse.GetValue(o.Preset), (string?)stored.Preset);
            Check(o.Limit, parse.GetValue(o.Limit), stored.Limit);
            Check(o.Validation, parse.GetValue(o.Validation), stored.Validation);
            Flag(o.RawPixels, stored.RawPixels);
            if (o.IsGiven(parse, o.Data) && RunSettings.Normalise(parse.GetValue(o.Data)!) != stored.Data)
            {
                settings = settings with { Data = RunSettings.Normalise(parse.GetValue(o.Data)!) };
                output.WriteLine($"note: the run was started on '{stored.Data}' and continues on '{settings.Data}' (its classes, image size and training count must match)");
            }
            if (o.IsGiven(parse, o.FashionDirectory) && Path.GetFullPath(parse.GetValue(o.FashionDirectory)!) != stored.FashionDirectory)
                settings = settings with { FashionDirectory = Path.GetFullPath(parse.GetValue(o.FashionDirectory)!) };
        }
        Check(o.Towers, parse.GetValue(o.Towers), RunRecorder.TowerCount(run.Network));
        Check(o.BatchSize, parse.GetValue(o.BatchSize), saved.BatchSize);
        Check(o.LearningRate, parse.GetValue(o.LearningRate), (float?)saved.LearningRate);
        Check(o.Optimizer, parse.GetValue(o.Optimizer), TrainOptions.OptimizerName(saved.Optimizer));
        Check(o.Schedule, parse.GetValue(o.Schedule), TrainOptions.ScheduleName(saved.Schedule));
        Check(o.LabelSmoothing, parse.GetValue(o.LabelSmoothing), saved.LabelSmoothing);
        Check(o.Momentum, parse.GetValue(o.Momentum), saved.Momentum);
        Check(o.WeightDecay, parse.GetValue(o.WeightDecay), saved.WeightDecay);
        Check(o.Patience, parse.GetValue(o.Patience), (int?)saved.Patience);
        Check(o.FinalDrop, parse.GetValue(o.FinalDrop), saved.FinalDropEpochs);
        Check(o.MaxDrops, parse.GetValue(o.MaxDrops), saved.MaxDrops);
        Check(o.Seed, parse.GetValue(o.Seed), saved.Seed);
        Flag(o.TenCropValidation, saved.TenCropValidation);
        Check(o.Padding, parse.GetValue(o.Padding), (int?)a.Padding);
        Flag(o.NoFlip, !a.HorizontalFlip);
        Flag(o.NoCrop, !a.RandomCrop);
        Check(o.Rotate, parse.GetValue(o.Rotate), a.MaxRotationDegrees);
        Check(o.Pca, parse.GetValue(o.Pca), (float?)a.PcaStandardDeviation);
        Check(o.Mean, parse.GetValue(o.Mean), TrainOptions.MeanName(a.Mean));
        if (contradictions.Count > 0)
            throw new CliException($"--resume continues the run in '{folder}' as it was started, but {string.Join("; ", contradictions)}. "
                                 + "Leave these options out to continue it, or start a new run with another --output.", 2);
        if (o.IsGiven(parse, o.TenCropTest)) settings = settings with { TenCropTest = true };

        var state = run.State;
        if (state.Finished)
            throw new CliException($"The learning-rate schedule already ended the run in '{folder}' (the plateau after its last drop); there is nothing to continue. Evaluate it with: alexnet evaluate -c {folder}");
        int epochs = saved.Epochs;
        if (o.IsGiven(parse, o.Epochs))
        {
            epochs = parse.GetValue(o.Epochs);
            if (epochs <= state.EpochsDone)
                throw new CliException($"The run in '{folder}' has done {(state.EpochsDone == 1 ? "1 epoch" : $"{state.EpochsDone} epochs")}, so --epochs {epochs} would end it at once; pass more than {state.EpochsDone} to continue it.", 2);
        }
        else if (epochs <= state.EpochsDone)
            throw new CliException($"The run in '{folder}' has done all its {(epochs == 1 ? "1 epoch" : $"{epochs} epochs")}; pass a larger --epochs (e.g. --epochs {2 * epochs}) to continue it.");
        var budget = saved.TimeBudget;
        double epochSeconds = state.History.Count > 0 ? state.History[^1].EpochSeconds : 0;
        bool NoRoom(TimeSpan? b) => b is { } t && state.ElapsedSeconds + epochSeconds > t.TotalSeconds;
        if (o.IsGiven(parse, o.Minutes))
        {
            double minutes = parse.GetValue(o.Minutes);
            budget = minutes > 0 ? TimeSpan.FromMinutes(minutes) : null;
            if (NoRoom(budget))
                throw new CliException($"The run in '{folder}' has trained for {Format.Seconds(state.ElapsedSeconds)} and its epochs take {Format.Seconds(epochSeconds)}, so --minutes {OptionChecks.Text(minutes)} leaves no room for another epoch; pass a larger --minutes (or 0 for no budget).", 2);
        }
        else if (NoRoom(budget))
            throw new CliException($"The run in '{folder}' has used its {Format.General(budget!.Value.TotalMinutes)}-minute budget ({Format.Seconds(state.ElapsedSeconds)} of training, {Format.Seconds(epochSeconds)} per epoch); pass a larger --minutes (e.g. --minutes {Format.General(2 * budget.Value.TotalMinutes)}) to continue it.");

        int workers = TrainOptions.BatchWorkers(parse.GetValue(o.Workers), parse.GetValue(o.Device)!);
        var options = saved with { Epochs = epochs, TimeBudget = budget, Workers = workers, PrefetchDepth = Math.Max(4, workers + 2) };
        if (settings.Preset.Length == 0) settings = settings with { Preset = "(unrecorded)" };
        return (settings, options);
    }
}
