using System.Text.Json;
using AlexNet.Autograd;
using AlexNet.Autograd.Kernels;

namespace AlexNet.Layers;

/// <summary>
/// Loads the weights of a plain safetensors file (one without this library's metadata, such as
/// <c>safetensors.torch.save_file(model.state_dict(), path)</c> writes) into a given network: every tensor's name, after
/// an optional name map, must be one of the network's parameters with its shape, and every parameter must be there.
/// F16 and BF16 tensors are converted to float32. The layouts are PyTorch's (conv [out, in/groups, kh, kw], linear
/// [out, in]), so PyTorch weights load as they are.
/// </summary>
/// <remarks>When names or shapes do not match, one <see cref="CheckpointFormatException"/> lists every missing,
/// unexpected and mis-shaped tensor. <see cref="SaveAsCheckpoint"/> writes the result as this library's checkpoint, with
/// the class names (when known) in the metadata key <see cref="ClassNamesKey"/>.</remarks>
public static class SafeTensorsImport
{
    /// <summary>The metadata key of the class names: a JSON array of strings, indexed by class (the key training
    /// checkpoints use). A source file may also name them under <c>classes</c>.</summary>
    public const string ClassNamesKey = "data.classes";

    private const string AlternativeClassNamesKey = "classes";

    /// <summary>Loads the weights of <paramref name="path"/> as <paramref name="network"/>'s parameters.</summary>
    /// <param name="path">The safetensors file.</param>
    /// <param name="network">The network the weights are for; its <see cref="Network.ParameterSpecs"/> give the names
    /// and shapes expected.</param>
    /// <param name="nameMap">File tensor name → network parameter name, for files whose names differ (e.g.
    /// <see cref="Presets.TorchvisionAlexNetNames"/>); names not in the map are taken as they are. Null for none.</param>
    /// <param name="backend">Where the tensors go; the default CPU backend when null.</param>
    /// <returns>Exactly the network's parameters.</returns>
    /// <exception cref="CheckpointFormatException">The file is malformed, holds a dtype other than F32, F16 and BF16, or
    /// its tensors do not match the network (the message lists every missing, unexpected and mis-shaped tensor).</exception>
    /// <exception cref="FileNotFoundException">The file does not exist.</exception>
    public static TensorMap Load(string path, Network network, IReadOnlyDictionary<string, string>? nameMap = null, IBackend? backend = null) =>
        LoadWithMetadata(path, network, nameMap, backend).Parameters;

    /// <summary>As <see cref="Load"/>, and the file's <c>__metadata__</c> strings.</summary>
    /// <exception cref="CheckpointFormatException">As <see cref="Load"/>.</exception>
    /// <exception cref="FileNotFoundException">The file does not exist.</exception>
    public static (TensorMap Parameters, IReadOnlyDictionary<string, string> Metadata) LoadWithMetadata(
        string path, Network network, IReadOnlyDictionary<string, string>? nameMap = null, IBackend? backend = null)
    {
        ArgumentException.ThrowIfNullOrEmpty(path);
        ArgumentNullException.ThrowIfNull(network);
        using var stream = SafeTensors.OpenRead(path);
        var header = SafeTensors.ReadHeader(stream, path);
        var byParameter = Match(path, header, network, nameMap);
        var parameters = TensorMap.Empty;
        try
        {
            foreach (var spec in network.ParameterSpecs)
                parameters = parameters.Add(spec.Name, Tensor.FromArray(SafeTensors.ReadData(stream, header, byParameter[spec.Name], path), spec.Shape, backend));
        }
        catch
        {
            parameters.DisposeAll();
            throw;
        }
        return (parameters, header.Metadata);
    }

