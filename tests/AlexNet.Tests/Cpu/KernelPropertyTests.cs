using AlexNet.Autograd.Cpu;
using AlexNet.Autograd.Kernels;
using FsCheck;
using FsCheck.Fluent;
using FsCheck.Xunit;

namespace AlexNet.Tests.Cpu;

/// <summary>
/// GEMM, convolution and LRN against the naive float64 loops over random shapes, paths (vector widths) and thread counts
/// (fixed seeds).
/// </summary>
public class KernelPropertyTests
{
    internal sealed record GemmCase(GemmPath Path, int Threads, bool TransA, bool TransB, int M, int N, int K, float Alpha, float Beta, int Seed);

    internal sealed record ConvCase(GemmPath Path, int Threads, ConvGeometry Geometry);

    internal sealed record LrnCase(LaneWidth Width, int Threads, LrnGeometry Geometry, int Seed);

    private static Gen<GemmCase> GemmCases =>
        from path in Gen.Elements(GemmTests.Paths().ToArray())
        from threads in Gen.Choose(1, 3)
        from ta in Gen.Elements(false, true)
        from tb in Gen.Elements(false, true)
        from m in Gen.Choose(1, 70)
        from n in Gen.Choose(1, 70)
        from k in Gen.Choose(0, 300)
        from alpha in Gen.Elements(1f, -0.5f, 2f)
        from beta in Gen.Elements(0f, 1f, 0.3f)
        from seed in Gen.Choose(0, 1_000_000)
        select new GemmCase(path, threads, ta, tb, m, n, k, alpha, beta, seed);

    private static Gen<ConvCase> ConvCases =>
        from path in Gen.Elements(GemmTests.Paths().ToArray())
        from threads in Gen.Choose(1, 3)
        from batch in Gen.Choose(1, 3)
        from groups in Gen.Choose(1, 3)
        from cg in Gen.Choose(1, 4)
        from og in Gen.Choose(1, 5)
        from kh in Gen.Choose(1, 5)
        from kw in Gen.Choose(1, 5)
        from sh in Gen.Choose(1, 3)
        from sw in Gen.Choose(1, 3)
        from ph in Gen.Choose(0, 2)
        from pw in Gen.Choose(0, 2)
        from h in Gen.Choose(Math.Max(1, kh - 2 * ph), 12)
        from w in Gen.Choose(Math.Max(1, kw - 2 * pw), 12)
        select new ConvCase(path, threads, new ConvGeometry(batch, groups * cg, h, w, groups * og, kh, kw, sh, sw, ph, pw, groups));

    private static Gen<LrnCase> LrnCases =>
        from width in Gen.Elements(LrnTests.Widths)
        from threads in Gen.Choose(1, 3)
        from batch in Gen.Choose(0, 3)
        from channels in Gen.Choose(1, 20)
        from h in Gen.Choose(1, 9)
        from w in Gen.Choose(1, 19)
        from half in Gen.Choose(0, 4)
        let size = 2 * half + 1
        from alpha in Gen.Elements(1e-4f, 0.05f, 0.3f, 1f)
        from beta in Gen.Elements(0.75f, 0.75f, 0.5f, 1f)
        from k in Gen.Elements(2f, 1f, 0.5f)
        from seed in Gen.Choose(0, 1_000_000)
        select new LrnCase(width, threads, new LrnGeometry(batch, channels, h, w, size, alpha, beta, k), seed);

    [Property(MaxTest = 150, Replay = "(271828183,314159265)")]
    public Property GemmMatchesNaiveLoops() => Prop.ForAll(GemmCases.ToArbitrary(), c =>
    {
        using IBackend backend = new CpuBackend(c.Threads);
        var a = CpuTestData.Random(c.M * c.K, c.Seed);
        var b = CpuTestData.Random(c.K * c.N, c.Seed + 1);
        var c0 = CpuTestData.Random(c.M * c.N, c.Seed + 2);
        if (c.Beta == 0f) Array.Fill(c0, float.NaN);
        using var ba = backend.Upload(a);
        using var bb = backend.Upload(b);
        using var bc = backend.Upload(c0);
        ((CpuBackend)backend).Gemm(c.Path, c.TransA, c.TransB, c.M, c.N, c.K, c.Alpha, ba, bb, c.Beta, bc);
        var (expected, bound) = GemmTests.Naive(c.TransA, c.TransB, c.M, c.N, c.K, c.Alpha, a, b, c.Beta, c0);
        CpuTestData.Close(expected, bound, CpuTestData.Read(backend, bc, c.M * c.N));
    });

    [Property(MaxTest = 100, Replay = "(161803399,141421357)")]
    public Property ConvolutionMatchesNaiveLoops() => Prop.ForAll(ConvCases.ToArbitrary(), c =>
    {
        var g = c.Geometry;
        using IBackend backend = new CpuBackend(c.Threads) { Path = c.Path };
        var (x, w, bias, dy) = ConvTests.Inputs(g);
        var got = ConvTests.RunAll(backend, g, x, w, bias, dy);
        var (y, yBound) = ConvTests.NaiveForward(g, x, w, bias);
        var (dx, dxBound, dw, dwBound, db, dbBound) = ConvTests.NaiveBackward(g, x, w, dy);
        CpuTestData.Close(y, yBound, got.Y);
        CpuTestData.Close(dx, dxBound, got.Dx);
        CpuTestData.Close(dw, dwBound, got.Dw);
        CpuTestData.Close(db, dbBound, got.Db);
    });

    [Property(MaxTest = 150, Replay = "(577215665,662607015)")]
    public Property LrnMatchesTheFormulas() => Prop.ForAll(LrnCases.ToArbitrary(), c =>
    {
        var g = c.Geometry;
        using IBackend backend = new CpuBackend(c.Threads);
        var x = CpuTestData.Random(g.Count, c.Seed, 3f);
        var dy = CpuTestData.Random(g.Count, c.Seed + 1);
        var (y, dx) = LrnTests.Run(backend, g, c.Width, x, dy);
        var (yExpected, dxExpected) = LrnTests.Naive(g, x, dy);
        CpuTestData.Close(yExpected, y, 2e-5, 1e-6);
        CpuTestData.Close(dxExpected, dx, 1e-4, 1e-5);
    });
}
