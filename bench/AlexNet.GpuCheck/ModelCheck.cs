using System.Diagnostics;
using AlexNet.Autograd;
using AlexNet.Autograd.Cpu;
using AlexNet.Autograd.Kernels;
using AlexNet.Gpu;
using AlexNet.Layers;

namespace AlexNet.GpuCheck;

/// <summary>
/// Model-level checks of one training pass of the paper's AlexNet (logits, loss and every gradient, train mode with
/// dropout) against the CPU reference (<c>--model-check</c>):
/// (1) the accuracy cost of TF32: the pass on the CUDA backend with TF32 off and with TF32 on, each against the CPU;
/// (2) the paper's model parallelism on real devices: the placed two-tower pass (<see cref="TowerPlacement"/>) with
/// tower 0 and the layers outside the towers on cuda:0 and tower 1 on the CPU, against the fused pass (grouped
/// convolutions on cuda:0) and the CPU reference, with every transfer between the devices logged and checked against
/// the wiring (the towers talk only at conv3, fc6, fc7 and fc8). With <c>--cpu-stand-in</c> a CPU backend stands in for
/// cuda:0 (so both towers run on CPU backends), which checks the code path on a machine without a GPU.
/// Prints <c>MODELCHECK name PASS|FAIL|INFO …</c> lines.
/// </summary>
internal static class ModelCheck
{
    /// <summary>Relative tolerance on the logits and the loss (‖a − b‖ / ‖b‖): the training check's loss tolerance.</summary>
    public const double LogitsTolerance = TrainCheck.LossTolerance;

    /// <summary>Relative tolerance on each gradient (‖a − b‖ / ‖b‖): the training check's parameter-change tolerance.</summary>
    public const double GradientTolerance = TrainCheck.DeltaTolerance;

    /// <summary>Runs both parts (each guarded); 0 when every PASS/FAIL line passed, 1 otherwise, 2 without a device.</summary>
    public static int Run(CheckOptions options)
    {
        var s = options.Train;
        var net = Presets.AlexNet();
        int batch = s.CompareBatch;
        Console.WriteLine($"==== Model-level check: {net}, batch {batch}, one training pass (train mode, dropout on) ====");
        var clock = Stopwatch.StartNew();
        var set = new SyntheticSet(RandomKey.FromSeed(2012), batch, net.InputShape, 1000, s.ImageScale);
        using var reference = new CpuBackend();
        var initial = InitialParameters(net, reference);
        var key = RandomKey.FromSeed(3);
        Console.WriteLine($"synthetic batch of {batch} images N(0, {s.ImageScale}²), paper initialisation; CPU reference with {Environment.ProcessorCount} cores " +
                          $"(set up in {clock.Elapsed.TotalSeconds:F1} s)");
        var cpu = Timed("cpu reference", () => FusedPass(net, initial, set, batch, reference, key));
        int failures = 0;

        Section("TF32: the CUDA backend with TF32 off and on, against the CPU");
        Guard("tf32", ref failures, () => Tf32Cost(net, initial, set, batch, key, cpu, options.CpuStandIn));

        Section("Placed towers: tower 0 on the device, tower 1 on the CPU, against the fused pass");
        Guard("towers", ref failures, () => PlacedTowers(net, initial, set, batch, key, cpu, options.CpuStandIn));

        Console.WriteLine(failures == 0 ? "MODELCHECK all PASS" : $"MODELCHECK {failures} part(s) FAILED");
        Console.WriteLine($"(model check: {clock.Elapsed.TotalSeconds:F1} s)");
        return failures == 0 ? 0 : 1;
    }

