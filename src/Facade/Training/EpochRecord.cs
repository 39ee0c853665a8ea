namespace AlexNet.Facade;

/// <summary>What one epoch measured (one line of the metrics log).</summary>
/// <param name="Epoch">1-based epoch number.</param>
/// <param name="LearningRate">The rate used during the epoch.</param>
/// <param name="TrainLoss">Mean cross-entropy over the epoch's training steps (augmented images, dropout on).</param>
/// <param name="TrainError">Top-1 error over the same steps.</param>
/// <param name="ValidationLoss">Cross-entropy of the averaged softmax on the validation set; NaN in a run without one.</param>
/// <param name="ValidationTop1Error">Validation top-1 error; NaN in a run without a validation set.</param>
/// <param name="ValidationTop5Error">Validation top-5 error; NaN in a run without a validation set.</param>
/// <param name="ImagesPerSecond">Training throughput (steps only, validation excluded).</param>
/// <param name="EpochSeconds">Wall time of training plus validation.</param>
/// <param name="ElapsedSeconds">Wall time of the run so far, across resumptions.</param>
/// <param name="Decision">What the learning-rate schedule decided after the epoch.</param>
public sealed record EpochRecord(
    int Epoch, float LearningRate, double TrainLoss, double TrainError,
    double ValidationLoss, double ValidationTop1Error, double ValidationTop5Error,
    double ImagesPerSecond, double EpochSeconds, double ElapsedSeconds, ScheduleDecision Decision);
