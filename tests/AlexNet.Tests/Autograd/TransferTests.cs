using AlexNet.Autograd;
using AlexNet.Autograd.Cpu;
using AlexNet.Tests.Autograd.Support;
using FsCheck;
using FsCheck.Fluent;
using FsCheck.Xunit;
using Xunit;

namespace AlexNet.Tests.Autograd;

/// <summary>Ops.To between two CpuBackend instances (two "devices"): values, placement, and the gradient's way back.</summary>
public sealed class TransferTests
{
    private static readonly CpuBackend s_source = new(threads: 1);
    private static readonly CpuBackend s_target = new(threads: 2);

    public sealed record TransferCase(int[] Shape, int Seed)
    {
        public override string ToString() => $"To {Nd.Format(Shape)} seed {Seed}";
    }

    private static Gen<TransferCase> Cases =>
        from shape in Values.Shape(0, 4, 1, 4)
        from seed in Values.Seed
        select new TransferCase(shape, seed);

    /// <summary>The copy is exact, lives on the target, and the gradient of Σ r ⊙ To(x) is r on the source device.</summary>
    [Property(MaxTest = 30, Replay = "(9090909091,8080808081)")]
    public Property ToCopiesExactlyAndTheGradientReturnsToTheSource() => Prop.ForAll(Cases.ToArbitrary(), c =>
        GradCheck.Op(c.ToString(), [new Arg(Values.Uniform(c.Seed, Values.Count(c.Shape)), c.Shape)],
                     t =>
                     {
                         var y = Ops.To(t[0], s_target);
                         Assert.Same(s_target, y.Backend);
                         return y;
                     },
                     t => t[0].Clone(), c.Seed, forward: new Tol(0, 0), backend: s_source));

    [Fact]
    public void ToTheSameBackendIsACopy()
    {
        using var x = Tensor.FromArray([1, 2, 3], new Shape(3), s_source);
        using var y = Ops.To(x, s_source);
        x.Dispose();
        Assert.Equal([1f, 2, 3], y.ToArray());
        Assert.Same(s_source, y.Backend);
    }

    [Fact]
    public void MixingDevicesThrows()
    {
        using var a = Tensor.FromArray([1, 2, 3, 4, 5, 6], new Shape(2, 3), s_source);
        using var b = Tensor.FromArray([1, 2, 3, 4, 5, 6], new Shape(2, 3), s_target);
        using var w = Tensor.Ones(new Shape(3, 2), s_target);
        using var k = Tensor.Ones(new Shape(1, 1, 1, 1), s_target);
        using var x4 = Tensor.Ones(new Shape(1, 1, 2, 2), s_source);
        foreach (var call in new Action[]
        {
            () => Ops.Add(a, b), () => Ops.Mul(b, a), () => Ops.MatMul(a, w), () => Ops.Conv2d(x4, k),
            () => Ops.Concat([a, b], 0), () => Ops.Linear(a, Tensor.Ones(new Shape(2, 3), s_target)),
        })
        {
            var e = Assert.ThrowsAny<ArgumentException>(call);
            Assert.Contains("different devices", e.Message);
        }
    }
}
