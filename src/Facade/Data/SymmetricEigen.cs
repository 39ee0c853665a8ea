namespace AlexNet.Facade;

/// <summary>Eigen-decomposition of a small real symmetric matrix by the cyclic Jacobi method.</summary>
internal static class SymmetricEigen
{
    /// <summary>
    /// Eigenvalues (descending) and unit eigenvectors of the symmetric matrix <paramref name="matrix"/>; column i of the
    /// returned vectors belongs to eigenvalue i, so A·V = V·diag(λ).
    /// </summary>
    /// <remarks>Each sweep zeroes every off-diagonal element with a plane rotation; it stops when the off-diagonal mass is
    /// below 1e-15 of the matrix's (or after 100 sweeps, far more than a 3×3 matrix needs). Each eigenvector's sign is
    /// chosen so its largest-magnitude component is positive, which makes the result unique for distinct eigenvalues.</remarks>
    /// <exception cref="ArgumentException">The matrix is not square, not symmetric, or not finite.</exception>
    public static (double[] Values, double[,] Vectors) Decompose(double[,] matrix)
    {
        ArgumentNullException.ThrowIfNull(matrix);
        int n = matrix.GetLength(0);
        if (matrix.GetLength(1) != n) throw new ArgumentException($"The matrix is {n}×{matrix.GetLength(1)}, not square.", nameof(matrix));
        var a = (double[,])matrix.Clone();
        double norm = 0;
        for (int i = 0; i < n; i++)
            for (int j = 0; j < n; j++)
            {
                if (!double.IsFinite(a[i, j])) throw new ArgumentException($"Element [{i}, {j}] is {a[i, j]}.", nameof(matrix));
                if (Math.Abs(a[i, j] - a[j, i]) > 1e-9 * (Math.Abs(a[i, j]) + Math.Abs(a[j, i]) + 1e-300))
                    throw new ArgumentException($"The matrix is not symmetric at [{i}, {j}].", nameof(matrix));
                norm += a[i, j] * a[i, j];
            }
        var v = new double[n, n];
        for (int i = 0; i < n; i++) v[i, i] = 1;
        for (int sweep = 0; sweep < 100; sweep++)
        {
            double off = 0;
            for (int p = 0; p < n; p++)
                for (int q = p + 1; q < n; q++) off += 2 * a[p, q] * a[p, q];
            if (off <= 1e-30 * norm || off == 0) break;
            for (int p = 0; p < n; p++)
                for (int q = p + 1; q < n; q++)
                {
                    if (a[p, q] == 0) continue;
                    double theta = (a[q, q] - a[p, p]) / (2 * a[p, q]);
                    double t = Math.Sign(theta) / (Math.Abs(theta) + Math.Sqrt(theta * theta + 1));
                    if (theta == 0) t = 1;
                    double c = 1 / Math.Sqrt(t * t + 1), s = t * c;
                    Rotate(a, v, n, p, q, c, s);
                }
        }
        var order = Enumerable.Range(0, n).OrderByDescending(i => a[i, i]).ToArray();
        var values = order.Select(i => a[i, i]).ToArray();
        var vectors = new double[n, n];
        for (int k = 0; k < n; k++)
        {
            int src = order[k];
            int big = 0;
            for (int r = 1; r < n; r++) if (Math.Abs(v[r, src]) > Math.Abs(v[big, src])) big = r;
            double sign = v[big, src] < 0 ? -1 : 1;
            for (int r = 0; r < n; r++) vectors[r, k] = sign * v[r, src];
        }
        return (values, vectors);
    }

    /// <summary>Applies the Jacobi rotation J(p, q, θ): A ← JᵀAJ, V ← VJ.</summary>
    private static void Rotate(double[,] a, double[,] v, int n, int p, int q, double c, double s)
    {
        for (int k = 0; k < n; k++)
        {
            double akp = a[k, p], akq = a[k, q];
            a[k, p] = c * akp - s * akq;
            a[k, q] = s * akp + c * akq;
        }
        for (int k = 0; k < n; k++)
        {
            double apk = a[p, k], aqk = a[q, k];
            a[p, k] = c * apk - s * aqk;
            a[q, k] = s * apk + c * aqk;
        }
        for (int k = 0; k < n; k++)
        {
            double vkp = v[k, p], vkq = v[k, q];
            v[k, p] = c * vkp - s * vkq;
            v[k, q] = s * vkp + c * vkq;
        }
    }
}