    /// <summary>
    /// Imports <paramref name="source"/> into <paramref name="network"/> and writes this library's checkpoint to
    /// <paramref name="checkpointPath"/> (atomically), which <see cref="Checkpoint.Load(string, IBackend?)"/> reads back with the network.
    /// The class names are <paramref name="classNames"/> when given, else those of the source's metadata
    /// (<see cref="ClassNamesKey"/> or <c>classes</c>), and are stored under <see cref="ClassNamesKey"/>; the source's
    /// other metadata is kept, and <c>import.source</c> names the file.
    /// </summary>
    /// <returns>The class names written, or null when neither source gave any.</returns>
    /// <exception cref="CheckpointFormatException">As <see cref="Load"/>, or the source's class names are not a JSON
    /// array of strings.</exception>
    /// <exception cref="ArgumentException">The number of class names differs from the network's output width.</exception>
    /// <exception cref="IOException">A file cannot be read or written.</exception>
    public static IReadOnlyList<string>? SaveAsCheckpoint(string source, Network network, string checkpointPath,
        IReadOnlyDictionary<string, string>? nameMap = null, IReadOnlyList<string>? classNames = null)
    {
        ArgumentException.ThrowIfNullOrEmpty(checkpointPath);
        var (parameters, metadata) = LoadWithMetadata(source, network, nameMap);
        try
        {
            var names = classNames ?? ClassNamesOf(metadata, source);
            int outputs = network.OutputShape.Rank == 1 ? network.OutputShape[0] : -1;
            if (names is not null && names.Count != outputs)
                throw new ArgumentException($"{names.Count} class names were given but the network has {outputs} outputs (set the class count to {names.Count}, e.g. --classes {names.Count}).", nameof(classNames));
            var meta = metadata.Where(kv => !kv.Key.StartsWith(Checkpoint.ReservedPrefix, StringComparison.Ordinal) && kv.Key != AlternativeClassNamesKey)
                               .ToDictionary(kv => kv.Key, kv => kv.Value, StringComparer.Ordinal);
            meta["import.source"] = Path.GetFileName(source);
            if (names is not null) meta[ClassNamesKey] = JsonSerializer.Serialize(names);
            else meta.Remove(ClassNamesKey);
            Checkpoint.Save(checkpointPath, network, parameters, meta);
            return names;
        }
        finally
        {
            parameters.DisposeAll();
        }
    }

    /// <summary>The class names a file's metadata holds under <see cref="ClassNamesKey"/> or <c>classes</c>, or null.</summary>
    /// <param name="metadata">The file's metadata.</param>
    /// <param name="path">The file, for messages.</param>
    /// <exception cref="CheckpointFormatException">The entry is not a JSON array of strings.</exception>
    public static IReadOnlyList<string>? ClassNamesOf(IReadOnlyDictionary<string, string> metadata, string path)
    {
        ArgumentNullException.ThrowIfNull(metadata);
        foreach (var key in new[] { ClassNamesKey, AlternativeClassNamesKey })
        {
            if (!metadata.TryGetValue(key, out var text)) continue;
            string[]? names = null;
            try
            {
                names = JsonSerializer.Deserialize<string[]>(text);
            }
            catch (JsonException)
            {
            }
            if (names is null || names.Any(string.IsNullOrEmpty))
                throw new CheckpointFormatException(path, $"metadata entry '{key}' must be a JSON array of non-empty class names, e.g. [\"cat\", \"dog\"].");
            return names;
        }
        return null;
    }

