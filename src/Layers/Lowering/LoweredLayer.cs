using AlexNet.Autograd;

namespace AlexNet.Layers;

/// <summary>One layer of a lowered network: where it sits, what it produces and the steps that compute it.</summary>
/// <param name="Layer">The layer.</param>
/// <param name="Depth">Nesting depth: 0 at the top level, one more inside each group or Towers block.</param>
/// <param name="Output">Per-example output, all towers stacked.</param>
/// <param name="Parameters">Scalar parameters, all towers together.</param>
/// <param name="Steps">The steps the layer lowered to, its children's included for a group or block.</param>
public sealed record LoweredLayer(Layer Layer, int Depth, Shape Output, long Parameters, IReadOnlyList<Step> Steps);
