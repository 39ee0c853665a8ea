namespace AlexNet.GpuCheck;

/// <summary>Command-line settings of the GPU check.</summary>
/// <param name="Batches">Batch sizes of the benchmarks.</param>
/// <param name="Steps">Timed steps per benchmark.</param>
/// <param name="Warmup">Warm-up steps per benchmark.</param>
/// <param name="Tf32">Allow TF32 in cuDNN and cuBLAS.</param>
/// <param name="BothPrecisions">Run the benchmarks twice, with TF32 off and on (ignores <paramref name="Tf32"/>).</param>
/// <param name="Profile">After the hand-wired benchmark at the first batch size, time every kernel of the step.</param>
/// <param name="SkipEquivalence">Leave out the kernel equivalence table.</param>
/// <param name="SkipBenchmark">Leave out the hand-wired benchmark.</param>
/// <param name="CpuSmoke">Run the hand-wired network for two steps on the CPU and exit.</param>
/// <param name="TrainCheck">Run the model-level training check (<see cref="TrainCheck"/>) and exit.</param>
/// <param name="LayersBenchmark">Run the benchmark of the Layers-based network (<see cref="LayersBenchmark"/>) and exit.</param>
/// <param name="ModelCheck">Run the model-level check of TF32 and of the placed towers (<see cref="GpuCheck.ModelCheck"/>) and exit.</param>
/// <param name="Network">The network of the Layers benchmark: <see cref="PaperNetwork"/> or <see cref="FashionNetwork"/>.</param>
/// <param name="CpuStandIn">Use a CPU backend where the CUDA backend would be (checks the wiring without a GPU).</param>
/// <param name="Train">The sizes of the training check.</param>
public sealed record CheckOptions(IReadOnlyList<int> Batches, int Steps, int Warmup, bool Tf32, bool BothPrecisions, bool Profile, bool SkipEquivalence, bool SkipBenchmark,
                                  bool CpuSmoke, bool TrainCheck, bool LayersBenchmark, bool ModelCheck, string Network, bool CpuStandIn,
                                  TrainCheckSettings Train)
{
    /// <summary>The paper's AlexNet (227×227, 1000 classes), the default network of the Layers benchmark.</summary>
    public const string PaperNetwork = "alexnet";

    /// <summary>The 28×28 Fashion-MNIST AlexNet (the training sample's fashion preset), for setting the benchmark beside
    /// the training loop on Fashion-MNIST.</summary>
    public const string FashionNetwork = "fashion";

    /// <summary>Parses <c>--batch N</c> (repeatable; default 128 and 256), <c>--steps N</c>, <c>--warmup N</c>, <c>--tf32</c>, <c>--both-precisions</c> (the benchmarks with TF32 off, then on), <c>--profile</c>,
    /// <c>--skip-equivalence</c>, <c>--skip-benchmark</c>, <c>--cpu-smoke</c> (run the hand-wired benchmark network for two
    /// steps on the CPU backend and exit: checks the wiring on a machine without a GPU), <c>--train-check</c>,
    /// <c>--layers-benchmark</c> (with <c>--network alexnet|fashion</c>), <c>--model-check</c>, <c>--cpu-stand-in</c> (with any of the three: a CPU backend in place of the CUDA one,
    /// and tiny default sizes), and the training-check sizes <c>--fmnist DIR</c>, <c>--fmnist-epochs N</c>,
    /// <c>--fmnist-limit N</c>, <c>--compare-batch N</c>, <c>--compare-steps N</c>, <c>--synthetic-count N</c>,
    /// <c>--memorise-batch N</c>, <c>--memorise-steps N</c>, <c>--memorise-lr X</c>, <c>--image-scale X</c>.</summary>
    /// <exception cref="ArgumentException">An argument is unknown or a value is out of range.</exception>
    public static CheckOptions Parse(string[] args)
    {
        ArgumentNullException.ThrowIfNull(args);
        var batches = new List<int>();
        int steps = 20, warmup = 3;
        bool tf32 = false, both = false, profile = false, skipEq = false, skipBench = false, cpuSmoke = false, trainCheck = false, layersBench = false, modelCheck = false, standIn = false;
        var sizes = new Dictionary<string, string>(StringComparer.Ordinal);
        string network = PaperNetwork;
        for (int i = 0; i < args.Length; i++)
        {
            string Value() => i + 1 < args.Length ? args[++i] : throw new ArgumentException($"{args[i]} needs a value.");
            switch (args[i])
            {
                case "--batch": batches.Add(int.Parse(Value(), System.Globalization.CultureInfo.InvariantCulture)); break;
                case "--steps": steps = int.Parse(Value(), System.Globalization.CultureInfo.InvariantCulture); break;
                case "--warmup": warmup = int.Parse(Value(), System.Globalization.CultureInfo.InvariantCulture); break;
                case "--tf32": tf32 = true; break;
                case "--both-precisions": both = true; break;
                case "--profile": profile = true; break;
                case "--skip-equivalence": skipEq = true; break;
                case "--skip-benchmark": skipBench = true; break;
                case "--cpu-smoke": cpuSmoke = true; break;
                case "--train-check": trainCheck = true; break;
                case "--layers-benchmark": layersBench = true; break;
                case "--model-check": modelCheck = true; break;
                case "--network":
                    network = Value();
                    if (network is not (PaperNetwork or FashionNetwork))
                        throw new ArgumentException($"--network must be {PaperNetwork} or {FashionNetwork}, got '{network}'.");
                    break;
                case "--cpu-stand-in": standIn = true; break;
                case "--fmnist" or "--fmnist-epochs" or "--fmnist-limit" or "--compare-batch" or "--compare-steps" or "--synthetic-count"
                    or "--memorise-batch" or "--memorise-steps" or "--memorise-lr" or "--image-scale":
                    string name = args[i];
                    sizes[name] = Value();
                    break;
                default: throw new ArgumentException($"Unknown argument '{args[i]}'.");
            }
        }
        if (batches.Count == 0) batches.AddRange(standIn ? [2] : [128, 256]);
        if (standIn && steps == 20) (steps, warmup) = (1, 1);
        return new CheckOptions(batches, steps, warmup, tf32, both, profile, skipEq, skipBench, cpuSmoke, trainCheck, layersBench, modelCheck, network, standIn,
                                TrainCheckSettings.From(sizes, standIn));
    }
}

