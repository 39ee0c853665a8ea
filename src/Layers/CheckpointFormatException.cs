namespace AlexNet.Layers;

/// <summary>A checkpoint file is malformed: truncated, with a bad header, or not matching the model it describes.
/// The message names the file and what is wrong.</summary>
/// <remarks>An <see cref="IOException"/> (the framework's <see cref="InvalidDataException"/> is sealed), so code that
/// handles failed reads in general catches it too.</remarks>
public sealed class CheckpointFormatException : IOException
{
    /// <summary>Creates the exception for <paramref name="path"/>.</summary>
    /// <param name="path">The checkpoint file.</param>
    /// <param name="problem">What is wrong with it.</param>
    /// <param name="inner">The underlying error, if any.</param>
    public CheckpointFormatException(string path, string problem, Exception? inner = null)
        : base($"Checkpoint '{path}' is malformed: {problem}", inner)
    {
        Path = path;
        Problem = problem;
    }

    /// <summary>The checkpoint file.</summary>
    public string Path { get; }

    /// <summary>What is wrong with it (the message without the file name).</summary>
    public string Problem { get; }
}
