using AlexNet.Autograd;

namespace AlexNet.Layers;

/// <summary>Runs steps one after another, releasing each intermediate result as soon as the next step has consumed it
/// (a no-op for results a tape recorded: the tape releases those).</summary>
internal static class StepChain
{
    /// <summary>The steps' forward pass from <paramref name="x"/>, which stays the caller's; always a new tensor.</summary>
    public static Tensor Run(IReadOnlyList<Step> steps, TensorMap parameters, Tensor x, Mode mode, RandomKey key)
    {
        if (steps.Count == 0) return Ops.Copy(x);
        var current = x;
        foreach (var step in steps)
        {
            var next = step.Run(parameters, current, mode, key);
            if (!ReferenceEquals(current, x)) current.Dispose();
            current = next;
        }
        return current;
    }
}
