using System.Runtime.InteropServices;

namespace AlexNet.Autograd.Cpu;

/// <summary>
/// One thread's GEMM packing buffers, 64-byte aligned native memory allocated once per thread and reused by every call
/// on it (no per-call allocation); freed by the finalizer when the thread and its buffers are gone.
/// </summary>
internal sealed unsafe class GemmScratch
{
    [ThreadStatic]
    private static GemmScratch? t_current;

    private float* _aBlock;

    private GemmScratch()
    {
        A = (float*)NativeMemory.AlignedAlloc(PackedGemm.ABufferLength * sizeof(float), 64);
        B = (float*)NativeMemory.AlignedAlloc(PackedGemm.BBufferLength * sizeof(float), 64);
        Tile = (float*)NativeMemory.AlignedAlloc(PackedGemm.TileBufferLength * sizeof(float), 64);
    }

    /// <summary>A packed A block (every micro-panel of one k block), allocated on first use.</summary>
    public float* ABlock
    {
        get
        {
            if (_aBlock == null) _aBlock = (float*)NativeMemory.AlignedAlloc(PackedGemm.ABlockLength * sizeof(float), 64);
            return _aBlock;
        }
    }

    ~GemmScratch()
    {
        NativeMemory.AlignedFree(A);
        NativeMemory.AlignedFree(B);
        NativeMemory.AlignedFree(Tile);
        NativeMemory.AlignedFree(_aBlock);
    }

    /// <summary>The calling thread's buffers.</summary>
    public static GemmScratch Current => t_current ??= new GemmScratch();

    /// <summary>One packed A micro-panel.</summary>
    public float* A { get; }

    /// <summary>One packed B block.</summary>
    public float* B { get; }

    /// <summary>A full micro-tile, for edge tiles that only partly overlap C.</summary>
    public float* Tile { get; }
}
