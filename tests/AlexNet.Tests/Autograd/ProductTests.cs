using AlexNet.Autograd;
using AlexNet.Tests.Autograd.Support;
using FsCheck;
using FsCheck.Fluent;
using FsCheck.Xunit;

namespace AlexNet.Tests.Autograd;

/// <summary>MatMul and Linear (x·wᵀ + b).</summary>
public sealed class ProductTests
{
    public sealed record MatMulCase(int M, int K, int N, bool WatchA, bool WatchB, int Seed)
    {
        public override string ToString() => $"MatMul [{M}, {K}]·[{K}, {N}] watch a:{WatchA} b:{WatchB} seed {Seed}";
    }

    private static Gen<MatMulCase> MatMulCases =>
        from m in Gen.Choose(1, 6)
        from k in Gen.Choose(1, 7)
        from n in Gen.Choose(1, 6)
        from watch in Gen.Choose(0, 2)
        from seed in Values.Seed
        select new MatMulCase(m, k, n, watch != 2, watch != 1, seed);

    [Property(MaxTest = 60, Replay = "(1123581321,3455891447)")]
    public Property MatMulMatchesReferenceAndFiniteDifferences() => Prop.ForAll(MatMulCases.ToArbitrary(), c =>
    {
        var a = new Arg(Values.Uniform(c.Seed, c.M * c.K), [c.M, c.K], c.WatchA);
        var b = new Arg(Values.Uniform(c.Seed + 1, c.K * c.N), [c.K, c.N], c.WatchB);
        GradCheck.Op(c.ToString(), [a, b], x => Ops.MatMul(x[0], x[1]), x => Reference.MatMul(x[0], x[1]), c.Seed);
    });

    public sealed record LinearCase(int N, int In, int Out, bool Bias, int Watch, int Seed)
    {
        public override string ToString() => $"Linear x[{N}, {In}] w[{Out}, {In}] bias {Bias} watch mask {Watch} seed {Seed}";
    }

    private static Gen<LinearCase> LinearCases =>
        from n in Gen.Choose(1, 5)
        from inF in Gen.Choose(1, 7)
        from outF in Gen.Choose(1, 6)
        from bias in Gen.Elements(false, true)
        from watch in Gen.Choose(1, 7)
        from seed in Values.Seed
        select new LinearCase(n, inF, outF, bias, watch, seed);

    [Property(MaxTest = 60, Replay = "(2357111317,1923293137)")]
    public Property LinearMatchesReferenceAndFiniteDifferences() => Prop.ForAll(LinearCases.ToArbitrary(), c =>
    {
        var x = new Arg(Values.Uniform(c.Seed, c.N * c.In), [c.N, c.In], (c.Watch & 1) != 0);
        var w = new Arg(Values.Uniform(c.Seed + 1, c.Out * c.In), [c.Out, c.In], (c.Watch & 2) != 0 || !c.Bias);
        Arg[] args = c.Bias ? [x, w, new Arg(Values.Uniform(c.Seed + 2, c.Out), [c.Out], (c.Watch & 4) != 0)] : [x, w];
        GradCheck.Op(c.ToString(), args,
                     t => Ops.Linear(t[0], t[1], c.Bias ? t[2] : null),
                     t => Reference.Linear(t[0], t[1], c.Bias ? t[2] : null), c.Seed);
    });
}
