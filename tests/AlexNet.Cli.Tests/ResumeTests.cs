using Xunit;

namespace AlexNet.Cli.Tests;

/// <summary><c>train --resume</c> continues the run as it was started: its data, limit, validation split, network and
/// recipe come from the checkpoint, a contradicting option is refused, and only a larger --epochs or --minutes extends it.</summary>
public sealed class ResumeTests
{
    /// <summary>A one-epoch run on 20 of the 30 training images left after 10 of 40 are held out (the defaults would hold out 5,000).</summary>
    private static (TempFolder Dir, string Run) Started(params string[] more)
    {
        var dir = new TempFolder();
        TinyData.Fashion(dir["fm"]);
        var r = Cli.Run(["train", "--fashion-dir", dir["fm"], "--limit", "20", "--validation", "10", "-b", "10", "--towers", "1",
                         "--threads", "1", "-o", dir["run"], .. more.Length > 0 ? more : ["-e", "1", "--minutes", "0"]]);
        Assert.True(r.Exit == 0, r.ToString());
        Assert.Contains("20 training, 10 validation", r.Output);
        return (dir, dir["run"]);
    }

    [Fact]
    public void RestoresTheDataSettingsAndSuggestsAContinueCommandThatNeedsNothingElse()
    {
        var (dir, run) = Started();
        using (dir)
        {
            // Neither --fashion-dir nor --limit nor --validation: all come from the checkpoint (before, the default 5,000
            // validation images were asked of a 40-image set, or the full set was used).
            var r = Cli.Run("train", "--resume", "-o", run, "-e", "2");
            Assert.True(r.Exit == 0, r.ToString());
            Assert.Contains("resuming", r.Output);
            Assert.Contains("20 training, 10 validation", r.Output);
            Assert.Contains("epoch 2/2", r.Output);
            Assert.Contains($"reached 2 epochs; to train longer: alexnet train --resume --output {run} --epochs 4", r.Output);
            var again = Cli.Run("train", "--resume", "--output", run, "--epochs", "3");
            Assert.True(again.Exit == 0, again.ToString());
            Assert.Contains("epoch 3/3", again.Output);
        }
    }

    [Theory]
    [InlineData("--lr 0.5", "--lr 0.5 contradicts its 0.01")]
    [InlineData("--limit 0", "--limit 0 contradicts its 20")]
    [InlineData("--validation 5", "--validation 5 contradicts its 10")]
    [InlineData("--towers 2", "--towers 2 contradicts its 1")]
    [InlineData("--preset alexnet-small", "--preset alexnet-small contradicts its fashion")]
    [InlineData("-b 5", "--batch-size 5 contradicts its 10")]
    [InlineData("--seed 7", "--seed 7 contradicts its 1")]
    [InlineData("--no-flip", "--no-flip contradicts the run, which did not have it")]
    [InlineData("--mean pixel", "--mean pixel contradicts its image")]
    [InlineData("--optimizer adam", "--optimizer adam contradicts its sgd")]
    [InlineData("--schedule cosine", "--schedule cosine contradicts its plateau")]
    [InlineData("--label-smoothing 0.1", "--label-smoothing 0.1 contradicts its 0")]
    [InlineData("--momentum 0.5 --patience 4", "--momentum 0.5 contradicts its 0.9", "--patience 4 contradicts its 2")]
    public void RefusesAnOptionThatContradictsTheRun(string options, params string[] fragments)
    {
        var (dir, run) = Started();
        using (dir)
            Cli.Fails(2, ["train", "--resume", "-o", run, "-e", "2", .. options.Split(' ')], [.. fragments, "Leave these options out to continue it"]);
    }

    /// <summary>An AdamW run on the cosine schedule records both, prints them, and resumes with them without being told.</summary>
    [Fact]
    public void AnAdamWCosineRunResumesAsItWasStarted()
    {
        var (dir, run) = Started("-e", "1", "--minutes", "0", "--optimizer", "adamw", "--lr", "0.001", "--weight-decay", "0.01", "--schedule", "cosine");
        using (dir)
        {
            var r = Cli.Run("train", "--resume", "-o", run, "-e", "2");
            Assert.True(r.Exit == 0, r.ToString());
            Assert.Contains("optimiser: AdamW batch 10, β₁ 0.9, β₂ 0.999, ε 1E-08, decoupled weight decay 0.01", r.Output);
            Assert.Contains("lr 0.001 on a cosine to 0 over 2 epochs", r.Output);
            Assert.Contains("epoch 2/2", r.Output);
            Cli.Fails(2, ["train", "--resume", "-o", run, "-e", "3", "--optimizer", "sgd"], ["--optimizer sgd contradicts its adamw"]);
        }
    }

    [Fact]
    public void AcceptsOptionsThatAgreeWithTheRun()
    {
        var (dir, run) = Started();
        using (dir)
        {
            var r = Cli.Run("train", "--resume", "-o", run, "-e", "2", "--limit", "20", "--validation", "10", "--towers", "1", "--lr", "0.01", "-b", "10", "--workers", "2");
            Assert.True(r.Exit == 0, r.ToString());
        }
    }

    [Fact]
    public void ARunThatHasDoneItsEpochsNeedsALargerEpochs()
    {
        var (dir, run) = Started();
        using (dir)
        {
            Cli.Fails(1, ["train", "--resume", "-o", run], "has done all its 1 epoch; pass a larger --epochs (e.g. --epochs 2)");
            Cli.Fails(2, ["train", "--resume", "-o", run, "-e", "1"], "has done 1 epoch, so --epochs 1 would end it at once");
        }
    }

    [Fact]
    public void ARunWhoseBudgetIsSpentNeedsALargerMinutes()
    {
        var (dir, run) = Started("-e", "5", "--minutes", "0.0001");
        using (dir)
        {
            Cli.Fails(1, ["train", "--resume", "-o", run], "has used its 0.0001-minute budget", "pass a larger --minutes");
            Cli.Fails(2, ["train", "--resume", "-o", run, "--minutes", "0.0002"], "leaves no room for another epoch");
            var r = Cli.Run("train", "--resume", "-o", run, "--minutes", "0", "-e", "2");
            Assert.True(r.Exit == 0, r.ToString());
            Assert.Contains("epoch 2/2", r.Output);
        }
    }

    [Fact]
    public void TheDataOfAResumedRunMustMatchItsCheckpoint()
    {
        var (dir, run) = Started();
        using (dir)
        {
            TinyData.Folder(dir["img"], ["cat", "dog"], 6);
            Cli.Fails(1, ["train", "--resume", "-o", run, "-e", "2", "--data", dir["img"]], "was trained on other data");
        }
    }

    [Fact]
    public void ARunWhoseScheduleEndedHasNothingToContinue()
    {
        using var dir = new TempFolder();
        TinyData.Fashion(dir["fm"]);
        var settings = new AlexNet.Train.Cli.RunSettings("fashion-mnist", dir["fm"], 0, 10, "fashion", 1, false, false);
        TinyData.Checkpoint(Path.Combine(dir["run"], "last.ckpt"), [.. AlexNet.Facade.FashionMnist.ClassNames],
                            state: s => s with { EpochsDone = 3, Finished = true }, metadata: settings.ToMetadata());
        Cli.Fails(1, ["train", "--resume", "-o", dir["run"], "-e", "10"], "The learning-rate schedule already ended the run", "alexnet evaluate -c");
    }
}
