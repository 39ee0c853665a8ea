using AlexNet.Autograd;
using AlexNet.Tests.Autograd.Support;
using FsCheck;
using FsCheck.Fluent;
using FsCheck.Xunit;
using Xunit;

namespace AlexNet.Tests.Autograd;

/// <summary>Inverted dropout with an explicit key: mask_i = 1/(1 − p) where key.Uniform(i) ≥ p, else 0.</summary>
public sealed class DropoutTests
{
    public sealed record DropoutCase(int[] Shape, float P, ulong Key, int Seed)
    {
        public override string ToString() => $"Dropout {Nd.Format(Shape)} p {P} key {Key} seed {Seed}";
    }

    private static Gen<DropoutCase> Cases =>
        from shape in Values.Shape(1, 4, 1, 5)
        from p in Gen.Elements(0f, 0.1f, 0.25f, 0.5f, 0.9f)
        from key in Gen.Choose(0, int.MaxValue)
        from seed in Values.Seed
        select new DropoutCase(shape, p, (ulong)key * 2654435761UL, seed);

    /// <summary>Training mode: y = x ⊙ mask with the mask reproduced from RandomKey.Uniform; gradient r ⊙ mask.</summary>
    [Property(MaxTest = 60, Replay = "(1010101011,2020202021)")]
    public Property DropoutMatchesItsMaskAndFiniteDifferences() => Prop.ForAll(Cases.ToArbitrary(), c =>
    {
        var key = new RandomKey(c.Key);
        int n = Values.Count(c.Shape);
        var mask = Reference.DropoutMask(key, n, c.P);
        GradCheck.Op(c.ToString(), [new Arg(Values.Uniform(c.Seed, n, -2, 2), c.Shape)],
                     t => Ops.Dropout(t[0], c.P, key, training: true),
                     t => new Nd(c.Shape, [.. t[0].Data.Select((v, i) => v * mask[i])]), c.Seed);
    });

    [Property(MaxTest = 30, Replay = "(3030303031,4040404041)")]
    public Property EvalModeIsTheIdentity() => Prop.ForAll(Cases.ToArbitrary(), c =>
        GradCheck.Op(c.ToString() + " eval", [new Arg(Values.Uniform(c.Seed, Values.Count(c.Shape), -2, 2), c.Shape)],
                     t => Ops.Dropout(t[0], c.P, new RandomKey(c.Key), training: false),
                     t => t[0].Clone(), c.Seed, forward: new Tol(0, 0)));

    [Fact]
    public void TheSameKeyGivesTheSameMaskAndAnotherKeyAnother()
    {
        using var x = Tensor.Ones(new Shape(64, 64));
        var key = RandomKey.FromSeed(7);
        using var a = Ops.Dropout(x, 0.5f, key, training: true);
        using var b = Ops.Dropout(x, 0.5f, key, training: true);
        using var c = Ops.Dropout(x, 0.5f, key.Fold(1), training: true);
        Assert.Equal(a.ToArray(), b.ToArray());
        Assert.NotEqual(a.ToArray(), c.ToArray());
        var values = a.ToArray();
        Assert.All(values, v => Assert.True(v == 0f || v == 2f, $"value {v} is neither 0 nor 1/(1 − 0.5)"));
        // 4096 draws at p = 0.5: the kept fraction is within 5 standard deviations (≈ 0.039) of one half.
        double kept = values.Count(v => v != 0f) / (double)values.Length;
        Assert.InRange(kept, 0.46, 0.54);
    }

    [Fact]
    public void ProbabilityOutsideZeroToOneThrows()
    {
        using var x = Tensor.Ones(new Shape(2, 3));
        foreach (var p in new[] { -0.1f, 1f, float.NaN })
        {
            var e = Assert.Throws<ArgumentException>(() => Ops.Dropout(x, p, RandomKey.FromSeed(1), training: true));
            Assert.Contains("[0, 1)", e.Message);
        }
    }
}
