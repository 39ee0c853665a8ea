using AlexNet.Autograd.Cpu;
using AlexNet.Facade;
using SkiaSharp;
using Xunit;

namespace AlexNet.Tests.Facade;

/// <summary>A checkpoint loaded as a <see cref="TrainedModel"/> classifies an image in one call, with the preprocessing
/// the run trained with.</summary>
public sealed class TrainedModelTests
{
    [Fact]
    public void PredictAppliesTheStoredPreprocessingAndGivesTheEvaluatorsProbabilities()
    {
        using var dir = new TempDirectory();
        var train = TinyProblem.Data(96, seed: 1);
        var options = TinyProblem.Options(epochs: 2);
        var network = Net.Input(1, TinyProblem.Size, TinyProblem.Size).Flatten("flatten").Dense("fc", TinyProblem.Classes, weightStd: 0.05f).Build();
        var model = NetworkModel.Of(network);
        var trainer = new Trainer(model, train, null, options, CpuBackend.Default);
        var end = trainer.Run(TrainingState.Start(network.Init(RandomKeys.Initialisation(RandomKeys.Root(options.Seed))), options));
        var path = dir.File("tiny.ckpt");
        TrainingCheckpoint.Save(path, new TrainingRun(network, end, options, DatasetStatistics.Compute(train), train.ClassNames));

        // The reference: the evaluator on the training images with the transform the trainer used.
        var expected = Evaluator.Predict(model, end.Parameters, train, trainer.Transform!, false, 32, CpuBackend.Default)
                                .SelectMany(b => b.Probabilities).ToArray();
        var tenExpected = Evaluator.Predict(model, end.Parameters, train, trainer.Transform!, true, 32, CpuBackend.Default)
                                   .SelectMany(b => b.Probabilities).ToArray();
        using var loaded = TrainedModel.Load(path);
        Assert.Equal(train.ClassNames, loaded.ClassNames);
        var pixels = new byte[TinyProblem.Size * TinyProblem.Size];
        int correct = 0;
        for (int i = 0; i < 6; i++)
        {
            train.ReadImage(i, pixels);
            var p = loaded.PredictPixels(pixels, top: 2);
            Assert.Equal(expected.AsSpan(i * TinyProblem.Classes, TinyProblem.Classes).ToArray(), p.Probabilities);
            Assert.Equal(tenExpected.AsSpan(i * TinyProblem.Classes, TinyProblem.Classes).ToArray(), loaded.PredictPixels(pixels, 1, tenCrop: true).Probabilities);
            Assert.Equal(2, p.Top.Count);
            Assert.True(p.Top[0].Probability >= p.Top[1].Probability);
            Assert.Equal(p.Probabilities.Max(), p.Probability);
            Assert.Equal(train.ClassNames[p.Top[0].Index], p.ClassName);
            Assert.Equal(1f, p.Probabilities.Sum(), 4);
            if (p.Top[0].Index == train.Label(i)) correct++;

            // The same image as a PNG file (grey stored as equal R, G, B): decoded, converted to grey, same result.
            var copy = pixels.ToArray();
            var png = TestImages.Encode(TinyProblem.Size, TinyProblem.Size, (x, y) => { byte v = copy[y * TinyProblem.Size + x]; return new SKColor(v, v, v); },
                                        SKEncodedImageFormat.Png);
            var file = dir.File($"image{i}.png");
            File.WriteAllBytes(file, png);
            Assert.Equal(p.Probabilities, loaded.Predict(file, top: 2).Probabilities);
            Assert.Equal(p.Top, loaded.Predict(png, top: 2).Top);
        }
        Assert.True(correct >= 4, $"{correct} of 6 training images classified correctly after two epochs");
    }

    [Fact]
    public void BadRequestsAreRefusedByName()
    {
        using var dir = new TempDirectory();
        var train = TinyProblem.Data(32, seed: 1);
        var options = TinyProblem.Options(epochs: 1);
        var network = Net.Input(1, TinyProblem.Size, TinyProblem.Size).Flatten("flatten").Dense("fc", TinyProblem.Classes, weightStd: 0.05f).Build();
        var state = TrainingState.Start(network.Init(RandomKeys.Initialisation(RandomKeys.Root(options.Seed))), options);
        var path = dir.File("tiny.ckpt");
        TrainingCheckpoint.Save(path, new TrainingRun(network, state, options, DatasetStatistics.Compute(train), train.ClassNames));
        using var loaded = TrainedModel.Load(path);
        var pixels = new byte[TinyProblem.Size * TinyProblem.Size];
        Assert.Equal(3, loaded.PredictPixels(pixels).Top.Count); // the default of 5 lists every one of the 3 classes
        Assert.Contains("at least 1", Assert.Throws<ArgumentOutOfRangeException>(() => loaded.PredictPixels(pixels, top: 0)).Message);
        Assert.Contains("one 1×6×6 image", Assert.Throws<ArgumentException>(() => loaded.PredictPixels(new byte[35])).Message);
        File.WriteAllText(dir.File("not-an-image.png"), "text");
        Assert.Throws<InvalidDataException>(() => loaded.Predict(dir.File("not-an-image.png")));
        Assert.Throws<FileNotFoundException>(() => TrainedModel.Load(dir.File("missing.ckpt")));
    }
}
