using System.Runtime.CompilerServices;
using System.Runtime.Intrinsics;
using System.Runtime.Intrinsics.X86;
using AlexNet.Autograd.Kernels;

namespace AlexNet.Autograd.Cpu;

/// <summary>
/// Local response normalisation on NCHW float tensors, one strip at a time: a strip is one vector of consecutive spatial
/// positions of one image, walked down all of its channels. The channel window of a position then lives in vectors
/// loaded moments earlier (L1-resident), so forward reads x once and writes y once, and backward reads x, y, dy once and
/// writes dx once, whatever the plane size.
/// </summary>
/// <remarks>
/// Work items are (image, strip) pairs, numbered image-major; a caller hands a contiguous range of them to each thread.
/// Every position goes through the same operations in the same order whichever item, thread or vector width computes it:
/// the last strip of a plane, when the plane is not a whole number of vectors, is copied into a zero-padded scratch strip
/// and computed by the same vector code. Results therefore depend on neither the thread count nor the split.
/// </remarks>
internal static unsafe class LrnKernels
{
    /// <summary>Strips per image: spatial positions per image over the vector width, rounded up.</summary>
    public static int StripsPerImage(in LrnGeometry g, LaneWidth width)
    {
        int lanes = SimdLanes.CountOf(width);
        return (g.Height * g.Width + lanes - 1) / lanes;
    }

    /// <summary>Floats of scratch one thread needs for <see cref="Forward"/> (0 when no plane ends in a partial strip).</summary>
    public static int ForwardScratchLength(in LrnGeometry g, LaneWidth width)
    {
        int lanes = SimdLanes.CountOf(width);
        return g.Height * g.Width % lanes == 0 ? 0 : 2 * g.Channels * lanes;
    }

    /// <summary>Floats of scratch one thread needs for <see cref="Backward"/>.</summary>
    public static int BackwardScratchLength(in LrnGeometry g, LaneWidth width) => 6 * g.Channels * SimdLanes.CountOf(width);

    /// <summary>
    /// y = x · (k + α·Σ_window x²)^(−β) for the work items [<paramref name="first"/>, <paramref name="end"/>), with
    /// <paramref name="scratch"/> at least <see cref="ForwardScratchLength"/> floats owned by the calling thread.
    /// </summary>
    public static void Forward(LaneWidth width, float* x, float* y, in LrnGeometry g, int first, int end, float* scratch)
    {
        switch (width)
        {
            case LaneWidth.V512: Forward<Lanes512, Vector512<float>>(x, y, g, first, end, scratch); break;
            case LaneWidth.V256: Forward<Lanes256, Vector256<float>>(x, y, g, first, end, scratch); break;
            default: Forward<Lanes128, Vector128<float>>(x, y, g, first, end, scratch); break;
        }
    }

    /// <summary>
    /// dx = dy·s^(−β) − 2αβ·x·Σ_{j: c in window(j)} dy_j·y_j/s_j for the work items [<paramref name="first"/>,
    /// <paramref name="end"/>), where s = k + α·Σ_window x² is recomputed from x, with <paramref name="scratch"/> at least
    /// <see cref="BackwardScratchLength"/> floats owned by the calling thread.
    /// </summary>
    public static void Backward(LaneWidth width, float* x, float* y, float* dy, float* dx, in LrnGeometry g, int first, int end, float* scratch)
    {
        switch (width)
        {
            case LaneWidth.V512: Backward<Lanes512, Vector512<float>>(x, y, dy, dx, g, first, end, scratch); break;
            case LaneWidth.V256: Backward<Lanes256, Vector256<float>>(x, y, dy, dx, g, first, end, scratch); break;
            default: Backward<Lanes128, Vector128<float>>(x, y, dy, dx, g, first, end, scratch); break;
        }
    }

    private static void Forward<TL, TV>(float* x, float* y, in LrnGeometry g, int first, int end, float* scratch)
        where TL : struct, ILanes<TV> where TV : unmanaged
    {
        if (g.Beta == 0.75f) Forward<TL, TV, ThreeQuarters>(x, y, g, first, end, scratch, default);
        else Forward<TL, TV, AnyPower>(x, y, g, first, end, scratch, new AnyPower(g.Beta));
    }

