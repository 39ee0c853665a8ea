namespace AlexNet.Facade;

/// <summary>Where a training epoch stands after a step.</summary>
/// <param name="Epoch">1-based epoch number.</param>
/// <param name="Batch">Steps done in this epoch.</param>
/// <param name="Batches">Steps in this epoch.</param>
/// <param name="Loss">Mean loss over the epoch's steps so far.</param>
/// <param name="Accuracy">Top-1 accuracy over the epoch's steps so far.</param>
/// <param name="ImagesPerSecond">Training throughput of this epoch so far.</param>
/// <param name="EpochRemaining">Estimated time to the end of this epoch's steps.</param>
/// <param name="LearningRate">The current learning rate.</param>
public sealed record BatchProgress(int Epoch, int Batch, int Batches, double Loss, double Accuracy, double ImagesPerSecond,
                                   TimeSpan EpochRemaining, float LearningRate);
