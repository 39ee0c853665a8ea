using System.Text.Json;
using AlexNet.Autograd;
using AlexNet.Autograd.Kernels;

namespace AlexNet.Layers;

/// <summary>
/// Saves and loads a network with its parameters as one safetensors file: tensors <c>&lt;layer&gt;.weight</c> and
/// <c>&lt;layer&gt;.bias</c> as F32 in PyTorch layouts (conv [out, in/groups, kh, kw], dense [out, in]), the model's
/// JSON in the <c>__metadata__</c> map, plus optional extra tensors (optimiser state) and the caller's metadata.
/// </summary>
/// <remarks>
/// <para>To read weights saved elsewhere (a plain safetensors file without this library's metadata, such as
/// <c>safetensors.torch.save_file(model.state_dict(), ...)</c> writes), use <see cref="SafeTensorsImport"/>.</para>
/// <para>Writes are atomic: the file is written to a temporary file in the same folder, flushed to disk, then renamed
/// over the target, so a crash leaves either the old file or the new one.</para>
/// <para>Reads trust nothing: the header length is checked against the file size and a 100 MiB bound, the header must
/// be valid JSON, every tensor F32 with its offsets inside the data region, the tensors must tile that region exactly,
/// and the tensors must be exactly the network's parameters (shapes included) plus the extras the file declares.
/// Anything else raises <see cref="CheckpointFormatException"/>.</para>
/// <para>The library's metadata keys start with <c>alexnet.</c>: <c>alexnet.format</c> (<c>1</c>),
/// <c>alexnet.network</c> (the model JSON) and <c>alexnet.extras</c> (a JSON array of the extra tensors' names).</para>
/// </remarks>
public static class Checkpoint
{
    /// <summary>Prefix of the metadata keys the library reserves.</summary>
    public const string ReservedPrefix = "alexnet.";

    private const string FormatKey = "alexnet.format";
    private const string NetworkKey = "alexnet.network";
    private const string ExtrasKey = "alexnet.extras";
    private const string FormatVersion = "1";

    /// <summary>Saves <paramref name="network"/> and its <paramref name="parameters"/> to <paramref name="path"/>, atomically.</summary>
    /// <param name="path">The file to write (replaced if it exists; its folder is created if missing).</param>
    /// <param name="network">The model.</param>
    /// <param name="parameters">Exactly the network's parameters (unsharded: gather a placed map with
    /// <see cref="TowerPlacement.Gather"/>), on any device.</param>
    /// <param name="metadata">Caller's string metadata (e.g. epoch, accuracy); keys must not start with <c>alexnet.</c>.</param>
    /// <exception cref="ArgumentException">A parameter is missing, extra or misshapen, or a metadata key is reserved.</exception>
    /// <exception cref="IOException">The file cannot be written.</exception>
    public static void Save(string path, Network network, TensorMap parameters, IReadOnlyDictionary<string, string>? metadata = null) =>
        Save(path, network, parameters, TensorMap.Empty, metadata);

    /// <summary>
    /// Saves <paramref name="network"/>, its <paramref name="parameters"/> and <paramref name="extraTensors"/> (any
    /// tensors that are not parameters, e.g. momentum buffers named <c>momentum.conv1.weight</c>) to
    /// <paramref name="path"/>, atomically. <see cref="LoadWithExtras"/> gives the extras back.
    /// </summary>
    /// <param name="path">The file to write (replaced if it exists; its folder is created if missing).</param>
    /// <param name="network">The model.</param>
    /// <param name="parameters">Exactly the network's parameters, unsharded, on any device.</param>
    /// <param name="extraTensors">Extra tensors, any shapes; their names must differ from the parameters' and from
    /// <c>__metadata__</c>. Null for none.</param>
    /// <param name="metadata">Caller's string metadata; keys must not start with <c>alexnet.</c>.</param>
    /// <exception cref="ArgumentException">A parameter is missing, extra or misshapen, an extra tensor's name is taken,
    /// or a metadata key is reserved.</exception>
    /// <exception cref="IOException">The file cannot be written.</exception>
    public static void Save(string path, Network network, TensorMap parameters, TensorMap? extraTensors, IReadOnlyDictionary<string, string>? metadata = null)
    {
        ArgumentException.ThrowIfNullOrEmpty(path);
        ArgumentNullException.ThrowIfNull(network);
        ArgumentNullException.ThrowIfNull(parameters);
        extraTensors ??= TensorMap.Empty;
        var tensors = OrderedTensors(network, parameters, extraTensors);

        var meta = new Dictionary<string, string>(StringComparer.Ordinal);
        if (metadata is not null)
            foreach (var (k, v) in metadata)
            {
                ArgumentNullException.ThrowIfNull(v, $"metadata[{k}]");
                if (k.StartsWith(ReservedPrefix, StringComparison.Ordinal))
                    throw new ArgumentException($"Metadata key '{k}' is reserved (keys starting with '{ReservedPrefix}' belong to the library).", nameof(metadata));
                meta[k] = v;
            }
        meta[FormatKey] = FormatVersion;
        meta[NetworkKey] = network.ToJson();
        meta[ExtrasKey] = JsonSerializer.Serialize(extraTensors.Keys.ToArray());

        AtomicFile.Write(path, stream => SafeTensors.Write(stream, tensors, meta));
    }

