namespace AlexNet.Distributed;

/// <summary>
/// The ranks of a job disagree about something that must be the same on all of them (the network, the data, the batch
/// size, the seed); raised on every rank at once, so none is left waiting.
/// </summary>
public sealed class RankMismatchException : DistributedException
{
    /// <summary>Creates the exception.</summary>
    /// <param name="message">What differs, on which ranks, and how to fix it.</param>
    public RankMismatchException(string message) : base(message) { }
}
