namespace AlexNet.Autograd;

/// <summary>The outcome of <see cref="GradientCheck.Run"/>.</summary>
/// <param name="MaxError">The largest error seen, relative as the tolerance is.</param>
/// <param name="Tolerance">The tolerance applied.</param>
/// <param name="Failures">Up to five elements that failed, with both gradients.</param>
public sealed record GradientCheckResult(double MaxError, double Tolerance, IReadOnlyList<string> Failures)
{
    /// <summary>True when every checked element is within the tolerance.</summary>
    public bool Passed => Failures.Count == 0;

    /// <summary>The verdict, the largest error and the failures.</summary>
    public override string ToString() => Passed
        ? $"gradients agree: max error {MaxError:E2} ≤ {Tolerance:E2}"
        : $"gradients disagree: max error {MaxError:E2} > {Tolerance:E2}; {string.Join("; ", Failures)}";
}
