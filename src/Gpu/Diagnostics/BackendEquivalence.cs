using AlexNet.Autograd;
using AlexNet.Autograd.Kernels;

namespace AlexNet.Gpu.Diagnostics;

/// <summary>
/// Runs every kernel of <see cref="IBackend"/>, forward and backward, on a reference backend (the CPU) and a candidate
/// (the GPU) with identical inputs and compares the outputs with stated tolerances. Used by the equivalence tests and by
/// the GPU check program; works for any pair of backends.
/// </summary>
/// <remarks>
/// Tolerances: exact (0) for data movement, masks and the random fills' uniform numbers (the same counter-based hash on
/// both sides); 1e-6 absolute for the normal fill (double-precision log/cos of two libraries, rounded to float);
/// about 1e-6 relative for transcendental elementwise kernels; 1e-4 relative plus a small absolute term for reductions,
/// GEMM and convolutions, whose summation order differs between backends.
/// </remarks>
internal static partial class BackendEquivalence
{
    private static readonly (string Name, Action<BackendPair> Body)[] Cases =
    [
        ("fill+copy", FillCopy),
        ("random.uniform", RandomUniform),
        ("random.normal", RandomNormal),
        ("unary.neg", p => UnaryCase(p, UnaryKernel.Neg, 0, 0)),
        ("unary.exp", p => UnaryCase(p, UnaryKernel.Exp, 1e-6, 2e-6)),
        ("unary.log", p => UnaryCase(p, UnaryKernel.Log, 1e-6, 2e-6)),
        ("unary.relu", p => UnaryCase(p, UnaryKernel.Relu, 0, 0)),
        ("affine", AffineCase),
        ("relu.backward", ReluBackwardCase),
        ("binary.same-shape", BinarySame),
        ("binary.broadcast", BinaryBroadcast),
        ("reduce.sum", p => ReduceCase(p, ReduceKernel.Sum)),
        ("reduce.max", p => ReduceCase(p, ReduceKernel.Max)),
        ("broadcast", BroadcastCase),
        ("permute", PermuteCase),
        ("copy-axis-range", CopyAxisRangeCase),
        ("gemm", GemmCase),
        ("conv2d.forward", p => ConvCases(p, ConvPart.Forward)),
        ("conv2d.backward-data", p => ConvCases(p, ConvPart.BackwardData)),
        ("conv2d.backward-filter", p => ConvCases(p, ConvPart.BackwardFilter)),
        ("conv2d.backward-bias", p => ConvCases(p, ConvPart.BackwardBias)),
        ("maxpool.forward+backward", PoolCase),
        ("avgpool.forward+backward", AvgPoolCase),
        ("adaptive-avgpool.forward+backward", AdaptiveAvgPoolCase),
        ("lrn.forward+backward", LrnCase),
        ("softmax.forward+backward", p => SoftmaxCase(p, log: false)),
        ("log-softmax.forward+backward", p => SoftmaxCase(p, log: true)),
        ("softmax-cross-entropy.forward+backward", CrossEntropyCase),
        ("dropout", DropoutCase),
        ("sgd-momentum", SgdCase),
        ("adam", p => AdamCase(p, decoupled: false)),
        ("adamw", p => AdamCase(p, decoupled: true)),
    ];

    /// <summary>Names of all cases, in run order.</summary>
    public static IReadOnlyList<string> CaseNames { get; } = Cases.Select(c => c.Name).ToArray();

    /// <summary>Runs one case; an exception becomes a failed result carrying its text.</summary>
    /// <exception cref="ArgumentException">No case has that name.</exception>
    public static IReadOnlyList<EquivalenceResult> Run(string caseName, IBackend reference, IBackend candidate)
    {
        var body = Cases.FirstOrDefault(c => c.Name == caseName).Body
            ?? throw new ArgumentException($"Unknown equivalence case '{caseName}'.", nameof(caseName));
        using var pair = new BackendPair(caseName, reference, candidate);
        try
        {
            body(pair);
            return pair.Results.Count > 0
                ? pair.Results
                : [new EquivalenceResult(caseName, "-", false, double.NaN, double.NaN, 0, 0, "the case compared nothing")];
        }
        catch (Exception e)
        {
            var partial = pair.Results.ToList();
            partial.Add(new EquivalenceResult(caseName, "exception", false, double.NaN, double.NaN, 0, 0, $"{e.GetType().Name}: {e.Message}"));
            return partial;
        }
    }

    /// <summary>Runs every case in order.</summary>
    public static IEnumerable<EquivalenceResult> RunAll(IBackend reference, IBackend candidate) =>
        CaseNames.SelectMany(name => Run(name, reference, candidate));

