using System.CommandLine;
using System.Globalization;
using System.Text.Json;
using AlexNet.Autograd;
using AlexNet.Autograd.Cpu;
using AlexNet.Facade;
using AlexNet.Layers;
using AlexNet.Onnx;

namespace AlexNet.Train.Cli;

/// <summary><c>alexnet export --onnx &lt;file&gt;</c>: a checkpoint (trained here or imported) as an ONNX model for
/// other runtimes.</summary>
internal static class ExportCommand
{
    /// <summary>Builds the command.</summary>
    public static Command Create()
    {
        var checkpoint = SharedOptions.Checkpoint();
        var onnx = new Option<string>("--onnx") { Description = "The .onnx file to write", Required = true };
        var logits = new Option<bool>("--logits") { Description = "Output logits instead of class probabilities (leave the final softmax out)" };
        var withPreprocessing = new Option<bool>("--with-preprocessing")
        {
            Description = "Put the training run's preprocessing (centre crop, mean subtraction, scale) into the model: its input is then whole images 'image' [N, C, H, W] of byte values 0-255",
        };
        var command = new Command("export", "Write a checkpoint (trained or imported) as an ONNX model (opset 17) for ONNX Runtime and other runtimes")
        {
            checkpoint, onnx, logits, withPreprocessing,
        };
        command.SetAction(parse =>
        {
            var file = SharedOptions.ResolveCheckpoint(parse.GetValue(checkpoint)!);
            var path = parse.GetValue(onnx)!;
            // Read the file once: a training run (weights with their preprocessing) or a model checkpoint (alexnet import).
            Network network;
            TensorMap parameters;
            var metadata = new Dictionary<string, string>();
            OnnxImageInput? imageInput = null;
            if (TrainingCheckpoint.IsTrainingCheckpoint(file))
            {
                var run = TrainingCheckpoint.Load(file, CpuBackend.Default);
                run.State.OptimizerState.DisposeAll();
                (network, parameters) = (run.Network, run.State.Parameters);
                metadata["classes"] = JsonSerializer.Serialize(run.ClassNames);
                AddPreprocessing(metadata, run);
                if (parse.GetValue(withPreprocessing)) imageInput = ImageInput(run);
            }
            else
            {
                if (parse.GetValue(withPreprocessing))
                    throw new CliException($"'{file}' is an imported model checkpoint, which records no preprocessing; --with-preprocessing needs a training checkpoint.", 2);
                IReadOnlyDictionary<string, string> stored;
                (network, parameters, stored) = Checkpoint.Load(file, CpuBackend.Default);
                if (stored.TryGetValue(SafeTensorsImport.ClassNamesKey, out var classes)) metadata["classes"] = classes;
            }
            try
            {
                bool softmax = !parse.GetValue(logits);
                try
                {
                    network.ExportOnnx(path, parameters, softmax, metadata, imageInput);
                }
                catch (Exception e) when (e is IOException or UnauthorizedAccessException)
                {
                    throw new CliException($"Cannot write '{path}': {CliApp.Message(e)} Choose a writable --onnx path.");
                }
                var output = network.Lower().Steps[^1].Output;
                string outputName = softmax && network.Layers[^1] is Softmax ? "probabilities" : "logits";
                string input = imageInput is null
                    ? $"'input' [N, {string.Join(", ", network.InputShape.Dims)}]"
                    : $"'image' [N, {imageInput.Channels}, {imageInput.Height}, {imageInput.Width}] (byte values; cropped, mean subtracted and scaled in the model)";
                parse.InvocationConfiguration.Output.WriteLine($"wrote {path} ({new FileInfo(path).Length / 1e6:F1} MB): {input} → '{outputName}' [N, {string.Join(", ", output.Dims)}]");
                if (imageInput is null && metadata.TryGetValue("preprocessing", out var preprocessing))
                    parse.InvocationConfiguration.Output.WriteLine($"preprocessing (in the model's metadata; --with-preprocessing puts it into the graph): {preprocessing}");
                return 0;
            }
            finally
            {
                parameters.DisposeAll();
            }
        });
        return command;
    }

    /// <summary>The run's evaluation preprocessing as graph nodes: the centre crop, then x·scale − mean·scale, the offset
    /// read off the run's own transform by rendering a black image.</summary>
    private static OnnxImageInput ImageInput(TrainingRun run)
    {
        var a = run.Options.ImageAugmentation();
        var s = run.Statistics;
        if (a.Padding != 0)
            throw new CliException($"--with-preprocessing covers runs without --padding; this run pads by {a.Padding}. Export without it and pad, crop and subtract the mean as the metadata says.", 2);
        var transform = new ImageTransform(a with { PcaStandardDeviation = 0, MaxRotationDegrees = 0 }, s.Channels, s.Height, s.Width, s);
        var offset = new float[transform.OutputLength];
        transform.Render(new byte[transform.InputLength], transform.Centre, offset);
        return new OnnxImageInput(s.Channels, s.Height, s.Width, transform.Centre.Top, transform.Centre.Left, a.Scale, offset);
    }

    private static void AddPreprocessing(Dictionary<string, string> metadata, TrainingRun run)
    {
        var a = run.Options.ImageAugmentation();
        var s = run.Statistics;
        var c = CultureInfo.InvariantCulture;
        string mean = a.Mean switch
        {
            MeanSubtraction.MeanImage => "minus the training set's mean image (centre crop)",
            MeanSubtraction.MeanPixel => $"minus the training set's mean pixel ({string.Join(", ", s.MeanPixel.Select(v => v.ToString("F3", c)))})",
            _ => "nothing subtracted",
        };
        metadata["preprocessing"] = $"centre {a.CropSize}×{a.CropSize} crop of a {s.Height}×{s.Width} image, channels first, byte values 0–255, {mean}, times {a.Scale.ToString("R", c)}";
        metadata["mean_pixel"] = JsonSerializer.Serialize(s.MeanPixel);
        metadata["scale"] = a.Scale.ToString("R", c);
    }
}