    private static void Backward<TL, TV>(float* x, float* y, float* dy, float* dx, in LrnGeometry g, int first, int end, float* scratch)
        where TL : struct, ILanes<TV> where TV : unmanaged
    {
        if (g.Beta == 0.75f) Backward<TL, TV, ThreeQuarters>(x, y, dy, dx, g, first, end, scratch, default);
        else Backward<TL, TV, AnyPower>(x, y, dy, dx, g, first, end, scratch, new AnyPower(g.Beta));
    }

    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static void Forward<TL, TV, TP>(float* x, float* y, in LrnGeometry g, int first, int end, float* scratch, TP power)
        where TL : struct, ILanes<TV> where TV : unmanaged where TP : struct, INegativePower
    {
        int lanes = TL.Count, plane = g.Height * g.Width, channels = g.Channels, half = g.Size / 2;
        int strips = (plane + lanes - 1) / lanes;
        TV alpha = TL.Splat(g.Alpha), k = TL.Splat(g.K);
        float* xs = scratch, ys = scratch + channels * lanes;
        if (plane % lanes != 0) SmallCopy.Clear(xs, channels * lanes);
        var cursor = new StripCursor(first, strips, lanes, channels, plane);
        var ahead = new StripCursor(first + AheadStrips(lanes), strips, lanes, channels, plane);
        for (int item = first; item < end; item++, cursor.Advance(), ahead.Advance())
        {
            long at = cursor.Offset, next = item + AheadStrips(lanes) < end ? ahead.Offset : at;
            int valid = Math.Min(lanes, plane - cursor.Position);
            if (valid == lanes)
            {
                ForwardStrip<TL, TV, TP>(x + at, y + at, plane, channels, half, alpha, k, power, x + next, y + next, plane);
                continue;
            }
            Gather(x + at, plane, xs, lanes, channels, valid);
            ForwardStrip<TL, TV, TP>(xs, ys, lanes, channels, half, alpha, k, power, x + next, y + next, plane);
            Scatter(ys, lanes, y + at, plane, channels, valid);
        }
    }

    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static void Backward<TL, TV, TP>(float* x, float* y, float* dy, float* dx, in LrnGeometry g, int first, int end, float* scratch, TP power)
        where TL : struct, ILanes<TV> where TV : unmanaged where TP : struct, INegativePower
    {
        int lanes = TL.Count, plane = g.Height * g.Width, channels = g.Channels, half = g.Size / 2;
        int strips = (plane + lanes - 1) / lanes, block = channels * lanes;
        TV alpha = TL.Splat(g.Alpha), k = TL.Splat(g.K), minusTwoAlphaBeta = TL.Splat(-2f * g.Alpha * g.Beta);
        float* powers = scratch, ratios = scratch + block;
        float* xs = scratch + 2 * block, ys = scratch + 3 * block, dys = scratch + 4 * block, dxs = scratch + 5 * block;
        if (plane % lanes != 0) SmallCopy.Clear(xs, 3 * block);
        var cursor = new StripCursor(first, strips, lanes, channels, plane);
        var ahead = new StripCursor(first + AheadStrips(lanes), strips, lanes, channels, plane);
        for (int item = first; item < end; item++, cursor.Advance(), ahead.Advance())
        {
            long at = cursor.Offset, next = item + AheadStrips(lanes) < end ? ahead.Offset : at;
            var later = new Lookahead(x + next, y + next, dy + next, dx + next, plane);
            int valid = Math.Min(lanes, plane - cursor.Position);
            if (valid == lanes)
            {
                BackwardStrip<TL, TV, TP>(x + at, y + at, dy + at, dx + at, plane, channels, half, alpha, k, minusTwoAlphaBeta, power, powers, ratios, later);
                continue;
            }
            Gather(x + at, plane, xs, lanes, channels, valid);
            Gather(y + at, plane, ys, lanes, channels, valid);
            Gather(dy + at, plane, dys, lanes, channels, valid);
            BackwardStrip<TL, TV, TP>(xs, ys, dys, dxs, lanes, channels, half, alpha, k, minusTwoAlphaBeta, power, powers, ratios, later);
            Scatter(dxs, lanes, dx + at, plane, channels, valid);
        }
    }

