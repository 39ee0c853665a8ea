using System.CommandLine;
using AlexNet.Facade;

namespace AlexNet.Train.Cli;

/// <summary>The options of <c>alexnet train</c>, each with its range checked while parsing.</summary>
internal sealed class TrainOptions
{
    /// <summary><c>--data</c>.</summary>
    public Option<string> Data { get; } = SharedOptions.Data();

    /// <summary><c>--fashion-dir</c>.</summary>
    public Option<string> FashionDirectory { get; } = SharedOptions.FashionDirectory();

    /// <summary><c>--preset</c>.</summary>
    public Option<string?> Preset { get; } = SharedOptions.Preset($"Network: {string.Join(", ", ModelPresets.Names)} (default: fashion for Fashion-MNIST, cifar for small colour images such as CIFAR-10, alexnet for other folders)");

    /// <summary><c>--towers</c>.</summary>
    public Option<int> Towers { get; } = SharedOptions.Towers();

    /// <summary><c>--epochs</c>.</summary>
    public Option<int> Epochs { get; } = new Option<int>("--epochs", "-e") { Description = "Most epochs", DefaultValueFactory = _ => 100 }.AtLeast(1);

    /// <summary><c>--minutes</c>.</summary>
    public Option<double> Minutes { get; } = new Option<double>("--minutes", "-m")
    {
        Description = "Time budget in minutes for training and validation (0: none); no epoch starts that would end after it",
        DefaultValueFactory = _ => 10,
    }.Require(m => double.IsFinite(m) && m >= 0 && m <= TimeSpan.MaxValue.TotalMinutes / 2, "a finite number ≥ 0 (0: no budget)");

    /// <summary><c>--batch-size</c>.</summary>
    public Option<int> BatchSize { get; } = SharedOptions.BatchSize(128);

    /// <summary><c>--lr</c>.</summary>
    public Option<float?> LearningRate { get; } = new Option<float?>("--lr") { Description = "Initial learning rate (default: the paper's 0.01; 0.02 for the cifar preset)" }
        .Require(v => v is null || (float.IsFinite(v.Value) && v > 0), "a finite number > 0");

    /// <summary><c>--optimizer</c>.</summary>
    public Option<string> Optimizer { get; } = OptimizerOption();

    /// <summary><c>--momentum</c>.</summary>
    public Option<float> Momentum { get; } = new Option<float>("--momentum") { Description = "Momentum (sgd)", DefaultValueFactory = _ => 0.9f }
        .Require(v => v >= 0 && v < 1, "in [0, 1)");

    /// <summary><c>--weight-decay</c>.</summary>
    public Option<float> WeightDecay { get; } = new Option<float>("--weight-decay") { Description = "Weight decay (an L2 penalty for sgd and adam, decoupled for adamw, where 0.01 is usual)", DefaultValueFactory = _ => 5e-4f }
        .Require(v => float.IsFinite(v) && v >= 0, "a finite number ≥ 0");

    /// <summary><c>--label-smoothing</c>.</summary>
    public Option<float> LabelSmoothing { get; } = new Option<float>("--label-smoothing")
    {
        Description = "Label smoothing ε: the training target puts 1 − ε on the label and ε/classes on every class (0: the paper's plain cross-entropy)",
        DefaultValueFactory = _ => 0f,
    }.Require(v => v >= 0 && v < 1, "in [0, 1)");

    /// <summary><c>--schedule</c>.</summary>
    public Option<string> Schedule { get; } = ScheduleOption();

    /// <summary><c>--patience</c>.</summary>
    public Option<int?> Patience { get; } = new Option<int?>("--patience") { Description = "Epochs without a new best validation error before the learning rate is divided by 10 (default 2; 3 for the cifar preset)" }.AtLeast(1);

    /// <summary><c>--final-drop-epochs</c>.</summary>
    public Option<int> FinalDrop { get; } = new Option<int>("--final-drop-epochs") { Description = "With a time budget: divide the learning rate once when only this many epochs fit and no plateau has dropped it yet (0: off)", DefaultValueFactory = _ => 2 }.AtLeast(0);

