using AlexNet.Facade;

namespace AlexNet.Train.Cli;

/// <summary>The CLI trains on images only, so its options and the runs it reads always record an augmentation.</summary>
internal static class ImageRunOptions
{
    /// <summary>The run's image augmentation.</summary>
    /// <exception cref="CliException">The options have none (a checkpoint written by a library run on other data).</exception>
    public static AugmentationOptions ImageAugmentation(this TrainingOptions options) =>
        options.Augmentation ?? throw new CliException("This run did not train on images (its options record no augmentation); the CLI handles image runs only.");
}
