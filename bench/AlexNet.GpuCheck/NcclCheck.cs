using System.Diagnostics;
using AlexNet.Autograd;
using AlexNet.Distributed;
using AlexNet.Gpu;

namespace AlexNet.GpuCheck;

/// <summary>
/// NCCL with one rank on cuda:0 (<c>--nccl</c>): the all-reduce of a tensor as large as the paper network's gradients,
/// checked (one rank's sum is its own input, so the result must be bit-identical) and timed. It proves that NCCL loads,
/// joins and reduces on the CUDA backend's stream; more ranks need several GPUs and <c>mpirun</c> (docs/distributed.md).
/// </summary>
internal static class NcclCheck
{
    /// <summary>Runs the check; 0 when the result is exact, 1 when it is not, 2 when NCCL or the device is missing.</summary>
    public static int Run(int repeats = 10)
    {
        Console.WriteLine("==== NCCL, one rank: all-reduce of the paper network's gradients ====");
        if (!GpuLibraries.TryEnsureLoaded(out var loadError))
        {
            Console.WriteLine("FAIL loading the CUDA libraries:\n" + loadError);
            return 2;
        }
        if (!GpuAvailability.IsAvailable)
        {
            Console.WriteLine("FAIL no CUDA device: " + GpuAvailability.Reason);
            return 2;
        }
        using var gpu = new CudaBackend(0);
        NcclCommunicator nccl;
        try
        {
            nccl = new NcclCommunicator(SingleProcessCommunicator.Instance, gpu);
        }
        catch (DistributedException e)
        {
            Console.WriteLine("FAIL " + e.Message);
            return 2;
        }
        using (nccl)
        {
            int count = checked((int)AlexNet.Layers.Presets.AlexNet().ParameterCount);
            using var host = Tensor.Uniform(RandomKey.FromSeed(61), new Shape(count), -1f, 1f);
            var expected = host.ToArray();
            using var gradients = Ops.To(host, gpu);
            nccl.AllReduceSumInPlace(gradients); // warm-up, and the checked result
            var result = gradients.ToArray();
            int differing = 0;
            for (int i = 0; i < count; i++)
                if (BitConverter.SingleToInt32Bits(result[i]) != BitConverter.SingleToInt32Bits(expected[i])) differing++;
            var clock = Stopwatch.StartNew();
            for (int r = 0; r < repeats; r++) nccl.AllReduceSumInPlace(gradients);
            gpu.Synchronize();
            double ms = clock.Elapsed.TotalMilliseconds / repeats;
            double gigabytes = count * 4.0 / 1e9;
            Console.WriteLine($"{nccl.Description}: {count:N0} floats ({gigabytes * 1000:F0} MB), mean of {repeats}: {ms:F3} ms, {gigabytes / (ms / 1000):F1} GB/s; result {(differing == 0 ? "identical to the input" : $"DIFFERS in {differing:N0} elements")}");
            Console.WriteLine($"NCCLCHECK ranks=1 floats={count} ms={ms:F3} exact={(differing == 0 ? "yes" : "no")}");
            return differing == 0 ? 0 : 1;
        }
    }
}