    /// <summary>The pass on the device with TF32 off and on; TF32 off must agree with the CPU, TF32 on is measured.</summary>
    private static bool Tf32Cost(Network net, Dictionary<string, float[]> initial, SyntheticSet set, int batch, RandomKey key, Pass cpu, bool standIn)
    {
        Pass OnDevice(bool tf32)
        {
            using IBackend device = standIn ? new CpuBackend() : new CudaBackend(0, new CudaBackendOptions { AllowTf32 = tf32 });
            return Timed($"{device.Name}, TF32 {(tf32 ? "on" : "off")}{(standIn ? " (CPU stand-in: TF32 does not apply)" : "")}",
                         () => FusedPass(net, initial, set, batch, device, key));
        }
        var off = Compare(OnDevice(false), cpu);
        var on = Compare(OnDevice(true), cpu);
        Console.WriteLine($"{"tensor",-16} {"‖cpu‖",11} {"TF32 off: rel",14} {"max rel",10} {"TF32 on: rel",14} {"max rel",10}");
        foreach (var name in off.Keys)
        {
            var (a, b) = (off[name], on[name]);
            Console.WriteLine($"{name,-16} {a.ReferenceNorm,11:G3} {a.Relative,14:G3} {a.MaxRelative,10:G3} {b.Relative,14:G3} {b.MaxRelative,10:G3}");
        }
        static double WorstGradient(Dictionary<string, Difference> d) => d.Where(p => p.Key is not ("logits" or "loss")).Max(p => p.Value.Relative);
        bool offOk = Within(off);
        Console.WriteLine($"MODELCHECK tf32-off-vs-cpu {(offOk ? "PASS" : "FAIL")} logits rel {off["logits"].Relative:G3}, loss rel {off["loss"].Relative:G3}, " +
                          $"worst gradient rel {WorstGradient(off):G3} (tolerances {LogitsTolerance:G2} and {GradientTolerance:G2})");
        Console.WriteLine($"MODELCHECK tf32-cost INFO TF32 on: logits rel {on["logits"].Relative:G3} (max {on["logits"].MaxRelative:G3}), loss rel {on["loss"].Relative:G3}, " +
                          $"worst gradient rel {WorstGradient(on):G3}; TF32 off: logits rel {off["logits"].Relative:G3}, worst gradient rel {WorstGradient(off):G3}" +
                          $"{(Within(on) ? " (TF32 on is also within the fp32 tolerances)" : " (TF32 on is outside the fp32 tolerances)")}");
        return offOk;
    }

    /// <summary>Tower 0 on the device (the primary), tower 1 on the CPU, against the fused pass on the device and on the CPU;
    /// the transfers of the placed pass must be those of the wiring.</summary>
    private static bool PlacedTowers(Network net, Dictionary<string, float[]> initial, SyntheticSet set, int batch, RandomKey key, Pass cpu, bool standIn)
    {
        var log = new TransferLog();
        using var device = new TransferLoggingBackend(standIn ? new CpuBackend() : new CudaBackend(0), log, standIn ? "cpu-a" : null);
        using var host = new TransferLoggingBackend(new CpuBackend(), log, standIn ? "cpu-b" : "cpu");
        Console.WriteLine($"tower 0 and the layers outside the towers on {device.Name}, tower 1 on {host.Name}{(standIn ? " (two CPU backends stand in for cuda:0 and the CPU)" : "")}");
        var fused = Timed($"fused on {device.Name}", () => FusedPass(net, initial, set, batch, device, key));
        var placement = new TowerPlacement([device, host]);
        var (placed, forward, backward) = Timed("placed", () => PlacedPass(net, initial, set, batch, placement, key, log));

        var againstFused = Compare(placed, fused);
        var againstCpu = Compare(placed, cpu);
        var fusedAgainstCpu = Compare(fused, cpu);
        Console.WriteLine($"{"tensor",-16} {"placed vs fused",16} {"placed vs cpu",14} {"fused vs cpu",13}");
        foreach (var name in againstFused.Keys)
            Console.WriteLine($"{name,-16} {againstFused[name].Relative,16:G3} {againstCpu[name].Relative,14:G3} {fusedAgainstCpu[name].Relative,13:G3}");
        bool valuesOk = Within(againstFused) && Within(againstCpu);

        var summary = net.Summary();
        long PerTower(string layer) => (long)batch * summary[layer].OutputShape.Count / 2;
        string a = device.Name, b = host.Name;
        var expectedForward = new List<TransferLog.Transfer>
        {
            new(a, b, (long)batch * net.InputShape.Count),                         // the batch, for tower 1's conv1
            new(b, a, PerTower("pool2")), new(a, b, PerTower("pool2")),            // conv3 reads both towers
            new(b, a, PerTower("flatten")), new(a, b, PerTower("flatten")),        // fc6
            new(b, a, PerTower("drop6")), new(a, b, PerTower("drop6")),            // fc7
            new(b, a, PerTower("drop7")),                                          // fc8, on the primary device
        };
        // Gradients flow back along the same transfers, reversed; the input is not differentiated.
        var expectedBackward = expectedForward.Skip(1).Select(t => new TransferLog.Transfer(t.To, t.From, t.Floats)).ToList();
        bool forwardOk = Same(expectedForward, forward.Transfers), backwardOk = Same(expectedBackward, backward.Transfers);
        PrintTransfers("forward", forward, expectedForward, forwardOk);
        PrintTransfers("backward", backward, expectedBackward, backwardOk);
        long Floats(IEnumerable<TransferLog.Transfer> t) => t.Sum(x => x.Floats);
        Console.WriteLine($"MODELCHECK towers-values {(valuesOk ? "PASS" : "FAIL")} placed vs fused: logits rel {againstFused["logits"].Relative:G3}, " +
                          $"worst gradient rel {againstFused.Where(p => p.Key is not ("logits" or "loss")).Max(p => p.Value.Relative):G3}; placed vs cpu: logits rel {againstCpu["logits"].Relative:G3} " +
                          $"(tolerances {LogitsTolerance:G2} and {GradientTolerance:G2})");
        Console.WriteLine($"MODELCHECK towers-transfers {(forwardOk && backwardOk ? "PASS" : "FAIL")} forward {forward.Transfers.Count} transfers ({Floats(forward.Transfers) * 4 / 1048576.0:F1} MiB), " +
                          $"backward {backward.Transfers.Count} ({Floats(backward.Transfers) * 4 / 1048576.0:F1} MiB), expected {expectedForward.Count} and {expectedBackward.Count}");
        return valuesOk && forwardOk && backwardOk;
    }

