namespace AlexNet.Layers;

/// <summary>A validated safetensors header: the tensors in file order, the <c>__metadata__</c> strings, and where the
/// data region starts in the file.</summary>
/// <param name="Entries">The tensors, in the order the header lists them.</param>
/// <param name="Metadata">The <c>__metadata__</c> map (empty when absent).</param>
/// <param name="DataStart">File offset of the data region (8 + header length).</param>
public sealed record SafeTensorsHeader(IReadOnlyList<SafeTensorsEntry> Entries, IReadOnlyDictionary<string, string> Metadata, long DataStart);
