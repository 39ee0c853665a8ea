namespace AlexNet.Facade.Training;

/// <summary>How a network did on a data set.</summary>
/// <param name="Count">Images evaluated.</param>
/// <param name="Loss">Mean cross-entropy of the (view-averaged) softmax output.</param>
/// <param name="Top1Error">Fraction whose most probable class is wrong.</param>
/// <param name="Top5Error">Fraction whose label is not among the five most probable classes.</param>
public sealed record EvaluationResult(int Count, double Loss, double Top1Error, double Top5Error)
{
    /// <summary>1 − top-1 error.</summary>
    public double Accuracy => 1 - Top1Error;
}
