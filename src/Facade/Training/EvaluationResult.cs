namespace AlexNet.Facade;

/// <summary>How a network did on a data set.</summary>
/// <param name="Count">Images evaluated.</param>
/// <param name="Loss">Mean cross-entropy of the (view-averaged) softmax output.</param>
/// <param name="Top1Error">Fraction whose most probable class is wrong.</param>
/// <param name="Top5Error">Fraction whose label is not among the five most probable classes.</param>
/// <param name="NonFiniteCount">Images whose output held NaN or an infinity (weights that diverged); each counts as
/// wrong in both errors, and the loss is then not finite.</param>
public sealed record EvaluationResult(int Count, double Loss, double Top1Error, double Top5Error, int NonFiniteCount = 0)
{
    /// <summary>1 − top-1 error.</summary>
    public double Accuracy => 1 - Top1Error;
}