    /// <summary>Loads a checkpoint's network, parameters and metadata (any extra tensors it holds are skipped; see
    /// <see cref="LoadWithExtras"/>).</summary>
    /// <param name="path">The file.</param>
    /// <param name="backend">Where the parameters go; the default CPU backend when null.</param>
    /// <exception cref="CheckpointFormatException">The file is malformed or does not match its model.</exception>
    /// <exception cref="FileNotFoundException">The file does not exist.</exception>
    public static (Network Network, TensorMap Parameters, IReadOnlyDictionary<string, string> Metadata) Load(string path, IBackend? backend = null)
    {
        var c = Read(path, backend, loadExtras: false);
        return (c.Network, c.Parameters, c.Metadata);
    }

    /// <summary>Loads everything a checkpoint holds, extra tensors included.</summary>
    /// <param name="path">The file.</param>
    /// <param name="backend">Where the tensors go; the default CPU backend when null.</param>
    /// <exception cref="CheckpointFormatException">The file is malformed or does not match its model.</exception>
    /// <exception cref="FileNotFoundException">The file does not exist.</exception>
    public static CheckpointContents LoadWithExtras(string path, IBackend? backend = null) => Read(path, backend, loadExtras: true);

    private static List<KeyValuePair<string, Tensor>> OrderedTensors(Network network, TensorMap parameters, TensorMap extras)
    {
        var result = new List<KeyValuePair<string, Tensor>>();
        var expected = new HashSet<string>(StringComparer.Ordinal);
        foreach (var spec in network.ParameterSpecs)
        {
            expected.Add(spec.Name);
            if (!parameters.TryGetValue(spec.Name, out var t))
            {
                string hint = parameters.Keys.Any(k => k.StartsWith(spec.Name.Split('.')[0] + ".tower", StringComparison.Ordinal))
                    ? " (the map looks sharded: gather it with TowerPlacement.Gather first)" : "";
                throw new ArgumentException($"Parameter '{spec.Name}' {spec.Shape} is missing{hint}.", nameof(parameters));
            }
            if (t.Shape != spec.Shape)
                throw new ArgumentException($"Parameter '{spec.Name}' has shape {t.Shape}; the network needs {spec.Shape}.", nameof(parameters));
            result.Add(KeyValuePair.Create(spec.Name, t));
        }
        foreach (var name in parameters.Keys)
            if (!expected.Contains(name))
                throw new ArgumentException($"'{name}' is not a parameter of the network; save it as an extra tensor.", nameof(parameters));
        foreach (var (name, t) in extras)
        {
            if (expected.Contains(name) || name == "__metadata__")
                throw new ArgumentException($"Extra tensor name '{name}' is taken (by a parameter or by the format).", nameof(extras));
            result.Add(KeyValuePair.Create(name, t));
        }
        return result;
    }

