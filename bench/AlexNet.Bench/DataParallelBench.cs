using AlexNet.Autograd.Cpu;
using AlexNet.Distributed;
using AlexNet.Facade;
using AlexNet.Layers;

namespace AlexNet.Bench;

/// <summary>
/// The trainer on the Fashion-MNIST preset (28×28 grey, ten classes, the CLI's augmentation) over random images, alone
/// or as one rank of an MPI job: <c>mpirun -np 2 … data-parallel 128 3 1</c> against <c>data-parallel 128 3 2</c>
/// compares two processes of one kernel thread with one process of two. Rank 0 prints each epoch's training
/// throughput (steps only; validation excluded) in images per second of the global batch.
/// </summary>
internal static class DataParallelBench
{
    /// <summary>Times <paramref name="epochs"/> epochs of twelve steps of <paramref name="batch"/> images.</summary>
    /// <param name="batch">The global batch.</param>
    /// <param name="epochs">Epochs (each prints one line).</param>
    /// <param name="threads">Kernel threads of this process (0: one per core).</param>
    public static void Run(int batch, int epochs, int threads)
    {
        using var communicator = MpiLaunch.IsLaunched ? MpiCommunicator.Initialize() : (ICommunicator)SingleProcessCommunicator.Instance;
        using var backend = new CpuBackend(threads > 0 ? threads : null);
        var train = RandomImages(batch * 12, 1);
        var validation = RandomImages(200, 2);
        var options = new TrainingOptions
        {
            Augmentation = new AugmentationOptions { CropSize = 28, Padding = 2, HorizontalFlip = true, MaxRotationDegrees = 10, Scale = 1 / 64f },
            Epochs = epochs,
            BatchSize = batch,
            LearningRate = 0.001f, // random images: a low rate keeps the loss finite for the whole run
            EvaluationBatchSize = 100,
            Workers = 1,
            PrefetchDepth = 4,
        };
        var network = Presets.AlexNetFashion();
        var transform = new ImageTransform(options.Augmentation, 1, 28, 28, DatasetStatistics.Compute(train));
        var trainer = new Trainer(NetworkModel.Of(network), train, validation, transform, options, backend, communicator);
        var start = TrainingState.Start(network.Init(RandomKeys.Initialisation(RandomKeys.Root(options.Seed)), backend), options);
        var end = trainer.Run(start);
        if (communicator.Rank != 0) return;
        Console.WriteLine($"data-parallel Fashion-MNIST preset: {communicator.Size} rank(s) × {backend.Threads} kernel thread(s) on {Environment.ProcessorCount} cores, " +
                          $"{communicator.Description}, global batch {batch} ({batch / communicator.Size} per rank), .NET {Environment.Version}, " +
                          $"{DateTime.UtcNow:yyyy-MM-dd HH:mm} UTC, load {File.ReadAllText("/proc/loadavg").Trim()}");
        foreach (var r in end.History)
            Console.WriteLine($"  epoch {r.Epoch}: {trainer.StepsPerEpoch} steps, {r.ImagesPerSecond,7:F1} images/s (training), epoch with validation {r.EpochSeconds:F2} s, train loss {r.TrainLoss:F4}");
        end.Dispose();
    }

    private static InMemoryImageDataset RandomImages(int count, int seed)
    {
        var rng = new Random(seed);
        var pixels = new byte[count * 28 * 28];
        rng.NextBytes(pixels);
        var labels = Enumerable.Range(0, count).Select(i => i % 10).ToArray();
        return new InMemoryImageDataset(pixels, labels, 1, 28, 28, Enumerable.Range(0, 10).Select(c => $"class{c}").ToArray());
    }
}
