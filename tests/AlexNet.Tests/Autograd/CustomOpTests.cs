using AlexNet.Autograd;
using Xunit;

namespace AlexNet.Tests.Autograd;

/// <summary>A differentiable operation written by the user (<see cref="Ops.Custom"/>) and the public gradient checker
/// that tests its rule.</summary>
public sealed class CustomOpTests
{
    /// <summary>softplus(x) = log(1 + eˣ) with the rule d/dx = g·eˣ/(1 + eˣ), optionally scaled wrong.</summary>
    private static Tensor Softplus(Tensor x, float ruleScale = 1f) => Ops.Custom("softplus", [x],
        xs =>
        {
            using var e = Ops.Exp(xs[0]);
            using var onePlus = e + 1f;
            return Ops.Log(onePlus);
        },
        (xs, y, g) =>
        {
            using var e = Ops.Exp(xs[0]);
            using var onePlus = e + 1f;
            using var sigmoid = e / onePlus;
            using var scaled = sigmoid * ruleScale;
            return [g * scaled];
        });

    private static Tensor Input(int seed) => Tensor.Normal(RandomKey.FromSeed(seed), new Shape(3, 5));

    /// <summary>The right rule passes the check and gives the composite's gradient; a rule off by a factor fails it.</summary>
    [Fact]
    public void TheCheckerPassesTheRightRuleAndCatchesAWrongOne()
    {
        using var x = Input(1);
        var good = GradientCheck.Run(xs => Softplus(xs[0]), [x]);
        Assert.True(good.Passed, good.ToString());
        Assert.True(good.MaxError < 1e-3, good.ToString());
        var bad = GradientCheck.Run(xs => Softplus(xs[0], ruleScale: 1.05f), [x]);
        Assert.False(bad.Passed, bad.ToString());
        Assert.Contains("analytic", bad.ToString());
    }

    /// <summary>Through ValueAndGrad the custom node gives what the same composite of primitives gives.</summary>
    [Fact]
    public void ValueAndGradDifferentiatesThroughTheRule()
    {
        using var x = Input(2);
        var p = TensorMap.Empty.Add("x", x);
        var (v1, g1) = Autodiff.ValueAndGrad(m => Ops.Sum(Softplus(m["x"])), p);
        var (v2, g2) = Autodiff.ValueAndGrad(m => Ops.Sum(Ops.Log(Ops.Exp(m["x"]) + 1f)), p);
        Assert.Equal(v2.ToArray()[0], v1.ToArray()[0], 5);
        var a = g1["x"].ToArray();
        var b = g2["x"].ToArray();
        for (int i = 0; i < a.Length; i++) Assert.Equal(b[i], a[i], 5);
        v1.Dispose(); v2.Dispose(); g1.Dispose(); g2.Dispose();
    }

    /// <summary>Rules that break the contract are named: the forward returning its input, a gradient of the wrong shape,
    /// the wrong number of gradients.</summary>
    [Fact]
    public void ContractBreachesAreNamed()
    {
        using var x = Input(3);
        var e = Assert.Throws<ArgumentException>(() => Ops.Custom("same", [x], xs => xs[0], (xs, y, g) => [Ops.Copy(g)]));
        Assert.Contains("'same'", e.Message);
        Assert.Contains("new tensor", e.Message);

        using var tape = new Tape();
        var w = tape.Watch(x);
        var wrongShape = Ops.Custom("shape", [w], xs => Ops.Copy(xs[0]), (xs, y, g) => [Tensor.Zeros(new Shape(15))]);
        var s = Assert.Throws<InvalidOperationException>(() => tape.Gradients(Ops.Sum(wrongShape), [w]));
        Assert.Contains("[15]", s.Message);

        using var tape2 = new Tape();
        var w2 = tape2.Watch(x);
        var wrongCount = Ops.Custom("count", [w2], xs => Ops.Copy(xs[0]), (xs, y, g) => []);
        var c = Assert.Throws<InvalidOperationException>(() => tape2.Gradients(Ops.Sum(wrongCount), [w2]));
        Assert.Contains("0 gradients for 1 inputs", c.Message);
    }
}
