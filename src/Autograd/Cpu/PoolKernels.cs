using System.Numerics.Tensors;
using System.Runtime.CompilerServices;
using System.Runtime.Intrinsics;
using System.Runtime.Intrinsics.X86;
using AlexNet.Autograd.Kernels;

namespace AlexNet.Autograd.Cpu;

/// <summary>
/// Max-pooling kernels over a range of NCHW planes: the general clipped-window loops, and an AVX-512 pair for the
/// paper's overlapping 3×3 stride-2 unpadded windows that every AlexNet pooling layer uses.
/// </summary>
/// <remarks>
/// Both pairs compute the same bits. Forward is an IEEE maximum (NaN propagates, +0 beats −0). Backward routes each
/// output's gradient to the window element picked by a strictly-greater scan in row-major order — the first maximal
/// input, and for NaN inputs exactly what that scan picks — and adds the contributions to an input in output order.
/// </remarks>
internal static unsafe class PoolKernels
{
    /// <summary>
    /// The kernels for <paramref name="g"/> on hardware with or without AVX-512: <see cref="Forward3x3Stride2"/> and
    /// <see cref="Backward3x3Stride2"/> for 3×3 stride-2 unpadded windows when <paramref name="avx512"/>, the general
    /// loops otherwise. A pure function, so the choice is testable on any machine.
    /// </summary>
    public static PoolPath PathFor(in PoolGeometry g, bool avx512) =>
        avx512 && g.KernelHeight == 3 && g.KernelWidth == 3 && g.StrideHeight == 2 && g.StrideWidth == 2 && g.PadHeight == 0 && g.PadWidth == 0
            ? PoolPath.Overlapping3x3Avx512
            : PoolPath.General;

    /// <summary>Forward for any geometry on planes [p0, p1); <paramref name="column"/> holds at least one input row.</summary>
    public static void ForwardGeneral(float* x, float* y, in PoolGeometry g, int p0, int p1, Span<float> column)
    {
        int inPlane = g.InHeight * g.InWidth, outPlane = g.OutHeight * g.OutWidth, w = g.InWidth;
        column = column[..w];
        for (int p = p0; p < p1; p++)
        {
            float* src = x + (long)p * inPlane;
            float* dst = y + (long)p * outPlane;
            for (int oy = 0; oy < g.OutHeight; oy++)
            {
                // Max down the window's rows for every input column at once (vectorised), then across each window.
                int y0 = oy * g.StrideHeight - g.PadHeight;
                int top = Math.Max(y0, 0), bottom = Math.Min(y0 + g.KernelHeight, g.InHeight);
                float* output = dst + oy * g.OutWidth;
                if (top >= bottom)
                {
                    new Span<float>(output, g.OutWidth).Fill(float.NegativeInfinity);
                    continue;
                }
                new ReadOnlySpan<float>(src + top * w, w).CopyTo(column);
                for (int iy = top + 1; iy < bottom; iy++)
                    TensorPrimitives.Max(column, new ReadOnlySpan<float>(src + iy * w, w), column);
                for (int ox = 0; ox < g.OutWidth; ox++)
                {
                    int x0 = ox * g.StrideWidth - g.PadWidth;
                    int left = Math.Max(x0, 0), right = Math.Min(x0 + g.KernelWidth, w);
                    float best = left < right ? column[left] : float.NegativeInfinity;
                    for (int ix = left + 1; ix < right; ix++) best = Math.Max(best, column[ix]);
                    output[ox] = best;
                }
            }
        }
    }

    /// <summary>Backward for any geometry on planes [p0, p1); overwrites those planes of <paramref name="dx"/>.</summary>
    public static void BackwardGeneral(float* x, float* dy, float* dx, in PoolGeometry g, int p0, int p1)
    {
        int inPlane = g.InHeight * g.InWidth, outPlane = g.OutHeight * g.OutWidth;
        for (int p = p0; p < p1; p++)
        {
            float* src = x + (long)p * inPlane;
            float* grad = dy + (long)p * outPlane;
            float* dst = dx + (long)p * inPlane;
            new Span<float>(dst, inPlane).Clear();
            for (int oy = 0; oy < g.OutHeight; oy++)
            {
                for (int ox = 0; ox < g.OutWidth; ox++)
                {
                    int arg = ArgMax(src, g, oy, ox);
                    if (arg >= 0) dst[arg] += grad[oy * g.OutWidth + ox];
                }
            }
        }
    }

