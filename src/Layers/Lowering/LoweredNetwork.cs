namespace AlexNet.Layers;

/// <summary>
/// A network as a flat list of primitive <see cref="Step"/>s (towers fused) and the layers they come from: the one
/// description that the forward pass, the summary and the exporters read.
/// </summary>
/// <param name="Layers">Every layer, groups and blocks before their contents, with their output shapes.</param>
/// <param name="Steps">The steps of a forward pass in order, a final softmax included.</param>
public sealed record LoweredNetwork(IReadOnlyList<LoweredLayer> Layers, IReadOnlyList<Step> Steps);
