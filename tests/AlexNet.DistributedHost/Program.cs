using System.Globalization;
using AlexNet.Autograd;
using AlexNet.Autograd.Cpu;
using AlexNet.Distributed;
using AlexNet.DistributedHost;
using AlexNet.Facade;
using AlexNet.Layers;

// The program the distributed tests start under mpirun (or alone, as the one-process reference). It trains the
// Fashion-MNIST preset on synthetic 28×28 images on one CPU thread and writes each rank's final weights and
// validation result to the output folder.
//   train <folder> <batch> <images> <dropout: on|off>   one epoch of <images>/<batch> steps
//   mismatch <folder>                                     rank 1 starts with another seed: every rank must stop
//   die <folder>                                          rank 1 kills itself: mpirun must end the job
// Exit codes: 0 done, 2 usage, 3 the ranks disagree, 4 a barrier passed a dead rank, 5 another error, 6 no MPI library.
if (args.Length < 2)
{
    Console.Error.WriteLine("usage: AlexNet.DistributedHost train|mismatch|die <folder> [batch images on|off]");
    return 2;
}
string scenario = args[0], folder = args[1];
ICommunicator joined;
try
{
    joined = MpiLaunch.IsLaunched ? MpiCommunicator.Initialize() : SingleProcessCommunicator.Instance;
}
catch (CommunicationLibraryNotFoundException e)
{
    Console.Error.WriteLine(e.Message);
    return 6;
}
using var communicator = joined;
int rank = communicator.Rank;
try
{
    Directory.CreateDirectory(folder);
    if (scenario == "die")
    {
        if (rank == 1) System.Diagnostics.Process.GetCurrentProcess().Kill();
        communicator.Barrier();
        Console.Error.WriteLine($"rank {rank}: the barrier returned although rank 1 died");
        return 4;
    }
    int batch = scenario == "train" ? int.Parse(args[2], CultureInfo.InvariantCulture) : 8;
    int images = scenario == "train" ? int.Parse(args[3], CultureInfo.InvariantCulture) : 16;
    bool dropout = scenario == "train" && args[4] == "on";
    var options = new TrainingOptions
    {
        Augmentation = new AugmentationOptions { CropSize = SyntheticImages.Size, Padding = 2, Scale = 1 / 64f },
        Epochs = 1,
        BatchSize = batch,
        LearningRate = 0.01f,
        Seed = scenario == "mismatch" ? 1 + rank : 1,
        EvaluationBatchSize = 16,
        Workers = 1,
        PrefetchDepth = 2,
    };
    var train = SyntheticImages.Make(images, 11);
    var validation = SyntheticImages.Make(40, 12);
    var network = Presets.AlexNetFashion();
    using var backend = new CpuBackend(1);
    var transform = new ImageTransform(options.Augmentation, 1, SyntheticImages.Size, SyntheticImages.Size, DatasetStatistics.Compute(train));
    var forward = NetworkModel.Of(network);
    ModelFunction model = dropout ? forward : (p, x, _, key) => forward(p, x, false, key);
    // Every rank initialises with its own seed's weights; the trainer replaces them with rank 0's.
    var init = network.Init(RandomKeys.Initialisation(RandomKeys.Root(options.Seed + 1000L * rank)), backend);
    var trainer = new Trainer(model, train, validation, transform, options, backend, communicator);
    var end = trainer.Run(TrainingState.Start(init, options));
    using (var writer = new BinaryWriter(File.Create(Path.Combine(folder, $"weights-rank{rank}.bin"))))
        foreach (var (name, t) in end.Parameters)
        {
            writer.Write(name);
            var values = t.ToArray();
            writer.Write(values.Length);
            foreach (var v in values) writer.Write(v);
        }
    var record = end.History[^1];
    File.WriteAllText(Path.Combine(folder, $"result-rank{rank}.txt"), string.Create(CultureInfo.InvariantCulture,
        $"{record.TrainLoss:R} {record.TrainError:R} {record.ValidationLoss:R} {record.ValidationTop1Error:R} {communicator.Size}\n"));
    return 0;
}
catch (RankMismatchException e)
{
    // Every rank throws this at once, so each can stop on its own.
    Console.Error.WriteLine($"rank {rank}: {e.Message}");
    return 3;
}
catch (Exception e)
{
    Console.Error.WriteLine($"rank {rank}: {e}");
    communicator.AbortJob(5);
    return 5;
}
