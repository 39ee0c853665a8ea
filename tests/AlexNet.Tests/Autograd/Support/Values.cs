using FsCheck;
using FsCheck.Fluent;

namespace AlexNet.Tests.Autograd.Support;

/// <summary>Deterministic test values drawn from a case's seed, and FsCheck generators for shapes.</summary>
internal static class Values
{
    /// <summary>Uniform float32 values in [lo, hi).</summary>
    public static float[] Uniform(int seed, int count, double lo = -1, double hi = 1)
    {
        var rng = new Random(seed);
        var v = new float[count];
        for (int i = 0; i < count; i++) v[i] = (float)(lo + (hi - lo) * rng.NextDouble());
        return v;
    }

    /// <summary>Values with magnitude in [min, max) and a random sign (away from a kink or a pole at 0).</summary>
    public static float[] AwayFromZero(int seed, int count, double min, double max)
    {
        var rng = new Random(seed);
        var v = new float[count];
        for (int i = 0; i < count; i++)
            v[i] = (float)((rng.Next(2) == 0 ? -1 : 1) * (min + (max - min) * rng.NextDouble()));
        return v;
    }

    /// <summary>
    /// Pairwise distinct values in [−2, 2) at least 2/count apart, in random order: no ties and no near-ties, so a
    /// maximum is unambiguous and finite differences of it are exact.
    /// </summary>
    public static float[] Distinct(int seed, int count)
    {
        var rng = new Random(seed);
        var perm = Enumerable.Range(0, count).OrderBy(_ => rng.Next()).ToArray();
        var v = new float[count];
        for (int i = 0; i < count; i++) v[i] = (float)((perm[i] + 0.25 + 0.5 * rng.NextDouble()) / count * 4 - 2);
        return v;
    }

    public static int Count(int[] shape) => shape.Aggregate(1, (a, d) => a * d);

    /// <summary>A seed for the values of one case.</summary>
    public static Gen<int> Seed => Gen.Choose(0, int.MaxValue - 1);

    /// <summary>An array of <paramref name="rank"/> dimensions, each in [lo, hi].</summary>
    public static Gen<int[]> Dims(int rank, int lo, int hi) => Gen.ArrayOf(Gen.Choose(lo, hi), rank);

    /// <summary>A random rank in [minRank, maxRank], then that many dimensions in [lo, hi].</summary>
    public static Gen<int[]> Shape(int minRank, int maxRank, int lo, int hi) =>
        Gen.Choose(minRank, maxRank).SelectMany(r => Dims(r, lo, hi));
}
