using System.Runtime.InteropServices;

namespace AlexNet.Gpu.Interop;

/// <summary>
/// <c>cudnnConvolution{Fwd,BwdData,BwdFilter}AlgoPerf_t</c> (one layout for all three): 48 bytes on x86-64 Linux.
/// </summary>
[StructLayout(LayoutKind.Explicit, Size = 48)]
internal struct ConvolutionAlgoPerf
{
    /// <summary>The algorithm enum value.</summary>
    [FieldOffset(0)] public int Algo;
    /// <summary>cudnnStatus_t of the trial; only SUCCESS entries are usable.</summary>
    [FieldOffset(4)] public int Status;
    /// <summary>Measured (Find) or estimated time in milliseconds.</summary>
    [FieldOffset(8)] public float Time;
    /// <summary>Workspace bytes the algorithm needs.</summary>
    [FieldOffset(16)] public nuint Memory;
    /// <summary>cudnnDeterminism_t: 1 = deterministic.</summary>
    [FieldOffset(24)] public int Determinism;
    /// <summary>cudnnMathType_t the result was obtained with.</summary>
    [FieldOffset(28)] public int MathType;
}
