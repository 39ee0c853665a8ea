using System.Globalization;
using System.Text;
using AlexNet.Autograd;
using AlexNet.Autograd.Kernels;
using Xunit;

namespace AlexNet.Tests.Autograd.Support;

/// <summary>One input of an operation under test: float32 values, a shape, and whether a gradient is taken for it.</summary>
internal sealed record Arg(float[] Values, int[] Shape, bool Watched = true)
{
    public Nd ToNd() => Nd.FromFloats(Values, Shape);

    public override string ToString() => Nd.Format(Shape) + (Watched ? "" : " (constant)");
}

/// <summary>A tolerance |actual − expected| ≤ Rel·|expected| + Abs·max(1, max |expected|) suited to float32 results.</summary>
internal readonly record struct Tol(double Rel, double Abs)
{
    public static Tol Forward { get; } = new(1e-4, 1e-5);

    public static Tol Gradient { get; } = new(1e-3, 1e-4);
}

/// <summary>
/// Checks an operation against its float64 reference: the forward values, then the gradient of the random linear
/// functional L = Σ r ⊙ f(x) from <see cref="Autodiff.ValueAndGrad(Func{TensorMap, Tensor}, TensorMap)"/> against central
/// finite differences of L computed on the float64 reference.
/// </summary>
internal static class GradCheck
{
    /// <summary>Finite-difference step, applied to the float64 reference (whose inputs are the float32 values, exactly).</summary>
    public const double Step = 1e-5;

    public static void Op(string label, Arg[] args, Func<Tensor[], Tensor> op, Func<Nd[], Nd> reference, int seed,
                          Tol? forward = null, Tol? gradient = null, IBackend? backend = null)
    {
        var nds = args.Select(a => a.ToNd()).ToArray();
        var expected = reference(nds);
        var tensors = args.Select(a => Tensor.FromArray(a.Values, new Shape(a.Shape), backend)).ToArray();
        try
        {
            using (var y = op(tensors))
            {
                AssertShape(label + " forward", expected.Shape, y.Shape);
                AssertClose(label + " forward", y.ToArray(), expected.Data, forward ?? Tol.Forward);
            }

            var rng = new Random(seed ^ 0x2545F491);
            var r = new float[expected.Count];
            for (int i = 0; i < r.Length; i++) r[i] = (float)(rng.NextDouble() * 2 - 1);
            var names = Enumerable.Range(0, args.Length).Select(k => $"x{k}").ToArray();
            var parameters = TensorMap.From(Enumerable.Range(0, args.Length).Where(k => args[k].Watched)
                                                      .Select(k => KeyValuePair.Create(names[k], tensors[k])));
            var weights = new List<Tensor>();
            var (value, grads) = Autodiff.ValueAndGrad(p =>
            {
                var inputs = Enumerable.Range(0, args.Length).Select(k => args[k].Watched ? p[names[k]] : tensors[k]).ToArray();
                var y = op(inputs);
                var rt = Tensor.FromArray(r, y.Shape, y.Backend);
                weights.Add(rt);
                return Ops.Sum(Ops.Mul(y, rt));
            }, parameters);
            try
            {
                double l = Functional(reference, nds, r);
                var valueTol = forward is { } f && f.Rel + f.Abs > Tol.Forward.Rel + Tol.Forward.Abs ? f : Tol.Forward;
                AssertClose(label + " value of L = Σ r·f(x)", [value.Item()], [l], valueTol);
                for (int k = 0; k < args.Length; k++)
                {
                    if (!args[k].Watched) continue;
                    var g = grads[names[k]];
                    AssertShape($"{label} gradient of input {k}", args[k].Shape, g.Shape);
                    Assert.Same(tensors[k].Backend, g.Backend);
                    var fd = FiniteDifferences(reference, nds, k, r);
                    AssertClose($"{label} gradient of input {k} {args[k]}", g.ToArray(), fd, gradient ?? Tol.Gradient);
                }
            }
            finally
            {
                value.Dispose();
                grads.DisposeAll();
                foreach (var w in weights) w.Dispose();
            }
        }
        finally
        {
            foreach (var t in tensors) t.Dispose();
        }
    }

    /// <summary>L = Σ r_i·f(x)_i on the float64 reference.</summary>
    public static double Functional(Func<Nd[], Nd> reference, Nd[] inputs, float[] r)
    {
        var y = reference(inputs);
        double l = 0;
        for (int i = 0; i < y.Count; i++) l += r[i] * y.Data[i];
        return l;
    }

    /// <summary>Central differences (L(x + h·e) − L(x − h·e)) / 2h for every element of input <paramref name="k"/>.</summary>
    public static double[] FiniteDifferences(Func<Nd[], Nd> reference, Nd[] inputs, int k, float[] r)
    {
        var x = inputs[k];
        var grad = new double[x.Count];
        var perturbed = (Nd[])inputs.Clone();
        for (int e = 0; e < x.Count; e++)
        {
            var plus = x.Clone();
            plus.Data[e] += Step;
            perturbed[k] = plus;
            double lp = Functional(reference, perturbed, r);
            var minus = x.Clone();
            minus.Data[e] -= Step;
            perturbed[k] = minus;
            double lm = Functional(reference, perturbed, r);
            grad[e] = (lp - lm) / (2 * Step);
        }
        return grad;
    }

    public static void AssertShape(string label, int[] expected, Shape actual)
    {
        if (!actual.ToArray().SequenceEqual(expected))
            Assert.Fail($"{label}: shape {actual}, expected {Nd.Format(expected)}.");
    }

    public static void AssertClose(string label, float[] actual, double[] expected, Tol tol)
    {
        if (actual.Length != expected.Length) Assert.Fail($"{label}: {actual.Length} values, expected {expected.Length}.");
        double scale = Math.Max(1.0, expected.Length == 0 ? 0 : expected.Max(Math.Abs));
        var bad = new StringBuilder();
        int failures = 0;
        for (int i = 0; i < actual.Length; i++)
        {
            double err = Math.Abs(actual[i] - expected[i]);
            if (err <= tol.Rel * Math.Abs(expected[i]) + tol.Abs * scale) continue; // NaN fails here too
            if (failures++ < 5)
                bad.Append(CultureInfo.InvariantCulture, $"\n  [{i}] got {actual[i]:G9}, expected {expected[i]:G9} (error {err:G3})");
        }
        if (failures > 0)
            Assert.Fail($"{label}: {failures} of {actual.Length} values outside rel {tol.Rel:G2} / abs {tol.Abs:G2}·{scale:G3}:{bad}");
    }

    public static void AssertClose(string label, float[] actual, float[] expected, Tol tol) =>
        AssertClose(label, actual, [.. expected.Select(v => (double)v)], tol);
}
