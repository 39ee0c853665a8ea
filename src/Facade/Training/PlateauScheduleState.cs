namespace AlexNet.Facade;

/// <summary>Everything <see cref="PlateauSchedule"/> remembers, so a resumed run continues it exactly.</summary>
/// <param name="LearningRate">The current rate.</param>
/// <param name="BestError">The lowest validation error seen (∞ before the first epoch).</param>
/// <param name="EpochsSinceBest">Epochs since it last improved.</param>
/// <param name="Drops">Drops done so far.</param>
public sealed record PlateauScheduleState(float LearningRate, double BestError, int EpochsSinceBest, int Drops);
