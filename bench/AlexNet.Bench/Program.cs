using AlexNet.Autograd.Cpu;
using AlexNet.Bench;

// Usage: dotnet run -c Release --project bench/AlexNet.Bench [gemm|dense|conv|stack|all] [batch] [repeats] [threads]
string what = args.Length > 0 ? args[0] : "all";
int batch = args.Length > 1 ? int.Parse(args[1], System.Globalization.CultureInfo.InvariantCulture) : 32;
int repeats = args.Length > 2 ? int.Parse(args[2], System.Globalization.CultureInfo.InvariantCulture) : 5;
int? threads = args.Length > 3 ? int.Parse(args[3], System.Globalization.CultureInfo.InvariantCulture) : null;
using var backend = new CpuBackend(threads);
Console.WriteLine($"AlexNet CPU kernels: {backend.Threads} threads on {Environment.ProcessorCount} cores, .NET {Environment.Version}, {DateTime.UtcNow:yyyy-MM-dd HH:mm} UTC");
Console.WriteLine();
if (what is "gemm" or "all") GemmBench.Run(backend, [512, 1024, 2048], repeats);
if (what is "dense" or "all") GemmBench.RunDense(backend, batch, repeats);
if (what is "conv" or "all") ConvBench.Run(backend, batch, repeats);
if (what is "stack" or "all") StackBench.Run(backend, batch, repeats);
