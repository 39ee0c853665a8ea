using System.Diagnostics;
using System.Globalization;
using AlexNet.Autograd.Cpu;
using AlexNet.Gpu;
using AlexNet.Gpu.Diagnostics;
using AlexNet.GpuCheck;

// The GPU check: library and device facts, every kernel on the GPU against the CPU reference, and the AlexNet training
// and inference benchmark. Each part is wrapped so one failure prints its exception and the next part still runs.
// Usage: AlexNet.GpuCheck [--batch N]... [--steps N] [--warmup N] [--tf32 | --both-precisions] [--profile] [--skip-equivalence] [--skip-benchmark] [--cpu-smoke]
//        AlexNet.GpuCheck --train-check [--fmnist DIR] [--cpu-stand-in] [sizes, see CheckOptions]   (model-level training check)
//        AlexNet.GpuCheck --layers-benchmark [--batch N]... [--tf32 | --both-precisions] [--network alexnet|fashion] [--cpu-stand-in]            (Layers-path benchmark)
//        AlexNet.GpuCheck --model-check [--compare-batch N] [--cpu-stand-in]                        (TF32 accuracy cost, placed towers)
//        AlexNet.GpuCheck --nccl                                                                    (NCCL all-reduce, one rank)

CultureInfo.DefaultThreadCurrentCulture = CultureInfo.InvariantCulture;
CultureInfo.CurrentCulture = CultureInfo.InvariantCulture;
if (args is ["--nccl"]) return NcclCheck.Run();
var options = CheckOptions.Parse(args);
int failures = 0;
if (options.CpuSmoke) return Benchmark.CpuSmoke(options.Batches[0]);
if ((options.TrainCheck || options.LayersBenchmark || options.ModelCheck) && !options.CpuStandIn && !LibrariesReady()) return 2;
if (options.TrainCheck) return TrainCheck.Run(options);
if (options.ModelCheck) return ModelCheck.Run(options);
if (options.LayersBenchmark) return LayersBenchmark.RunAll(options);

Section("Libraries");
Console.WriteLine($"search folders ({GpuLibraries.PathVariable} first): {string.Join(':', GpuLibraries.SearchFolders())}");
if (!GpuLibraries.TryEnsureLoaded(out var loadError))
{
    Console.WriteLine("FAIL loading the CUDA libraries:");
    Console.WriteLine(loadError);
    return 2;
}
Console.WriteLine("all CUDA libraries loaded");
if (!GpuAvailability.IsAvailable)
{
    Console.WriteLine("FAIL no CUDA device: " + GpuAvailability.Reason);
    return 2;
}
Console.WriteLine($"{GpuAvailability.DeviceCount} CUDA device(s)");

CudaBackend? gpu = null;
Guard("Device", () =>
{
    gpu = new CudaBackend(0, new CudaBackendOptions { AllowTf32 = options.Tf32 });
    Console.WriteLine(gpu.Device);
    Console.WriteLine($"TF32 {(options.Tf32 ? "allowed" : "off (CUDNN_FMA_MATH, CUBLAS_DEFAULT_MATH)")}");
});
if (gpu is null) return 2;

if (!options.SkipEquivalence)
{
    Section("Equivalence: CUDA against the CPU reference");
    using var cpu = new CpuBackend();
    Console.WriteLine($"{"case",-40} {"output",-46} {"max abs",10} {"max rel",10} {"tol abs",9} {"tol rel",9}  result");
    int passed = 0, total = 0;
    foreach (var name in BackendEquivalence.CaseNames)
    {
        IReadOnlyList<EquivalenceResult> results;
        try
        {
            results = BackendEquivalence.Run(name, cpu, gpu);
        }
        catch (Exception e)
        {
            results = [new EquivalenceResult(name, "harness", false, double.NaN, double.NaN, 0, 0, e.ToString())];
        }
        foreach (var r in results)
        {
            total++;
            if (r.Passed) passed++;
            else failures++;
            Console.WriteLine($"{Cut(r.Case, 40),-40} {Cut(r.Output, 46),-46} {r.MaxAbsError,10:G3} {r.MaxRelError,10:G3} {r.AbsTolerance,9:G2} {r.RelTolerance,9:G2}  {(r.Passed ? "PASS" : "FAIL")}");
            if (r.Error is not null) Console.WriteLine("    " + r.Error.Replace("\n", "\n    ", StringComparison.Ordinal));
        }
    }
    Console.WriteLine($"EQUIVALENCE {passed} passed, {total - passed} failed");
    Console.WriteLine("convolution algorithms chosen for the equivalence cases:");
    foreach (var line in gpu.ConvolutionAlgorithms) Console.WriteLine("  " + line);
    Guard("Live buffers after the equivalence run", () =>
        Console.WriteLine($"cuda live buffers {gpu.Memory.LiveBuffers} (expect 0), cpu live buffers {cpu.Memory.LiveBuffers} (expect 0)"));
}
gpu.Dispose();

if (!options.SkipBenchmark)
{
    foreach (var precision in options.BothPrecisions ? [options with { Tf32 = false }, options with { Tf32 = true }] : new[] { options })
        foreach (int batch in options.Batches)
        {
            Section($"AlexNet benchmark, batch {batch}, TF32 {Benchmark.Tf32(precision)}");
            Guard($"batch {batch}, TF32 {Benchmark.Tf32(precision)}", () => Benchmark.Run(batch, precision));
            if (options.Profile && batch == options.Batches[0])
                Guard($"profile, batch {batch}, TF32 {Benchmark.Tf32(precision)}", () => Benchmark.Profile(batch, precision));
        }
}

Section("Done");
Console.WriteLine(failures == 0 ? "all equivalence checks passed" : $"{failures} equivalence check(s) FAILED");
return failures == 0 ? 0 : 1;

static bool LibrariesReady()
{
    if (!GpuLibraries.TryEnsureLoaded(out var error))
    {
        Console.WriteLine("FAIL loading the CUDA libraries:");
        Console.WriteLine(error);
        return false;
    }
    if (!GpuAvailability.IsAvailable)
    {
        Console.WriteLine("FAIL no CUDA device: " + GpuAvailability.Reason);
        return false;
    }
    return true;
}

static void Section(string title)
{
    Console.WriteLine();
    Console.WriteLine($"==== {title} ====");
}

static void Guard(string what, Action action)
{
    var sw = Stopwatch.StartNew();
    try
    {
        action();
    }
    catch (Exception e)
    {
        Console.WriteLine($"FAIL {what}: {e}");
    }
    finally
    {
        Console.Out.Flush();
    }
    if (sw.Elapsed.TotalSeconds > 1) Console.WriteLine($"({what}: {sw.Elapsed.TotalSeconds:F1} s)");
}

static string Cut(string s, int n) => s.Length <= n ? s : s[..(n - 1)] + "…";
