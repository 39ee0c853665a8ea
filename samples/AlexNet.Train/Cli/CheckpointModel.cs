using AlexNet.Autograd.Kernels;
using AlexNet.Facade;

namespace AlexNet.Train.Cli;

/// <summary>A trained model read back from a training checkpoint, with the preprocessing it was trained with (the
/// library's <see cref="TrainedModel"/>), refused when its weights are not finite.</summary>
internal sealed class CheckpointModel : IDisposable
{
    private CheckpointModel(TrainedModel trained) => Trained = trained;

    /// <summary>The library's model: prediction and the image reading it applies.</summary>
    public TrainedModel Trained { get; }

    /// <summary>Everything the checkpoint holds.</summary>
    public TrainingRun Run => Trained.Run;

    /// <summary>The evaluation preprocessing.</summary>
    public ImageTransform Transform => Trained.Transform;

    /// <summary>The forward pass.</summary>
    public ModelFunction Model => Trained.Model;

    /// <summary>Loads a checkpoint file or a run folder's best.ckpt onto a device and checks that its weights are finite.</summary>
    /// <exception cref="CliException">There is no checkpoint there, or a weight is NaN or infinite (its outputs would be
    /// meaningless).</exception>
    public static CheckpointModel Load(string checkpoint, IBackend backend)
    {
        var path = SharedOptions.ResolveCheckpoint(checkpoint);
        var model = new CheckpointModel(TrainedModel.Load(path, backend));
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
    public void Dispose() => Trained.Dispose();
}
