using System.Globalization;
using System.Text;
using System.Text.Json;
using System.Text.Json.Serialization;

namespace AlexNet.Facade;

/// <summary>
/// Writes a run's per-epoch records as <c>metrics.jsonl</c> (one JSON object per line) and <c>metrics.csv</c>. Both
/// files are rewritten whole from the history after every epoch (atomically), so a resumed run's logs hold every epoch
/// exactly once.
/// </summary>
public static class MetricsLog
{
    /// <summary>The CSV header.</summary>
    public const string CsvHeader = "epoch,learning_rate,train_loss,train_error,val_loss,val_top1_error,val_top5_error,images_per_second,epoch_seconds,elapsed_seconds,decision";

    private static readonly JsonSerializerOptions s_json = new()
    {
        Converters = { new JsonStringEnumConverter() },
        NumberHandling = JsonNumberHandling.AllowNamedFloatingPointLiterals,
        PropertyNamingPolicy = JsonNamingPolicy.SnakeCaseLower,
    };

    /// <summary>Writes <c>metrics.jsonl</c> and <c>metrics.csv</c> in <paramref name="folder"/>.</summary>
    /// <exception cref="IOException">A file cannot be written.</exception>
    public static void Write(string folder, IEnumerable<EpochRecord> history)
    {
        ArgumentNullException.ThrowIfNull(history);
        Directory.CreateDirectory(folder);
        var records = history.ToList();
        var jsonl = new StringBuilder();
        foreach (var r in records) jsonl.Append(JsonSerializer.Serialize(r, s_json)).Append('\n');
        var csv = new StringBuilder(CsvHeader).Append('\n');
        foreach (var r in records) csv.Append(CsvLine(r)).Append('\n');
        WriteAtomically(Path.Combine(folder, "metrics.jsonl"), jsonl.ToString());
        WriteAtomically(Path.Combine(folder, "metrics.csv"), csv.ToString());
    }

    /// <summary>One record as a CSV line (invariant culture, no quoting needed).</summary>
    public static string CsvLine(EpochRecord r)
    {
        ArgumentNullException.ThrowIfNull(r);
        return string.Join(',', new object[]
        {
            r.Epoch, r.LearningRate, r.TrainLoss, r.TrainError, r.ValidationLoss, r.ValidationTop1Error, r.ValidationTop5Error,
            r.ImagesPerSecond, r.EpochSeconds, r.ElapsedSeconds, r.Decision,
        }.Select(v => Convert.ToString(v, CultureInfo.InvariantCulture)));
    }

    private static void WriteAtomically(string path, string text)
    {
        var temp = path + ".tmp";
        File.WriteAllText(temp, text);
        File.Move(temp, path, overwrite: true);
    }
}