    private static CheckpointContents Read(string path, IBackend? backend, bool loadExtras)
    {
        ArgumentException.ThrowIfNullOrEmpty(path);
        using var stream = SafeTensors.OpenRead(path);
        var header = SafeTensors.ReadHeader(stream, path);
        var meta = header.Metadata;

        if (!meta.TryGetValue(FormatKey, out var format))
            throw new CheckpointFormatException(path, PlainFileAdvice(path, header));
        if (format != FormatVersion)
            throw new CheckpointFormatException(path, $"checkpoint format '{format}' is not supported (this library reads '{FormatVersion}').");
        if (!meta.TryGetValue(NetworkKey, out var json))
            throw new CheckpointFormatException(path, $"the metadata has no '{NetworkKey}' entry (the model JSON).");
        Network network;
        try
        {
            network = Network.FromJson(json);
        }
        catch (Exception e) when (e is FormatException or ArgumentException)
        {
            throw new CheckpointFormatException(path, $"the model JSON in the metadata is invalid: {e.Message}", e);
        }
        var extraNames = ReadExtraNames(meta, path);

        var byName = header.Entries.ToDictionary(e => e.Name, StringComparer.Ordinal);
        var parameterNames = new HashSet<string>(StringComparer.Ordinal);
        foreach (var spec in network.ParameterSpecs)
        {
            parameterNames.Add(spec.Name);
            if (!byName.TryGetValue(spec.Name, out var entry))
                throw new CheckpointFormatException(path, $"parameter '{spec.Name}' {spec.Shape} of the network is missing.");
            if (entry.Shape != spec.Shape)
                throw new CheckpointFormatException(path, $"parameter '{spec.Name}' has shape {entry.Shape} in the file but the network needs {spec.Shape}.");
        }
        foreach (var name in extraNames)
        {
            if (parameterNames.Contains(name))
                throw new CheckpointFormatException(path, $"extra tensor '{name}' has the name of a parameter.");
            if (!byName.ContainsKey(name))
                throw new CheckpointFormatException(path, $"declared extra tensor '{name}' is missing.");
        }
        var extraSet = new HashSet<string>(extraNames, StringComparer.Ordinal);
        foreach (var entry in header.Entries)
            if (!parameterNames.Contains(entry.Name) && !extraSet.Contains(entry.Name))
                throw new CheckpointFormatException(path, $"tensor '{entry.Name}' is neither a parameter of the network nor a declared extra tensor.");

        var parameters = TensorMap.Empty;
        var extras = TensorMap.Empty;
        try
        {
            foreach (var spec in network.ParameterSpecs)
                parameters = parameters.Add(spec.Name, Load(stream, header, byName[spec.Name], path, backend));
            if (loadExtras)
                foreach (var name in extraNames)
                    extras = extras.Add(name, Load(stream, header, byName[name], path, backend));
        }
        catch
        {
            parameters.DisposeAll();
            extras.DisposeAll();
            throw;
        }
        var user = meta.Where(kv => !kv.Key.StartsWith(ReservedPrefix, StringComparison.Ordinal))
                       .ToDictionary(kv => kv.Key, kv => kv.Value, StringComparer.Ordinal);
        return new CheckpointContents(network, parameters, extras, user);
    }

    /// <summary>What to do with a safetensors file that lacks this library's metadata: import its weights into a preset.</summary>
    private static string PlainFileAdvice(string path, SafeTensorsHeader header)
    {
        bool torchvision = header.Entries.Any(e => e.Name.StartsWith("features.", StringComparison.Ordinal) || e.Name.StartsWith("classifier.", StringComparison.Ordinal));
        string preset = torchvision ? "torchvision" : "alexnet|alexnet-small|fashion|cifar|torchvision";
        string output = System.IO.Path.ChangeExtension(System.IO.Path.GetFileName(path), ".ckpt");
        if (output == System.IO.Path.GetFileName(path)) output += ".ckpt";
        return $"the metadata has no '{FormatKey}' entry, so this is a plain safetensors file (weights without a model), not a checkpoint of this library; "
             + $"import its weights into a network with: alexnet import \"{path}\" --preset {preset} -o \"{output}\" "
             + "(add --classes N for another class count and --name-map FILE when its tensor names differ; in code: SafeTensorsImport.Load).";
    }

    private static Tensor Load(FileStream stream, SafeTensorsHeader header, SafeTensorsEntry entry, string path, IBackend? backend) =>
        Tensor.FromArray(SafeTensors.ReadData(stream, header, entry, path), entry.Shape, backend);

    private static List<string> ReadExtraNames(IReadOnlyDictionary<string, string> meta, string path)
    {
        if (!meta.TryGetValue(ExtrasKey, out var text)) return [];
        string[]? names;
        try
        {
            names = JsonSerializer.Deserialize<string[]>(text);
        }
        catch (JsonException e)
        {
            throw new CheckpointFormatException(path, $"'{ExtrasKey}' must be a JSON array of tensor names ({e.Message}).", e);
        }
        if (names is null || names.Any(n => n is null))
            throw new CheckpointFormatException(path, $"'{ExtrasKey}' must be a JSON array of tensor names.");
        if (names.Distinct(StringComparer.Ordinal).Count() != names.Length)
            throw new CheckpointFormatException(path, $"'{ExtrasKey}' lists a tensor twice.");
        return [.. names];
    }
}
