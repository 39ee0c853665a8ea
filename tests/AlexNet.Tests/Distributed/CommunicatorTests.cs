using AlexNet.Autograd;
using AlexNet.Distributed;
using AlexNet.Distributed.Interop;
using AlexNet.Facade;
using AlexNet.Tests.Facade;
using Xunit;

namespace AlexNet.Tests.Distributed;

/// <summary>The parts of data-parallel training that run in one process: the default communicator, sharing out work,
/// averaging, fingerprints and the checks on bad input.</summary>
public sealed class CommunicatorTests
{
    [Fact]
    public void OneProcessReducesToItselfAndBroadcastsNothing()
    {
        var single = SingleProcessCommunicator.Instance;
        Assert.Equal((0, 1), (single.Rank, single.Size));
        using var t = Tensor.FromArray([1f, -2f, 3f], new Shape(3));
        using var sum = single.AllReduceSum(t);
        Assert.Equal(t.ToArray(), sum.ToArray());
        single.AllReduceSumInPlace(t);
        single.Broadcast(t, 0);
        Assert.Equal([1f, -2f, 3f], t.ToArray());
        Span<double> values = [4, 5];
        single.AllReduceSum(values);
        Assert.Equal([4.0, 5.0], values.ToArray());
    }

    [Fact]
    public void CollectivesRefuseARootThatIsNotARankAndATensorOnATape()
    {
        var single = SingleProcessCommunicator.Instance;
        using var t = Tensor.Zeros(new Shape(2));
        var e = Assert.Throws<ArgumentOutOfRangeException>(() => single.Broadcast(t, 1));
        Assert.Contains("0 … 0", e.Message);
        using var tape = new Tape();
        var watched = tape.Watch(t);
        var refused = Assert.Throws<ArgumentException>(() => single.AllReduceSumInPlace(watched));
        Assert.Contains("recorded on a tape", refused.Message);
    }

    [Fact]
    public void AveragingOverOneRankGivesNewTensorsWithTheSameValues()
    {
        var gradients = TensorMap.Empty
            .Add("a", Tensor.FromArray([1f, 2f], new Shape(2)))
            .Add("b", Tensor.FromArray([3f, 4f, 5f, 6f], new Shape(2, 2)));
        var mean = GradientAverager.Average(SingleProcessCommunicator.Instance, gradients);
        Assert.Equal(["a", "b"], mean.Keys);
        foreach (var (name, g) in gradients)
        {
            Assert.NotSame(g, mean[name]);
            Assert.Equal(g.Shape, mean[name].Shape);
            Assert.Equal(g.ToArray(), mean[name].ToArray());
        }
        mean.DisposeAll();
        gradients.DisposeAll();
    }

    [Theory]
    [InlineData(32, 2)]
    [InlineData(10, 3)]
    [InlineData(7, 7)]
    [InlineData(5, 8)]
    public void SharesAreContiguousDisjointAndCoverEverything(int count, int ranks)
    {
        int next = 0;
        for (int r = 0; r < ranks; r++)
        {
            var (start, length) = DataParallel.Share(count, r, ranks);
            Assert.Equal(next, start);
            Assert.InRange(length, count / ranks, count / ranks + 1);
            next = start + length;
        }
        Assert.Equal(count, next);
    }

    [Fact]
    public void FingerprintsAreStableAndSeeEveryChange()
    {
        ulong Of(string s, long n) => new Fingerprint().Add(s).Add(n).Value;
        Assert.Equal(Of("fc6.weight", 128), Of("fc6.weight", 128));
        Assert.NotEqual(Of("fc6.weight", 128), Of("fc6.weight", 64));
        Assert.NotEqual(new Fingerprint().Add("ab").Add("c").Value, new Fingerprint().Add("a").Add("bc").Value);
        Assert.Equal(0xcbf29ce484222325UL, new Fingerprint().Value); // FNV-1a's offset basis: nothing hashed yet
    }

    [Fact]
    public void ABatchThatDoesNotDivideAmongTheRanksIsRefusedWithTheFix()
    {
        var options = TinyProblem.Options(1); // batch 16
        var train = TinyProblem.Data(64, 1);
        var e = Assert.Throws<ArgumentException>(() => new Trainer(TinyProblem.Model, train, TinyProblem.Data(12, 2),
            TinyProblem.Transform(options, train), options, new AlexNet.Autograd.Cpu.CpuBackend(1), new ThreeRanks()));
        Assert.Contains("does not divide among 3 ranks", e.Message);
        Assert.Contains("multiple of 3", e.Message);
    }

    [Fact]
    public void MissingNcclIsReportedByNameOrLoads()
    {
        try
        {
            Assert.NotEqual(0, CommunicationLibraries.EnsureNccl());
        }
        catch (CommunicationLibraryNotFoundException e)
        {
            Assert.Contains("libnccl.so.2", e.Message);
            Assert.Contains(CommunicationLibraries.NcclPathVariable, e.Message);
            Assert.Contains("nvidia/nccl/lib", string.Join("\n", e.Searched).Replace('\\', '/'), StringComparison.Ordinal);
        }
    }

    [Fact]
    public unsafe void NcclsUniqueIdIsPassedAsItsFull128Bytes() => Assert.Equal(128, sizeof(NcclUniqueId));

    [Fact]
    public void ALibraryThatIsNotOpenMpiIsRefusedWithTheReason()
    {
        nint libc = System.Runtime.InteropServices.NativeLibrary.Load("libc.so.6");
        var e = Assert.Throws<CommunicationLibraryNotFoundException>(() => MpiHandles.Load(libc));
        Assert.Contains("not Open MPI", e.Message);
        Assert.Contains("apt-get install openmpi-bin libopenmpi-dev", e.Message);
    }

    /// <summary>A group of three that the trainer must refuse before it communicates at all.</summary>
    private sealed class ThreeRanks : ICommunicator
    {
        public int Rank => 0;
        public int Size => 3;
        public string Description => "three ranks (test double)";
        public void Broadcast(Tensor tensor, int root) => throw new InvalidOperationException("not expected");
        public void AllReduceSumInPlace(Tensor tensor) => throw new InvalidOperationException("not expected");
        public Tensor AllReduceSum(Tensor tensor) => throw new InvalidOperationException("not expected");
        public void Broadcast(Span<byte> buffer, int root) => throw new InvalidOperationException("not expected");
        public void AllReduceSum(Span<float> values) => throw new InvalidOperationException("not expected");
        public void AllReduceSum(Span<double> values) => throw new InvalidOperationException("not expected");
        public void Barrier() => throw new InvalidOperationException("not expected");
        public void AbortJob(int exitCode) => throw new InvalidOperationException("not expected");
        public void Dispose() { }
    }
}
