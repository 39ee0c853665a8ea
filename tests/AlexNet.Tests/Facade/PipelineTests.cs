using AlexNet.Autograd;
using AlexNet.Facade.Pipeline;
using Xunit;

namespace AlexNet.Tests.Facade;

public sealed class PipelineTests
{
    [Fact]
    public void ItemsComeOutInOrderWhateverTheWorkersTiming()
    {
        using var p = new Prefetcher<int>(50, i => { Thread.Sleep((i * 7919) % 5); return i * i; }, depth: 3, workers: 4);
        for (int i = 0; i < 50; i++) Assert.Equal(i * i, p.Take());
        Assert.Throws<InvalidOperationException>(() => p.Take());
    }

    [Fact]
    public void NeverMoreThanDepthItemsAhead()
    {
        int produced = 0, taken = 0, worst = 0;
        using var p = new Prefetcher<int>(40, i =>
        {
            int ahead = Interlocked.Increment(ref produced) - Volatile.Read(ref taken);
            InterlockedMax(ref worst, ahead);
            return i;
        }, depth: 2, workers: 3);
        for (int i = 0; i < 40; i++)
        {
            Thread.Sleep(1);
            p.Take();
            Interlocked.Increment(ref taken);
        }
        Assert.InRange(worst, 1, 3); // depth 2, plus the one just taken whose slot was handed back
    }

    private static void InterlockedMax(ref int target, int value)
    {
        int current;
        while ((current = Volatile.Read(ref target)) < value && Interlocked.CompareExchange(ref target, value, current) != current) { }
    }

    [Fact]
    public void AWorkerExceptionSurfacesAtItsItem()
    {
        using var p = new Prefetcher<int>(5, i => i == 2 ? throw new InvalidDataException("bad image") : i, depth: 2, workers: 2);
        Assert.Equal(0, p.Take());
        Assert.Equal(1, p.Take());
        Assert.Equal("bad image", Assert.Throws<InvalidDataException>(() => p.Take()).Message);
    }

    [Fact]
    public void PermutationIsAPermutationAndReproducible()
    {
        var a = EpochPlan.Permutation(1000, RandomKey.FromSeed(1));
        Assert.Equal(Enumerable.Range(0, 1000), a.Order());
        Assert.Equal(a, EpochPlan.Permutation(1000, RandomKey.FromSeed(1)));
        Assert.NotEqual(a, EpochPlan.Permutation(1000, RandomKey.FromSeed(2)));
        Assert.NotEqual(Enumerable.Range(0, 1000), a);
    }

    [Fact]
    public void BatchesKeepOrDropTheRemainder()
    {
        var order = Enumerable.Range(0, 10).ToArray();
        Assert.Equal(3, EpochPlan.Batches(order, 3, dropLast: true).Length);
        var all = EpochPlan.Batches(order, 3, dropLast: false);
        Assert.Equal(4, all.Length);
        Assert.Equal([9], all[3]);
        Assert.Equal(order, all.SelectMany(b => b));
    }
}
