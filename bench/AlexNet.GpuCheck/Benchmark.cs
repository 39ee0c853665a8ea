using System.Diagnostics;
using AlexNet.Autograd.Cpu;
using AlexNet.Gpu;

namespace AlexNet.GpuCheck;

/// <summary>Times the hand-wired AlexNet training step and inference on a fresh CUDA backend.</summary>
internal static class Benchmark
{
    /// <summary>Warm-up (algorithm search included), then timed steps; prints a RESULT line per measurement.</summary>
    public static void Run(int batch, CheckOptions options)
    {
        using var gpu = new CudaBackend(0, new CudaBackendOptions { AllowTf32 = options.Tf32 });
        using var net = new AlexNetStep(gpu, batch);
        Console.WriteLine($"parameters {net.ParameterCount:N0} (paper wiring: 60,965,224)");
        gpu.Synchronize();

        var sw = Stopwatch.StartNew();
        for (int i = 0; i < options.Warmup; i++) net.TrainStep();
        gpu.Synchronize();
        Console.WriteLine($"train warm-up: {options.Warmup} steps in {sw.Elapsed.TotalSeconds:F2} s (includes cuDNN algorithm search), loss {net.MeanLoss():F4}");
        foreach (var line in gpu.ConvolutionAlgorithms) Console.WriteLine("  " + line);

        sw.Restart();
        for (int i = 0; i < options.Steps; i++) net.TrainStep();
        gpu.Synchronize();
        double trainSeconds = sw.Elapsed.TotalSeconds;
        double trainRate = batch * options.Steps / trainSeconds;
        double loss = net.MeanLoss();
        long trainPeak = gpu.Memory.PeakBytes + gpu.WorkspaceBytes;
        Console.WriteLine($"train: {options.Steps} steps in {trainSeconds:F3} s = {1000 * trainSeconds / options.Steps:F2} ms/step, " +
                          $"{trainRate:F1} images/s, loss after {options.Warmup + options.Steps} steps {loss:F4}" +
                          (double.IsFinite(loss) ? "" : "  (FAIL: loss is not finite)"));

        for (int i = 0; i < options.Warmup; i++) net.Forward(train: false);
        gpu.Synchronize();
        sw.Restart();
        int inferSteps = options.Steps * 2;
        for (int i = 0; i < inferSteps; i++) net.Forward(train: false);
        gpu.Synchronize();
        double inferSeconds = sw.Elapsed.TotalSeconds;
        double inferRate = batch * inferSteps / inferSeconds;
        Console.WriteLine($"inference: {inferSteps} forward passes in {inferSeconds:F3} s = {1000 * inferSeconds / inferSteps:F2} ms/batch, {inferRate:F1} images/s");
        Console.WriteLine($"memory: peak in buffers {Mib(gpu.Memory.PeakBytes)} + cuDNN workspace {Mib(gpu.WorkspaceBytes)} = {Mib(trainPeak)}; " +
                          $"reserved from the device {Mib(gpu.ReservedBytes)}");
        Console.WriteLine($"RESULT impl=alexnet.net config={Config(options)} tf32={Tf32(options)} mode=train batch={batch} images_per_s={trainRate:F1} ms_per_step={1000 * trainSeconds / options.Steps:F2} peak_mib={trainPeak / 1048576.0:F0}");
        Console.WriteLine($"RESULT impl=alexnet.net config={Config(options)} tf32={Tf32(options)} mode=infer batch={batch} images_per_s={inferRate:F1} ms_per_step={1000 * inferSeconds / inferSteps:F2} peak_mib={trainPeak / 1048576.0:F0}");
    }

    /// <summary>The per-kernel profile of the training step on a fresh CUDA backend (<see cref="KernelTimingBackend"/>).</summary>
    public static void Profile(int batch, CheckOptions options)
    {
        using var timed = new KernelTimingBackend(new CudaBackend(0, new CudaBackendOptions { AllowTf32 = options.Tf32 }));
        PrintProfile(timed, batch, warmup: 2, steps: 3, Tf32(options));
    }

    /// <summary>Times every kernel of <paramref name="steps"/> training steps after <paramref name="warmup"/> untimed ones
    /// (algorithm search) and prints the kernels by time, with a PROFILE line.</summary>
    private static void PrintProfile(KernelTimingBackend timed, int batch, int warmup, int steps, string tf32)
    {
        using var net = new AlexNetStep(timed, batch);
        for (int i = 0; i < warmup; i++) net.TrainStep();
        timed.Synchronize();
        timed.Reset();
        for (int i = 0; i < steps; i++) net.TrainStep();
        timed.Synchronize();
        var times = timed.Times;
        double total = times.Sum(t => t.Milliseconds) / steps;
        Console.WriteLine($"per-kernel profile of the hand-wired training step on {timed.Name}, batch {batch}, TF32 {tf32}, mean of {steps} steps " +
                          $"(each kernel timed alone between two synchronisations): {total:F2} ms per step in kernels");
        Console.WriteLine($"  {"kernel",-52} {"calls",6} {"ms/step",9} {"share",7}");
        foreach (var (kernel, calls, ms) in times.Take(30))
            Console.WriteLine($"  {kernel,-52} {calls / steps,6} {ms / steps,9:F3} {100 * ms / steps / total,6:F1}%");
        if (times.Count > 30) Console.WriteLine($"  … {times.Count - 30} more kernels, {times.Skip(30).Sum(t => t.Milliseconds) / steps:F3} ms per step together");
        Console.WriteLine($"PROFILE impl=alexnet.net tf32={tf32} batch={batch} kernel_ms_per_step={total:F2} kernels={times.Count}");
    }

    /// <summary>Two training steps and one inference pass on the CPU backend, then the per-kernel profile on the CPU:
    /// checks shapes, wiring and the profiler without a GPU.</summary>
    public static int CpuSmoke(int batch)
    {
        using var cpu = new CpuBackend();
        var sw = Stopwatch.StartNew();
        using (var net = new AlexNetStep(cpu, batch))
        {
            Console.WriteLine($"parameters {net.ParameterCount:N0} (paper wiring: 60,965,224)");
            net.TrainStep();
            double first = net.MeanLoss();
            net.TrainStep();
            double second = net.MeanLoss();
            net.Forward(train: false);
            Console.WriteLine($"cpu smoke, batch {batch}: loss {first:F4} then {second:F4} in {sw.Elapsed.TotalSeconds:F1} s");
            if (!double.IsFinite(first) || !double.IsFinite(second)) return 1;
        }
        using (var timed = new KernelTimingBackend(new CpuBackend()))
            PrintProfile(timed, batch, warmup: 1, steps: 1, "off");
        Console.WriteLine($"cpu live buffers after dispose: {cpu.Memory.LiveBuffers}");
        return cpu.Memory.LiveBuffers == 0 ? 0 : 1;
    }

    private static string Mib(long bytes) => $"{bytes / 1048576.0:F0} MiB";

    /// <summary>The precision key of RESULT lines (TF32 in both cuDNN and cuBLAS, or neither).</summary>
    public static string Tf32(CheckOptions options) => options.Tf32 ? "on" : "off";

    /// <summary>The configuration key of RESULT lines, named as the PyTorch reference names its own.</summary>
    public static string Config(CheckOptions options) => options.Tf32 ? "tf32" : "fp32";
}
