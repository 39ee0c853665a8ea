using AlexNet.Facade;
using Xunit;

namespace AlexNet.Tests.Facade;

public sealed class StatisticsTests
{
    internal static InMemoryImageDataset RandomRgb(int count, int size, int seed)
    {
        var rng = new Random(seed);
        var pixels = new byte[count * 3 * size * size];
        int plane = size * size;
        for (int n = 0; n < count; n++)
            for (int p = 0; p < plane; p++)
            {
                // Correlated channels so the covariance has structure.
                int r = rng.Next(256), g = Math.Clamp(r / 2 + rng.Next(128), 0, 255), b = Math.Clamp(255 - r + rng.Next(-20, 21), 0, 255);
                pixels[n * 3 * plane + p] = (byte)r;
                pixels[n * 3 * plane + plane + p] = (byte)g;
                pixels[n * 3 * plane + 2 * plane + p] = (byte)b;
            }
        return new InMemoryImageDataset(pixels, new int[count], 3, size, size, ["only"]);
    }

    [Fact]
    public void MeanImageAndCovarianceMatchDirectComputation()
    {
        var set = RandomRgb(1100, 4, seed: 3); // more than two chunks
        var stats = DatasetStatistics.Compute(set, threads: 2);
        int plane = 16;
        var image = new byte[48];
        var sum = new double[48];
        var all = new List<double[]>();
        for (int n = 0; n < set.Count; n++)
        {
            set.ReadImage(n, image);
            for (int i = 0; i < 48; i++) sum[i] += image[i];
            for (int p = 0; p < plane; p++) all.Add([image[p] / 255.0, image[plane + p] / 255.0, image[2 * plane + p] / 255.0]);
        }
        for (int i = 0; i < 48; i++) Assert.Equal(sum[i] / set.Count, stats.MeanImage[i], 3);
        var mu = new double[3];
        foreach (var x in all) for (int a = 0; a < 3; a++) mu[a] += x[a] / all.Count;
        for (int a = 0; a < 3; a++)
        {
            Assert.Equal(mu[a] * 255, stats.MeanPixel[a], 2);
            for (int b = 0; b < 3; b++)
            {
                double cov = all.Sum(x => (x[a] - mu[a]) * (x[b] - mu[b])) / all.Count;
                Assert.Equal(cov, stats.Covariance[a, b], 9);
            }
        }
        Assert.Equal(stats.Covariance[0, 1], stats.Covariance[1, 0]);
        Assert.True(stats.Covariance[0, 2] < 0); // blue was built as the negative of red
    }

    [Fact]
    public void StatisticsDoNotDependOnThreadCount()
    {
        var set = RandomRgb(1500, 3, seed: 5);
        var one = DatasetStatistics.Compute(set, threads: 1);
        var two = DatasetStatistics.Compute(set, threads: 2);
        Assert.Equal(one.MeanImage, two.MeanImage);
        Assert.Equal(one.Covariance, two.Covariance);
    }

    [Fact]
    public void EigenvectorsDiagonaliseTheCovariance()
    {
        var set = RandomRgb(200, 4, seed: 7);
        var stats = DatasetStatistics.Compute(set);
        var pca = stats.Pca;
        var c = stats.Covariance;
        var v = pca.Eigenvectors;
        for (int k = 0; k < 3; k++)
        {
            for (int r = 0; r < 3; r++)
            {
                double av = 0;
                for (int j = 0; j < 3; j++) av += c[r, j] * v[j, k];
                Assert.Equal(pca.Eigenvalues[k] * v[r, k], av, 12); // A·p = λ·p
            }
            for (int m = 0; m < 3; m++)
            {
                double dot = 0;
                for (int r = 0; r < 3; r++) dot += v[r, k] * v[r, m];
                Assert.Equal(k == m ? 1 : 0, dot, 12); // orthonormal
            }
        }
        Assert.True(pca.Eigenvalues[0] >= pca.Eigenvalues[1] && pca.Eigenvalues[1] >= pca.Eigenvalues[2]);
        Assert.Equal(c[0, 0] + c[1, 1] + c[2, 2], pca.Eigenvalues.Sum(), 12); // trace
    }

    [Fact]
    public void JacobiRecoversAKnownDecomposition()
    {
        // A = Q·diag(5, 2, 0.5)·Qᵀ for a rotation Q.
        double t = 0.7, s = Math.Sin(t), co = Math.Cos(t);
        double[,] q = { { co, -s, 0 }, { s * 0.6, co * 0.6, 0.8 }, { -s * 0.8, -co * 0.8, 0.6 } };
        double[] d = [5, 2, 0.5];
        var a = new double[3, 3];
        for (int i = 0; i < 3; i++)
            for (int j = 0; j < 3; j++)
                for (int k = 0; k < 3; k++) a[i, j] += q[i, k] * d[k] * q[j, k];
        var (values, vectors) = SymmetricEigen.Decompose(a);
        Assert.Equal(d, values.Select(x => Math.Round(x, 10)));
        for (int k = 0; k < 3; k++)
        {
            double dot = 0;
            for (int r = 0; r < 3; r++) dot += vectors[r, k] * q[r, k];
            Assert.Equal(1, Math.Abs(dot), 10);
        }
    }

    [Fact]
    public void EigenRejectsNonSymmetricInput()
    {
        Assert.Throws<ArgumentException>(() => SymmetricEigen.Decompose(new double[,] { { 1, 2 }, { 3, 4 } }));
        Assert.Throws<ArgumentException>(() => SymmetricEigen.Decompose(new double[2, 3]));
    }
}
