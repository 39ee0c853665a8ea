using AlexNet.Train.Reporting;
using Xunit;

namespace AlexNet.Cli.Tests;

/// <summary>The run folder is checked before any data is read or trained: a file in its place, an unwritable place, an
/// output name taken by a folder, a folder in use by another run, a run already there or missing for --resume.</summary>
public sealed class RunFolderTests
{
    private static string[] Train(string fashion, string run, params string[] more) =>
        ["train", "--fashion-dir", fashion, "--validation", "10", "-b", "10", "--towers", "1", "-e", "1", "--threads", "1", "--minutes", "0", "-o", run, .. more];

    [Fact]
    public void AnOutputThatIsAFileIsAnArgumentError()
    {
        using var dir = new TempFolder();
        File.WriteAllText(dir["run"], "");
        Cli.Fails(2, Train(dir["none"], dir["run"]), $"--output '{dir["run"]}' is a file");
    }

    [Fact]
    public void AnUnwritableOutputIsFoundBeforeTheData()
    {
        using var dir = new TempFolder();
        File.WriteAllText(dir["file"], "");
        // The data does not exist either: the folder is checked first, so the message is about the folder.
        Cli.Fails(1, Train(dir["none"], dir["file/run"]), $"Cannot write to the run folder '{dir["file/run"]}'", "Choose another --output");
    }

    [Theory]
    [InlineData("last.ckpt")]
    [InlineData("best.ckpt")]
    [InlineData("metrics.csv")]
    [InlineData("loss.png")]
    public void AnOutputNameTakenByAFolderIsFoundBeforeTraining(string name)
    {
        using var dir = new TempFolder();
        Directory.CreateDirectory(Path.Combine(dir["run"], name));
        Cli.Fails(1, Train(dir["none"], dir["run"]), $"'{Path.Combine(dir["run"], name)}' is a folder, so the run could not write its {name}");
    }

    [Fact]
    public void AFolderInUseByAnotherRunIsRefused()
    {
        using var dir = new TempFolder();
        Directory.CreateDirectory(dir["run"]);
        using var held = new FileStream(Path.Combine(dir["run"], RunFolder.LockName), FileMode.OpenOrCreate, FileAccess.ReadWrite, FileShare.None);
        Cli.Fails(1, Train(dir["none"], dir["run"]), "Another alexnet train is writing to");
    }

    [Fact]
    public void ResumeWithoutARunSaysSo()
    {
        using var dir = new TempFolder();
        Cli.Fails(1, Train(dir["none"], dir["run"], "--resume"), $"Nothing to resume: the run folder '{dir["run"]}' does not exist");
        Directory.CreateDirectory(dir["run"]);
        Cli.Fails(1, Train(dir["none"], dir["run"], "--resume"), "Nothing to resume:", "last.ckpt' does not exist");
    }

    [Fact]
    public void StaleTemporaryFilesOfAKilledRunAreRemovedAndAFreshRunIsNotStartedOverAnOldOne()
    {
        using var dir = new TempFolder();
        TinyData.Fashion(dir["fm"]);
        Directory.CreateDirectory(dir["run"]);
        string[] stale = [".best.ckpt.0123456789abcdef.tmp", ".last.ckpt.fedcba.tmp", "metrics.csv.tmp", "loss.png.tmp.png"];
        foreach (var name in stale) File.WriteAllText(Path.Combine(dir["run"], name), "partial");
        File.WriteAllText(Path.Combine(dir["run"], "notes.tmp"), "the user's own file");
        var r = Cli.Run(Train(dir["fm"], dir["run"]));
        Assert.True(r.Exit == 0, r.ToString());
        Assert.Contains($"removed 4 temporary files that an interrupted run left in {dir["run"]}", r.Output);
        foreach (var name in stale) Assert.False(File.Exists(Path.Combine(dir["run"], name)), name);
        Assert.True(File.Exists(Path.Combine(dir["run"], "notes.tmp")));
        Assert.True(File.Exists(Path.Combine(dir["run"], "best.ckpt")));
        Assert.Contains("best validation top-1 error", r.Output);
        Assert.DoesNotContain("1 epochs", r.Output);
        Assert.DoesNotContain("1 classes", r.Output);
        Assert.DoesNotContain("MeanImage", r.Output);
        Assert.Contains("mean image subtracted", r.Output);
        Assert.Contains("limits: 1 epoch;", r.Output);

        Cli.Fails(1, Train(dir["fm"], dir["run"]), "already holds a run; continue it with --resume or choose another --output");
    }
}
