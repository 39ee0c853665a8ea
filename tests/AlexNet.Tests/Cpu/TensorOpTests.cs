using AlexNet.Autograd;
using AlexNet.Autograd.Cpu;
using AlexNet.Autograd.Kernels;
using Xunit;

namespace AlexNet.Tests.Cpu;

public class TensorOpTests
{
    public static TheoryData<int[], int[], int[]> BroadcastCases() => new()
    {
        { [4, 5], [4, 5], [4, 5] },
        { [4, 5], [1, 5], [4, 5] },
        { [4, 5], [4, 1], [4, 5] },
        { [1, 5], [4, 1], [4, 5] },
        { [3, 4, 5, 6], [1, 4, 1, 1], [3, 4, 5, 6] },
        { [1, 1, 1], [2, 3, 4], [2, 3, 4] },
        { [2, 1, 4], [1, 3, 1], [2, 3, 4] },
        { [1], [1], [1] },
        { [40000], [1], [40000] },
        { [2, 70000], [2, 1], [2, 70000] },
        { [3, 1, 7, 1], [1, 5, 1, 2], [3, 5, 7, 2] },
    };

    [Theory]
    [MemberData(nameof(BroadcastCases))]
    public void BinaryBroadcastsLikeNumPy(int[] aDims, int[] bDims, int[] yDims)
    {
        using IBackend backend = new CpuBackend(2);
        Shape aShape = aDims, bShape = bDims, yShape = yDims;
        var a = CpuTestData.Random(aShape.Count, 1);
        var b = CpuTestData.Random(bShape.Count, 2);
        b[0] = a[0];
        using var ba = backend.Upload(a);
        using var bb = backend.Upload(b);
        using var by = backend.Allocate(yShape.Count);
        foreach (var op in Enum.GetValues<BinaryKernel>())
        {
            backend.Binary(op, ba, aShape, bb, bShape, by, yShape);
            var got = CpuTestData.Read(backend, by, yShape.Count);
            var expected = new double[yShape.Count];
            for (int i = 0; i < expected.Length; i++)
            {
                float av = a[Source(i, yShape, aShape)], bv = b[Source(i, yShape, bShape)];
                expected[i] = op switch
                {
                    BinaryKernel.Add => av + bv,
                    BinaryKernel.Sub => av - bv,
                    BinaryKernel.Mul => av * bv,
                    BinaryKernel.Div => av / bv,
                    _ => av == bv ? 1 : 0,
                };
            }
            CpuTestData.Close(expected, got, 1e-6, 1e-7);
        }
        Assert.Equal(1f, ReadEqualAtZero(backend, ba, aShape, bb, bShape, yShape));
    }

    public static TheoryData<int[], int[]> ReduceCases() => new()
    {
        { [1, 5], [4, 5] },
        { [4, 1], [4, 5] },
        { [1, 4, 1, 1], [3, 4, 5, 6] },
        { [1, 1, 1], [2, 3, 4] },
        { [2, 1, 4], [2, 3, 4] },
        { [1], [1] },
        { [1], [70000] },
        { [2, 1], [2, 70000] },
        { [1, 70000], [2, 70000] },
        { [3, 1, 7, 1], [3, 5, 7, 2] },
        { [4, 5], [4, 5] },
    };

    [Theory]
    [MemberData(nameof(ReduceCases))]
    public void ReduceAndBroadcastAreAdjoint(int[] smallDims, int[] bigDims)
    {
        using IBackend backend = new CpuBackend(2);
        Shape small = smallDims, big = bigDims;
        var x = CpuTestData.Random(big.Count, 3);
        using var bx = backend.Upload(x);
        using var br = backend.Upload(CpuTestData.Random(small.Count, 9));
        var sum = new double[small.Count];
        var bound = new double[small.Count];
        var max = Enumerable.Repeat(double.NegativeInfinity, small.Count).ToArray();
        for (int i = 0; i < big.Count; i++)
        {
            int s = Source(i, big, small);
            sum[s] += x[i];
            bound[s] += Math.Abs(x[i]);
            max[s] = Math.Max(max[s], x[i]);
        }
        backend.Reduce(ReduceKernel.Sum, bx, big, br, small);
        CpuTestData.Close(sum, bound, CpuTestData.Read(backend, br, small.Count));
        backend.Reduce(ReduceKernel.Max, bx, big, br, small);
        CpuTestData.Close(max, CpuTestData.Read(backend, br, small.Count), 0, 0);

        var r = CpuTestData.Random(small.Count, 4);
        using var bs = backend.Upload(r);
        using var bb = backend.Allocate(big.Count);
        backend.Broadcast(bs, small, bb, big);
        var got = CpuTestData.Read(backend, bb, big.Count);
        for (int i = 0; i < big.Count; i++) Assert.Equal(r[Source(i, big, small)], got[i]);
    }

