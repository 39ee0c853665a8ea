using AlexNet.Autograd;

namespace AlexNet.Layers;

/// <summary>Prediction with a trained network: class probabilities in eval mode (no dropout) and top-k labels.</summary>
public static class Inference
{
    /// <summary>
    /// Class probabilities softmax(logits) for a batch [N, ...InputShape] → [N, classes], in eval mode (dropout off),
    /// whether or not the network ends with a <see cref="Softmax"/> layer.
    /// </summary>
    /// <exception cref="ArgumentException">As <see cref="Network.Apply(TensorMap, Tensor, Mode, RandomKey)"/>, or the
    /// network's output is not a flat [classes] vector.</exception>
    public static Tensor PredictProbabilities(Network net, TensorMap p, Tensor x)
    {
        ArgumentNullException.ThrowIfNull(net);
        CheckFlat(net);
        using var logits = net.Apply(p, x, Mode.Eval, default);
        return Ops.Softmax(logits);
    }

    /// <summary>As <see cref="PredictProbabilities(Network, TensorMap, Tensor)"/> with every tower on its own device
    /// (sharded parameters); the probabilities are on the primary device.</summary>
    /// <exception cref="ArgumentException">As <see cref="Network.Apply(TensorMap, Tensor, Mode, RandomKey, TowerPlacement)"/>.</exception>
    public static Tensor PredictProbabilities(Network net, TensorMap p, Tensor x, TowerPlacement placement)
    {
        ArgumentNullException.ThrowIfNull(net);
        CheckFlat(net);
        using var logits = net.Apply(p, x, Mode.Eval, default, placement);
        return Ops.Softmax(logits);
    }

    /// <summary>
    /// The <paramref name="k"/> most probable classes of every row of a [N, classes] tensor, most probable first; ties
    /// go to the lower class index.
    /// </summary>
    /// <exception cref="ArgumentException">The tensor is not [N, classes], or k is outside [1, classes].</exception>
    public static int[][] TopK(Tensor probabilities, int k)
    {
        ArgumentNullException.ThrowIfNull(probabilities);
        if (probabilities.Rank != 2) throw new ArgumentException($"TopK needs [N, classes] scores; got {probabilities.Shape}.", nameof(probabilities));
        int rows = probabilities.Shape[0], classes = probabilities.Shape[1];
        if (k < 1 || k > classes) throw new ArgumentException($"k must be in [1, {classes}], got {k}.", nameof(k));
        var values = probabilities.ToArray();
        var result = new int[rows][];
        var order = new int[classes];
        for (int r = 0; r < rows; r++)
        {
            var row = new ReadOnlySpan<float>(values, r * classes, classes);
            for (int c = 0; c < classes; c++) order[c] = c;
            var rowCopy = row.ToArray();
            Array.Sort(order, (a, b) =>
            {
                int byValue = rowCopy[b].CompareTo(rowCopy[a]);
                return byValue != 0 ? byValue : a.CompareTo(b);
            });
            result[r] = order[..k];
        }
        return result;
    }

    /// <summary>The most probable class of every row of a [N, classes] tensor (ties to the lower index).</summary>
    /// <exception cref="ArgumentException">The tensor is not [N, classes] with classes ≥ 1.</exception>
    public static int[] ArgMax(Tensor scores) => [.. TopK(scores, 1).Select(r => r[0])];

    private static void CheckFlat(Network net)
    {
        if (net.OutputShape.Rank != 1)
            throw new ArgumentException($"Class probabilities need a network with a flat [classes] output; this one gives {net.OutputShape}.", nameof(net));
    }
}
