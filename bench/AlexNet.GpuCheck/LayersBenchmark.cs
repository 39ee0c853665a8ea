using System.Diagnostics;
using AlexNet.Autograd;
using AlexNet.Autograd.Cpu;
using AlexNet.Autograd.Kernels;
using AlexNet.Facade;
using AlexNet.Gpu;
using AlexNet.Layers;

namespace AlexNet.GpuCheck;

/// <summary>
/// Times the paper's AlexNet on the library's own path (<see cref="Presets.AlexNet"/>, <see cref="Network.Apply(TensorMap, Tensor, Mode, RandomKey)"/>
/// inside <see cref="Autodiff.ValueAndGrad(Func{TensorMap, Tensor}, TensorMap)"/>, <see cref="SgdMomentum"/>) and breaks a
/// step down into its parts, so that it can be set beside the hand-wired network (<see cref="AlexNetStep"/>).
/// </summary>
internal static class LayersBenchmark
{
    /// <summary>Every batch size of the options, each on a fresh backend; returns 0 when every run finished with a finite loss.</summary>
    public static int RunAll(CheckOptions options)
    {
        int failures = 0;
        foreach (var precision in options.BothPrecisions ? [options with { Tf32 = false }, options with { Tf32 = true }] : new[] { options })
            failures += RunBatches(precision);
        return failures == 0 ? 0 : 1;
    }

    /// <summary>Every batch size at one precision; returns the number of runs that failed.</summary>
    private static int RunBatches(CheckOptions options)
    {
        int failures = 0;
        foreach (int batch in options.Batches)
        {
            Console.WriteLine();
            Console.WriteLine($"==== {(options.Network == CheckOptions.FashionNetwork ? "Fashion-MNIST AlexNet (the fashion preset)" : "AlexNet")} benchmark through the Layers path, batch {batch}, TF32 {Benchmark.Tf32(options)} ====");
            var clock = Stopwatch.StartNew();
            try
            {
                if (!Run(batch, options)) failures++;
            }
            catch (Exception e)
            {
                failures++;
                Console.WriteLine($"FAIL layers benchmark, batch {batch}: {e}");
            }
            Console.WriteLine($"(batch {batch}: {clock.Elapsed.TotalSeconds:F1} s)");
            Console.Out.Flush();
        }
        return failures;
    }

