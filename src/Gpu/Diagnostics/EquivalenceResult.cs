namespace AlexNet.Gpu.Diagnostics;

/// <summary>The outcome of one backend-equivalence case: one kernel output compared element by element.</summary>
/// <param name="Case">Case name, e.g. <c>conv2d.backward-filter grouped</c>.</param>
/// <param name="Output">Which output of the case was compared.</param>
/// <param name="Passed">Every element within |candidate − reference| ≤ AbsTolerance + RelTolerance·|reference|.</param>
/// <param name="MaxAbsError">Largest absolute difference.</param>
/// <param name="MaxRelError">Largest difference relative to max(|reference|, 1e-6).</param>
/// <param name="AbsTolerance">Absolute part of the tolerance.</param>
/// <param name="RelTolerance">Relative part of the tolerance.</param>
/// <param name="Error">The exception text when the case threw instead of producing numbers.</param>
internal sealed record EquivalenceResult(
    string Case, string Output, bool Passed, double MaxAbsError, double MaxRelError, double AbsTolerance, double RelTolerance, string? Error = null);
