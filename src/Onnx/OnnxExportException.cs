namespace AlexNet.Onnx;

/// <summary>
/// A network cannot be written as ONNX: one of its layers has no ONNX equivalent (the message names it), or the model as
/// a whole cannot be stored in one ONNX file.
/// </summary>
/// <remarks>Thrown before anything is written: a failed export leaves no partial file behind.</remarks>
public sealed class OnnxExportException : Exception
{
    /// <summary>Creates the exception for a problem of the model as a whole.</summary>
    /// <param name="problem">What cannot be exported, and what to do instead.</param>
    public OnnxExportException(string problem)
        : base($"ONNX export failed: {problem}")
    {
        Problem = problem;
    }

    /// <summary>Creates the exception for the layer <paramref name="layerName"/>.</summary>
    /// <param name="layerName">The layer that ONNX cannot express.</param>
    /// <param name="problem">Why, and what to do instead.</param>
    /// <param name="inner">The underlying error, if any.</param>
    public OnnxExportException(string layerName, string problem, Exception? inner = null)
        : base($"ONNX export failed at layer '{layerName}': {problem}", inner)
    {
        LayerName = layerName;
        Problem = problem;
    }

    /// <summary>The layer that could not be exported, or null when the problem is the model as a whole.</summary>
    public string? LayerName { get; }

    /// <summary>What is wrong (the message without the layer name).</summary>
    public string Problem { get; }
}
