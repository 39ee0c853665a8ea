namespace AlexNet.Facade;

/// <summary>The loss became NaN or infinite: the run stopped before applying that step.</summary>
public sealed class TrainingDivergedException : Exception
{
    /// <summary>Creates the exception.</summary>
    /// <param name="epoch">1-based epoch number.</param>
    /// <param name="step">1-based step in the epoch.</param>
    /// <param name="loss">The loss value.</param>
    /// <param name="learningRate">The learning rate in use.</param>
    public TrainingDivergedException(int epoch, int step, float loss, float learningRate)
        : base($"The loss became {loss} at epoch {epoch}, step {step} (learning rate {learningRate}); training stopped before applying that step. Lower the learning rate and resume from the last checkpoint.")
    {
        Epoch = epoch;
        Step = step;
        Loss = loss;
        LearningRate = learningRate;
    }

    /// <summary>Epoch of the bad step.</summary>
    public int Epoch { get; }

    /// <summary>The bad step.</summary>
    public int Step { get; }

    /// <summary>The non-finite loss.</summary>
    public float Loss { get; }

    /// <summary>The learning rate in use.</summary>
    public float LearningRate { get; }
}
