using AlexNet.Autograd;

namespace AlexNet.GpuCheck;

/// <summary>
/// A fixed set of random images with random labels, drawn on the host from one <see cref="RandomKey"/> so that every
/// backend sees the same numbers: pixel i of image j is <c>scale · key.Fold(0).Fold(j).Normal(i)</c> and label j is
/// <c>key.Fold(1).Integer(j, classes)</c>. Batch b holds images b·B … b·B + B − 1 (modulo the set's size).
/// </summary>
internal sealed class SyntheticSet
{
    private readonly float[][] _images;
    private readonly int[] _labels;

    /// <summary>Draws <paramref name="count"/> images of <paramref name="imageShape"/>.</summary>
    public SyntheticSet(RandomKey key, int count, Shape imageShape, int classes, float scale)
    {
        ImageShape = imageShape;
        int size = imageShape.Count;
        _images = new float[count][];
        Parallel.For(0, count, j =>
        {
            var k = key.Fold(0).Fold((ulong)j);
            var image = new float[size];
            for (int i = 0; i < size; i++) image[i] = scale * k.Normal(i);
            _images[j] = image;
        });
        var labelKey = key.Fold(1);
        _labels = [.. Enumerable.Range(0, count).Select(j => labelKey.Integer(j, classes))];
    }

    /// <summary>Shape of one image.</summary>
    public Shape ImageShape { get; }

    /// <summary>Images in the set.</summary>
    public int Count => _images.Length;

    /// <summary>Distinct labels in the set (the loss floor of a model that only learnt the label frequencies is ln of it).</summary>
    public int DistinctLabels => _labels.Distinct().Count();

    /// <summary>Batch <paramref name="index"/> of size <paramref name="batch"/> as tensors on <paramref name="backend"/>: images
    /// [B, ...ImageShape] and labels [B] (as floats, the form <see cref="Ops.SoftmaxCrossEntropy(Tensor, Tensor)"/> takes).</summary>
    public (Tensor Images, Tensor Labels) Batch(int index, int batch, AlexNet.Autograd.Kernels.IBackend backend)
    {
        int size = ImageShape.Count;
        var x = new float[(long)batch * size];
        var y = new float[batch];
        for (int i = 0; i < batch; i++)
        {
            int j = (int)(((long)index * batch + i) % Count);
            _images[j].CopyTo(x, (long)i * size);
            y[i] = _labels[j];
        }
        var images = Tensor.FromArray(x, new Shape([batch, .. ImageShape.Dims]), backend);
        try
        {
            return (images, Tensor.FromArray(y, new Shape(batch), backend));
        }
        catch
        {
            images.Dispose();
            throw;
        }
    }
}
