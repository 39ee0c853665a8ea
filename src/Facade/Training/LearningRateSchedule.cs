namespace AlexNet.Facade;

/// <summary>How the trainer changes the learning rate over a run (<see cref="TrainingOptions.Schedule"/>).</summary>
public enum LearningRateSchedule
{
    /// <summary>The paper's: divide the rate by <see cref="TrainingOptions.DropFactor"/> after
    /// <see cref="TrainingOptions.Patience"/> epochs without a new best validation error, at most
    /// <see cref="TrainingOptions.MaxDrops"/> times; the plateau after the last drop ends the run (<see cref="PlateauSchedule"/>).</summary>
    Plateau,

    /// <summary>Cosine decay (Loshchilov &amp; Hutter's SGDR without restarts): step s of a run of S =
    /// <see cref="TrainingOptions.Epochs"/> × steps-per-epoch steps trains at ε·½(1 + cos(π·s/S)), from ε to near 0
    /// at the last step; no plateau drops, and the run ends after its epochs. A pure function of the step, so resuming
    /// keeps the curve (a resumed run given more epochs stretches it from there on).</summary>
    Cosine,
}
