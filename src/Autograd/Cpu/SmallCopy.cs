using System.Runtime.CompilerServices;
using System.Runtime.Intrinsics;

namespace AlexNet.Autograd.Cpu;

/// <summary>Copies and clears of short float runs (a few to a few dozen), where a Memmove call costs more than the work.</summary>
internal static unsafe class SmallCopy
{
    /// <summary>dst[i] = src[i] for i in [0, n).</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static void Contiguous(float* src, float* dst, int n)
    {
        int i = 0;
        for (; i <= n - 16; i += 16) Vector512.Store(Vector512.Load(src + i), dst + i);
        if (i <= n - 8)
        {
            Vector256.Store(Vector256.Load(src + i), dst + i);
            i += 8;
        }
        for (; i < n; i++) dst[i] = src[i];
    }

    /// <summary>dst[i] = 0 for i in [0, n).</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static void Clear(float* dst, int n)
    {
        int i = 0;
        for (; i <= n - 16; i += 16) Vector512.Store(Vector512<float>.Zero, dst + i);
        for (; i < n; i++) dst[i] = 0f;
    }
}
