using System.CommandLine;
using AlexNet.Autograd;
using AlexNet.Layers;

namespace AlexNet.Train.Cli;

/// <summary>
/// <c>alexnet import &lt;file.safetensors&gt; --preset NAME -o &lt;checkpoint&gt;</c>: reads weights saved elsewhere (a
/// plain safetensors file such as <c>safetensors.torch.save_file(model.state_dict(), path)</c> writes; F32, F16 or
/// BF16) into a preset's network, checking every name and shape, and writes this library's checkpoint.
/// </summary>
internal static class ImportCommand
{
    /// <summary>torchvision's AlexNet (<see cref="Presets.TorchvisionAlexNet"/>), imported with torchvision's names.</summary>
    public const string Torchvision = "torchvision";

    private static IReadOnlyList<string> Names { get; } = [.. ModelPresets.Names, Torchvision];

    /// <summary>Builds the command.</summary>
    public static Command Create()
    {
        var file = new Argument<string>("file") { Description = "The safetensors file (F32, F16 or BF16 tensors)" };
        var preset = new Option<string>("--preset", "-p") { Description = $"Network the weights are for: {string.Join(", ", Names)}", Required = true };
        var output = new Option<string>("--output", "-o") { Description = "The checkpoint to write", Required = true };
        var classes = new Option<int?>("--classes") { Description = "Number of classes (default: the number of class names given, else 1000 for alexnet and torchvision and 10 for the others)" };
        var classNames = new Option<string?>("--class-names") { Description = "Text file of class names, one per line in label order (else those of the file's metadata, if any)" };
        var nameMap = new Option<string?>("--name-map") { Description = "File mapping the file's tensor names to the network's: JSON {\"file name\": \"network name\"} or lines 'file_name network_name' (torchvision's names are mapped for --preset torchvision)" };
        var towers = new Option<int>("--towers") { Description = "Towers of the alexnet, fashion and cifar presets (1: plain layers, as PyTorch models have)", DefaultValueFactory = _ => 1 };
        var size = new Option<int?>("--size") { Description = "Input height and width (default: the preset's, 224 for torchvision)" };
        var channels = new Option<int?>("--channels") { Description = "Input channels (default: the preset's)" };
        var command = new Command("import", "Import weights from a plain safetensors file (e.g. PyTorch's) into a preset and write a checkpoint")
        {
            file, preset, output, classes, classNames, nameMap, towers, size, channels,
        };
        command.SetAction(parse =>
        {
            var source = parse.GetValue(file)!;
            if (!File.Exists(source)) throw new CliException($"'{source}' does not exist.", 2);
            var name = parse.GetValue(preset)!;
            if (!Names.Contains(name)) throw new CliException($"--preset must be one of {string.Join(", ", Names)}; got '{name}'.", 2);
            if (parse.GetValue(towers) < 1) throw new CliException($"--towers must be ≥ 1, got {parse.GetValue(towers)}.", 2);

            IReadOnlyList<string>? names = parse.GetValue(classNames) is { } namesFile ? ReadClassNames(namesFile) : null;
            var header = SafeTensors.ReadHeader(source);
            names ??= SafeTensorsImport.ClassNamesOf(header.Metadata, source);
            int classCount = parse.GetValue(classes) ?? names?.Count ?? (name is ModelPresets.Paper or Torchvision ? 1000 : 10);
            if (classCount < 1) throw new CliException($"--classes must be ≥ 1, got {classCount}.", 2);
            if (names is not null && names.Count != classCount)
                throw new CliException($"{names.Count} class names are given but --classes is {classCount}; give one name per class.", 2);

            var network = Build(name, classCount, parse.GetValue(towers), parse.GetValue(size), parse.GetValue(channels));
            IReadOnlyDictionary<string, string>? map = parse.GetValue(nameMap) is { } mapFile
                ? ReadNameMap(mapFile)
                : name == Torchvision ? Presets.TorchvisionAlexNetNames : null;
            var written = SafeTensorsImport.SaveAsCheckpoint(source, network, parse.GetValue(output)!, map, names);
            parse.InvocationConfiguration.Output.WriteLine($"imported {header.Entries.Count} tensors ({network.ParameterCount:N0} parameters) from {source} into {name} {network.InputShape} → {network.OutputShape}; " +
                              $"wrote {parse.GetValue(output)}{(written is null ? " (no class names)" : $" with {written.Count} class names")}");
            return 0;
        });
        return command;
    }

    private static Network Build(string name, int classes, int towers, int? size, int? channels)
    {
        if (name == Torchvision)
        {
            try
            {
                return Presets.TorchvisionAlexNet(classes, size ?? 224, channels ?? 3);
            }
            catch (ArgumentException e)
            {
                throw new CliException($"Preset '{name}' does not fit: {e.Message}", 2);
            }
        }
        var input = name switch
        {
            ModelPresets.Paper => new Shape(channels ?? 3, size ?? 227, size ?? 227),
            ModelPresets.Cifar => new Shape(channels ?? 3, size ?? 28, size ?? 28),
            _ => new Shape(channels ?? 1, size ?? 28, size ?? 28),
        };
        return ModelPresets.Create(name, input, classes, towers);
    }

    private static List<string> ReadClassNames(string path)
    {
        if (!File.Exists(path)) throw new CliException($"--class-names: '{path}' does not exist.", 2);
        var names = File.ReadAllLines(path).Select(l => l.Trim()).Where(l => l.Length > 0).ToList();
        if (names.Count == 0) throw new CliException($"--class-names: '{path}' holds no names (one per line expected).", 2);
        return names;
    }

    private static IReadOnlyDictionary<string, string> ReadNameMap(string path)
    {
        if (!File.Exists(path)) throw new CliException($"--name-map: '{path}' does not exist.", 2);
        try
        {
            return SafeTensorsImport.ReadNameMap(path);
        }
        catch (FormatException e)
        {
            throw new CliException(e.Message, 2);
        }
    }
}
