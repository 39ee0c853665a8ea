using AlexNet.Autograd;

namespace AlexNet.Layers;

/// <summary>One tensor described by a validated safetensors header: where its bytes lie in the data region.</summary>
/// <param name="Name">The tensor's name.</param>
/// <param name="Dtype">Its element type.</param>
/// <param name="Shape">Its shape.</param>
/// <param name="Begin">First byte in the data region.</param>
/// <param name="End">One past its last byte.</param>
public sealed record SafeTensorsEntry(string Name, SafeTensorsDtype Dtype, Shape Shape, long Begin, long End);
