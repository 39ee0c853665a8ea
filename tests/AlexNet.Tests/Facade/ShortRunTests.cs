using AlexNet.Autograd.Cpu;
using AlexNet.Facade;
using AlexNet.Layers;
using Xunit;
using Xunit.Abstractions;

namespace AlexNet.Tests.Facade;

/// <summary>
/// A short run on a small data set, as a user with a small image folder (or <c>alexnet train --limit 2000</c>) starts
/// one: the Fashion preset with the CLI's input scaling and the library's default recipe must leave chance within a few
/// epochs of 15 steps. Without the learning-rate warm-up the first steps, at the full rate with momentum 0.9 on the
/// large first gradients, left such runs at chance (docs/training.md).
/// </summary>
public sealed class ShortRunTests(ITestOutputHelper output)
{
    [Fact]
    public void TheFashionPresetLearnsFrom2000ImagesInAFewEpochs()
    {
        var train = BandsAndSquares.Create(2000, seed: 1);
        var validation = BandsAndSquares.Create(500, seed: 2);
        var statistics = DatasetStatistics.Compute(train);
        // As the CLI: mean image subtracted, divided by the pixel standard deviation (the preset's He initialisation
        // expects unit-variance inputs), reflections, no shifts.
        double pixelStd = 255 * Math.Sqrt(statistics.Covariance[0, 0]);
        var options = new TrainingOptions
        {
            Augmentation = new AugmentationOptions { CropSize = BandsAndSquares.Size, Padding = 0, Scale = (float)(1 / pixelStd) },
            Epochs = 3,
            Seed = 1,
            Workers = 2,
        };
        var network = Presets.AlexNetFashion();
        var transform = new ImageTransform(options.Augmentation, 1, BandsAndSquares.Size, BandsAndSquares.Size, statistics);
        using var backend = new CpuBackend();
        var start = TrainingState.Start(network.Init(RandomKeys.Initialisation(RandomKeys.Root(options.Seed)), backend), options);
        var end = new Trainer(NetworkModel.Of(network), train, validation, transform, options, backend).Run(start);
        var history = string.Join("; ", end.History.Select(h => $"epoch {h.Epoch}: train loss {h.TrainLoss:F2}, validation error {h.ValidationTop1Error:P1}"));
        output.WriteLine(history);
        Assert.True(end.History[^1].ValidationTop1Error < 0.5, $"chance is 90 % error; {history}");
    }
}
