using AlexNet.Gpu;
using AlexNet.Gpu.Kernels;
using Xunit;

namespace AlexNet.Tests.Gpu;

public sealed class AxisMergerTests
{
    [Fact]
    public void ContiguousAxesMergeAndUnitAxesDrop()
    {
        var (dims, strides) = AxisMerger.Merge([2, 1, 3, 4], [AxisMerger.RowMajorStrides([2, 1, 3, 4])]);
        Assert.Equal([24], dims);
        Assert.Equal([1], strides[0]);
    }

    [Fact]
    public void BroadcastAxesMergeOnlyWithBroadcastNeighbours()
    {
        // a: [4, 1, 5] broadcast to [4, 3, 5]; b: [1, 3, 5].
        var (dims, strides) = AxisMerger.Merge([4, 3, 5], [[5, 0, 1], [0, 5, 1]]);
        Assert.Equal([4, 3, 5], dims);
        Assert.Equal([5, 0, 1], strides[0]);
        var (d2, s2) = AxisMerger.Merge([8, 16], [[16, 1], [0, 1]]);
        Assert.Equal([8, 16], d2);
        Assert.Equal([0, 1], s2[1]);
        var (d3, s3) = AxisMerger.Merge([6, 7, 8], [[0, 0, 1]]);
        Assert.Equal([42, 8], d3);
        Assert.Equal([0, 1], s3[0]);
    }

    [Fact]
    public void PermutedStridesDoNotMergeAcrossTheSwap()
    {
        // NCHW [2,3,4,5] viewed as NHWC: y dims [2,4,5,3], gathered x strides [60,5,1,20]; H and W stay adjacent.
        var (dims, strides) = AxisMerger.Merge([2, 4, 5, 3], [[60, 5, 1, 20]]);
        Assert.Equal([2, 20, 3], dims);
        Assert.Equal([60, 1, 20], strides[0]);
    }

    [Fact]
    public void TooManyAxesIsAClearError()
    {
        int[] dims = [2, 2, 2, 2, 2, 2, 2, 2, 2];
        int[] alternating = [0, 128, 0, 32, 0, 8, 0, 2, 0];
        var e = Assert.Throws<NotSupportedException>(() => AxisMerger.Merge(dims, [alternating]));
        Assert.Contains("at most 8", e.Message);
    }

    [Fact]
    public void ReductionGeometrySplitsKeptAndReducedAxes()
    {
        var g = ReductionGeometry.Create([4, 5, 6, 7], [1, 5, 1, 7], out int outCount, out int redCount);
        Assert.Equal(35, outCount);
        Assert.Equal(24, redCount);
        Assert.Equal(2, g.OutRank);
        Assert.Equal(2, g.RedRank);
    }

    [Fact]
    public void PoolBucketsRoundUp()
    {
        Assert.Equal(0, CudaMemoryPool.BucketSize(0));
        Assert.Equal(512, CudaMemoryPool.BucketSize(4));
        Assert.Equal(1024, CudaMemoryPool.BucketSize(513));
        Assert.Equal(2 << 20, CudaMemoryPool.BucketSize((1 << 20) + 1));
        Assert.Equal(4 << 20, CudaMemoryPool.BucketSize((2 << 20) + 1));
    }
}
