namespace AlexNet.Facade;

/// <summary>A file an image-folder data set left out, and why.</summary>
/// <param name="Path">The file.</param>
/// <param name="Reason">The decoder's message.</param>
public sealed record SkippedImage(string Path, string Reason);
