using AlexNet.Autograd;
using AlexNet.Autograd.Kernels;
using AlexNet.Facade;
using AlexNet.Facade.Pipeline;

namespace AlexNet.Facade;

/// <summary>
/// Runs a network in evaluation mode over a data set (for images, on the centre crop or on the paper's ten crops,
/// softmax outputs averaged over the views), and measures loss, top-1 and top-5 error. An output that is not finite (NaN or an
/// infinity, from weights that diverged) never counts as correct: it is wrong in both errors, makes the loss NaN, and
/// is counted in <see cref="EvaluationResult.NonFiniteCount"/>.
/// </summary>
public static class Evaluator
{
    /// <summary>Evaluates <paramref name="model"/> on every image of <paramref name="dataset"/> through
    /// <paramref name="transform"/> (the image pipeline; see <see cref="ImageExamples"/>).</summary>
    /// <param name="model">The network.</param>
    /// <param name="parameters">Its weights (not modified).</param>
    /// <param name="dataset">The images.</param>
    /// <param name="transform">Preprocessing (its crop size, mean and scale; no randomness is used).</param>
    /// <param name="tenCrop">Average the ten crops instead of using the centre crop.</param>
    /// <param name="batchSize">Images per forward pass (each has 10 views with ten-crop).</param>
    /// <param name="backend">The device to run on.</param>
    /// <param name="progress">Called with (batches done, batches in all) after each batch.</param>
    /// <param name="workers">Threads preparing batches.</param>
    /// <exception cref="ArgumentException">The data set is empty or the sizes disagree.</exception>
    public static EvaluationResult Evaluate(ModelFunction model, TensorMap parameters, IImageDataset dataset, ImageTransform transform,
                                            bool tenCrop, int batchSize, IBackend backend, Action<int, int>? progress = null, int workers = 1) =>
        Evaluate(model, parameters, new ImageExamples(dataset, transform, tenCrop), batchSize, backend, progress, workers);

    /// <summary>Evaluates <paramref name="model"/> on every example of <paramref name="dataset"/> (softmax outputs
    /// averaged over its <see cref="IDataset.Views"/>).</summary>
    /// <param name="model">The network.</param>
    /// <param name="parameters">Its weights (not modified).</param>
    /// <param name="dataset">The examples.</param>
    /// <param name="batchSize">Examples per forward pass (each with all its views).</param>
    /// <param name="backend">The device to run on.</param>
    /// <param name="progress">Called with (batches done, batches in all) after each batch.</param>
    /// <param name="workers">Threads preparing batches.</param>
    /// <exception cref="ArgumentException">The data set is empty, or the network's output does not have one column
    /// per class.</exception>
    public static EvaluationResult Evaluate(ModelFunction model, TensorMap parameters, IDataset dataset, int batchSize, IBackend backend,
                                            Action<int, int>? progress = null, int workers = 1)
    {
        ArgumentNullException.ThrowIfNull(dataset);
        if (dataset.Count == 0) throw new ArgumentException("Cannot evaluate on an empty data set.", nameof(dataset));
        double loss = 0;
        long wrong1 = 0, wrong5 = 0;
        int nonFinite = 0;
        int classes = dataset.ClassNames.Count;
        foreach (var (labels, probabilities) in Predict(model, parameters, dataset, batchSize, backend, progress, workers))
        {
            for (int i = 0; i < labels.Length; i++)
            {
                var p = probabilities.AsSpan(i * classes, classes);
                int label = labels[i];
                if (!AllFinite(p))
                {
                    // NaN compares false with everything, so the ranking below would count it as the top class.
                    nonFinite++;
                    wrong1++;
                    wrong5++;
                    loss = double.NaN;
                    continue;
                }
                loss -= Math.Log(Math.Max(p[label], 1e-12));
                int higher = 0;
                for (int k = 0; k < classes; k++) if (p[k] > p[label] || (p[k] == p[label] && k < label)) higher++;
                if (higher >= 1) wrong1++;
                if (higher >= 5) wrong5++;
            }
        }
        int n = dataset.Count;
        return new EvaluationResult(n, loss / n, (double)wrong1 / n, (double)wrong5 / n, nonFinite);
    }

