using System.CommandLine;
using System.Diagnostics;
using AlexNet.Facade;
using AlexNet.Train.Reporting;

namespace AlexNet.Train.Cli;

/// <summary><c>alexnet evaluate</c>: top-1 and top-5 error of a checkpoint on a data split, centre crop or ten crops.</summary>
internal static class EvaluateCommand
{
    /// <summary>Builds the command.</summary>
    public static Command Create()
    {
        var checkpoint = SharedOptions.Checkpoint();
        var data = SharedOptions.Data();
        var fashionDir = SharedOptions.FashionDirectory();
        var split = new Option<string>("--split") { Description = "test, val (folders only) or train", DefaultValueFactory = _ => "test" };
        split.AcceptOnlyFromAmong("test", "val", "train");
        var tenCrop = SharedOptions.TenCrop();
        var batch = SharedOptions.BatchSize(250);
        var device = SharedOptions.Device();
        var threads = SharedOptions.Threads();
        var command = new Command("evaluate", "Measure a checkpoint's loss, top-1 and top-5 error on a data split")
        {
            checkpoint, data, fashionDir, split, tenCrop, batch, device, threads,
        };
        command.SetAction(parse =>
        {
            var output = parse.InvocationConfiguration.Output;
            using var backend = Devices.Open(parse.GetValue(device)!, parse.GetValue(threads));
            using var model = CheckpointModel.Load(parse.GetValue(checkpoint)!, backend);
            var set = DataSources.OpenSplit(parse.GetValue(data)!, parse.GetValue(fashionDir)!, parse.GetValue(split)!, model.Run.ClassNames, model.Transform.Height, parse.GetValue(threads), parse.InvocationConfiguration.Error);
            if (!set.ClassNames.SequenceEqual(model.Run.ClassNames) || set.Channels != model.Transform.Channels
                || set.Height != model.Transform.Height || set.Width != model.Transform.Width)
                throw new CliException("The data does not match the checkpoint (classes or image size differ).");
            bool ten = parse.GetValue(tenCrop);
            int size = parse.GetValue(batch);
            var clock = Stopwatch.StartNew();
            var r = Evaluator.Evaluate(model.Model, model.Run.State.Parameters, set, model.Transform, ten, ten ? Math.Max(1, size / 10) : size, backend);
            if (r.NonFiniteCount > 0)
                throw new CliException($"The checkpoint's outputs are not finite (NaN or infinite) for {r.NonFiniteCount} of {r.Count} images, so it cannot be evaluated; use an earlier checkpoint of the run or train again.");
            output.WriteLine($"{parse.GetValue(split)} ({r.Count} images, {(ten ? "ten crops" : "centre crop")}): accuracy {r.Accuracy:F4}, top-1 error {Format.Percent(r.Top1Error)}, top-5 error {Format.Percent(r.Top5Error)}, loss {Format.Number(r.Loss)} ({clock.Elapsed.TotalSeconds:F0} s)");
            return 0;
        });
        return command;
    }
}
