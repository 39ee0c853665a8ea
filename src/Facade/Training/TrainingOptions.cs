using AlexNet.Facade;

namespace AlexNet.Facade;

/// <summary>The settings of a training run. Defaults are the paper's (§5): batch 128, SGD with momentum 0.9 (Adam and
/// AdamW selectable), weight decay 0.0005, learning rate 0.01 divided by 10 on a validation plateau, three times at most; and one departure, a
/// linear warm-up of the rate over the first <see cref="WarmupSteps"/> steps.</summary>
public sealed record TrainingOptions
{
    /// <summary>How the training images are augmented (the validation set uses the same crop size, mean and scale):
    /// required when training on images, null for any other <see cref="IDataset"/> (whose augmentation is its own
    /// <see cref="IDataset.ReadTraining"/>). The trainer builds its transform from this (or refuses one built from other
    /// options), so a checkpoint's record of it is what the run did.</summary>
    public AugmentationOptions? Augmentation { get; init; }

    /// <summary>Most epochs (passes over the training set).</summary>
    public int Epochs { get; init; } = 90;

    /// <summary>Wall-clock budget for training and validation: no epoch is started that the last epoch's duration says
    /// would end after it. Null for none.</summary>
    public TimeSpan? TimeBudget { get; init; }

    /// <summary>
    /// With a <see cref="TimeBudget"/>: when the budget leaves room for at most this many more epochs, they are at most
    /// a quarter of the run, and the rate was never divided, divide it once now, so that a run too short for a plateau
    /// still ends with a low-rate phase (0 turns it off). This depends on measured time, so a budgeted run is
    /// reproducible only up to when it drops.
    /// </summary>
    public int FinalDropEpochs { get; init; }

    /// <summary>Images per step.</summary>
    public int BatchSize { get; init; } = 128;

    /// <summary>Initial learning rate ε₀.</summary>
    public float LearningRate { get; init; } = 0.01f;

    /// <summary>
    /// Steps over which the learning rate rises linearly to <see cref="LearningRate"/>: step s (counted from the run's
    /// first step, 0-based) uses ε·min(1, (s + 1) / WarmupSteps); 0 turns it off (the paper). Not in the paper: with He
    /// initialisation and the paper's biases of 1, the first logits are large (the Fashion preset's first loss is about
    /// 14), and the full rate with momentum 0.9 on those first gradients left short runs at chance (docs/training.md has
    /// the measurements). On a large data set the warm-up is a small part of the first epoch.
    /// </summary>
    public int WarmupSteps { get; init; } = DefaultWarmupSteps;

    /// <summary>The default of <see cref="WarmupSteps"/>.</summary>
    public const int DefaultWarmupSteps = 25;

    /// <summary>The optimiser: the paper's SGD with momentum (the default), Adam or AdamW.</summary>
    public OptimizerKind Optimizer { get; init; } = OptimizerKind.SgdMomentum;

    /// <summary>Momentum μ (SGD only).</summary>
    public float Momentum { get; init; } = 0.9f;

    /// <summary>Weight decay λ: added to the gradient as λ·w for SGD and Adam, decoupled (w shrinks by ε·λ·w each step)
    /// for AdamW, where values near 0.01 are usual.</summary>
    public float WeightDecay { get; init; } = 5e-4f;

    /// <summary>Label smoothing ε in [0, 1): the training loss's target puts 1 − ε on the label and ε/C on every
    /// class (<see cref="AlexNet.Autograd.Ops.SoftmaxCrossEntropy(AlexNet.Autograd.Tensor, AlexNet.Autograd.Tensor, float)"/>);
    /// 0, the paper's plain cross-entropy, by default. Validation and test losses stay plain.</summary>
    public float LabelSmoothing { get; init; }

    /// <summary>Adam's β₁, the first moment's decay (Adam and AdamW only).</summary>
    public float Beta1 { get; init; } = 0.9f;

    /// <summary>Adam's β₂, the second moment's decay (Adam and AdamW only).</summary>
    public float Beta2 { get; init; } = 0.999f;

    /// <summary>Adam's ε, added to √v̂ (Adam and AdamW only).</summary>
    public float Epsilon { get; init; } = 1e-8f;

    /// <summary>How the rate changes over the run: the paper's plateau drops (the default) or cosine decay over
    /// <see cref="Epochs"/> (which then should be what fits a <see cref="TimeBudget"/>: a budget that ends the run early
    /// cuts the curve before its low-rate end).</summary>
    public LearningRateSchedule Schedule { get; init; } = LearningRateSchedule.Plateau;

