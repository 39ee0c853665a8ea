namespace AlexNet.Autograd.Cpu;

/// <summary>
/// Packs blocks of op(B) for <see cref="PackedGemm"/>: steps [p0, p0 + kc) and columns [j0, j0 + cols) as ⌈cols / nr⌉
/// micro-panels of kc·nr values, each step-major with <c>nr</c> columns per step, columns past the end zero.
/// Implemented by structs so the generic GEMM driver is specialised per source.
/// </summary>
internal unsafe interface IPanelSourceB
{
    /// <summary>Writes the block to <paramref name="destination"/>.</summary>
    void Pack(int p0, int j0, int kc, int cols, int nr, float* destination);
}
