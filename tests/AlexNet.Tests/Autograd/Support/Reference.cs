namespace AlexNet.Tests.Autograd.Support;

/// <summary>
/// Float64 reference implementations written as naive loops straight from each formula. They share no code with the
/// library: every gradient test differentiates these with central finite differences.
/// </summary>
internal static class Reference
{
    // ---------------------------------------------------------------- elementwise

    public static Nd Map(Nd x, Func<double, double> f)
    {
        var y = new Nd(x.Shape);
        for (int i = 0; i < x.Count; i++) y.Data[i] = f(x.Data[i]);
        return y;
    }

    /// <summary>NumPy broadcasting: align trailing dimensions; each pair must be equal or contain a 1.</summary>
    public static int[] BroadcastShape(int[] a, int[] b)
    {
        int rank = Math.Max(a.Length, b.Length);
        var s = new int[rank];
        for (int i = 0; i < rank; i++)
        {
            int da = i - (rank - a.Length) >= 0 ? a[i - (rank - a.Length)] : 1;
            int db = i - (rank - b.Length) >= 0 ? b[i - (rank - b.Length)] : 1;
            if (da != db && da != 1 && db != 1) throw new ArgumentException("reference: shapes do not broadcast");
            s[i] = da == 1 ? db : da;
        }
        return s;
    }

    public static Nd Binary(Nd a, Nd b, Func<double, double, double> f)
    {
        var shape = BroadcastShape(a.Shape, b.Shape);
        var y = new Nd(shape);
        var idx = new int[shape.Length];
        for (int lin = 0; lin < y.Count; lin++)
        {
            Nd.Unravel(lin, shape, idx);
            y.Data[lin] = f(a.Data[BroadcastOffset(a.Shape, idx)], b.Data[BroadcastOffset(b.Shape, idx)]);
        }
        return y;
    }

    private static int BroadcastOffset(int[] shape, int[] outIndex)
    {
        int off = outIndex.Length - shape.Length, lin = 0;
        for (int i = 0; i < shape.Length; i++) lin = lin * shape[i] + (shape[i] == 1 ? 0 : outIndex[i + off]);
        return lin;
    }

    // ---------------------------------------------------------------- reductions

    public static Nd Reduce(Nd x, int[] axes, bool keepDims, bool max)
    {
        var reduce = new bool[x.Rank];
        foreach (var a in axes) reduce[a < 0 ? a + x.Rank : a] = true;
        var kept = new int[x.Rank];
        for (int i = 0; i < x.Rank; i++) kept[i] = reduce[i] ? 1 : x.Shape[i];
        var y = new Nd(kept);
        if (max) Array.Fill(y.Data, double.NegativeInfinity);
        var idx = new int[x.Rank];
        for (int lin = 0; lin < x.Count; lin++)
        {
            Nd.Unravel(lin, x.Shape, idx);
            for (int i = 0; i < x.Rank; i++) if (reduce[i]) idx[i] = 0;
            int o = y.Offset(idx);
            y.Data[o] = max ? Math.Max(y.Data[o], x.Data[lin]) : y.Data[o] + x.Data[lin];
        }
        if (keepDims) return y;
        return new Nd([.. Enumerable.Range(0, x.Rank).Where(i => !reduce[i]).Select(i => x.Shape[i])], y.Data);
    }

    public static Nd Mean(Nd x, int[] axes, bool keepDims)
    {
        var s = Reduce(x, axes, keepDims, max: false);
        double n = 1;
        foreach (var a in axes) n *= x.Shape[a < 0 ? a + x.Rank : a];
        return Map(s, v => v / n);
    }

    // ---------------------------------------------------------------- movement

    public static Nd Reshape(Nd x, int[] shape) => new(shape, (double[])x.Data.Clone());

    /// <summary>y's axis i is x's axis perm[i].</summary>
    public static Nd Permute(Nd x, int[] perm)
    {
        var shape = perm.Select(p => x.Shape[p]).ToArray();
        var y = new Nd(shape);
        var yi = new int[shape.Length];
        var xi = new int[shape.Length];
        for (int lin = 0; lin < y.Count; lin++)
        {
            Nd.Unravel(lin, shape, yi);
            for (int i = 0; i < perm.Length; i++) xi[perm[i]] = yi[i];
            y.Data[lin] = x.Data[x.Offset(xi)];
        }
        return y;
    }

    public static Nd Concat(Nd[] xs, int axis)
    {
        var shape = (int[])xs[0].Shape.Clone();
        shape[axis] = xs.Sum(x => x.Shape[axis]);
        var y = new Nd(shape);
        var idx = new int[shape.Length];
        for (int lin = 0; lin < y.Count; lin++)
        {
            Nd.Unravel(lin, shape, idx);
            int k = 0, at = idx[axis];
            while (at >= xs[k].Shape[axis]) { at -= xs[k].Shape[axis]; k++; }
            idx[axis] = at;
            y.Data[lin] = xs[k].Data[xs[k].Offset(idx)];
        }
        return y;
    }

