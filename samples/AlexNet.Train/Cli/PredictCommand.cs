using System.CommandLine;
using System.Globalization;
using AlexNet.Facade.Data;
using AlexNet.Facade.Pipeline;
using AlexNet.Facade.Training;

namespace AlexNet.Train.Cli;

/// <summary><c>alexnet predict &lt;images&gt;</c>: the most probable classes of image files.</summary>
internal static class PredictCommand
{
    /// <summary>Builds the command.</summary>
    public static Command Create()
    {
        var images = new Argument<string[]>("images") { Description = "JPEG or PNG files", Arity = ArgumentArity.OneOrMore };
        var checkpoint = SharedOptions.Checkpoint();
        var top = new Option<int>("--top", "-k") { Description = "Classes to show per image", DefaultValueFactory = _ => 3 };
        var tenCrop = SharedOptions.TenCrop();
        var invert = new Option<bool>("--invert") { Description = "Invert grey levels first (Fashion-MNIST shows light garments on black)" };
        var device = SharedOptions.Device();
        var threads = SharedOptions.Threads();
        var command = new Command("predict", "Classify image files with a trained checkpoint")
        {
            images, checkpoint, top, tenCrop, invert, device, threads,
        };
        command.SetAction(parse =>
        {
            using var backend = Devices.Open(parse.GetValue(device)!, parse.GetValue(threads));
            using var model = CheckpointModel.Load(parse.GetValue(checkpoint)!, backend);
            var classes = model.Run.ClassNames;
            int k = parse.GetValue(top);
            if (k < 1 || k > classes.Count) throw new CliException($"--top must be in [1, {classes.Count}], got {k}.", 2);
            var files = parse.GetValue(images)!;
            var t = model.Transform;
            var pixels = new byte[files.Length * t.InputLength];
            for (int i = 0; i < files.Length; i++)
            {
                if (!File.Exists(files[i])) throw new CliException($"Image '{files[i]}' does not exist.");
                byte[] rgb;
                try
                {
                    rgb = ImageDecoder.DecodeSquare(files[i], t.Height);
                }
                catch (InvalidDataException e)
                {
                    throw new CliException(e.Message);
                }
                ToChannels(rgb, t.Channels, t.Height * t.Width, parse.GetValue(invert)).CopyTo(pixels, i * t.InputLength);
            }
            var set = new InMemoryImageDataset(pixels, new int[files.Length], t.Channels, t.Height, t.Width, classes);
            bool ten = parse.GetValue(tenCrop);
            int row = 0;
            foreach (var (_, probabilities) in Evaluator.Predict(model.Model, model.Run.State.Parameters, set, t, ten, 32, backend))
            {
                for (int i = 0; i < probabilities.Length / classes.Count; i++, row++)
                {
                    var p = probabilities.AsSpan(i * classes.Count, classes.Count).ToArray();
                    var best = Enumerable.Range(0, classes.Count).OrderByDescending(c => p[c]).ThenBy(c => c).Take(k);
                    Console.WriteLine($"{files[row]}: " + string.Join(", ", best.Select(c => $"{classes[c]} {p[c].ToString("F3", CultureInfo.InvariantCulture)}")));
                }
            }
            return 0;
        });
        return command;
    }

    /// <summary>Planar RGB to the model's channels (luma for grey), optionally inverted.</summary>
    private static byte[] ToChannels(byte[] rgb, int channels, int plane, bool invert)
    {
        byte[] result;
        if (channels == 3) result = rgb;
        else
        {
            result = new byte[plane];
            for (int i = 0; i < plane; i++)
                result[i] = (byte)Math.Round(0.299 * rgb[i] + 0.587 * rgb[plane + i] + 0.114 * rgb[2 * plane + i]);
        }
        if (invert) for (int i = 0; i < result.Length; i++) result[i] = (byte)(255 - result[i]);
        return result;
    }
}