    private static void FillCopy(BackendPair p)
    {
        var a = p.Output(1000);
        p.Run((b, x) => b.Fill(x[0], 1000, 3.5f), a);
        p.Compare("fill 3.5", a, 1000, 0, 0);
        var z = p.Output(777);
        p.Run((b, x) => b.Fill(x[0], 777, 0f), z);
        p.Compare("fill 0", z, 777, 0, 0);
        var src = p.Random(1025, 11);
        var dst = p.Output(1100);
        p.Run((b, x) => b.Copy(x[0], x[1], 1025), src, dst);
        p.Compare("copy", dst, 1025, 0, 0);
    }

    private static void RandomUniform(BackendPair p)
    {
        const int n = 100_003;
        var key = RandomKey.FromSeed(42).Fold(7);
        var y = p.Output(n);
        p.Run((b, x) => b.FillUniform(x[0], n, key, -0.25f, 0.75f), y);
        p.Compare("uniform [-0.25, 0.75)", y, n, 0, 0);
    }

    private static void RandomNormal(BackendPair p)
    {
        const int n = 100_003;
        var key = RandomKey.FromSeed(43);
        var y = p.Output(n);
        p.Run((b, x) => b.FillNormal(x[0], n, key, 0f, 0.01f), y);
        p.Compare("normal(0, 0.01)", y, n, 1e-8, 1e-6);
        var z = p.Output(n);
        p.Run((b, x) => b.FillNormal(x[0], n, key.Fold(1), 1f, 2f), z);
        p.Compare("normal(1, 2)", z, n, 1e-6, 1e-6);
    }

    private static void UnaryCase(BackendPair p, UnaryKernel op, double abs, double rel)
    {
        const int n = 70_001;
        var data = BackendPair.Data(n, 5, -4f, 4f);
        if (op == UnaryKernel.Log) data = data.Select(v => MathF.Abs(v) + 1e-3f).ToArray();
        if (op == UnaryKernel.Relu) data[0] = 0f;
        var x = p.Upload(data);
        var y = p.Output(n);
        p.Run((b, t) => b.Unary(op, t[0], t[1], n), x, y);
        p.Compare(op.ToString(), y, n, abs, rel);
    }

    private static void AffineCase(BackendPair p)
    {
        const int n = 5000;
        var x = p.Random(n, 6);
        var y = p.Output(n);
        p.Run((b, t) => b.Affine(t[0], t[1], n, -1.7f, 0.3f), x, y);
        p.Compare("y = -1.7x + 0.3", y, n, 1e-7, 1e-6);
    }

    private static void ReluBackwardCase(BackendPair p)
    {
        const int n = 4099;
        var data = BackendPair.Data(n, 7);
        for (int i = 0; i < n; i += 17) data[i] = 0f;
        var x = p.Upload(data);
        var dy = p.Random(n, 8);
        var dx = p.Output(n);
        p.Run((b, t) => b.ReluBackward(t[0], t[1], t[2], n), x, dy, dx);
        p.Compare("dx (zero gradient at x = 0)", dx, n, 0, 0);
    }

    private static void BinarySame(BackendPair p)
    {
        var shape = new Shape(3, 5, 7);
        var a = p.Random(shape.Count, 9);
        var bData = BackendPair.Data(shape.Count, 10, 0.5f, 2f);
        bData[3] = -0.7f;
        var bb = p.Upload(bData);
        foreach (var op in Enum.GetValues<BinaryKernel>())
        {
            var y = p.Output(shape.Count);
            p.Run((be, t) => be.Binary(op, t[0], shape, t[1], shape, t[2], shape), a, bb, y);
            p.Compare(op.ToString(), y, shape.Count, 0, op == BinaryKernel.Div ? 1e-7 : 0);
        }
        var eq = p.Output(shape.Count);
        p.Run((be, t) => be.Binary(BinaryKernel.Equal, t[0], shape, t[0], shape, t[1], shape), a, eq);
        p.Compare("Equal(a, a)", eq, shape.Count, 0, 0);
    }

    private static void BinaryBroadcast(BackendPair p)
    {
        (Shape A, Shape B, Shape Y)[] cases =
        [
            (new Shape(4, 1, 5), new Shape(1, 3, 5), new Shape(4, 3, 5)),
            (new Shape(8, 16), new Shape(1, 16), new Shape(8, 16)),
            (new Shape(2, 3, 4, 5, 6), new Shape(2, 1, 4, 1, 6), new Shape(2, 3, 4, 5, 6)),
            (new Shape(1), new Shape(9), new Shape(9)),
            (new Shape(2, 1, 3, 1, 2, 1, 2, 1), new Shape(1, 2, 1, 2, 1, 2, 1, 2), new Shape(2, 2, 3, 2, 2, 2, 2, 2)),
        ];
        int seed = 20;
        foreach (var (sa, sb, sy) in cases)
        {
            var a = p.Random(sa.Count, seed++);
            var bb = p.Upload(BackendPair.Data(sb.Count, seed++, 0.5f, 2f));
            foreach (var op in new[] { BinaryKernel.Add, BinaryKernel.Sub, BinaryKernel.Mul, BinaryKernel.Div })
            {
                var y = p.Output(sy.Count);
                p.Run((be, t) => be.Binary(op, t[0], sa, t[1], sb, t[2], sy), a, bb, y);
                p.Compare($"{op} {sa}∘{sb}", y, sy.Count, 0, op == BinaryKernel.Div ? 1e-7 : 0);
            }
        }
    }