    /// <summary><c>--raw-pixels</c>.</summary>
    public Option<bool> RawPixels { get; } = new("--raw-pixels") { Description = "Feed pixel values minus the mean unscaled, as the paper (default for the alexnet presets); otherwise the fashion and cifar presets scale them to unit variance" };

    /// <summary><c>--max-drops</c>.</summary>
    public Option<int> MaxDrops { get; } = new Option<int>("--max-drops") { Description = "Most learning-rate drops; the plateau after the last ends training", DefaultValueFactory = _ => 3 }.AtLeast(0);

    /// <summary><c>--seed</c>.</summary>
    public Option<long> Seed { get; } = new("--seed", "-s") { Description = "Seed of every random choice (initialisation, order, augmentation, dropout)", DefaultValueFactory = _ => 1 };

    /// <summary><c>--device</c>.</summary>
    public Option<string> Device { get; } = SharedOptions.Device();

    /// <summary><c>--threads</c>.</summary>
    public Option<int> Threads { get; } = SharedOptions.Threads();

    /// <summary><c>--output</c>.</summary>
    public Option<string?> Output { get; } = new("--output", "-o") { Description = "Run folder (default: runs/<data set>)" };

    /// <summary><c>--resume</c>.</summary>
    public Option<bool> Resume { get; } = new("--resume") { Description = "Continue the run in the output folder exactly where it stopped: its data, network and recipe come from its checkpoint (options that contradict them are refused); a larger --epochs or --minutes extends it" };

    /// <summary><c>--validation</c>.</summary>
    public Option<int> Validation { get; } = new Option<int>("--validation") { Description = "Training images held out for validation when there is no val/ folder (0: validate on the test set)", DefaultValueFactory = _ => 5000 }.AtLeast(0);

    /// <summary><c>--workers</c>.</summary>
    public Option<int> Workers { get; } = new Option<int>("--workers") { Description = "Threads preparing batches in the background (0: one on the CPU, whose cores run the kernels; all cores but one with a CUDA device)", DefaultValueFactory = _ => 0 }.AtLeast(0);

    /// <summary><c>--padding</c>.</summary>
    public Option<int?> Padding { get; } = new Option<int?>("--padding") { Description = "Pixels of padding for random pad-and-crop shifts of small images (default 0: none; folders crop 227 of 256 without padding)" }.AtLeast(0);

    /// <summary><c>--no-flip</c>.</summary>
    public Option<bool> NoFlip { get; } = new("--no-flip") { Description = "Turn off horizontal reflections" };

    /// <summary><c>--no-random-crop</c>.</summary>
    public Option<bool> NoCrop { get; } = new("--no-random-crop") { Description = "Turn off random crops (centre crop)" };

    /// <summary><c>--rotate</c>.</summary>
    public Option<float> Rotate { get; } = new Option<float>("--rotate") { Description = "Random rotation up to ± this many degrees (0: off, as the paper)", DefaultValueFactory = _ => 0f }
        .Require(v => v >= 0 && v <= 180, "in [0, 180] degrees");

    /// <summary><c>--pca</c>.</summary>
    public Option<float?> Pca { get; } = new Option<float?>("--pca") { Description = "Std of the PCA colour coefficients (default: 0.1 for RGB as the paper, 0 for grey)" }.FiniteNonNegative();

    /// <summary><c>--mean</c>.</summary>
    public Option<string> Mean { get; } = MeanOption();

    /// <summary><c>--ten-crop-validation</c>.</summary>
    public Option<bool> TenCropValidation { get; } = new("--ten-crop-validation") { Description = "Validate with the ten crops (slower)" };

    /// <summary><c>--ten-crop-test</c>.</summary>
    public Option<bool> TenCropTest { get; } = new("--ten-crop-test") { Description = "Also report the ten-crop test accuracy at the end" };

