using AlexNet.Autograd;

namespace AlexNet.Facade.Pipeline;

/// <summary>The order in which an epoch visits a data set, drawn from an explicit key.</summary>
public static class EpochPlan
{
    /// <summary>A uniformly random permutation of 0 … n − 1 (Fisher–Yates; step i uses element i of the key's stream).</summary>
    /// <exception cref="ArgumentOutOfRangeException">n is negative.</exception>
    public static int[] Permutation(int n, RandomKey key)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(n);
        var order = new int[n];
        for (int i = 0; i < n; i++) order[i] = i;
        for (int i = n - 1; i > 0; i--)
        {
            int j = key.Integer(i, i + 1);
            (order[i], order[j]) = (order[j], order[i]);
        }
        return order;
    }

    /// <summary>Splits an order into consecutive batches.</summary>
    /// <param name="order">The indices in visiting order.</param>
    /// <param name="batchSize">Images per batch (≥ 1).</param>
    /// <param name="dropLast">Leave out a final batch smaller than <paramref name="batchSize"/> (training keeps every
    /// step the same size; evaluation keeps every image).</param>
    /// <exception cref="ArgumentOutOfRangeException">batchSize is below 1.</exception>
    public static int[][] Batches(IReadOnlyList<int> order, int batchSize, bool dropLast)
    {
        ArgumentNullException.ThrowIfNull(order);
        ArgumentOutOfRangeException.ThrowIfLessThan(batchSize, 1);
        int full = order.Count / batchSize;
        int count = dropLast || order.Count % batchSize == 0 ? full : full + 1;
        var batches = new int[count][];
        for (int b = 0; b < count; b++)
        {
            int start = b * batchSize, length = Math.Min(batchSize, order.Count - start);
            batches[b] = new int[length];
            for (int i = 0; i < length; i++) batches[b][i] = order[start + i];
        }
        return batches;
    }
}
