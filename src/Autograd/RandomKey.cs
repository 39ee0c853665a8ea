namespace AlexNet.Autograd;

/// <summary>
/// An explicit, splittable random key (JAX style). There is no global generator: every random tensor, dropout mask
/// and augmentation takes a key, and the same key always gives the same numbers on every backend.
/// </summary>
/// <remarks>
/// Counter based: element <c>i</c> drawn with key <c>k</c> is a pure function of (k, i), the SplitMix64 finaliser of
/// <c>k + (i + 1)·0x9E3779B97F4A7C15</c>. That makes generation parallel and lets the CUDA kernels reproduce the CPU's
/// numbers bit for bit. Splitting hashes the key with the branch index, so children are independent of each other and of
/// the parent's own stream.
/// </remarks>
public readonly record struct RandomKey(ulong State)
{
    private const ulong Golden = 0x9E3779B97F4A7C15UL;

    /// <summary>Creates the root key for a seed.</summary>
    public static RandomKey FromSeed(long seed) => new(Mix((ulong)seed ^ 0x5DEECE66DUL));

    /// <summary>Two independent child keys.</summary>
    public (RandomKey First, RandomKey Second) Split() => (Fold(0), Fold(1));

    /// <summary><paramref name="count"/> independent child keys.</summary>
    /// <exception cref="ArgumentOutOfRangeException">count is negative.</exception>
    public RandomKey[] Split(int count)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(count);
        var keys = new RandomKey[count];
        for (int i = 0; i < count; i++) keys[i] = Fold((ulong)i);
        return keys;
    }

    /// <summary>A child key derived from this key and a piece of data (an epoch, a step, a layer index).</summary>
    public RandomKey Fold(ulong data) => new(Mix(Mix(State ^ 0xD1B54A32D192ED03UL) + (data + 1) * Golden));

    /// <summary>64 random bits for element <paramref name="index"/> of this key's stream.</summary>
    public ulong Bits(long index) => Hash(State, (ulong)index);

    /// <summary>A uniform number in [0, 1) for element <paramref name="index"/> (24 bits of resolution).</summary>
    public float Uniform(long index) => UniformFromBits(Bits(index));

    /// <summary>A standard normal number for element <paramref name="index"/> (Box–Muller on one 64-bit draw).</summary>
    public float Normal(long index) => NormalFromBits(Bits(index));

    /// <summary>A uniform integer in [0, <paramref name="exclusiveMax"/>) for element <paramref name="index"/>.</summary>
    public int Integer(long index, int exclusiveMax) => (int)((Bits(index) >> 32) * (ulong)exclusiveMax >> 32);

    /// <summary>The stream's hash: SplitMix64 finaliser of key + (index + 1)·golden ratio.</summary>
    internal static ulong Hash(ulong key, ulong index) => Mix(key + (index + 1) * Golden);

    /// <summary>Top 24 bits as a float in [0, 1).</summary>
    internal static float UniformFromBits(ulong bits) => (bits >> 40) * (1.0f / 16777216f);

    /// <summary>Box–Muller: u1 from the top 24 bits (shifted into (0, 1]), u2 from the low 24 bits.</summary>
    internal static float NormalFromBits(ulong bits)
    {
        double u1 = ((bits >> 40) + 1) * (1.0 / 16777216.0);
        double u2 = (bits & 0xFFFFFF) * (1.0 / 16777216.0);
        return (float)(Math.Sqrt(-2.0 * Math.Log(u1)) * Math.Cos(2.0 * Math.PI * u2));
    }

    private static ulong Mix(ulong z)
    {
        z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9UL;
        z = (z ^ (z >> 27)) * 0x94D049BB133111EBUL;
        return z ^ (z >> 31);
    }
}
