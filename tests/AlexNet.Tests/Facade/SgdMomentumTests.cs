using AlexNet.Autograd;
using AlexNet.Facade;
using Xunit;

namespace AlexNet.Tests.Facade;

public sealed class SgdMomentumTests
{
    [Fact]
    public void TwoStepsFollowThePapersUpdateRule()
    {
        float[] w0 = [1f, -2f, 0.5f], g1 = [0.1f, 0.2f, -0.3f], g2 = [-0.5f, 0f, 1f];
        var p = TensorMap.Empty.Add("w", Tensor.FromArray(w0, new Shape(3)));
        using var opt = new SgdMomentum(p, 0.9f, 5e-4f);
        float lr = 0.1f;
        opt.Step(TensorMap.Empty.Add("w", Tensor.FromArray(g1, new Shape(3))), lr);
        opt.Step(TensorMap.Empty.Add("w", Tensor.FromArray(g2, new Shape(3))), lr);
        var w = opt.Parameters["w"].ToArray();
        var v = opt.Velocity["w"].ToArray();
        for (int i = 0; i < 3; i++)
        {
            double v1 = -5e-4 * lr * w0[i] - lr * g1[i];
            double w1 = w0[i] + v1;
            double v2 = 0.9 * v1 - 5e-4 * lr * w1 - lr * g2[i];
            Assert.Equal(v2, v[i], 5);
            Assert.Equal(w1 + v2, w[i], 5);
        }
        Assert.Equal(w0, p["w"].ToArray()); // the caller's tensors are untouched
    }

    [Fact]
    public void RejectsMismatchedGradientsAndBadSettings()
    {
        var p = TensorMap.Empty.Add("w", Tensor.Zeros(new Shape(2)));
        using var opt = new SgdMomentum(p);
        Assert.Throws<ArgumentException>(() => opt.Step(TensorMap.Empty.Add("w", Tensor.Zeros(new Shape(3))), 0.1f));
        Assert.Throws<ArgumentException>(() => opt.Step(TensorMap.Empty.Add("v", Tensor.Zeros(new Shape(2))), 0.1f));
        Assert.Throws<ArgumentException>(() => opt.Step(TensorMap.Empty.Add("w", Tensor.Zeros(new Shape(2))), float.NaN));
        Assert.Throws<ArgumentException>(() => new SgdMomentum(p, momentum: 1f));
        Assert.Throws<ArgumentException>(() => new SgdMomentum(p, velocity: TensorMap.Empty.Add("w", Tensor.Zeros(new Shape(1)))));
    }

    /// <summary>TakeParameters hands the weights over: disposing the optimiser then leaves them alive, and it takes no
    /// further step; without it, disposing releases them (both optimisers).</summary>
    [Fact]
    public void TakeParametersHandsTheWeightsOver()
    {
        using var w = Tensor.FromArray([1f, 2f], new Shape(2));
        var p = TensorMap.Empty.Add("w", w);
        using var g = Tensor.FromArray([0.5f, -0.5f], new Shape(2));
        var grads = TensorMap.Empty.Add("w", g);

        var sgd = new SgdMomentum(p);
        sgd.Step(grads, 0.1f);
        using var kept = sgd.TakeParameters();
        sgd.Dispose();
        Assert.False(kept["w"].IsDisposed);
        Assert.NotEqual([1f, 2f], kept["w"].ToArray());
        Assert.Throws<ObjectDisposedException>(() => sgd.TakeParameters());

        var adam = new Adam(p);
        adam.TakeParameters();
        Assert.Throws<InvalidOperationException>(() => adam.Step(grads, 0.1f));
        Assert.Throws<InvalidOperationException>(() => adam.TakeParameters());
        var held = adam.Parameters["w"];
        adam.Dispose();
        Assert.False(held.IsDisposed);
        held.Dispose();

        var owned = new SgdMomentum(p);
        var inside = owned.Parameters["w"];
        owned.Dispose();
        Assert.True(inside.IsDisposed);
        Assert.False(w.IsDisposed);
    }
}