    private static void PrintTransfers(string pass, (List<TransferLog.Transfer> Transfers, int HostReads, int HostWrites) counted,
                                       List<TransferLog.Transfer> expected, bool ok)
    {
        Console.WriteLine($"{pass}: {counted.Transfers.Count} transfers between the devices (expected {expected.Count}), {counted.HostReads} host reads, {counted.HostWrites} host writes{(ok ? "" : "  MISMATCH")}");
        foreach (var t in counted.Transfers) Console.WriteLine($"  {t}");
        if (!ok)
            foreach (var t in expected) Console.WriteLine($"  expected {t}");
    }

    private static bool Same(List<TransferLog.Transfer> expected, List<TransferLog.Transfer> counted) =>
        expected.Order(Comparer).SequenceEqual(counted.Order(Comparer));

    private static readonly Comparer<TransferLog.Transfer> Comparer = Comparer<TransferLog.Transfer>.Create((x, y) =>
        (x.From, x.To, x.Floats).CompareTo((y.From, y.To, y.Floats)));

    /// <summary>Logits, loss and gradients (host copies, by parameter name) of one pass.</summary>
    private sealed record Pass(float[] Logits, double Loss, Dictionary<string, float[]> Gradients);

    /// <summary>How far one tensor is from the reference: ‖a − r‖ / ‖r‖ and max |a − r| / max |r|.</summary>
    private readonly record struct Difference(double ReferenceNorm, double Relative, double MaxRelative);

    private static Dictionary<string, float[]> InitialParameters(Network net, IBackend cpu)
    {
        var init = net.Init(RandomKey.FromSeed(1), cpu);
        try
        {
            return init.ToDictionary(p => p.Key, p => p.Value.ToArray());
        }
        finally
        {
            init.DisposeAll();
        }
    }

    private static TensorMap Upload(Network net, Dictionary<string, float[]> values, IBackend backend) =>
        TensorMap.From(net.ParameterSpecs.Select(spec => KeyValuePair.Create(spec.Name, Tensor.FromArray(values[spec.Name], spec.Shape, backend))));

    /// <summary>The one-device pass (towers fused into grouped convolutions).</summary>
    private static Pass FusedPass(Network net, Dictionary<string, float[]> initial, SyntheticSet set, int batch, IBackend backend, RandomKey key)
    {
        var parameters = Upload(net, initial, backend);
        try
        {
            var (x, y) = set.Batch(0, batch, backend);
            using (x)
            using (y)
            {
                var (value, logits, gradients) = Autodiff.ValueAndGrad(p =>
                {
                    var l = net.Apply(p, x, Mode.Train, key);
                    return (Ops.SoftmaxCrossEntropy(l, y), l.ToArray());
                }, parameters);
                double loss;
                using (value) loss = value.Item();
                var host = gradients.ToDictionary(g => g.Key, g => g.Value.ToArray());
                gradients.DisposeAll();
                return new Pass(logits, loss, host);
            }
        }
        finally
        {
            parameters.DisposeAll();
        }
    }