    /// <summary>Epochs without a new lowest validation error (the lowest training loss in a run without a validation
    /// set) before the rate is divided.</summary>
    public int Patience { get; init; } = 2;

    /// <summary>Most learning-rate drops; the plateau after the last ends training.</summary>
    public int MaxDrops { get; init; } = 3;

    /// <summary>Divisor of a learning-rate drop.</summary>
    public float DropFactor { get; init; } = 10f;

    /// <summary>Seed of the run's root random key (initialisation, order, augmentation, dropout).</summary>
    public long Seed { get; init; } = 1;

    /// <summary>Validate with the paper's ten crops instead of the centre crop.</summary>
    public bool TenCropValidation { get; init; }

    /// <summary>Images per evaluation step.</summary>
    public int EvaluationBatchSize { get; init; } = 500;

    /// <summary>Batches prepared ahead of the one training.</summary>
    public int PrefetchDepth { get; init; } = 4;

    /// <summary>Threads preparing batches.</summary>
    public int Workers { get; init; } = 1;

    /// <summary>Processes the run trains on (data parallelism, one communicator rank each; 1 for one process). It does
    /// not change what a step computes (<see cref="BatchSize"/> is the global batch); it is recorded in checkpoints so
    /// that a resume on another number of processes can say so.</summary>
    public int Ranks { get; init; } = 1;

    /// <summary>Checks the values.</summary>
    /// <exception cref="ArgumentException">A value is out of range.</exception>
    public void Validate()
    {
        if (Epochs < 1) throw new ArgumentException($"Epochs must be ≥ 1, got {Epochs}.");
        if (BatchSize < 1) throw new ArgumentException($"Batch size must be ≥ 1, got {BatchSize}.");
        if (EvaluationBatchSize < 1) throw new ArgumentException($"Evaluation batch size must be ≥ 1, got {EvaluationBatchSize}.");
        if (!(LearningRate > 0) || !float.IsFinite(LearningRate)) throw new ArgumentException($"Learning rate must be finite and > 0, got {LearningRate}.");
        if (!(Momentum >= 0 && Momentum < 1)) throw new ArgumentException($"Momentum must be in [0, 1), got {Momentum}.");
        if (!(WeightDecay >= 0) || !float.IsFinite(WeightDecay)) throw new ArgumentException($"Weight decay must be finite and ≥ 0, got {WeightDecay}.");
        if (!Enum.IsDefined(Schedule)) throw new ArgumentException($"Schedule {(int)Schedule} is not one of {string.Join(", ", Enum.GetNames<LearningRateSchedule>())}.");
        if (!Enum.IsDefined(Optimizer)) throw new ArgumentException($"Optimizer {(int)Optimizer} is not one of {string.Join(", ", Enum.GetNames<OptimizerKind>())}.");
        if (!(LabelSmoothing >= 0 && LabelSmoothing < 1)) throw new ArgumentException($"Label smoothing must be in [0, 1), got {LabelSmoothing}.");
        if (!(Beta1 >= 0 && Beta1 < 1)) throw new ArgumentException($"β₁ must be in [0, 1), got {Beta1}.");
        if (!(Beta2 >= 0 && Beta2 < 1)) throw new ArgumentException($"β₂ must be in [0, 1), got {Beta2}.");
        if (!(Epsilon > 0) || !float.IsFinite(Epsilon)) throw new ArgumentException($"ε must be finite and > 0, got {Epsilon}.");
        if (Patience < 1) throw new ArgumentException($"Patience must be ≥ 1, got {Patience}.");
        if (MaxDrops < 0) throw new ArgumentException($"Max drops must be ≥ 0, got {MaxDrops}.");
        if (!(DropFactor > 1)) throw new ArgumentException($"Drop factor must be > 1, got {DropFactor}.");
        if (PrefetchDepth < 1) throw new ArgumentException($"Prefetch depth must be ≥ 1, got {PrefetchDepth}.");
        if (FinalDropEpochs < 0) throw new ArgumentException($"Final drop epochs must be ≥ 0, got {FinalDropEpochs}.");
        if (Workers < 1) throw new ArgumentException($"Workers must be ≥ 1, got {Workers}.");
        if (WarmupSteps < 0) throw new ArgumentException($"Warm-up steps must be ≥ 0 (0: none), got {WarmupSteps}.");
        if (Ranks < 1) throw new ArgumentException($"Ranks must be ≥ 1, got {Ranks}.");
        if (TimeBudget is { } t && t <= TimeSpan.Zero) throw new ArgumentException($"Time budget must be positive, got {t}.");
    }
}