    /// <summary>
    /// One strip of forward; channel c of the strip starts at x + c·<paramref name="stride"/>. Channel c of a later strip,
    /// at <paramref name="xLater"/> and <paramref name="yLater"/> + c·<paramref name="laterStride"/>, is prefetched on the way.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static void ForwardStrip<TL, TV, TP>(float* x, float* y, long stride, int channels, int half, TV alpha, TV k, TP power,
                                                 float* xLater, float* yLater, long laterStride)
        where TL : struct, ILanes<TV> where TV : unmanaged where TP : struct, INegativePower
    {
        for (int c = 0; c < channels; c++)
        {
            long o = c * stride, l = c * laterStride;
            Prefetch(xLater + l);
            Prefetch(yLater + l);
            var s = Scale<TL, TV>(x, stride, Math.Max(0, c - half), Math.Min(channels - 1, c + half), alpha, k);
            TL.Store(TL.Multiply(TL.Load(x + o), power.Apply<TL, TV>(s)), y + o);
        }
    }

    /// <summary>
    /// One strip of backward, in one walk down the channels: step c computes s^(−β) and dy·y/s of channel c into
    /// <paramref name="powers"/> and <paramref name="ratios"/> (channels × lanes each), then dx of channel c − half, whose
    /// window of ratios is complete by then. That window is also the set of channels whose windows hold c − half (windows
    /// are symmetric), as the gradient needs. The lag keeps every line of x and dy in L1 between its two uses. Channel c
    /// of the strip in <paramref name="later"/> is prefetched on the way.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static void BackwardStrip<TL, TV, TP>(float* x, float* y, float* dy, float* dx, long stride, int channels, int half,
                                                  TV alpha, TV k, TV minusTwoAlphaBeta, TP power, float* powers, float* ratios,
                                                  in Lookahead later)
        where TL : struct, ILanes<TV> where TV : unmanaged where TP : struct, INegativePower
    {
        int lanes = TL.Count;
        for (int c = 0; c < channels + half; c++)
        {
            if (c < channels)
            {
                long o = c * stride, l = c * later.Stride;
                Prefetch(later.X + l);
                Prefetch(later.Y + l);
                Prefetch(later.Dy + l);
                Prefetch(later.Dx + l);
                var s = Scale<TL, TV>(x, stride, Math.Max(0, c - half), Math.Min(channels - 1, c + half), alpha, k);
                TL.Store(power.Apply<TL, TV>(s, out var reciprocal), powers + c * lanes);
                TL.Store(TL.Multiply(TL.Multiply(TL.Load(dy + o), TL.Load(y + o)), reciprocal), ratios + c * lanes);
            }
            int d = c - half;
            if (d >= 0)
            {
                int lo = Math.Max(0, d - half), hi = Math.Min(channels - 1, c);
                var sum = TL.Load(ratios + lo * lanes);
                for (int j = lo + 1; j <= hi; j++) sum = TL.Add(sum, TL.Load(ratios + j * lanes));
                long o = d * stride;
                // dx = dy·s^−β − 2αβ·x·Σ_window dy·y/s
                var direct = TL.Multiply(TL.Load(dy + o), TL.Load(powers + d * lanes));
                TL.Store(TL.FusedMultiplyAdd(TL.Multiply(TL.Load(x + o), minusTwoAlphaBeta), sum, direct), dx + o);
            }
        }
    }

    /// <summary>
    /// How far ahead <see cref="Prefetch"/> reaches: the strip 32 floats (two 64-byte lines) of work later, that is two
    /// strips of 16 lanes or four of 8, counted in work items so that the lead carries over from one image to the next. A
    /// strip touches one line in each of many channel planes, often a page or more apart, and hardware prefetchers (which
    /// follow a few sequential streams within a page) miss most of them. Measured on a 2-core Cascade Lake VM with 16
    /// lanes: two lines ahead beat one (which the adjacent-line prefetcher already brings) by up to 2× on large planes,
    /// and three to eight are a few percent slower than two.
    /// </summary>
    private static int AheadStrips(int lanes) => Math.Max(1, 32 / lanes);

    /// <summary>Asks for the cache line holding <paramref name="p"/> (a hint: never faults, whatever the address).</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static void Prefetch(float* p)
    {
        if (Sse.IsSupported) Sse.Prefetch0(p);
    }

    /// <summary>s = k + α·Σ_{j=lo}^{hi} x_j² at the strip's positions, summing j in ascending order.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static TV Scale<TL, TV>(float* x, long stride, int lo, int hi, TV alpha, TV k)
        where TL : struct, ILanes<TV> where TV : unmanaged
    {
        var v = TL.Load(x + lo * stride);
        var sum = TL.Multiply(v, v);
        for (int j = lo + 1; j <= hi; j++)
        {
            v = TL.Load(x + j * stride);
            sum = TL.FusedMultiplyAdd(v, v, sum);
        }
        return TL.FusedMultiplyAdd(sum, alpha, k);
    }

    /// <summary>
    /// Copies the first <paramref name="valid"/> positions of each channel into a scratch strip. Its other lanes keep the
    /// zeros they were cleared to at the start of the work range: every partial strip of a call has the same width.
    /// </summary>
    private static void Gather(float* source, long stride, float* strip, int lanes, int channels, int valid)
    {
        for (int c = 0; c < channels; c++) SmallCopy.Contiguous(source + c * stride, strip + c * lanes, valid);
    }

    /// <summary>Copies the first <paramref name="valid"/> positions of each channel of a scratch strip back.</summary>
    private static void Scatter(float* strip, int lanes, float* destination, long stride, int channels, int valid)
    {
        for (int c = 0; c < channels; c++) SmallCopy.Contiguous(strip + c * lanes, destination + c * stride, valid);
    }

    /// <summary>Walks work items in order, keeping the image and strip of the current one without dividing.</summary>
    private struct StripCursor(int item, int strips, int lanes, int channels, int plane)
    {
        private int _image = item / strips;
        private int _strip = item % strips;

        /// <summary>The strip's first position within its plane.</summary>
        public readonly int Position => _strip * lanes;

        /// <summary>Offset of the strip's first float in channel 0 of its image.</summary>
        public readonly long Offset => (long)_image * channels * plane + Position;

        /// <summary>Moves to the next work item.</summary>
        public void Advance()
        {
            if (++_strip < strips) return;
            _strip = 0;
            _image++;
        }
    }

    /// <summary>Where channel 0 of a later strip lies in each tensor of backward, and the channel stride there.</summary>
    private readonly struct Lookahead(float* x, float* y, float* dy, float* dx, long stride)
    {
        public float* X { get; } = x;

        public float* Y { get; } = y;

        public float* Dy { get; } = dy;

        public float* Dx { get; } = dx;

        public long Stride { get; } = stride;
    }

    /// <summary>s ↦ s^(−β), as a struct type argument so that each exponent's kernel is specialised.</summary>
    private interface INegativePower
    {
        /// <summary>s^(−β).</summary>
        TV Apply<TL, TV>(TV s) where TL : struct, ILanes<TV> where TV : unmanaged;

        /// <summary>s^(−β), and 1/s in <paramref name="reciprocal"/>.</summary>
        TV Apply<TL, TV>(TV s, out TV reciprocal) where TL : struct, ILanes<TV> where TV : unmanaged;
    }

    /// <summary>
    /// The paper's β = 0.75 from one division and two square roots: with r = 1/s, s^(−3/4) = √r·√√r. Going through 1/s
    /// (rather than 1/(√s·√√s)) hands backward 1/s for free and keeps the limits right: s = ∞ gives 0, s = 0 gives ∞.
    /// </summary>
    private readonly struct ThreeQuarters : INegativePower
    {
        [MethodImpl(MethodImplOptions.AggressiveInlining)]
        public TV Apply<TL, TV>(TV s) where TL : struct, ILanes<TV> where TV : unmanaged => Apply<TL, TV>(s, out _);

        [MethodImpl(MethodImplOptions.AggressiveInlining)]
        public TV Apply<TL, TV>(TV s, out TV reciprocal) where TL : struct, ILanes<TV> where TV : unmanaged
        {
            reciprocal = TL.Divide(TL.Splat(1f), s);
            var root = TL.Sqrt(reciprocal);
            return TL.Multiply(root, TL.Sqrt(root));
        }
    }

    /// <summary>Any β: s^(−β) = e^(−β·ln s).</summary>
    private readonly struct AnyPower(float beta) : INegativePower
    {
        private readonly float _minusBeta = -beta;

        [MethodImpl(MethodImplOptions.AggressiveInlining)]
        public TV Apply<TL, TV>(TV s) where TL : struct, ILanes<TV> where TV : unmanaged =>
            TL.Exp(TL.Multiply(TL.Log(s), TL.Splat(_minusBeta)));

        [MethodImpl(MethodImplOptions.AggressiveInlining)]
        public TV Apply<TL, TV>(TV s, out TV reciprocal) where TL : struct, ILanes<TV> where TV : unmanaged
        {
            reciprocal = TL.Divide(TL.Splat(1f), s);
            return Apply<TL, TV>(s);
        }
    }
}