    /// <summary>
    /// Forward for 3×3 stride-2 unpadded windows on planes [p0, p1). Per output row and run of 16 outputs: the
    /// vertical max of the three input rows over 32 (+1) columns, split into even and odd columns by one permute each;
    /// output ox is then max(even[ox], odd[ox], even[ox + 1]).
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public static void Forward3x3Stride2(float* x, float* y, in PoolGeometry g, int p0, int p1)
    {
        int w = g.InWidth, inPlane = g.InHeight * w, oh = g.OutHeight, ow = g.OutWidth;
        var even = Vector512<int>.Indices * 2;
        var odd = even + Vector512<int>.One;
        for (int p = p0; p < p1; p++)
        {
            float* plane = x + (long)p * inPlane;
            float* output = y + (long)p * oh * ow;
            for (int oy = 0; oy < oh; oy++, output += ow)
            {
                float* r0 = plane + 2 * oy * w;
                var low = ColumnMax(r0, w, 0);
                for (int ox0 = 0; ox0 < ow; ox0 += 16)
                {
                    int c0 = 2 * ox0, n = Math.Min(16, ow - ox0);
                    var high = ColumnMax(r0, w, c0 + 16);
                    // Only a full run's last window reaches column c0 + 32, which starts the next run.
                    var next = n == 16 ? ColumnMax(r0, w, c0 + 32) : default;
                    var e = Avx512F.PermuteVar16x32x2(low, even, high);
                    var o = Avx512F.PermuteVar16x32x2(low, odd, high);
                    var e1 = ShiftInFirst(e, next);
                    Store(output + ox0, Vector512.Max(Vector512.Max(e, o), e1), n);
                    low = next;
                }
            }
        }
    }

    /// <summary>
    /// Backward for 3×3 stride-2 unpadded windows on planes [p0, p1); overwrites those planes of <paramref name="dx"/>.
    /// Sixteen windows at a time run the strictly-greater scan over their nine candidates (even, odd and next-even
    /// columns of each row) with compares and blends, tracking the winners' plane indices; the gradients are then added
    /// one by one in output order, since neighbouring windows share a column and consecutive rows share a row.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public static void Backward3x3Stride2(float* x, float* dy, float* dx, in PoolGeometry g, int p0, int p1)
    {
        int w = g.InWidth, inPlane = g.InHeight * w, oh = g.OutHeight, ow = g.OutWidth;
        var even = Vector512<int>.Indices * 2;
        var odd = even + Vector512<int>.One;
        int* winner = stackalloc int[16];
        for (int p = p0; p < p1; p++)
        {
            float* plane = x + (long)p * inPlane;
            float* grad = dy + (long)p * oh * ow;
            float* dst = dx + (long)p * inPlane;
            new Span<float>(dst, inPlane).Clear();
            for (int oy = 0; oy < oh; oy++, grad += ow)
            {
                float* r0 = plane + 2 * oy * w, r1 = r0 + w, r2 = r1 + w;
                Vector512<float> low0 = Row(r0, w, 0), low1 = Row(r1, w, 0), low2 = Row(r2, w, 0);
                for (int ox0 = 0; ox0 < ow; ox0 += 16)
                {
                    int c0 = 2 * ox0, n = Math.Min(16, ow - ox0);
                    Vector512<float> high0 = Row(r0, w, c0 + 16), high1 = Row(r1, w, c0 + 16), high2 = Row(r2, w, c0 + 16);
                    Vector512<float> next0 = default, next1 = default, next2 = default;
                    if (n == 16)
                    {
                        next0 = Row(r0, w, c0 + 32);
                        next1 = Row(r1, w, c0 + 32);
                        next2 = Row(r2, w, c0 + 32);
                    }

                    // Plane index of each lane's window origin; candidate (i, j) sits at origin + i·w + j.
                    var origin = Vector512.Create(2 * oy * w + c0) + even;
                    var e = Avx512F.PermuteVar16x32x2(low0, even, high0);
                    var best = e;
                    var arg = origin;
                    Challenge(ref best, ref arg, Avx512F.PermuteVar16x32x2(low0, odd, high0), origin + Vector512.Create(1));
                    Challenge(ref best, ref arg, ShiftInFirst(e, next0), origin + Vector512.Create(2));
                    e = Avx512F.PermuteVar16x32x2(low1, even, high1);
                    Challenge(ref best, ref arg, e, origin + Vector512.Create(w));
                    Challenge(ref best, ref arg, Avx512F.PermuteVar16x32x2(low1, odd, high1), origin + Vector512.Create(w + 1));
                    Challenge(ref best, ref arg, ShiftInFirst(e, next1), origin + Vector512.Create(w + 2));
                    e = Avx512F.PermuteVar16x32x2(low2, even, high2);
                    Challenge(ref best, ref arg, e, origin + Vector512.Create(2 * w));
                    Challenge(ref best, ref arg, Avx512F.PermuteVar16x32x2(low2, odd, high2), origin + Vector512.Create(2 * w + 1));
                    Challenge(ref best, ref arg, ShiftInFirst(e, next2), origin + Vector512.Create(2 * w + 2));

                    Vector512.Store(arg, winner);
                    float* gradRun = grad + ox0;
                    for (int i = 0; i < n; i++) dst[winner[i]] += gradRun[i];
                    low0 = next0;
                    low1 = next1;
                    low2 = next2;
                }
            }
        }
    }

