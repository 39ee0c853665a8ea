using AlexNet.Autograd;
using Xunit;

namespace AlexNet.Tests.Autograd;

/// <summary>
/// Known answers for <see cref="RandomKey"/>: values computed outside this code base, so that a change to the hash, the
/// seeding, the folding or the float conversions fails here even though every other test derives its expectations
/// from <see cref="RandomKey"/> itself.
/// </summary>
/// <remarks>
/// How the numbers were obtained. <see cref="RandomKey.Hash"/> of (key, i) is documented as the SplitMix64 finaliser of
/// key + (i + 1)·0x9E3779B97F4A7C15, which is exactly output i of Vigna's reference SplitMix64 generator
/// (prng.di.unimi.it/splitmix64.c) seeded with the key; seeded with 1234567 that generator is commonly checked against
/// its first five outputs, the five numbers below. The other expectations come from a 20-line Python 3
/// re-implementation of the documented formulas (64-bit arithmetic by masking with 2⁶⁴ − 1; floats rounded to single
/// precision with struct.pack('f', …)):
/// FromSeed(s) = mix(s ⊕ 0x5DEECE66D); Fold(d) = mix(mix(state ⊕ 0xD1B54A32D192ED03) + (d + 1)·golden);
/// Uniform = (bits ≫ 40)·2⁻²⁴; Normal = √(−2 ln u1)·cos(2π u2) with u1 = ((bits ≫ 40) + 1)·2⁻²⁴,
/// u2 = (bits ∧ 0xFFFFFF)·2⁻²⁴; Integer(n) = ((bits ≫ 32)·n) ≫ 32.
/// </remarks>
public sealed class RandomKeyTests
{
    [Fact]
    public void TheHashIsSplitMix64()
    {
        ulong[] reference = [6457827717110365317UL, 3203168211198807973UL, 9817491932198370423UL, 4593380528125082431UL, 16408922859458223821UL];
        for (int i = 0; i < reference.Length; i++)
        {
            Assert.Equal(reference[i], RandomKey.Hash(1234567UL, (ulong)i));
            Assert.Equal(reference[i], new RandomKey(1234567UL).Bits(i));
        }
    }

    [Fact]
    public void SeedingAndFoldingGiveTheKnownKeys()
    {
        var key = RandomKey.FromSeed(42);
        Assert.Equal(0x974BEA43BDF924A1UL, key.State);
        Assert.Equal(0x64F1B82B6E6D62BDUL, RandomKey.FromSeed(-1).State);
        Assert.Equal(0x9A0FD60CA19FA722UL, key.Fold(0).State);
        Assert.Equal(0x66639A0D79103897UL, key.Fold(1).State);
        Assert.Equal(0x960904D17990E496UL, key.Fold(7).State);
        Assert.Equal((key.Fold(0), key.Fold(1)), key.Split());
    }

    [Theory]
    [InlineData(0, 0x157A3807A48FAA9DUL, 0.08389616012573242f, -2.063725471496582f, 0)]
    [InlineData(1, 0xD573529B34A1D093UL, 0.8337908983230591f, -0.40694162249565125f, 8)]
    [InlineData(2, 0x2F90B72E996DCCBEUL, 0.1858019232749939f, -1.6546800136566162f, 1)]
    [InlineData(1000, 0x825A7E1C8E8ACE2BUL, 0.5091933012008667f, -1.1212140321731567f, 5)]
    public void DrawsGiveTheKnownValues(long index, ulong bits, float uniform, float normal, int digit)
    {
        var key = new RandomKey(0x0123456789ABCDEFUL);
        Assert.Equal(bits, key.Bits(index));
        Assert.Equal(uniform, key.Uniform(index));
        // Logarithm and cosine come from the platform's maths library: allow one part in a million.
        Assert.Equal(normal, key.Normal(index), 1e-6f * Math.Abs(normal));
        Assert.Equal(digit, key.Integer(index, 10));
    }
}
