using AlexNet.Facade;
using AlexNet.Layers;

namespace AlexNet.Facade;

/// <summary>A training run as saved in a checkpoint: the model, where training stands, its settings, the training set's
/// statistics (for preprocessing) and the class names.</summary>
/// <param name="Network">The model.</param>
/// <param name="State">Weights, velocities, schedule, key and history.</param>
/// <param name="Options">The run's settings.</param>
/// <param name="Statistics">The training set's mean image and pixel covariance.</param>
/// <param name="ClassNames">The label names.</param>
/// <param name="Metadata">The caller's own string entries saved with the run (e.g. the command-line settings that define
/// it); keys must not start with <c>train.</c>, <c>data.</c> or <c>alexnet.</c>. Null or empty for none.</param>
public sealed record TrainingRun(Network Network, TrainingState State, TrainingOptions Options, DatasetStatistics Statistics, IReadOnlyList<string> ClassNames,
                                 IReadOnlyDictionary<string, string>? Metadata = null);