    /// <summary><c>--limit</c>.</summary>
    public Option<int> Limit { get; } = new Option<int>("--limit") { Description = "Train on only the first N training images (0: all), for quick tries", DefaultValueFactory = _ => 0 }.AtLeast(0);

    /// <summary>Every option, in the order the help lists them.</summary>
    public IReadOnlyList<Option> All =>
    [
        Data, FashionDirectory, Preset, Towers, Epochs, Minutes, BatchSize, LearningRate, Optimizer, Momentum, WeightDecay, LabelSmoothing, Schedule, Patience, FinalDrop, RawPixels,
        MaxDrops, Seed, Device, Threads, Output, Resume, Validation, Workers, Padding, NoFlip, NoCrop, Rotate, Pca, Mean, TenCropValidation,
        TenCropTest, Limit,
    ];

    /// <summary>True when the option was on the command line (not its default).</summary>
    public bool IsGiven(ParseResult parse, Option option) => parse.GetResult(option) is { Implicit: false };

    /// <summary>The mean subtraction a <c>--mean</c> value names.</summary>
    public static MeanSubtraction MeanOf(string value) => value switch { "pixel" => MeanSubtraction.MeanPixel, "none" => MeanSubtraction.None, _ => MeanSubtraction.MeanImage };

    /// <summary>The <c>--mean</c> value of a mean subtraction.</summary>
    public static string MeanName(MeanSubtraction mean) => mean switch { MeanSubtraction.MeanPixel => "pixel", MeanSubtraction.None => "none", _ => "image" };

    /// <summary>The batch-preparing threads: as given, or by default one on the CPU (its cores run the kernels) and all
    /// cores but one when a GPU trains, so the input path keeps up with it.</summary>
    public static int BatchWorkers(int given, string device)
    {
        if (given > 0) return given;
        return device.StartsWith("cuda", StringComparison.OrdinalIgnoreCase) ? Math.Max(1, Environment.ProcessorCount - 1) : 1;
    }

    /// <summary>The optimiser an <c>--optimizer</c> value names.</summary>
    public static OptimizerKind OptimizerOf(string value) => value switch { "adam" => OptimizerKind.Adam, "adamw" => OptimizerKind.AdamW, _ => OptimizerKind.SgdMomentum };

    /// <summary>The <c>--optimizer</c> value that names an optimiser.</summary>
    public static string OptimizerName(OptimizerKind kind) => kind switch { OptimizerKind.Adam => "adam", OptimizerKind.AdamW => "adamw", _ => "sgd" };

    /// <summary>The schedule a <c>--schedule</c> value names.</summary>
    public static LearningRateSchedule ScheduleOf(string value) => value == "cosine" ? LearningRateSchedule.Cosine : LearningRateSchedule.Plateau;

    /// <summary>The <c>--schedule</c> value that names a schedule.</summary>
    public static string ScheduleName(LearningRateSchedule schedule) => schedule == LearningRateSchedule.Cosine ? "cosine" : "plateau";

    private static Option<string> ScheduleOption()
    {
        var schedule = new Option<string>("--schedule")
        {
            Description = "plateau: the paper's drops on validation plateaus; cosine: decay to 0 over --epochs (give the epochs that fit --minutes)",
            DefaultValueFactory = _ => "plateau",
        };
        schedule.AcceptOnlyFromAmong("plateau", "cosine");
        return schedule;
    }

    private static Option<string> OptimizerOption()
    {
        var optimizer = new Option<string>("--optimizer")
        {
            Description = "sgd: the paper's SGD with momentum; adam or adamw (β₁ 0.9, β₂ 0.999, ε 1e-8; a rate near 0.001 is usual)",
            DefaultValueFactory = _ => "sgd",
        };
        optimizer.AcceptOnlyFromAmong("sgd", "adam", "adamw");
        return optimizer;
    }

    private static Option<string> MeanOption()
    {
        var mean = new Option<string>("--mean") { Description = "Subtract the training set's mean image, mean pixel, or none", DefaultValueFactory = _ => "image" };
        mean.AcceptOnlyFromAmong("image", "pixel", "none");
        return mean;
    }
}
