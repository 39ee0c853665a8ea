using System.Buffers.Binary;
using AlexNet.Autograd;
using AlexNet.Distributed;
using Xunit;

namespace AlexNet.Tests.Distributed;

/// <summary>Collective decisions, seen from rank 1 with a stand-in for the other ranks.</summary>
public sealed class AgreementTests
{
    [Fact]
    public void ARankWhoseFingerprintDiffersFromRank0sThrowsNamingItself()
    {
        var rank0 = new Rank0StandIn(fingerprint: 41, otherVotes: [0, 0]);
        var e = Assert.Throws<RankMismatchException>(() => Agreement.RequireSame(rank0, 42, "network and data"));
        Assert.Contains("Rank 1 of 2 started with a different network and data than rank 0", e.Message);
        Assert.Contains("this is rank 1, one of them", e.Message);
    }

    [Fact]
    public void ARankThatAgreesStillThrowsWhenAnotherRankDiffers()
    {
        var rank0 = new Rank0StandIn(fingerprint: 42, otherVotes: [0, 0, 1], size: 3); // rank 2 differs
        var e = Assert.Throws<RankMismatchException>(() => Agreement.RequireSame(rank0, 42, "options"));
        Assert.Contains("Rank 2 of 3 started with a different options than rank 0 (this is rank 1)", e.Message);
        Assert.DoesNotContain("one of them", e.Message);
    }

    [Fact]
    public void EqualFingerprintsPassAndDecisionsComeFromTheGroup()
    {
        var rank0 = new Rank0StandIn(fingerprint: 42, otherVotes: [0, 0]);
        Agreement.RequireSame(rank0, 42, "options");
        Assert.True(Agreement.Any(new Rank0StandIn(42, [1]), false)); // rank 0 wants to stop: rank 1 stops too
        Assert.False(Agreement.Any(new Rank0StandIn(42, [0]), false));
        ulong eightAndAHalf = BitConverter.DoubleToUInt64Bits(8.5);
        Assert.Equal(8.5, Agreement.FromRoot(new Rank0StandIn(eightAndAHalf, []), 7.5)); // rank 1's 7.5 gives way to rank 0's 8.5
    }

    /// <summary>Rank 1 of <c>size</c>; the other ranks broadcast rank 0's <c>fingerprint</c> (as eight bytes) and add
    /// <c>otherVotes</c> to every sum.</summary>
    private sealed class Rank0StandIn(ulong fingerprint, double[] otherVotes, int size = 2) : ICommunicator
    {
        public int Rank => 1;
        public int Size => size;
        public string Description => "rank 1 of a group (test double)";

        public void Broadcast(Span<byte> buffer, int root)
        {
            Assert.Equal(0, root);
            BinaryPrimitives.WriteUInt64LittleEndian(buffer, fingerprint);
        }

        public void AllReduceSum(Span<double> values)
        {
            for (int i = 0; i < values.Length && i < otherVotes.Length; i++) values[i] += otherVotes[i];
        }

        public void Broadcast(Tensor tensor, int root) => throw new InvalidOperationException("not expected");
        public void AllReduceSumInPlace(Tensor tensor) => throw new InvalidOperationException("not expected");
        public Tensor AllReduceSum(Tensor tensor) => throw new InvalidOperationException("not expected");
        public void AllReduceSum(Span<float> values) => throw new InvalidOperationException("not expected");
        public void Barrier() => throw new InvalidOperationException("not expected");
        public void AbortJob(int exitCode) => throw new InvalidOperationException("not expected");
        public void Dispose() { }
    }
}
