namespace AlexNet.Facade;

/// <summary>What <see cref="PlateauSchedule.Observe"/> decided after an epoch.</summary>
public enum ScheduleDecision
{
    /// <summary>Validation error improved, or has not stalled for long enough yet: keep going at the same rate.</summary>
    Continue,

    /// <summary>Validation error stalled for the patience: the learning rate was divided.</summary>
    Dropped,

    /// <summary>Validation error stalled after the last allowed drop: training should end.</summary>
    Stop,
}
