namespace AlexNet.Layers;

public sealed partial class Network
{
    /// <summary>
    /// The network as JSON: the input shape and every layer with all its settings (nothing about parameters).
    /// <see cref="FromJson"/> reads it back into an equal network; floats round-trip bit for bit.
    /// </summary>
    public string ToJson() => NetworkJson.Write(this);

    /// <summary>Reads a network written by <see cref="ToJson"/> and validates it as <see cref="Create"/> does.</summary>
    /// <exception cref="FormatException">The text is not valid JSON, or not a network document: wrong format tag or
    /// version, a missing, duplicated, unknown or mistyped property, an unknown layer type.</exception>
    /// <exception cref="ArgumentException">The document is well formed but the stack is invalid (as <see cref="Create"/>).</exception>
    public static Network FromJson(string json) => NetworkJson.Read(json);
}
