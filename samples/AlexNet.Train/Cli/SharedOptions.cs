using System.CommandLine;
using AlexNet.Facade;

namespace AlexNet.Train.Cli;

/// <summary>Options several commands share.</summary>
internal static class SharedOptions
{
    /// <summary><c>--data</c>: <c>fashion-mnist</c> or a folder.</summary>
    public static Option<string> Data() => new("--data", "-d")
    {
        Description = "fashion-mnist, a folder of stores made by alexnet prepare, or a folder with train/ and optionally val/ and test/ sub-folders of <class>/*.jpg|png (without val/, --validation images are held out of train/)",
        DefaultValueFactory = _ => DataSources.FashionMnistName,
    };

    /// <summary><c>--fashion-dir</c>: where the Fashion-MNIST IDX files are.</summary>
    public static Option<string> FashionDirectory() => new("--fashion-dir")
    {
        Description = "Folder of the Fashion-MNIST IDX files",
        DefaultValueFactory = _ => FashionMnist.DefaultDirectory,
    };

    /// <summary><c>--device</c>: cpu or cuda:N.</summary>
    public static Option<string> Device() => new Option<string>("--device")
    {
        Description = "cpu, or cuda:N for CUDA device N",
        DefaultValueFactory = _ => "cpu",
    }.Require(Devices.IsName, "cpu, cuda or cuda:N with N ≥ 0");

    /// <summary><c>--threads</c>: CPU threads.</summary>
    public static Option<int> Threads() => new Option<int>("--threads")
    {
        Description = "CPU threads for the kernels and image decoding (0: one per core)",
        DefaultValueFactory = _ => 0,
    }.AtLeast(0, " (0: one per core)");

    /// <summary><c>--batch-size</c>.</summary>
    public static Option<int> BatchSize(int defaultValue) => new Option<int>("--batch-size", "-b")
    {
        Description = "Images per step",
        DefaultValueFactory = _ => defaultValue,
    }.AtLeast(1);

    /// <summary><c>--checkpoint</c>: a checkpoint file, or a run folder (its best.ckpt).</summary>
    public static Option<string> Checkpoint() => new("--checkpoint", "-c")
    {
        Description = "A checkpoint file, or a run folder (its best.ckpt is used)",
        DefaultValueFactory = _ => Path.Combine("runs", DataSources.FashionMnistName),
    };

    /// <summary><c>--ten-crop</c>.</summary>
    public static Option<bool> TenCrop() => new("--ten-crop")
    {
        Description = "Average the softmax over the paper's ten crops (corners, centre and their reflections) instead of the centre crop",
    };

    /// <summary>The checkpoint file a <c>--checkpoint</c> value names.</summary>
    /// <exception cref="CliException">Nothing is there.</exception>
    public static string ResolveCheckpoint(string value)
    {
        var path = Directory.Exists(value) ? Path.Combine(value, "best.ckpt") : value;
        if (Directory.Exists(path)) throw new CliException($"'{path}' is a folder, not a checkpoint file; pass --checkpoint <file or run folder>.");
        if (!File.Exists(path)) throw new CliException($"No checkpoint at '{path}'; train first or pass --checkpoint <file or run folder>.");
        return path;
    }

    /// <summary><c>--towers</c>: the paper's two GPUs as towers; checked while parsing, before any data is read.</summary>
    public static Option<int> Towers() =>
        new Option<int>("--towers") { Description = "Towers (the paper's two GPUs); 1 for a single tower", DefaultValueFactory = _ => 2 }
            .AtLeast(1, " (1 for a single tower, 2 for the paper's)");

    /// <summary><c>--preset</c>: one of <see cref="ModelPresets.Names"/>, checked while parsing.</summary>
    public static Option<string?> Preset(string description)
    {
        var option = new Option<string?>("--preset", "-p") { Description = description };
        option.AcceptOnlyFromAmong([.. ModelPresets.Names]);
        return option;
    }
}
