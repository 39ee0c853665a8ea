using AlexNet.Facade;

namespace AlexNet.Train.Cli;

/// <summary>The data a command works on: training, validation and (when there is one) test sets, with the defaults
/// that suit them.</summary>
/// <param name="Name">What <c>--data</c> named.</param>
/// <param name="Train">Training images.</param>
/// <param name="Validation">Images whose error drives the learning-rate schedule.</param>
/// <param name="Test">Held-out images reported at the end, or null.</param>
/// <param name="DefaultAugmentation">The augmentation used unless options change it.</param>
/// <param name="DefaultPreset">The model preset used unless <c>--preset</c> says otherwise.</param>
/// <param name="Note">A remark printed with the sizes (a skipped-file count, a validation caveat), or null.</param>
internal sealed record DataSet(string Name, IImageDataset Train, IImageDataset Validation, IImageDataset? Test,
                               AugmentationOptions DefaultAugmentation, string DefaultPreset, string? Note);
