using AlexNet.Tests.Facade;
using Xunit;

namespace AlexNet.Tests.Distributed;

/// <summary>
/// Real MPI jobs of two processes (one CPU thread each) training the Fashion-MNIST preset on synthetic images, against
/// one process training with the same global batch.
/// </summary>
public sealed class DistributedTrainingTests
{
    [MpiFact]
    public void TwoRanksTrainLikeOneProcessWithTheWholeBatch()
    {
        using var dir = new TempDirectory();
        string one = Path.Combine(dir.Path, "one"), two = Path.Combine(dir.Path, "two");
        var alone = MpiJob.Alone(null, "train", one, "32", "256", "off");
        Assert.True(alone.ExitCode == 0, alone.ToString());
        var job = MpiJob.Ranks(2, "train", two, "32", "256", "off");
        Assert.True(job.ExitCode == 0, job.ToString());

        var reference = WeightsFile.Read(Path.Combine(one, "weights-rank0.bin"));
        var rank0 = WeightsFile.Read(Path.Combine(two, "weights-rank0.bin"));
        var rank1 = WeightsFile.Read(Path.Combine(two, "weights-rank1.bin"));
        Assert.Equal(reference.Keys, rank0.Keys);
        foreach (var (name, expected) in reference)
        {
            Assert.Equal(rank0[name], rank1[name]); // the ranks hold bit-identical weights
            float scale = expected.Max(MathF.Abs);
            float worst = expected.Zip(rank0[name], (a, b) => MathF.Abs(a - b)).Max();
            Assert.True(worst <= 1e-5f * scale, $"{name}: the two-rank weights differ from one process's by {worst} (largest weight {scale}).");
        }
        var single = ResultLine(one, 0);
        var shared = ResultLine(two, 0);
        Assert.Equal(1, single[4]);
        Assert.Equal(2, shared[4]);
        Assert.Equal(single[2], shared[2], 4); // validation loss, computed from shares and summed
        Assert.Equal(single[0], shared[0], 3); // training loss, averaged over ranks
    }

    [MpiFact]
    public void WithDropoutTheRanksStillHoldTheSameWeights()
    {
        using var dir = new TempDirectory();
        var job = MpiJob.Ranks(2, "train", dir.Path, "16", "64", "on");
        Assert.True(job.ExitCode == 0, job.ToString());
        var rank0 = WeightsFile.Read(Path.Combine(dir.Path, "weights-rank0.bin"));
        var rank1 = WeightsFile.Read(Path.Combine(dir.Path, "weights-rank1.bin"));
        foreach (var (name, w) in rank0)
        {
            Assert.Equal(w, rank1[name]);
            Assert.All(w, v => Assert.True(float.IsFinite(v)));
        }
    }

    [MpiFact]
    public void RanksStartedDifferentlyAllStopWithTheReason()
    {
        using var dir = new TempDirectory();
        var job = MpiJob.Ranks(2, "mismatch", dir.Path);
        Assert.True(job.HungFor is null, job.ToString());
        Assert.NotEqual(0, job.ExitCode);
        Assert.Contains("rank 0: Rank 1 of 2 started with a different", job.Error);
        Assert.Contains("rank 1: Rank 1 of 2 started with a different", job.Error);
        Assert.Contains("Start every rank with the same arguments", job.Error);
    }

    [MpiFact]
    public void ARankThatDiesEndsTheJob()
    {
        using var dir = new TempDirectory();
        var job = MpiJob.Ranks(2, "die", dir.Path);
        Assert.True(job.HungFor is null, job.ToString());
        Assert.NotEqual(0, job.ExitCode);
        Assert.DoesNotContain("the barrier returned", job.Error);
    }

    [Fact]
    public void MissingOpenMpiIsReportedWithTheInstallCommand()
    {
        using var dir = new TempDirectory();
        var result = MpiJob.Alone(new Dictionary<string, string>
        {
            ["OMPI_COMM_WORLD_SIZE"] = "2",
            ["ALEXNET_MPI_LIBRARY"] = Path.Combine(dir.Path, "libmpi.so.40"),
        }, "train", dir.Path, "32", "256", "off");
        Assert.True(result.ExitCode == 6, result.ToString());
        Assert.Contains("apt-get install openmpi-bin libopenmpi-dev", result.Error);
        Assert.Contains("libmpi.so.40", result.Error);
    }

    private static double[] ResultLine(string folder, int rank) =>
        File.ReadAllText(Path.Combine(folder, $"result-rank{rank}.txt")).Split(' ', StringSplitOptions.RemoveEmptyEntries)
            .Select(s => double.Parse(s, System.Globalization.CultureInfo.InvariantCulture)).ToArray();
}
