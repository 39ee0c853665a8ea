namespace AlexNet.Facade;

/// <summary>What <see cref="ImageStore.Prepare(string, string, int, IReadOnlyList{string}?, int, Action{int, int}?)"/> wrote.</summary>
/// <param name="Path">The store file.</param>
/// <param name="Count">Images stored.</param>
/// <param name="ClassNames">The class names.</param>
/// <param name="Skipped">Files that did not decode (paths relative to the source folder), also listed in the store.</param>
/// <param name="Elapsed">Time taken, scanning included.</param>
public sealed record PreparedStore(string Path, int Count, IReadOnlyList<string> ClassNames, IReadOnlyList<SkippedImage> Skipped, TimeSpan Elapsed)
{
    /// <summary>Source files handled per second (stored and skipped).</summary>
    public double ImagesPerSecond => (Count + Skipped.Count) / Math.Max(Elapsed.TotalSeconds, 1e-9);
}
