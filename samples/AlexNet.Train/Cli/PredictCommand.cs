using System.CommandLine;
using System.Globalization;
using AlexNet.Facade;
using AlexNet.Facade.Pipeline;

namespace AlexNet.Train.Cli;

/// <summary><c>alexnet predict &lt;images&gt;</c>: the most probable classes of image files.</summary>
internal static class PredictCommand
{
    /// <summary>Builds the command.</summary>
    public static Command Create()
    {
        var images = new Argument<string[]>("images") { Description = "JPEG or PNG files (other formats are refused)", Arity = ArgumentArity.OneOrMore };
        var checkpoint = SharedOptions.Checkpoint();
        var top = new Option<int?>("--top", "-k") { Description = "Classes to show per image (default 3, or the checkpoint's class count when smaller)" }.AtLeast(1);
        var tenCrop = SharedOptions.TenCrop();
        var invert = new Option<bool>("--invert") { Description = "Invert grey levels first (Fashion-MNIST shows light garments on black)" };
        var device = SharedOptions.Device();
        var threads = SharedOptions.Threads();
        var command = new Command("predict", "Classify image files with a trained checkpoint; a file that cannot be read is reported and the others are still classified (exit 1 if any failed)")
        {
            images, checkpoint, top, tenCrop, invert, device, threads,
        };
        command.SetAction(parse =>
        {
            var output = parse.InvocationConfiguration.Output;
            var error = parse.InvocationConfiguration.Error;
            using var backend = Devices.Open(parse.GetValue(device)!, parse.GetValue(threads));
            using var model = CheckpointModel.Load(parse.GetValue(checkpoint)!, backend);
            var classes = model.Run.ClassNames;
            int k = parse.GetValue(top) ?? Math.Min(3, classes.Count);
            if (k > classes.Count)
                throw new CliException($"--top {k} is more than the checkpoint's {classes.Count} classes; use at most {classes.Count}.", 2);
            var files = parse.GetValue(images)!;
            var t = model.Transform;
            var pixels = new List<byte>(files.Length * t.InputLength);
            var readable = new List<string>();
            int failed = 0;
            foreach (var file in files)
            {
                try
                {
                    if (Directory.Exists(file)) throw new InvalidDataException($"'{file}' is a folder, not an image file.");
                    if (!File.Exists(file)) throw new InvalidDataException($"Image '{file}' does not exist.");
                    pixels.AddRange(Inverted(model.Trained.ReadImage(file), parse.GetValue(invert)));
                    readable.Add(file);
                }
                catch (Exception e) when (e is InvalidDataException or IOException or UnauthorizedAccessException)
                {
                    error.WriteLine($"error: {CliApp.Message(e)}");
                    failed++;
                }
            }
            if (readable.Count > 0)
            {
                var set = new InMemoryImageDataset([.. pixels], new int[readable.Count], t.Channels, t.Height, t.Width, classes);
                int row = 0;
                foreach (var (_, probabilities) in Evaluator.Predict(model.Model, model.Run.State.Parameters, set, t, parse.GetValue(tenCrop), 32, backend))
                {
                    for (int i = 0; i < probabilities.Length / classes.Count; i++, row++)
                    {
                        var p = probabilities.AsSpan(i * classes.Count, classes.Count).ToArray();
                        if (!Evaluator.AllFinite(p))
                        {
                            error.WriteLine($"error: the checkpoint's outputs for '{readable[row]}' are not finite (NaN or infinite); it cannot classify it.");
                            failed++;
                            continue;
                        }
                        var best = Enumerable.Range(0, classes.Count).OrderByDescending(c => p[c]).ThenBy(c => c).Take(k);
                        output.WriteLine($"{readable[row]}: " + string.Join(", ", best.Select(c => $"{classes[c]} {p[c].ToString("F3", CultureInfo.InvariantCulture)}")));
                    }
                }
            }
            if (failed == 0) return 0;
            error.WriteLine($"error: {failed} of {files.Length} images could not be classified (listed above).");
            return 1;
        });
        return command;
    }

    /// <summary>The image's grey levels inverted when asked (in place).</summary>
    private static byte[] Inverted(byte[] pixels, bool invert)
    {
        if (invert) for (int i = 0; i < pixels.Length; i++) pixels[i] = (byte)(255 - pixels[i]);
        return pixels;
    }
}
