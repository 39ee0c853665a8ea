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

    /// <summary>Loads a checkpoint file or a run folder's best.ckpt onto a device and checks that its weights are finite.</summary>
    /// <exception cref="CliException">There is no checkpoint there, or a weight is NaN or infinite (its outputs would be
    /// meaningless).</exception>
    public static CheckpointModel Load(string checkpoint, IBackend backend)
    {
        var path = SharedOptions.ResolveCheckpoint(checkpoint);
        var model = new CheckpointModel(TrainingCheckpoint.Load(path, backend));
        foreach (var (name, tensor) in model.Run.State.Parameters)
        {
            if (Evaluator.AllFinite(tensor.ToArray())) continue;
            model.Dispose();
            throw new CliException($"The weights in '{path}' are not finite (NaN or infinite values in '{name}'), so its outputs are not finite either; "
                                 + "use an earlier checkpoint of the run or train again.");
        }
        return model;
    }

    /// <summary>Releases the tensors.</summary>
    public void Dispose()
    {
        Run.State.Parameters.DisposeAll();
        Run.State.Velocity.DisposeAll();
    }
}