    public static Nd Slice(Nd x, int axis, int start, int length)
    {
        var shape = (int[])x.Shape.Clone();
        shape[axis] = length;
        var y = new Nd(shape);
        var idx = new int[shape.Length];
        for (int lin = 0; lin < y.Count; lin++)
        {
            Nd.Unravel(lin, shape, idx);
            idx[axis] += start;
            y.Data[lin] = x.Data[x.Offset(idx)];
        }
        return y;
    }

    // ---------------------------------------------------------------- products

    /// <summary>C[i, j] = Σ_p A[i, p]·B[p, j].</summary>
    public static Nd MatMul(Nd a, Nd b)
    {
        int m = a.Shape[0], k = a.Shape[1], n = b.Shape[1];
        var c = new Nd([m, n]);
        for (int i = 0; i < m; i++)
            for (int j = 0; j < n; j++)
            {
                double s = 0;
                for (int p = 0; p < k; p++) s += a[i, p] * b[p, j];
                c[i, j] = s;
            }
        return c;
    }

    /// <summary>y[r, o] = Σ_i x[r, i]·w[o, i] + b[o].</summary>
    public static Nd Linear(Nd x, Nd w, Nd? b)
    {
        int n = x.Shape[0], inF = x.Shape[1], outF = w.Shape[0];
        var y = new Nd([n, outF]);
        for (int r = 0; r < n; r++)
            for (int o = 0; o < outF; o++)
            {
                double s = b is null ? 0 : b.Data[o];
                for (int i = 0; i < inF; i++) s += x[r, i] * w[o, i];
                y[r, o] = s;
            }
        return y;
    }

    /// <summary>
    /// y[n, o, i, j] = b[o] + Σ_{c in group(o)} Σ_{p, q} x[n, c, i·s + p − pad, j·s + q − pad]·w[o, c − group start, p, q]
    /// with zeros outside the input.
    /// </summary>
    public static Nd Conv2d(Nd x, Nd w, Nd? b, int stride, int pad, int groups)
    {
        int n = x.Shape[0], c = x.Shape[1], h = x.Shape[2], wd = x.Shape[3];
        int o = w.Shape[0], cg = w.Shape[1], kh = w.Shape[2], kw = w.Shape[3];
        int oh = (h + 2 * pad - kh) / stride + 1, ow = (wd + 2 * pad - kw) / stride + 1;
        int og = o / groups;
        var y = new Nd([n, o, oh, ow]);
        for (int bi = 0; bi < n; bi++)
            for (int oc = 0; oc < o; oc++)
            {
                int group = oc / og;
                for (int i = 0; i < oh; i++)
                    for (int j = 0; j < ow; j++)
                    {
                        double s = b is null ? 0 : b.Data[oc];
                        for (int ci = 0; ci < cg; ci++)
                            for (int p = 0; p < kh; p++)
                                for (int q = 0; q < kw; q++)
                                {
                                    int hi = i * stride + p - pad, wi = j * stride + q - pad;
                                    if (hi < 0 || hi >= h || wi < 0 || wi >= wd) continue;
                                    // x[bi, group·cg + ci, hi, wi] · w[oc, ci, p, q], indexed by hand (no allocation).
                                    s += x.Data[((bi * c + group * cg + ci) * h + hi) * wd + wi] * w.Data[((oc * cg + ci) * kh + p) * kw + q];
                                }
                        y[bi, oc, i, j] = s;
                    }
            }
        return y;
    }

    /// <summary>y[n, c, i, j] = max over the window of x (padding cells are −∞, so they never win).</summary>
    public static Nd MaxPool2d(Nd x, int kernel, int stride, int pad)
    {
        int n = x.Shape[0], c = x.Shape[1], h = x.Shape[2], w = x.Shape[3];
        int oh = (h + 2 * pad - kernel) / stride + 1, ow = (w + 2 * pad - kernel) / stride + 1;
        var y = new Nd([n, c, oh, ow]);
        for (int bi = 0; bi < n; bi++)
            for (int ci = 0; ci < c; ci++)
                for (int i = 0; i < oh; i++)
                    for (int j = 0; j < ow; j++)
                    {
                        double m = double.NegativeInfinity;
                        for (int p = 0; p < kernel; p++)
                            for (int q = 0; q < kernel; q++)
                            {
                                int hi = i * stride + p - pad, wi = j * stride + q - pad;
                                if (hi < 0 || hi >= h || wi < 0 || wi >= w) continue;
                                m = Math.Max(m, x[bi, ci, hi, wi]);
                            }
                        y[bi, ci, i, j] = m;
                    }
        return y;
    }

