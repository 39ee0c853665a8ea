namespace AlexNet.Facade;

/// <summary>
/// The principal components of a training set's pixel colours (the paper's §4.2 colour augmentation): eigenvalues
/// λ_i and unit eigenvectors p_i of the C×C covariance of all pixel values, measured on the [0, 1] scale.
/// </summary>
/// <remarks>
/// The paper adds [p1 … pC]·[α1λ1 … αCλC]ᵀ to every pixel with α_i ~ N(0, 0.1) drawn once per presentation. The formula
/// depends on the pixel scale (λ grows with its square); the [0, 1] scale is the one under which the paper's α of 0.1
/// gives a shift of a few percent, and <see cref="Shift"/> returns it in byte units (×255) so it can be added to raw
/// pixel values.
/// </remarks>
public sealed class ColorPca
{
    private ColorPca(double[] values, double[,] vectors)
    {
        Eigenvalues = values;
        Eigenvectors = vectors;
    }

    /// <summary>Eigenvalues of the covariance, descending.</summary>
    public IReadOnlyList<double> Eigenvalues { get; }

    /// <summary>Eigenvectors as columns (column i belongs to eigenvalue i).</summary>
    public double[,] Eigenvectors { get; }

    /// <summary>Number of channels.</summary>
    public int Channels => Eigenvalues.Count;

    /// <summary>Decomposes a pixel covariance matrix (on the [0, 1] scale).</summary>
    /// <exception cref="ArgumentException">The matrix is not square, symmetric and finite.</exception>
    public static ColorPca FromCovariance(double[,] covariance)
    {
        var (values, vectors) = SymmetricEigen.Decompose(covariance);
        // A covariance is positive semi-definite; rounding can leave a tiny negative eigenvalue.
        for (int i = 0; i < values.Length; i++) values[i] = Math.Max(values[i], 0);
        return new ColorPca(values, vectors);
    }

    /// <summary>The per-channel shift Σ_i p_i·α_i·λ_i, in byte units (255 × the [0, 1]-scale shift).</summary>
    /// <param name="alphas">One α per component (the paper draws α_i ~ N(0, 0.1)).</param>
    /// <param name="destination">Receives one shift per channel.</param>
    /// <exception cref="ArgumentException">A span is shorter than <see cref="Channels"/>.</exception>
    public void Shift(ReadOnlySpan<float> alphas, Span<float> destination)
    {
        int n = Channels;
        if (alphas.Length < n || destination.Length < n)
            throw new ArgumentException($"Colour PCA has {n} components; got {alphas.Length} alphas and room for {destination.Length} shifts.");
        for (int c = 0; c < n; c++)
        {
            double s = 0;
            for (int i = 0; i < n; i++) s += Eigenvectors[c, i] * alphas[i] * Eigenvalues[i];
            destination[c] = (float)(255.0 * s);
        }
    }
}
