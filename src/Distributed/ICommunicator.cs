using AlexNet.Autograd;

namespace AlexNet.Distributed;

/// <summary>
/// A group of processes ("ranks", numbered 0 … <see cref="Size"/> − 1) that exchange tensors and host buffers through
/// a collective-communication engine (MPI, NCCL) or, with one process, through nothing at all.
/// </summary>
/// <remarks>
/// Every operation is collective: every rank must call it, in the same order, with the same sizes and root; a rank
/// that skips one leaves the others waiting. Operations that overwrite a tensor refuse tensors recorded on a tape
/// (nothing a gradient depends on may change underneath it) and are meant for buffers their caller owns, such as an
/// optimiser's weights. Sums are computed by the engine in an order it fixes, the same on every rank, so every rank
/// receives bit-identical results.
/// </remarks>
public interface ICommunicator : IDisposable
{
    /// <summary>This process's number, 0 … <see cref="Size"/> − 1.</summary>
    int Rank { get; }

    /// <summary>Number of processes in the group (≥ 1).</summary>
    int Size { get; }

    /// <summary>The engine, for messages: e.g. <c>single process</c>, <c>MPI (Open MPI 4.1.4)</c>, <c>NCCL 2.21.5</c>.</summary>
    string Description { get; }

    /// <summary>Overwrites <paramref name="tensor"/> on every rank with its contents on <paramref name="root"/>.</summary>
    /// <exception cref="ArgumentException">The tensor is recorded on a tape, or lives on a device this engine cannot reach.</exception>
    /// <exception cref="ArgumentOutOfRangeException">The root is not a rank.</exception>
    /// <exception cref="DistributedException">The engine reported an error.</exception>
    void Broadcast(Tensor tensor, int root);

    /// <summary>Overwrites <paramref name="tensor"/> on every rank with the element-wise sum of every rank's tensor.</summary>
    /// <exception cref="ArgumentException">The tensor is recorded on a tape, or lives on a device this engine cannot reach.</exception>
    /// <exception cref="DistributedException">The engine reported an error.</exception>
    void AllReduceSumInPlace(Tensor tensor);

    /// <summary>The element-wise sum of every rank's <paramref name="tensor"/>, as a new tensor on the same device (the
    /// argument is not changed and may be recorded on a tape).</summary>
    /// <exception cref="ArgumentException">The tensor lives on a device this engine cannot reach.</exception>
    /// <exception cref="DistributedException">The engine reported an error.</exception>
    Tensor AllReduceSum(Tensor tensor);

    /// <summary>Overwrites <paramref name="buffer"/> on every rank with its bytes on <paramref name="root"/>.</summary>
    /// <exception cref="ArgumentOutOfRangeException">The root is not a rank.</exception>
    /// <exception cref="DistributedException">The engine reported an error.</exception>
    void Broadcast(Span<byte> buffer, int root);

    /// <summary>Overwrites <paramref name="values"/> on every rank with the element-wise sum over the ranks.</summary>
    /// <exception cref="DistributedException">The engine reported an error.</exception>
    void AllReduceSum(Span<float> values);

    /// <summary>Overwrites <paramref name="values"/> on every rank with the element-wise sum over the ranks (metrics,
    /// counts and flags, exact for integers below 2⁵³).</summary>
    /// <exception cref="DistributedException">The engine reported an error.</exception>
    void AllReduceSum(Span<double> values);

    /// <summary>Returns once every rank has called it (after this rank's pending device work has finished).</summary>
    /// <exception cref="DistributedException">The engine reported an error.</exception>
    void Barrier();

    /// <summary>
    /// Ends every process of the job at once with <paramref name="exitCode"/>, after this rank failed in a way the
    /// others cannot know about (they would otherwise wait for it forever in the next collective). Returns only with
    /// one process, where there is nothing else to stop.
    /// </summary>
    void AbortJob(int exitCode);
}
