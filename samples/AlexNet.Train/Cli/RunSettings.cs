using System.Text.Json;

namespace AlexNet.Train.Cli;

/// <summary>
/// What defines a training run besides its <see cref="AlexNet.Facade.TrainingOptions"/>: the data it reads,
/// the part of it that trains and validates, and the network. Saved in every checkpoint of the run (metadata
/// <see cref="MetadataKey"/>), so that <c>--resume</c> rebuilds exactly the same data set and network.
/// </summary>
/// <param name="Data"><c>fashion-mnist</c>, or the data folder's full path.</param>
/// <param name="FashionDirectory">The full path of the Fashion-MNIST files.</param>
/// <param name="Limit">Training images kept (0: all).</param>
/// <param name="Validation">Training images held out for validation when there is no validation split.</param>
/// <param name="Preset">The network preset.</param>
/// <param name="Towers">The network's towers.</param>
/// <param name="RawPixels">Whether <c>--raw-pixels</c> was given.</param>
/// <param name="TenCropTest">Whether the run ends with the ten-crop test accuracy too.</param>
internal sealed record RunSettings(string Data, string FashionDirectory, int Limit, int Validation, string Preset, int Towers,
                                   bool RawPixels, bool TenCropTest)
{
    /// <summary>The checkpoint metadata entry that holds the settings as JSON.</summary>
    public const string MetadataKey = "cli.run";

    /// <summary>The settings as checkpoint metadata.</summary>
    public IReadOnlyDictionary<string, string> ToMetadata() => new Dictionary<string, string> { [MetadataKey] = JsonSerializer.Serialize(this) };

    /// <summary>The settings saved in a checkpoint's metadata, or null when it has none (a checkpoint written before
    /// they were recorded).</summary>
    /// <exception cref="CliException">The entry is damaged.</exception>
    public static RunSettings? FromMetadata(IReadOnlyDictionary<string, string>? metadata, string path)
    {
        if (metadata is null || !metadata.TryGetValue(MetadataKey, out var json)) return null;
        try
        {
            return JsonSerializer.Deserialize<RunSettings>(json) ?? throw new JsonException("null");
        }
        catch (JsonException e)
        {
            throw new CliException($"'{path}' has a damaged '{MetadataKey}' entry ({e.Message.Split('\n')[0]}); it cannot be resumed.");
        }
    }

    /// <summary>The full path of a <c>--data</c> folder, or <c>fashion-mnist</c> as is, so that a resumed run finds its
    /// data from any working folder.</summary>
    public static string Normalise(string data) => data == DataSources.FashionMnistName ? data : Path.TrimEndingDirectorySeparator(Path.GetFullPath(data));
}
