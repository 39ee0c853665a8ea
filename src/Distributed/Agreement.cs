using System.Buffers.Binary;

namespace AlexNet.Distributed;

/// <summary>
/// Decisions every rank must take together, made collectively so that no rank goes on alone while the others stop
/// (which would leave them waiting for it forever): whether any rank wants to stop, rank 0's value of a measurement,
/// and a check that every rank was started with the same configuration.
/// </summary>
public static class Agreement
{
    /// <summary>True on every rank when <paramref name="flag"/> is true on at least one.</summary>
    /// <exception cref="DistributedException">The engine reported an error.</exception>
    public static bool Any(ICommunicator communicator, bool flag)
    {
        ArgumentNullException.ThrowIfNull(communicator);
        if (communicator.Size == 1) return flag;
        Span<double> count = [flag ? 1 : 0];
        communicator.AllReduceSum(count);
        return count[0] > 0;
    }

    /// <summary>Rank 0's <paramref name="value"/>, on every rank (e.g. a measured duration that decisions depend on).</summary>
    /// <exception cref="DistributedException">The engine reported an error.</exception>
    public static double FromRoot(ICommunicator communicator, double value)
    {
        ArgumentNullException.ThrowIfNull(communicator);
        if (communicator.Size == 1) return value;
        Span<byte> bytes = stackalloc byte[8];
        BinaryPrimitives.WriteDoubleLittleEndian(bytes, value);
        communicator.Broadcast(bytes, 0);
        return BinaryPrimitives.ReadDoubleLittleEndian(bytes);
    }

    /// <summary>
    /// Compares every rank's <paramref name="fingerprint"/> with rank 0's and, when any differs, throws on every rank.
    /// </summary>
    /// <param name="communicator">The group.</param>
    /// <param name="fingerprint">This rank's hash of what must be equal everywhere.</param>
    /// <param name="what">What was hashed, for the message (e.g. "network, data, batch size and seed").</param>
    /// <exception cref="RankMismatchException">At least one rank's fingerprint differs from rank 0's.</exception>
    /// <exception cref="DistributedException">The engine reported an error.</exception>
    public static void RequireSame(ICommunicator communicator, ulong fingerprint, string what)
    {
        ArgumentNullException.ThrowIfNull(communicator);
        ArgumentNullException.ThrowIfNull(what);
        if (communicator.Size == 1) return;
        Span<byte> root = stackalloc byte[8];
        BinaryPrimitives.WriteUInt64LittleEndian(root, fingerprint);
        communicator.Broadcast(root, 0);
        bool differs = BinaryPrimitives.ReadUInt64LittleEndian(root) != fingerprint;
        Span<double> votes = new double[communicator.Size];
        if (differs) votes[communicator.Rank] = 1;
        communicator.AllReduceSum(votes);
        var ranks = new List<int>();
        for (int r = 0; r < votes.Length; r++) if (votes[r] > 0) ranks.Add(r);
        if (ranks.Count == 0) return;
        throw new RankMismatchException(
            $"Rank{(ranks.Count > 1 ? "s" : "")} {string.Join(", ", ranks)} of {communicator.Size} started with a different {what} than rank 0 " +
            $"(this is rank {communicator.Rank}{(differs ? ", one of them" : "")}). Start every rank with the same arguments and the same data " +
            "(one mpirun command line; the same files on every machine).");
    }
}
