using AlexNet.Autograd;

namespace AlexNet.Layers;

/// <summary>Runs layers one after another, releasing each intermediate result as soon as the next layer has consumed
/// it (a no-op for results a tape recorded: the tape releases those).</summary>
internal static class LayerChain
{
    /// <summary>
    /// Folds <paramref name="step"/> over <paramref name="layers"/> starting from <paramref name="x"/>, which stays the
    /// caller's. The list must not be empty, so the result is always a new tensor.
    /// </summary>
    public static Tensor Run(IReadOnlyList<Layer> layers, Tensor x, Func<Layer, int, Tensor, Tensor> step)
    {
        if (layers.Count == 0) throw new InvalidOperationException("An empty layer list has no forward pass.");
        var current = x;
        for (int i = 0; i < layers.Count; i++)
        {
            var next = step(layers[i], i, current);
            if (!ReferenceEquals(current, x)) current.Dispose();
            current = next;
        }
        return current;
    }
}