    /// <summary>True when every value is finite (no NaN, no infinity).</summary>
    public static bool AllFinite(ReadOnlySpan<float> values)
    {
        foreach (float v in values) if (!float.IsFinite(v)) return false;
        return true;
    }

    /// <summary>
    /// Class probabilities for every image of <paramref name="dataset"/> through <paramref name="transform"/>, batch by
    /// batch in data-set order: each item is the batch's labels and its probabilities [count × classes], averaged over
    /// the views.
    /// </summary>
    /// <exception cref="ArgumentException">The network's output does not have one column per class.</exception>
    public static IEnumerable<(int[] Labels, float[] Probabilities)> Predict(
        ModelFunction model, TensorMap parameters, IImageDataset dataset, ImageTransform transform,
        bool tenCrop, int batchSize, IBackend backend, Action<int, int>? progress = null, int workers = 1) =>
        Predict(model, parameters, new ImageExamples(dataset, transform, tenCrop), batchSize, backend, progress, workers);

    /// <summary>
    /// Class probabilities for every example of <paramref name="dataset"/>, batch by batch in data-set order: each item
    /// is the batch's labels and its probabilities [count × classes], averaged over the data set's views.
    /// </summary>
    /// <exception cref="ArgumentException">The network's output does not have one column per class.</exception>
    public static IEnumerable<(int[] Labels, float[] Probabilities)> Predict(
        ModelFunction model, TensorMap parameters, IDataset dataset, int batchSize, IBackend backend, Action<int, int>? progress = null, int workers = 1)
    {
        ArgumentNullException.ThrowIfNull(model);
        ArgumentNullException.ThrowIfNull(parameters);
        ArgumentNullException.ThrowIfNull(dataset);
        ArgumentNullException.ThrowIfNull(backend);
        ArgumentOutOfRangeException.ThrowIfLessThan(batchSize, 1);
        return PredictBatches(model, parameters, dataset, batchSize, backend, progress, workers);
    }

    private static IEnumerable<(int[] Labels, float[] Probabilities)> PredictBatches(
        ModelFunction model, TensorMap parameters, IDataset dataset, int batchSize, IBackend backend, Action<int, int>? progress, int workers)
    {
        var batches = EpochPlan.Batches(Enumerable.Range(0, dataset.Count).ToArray(), batchSize, dropLast: false);
        using var prefetch = new Prefetcher<Batch>(batches.Length, b => BatchBuilder.Evaluation(dataset, batches[b], b), workers: workers);
        int classes = dataset.ClassNames.Count;
        for (int b = 0; b < batches.Length; b++)
        {
            var batch = prefetch.Take();
            var probabilities = Probabilities(model, parameters, batch, backend, classes);
            progress?.Invoke(b + 1, batches.Length);
            yield return (batch.Labels, probabilities);
        }
    }

    /// <summary>The view-averaged class probabilities of one prepared batch, [count × classes].</summary>
    /// <exception cref="ArgumentException">The network's output is not [views·count, classes].</exception>
    public static float[] Probabilities(ModelFunction model, TensorMap parameters, Batch batch, IBackend backend, int classes)
    {
        ArgumentNullException.ThrowIfNull(model);
        ArgumentNullException.ThrowIfNull(batch);
        float[] all;
        using (var x = Tensor.FromArray(batch.Examples, batch.Shape, backend))
        using (var tape = new Tape())
        {
            // Nothing is differentiated: the tape only owns the forward pass's intermediates and releases them at once.
            var logits = model(parameters, tape.Watch(x), false, default);
            if (logits.Rank != 2 || logits.Shape[0] != batch.Count * batch.Views || logits.Shape[1] != classes)
                throw new ArgumentException($"The network returned {logits.Shape}; expected [{batch.Count * batch.Views}, {classes}].");
            all = Ops.Softmax(logits).ToArray();
        }
        if (batch.Views == 1) return all;
        var mean = new float[batch.Count * classes];
        for (int i = 0; i < batch.Count; i++)
            for (int v = 0; v < batch.Views; v++)
                for (int k = 0; k < classes; k++)
                    mean[i * classes + k] += all[(i * batch.Views + v) * classes + k] / batch.Views;
        return mean;
    }
}