    /// <summary>The placed pass, with the transfers of its forward and of its backward half.</summary>
    private static (Pass Pass, (List<TransferLog.Transfer> Transfers, int HostReads, int HostWrites) Forward,
                    (List<TransferLog.Transfer> Transfers, int HostReads, int HostWrites) Backward) PlacedPass(
        Network net, Dictionary<string, float[]> initial, SyntheticSet set, int batch, TowerPlacement placement, RandomKey key, TransferLog log)
    {
        using var staging = new CpuBackend();
        var full = Upload(net, initial, staging);
        var sharded = placement.Shard(net, full);
        full.DisposeAll();
        try
        {
            var (x, y) = set.Batch(0, batch, placement.Primary);
            using (x)
            using (y)
            {
                using var tape = new Tape();
                var names = sharded.Keys.ToArray();
                var watched = sharded.Map((_, t) => tape.Watch(t));
                log.Clear();
                var logits = net.Apply(watched, x, Mode.Train, key, placement);
                var forward = log.Summarise();
                using var loss = Ops.SoftmaxCrossEntropy(logits, y);
                var logitValues = logits.ToArray();
                double lossValue = loss.Item();
                log.Clear();
                var gradients = tape.Gradients(loss, [.. watched.Values]);
                var backward = log.Summarise();
                var map = TensorMap.From(names.Zip(gradients, KeyValuePair.Create));
                try
                {
                    var gathered = placement.Gather(net, map);
                    var host = gathered.ToDictionary(g => g.Key, g => g.Value.ToArray());
                    gathered.DisposeAll();
                    return (new Pass(logitValues, lossValue, host), forward, backward);
                }
                finally
                {
                    map.DisposeAll();
                }
            }
        }
        finally
        {
            sharded.DisposeAll();
        }
    }

    /// <summary>Every tensor of a pass against the reference: logits, loss, then the gradients in parameter order.</summary>
    private static Dictionary<string, Difference> Compare(Pass pass, Pass reference)
    {
        var result = new Dictionary<string, Difference>
        {
            ["logits"] = Diff(pass.Logits, reference.Logits),
            ["loss"] = Diff([(float)pass.Loss], [(float)reference.Loss]),
        };
        foreach (var (name, r) in reference.Gradients) result[name] = Diff(pass.Gradients[name], r);
        return result;
    }

    private static Difference Diff(float[] a, float[] r)
    {
        if (a.Length != r.Length) throw new InvalidOperationException($"Compared tensors have {a.Length} and {r.Length} elements.");
        double diff = 0, norm = 0, maxDiff = 0, maxRef = 0;
        for (int i = 0; i < a.Length; i++)
        {
            double d = (double)a[i] - r[i];
            diff += d * d;
            norm += (double)r[i] * r[i];
            maxDiff = Math.Max(maxDiff, Math.Abs(d));
            maxRef = Math.Max(maxRef, Math.Abs(r[i]));
        }
        double rel = Math.Sqrt(diff) / Math.Max(Math.Sqrt(norm), 1e-30), maxRel = maxDiff / Math.Max(maxRef, 1e-30);
        return new Difference(Math.Sqrt(norm), double.IsFinite(rel) ? rel : double.PositiveInfinity, double.IsFinite(maxRel) ? maxRel : double.PositiveInfinity);
    }

    private static bool Within(Dictionary<string, Difference> d) =>
        d.All(p => p.Value.Relative <= (p.Key is "logits" or "loss" ? LogitsTolerance : GradientTolerance));

    private static T Timed<T>(string what, Func<T> f)
    {
        var clock = Stopwatch.StartNew();
        var result = f();
        Console.WriteLine($"{what}: {clock.Elapsed.TotalSeconds:F1} s");
        return result;
    }

    private static void Section(string title)
    {
        Console.WriteLine();
        Console.WriteLine($"---- {title} ----");
    }

    private static void Guard(string what, ref int failures, Func<bool> part)
    {
        try
        {
            if (!part()) failures++;
        }
        catch (Exception e)
        {
            failures++;
            Console.WriteLine($"MODELCHECK {what} FAIL with an exception: {e}");
        }
        Console.Out.Flush();
    }
}
