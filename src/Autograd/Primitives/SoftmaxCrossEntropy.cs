namespace AlexNet.Autograd;

public static partial class Ops
{
    /// <summary>
    /// Mean cross-entropy of softmax(logits) against class labels: mean_r (logsumexp(x_r) − x_r[label_r]). Fused, so it
    /// stays finite for logits of ±1e4 where softmax followed by log would not.
    /// </summary>
    /// <param name="logits">[N, C] scores.</param>
    /// <param name="labels">Class indices in [0, C), one per row.</param>
    /// <exception cref="ArgumentException">Shapes disagree or a label is out of range.</exception>
    public static Tensor SoftmaxCrossEntropy(Tensor logits, ReadOnlySpan<int> labels)
    {
        if (logits.Rank != 2) throw ShapeError("SoftmaxCrossEntropy", "logits must be [N, C]", logits);
        var values = new float[labels.Length];
        for (int i = 0; i < labels.Length; i++)
        {
            if ((uint)labels[i] >= (uint)logits.Shape[1])
                throw ShapeError("SoftmaxCrossEntropy", $"label {labels[i]} at row {i} is outside [0, {logits.Shape[1]})", logits);
            values[i] = labels[i];
        }
        var labelTensor = Tensor.FromArray(values, new Shape(labels.Length), logits.Backend);
        var loss = SoftmaxCrossEntropy(logits, labelTensor);
        // The backward pass reads the labels: a recorded loss hands them to its tape.
        if (loss.IsTracked) loss.Tape!.Own(labelTensor); else labelTensor.Dispose();
        return loss;
    }

    /// <summary>As <see cref="SoftmaxCrossEntropy(Tensor, ReadOnlySpan{int})"/> with labels already on the device
    /// (class indices stored as floats, shape [N]); no gradient flows into the labels.</summary>
    /// <exception cref="ArgumentException">Shapes disagree.</exception>
    public static Tensor SoftmaxCrossEntropy(Tensor logits, Tensor labels)
    {
        using var perExample = SoftmaxCrossEntropyPerExample(logits, labels);
        return Mean(perExample);
    }

    /// <summary>
    /// Cross-entropy against labels smoothed towards the uniform distribution (Szegedy et al. 2016, "Rethinking the
    /// Inception architecture"): row r's target is 1 − ε on its label plus ε/C on every class, so the loss is
    /// (1 − ε)·CE(x_r, label_r) + ε·mean_c(−log softmax(x_r)_c), averaged over the rows. ε = 0 is
    /// <see cref="SoftmaxCrossEntropy(Tensor, Tensor)"/>.
    /// </summary>
    /// <param name="logits">[N, C].</param>
    /// <param name="labels">[N] class indices stored as floats (no gradient flows into them).</param>
    /// <param name="labelSmoothing">ε in [0, 1).</param>
    /// <exception cref="ArgumentException">Shapes disagree, or ε is outside [0, 1).</exception>
    public static Tensor SoftmaxCrossEntropy(Tensor logits, Tensor labels, float labelSmoothing)
    {
        if (!(labelSmoothing >= 0 && labelSmoothing < 1))
            throw new ArgumentException($"Label smoothing must be in [0, 1), got {labelSmoothing}.", nameof(labelSmoothing));
        if (labelSmoothing == 0) return SoftmaxCrossEntropy(logits, labels);
        using var crossEntropy = SoftmaxCrossEntropy(logits, labels);
        using var logProbabilities = LogSoftmax(logits);
        using var meanLogProbability = Mean(logProbabilities);
        using var onLabels = crossEntropy * (1 - labelSmoothing);
        using var uniform = meanLogProbability * labelSmoothing;
        return onLabels - uniform;
    }

    /// <summary>Per-row cross-entropy [N] (the fused primitive; <see cref="SoftmaxCrossEntropy(Tensor, Tensor)"/> averages it).</summary>
    /// <remarks>Backward: dlogits[r, c] = dloss[r]·(softmax(x_r)[c] − [c = label_r]).</remarks>
    /// <exception cref="ArgumentException">logits is not [N, C] or labels is not [N].</exception>
    public static Tensor SoftmaxCrossEntropyPerExample(Tensor logits, Tensor labels)
    {
        var backend = BackendOf("SoftmaxCrossEntropy", logits, labels);
        if (logits.Rank != 2 || logits.Shape[1] < 1) throw ShapeError("SoftmaxCrossEntropy", "logits must be [N, C] with C ≥ 1", logits, labels);
        int rows = logits.Shape[0], cols = logits.Shape[1];
        if (labels.Rank != 1 || labels.Shape[0] != rows) throw ShapeError("SoftmaxCrossEntropy", $"labels must be [{rows}]", logits, labels);
        var shape = new Shape(rows);
        var loss = Alloc(backend, shape);
        var probabilities = new Tensor(logits.Shape, Alloc(backend, logits.Shape));
        backend.SoftmaxCrossEntropyForward(logits.Buffer, labels.Buffer, loss, probabilities.Buffer, rows, cols);
        var result = Tape.Record(shape, loss, [logits, labels], g =>
        {
            var dx = Alloc(backend, logits.Shape);
            backend.SoftmaxCrossEntropyBackward(probabilities.Buffer, labels.Buffer, g.Buffer, dx, rows, cols);
            return [new Tensor(logits.Shape, dx), null];
        });
        if (result.IsTracked) result.Tape!.Own(probabilities); else probabilities.Dispose();
        return result;
    }
}
