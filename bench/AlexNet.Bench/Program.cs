using AlexNet.Autograd.Cpu;
using AlexNet.Bench;

// Usage: dotnet run -c Release --project bench/AlexNet.Bench [gemm|dense|conv|fashion-conv|stack|paper|small|all|loader] [batch] [repeats] [threads]
// `loader` (not part of `all`) measures prepare and the input pipeline on stores in /tmp/alexnet-bench.
// `data-parallel [batch] [epochs] [threads]` (not part of `all`) times the trainer on the Fashion-MNIST preset; start it
// under `mpirun -np N` to time N ranks (docs/distributed.md).
// The batch defaults to 32 (128 for small, the peer's Fashion-MNIST net); `all` runs small at 128.
string what = args.Length > 0 ? args[0] : "all";
if (what is "data-parallel")
{
    // Runs before the banner below: under mpirun only rank 0 prints, and MPI must be joined before anything else.
    DataParallelBench.Run(args.Length > 1 ? int.Parse(args[1], System.Globalization.CultureInfo.InvariantCulture) : 128,
                          args.Length > 2 ? int.Parse(args[2], System.Globalization.CultureInfo.InvariantCulture) : 3,
                          args.Length > 3 ? int.Parse(args[3], System.Globalization.CultureInfo.InvariantCulture) : 0);
    return;
}
int? givenBatch = args.Length > 1 ? int.Parse(args[1], System.Globalization.CultureInfo.InvariantCulture) : null;
int batch = givenBatch ?? 32;
int repeats = args.Length > 2 ? int.Parse(args[2], System.Globalization.CultureInfo.InvariantCulture) : 5;
int? threads = args.Length > 3 ? int.Parse(args[3], System.Globalization.CultureInfo.InvariantCulture) : null;
using var backend = new CpuBackend(threads);
Console.WriteLine($"AlexNet CPU kernels: {backend.Threads} threads on {Environment.ProcessorCount} cores, .NET {Environment.Version}, {DateTime.UtcNow:yyyy-MM-dd HH:mm} UTC");
Console.WriteLine();
if (what is "loader")
{
    Console.WriteLine($"load average {File.ReadAllText("/proc/loadavg").Trim()}");
    AlexNet.Bench.PrepareBench.Run();
    AlexNet.Bench.LoaderBench.Run(repeats);
    Console.WriteLine($"load average {File.ReadAllText("/proc/loadavg").Trim()}");
}
if (what is "gemm" or "all") GemmBench.Run(backend, [512, 1024, 2048], repeats);
if (what is "dense" or "all") GemmBench.RunDense(backend, batch, repeats);
if (what is "conv" or "all") ConvBench.Run(backend, batch, repeats);
if (what is "fashion-conv") ConvBench.Run(backend, $"Convolutions of the Fashion-MNIST preset, batch {givenBatch ?? 128}", PaperLayers.FashionConvs(givenBatch ?? 128), repeats);
if (what is "stack" or "all") StackBench.Run(backend, batch, repeats);
if (what is "paper" or "all") NetworkBench.Run(backend, "paper AlexNet", AlexNet.Layers.Presets.AlexNet(), batch, repeats);
if (what is "small" or "all") NetworkBench.Run(backend, "peer's small Fashion-MNIST AlexNet", NetworkBench.PeerSmall(), what == "small" ? givenBatch ?? 128 : 128, repeats);
