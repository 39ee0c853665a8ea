namespace AlexNet.Gpu;

/// <summary>A cuDNN convolution algorithm picked for one direction of one geometry.</summary>
/// <param name="Algo">The cudnnConvolution*Algo_t value.</param>
/// <param name="WorkspaceBytes">Workspace it needs.</param>
/// <param name="MathType">cudnnMathType_t to run it with.</param>
/// <param name="Source">How it was chosen: <c>find</c>, <c>heuristic</c> or <c>fallback</c>.</param>
internal sealed record AlgorithmChoice(int Algo, long WorkspaceBytes, int MathType, string Source);
