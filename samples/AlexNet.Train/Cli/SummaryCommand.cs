using System.CommandLine;
using AlexNet.Autograd;
using AlexNet.Autograd.Cpu;
using AlexNet.Facade;
using AlexNet.Layers;

namespace AlexNet.Train.Cli;

/// <summary><c>alexnet summary</c>: the layer table of a preset or of a checkpoint's network.</summary>
internal static class SummaryCommand
{
    /// <summary>Builds the command.</summary>
    public static Command Create()
    {
        var preset = new Option<string>("--preset", "-p") { Description = $"Network: {string.Join(", ", ModelPresets.Names)}", DefaultValueFactory = _ => ModelPresets.Fashion };
        preset.AcceptOnlyFromAmong([.. ModelPresets.Names]);
        var towers = SharedOptions.Towers();
        var checkpoint = new Option<string?>("--checkpoint", "-c") { Description = "Show the network of this checkpoint (file or run folder) instead of a preset" };
        var json = new Option<bool>("--json") { Description = "Print the network as JSON" };
        var command = new Command("summary", "Print a network's layers, output shapes and parameter counts") { preset, towers, checkpoint, json };
        command.SetAction(parse =>
        {
            var output = parse.InvocationConfiguration.Output;
            Network network;
            if (parse.GetValue(checkpoint) is { } path)
            {
                var file = SharedOptions.ResolveCheckpoint(path);
                if (TrainingCheckpoint.IsTrainingCheckpoint(file))
                {
                    var run = TrainingCheckpoint.Load(file, CpuBackend.Default);
                    network = run.Network;
                    output.WriteLine($"checkpoint after epoch {run.State.EpochsDone}; classes: {string.Join(", ", run.ClassNames)}");
                    run.State.Dispose();
                }
                else
                {
                    // A model checkpoint (alexnet import): weights and network only.
                    var (stored, parameters, metadata) = Checkpoint.Load(file, CpuBackend.Default);
                    parameters.DisposeAll();
                    network = stored;
                    var classes = SafeTensorsImport.ClassNamesOf(metadata, file);
                    output.WriteLine($"model checkpoint (imported, not trained here); {(classes is null ? "no class names" : $"{classes.Count} classes")}");
                }
            }
            else
            {
                var name = parse.GetValue(preset)!;
                var input = name switch
                {
                    ModelPresets.Paper => new Shape(3, 227, 227),
                    ModelPresets.Cifar => new Shape(3, 28, 28),
                    _ => new Shape(1, 28, 28),
                };
                network = ModelPresets.Create(name, input, name == ModelPresets.Paper ? 1000 : 10, parse.GetValue(towers));
            }
            output.WriteLine(parse.GetValue(json) ? network.ToJson() : network.Summary().ToString());
            return 0;
        });
        return command;
    }
}
