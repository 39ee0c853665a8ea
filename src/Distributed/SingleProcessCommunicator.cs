using AlexNet.Autograd;

namespace AlexNet.Distributed;

/// <summary>
/// The group of one process, the default: every collective leaves its data as it is (the sum over one rank is the
/// rank's own value, and the root's data is already everywhere), so training with it is plain single-process training.
/// </summary>
public sealed class SingleProcessCommunicator : ICommunicator
{
    /// <summary>The shared instance (it holds nothing).</summary>
    public static SingleProcessCommunicator Instance { get; } = new();

    /// <inheritdoc/>
    public int Rank => 0;

    /// <inheritdoc/>
    public int Size => 1;

    /// <inheritdoc/>
    public string Description => "single process";

    /// <inheritdoc/>
    public void Broadcast(Tensor tensor, int root)
    {
        TensorStorage.RequireWritable(tensor, "Broadcast");
        TensorStorage.RequireRoot(root, 1);
    }

    /// <inheritdoc/>
    public void AllReduceSumInPlace(Tensor tensor) => TensorStorage.RequireWritable(tensor, "AllReduceSumInPlace");

    /// <inheritdoc/>
    public Tensor AllReduceSum(Tensor tensor)
    {
        ArgumentNullException.ThrowIfNull(tensor);
        return Ops.Copy(tensor, track: false);
    }

    /// <inheritdoc/>
    public void Broadcast(Span<byte> buffer, int root) => TensorStorage.RequireRoot(root, 1);

    /// <inheritdoc/>
    public void AllReduceSum(Span<float> values) { }

    /// <inheritdoc/>
    public void AllReduceSum(Span<double> values) { }

    /// <inheritdoc/>
    public void Barrier() { }

    /// <inheritdoc/>
    public void AbortJob(int exitCode) { }

    /// <summary>Nothing to release.</summary>
    public void Dispose() { }
}