    /// <summary>Plane index of the first maximal input of window (oy, ox) in row-major order; −1 if the window is all padding.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static int ArgMax(float* plane, in PoolGeometry g, int oy, int ox)
    {
        int y0 = oy * g.StrideHeight - g.PadHeight, x0 = ox * g.StrideWidth - g.PadWidth, w = g.InWidth;
        int ya = Math.Max(y0, 0), yb = Math.Min(y0 + g.KernelHeight, g.InHeight);
        int xa = Math.Max(x0, 0), xb = Math.Min(x0 + g.KernelWidth, w);
        if (ya >= yb || xa >= xb) return -1;
        int arg = ya * w + xa;
        float best = plane[arg];
        for (int iy = ya; iy < yb; iy++)
        {
            float* row = plane + iy * w;
            for (int ix = xa; ix < xb; ix++)
            {
                if (row[ix] > best)
                {
                    best = row[ix];
                    arg = iy * w + ix;
                }
            }
        }
        return arg;
    }

    /// <summary>One step of the strictly-greater scan: lanes whose candidate beats the best so far take it and its index.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static void Challenge(ref Vector512<float> best, ref Vector512<int> arg, Vector512<float> candidate, Vector512<int> index)
    {
        // A NaN candidate never wins and a NaN best is never beaten, as in the scalar scan.
        var wins = Vector512.GreaterThan(candidate, best);
        best = Vector512.ConditionalSelect(wins, candidate, best);
        arg = Vector512.ConditionalSelect(wins.AsInt32(), index, arg);
    }

    /// <summary>Lanes 1..15 of <paramref name="v"/> followed by lane 0 of <paramref name="next"/>: the columns two to the right.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static Vector512<float> ShiftInFirst(Vector512<float> v, Vector512<float> next) =>
        Avx512F.AlignRight32(next.AsInt32(), v.AsInt32(), 1).AsSingle();

    /// <summary>Max of rows r, r + w, r + 2w over columns [c, c + 16); columns at or past <paramref name="w"/> read as 0.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static Vector512<float> ColumnMax(float* r, int w, int c) =>
        Vector512.Max(Vector512.Max(Row(r, w, c), Row(r + w, w, c)), Row(r + 2 * w, w, c));

    /// <summary>Row <paramref name="r"/> at columns [c, c + 16); columns at or past <paramref name="w"/> are not read and come back 0.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static Vector512<float> Row(float* r, int w, int c)
    {
        if (c + 16 <= w) return Vector512.Load(r + c);
        if (c >= w) return Vector512<float>.Zero;
        // Masked-off lanes are not touched, so the row's last floats may end the buffer.
        return Avx512F.MaskLoad(r + c, FirstLanes(w - c), Vector512<float>.Zero);
    }

    /// <summary>Stores the first <paramref name="n"/> (1..16) lanes of <paramref name="v"/> at <paramref name="p"/>.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static void Store(float* p, Vector512<float> v, int n)
    {
        if (n == 16) Vector512.Store(v, p);
        else Avx512F.MaskStore(p, FirstLanes(n), v);
    }

    /// <summary>All-ones in lanes [0, n), zero elsewhere.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static Vector512<float> FirstLanes(int n) =>
        Vector512.LessThan(Vector512<int>.Indices, Vector512.Create(n)).AsSingle();
}