    private static void ReduceCase(BackendPair p, ReduceKernel op)
    {
        (Shape X, Shape Y)[] cases =
        [
            (new Shape(128, 4096), new Shape(1, 4096)),
            (new Shape(16, 33), new Shape(16, 1)),
            (new Shape(4, 5, 6, 7), new Shape(1, 5, 1, 7)),
            (new Shape(3, 200, 5), new Shape(3, 1, 1)),
            (new Shape(1 << 16), new Shape(1)),
            (new Shape(2, 3), new Shape(2, 3)),
        ];
        int seed = 40;
        foreach (var (sx, sy) in cases)
        {
            var x = p.Random(sx.Count, seed++);
            var y = p.Output(sy.Count);
            p.Run((b, t) => b.Reduce(op, t[0], sx, t[1], sy), x, y);
            double abs = op == ReduceKernel.Max ? 0 : 1e-5 * Math.Sqrt((double)sx.Count / sy.Count);
            p.Compare($"{sx}→{sy}", y, sy.Count, abs, op == ReduceKernel.Max ? 0 : 1e-5);
        }
    }

    private static void BroadcastCase(BackendPair p)
    {
        (Shape X, Shape Y)[] cases =
        [
            (new Shape(1, 4096), new Shape(128, 4096)),
            (new Shape(3, 1, 5), new Shape(3, 4, 5)),
            (new Shape(1, 1), new Shape(7, 9)),
        ];
        int seed = 60;
        foreach (var (sx, sy) in cases)
        {
            var x = p.Random(sx.Count, seed++);
            var y = p.Output(sy.Count);
            p.Run((b, t) => b.Broadcast(t[0], sx, t[1], sy), x, y);
            p.Compare($"{sx}→{sy}", y, sy.Count, 0, 0);
        }
    }

    private static void PermuteCase(BackendPair p)
    {
        (Shape X, int[] Perm)[] cases =
        [
            (new Shape(2, 3, 4, 5), [0, 2, 3, 1]),
            (new Shape(7, 11), [1, 0]),
            (new Shape(2, 3, 4), [2, 1, 0]),
            (new Shape(3, 4, 5), [0, 1, 2]),
        ];
        int seed = 70;
        foreach (var (sx, perm) in cases)
        {
            var x = p.Random(sx.Count, seed++);
            var y = p.Output(sx.Count);
            p.Run((b, t) => b.Permute(t[0], sx, perm, t[1]), x, y);
            p.Compare($"{sx} by [{string.Join(",", perm)}]", y, sx.Count, 0, 0);
        }
    }

    private static void CopyAxisRangeCase(BackendPair p)
    {
        var src = new Shape(2, 6, 3);
        var dst = new Shape(2, 9, 3);
        var s = p.Random(src.Count, 80);
        var d = p.Random(dst.Count, 81);
        p.Run((b, t) => b.CopyAxisRange(t[0], src, 1, t[1], dst, 4, 1, 4), s, d);
        p.Compare("axis 1, 4 rows (rest unchanged)", d, dst.Count, 0, 0);
        var s0 = new Shape(5, 4);
        var d0 = new Shape(3, 4);
        var a = p.Random(s0.Count, 82);
        var c = p.Random(d0.Count, 83);
        p.Run((b, t) => b.CopyAxisRange(t[0], s0, 2, t[1], d0, 0, 0, 3), a, c);
        p.Compare("axis 0 slice", c, d0.Count, 0, 0);
    }

    private static void GemmCase(BackendPair p)
    {
        const int m = 67, n = 45, k = 129;
        foreach (var (ta, tb) in new[] { (false, false), (false, true), (true, false), (true, true) })
        {
            var a = p.Random(m * k, 90);
            var bb = p.Random(k * n, 91);
            var c = p.Output(m * n);
            p.Run((be, t) => be.Gemm(ta, tb, m, n, k, 1f, t[0], t[1], 0f, t[2]), a, bb, c);
            p.Compare($"opA={(ta ? "T" : "N")} opB={(tb ? "T" : "N")} beta=0 over NaN", c, m * n, 1e-5 * Math.Sqrt(k), 1e-5);
            var acc = p.Random(m * n, 92);
            p.Run((be, t) => be.Gemm(ta, tb, m, n, k, 0.5f, t[0], t[1], 1f, t[2]), a, bb, acc);
            p.Compare($"opA={(ta ? "T" : "N")} opB={(tb ? "T" : "N")} alpha=0.5 beta=1", acc, m * n, 1e-5 * Math.Sqrt(k), 1e-5);
        }
    }
}
