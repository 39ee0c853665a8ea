using System.Globalization;

namespace AlexNet.Train.Reporting;

/// <summary>Short human-readable numbers for the console.</summary>
internal static class Format
{
    /// <summary>m:ss, or h:mm:ss from an hour on.</summary>
    public static string Duration(TimeSpan t)
    {
        if (t < TimeSpan.Zero || t.TotalDays > 99) return "--:--";
        return t.TotalHours >= 1
            ? string.Create(CultureInfo.InvariantCulture, $"{(int)t.TotalHours}:{t.Minutes:00}:{t.Seconds:00}")
            : string.Create(CultureInfo.InvariantCulture, $"{t.Minutes}:{t.Seconds:00}");
    }

    /// <summary>Seconds as a duration.</summary>
    public static string Seconds(double s) => Duration(TimeSpan.FromSeconds(double.IsFinite(s) ? s : -1));

    /// <summary>A fraction as a percentage with two decimals.</summary>
    public static string Percent(double fraction) => (100 * fraction).ToString("F2", CultureInfo.InvariantCulture) + "%";

    /// <summary>A number with four decimals.</summary>
    public static string Number(double value) => value.ToString("F4", CultureInfo.InvariantCulture);

    /// <summary>A number in general format.</summary>
    public static string General(double value) => value.ToString("G4", CultureInfo.InvariantCulture);
}
