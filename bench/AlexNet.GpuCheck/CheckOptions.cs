namespace AlexNet.GpuCheck;

/// <summary>Command-line settings of the GPU check.</summary>
internal sealed record CheckOptions(IReadOnlyList<int> Batches, int Steps, int Warmup, bool Tf32, bool SkipEquivalence, bool SkipBenchmark, bool CpuSmoke)
{
    /// <summary>Parses <c>--batch N</c> (repeatable; default 128 and 256), <c>--steps N</c>, <c>--warmup N</c>, <c>--tf32</c>,
    /// <c>--skip-equivalence</c>, <c>--skip-benchmark</c>, <c>--cpu-smoke</c> (run the
    /// benchmark network for two steps on the CPU backend and exit: checks the wiring on a machine without a GPU).</summary>
    public static CheckOptions Parse(string[] args)
    {
        var batches = new List<int>();
        int steps = 20, warmup = 3;
        bool tf32 = false, skipEq = false, skipBench = false, cpuSmoke = false;
        for (int i = 0; i < args.Length; i++)
        {
            switch (args[i])
            {
                case "--batch": batches.Add(int.Parse(args[++i])); break;
                case "--steps": steps = int.Parse(args[++i]); break;
                case "--warmup": warmup = int.Parse(args[++i]); break;
                case "--tf32": tf32 = true; break;
                case "--skip-equivalence": skipEq = true; break;
                case "--skip-benchmark": skipBench = true; break;
                case "--cpu-smoke": cpuSmoke = true; break;
                default: throw new ArgumentException($"Unknown argument '{args[i]}'.");
            }
        }
        if (batches.Count == 0) batches.AddRange([128, 256]);
        return new CheckOptions(batches, steps, warmup, tf32, skipEq, skipBench, cpuSmoke);
    }
}
