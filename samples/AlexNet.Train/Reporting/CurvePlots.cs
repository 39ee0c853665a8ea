using AlexNet.Facade;
using ScottPlot;

namespace AlexNet.Train.Reporting;

/// <summary>PNG plots of a run's curves (ScottPlot): losses, and top-1/top-5 errors, against the epoch. Epochs are whole
/// numbers, so the x axis has whole-number ticks only; the legend sits outside the data area, where it covers no curve.</summary>
/// <remarks>The Linux SkiaSharp assets used here carry no font discovery, so a TrueType font from the usual system
/// folders is registered with ScottPlot once; without any, the curves are drawn without text.</remarks>
internal static class CurvePlots
{
    private static readonly Lazy<bool> s_fontRegistered = new(RegisterSystemFont);

    private static bool RegisterSystemFont()
    {
        string[] folders = ["/usr/share/fonts", "/usr/local/share/fonts", "/Library/Fonts", @"C:\Windows\Fonts"];
        string[] preferred = ["DejaVuSans.ttf", "LiberationSans-Regular.ttf", "Arial.ttf", "arial.ttf"];
        var files = folders.Where(Directory.Exists)
                           .SelectMany(f => Directory.EnumerateFiles(f, "*.ttf", SearchOption.AllDirectories))
                           .ToList();
        var font = preferred.Select(p => files.FirstOrDefault(f => Path.GetFileName(f) == p)).FirstOrDefault(f => f is not null) ?? files.FirstOrDefault();
        if (font is null) return false;
        const string name = "AlexNet Plot Sans";
        var bold = files.FirstOrDefault(f => Path.GetFileName(f) == Path.GetFileNameWithoutExtension(font) + "-Bold.ttf") ?? font;
        Fonts.AddFontFile(name, font);
        Fonts.AddFontFile(name, bold, bold: true);
        Fonts.Default = name;
        return true;
    }

    /// <summary>Writes <c>loss.png</c> and <c>error.png</c> in <paramref name="folder"/>.</summary>
    public static void Write(string folder, IReadOnlyList<EpochRecord> history)
    {
        if (history.Count == 0) return;
        _ = s_fontRegistered.Value;
        double[] epochs = [.. history.Select(h => (double)h.Epoch)];
        Save(Path.Combine(folder, "loss.png"), "Cross-entropy", "loss", epochs,
             ("train (augmented, dropout)", history.Select(h => h.TrainLoss)), ("validation", history.Select(h => h.ValidationLoss)));
        Save(Path.Combine(folder, "error.png"), "Error", "error (%)", epochs,
             ("train top-1", history.Select(h => 100 * h.TrainError)),
             ("validation top-1", history.Select(h => 100 * h.ValidationTop1Error)),
             ("validation top-5", history.Select(h => 100 * h.ValidationTop5Error)));
    }

    private static void Save(string path, string title, string yLabel, double[] x, params (string Label, IEnumerable<double> Values)[] series)
    {
        var plot = Build(title, yLabel, x, series);
        var temp = path + ".tmp.png";
        plot.SavePng(temp, 900, 540);
        File.Move(temp, path, overwrite: true);
    }

    /// <summary>The plot of some curves against the epoch, not yet rendered.</summary>
    internal static Plot Build(string title, string yLabel, double[] x, params (string Label, IEnumerable<double> Values)[] series)
    {
        var plot = new Plot();
        foreach (var (label, values) in series)
        {
            var s = plot.Add.Scatter(x, values.ToArray());
            s.LegendText = label;
        }
        plot.Title(title);
        plot.XLabel("epoch");
        plot.YLabel(yLabel);
        plot.Axes.Bottom.TickGenerator = new ScottPlot.TickGenerators.NumericAutomatic { IntegerTicksOnly = true };
        plot.ShowLegend(Edge.Right);
        return plot;
    }
}
