using AlexNet.Facade;
using Xunit;

namespace AlexNet.Tests.Facade;

public sealed class PlateauScheduleTests
{
    [Fact]
    public void DropsExactlyWhenThePlateauReachesThePatience()
    {
        var s = new PlateauSchedule(0.01f, patience: 2, maxDrops: 2);
        Assert.Equal(ScheduleDecision.Continue, s.Observe(0.50)); // best 0.50
        Assert.Equal(ScheduleDecision.Continue, s.Observe(0.40)); // best 0.40
        Assert.Equal(ScheduleDecision.Continue, s.Observe(0.40)); // equal is not better: 1 epoch without improvement
        Assert.Equal(0.01f, s.LearningRate);
        Assert.Equal(ScheduleDecision.Dropped, s.Observe(0.45)); // 2 epochs: drop
        Assert.Equal(0.001f, s.LearningRate, 6);
        Assert.Equal(ScheduleDecision.Continue, s.Observe(0.39)); // improvement resets the count
        Assert.Equal(ScheduleDecision.Continue, s.Observe(0.395));
        Assert.Equal(ScheduleDecision.Dropped, s.Observe(0.39));
        Assert.Equal(0.0001f, s.LearningRate, 7);
        Assert.Equal(2, s.State.Drops);
        Assert.Equal(ScheduleDecision.Continue, s.Observe(0.41));
        Assert.Equal(ScheduleDecision.Stop, s.Observe(0.41)); // plateau after the last allowed drop ends the run
        Assert.Equal(0.0001f, s.LearningRate, 7);
    }

    [Fact]
    public void ContinuesFromASavedState()
    {
        var a = new PlateauSchedule(0.01f, 1, 3);
        a.Observe(0.3);
        a.Observe(0.3);
        var b = new PlateauSchedule(0.01f, 1, 3, state: a.State);
        Assert.Equal(a.State, b.State);
        Assert.Equal(a.Observe(0.31), b.Observe(0.31));
        Assert.Equal(a.State, b.State);
    }

    [Fact]
    public void AForcedDropCountsAgainstTheLimit()
    {
        var s = new PlateauSchedule(0.01f, patience: 5, maxDrops: 1);
        s.Observe(0.3);
        Assert.True(s.ForceDrop());
        Assert.Equal(0.001f, s.LearningRate, 6);
        Assert.False(s.ForceDrop());
        Assert.Equal(0.001f, s.LearningRate, 6);
        Assert.Equal(0.3, s.State.BestError);
    }

    [Fact]
    public void RejectsBadSettings()
    {
        Assert.Throws<ArgumentException>(() => new PlateauSchedule(0f, 1, 1));
        Assert.Throws<ArgumentOutOfRangeException>(() => new PlateauSchedule(0.1f, 0, 1));
        Assert.Throws<ArgumentException>(() => new PlateauSchedule(0.1f, 1, 1, factor: 1f));
        Assert.Throws<ArgumentException>(() => new PlateauSchedule(0.1f, 1, 1).Observe(double.NaN));
    }
}
