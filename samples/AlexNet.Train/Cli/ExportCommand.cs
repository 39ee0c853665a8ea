using System.CommandLine;
using System.Globalization;
using System.Text.Json;
using AlexNet.Autograd.Cpu;
using AlexNet.Onnx;

namespace AlexNet.Train.Cli;

/// <summary><c>alexnet export --onnx &lt;file&gt;</c>: a trained checkpoint as an ONNX model for other runtimes.</summary>
internal static class ExportCommand
{
    /// <summary>Builds the command.</summary>
    public static Command Create()
    {
        var checkpoint = SharedOptions.Checkpoint();
        var onnx = new Option<string>("--onnx") { Description = "The .onnx file to write", Required = true };
        var logits = new Option<bool>("--logits") { Description = "Output logits instead of class probabilities (leave the final softmax out)" };
        var command = new Command("export", "Write a trained checkpoint as an ONNX model (opset 17) for ONNX Runtime and other runtimes")
        {
            checkpoint, onnx, logits,
        };
        command.SetAction(parse =>
        {
            using var model = CheckpointModel.Load(parse.GetValue(checkpoint)!, CpuBackend.Default);
            var run = model.Run;
            var path = parse.GetValue(onnx)!;
            var augmentation = run.Options.Augmentation;
            var c = CultureInfo.InvariantCulture;
            // What a runtime needs besides the graph: the class names and how an image becomes the input tensor.
            var metadata = new Dictionary<string, string>
            {
                ["classes"] = JsonSerializer.Serialize(run.ClassNames),
                ["input"] = $"centre {augmentation.CropSize}×{augmentation.CropSize} crop of a {run.Statistics.Height}×{run.Statistics.Width} image, channels first, byte values",
                ["mean_subtraction"] = augmentation.Mean.ToString(),
                ["mean_pixel"] = string.Join(",", run.Statistics.MeanPixel.Select(v => v.ToString("R", c))),
                ["scale"] = augmentation.Scale.ToString("R", c),
            };
            run.Network.ExportOnnx(path, run.State.Parameters, softmax: !parse.GetValue(logits), metadata);
            var output = run.Network.Lower().Steps[^1].Output;
            Console.WriteLine($"wrote {path} ({new FileInfo(path).Length / 1e6:F1} MB): input 'input' [N, {string.Join(", ", run.Network.InputShape.Dims)}] → " +
                              $"'{(parse.GetValue(logits) || run.Network.Layers[^1] is not AlexNet.Layers.Softmax ? "logits" : "probabilities")}' [N, {string.Join(", ", output.Dims)}], {run.ClassNames.Count} classes");
            Console.WriteLine($"preprocessing: {metadata["input"]}, minus the {(augmentation.Mean == Facade.Augmentation.MeanSubtraction.None ? "nothing" : augmentation.Mean == Facade.Augmentation.MeanSubtraction.MeanImage ? "training mean image" : "training mean pixel")}, times {metadata["scale"]} (stored in the model's metadata)");
            return 0;
        });
        return command;
    }
}
