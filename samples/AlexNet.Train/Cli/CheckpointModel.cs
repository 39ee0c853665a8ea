using AlexNet.Autograd.Kernels;
using AlexNet.Facade.Augmentation;
using AlexNet.Facade.Training;

namespace AlexNet.Train.Cli;

/// <summary>A trained model read back from a training checkpoint, with the preprocessing it was trained with.</summary>
internal sealed class CheckpointModel : IDisposable
{
    private CheckpointModel(TrainingRun run)
    {
        Run = run;
        var a = run.Options.Augmentation;
        // Evaluation uses the same crop size, padding, mean and scale, and no randomness.
        Transform = new ImageTransform(a with { PcaStandardDeviation = 0, MaxRotationDegrees = 0 },
                                       run.Statistics.Channels, run.Statistics.Height, run.Statistics.Width, run.Statistics);
        Model = NetworkModel.Of(run.Network);
    }

    /// <summary>Everything the checkpoint holds.</summary>
    public TrainingRun Run { get; }

    /// <summary>The evaluation preprocessing.</summary>
    public ImageTransform Transform { get; }

    /// <summary>The forward pass.</summary>
    public ModelFunction Model { get; }

    /// <summary>Loads a checkpoint file or a run folder's best.ckpt onto a device.</summary>
    /// <exception cref="CliException">There is no checkpoint there.</exception>
    public static CheckpointModel Load(string checkpoint, IBackend backend) =>
        new(TrainingCheckpoint.Load(SharedOptions.ResolveCheckpoint(checkpoint), backend));

    /// <summary>Releases the tensors.</summary>
    public void Dispose()
    {
        Run.State.Parameters.DisposeAll();
        Run.State.Velocity.DisposeAll();
    }
}
