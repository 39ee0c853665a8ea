namespace AlexNet.Facade;

/// <summary>The optimisers the <see cref="Trainer"/> can run (<see cref="TrainingOptions.Optimizer"/>).</summary>
public enum OptimizerKind
{
    /// <summary>The paper's SGD with momentum and weight decay (<see cref="SgdMomentum"/>).</summary>
    SgdMomentum,

    /// <summary>Adam with the weight decay as an L2 penalty on the gradient (<see cref="Adam"/>).</summary>
    Adam,

    /// <summary>Adam with decoupled weight decay (<see cref="Adam.AdamW"/>).</summary>
    AdamW,
}
