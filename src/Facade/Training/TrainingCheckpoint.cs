using System.Globalization;
using System.Text.Json;
using System.Text.Json.Serialization;
using AlexNet.Autograd;
using AlexNet.Autograd.Kernels;
using AlexNet.Facade;
using AlexNet.Layers;

namespace AlexNet.Facade;

/// <summary>
/// Saves and loads a whole <see cref="TrainingRun"/> as one <see cref="Checkpoint"/> file (safetensors, written
/// atomically): the parameters, the velocities as extra tensors <c>momentum.&lt;name&gt;</c>, the mean image as
/// <c>data.mean_image</c>, and the rest as JSON metadata (<c>train.options</c>, <c>train.state</c>,
/// <c>train.history</c>, <c>data.covariance</c>, <c>data.count</c>, <c>data.classes</c>), beside the caller's own
/// entries (<see cref="TrainingRun.Metadata"/>).
/// </summary>
/// <remarks>Every number round-trips exactly (float32 tensors as stored; doubles in shortest round-trip JSON), so a run
/// resumed from the file continues bit for bit as if it had not stopped.</remarks>
public static class TrainingCheckpoint
{
    private const string MomentumPrefix = "momentum.";
    private const string AdamPrefix = "adam.";
    private const string OptionsKey = "train.options";
    private const string MeanImageName = "data.mean_image";
    private static readonly string[] s_reservedPrefixes = ["train.", "data.", Checkpoint.ReservedPrefix];

    private static readonly JsonSerializerOptions s_json = new()
    {
        Converters = { new JsonStringEnumConverter() },
        NumberHandling = JsonNumberHandling.AllowNamedFloatingPointLiterals,
    };

    private sealed record StateJson(int EpochsDone, PlateauScheduleState Schedule, string Key, double ElapsedSeconds, bool Finished);

    /// <summary>True when <paramref name="path"/> is a training checkpoint rather than a model checkpoint (for instance
    /// one <c>alexnet import</c> wrote); only the file's header is read.</summary>
    /// <exception cref="IOException">The file cannot be read.</exception>
    /// <exception cref="FileNotFoundException">The file does not exist.</exception>
    /// <exception cref="CheckpointFormatException">The file is not a safetensors file.</exception>
    public static bool IsTrainingCheckpoint(string path) => SafeTensors.ReadHeader(path).Metadata.ContainsKey(OptionsKey);

    /// <summary>Writes the run to <paramref name="path"/> (atomically: the old file stays until the new one is complete).</summary>
    /// <exception cref="ArgumentException">The parameters do not match the network, or a key of the run's own metadata
    /// is reserved.</exception>
    /// <exception cref="IOException">The file cannot be written.</exception>
    public static void Save(string path, TrainingRun run)
    {
        ArgumentNullException.ThrowIfNull(run);
        if (run.Options.Augmentation is null)
            throw new ArgumentException("A training checkpoint records a run on images (its augmentation and the training set's statistics are what "
                                      + "prediction and resuming need), and these options have no augmentation; save the weights of other runs with Checkpoint.Save.", nameof(run));
        foreach (var key in run.Metadata?.Keys ?? [])
            if (s_reservedPrefixes.Any(p => key.StartsWith(p, StringComparison.Ordinal)))
                throw new ArgumentException($"Metadata key '{key}' is reserved (keys starting with {string.Join(", ", s_reservedPrefixes.Select(p => $"'{p}'"))} belong to the library).", nameof(run));
        var s = run.State;
        var expected = Optimizer.StateLayout(run.Options.Optimizer, s.Parameters).Select(l => l.State).Order(StringComparer.Ordinal).ToArray();
        if (!expected.SequenceEqual(s.OptimizerState.Keys.Order(StringComparer.Ordinal)))
            throw new ArgumentException($"The run's optimiser state ({string.Join(", ", s.OptimizerState.Keys.Take(3))}…) is not the state of its options' "
                                      + $"{run.Options.Optimizer} ({string.Join(", ", expected.Take(3))}…); save the state the trainer returned with the options it ran with.", nameof(run));
        string prefix = StatePrefix(run.Options.Optimizer);
        var extras = s.OptimizerState.Keys.Aggregate(TensorMap.Empty, (m, k) => m.Add(prefix + k, s.OptimizerState[k]));
        var stats = run.Statistics;
        using var mean = Tensor.FromArray(stats.MeanImage, new Shape(stats.Channels, stats.Height, stats.Width));
        extras = extras.Add(MeanImageName, mean);
        var covariance = new double[stats.Channels][];
        for (int a = 0; a < stats.Channels; a++)
        {
            covariance[a] = new double[stats.Channels];
            for (int b = 0; b < stats.Channels; b++) covariance[a][b] = stats.Covariance[a, b];
        }
        var metadata = new Dictionary<string, string>
        {
            [OptionsKey] = JsonSerializer.Serialize(run.Options, s_json),
            ["train.state"] = JsonSerializer.Serialize(new StateJson(s.EpochsDone, s.Schedule, s.Key.State.ToString(CultureInfo.InvariantCulture), s.ElapsedSeconds, s.Finished), s_json),
            ["train.history"] = JsonSerializer.Serialize(s.History, s_json),
            ["data.covariance"] = JsonSerializer.Serialize(covariance, s_json),
            ["data.count"] = stats.ImageCount.ToString(CultureInfo.InvariantCulture),
            ["data.classes"] = JsonSerializer.Serialize(run.ClassNames, s_json),
        };
        foreach (var (key, value) in run.Metadata ?? new Dictionary<string, string>()) metadata[key] = value;
        Checkpoint.Save(path, run.Network, s.Parameters, extras, metadata);
    }

