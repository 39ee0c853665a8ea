namespace AlexNet.Facade;

/// <summary>What an IDX file's header declares, checked against the file's size before any value is read.</summary>
/// <param name="Path">The file.</param>
/// <param name="Magic">The magic number.</param>
/// <param name="Dimensions">The dimension sizes, outermost first.</param>
/// <param name="Compressed">Whether the file is gzip-compressed.</param>
public sealed record IdxHeader(string Path, int Magic, IReadOnlyList<int> Dimensions, bool Compressed)
{
    /// <summary>Bytes of the header: the magic number and one int32 per dimension.</summary>
    public int Length => 4 + 4 * Dimensions.Count;

    /// <summary>Values the header declares: the product of the dimensions.</summary>
    public long Count => Dimensions.Aggregate(1L, (p, d) => p * d);
}