    /// <summary>
    /// Reads a name map file: a JSON object <c>{"file name": "network name", ...}</c>, or lines <c>file_name network_name</c>
    /// (separated by '=' or white space; blank lines and lines starting with '#' are skipped).
    /// </summary>
    /// <exception cref="FormatException">A line or entry is malformed or a file name appears twice (the message names it).</exception>
    /// <exception cref="IOException">The file cannot be read.</exception>
    public static IReadOnlyDictionary<string, string> ReadNameMap(string path)
    {
        ArgumentException.ThrowIfNullOrEmpty(path);
        var text = File.ReadAllText(path);
        var map = new Dictionary<string, string>(StringComparer.Ordinal);
        if (text.TrimStart().StartsWith('{'))
        {
            try
            {
                using var doc = JsonDocument.Parse(text);
                foreach (var p in doc.RootElement.EnumerateObject())
                {
                    if (p.Value.ValueKind != JsonValueKind.String || string.IsNullOrEmpty(p.Value.GetString()))
                        throw new FormatException($"Name map '{path}': the value of '{p.Name}' must be a non-empty string (a network parameter name).");
                    if (!map.TryAdd(p.Name, p.Value.GetString()!))
                        throw new FormatException($"Name map '{path}': '{p.Name}' appears twice.");
                }
            }
            catch (JsonException e)
            {
                throw new FormatException($"Name map '{path}' is not a valid JSON object of strings ({e.Message}).", e);
            }
            return map;
        }
        var lines = text.Split('\n');
        for (int i = 0; i < lines.Length; i++)
        {
            var line = lines[i].Trim();
            if (line.Length == 0 || line.StartsWith('#')) continue;
            var parts = line.Split(['=', ' ', '\t'], StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
            if (parts.Length != 2)
                throw new FormatException($"Name map '{path}', line {i + 1}: expected 'file_name network_name' (or 'file_name=network_name'), got '{line}'.");
            if (!map.TryAdd(parts[0], parts[1]))
                throw new FormatException($"Name map '{path}', line {i + 1}: '{parts[0]}' appears twice.");
        }
        return map;
    }

    /// <summary>Pairs every parameter with its file entry, or throws one error listing every mismatch.</summary>
    private static Dictionary<string, SafeTensorsEntry> Match(string path, SafeTensorsHeader header, Network network, IReadOnlyDictionary<string, string>? nameMap)
    {
        var specs = network.ParameterSpecs.ToDictionary(s => s.Name, StringComparer.Ordinal);
        var byParameter = new Dictionary<string, SafeTensorsEntry>(StringComparer.Ordinal);
        var unexpected = new List<string>();
        var misshapen = new List<string>();
        var repeated = new List<string>();
        foreach (var entry in header.Entries)
        {
            string target = nameMap is not null && nameMap.TryGetValue(entry.Name, out var mapped) ? mapped : entry.Name;
            string label = target == entry.Name ? $"'{entry.Name}'" : $"'{entry.Name}' (as '{target}')";
            if (!specs.TryGetValue(target, out var spec))
            {
                unexpected.Add($"{label} {entry.Shape}");
                continue;
            }
            if (!byParameter.TryAdd(target, entry))
            {
                repeated.Add($"'{target}' (from '{byParameter[target].Name}' and '{entry.Name}')");
                continue;
            }
            if (entry.Shape != spec.Shape) misshapen.Add($"{label} is {entry.Shape} in the file, the network needs {spec.Shape}");
        }
        var missing = network.ParameterSpecs.Where(s => !byParameter.ContainsKey(s.Name)).Select(s => $"'{s.Name}' {s.Shape}").ToList();
        if (missing.Count + unexpected.Count + misshapen.Count + repeated.Count == 0) return byParameter;

        var parts = new List<string>();
        if (missing.Count > 0) parts.Add($"missing {missing.Count}: {string.Join(", ", missing)}");
        if (unexpected.Count > 0) parts.Add($"unexpected {unexpected.Count}: {string.Join(", ", unexpected)}");
        if (misshapen.Count > 0) parts.Add($"mis-shaped {misshapen.Count}: {string.Join("; ", misshapen)}");
        if (repeated.Count > 0) parts.Add($"given twice {repeated.Count}: {string.Join(", ", repeated)}");
        string hint = nameMap is null && header.Entries.Any(e => e.Name.StartsWith("features.", StringComparison.Ordinal))
            ? " The names are torchvision's: import into Presets.TorchvisionAlexNet() with Presets.TorchvisionAlexNetNames as the name map (alexnet import --preset torchvision)."
            : " Check the preset, its class count and tower count, or map the file's names with a name map.";
        throw new CheckpointFormatException(path,
            $"its {header.Entries.Count} tensors do not match the network's {specs.Count} parameters ({network}): {string.Join("; ", parts)}.{hint}");
    }
}