    /// <summary>The paper's LRN: b_i = a_i / (k + α Σ_{j=max(0,i−n/2)}^{min(N−1,i+n/2)} a_j²)^β (α not divided by n).</summary>
    public static Nd Lrn(Nd x, int size, double alpha, double beta, double k)
    {
        int n = x.Shape[0], c = x.Shape[1], h = x.Shape[2], w = x.Shape[3];
        var y = new Nd(x.Shape);
        for (int bi = 0; bi < n; bi++)
            for (int i = 0; i < c; i++)
                for (int p = 0; p < h; p++)
                    for (int q = 0; q < w; q++)
                    {
                        double s = 0;
                        for (int j = Math.Max(0, i - size / 2); j <= Math.Min(c - 1, i + size / 2); j++)
                            s += x[bi, j, p, q] * x[bi, j, p, q];
                        y[bi, i, p, q] = x[bi, i, p, q] / Math.Pow(k + alpha * s, beta);
                    }
        return y;
    }

    /// <summary>
    /// The cuDNN / PyTorch form: the channel-squared signal zero-padded by n/2 on each side, averaged over a window of n
    /// (so alpha is divided by n), then b = a / (k + α_torch·avg)^β. Written as PyTorch's LocalResponseNorm computes it.
    /// </summary>
    public static Nd LrnTorchForm(Nd x, int size, double alphaTorch, double beta, double k)
    {
        int n = x.Shape[0], c = x.Shape[1], h = x.Shape[2], w = x.Shape[3];
        int half = size / 2;
        var y = new Nd(x.Shape);
        for (int bi = 0; bi < n; bi++)
            for (int p = 0; p < h; p++)
                for (int q = 0; q < w; q++)
                {
                    var padded = new double[c + 2 * half];
                    for (int i = 0; i < c; i++) padded[i + half] = x[bi, i, p, q] * x[bi, i, p, q];
                    for (int i = 0; i < c; i++)
                    {
                        double avg = 0;
                        for (int t = 0; t < size; t++) avg += padded[i + t];
                        avg /= size;
                        y[bi, i, p, q] = x[bi, i, p, q] / Math.Pow(k + alphaTorch * avg, beta);
                    }
                }
        return y;
    }

    // ---------------------------------------------------------------- softmax family

    /// <summary>Softmax or log-softmax over the last axis (max subtracted; log-sum-exp for the log form).</summary>
    public static Nd Softmax(Nd x, bool log)
    {
        int cols = x.Shape[^1], rows = x.Count / cols;
        var y = new Nd(x.Shape);
        for (int r = 0; r < rows; r++)
        {
            double m = double.NegativeInfinity;
            for (int j = 0; j < cols; j++) m = Math.Max(m, x.Data[r * cols + j]);
            double s = 0;
            for (int j = 0; j < cols; j++) s += Math.Exp(x.Data[r * cols + j] - m);
            for (int j = 0; j < cols; j++)
            {
                double z = x.Data[r * cols + j] - m;
                y.Data[r * cols + j] = log ? z - Math.Log(s) : Math.Exp(z) / s;
            }
        }
        return y;
    }

    /// <summary>loss[r] = log Σ_j exp(x[r, j]) − x[r, label_r], computed as max + log Σ exp(x − max).</summary>
    public static Nd CrossEntropyPerExample(Nd logits, int[] labels)
    {
        int rows = logits.Shape[0], cols = logits.Shape[1];
        var y = new Nd([rows]);
        for (int r = 0; r < rows; r++)
        {
            double m = double.NegativeInfinity;
            for (int j = 0; j < cols; j++) m = Math.Max(m, logits[r, j]);
            double s = 0;
            for (int j = 0; j < cols; j++) s += Math.Exp(logits[r, j] - m);
            y.Data[r] = m + Math.Log(s) - logits[r, labels[r]];
        }
        return y;
    }

    public static Nd CrossEntropyMean(Nd logits, int[] labels)
    {
        var per = CrossEntropyPerExample(logits, labels);
        return new Nd([], [per.Data.Average()]);
    }

    // ---------------------------------------------------------------- dropout

    /// <summary>The inverted-dropout mask: 1/(1 − p) where key.Uniform(i) ≥ p, else 0.</summary>
    public static double[] DropoutMask(AlexNet.Autograd.RandomKey key, int count, float p)
    {
        var m = new double[count];
        for (int i = 0; i < count; i++) m[i] = key.Uniform(i) >= p ? 1.0 / (1.0 - p) : 0.0;
        return m;
    }
}
