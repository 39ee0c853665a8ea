namespace AlexNet.Autograd;

/// <summary>
/// Checks a function's gradients against central finite differences: the way to test a custom operation's backward
/// rule (<see cref="Ops.Custom"/>) or a composite function. The function is reduced to the scalar L = Σ r ⊙ f(x) with a
/// fixed random r, so every output element takes part; L is differentiated by the tape and by (L(x + h·eₖ) −
/// L(x − h·eₖ)) / 2h on up to <c>maxElements</c> elements of every input, accumulated in double precision.
/// </summary>
public static class GradientCheck
{
    /// <summary>Runs the check and returns its figures; <see cref="GradientCheckResult.Passed"/> tells the verdict.</summary>
    /// <param name="f">The function; it must not change its inputs.</param>
    /// <param name="inputs">Where to check; float32 values on any device.</param>
    /// <param name="step">h, relative to each element's magnitude (at least h itself): float32 needs about 1e-2.</param>
    /// <param name="tolerance">An element passes when |analytic − numeric| ≤ tolerance · (|numeric| + scale), scale being
    /// the largest |numeric| of its input (so tiny gradients are judged against their input's own size).</param>
    /// <param name="maxElements">Elements checked per input (spread evenly when the input is larger).</param>
    /// <param name="seed">Seed of r.</param>
    /// <exception cref="ArgumentException">No inputs, or a setting out of range.</exception>
    public static GradientCheckResult Run(Func<IReadOnlyList<Tensor>, Tensor> f, IReadOnlyList<Tensor> inputs, double step = 1e-2,
                                         double tolerance = 1e-2, int maxElements = 64, long seed = 1)
    {
        ArgumentNullException.ThrowIfNull(f);
        ArgumentNullException.ThrowIfNull(inputs);
        if (inputs.Count == 0) throw new ArgumentException("The gradient check needs at least one input.", nameof(inputs));
        if (!(step > 0) || !(tolerance > 0) || maxElements < 1)
            throw new ArgumentException($"step ({step}) and tolerance ({tolerance}) must be positive and maxElements ({maxElements}) ≥ 1.");
        var values = inputs.Select(x => x.ToArray()).ToArray();
        float[] r;
        using (var y0 = Evaluate(f, inputs, values))
        using (var projection = Tensor.Normal(RandomKey.FromSeed(seed), y0.Shape))
            r = projection.ToArray();

        var analytic = Analytic(f, inputs, r);
        double worst = 0;
        var failures = new List<string>();
        for (int i = 0; i < inputs.Count; i++)
        {
            int n = values[i].Length;
            int count = Math.Min(n, maxElements);
            var numeric = new double[count];
            var indices = Enumerable.Range(0, count).Select(j => (int)((long)j * n / count)).ToArray();
            for (int j = 0; j < count; j++)
            {
                int k = indices[j];
                float original = values[i][k];
                double h = step * Math.Max(1, Math.Abs(original));
                values[i][k] = (float)(original + h);
                double plus = Loss(f, inputs, values, r);
                values[i][k] = (float)(original - h);
                double minus = Loss(f, inputs, values, r);
                values[i][k] = original;
                double actualStep = (double)(float)(original + h) - (float)(original - h);
                numeric[j] = (plus - minus) / actualStep;
            }
            double scale = numeric.Max(Math.Abs);
            for (int j = 0; j < count; j++)
            {
                double a = analytic[i][indices[j]], num = numeric[j];
                double error = Math.Abs(a - num) / (Math.Abs(num) + scale + 1e-30);
                worst = Math.Max(worst, error);
                if (error > tolerance && failures.Count < 5)
                    failures.Add($"input {i} element {indices[j]}: analytic {a:G6}, numeric {num:G6}");
            }
        }
        return new GradientCheckResult(worst, tolerance, failures);
    }

    private static float[][] Analytic(Func<IReadOnlyList<Tensor>, Tensor> f, IReadOnlyList<Tensor> inputs, float[] r)
    {
        using var tape = new Tape();
        var watched = inputs.Select(tape.Watch).ToArray();
        var y = f(watched);
        using var weights = Tensor.FromArray(r, y.Shape, y.Backend);
        var loss = Ops.Sum(y * weights);
        var grads = tape.Gradients(loss, watched);
        try
        {
            return [.. grads.Select(g => g.ToArray())];
        }
        finally
        {
            foreach (var g in grads) g.Dispose();
        }
    }

    private static double Loss(Func<IReadOnlyList<Tensor>, Tensor> f, IReadOnlyList<Tensor> inputs, float[][] values, float[] r)
    {
        using var y = Evaluate(f, inputs, values);
        var data = y.ToArray();
        double sum = 0;
        for (int i = 0; i < data.Length; i++) sum += (double)r[i] * data[i];
        return sum;
    }

    private static Tensor Evaluate(Func<IReadOnlyList<Tensor>, Tensor> f, IReadOnlyList<Tensor> inputs, float[][] values)
    {
        var xs = inputs.Select((x, i) => Tensor.FromArray(values[i], x.Shape, x.Backend)).ToArray();
        try
        {
            return f(xs);
        }
        finally
        {
            foreach (var x in xs) x.Dispose();
        }
    }
}
