namespace AlexNet.Autograd.Cpu;

/// <summary>
/// Supplies micro-panels of op(A) to <see cref="PackedGemm"/>: rows [i0, i0 + rows) over steps [p0, p0 + kc),
/// step-major with <c>mr</c> values per step, rows past <c>rows</c> zero. Implemented by structs so the generic GEMM
/// driver is specialised per source and the calls inline.
/// </summary>
internal unsafe interface IPanelSourceA
{
    /// <summary>True when panels are read from an already packed copy (asking for one costs nothing).</summary>
    static abstract bool IsPrepacked { get; }

    /// <summary>Returns the micro-panel: packed into <paramref name="scratch"/>, or a pointer to an already packed copy.</summary>
    float* Panel(int i0, int p0, int rows, int kc, int mr, float* scratch);
}
