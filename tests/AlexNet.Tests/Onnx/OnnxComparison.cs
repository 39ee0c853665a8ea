using AlexNet.Autograd;
using Xunit;

namespace AlexNet.Tests.Onnx;

/// <summary>How far ONNX Runtime's results are from ours.</summary>
internal static class OnnxComparison
{
    /// <summary>The tolerance the exporter promises: 1e-5 relative.</summary>
    public const double Tolerance = 1e-5;

    /// <summary>Largest |actual − expected| divided by the largest |expected| (1 when every expected value is 0):
    /// relative to the tensor's scale, so near-zero elements are not judged by their own tiny magnitude.</summary>
    public static double RelativeError(Tensor actual, Tensor expected)
    {
        Assert.Equal(expected.Shape, actual.Shape);
        var a = actual.ToArray();
        var e = expected.ToArray();
        double scale = e.Select(v => Math.Abs((double)v)).DefaultIfEmpty(0).Max();
        if (scale == 0) scale = 1;
        double worst = 0;
        for (int i = 0; i < a.Length; i++) worst = Math.Max(worst, Math.Abs(a[i] - (double)e[i]));
        return worst / scale;
    }

    /// <summary>Asserts the shapes agree and the relative error is within <see cref="Tolerance"/>; returns the error.</summary>
    public static double AssertClose(Tensor actual, Tensor expected)
    {
        double error = RelativeError(actual, expected);
        Assert.True(error <= Tolerance, $"ONNX Runtime differs from our ops by {error:E2} relative (tolerance {Tolerance:E0}).");
        return error;
    }
}