    /// <summary>Warm-up, then timed training steps, their parts, and inference; prints RESULT lines.</summary>
    private static bool Run(int batch, CheckOptions options)
    {
        using IBackend backend = options.CpuStandIn ? new CpuBackend() : new CudaBackend(0, new CudaBackendOptions { AllowTf32 = options.Tf32 });
        var gpu = backend as CudaBackend;
        long Workspace() => gpu?.WorkspaceBytes ?? 0;
        var net = options.Network == CheckOptions.FashionNetwork ? Presets.AlexNetFashion() : Presets.AlexNet();
        string suffix = options.Network == CheckOptions.FashionNetwork ? "-fashion" : "";
        int classes = net.OutputShape[0];
        var root = RandomKeys.Root(1);
        var init = net.Init(RandomKeys.Initialisation(root), backend);
        using var optimizer = new SgdMomentum(init, 0.9f, 5e-4f);
        init.DisposeAll();
        Console.WriteLine($"{net}");
        var key = RandomKey.FromSeed(2012);
        using var x = Tensor.Uniform(key.Fold(1000), new Shape([batch, .. net.InputShape.Dims]), -1f, 1f, backend);
        using var y = Tensor.FromArray([.. Enumerable.Range(0, batch).Select(i => (float)(i * 7919 % classes))], new Shape(batch), backend);
        backend.Synchronize();

        Tensor Loss(TensorMap p, int step) => Ops.SoftmaxCrossEntropy(net.Apply(p, x, Mode.Train, RandomKeys.Dropout(root, 0, step)), y);
        int step = 0;
        void TrainStep()
        {
            int s = step++;
            var (value, gradients) = Autodiff.ValueAndGrad(p => Loss(p, s), optimizer.Parameters);
            value.Dispose();
            optimizer.Step(gradients, 0.01f);
            gradients.DisposeAll();
        }

        backend.ResetPeak();
        var sw = Stopwatch.StartNew();
        for (int i = 0; i < options.Warmup; i++) TrainStep();
        backend.Synchronize();
        Console.WriteLine($"train warm-up: {options.Warmup} steps in {sw.Elapsed.TotalSeconds:F2} s (includes cuDNN algorithm search)");

        // The step as a user's loop runs it, with no host synchronisation inside (the loss stays on the device).
        sw.Restart();
        for (int i = 0; i < options.Steps; i++) TrainStep();
        backend.Synchronize();
        double trainMs = 1000 * sw.Elapsed.TotalSeconds / options.Steps;
        long trainPeak = backend.Memory.PeakBytes + Workspace();
        var (lossValue, lossGradients) = Autodiff.ValueAndGrad(p => Loss(p, step), optimizer.Parameters);
        float loss = lossValue.Item();
        lossValue.Dispose();
        lossGradients.DisposeAll();

        // Its parts: forward + backward alone, the optimiser alone, and the trainer's per-step reads (loss and logits).
        sw.Restart();
        for (int i = 0; i < options.Steps; i++)
        {
            var (value, gradients) = Autodiff.ValueAndGrad(p => Loss(p, i), optimizer.Parameters);
            value.Dispose();
            gradients.DisposeAll();
        }
        backend.Synchronize();
        double gradMs = 1000 * sw.Elapsed.TotalSeconds / options.Steps;

        var zeros = optimizer.Parameters.Map((_, t) => Tensor.Zeros(t.Shape, backend));
        sw.Restart();
        for (int i = 0; i < options.Steps; i++) optimizer.Step(zeros, 0f);
        backend.Synchronize();
        double sgdMs = 1000 * sw.Elapsed.TotalSeconds / options.Steps;
        zeros.DisposeAll();

        sw.Restart();
        for (int i = 0; i < options.Steps; i++)
        {
            int s = step++;
            var (value, hits, gradients) = Autodiff.ValueAndGrad(p =>
            {
                var logits = net.Apply(p, x, Mode.Train, RandomKeys.Dropout(root, 0, s));
                return (Ops.SoftmaxCrossEntropy(logits, y), logits.ToArray().Length);
            }, optimizer.Parameters);
            using (value) _ = value.Item() + hits;
            optimizer.Step(gradients, 0.01f);
            gradients.DisposeAll();
        }
        backend.Synchronize();
        double trainerMs = 1000 * sw.Elapsed.TotalSeconds / options.Steps;

        backend.ResetPeak();
        for (int i = 0; i < options.Warmup; i++) net.Apply(optimizer.Parameters, x, Mode.Eval, default).Dispose();
        backend.Synchronize();
        int inferSteps = options.Steps * 2;
        sw.Restart();
        for (int i = 0; i < inferSteps; i++) net.Apply(optimizer.Parameters, x, Mode.Eval, default).Dispose();
        backend.Synchronize();
        double inferMs = 1000 * sw.Elapsed.TotalSeconds / inferSteps;
        long inferPeak = backend.Memory.PeakBytes + Workspace();

        Console.WriteLine($"train step (ValueAndGrad + SgdMomentum.Step, no host read): {trainMs:F2} ms = {1000 * batch / trainMs:F1} images/s; loss after {step} steps {loss:F4}");
        Console.WriteLine($"  forward + backward alone (ValueAndGrad): {gradMs:F2} ms");
        Console.WriteLine($"  SgdMomentum.Step alone (one fused in-place kernel per parameter): {sgdMs:F2} ms");
        Console.WriteLine($"  step as the Facade's Trainer runs it (plus loss.Item() and logits.ToArray() each step): {trainerMs:F2} ms");
        Console.WriteLine($"inference (Apply in eval mode): {inferMs:F2} ms/batch = {1000 * batch / inferMs:F1} images/s");
        if (gpu is not null)
            Console.WriteLine($"memory: train peak {Mib(trainPeak)} (buffers + cuDNN workspace {Mib(Workspace())}), inference peak {Mib(inferPeak)} (includes the optimiser's weights and velocities); reserved {Mib(gpu.ReservedBytes)}");
        Console.WriteLine($"RESULT impl=alexnet.net-layers{suffix} config={Benchmark.Config(options)} tf32={Benchmark.Tf32(options)} mode=train batch={batch} images_per_s={1000 * batch / trainMs:F1} ms_per_step={trainMs:F2} peak_mib={trainPeak / 1048576.0:F0}");
        Console.WriteLine($"RESULT impl=alexnet.net-layers{suffix} config={Benchmark.Config(options)} tf32={Benchmark.Tf32(options)} mode=infer batch={batch} images_per_s={1000 * batch / inferMs:F1} ms_per_step={inferMs:F2} peak_mib={inferPeak / 1048576.0:F0}");
        Console.WriteLine($"RESULT impl=alexnet.net-layers-trainer{suffix} config={Benchmark.Config(options)} tf32={Benchmark.Tf32(options)} mode=train batch={batch} images_per_s={1000 * batch / trainerMs:F1} ms_per_step={trainerMs:F2} peak_mib={trainPeak / 1048576.0:F0}");
        Console.WriteLine($"PARTS impl=alexnet.net-layers{suffix} tf32={Benchmark.Tf32(options)} batch={batch} step_ms={trainMs:F2} grad_ms={gradMs:F2} sgd_ms={sgdMs:F2} trainer_step_ms={trainerMs:F2} infer_ms={inferMs:F2}");
        return float.IsFinite(loss);
    }

    private static string Mib(long bytes) => $"{bytes / 1048576.0:F0} MiB";
}
