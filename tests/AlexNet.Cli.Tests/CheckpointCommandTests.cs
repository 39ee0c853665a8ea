using Xunit;

namespace AlexNet.Cli.Tests;

/// <summary><c>evaluate</c>, <c>predict</c> and <c>summary</c> on checkpoints made through the library (no training):
/// NaN weights, class lists that disagree with the network, missing files, images that do not decode.</summary>
public sealed class CheckpointCommandTests
{
    private static readonly string[] s_ten = [.. AlexNet.Facade.FashionMnist.ClassNames];

    [Fact]
    public void EvaluateRefusesACheckpointWithNaNWeights()
    {
        using var dir = new TempFolder();
        TinyData.Fashion(dir["fm"]);
        var checkpoint = TinyData.Checkpoint(dir["nan.ckpt"], s_ten, nanWeights: true);
        // Before: "accuracy 1.0000, top-1 error 0.00 %, loss NaN".
        var r = Cli.Fails(1, ["evaluate", "-c", checkpoint, "--fashion-dir", dir["fm"]], "are not finite", "so its outputs are not finite either");
        Assert.DoesNotContain("accuracy", r.Output);
    }

    [Fact]
    public void PredictRefusesACheckpointWithNaNWeights()
    {
        using var dir = new TempFolder();
        var checkpoint = TinyData.Checkpoint(dir["nan.ckpt"], s_ten, nanWeights: true);
        var r = Cli.Fails(1, ["predict", TinyData.PngFile(dir["a.png"]), "-c", checkpoint], "are not finite");
        Assert.DoesNotContain("NaN", r.Output);
    }

    [Fact]
    public void EvaluateReportsAFiniteCheckpoint()
    {
        using var dir = new TempFolder();
        TinyData.Fashion(dir["fm"]);
        var r = Cli.Run("evaluate", "-c", TinyData.Checkpoint(dir["ok.ckpt"], s_ten), "--fashion-dir", dir["fm"], "--threads", "1");
        Assert.True(r.Exit == 0, r.ToString());
        Assert.Contains("test (20 images, centre crop): accuracy", r.Output);
    }

    [Fact]
    public void PredictDefaultsTopToTheClassCountOfASmallCheckpoint()
    {
        using var dir = new TempFolder();
        var checkpoint = TinyData.Checkpoint(dir["two.ckpt"], ["cat", "dog"]);
        var r = Cli.Run("predict", TinyData.PngFile(dir["a.png"]), "-c", checkpoint);
        Assert.True(r.Exit == 0, r.ToString());
        Assert.Matches(@"a\.png: (cat|dog) \d\.\d{3}, (cat|dog) \d\.\d{3}\n", r.Output.Replace("\r", ""));
    }

    [Fact]
    public void PredictTopLargerThanTheClassesNamesTheCount()
    {
        using var dir = new TempFolder();
        var checkpoint = TinyData.Checkpoint(dir["two.ckpt"], ["cat", "dog"]);
        Cli.Fails(2, ["predict", TinyData.PngFile(dir["a.png"]), "-c", checkpoint, "--top", "3"], "--top 3 is more than the checkpoint's 2 classes; use at most 2");
    }

    [Fact]
    public void PredictClassifiesTheGoodImagesAndReportsTheBadOnes()
    {
        using var dir = new TempFolder();
        var checkpoint = TinyData.Checkpoint(dir["two.ckpt"], ["cat", "dog"]);
        File.WriteAllText(dir["broken.png"], "not a png");
        File.WriteAllBytes(dir["pic.gif"], TinyData.Gif());
        File.WriteAllBytes(dir["pic.bmp"], TinyData.Bmp());
        File.WriteAllBytes(dir["huge.png"], TinyData.HugePng(20000));
        var r = Cli.Fails(1, ["predict", TinyData.PngFile(dir["a.png"]), dir["broken.png"], dir["missing.png"], dir["pic.gif"], dir["pic.bmp"],
                              dir["huge.png"], TinyData.PngFile(dir["b.png"], 2), "-c", checkpoint],
                          $"'{dir["broken.png"]}' is not a recognised image", $"Image '{dir["missing.png"]}' does not exist",
                          "is a GIF image; only JPEG and PNG are read", "is a BMP image; only JPEG and PNG are read",
                          "is 20000×20000 (400,000,000 pixels)", "5 of 7 images could not be classified");
        Assert.Contains($"{dir["a.png"]}: ", r.Output);
        Assert.Contains($"{dir["b.png"]}: ", r.Output);
        Assert.Equal(2, r.Output.Split('\n', StringSplitOptions.RemoveEmptyEntries).Length);
    }

    [Fact]
    public void ACheckpointWhoseClassListDisagreesWithItsNetworkIsDamaged()
    {
        using var dir = new TempFolder();
        var checkpoint = TinyData.Checkpoint(dir["empty.ckpt"], [], outputs: 2);
        // Before: "--top must be in [1, 0]".
        Cli.Fails(1, ["predict", TinyData.PngFile(dir["a.png"]), "-c", checkpoint], "'data.classes' lists 0 class names but the network has 2 outputs");
        Cli.Fails(1, ["summary", "-c", checkpoint], "'data.classes' lists 0 class names");
    }

    [Fact]
    public void MissingCheckpointsAreNamed()
    {
        using var dir = new TempFolder();
        Cli.Fails(1, ["evaluate", "-c", dir["none.ckpt"]], $"No checkpoint at '{dir["none.ckpt"]}'");
        Cli.Fails(1, ["predict", "a.png", "-c", dir.Path], $"No checkpoint at '{Path.Combine(dir.Path, "best.ckpt")}'");
        Directory.CreateDirectory(dir["run/best.ckpt"]);
        Cli.Fails(1, ["summary", "-c", dir["run"]], "is a folder, not a checkpoint file");
    }

    [Fact]
    public void EvaluateOnDataOfOtherClassesIsRefused()
    {
        using var dir = new TempFolder();
        TinyData.Fashion(dir["fm"]);
        var checkpoint = TinyData.Checkpoint(dir["two.ckpt"], ["cat", "dog"]);
        Cli.Fails(1, ["evaluate", "-c", checkpoint, "--fashion-dir", dir["fm"]], "The data does not match the checkpoint");
        Cli.Fails(2, ["evaluate", "-c", checkpoint, "--data", dir["nowhere"]], "--data", "is neither 'fashion-mnist' nor an existing folder");
    }

    [Fact]
    public void SummaryShowsACheckpointsClasses()
    {
        using var dir = new TempFolder();
        var r = Cli.Run("summary", "-c", TinyData.Checkpoint(dir["two.ckpt"], ["cat", "dog"]));
        Assert.True(r.Exit == 0, r.ToString());
        Assert.Contains("classes: cat, dog", r.Output);
    }
}