    [Fact]
    public void ReduceOverFirstAndLastAxes()
    {
        using IBackend backend = new CpuBackend(2);
        Shape x = new(6, 3, 4), y = new(1, 3, 1);
        var data = Enumerable.Range(0, x.Count).Select(i => (float)i).ToArray();
        using var bx = backend.Upload(data);
        using var by = backend.Allocate(3);
        backend.Reduce(ReduceKernel.Sum, bx, x, by, y);
        var expected = new float[3];
        for (int i = 0; i < x.Count; i++) expected[i / 4 % 3] += i;
        Assert.Equal(expected, CpuTestData.Read(backend, by, 3));
    }

    [Fact]
    public void PermuteMovesAxes()
    {
        using IBackend backend = new CpuBackend(2);
        Shape x = new(2, 3, 4, 5);
        int[] perm = [2, 0, 3, 1];
        var data = CpuTestData.Random(x.Count, 8);
        using var bx = backend.Upload(data);
        using var by = backend.Allocate(x.Count);
        backend.Permute(bx, x, perm, by);
        var got = CpuTestData.Read(backend, by, x.Count);
        int i = 0;
        for (int a = 0; a < 4; a++)
        for (int b = 0; b < 2; b++)
        for (int c = 0; c < 5; c++)
        for (int d = 0; d < 3; d++)
            Assert.Equal(data[((b * 3 + d) * 4 + a) * 5 + c], got[i++]);
        Assert.Throws<ArgumentException>(() => backend.Permute(bx, x, [0, 0, 1, 2], by));
    }

    [Fact]
    public void CopyAxisRangeCopiesOnlyTheRange()
    {
        using IBackend backend = new CpuBackend(2);
        Shape s = new(2, 5, 3), d = new(2, 4, 3);
        var src = CpuTestData.Random(s.Count, 1);
        using var bs = backend.Upload(src);
        using var bd = backend.Upload(new float[d.Count]);
        backend.CopyAxisRange(bs, s, 1, bd, d, 2, 1, 2);
        var got = CpuTestData.Read(backend, bd, d.Count);
        for (int a = 0; a < 2; a++)
        for (int b = 0; b < 4; b++)
        for (int c = 0; c < 3; c++)
        {
            float expected = b >= 2 ? src[(a * 5 + b - 1) * 3 + c] : 0f;
            Assert.Equal(expected, got[(a * 4 + b) * 3 + c]);
        }
        Assert.Throws<ArgumentException>(() => backend.CopyAxisRange(bs, s, 4, bd, d, 0, 1, 2));
    }

    /// <summary>Flat index in <paramref name="small"/> of the element broadcast to flat index <paramref name="i"/> of <paramref name="big"/>.</summary>
    private static int Source(int i, Shape big, Shape small)
    {
        int index = 0, stride = 1;
        for (int d = big.Rank - 1; d >= 0; d--)
        {
            int coordinate = i % big[d];
            i /= big[d];
            if (small[d] != 1) index += coordinate * stride;
            stride *= small[d];
        }
        return index;
    }

    private static float ReadEqualAtZero(IBackend backend, DeviceBuffer a, Shape aShape, DeviceBuffer b, Shape bShape, Shape yShape)
    {
        using var y = backend.Allocate(yShape.Count);
        backend.Binary(BinaryKernel.Equal, a, aShape, b, bShape, y, yShape);
        return CpuTestData.Read(backend, y, 1)[0];
    }
}
