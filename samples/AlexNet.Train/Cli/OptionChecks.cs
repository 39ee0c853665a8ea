using System.CommandLine;
using System.Globalization;

namespace AlexNet.Train.Cli;

/// <summary>Range checks attached to options, so that a bad value is an argument error (exit 2) found while parsing,
/// before any data is read or device opened, and the message names the option.</summary>
internal static class OptionChecks
{
    /// <summary>Adds a check that the value satisfies <paramref name="ok"/>; the message says it must be
    /// <paramref name="rule"/> (e.g. "≥ 1").</summary>
    public static Option<T> Require<T>(this Option<T> option, Func<T, bool> ok, string rule)
    {
        option.Validators.Add(result =>
        {
            T value;
            try
            {
                value = result.GetValueOrDefault<T>();
            }
            catch (InvalidOperationException)
            {
                return; // the value did not parse; the parser reports that on its own
            }
            if (!ok(value)) result.AddError($"{option.Name} must be {rule}, got {Text(value)}.");
        });
        return option;
    }

    /// <summary>A whole number ≥ <paramref name="minimum"/>.</summary>
    public static Option<int> AtLeast(this Option<int> option, int minimum, string? note = null) =>
        option.Require(v => v >= minimum, $"≥ {minimum}{note}");

    /// <summary>An optional whole number ≥ <paramref name="minimum"/> when given.</summary>
    public static Option<int?> AtLeast(this Option<int?> option, int minimum) =>
        option.Require(v => v is null || v >= minimum, $"≥ {minimum}");

    /// <summary>A finite number ≥ 0 when given.</summary>
    public static Option<float?> FiniteNonNegative(this Option<float?> option) =>
        option.Require(v => v is null || (float.IsFinite(v.Value) && v >= 0), "a finite number ≥ 0");

    /// <summary>The value as the user would type it.</summary>
    public static string Text<T>(T value) => value switch
    {
        null => "nothing",
        float f => f.ToString("R", CultureInfo.InvariantCulture),
        double d => d.ToString("R", CultureInfo.InvariantCulture),
        IFormattable x => x.ToString(null, CultureInfo.InvariantCulture),
        _ => value.ToString() ?? "",
    };
}
