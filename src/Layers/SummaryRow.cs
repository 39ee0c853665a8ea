using AlexNet.Autograd;

namespace AlexNet.Layers;

/// <summary>One line of a <see cref="Summary"/>.</summary>
/// <param name="Name">The layer's name.</param>
/// <param name="Kind">The layer's kind, e.g. <c>Conv</c>, or <c>Towers×2</c> for a block.</param>
/// <param name="Depth">Nesting depth: 0 at the top, 1 inside a block or group.</param>
/// <param name="OutputShape">Per-example output; inside a Towers block, every tower's output stacked (e.g. [96, 55, 55]
/// for two towers of 48 maps).</param>
/// <param name="Parameters">Scalar parameters of the layer (over all towers); a block or group counts its contents.</param>
public sealed record SummaryRow(string Name, string Kind, int Depth, Shape OutputShape, long Parameters);
