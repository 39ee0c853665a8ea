using AlexNet.Facade;

namespace AlexNet.Train.Reporting;

/// <summary>The one-line summary printed after each epoch.</summary>
internal static class EpochLine
{
    /// <summary>Formats a record, e.g. <c>epoch 3/30 lr 0.01 | train loss 0.41 err 14.2% | val loss 0.33 top-1 11.8% top-5 0.3% | 612 img/s | 1:32 (total 4:35)</c>.</summary>
    public static string Of(EpochRecord r, int epochs)
    {
        var decision = r.Decision switch
        {
            ScheduleDecision.Dropped => " | learning rate ÷ 10 (plateau or final phase of the budget)",
            ScheduleDecision.Stop => " | plateau after the last drop: done",
            _ => "",
        };
        return $"epoch {r.Epoch}/{epochs} lr {Format.General(r.LearningRate)} | train loss {Format.Number(r.TrainLoss)} err {Format.Percent(r.TrainError)}"
             + $" | val loss {Format.Number(r.ValidationLoss)} top-1 {Format.Percent(r.ValidationTop1Error)} top-5 {Format.Percent(r.ValidationTop5Error)}"
             + $" | {r.ImagesPerSecond:F0} img/s | {Format.Seconds(r.EpochSeconds)} (total {Format.Seconds(r.ElapsedSeconds)}){decision}";
    }
}
