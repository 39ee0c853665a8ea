using TensorPrimitives = System.Numerics.Tensors.TensorPrimitives;
using AlexNet.Autograd;

namespace AlexNet.Distributed;

/// <summary>
/// Averages gradients over the ranks of a data-parallel step: every rank computed the gradient of the mean loss over
/// its equal share of the global batch, so the mean of those gradients is the gradient of the mean loss over the whole
/// batch, (1/N)·Σᵣ (1/b)·Σ_{i∈r} ∇ℓᵢ = (1/B)·Σᵢ ∇ℓᵢ with B = N·b.
/// </summary>
/// <remarks>
/// Host-memory gradients are packed in the map's order (the network's order, the same on every rank) into buckets of
/// about <see cref="BucketElements"/> floats, and each bucket is summed with one collective call: few large messages
/// instead of one per bias vector, in an order that never changes, so the result is deterministic. Gradients on a GPU
/// are summed one tensor at a time where they lie (NCCL enqueues them on the device's stream). The sum is then scaled
/// by 1/N.
/// </remarks>
public static class GradientAverager
{
    /// <summary>Target size of one host bucket, in floats (16 MiB).</summary>
    public const int BucketElements = 1 << 22;

    /// <summary>The mean over the ranks of every rank's <paramref name="gradients"/>, as new tensors on the same devices
    /// (same names and shapes; the caller disposes both maps).</summary>
    /// <param name="communicator">The ranks.</param>
    /// <param name="gradients">This rank's gradients (not modified).</param>
    /// <exception cref="DistributedException">The engine reported an error.</exception>
    public static TensorMap Average(ICommunicator communicator, TensorMap gradients)
    {
        ArgumentNullException.ThrowIfNull(communicator);
        ArgumentNullException.ThrowIfNull(gradients);
        float scale = 1f / communicator.Size;
        var averaged = new Dictionary<string, Tensor>(StringComparer.Ordinal);
        var bucket = new List<(string Name, Tensor Tensor)>();
        int bucketCount = 0;
        try
        {
            foreach (var (name, g) in gradients)
            {
                if (TensorStorage.HostArray(g) is null)
                {
                    using var sum = communicator.AllReduceSum(g);
                    averaged[name] = sum * scale;
                    continue;
                }
                if (bucketCount > 0 && bucketCount + g.Count > BucketElements)
                {
                    ReduceBucket(communicator, bucket, bucketCount, scale, averaged);
                    bucket.Clear();
                    bucketCount = 0;
                }
                bucket.Add((name, g));
                bucketCount += g.Count;
            }
            if (bucket.Count > 0) ReduceBucket(communicator, bucket, bucketCount, scale, averaged);
            var result = TensorMap.Empty;
            foreach (var (name, _) in gradients) result = result.Add(name, averaged[name]);
            return result;
        }
        catch
        {
            foreach (var t in averaged.Values) t.Dispose();
            throw;
        }
    }

    private static void ReduceBucket(ICommunicator communicator, List<(string Name, Tensor Tensor)> bucket, int count, float scale,
                                     Dictionary<string, Tensor> averaged)
    {
        var packed = new float[count];
        int offset = 0;
        foreach (var (_, g) in bucket)
        {
            TensorStorage.HostArray(g)!.AsSpan(0, g.Count).CopyTo(packed.AsSpan(offset));
            offset += g.Count;
        }
        communicator.AllReduceSum(packed.AsSpan());
        TensorPrimitives.Multiply(packed, scale, packed);
        offset = 0;
        foreach (var (name, g) in bucket)
        {
            averaged[name] = Tensor.FromSpan(packed.AsSpan(offset, g.Count), g.Shape, g.Backend);
            offset += g.Count;
        }
    }
}