    /// <summary>Reads a run saved by <see cref="Save"/>.</summary>
    /// <param name="path">The file.</param>
    /// <param name="backend">Where the tensors go (the default CPU backend when null).</param>
    /// <exception cref="FileNotFoundException">The file does not exist.</exception>
    /// <exception cref="CheckpointFormatException">The file is not a training checkpoint or is damaged, or its class
    /// names do not match the network's outputs.</exception>
    public static TrainingRun Load(string path, IBackend? backend = null)
    {
        var c = Checkpoint.LoadWithExtras(path, backend);
        try
        {
            string Meta(string key) => c.Metadata.TryGetValue(key, out var v) ? v
                : throw new CheckpointFormatException(path, $"the metadata has no '{key}' entry; this is a model checkpoint, not a training checkpoint.");
            var options = Parse<TrainingOptions>(path, OptionsKey, Meta(OptionsKey));
            if (options.Augmentation is null) throw new CheckpointFormatException(path, $"'{OptionsKey}' has no augmentation; the file is damaged.");
            var state = Parse<StateJson>(path, "train.state", Meta("train.state"));
            var history = Parse<EpochRecord[]>(path, "train.history", Meta("train.history"));
            var covariance = Parse<double[][]>(path, "data.covariance", Meta("data.covariance"));
            var classes = Parse<string[]>(path, "data.classes", Meta("data.classes"));
            int outputs = c.Network.OutputShape[c.Network.OutputShape.Rank - 1];
            if (classes.Length != outputs || classes.Any(string.IsNullOrEmpty))
                throw new CheckpointFormatException(path, $"'data.classes' lists {classes.Length} class names{(classes.Any(string.IsNullOrEmpty) ? " (some empty)" : "")} but the network has {outputs} outputs; the file is damaged.");
            if (!ulong.TryParse(state.Key, NumberStyles.None, CultureInfo.InvariantCulture, out var key))
                throw new CheckpointFormatException(path, $"'train.state' has an invalid key '{state.Key}'.");
            if (!long.TryParse(Meta("data.count"), NumberStyles.None, CultureInfo.InvariantCulture, out var count))
                throw new CheckpointFormatException(path, "'data.count' is not a count.");

            if (!c.Extras.TryGetValue(MeanImageName, out var meanTensor) || meanTensor.Rank != 3)
                throw new CheckpointFormatException(path, $"the extra tensor '{MeanImageName}' [C, H, W] is missing.");
            int channels = meanTensor.Shape[0];
            if (covariance.Length != channels || covariance.Any(r => r is null || r.Length != channels))
                throw new CheckpointFormatException(path, $"'data.covariance' must be {channels}×{channels}.");
            var cov = new double[channels, channels];
            for (int a = 0; a < channels; a++) for (int b = 0; b < channels; b++) cov[a, b] = covariance[a][b];
            var statistics = new DatasetStatistics(channels, meanTensor.Shape[1], meanTensor.Shape[2], meanTensor.ToArray(), cov, count);

            var optimizerState = ReadOptimizerState(path, options.Optimizer, c.Parameters, c.Extras);
            meanTensor.Dispose();
            var trainingState = new TrainingState(c.Parameters, optimizerState, state.EpochsDone, state.Schedule, new RandomKey(key),
                                                  history, state.ElapsedSeconds, state.Finished);
            var own = c.Metadata.Where(kv => !s_reservedPrefixes.Any(p => kv.Key.StartsWith(p, StringComparison.Ordinal)))
                                .ToDictionary(kv => kv.Key, kv => kv.Value, StringComparer.Ordinal);
            return new TrainingRun(c.Network, trainingState, options, statistics, classes, own);
        }
        catch
        {
            c.Parameters.DisposeAll();
            c.Extras.DisposeAll();
            throw;
        }
    }

    /// <summary>The prefix of the optimiser state's tensors among a checkpoint's extras (SGD keeps the name of the
    /// files written before Adam was selectable).</summary>
    private static string StatePrefix(OptimizerKind kind) => kind == OptimizerKind.SgdMomentum ? MomentumPrefix : AdamPrefix;

    /// <summary>The optimiser's state from the extras: exactly the names and shapes a fresh state of that optimiser has.</summary>
    private static TensorMap ReadOptimizerState(string path, OptimizerKind kind, TensorMap parameters, TensorMap extras)
    {
        string prefix = StatePrefix(kind);
        var state = TensorMap.Empty;
        foreach (var (name, parameter) in Optimizer.StateLayout(kind, parameters))
        {
            var shape = parameters[parameter].Shape;
            if (!extras.TryGetValue(prefix + name, out var t) || t.Shape != shape)
                throw new CheckpointFormatException(path, $"the {kind} state '{prefix}{name}' is missing or misshapen ({shape} expected).");
            state = state.Add(name, t);
        }
        string other = prefix == MomentumPrefix ? AdamPrefix : MomentumPrefix;
        var stray = extras.Keys.FirstOrDefault(k => k.StartsWith(other, StringComparison.Ordinal));
        if (stray is not null)
            throw new CheckpointFormatException(path, $"the options say {kind} but the file holds '{stray}', state of another optimiser; the file is damaged.");
        return state;
    }

    private static T Parse<T>(string path, string key, string json)
    {
        try
        {
            return JsonSerializer.Deserialize<T>(json, s_json) ?? throw new CheckpointFormatException(path, $"'{key}' is null.");
        }
        catch (JsonException e)
        {
            throw new CheckpointFormatException(path, $"'{key}' is not valid: {e.Message}", e);
        }
    }
}
