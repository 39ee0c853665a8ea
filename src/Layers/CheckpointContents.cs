using AlexNet.Autograd;

namespace AlexNet.Layers;

/// <summary>Everything a checkpoint holds.</summary>
/// <param name="Network">The model.</param>
/// <param name="Parameters">The network's parameters, in the network's order.</param>
/// <param name="Extras">The extra tensors saved with it (optimiser state such as <c>momentum.conv1.weight</c>), in file order.</param>
/// <param name="Metadata">The caller's metadata (the library's own <c>alexnet.*</c> entries removed).</param>
public sealed record CheckpointContents(Network Network, TensorMap Parameters, TensorMap Extras, IReadOnlyDictionary<string, string> Metadata);
