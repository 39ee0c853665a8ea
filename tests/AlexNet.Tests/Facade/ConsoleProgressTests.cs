using System.Globalization;
using AlexNet.Autograd.Cpu;
using AlexNet.Facade;
using Xunit;

namespace AlexNet.Tests.Facade;

public sealed class ConsoleProgressTests
{
    /// <summary>One line per epoch, the record's figures in invariant culture (whatever the thread's culture), the
    /// validation part only when the run validates, and with an interval of zero one line per step before it.</summary>
    [Fact]
    public void PrintsOneLinePerEpochAndALinePerStepWhenAsked()
    {
        var culture = CultureInfo.CurrentCulture;
        var comma = (CultureInfo)CultureInfo.InvariantCulture.Clone(); // a decimal comma, as many cultures write numbers
        comma.NumberFormat.NumberDecimalSeparator = ",";
        comma.NumberFormat.PercentDecimalSeparator = ",";
        CultureInfo.CurrentCulture = comma;
        try
        {
            var train = TinyProblem.Data(48, seed: 1);
            var options = TinyProblem.Options(epochs: 2);
            var init = TinyProblem.Init(RandomKeys.Initialisation(RandomKeys.Root(options.Seed)));

            var withSteps = new StringWriter();
            var trainer = new Trainer(TinyProblem.Model, train, null, options, CpuBackend.Default);
            var end = trainer.Run(TrainingState.Start(init, options), new ConsoleProgress(withSteps, TimeSpan.Zero, options.Epochs));
            var lines = Lines(withSteps);
            Assert.Equal(2 * (trainer.StepsPerEpoch + 1), lines.Length);
            for (int e = 0; e < 2; e++)
            {
                var epoch = lines.Skip(e * (trainer.StepsPerEpoch + 1)).Take(trainer.StepsPerEpoch + 1).ToArray();
                for (int s = 0; s < trainer.StepsPerEpoch; s++)
                    Assert.StartsWith($"  epoch {e + 1}/2 step {s + 1}/{trainer.StepsPerEpoch} lr ", epoch[s]);
                Assert.Equal(ConsoleProgress.Line(end.History[e], 2), epoch[^1]);
                Assert.StartsWith($"epoch {e + 1}/2 lr 0.05 | train loss {end.History[e].TrainLoss.ToString("F4", CultureInfo.InvariantCulture)} err ", epoch[^1]);
                Assert.DoesNotContain("val loss", epoch[^1]);
            }

            var epochsOnly = new StringWriter();
            var validated = new Trainer(TinyProblem.Model, train, TinyProblem.Data(24, seed: 2), options, CpuBackend.Default)
                .Run(TrainingState.Start(init, options), new ConsoleProgress(epochsOnly));
            var printed = Lines(epochsOnly);
            Assert.Equal(validated.History.Select(r => ConsoleProgress.Line(r)), printed);
            var r1 = validated.History[0];
            Assert.Contains($"| val loss {r1.ValidationLoss.ToString("F4", CultureInfo.InvariantCulture)} top-1 {(100 * r1.ValidationTop1Error).ToString("F2", CultureInfo.InvariantCulture)}% ", printed[0]);
            Assert.StartsWith("epoch 1 lr ", printed[0]);
        }
        finally
        {
            CultureInfo.CurrentCulture = culture;
        }
    }

    [Fact]
    public void TheLineNamesTheSchedulesDecision()
    {
        var record = new EpochRecord(4, 0.01f, 0.5, 0.1, 0.4, 0.12, 0.01, 800, 65, 300, ScheduleDecision.Continue);
        Assert.Equal("epoch 4/9 lr 0.01 | train loss 0.5000 err 10.00% | val loss 0.4000 top-1 12.00% top-5 1.00% | 800 img/s | 1:05",
                     ConsoleProgress.Line(record, 9));
        Assert.EndsWith(" | learning rate divided", ConsoleProgress.Line(record with { Decision = ScheduleDecision.Dropped }));
        Assert.EndsWith(" | plateau after the last drop: done", ConsoleProgress.Line(record with { Decision = ScheduleDecision.Stop }));
        Assert.Throws<ArgumentOutOfRangeException>(() => new ConsoleProgress(TextWriter.Null, TimeSpan.FromSeconds(-1)));
        Assert.Throws<ArgumentOutOfRangeException>(() => new ConsoleProgress(TextWriter.Null, epochs: 0));
    }

    private static string[] Lines(StringWriter writer) => writer.ToString().Split(Environment.NewLine, StringSplitOptions.RemoveEmptyEntries);
}