/// <summary>The sizes of the training check (<see cref="TrainCheck"/>).</summary>
/// <param name="FmnistFolder">Folder of the Fashion-MNIST IDX files (.gz or raw); null leaves that part out.</param>
/// <param name="FmnistEpochs">Training epochs on the device.</param>
/// <param name="FmnistLimit">Use only the first N training images (0: all in the folder).</param>
/// <param name="CompareBatch">Batch of the CPU-versus-device comparison of the paper network.</param>
/// <param name="CompareSteps">Steps compared.</param>
/// <param name="SyntheticCount">Images in the synthetic set.</param>
/// <param name="MemoriseBatch">Batch of the memorisation run.</param>
/// <param name="MemoriseSteps">Steps of the memorisation run.</param>
/// <param name="MemoriseLearningRate">Learning rate of the memorisation run.</param>
/// <param name="ImageScale">Standard deviation of the synthetic pixels (the paper feeds mean-subtracted byte values).</param>
public sealed record TrainCheckSettings(string? FmnistFolder, int FmnistEpochs, int FmnistLimit, int CompareBatch, int CompareSteps,
                                        int SyntheticCount, int MemoriseBatch, int MemoriseSteps, float MemoriseLearningRate, float ImageScale)
{
    /// <summary>Defaults (GPU sizes, or tiny ones for a CPU stand-in) overridden by the given values.</summary>
    /// <exception cref="ArgumentException">A value is out of range.</exception>
    public static TrainCheckSettings From(IReadOnlyDictionary<string, string> given, bool standIn)
    {
        ArgumentNullException.ThrowIfNull(given);
        var c = System.Globalization.CultureInfo.InvariantCulture;
        int Int(string name, int gpu, int cpu) => given.TryGetValue(name, out var v) ? int.Parse(v, c) : standIn ? cpu : gpu;
        var s = new TrainCheckSettings(
            given.GetValueOrDefault("--fmnist"),
            Int("--fmnist-epochs", 2, 1),
            Int("--fmnist-limit", 0, 512),
            Int("--compare-batch", 16, 2),
            Int("--compare-steps", 3, 2),
            Int("--synthetic-count", 256, 8),
            Int("--memorise-batch", 128, 4),
            Int("--memorise-steps", 200, 4),
            given.TryGetValue("--memorise-lr", out var lr) ? float.Parse(lr, c) : 0.01f,
            given.TryGetValue("--image-scale", out var scale) ? float.Parse(scale, c) : 64f);
        if (s.FmnistEpochs < 1 || s.FmnistLimit < 0 || s.CompareBatch < 1 || s.CompareSteps < 1 || s.SyntheticCount < 1
            || s.MemoriseBatch < 1 || s.MemoriseSteps < 1 || !(s.MemoriseLearningRate > 0) || !(s.ImageScale > 0))
            throw new ArgumentException($"A training-check size is out of range: {s}.");
        return s;
    }
}
