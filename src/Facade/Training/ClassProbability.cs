namespace AlexNet.Facade;

/// <summary>One class of a prediction and the probability the model gives it.</summary>
/// <param name="Index">The class's index (the label the model was trained with).</param>
/// <param name="ClassName">The class's name.</param>
/// <param name="Probability">Its softmax probability (averaged over the views with ten crops).</param>
public sealed record ClassProbability(int Index, string ClassName, float Probability);
