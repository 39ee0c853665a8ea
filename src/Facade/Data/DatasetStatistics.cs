namespace AlexNet.Facade;

/// <summary>
/// What the paper measures on the training set before training: the mean image (subtracted from every input), the
/// mean pixel, and the C×C covariance of all pixel values with its principal components (for colour augmentation).
/// </summary>
/// <remarks>
/// <see cref="Compute"/> reads each image once (a streaming pass: only the sums Σx per position and Σx, Σxxᵀ per pixel
/// are held, never the images). Work is split into fixed chunks of images summed in double precision and combined in
/// chunk order, so the result does not depend on the number of threads. Means are in byte units (0–255); the covariance
/// is on the [0, 1] scale (see <see cref="ColorPca"/>).
/// </remarks>
public sealed class DatasetStatistics
{
    private const int ChunkImages = 512;

    /// <summary>Creates statistics from their parts (for loading them back from a checkpoint).</summary>
    /// <exception cref="ArgumentException">The sizes disagree.</exception>
    public DatasetStatistics(int channels, int height, int width, float[] meanImage, double[,] covariance, long imageCount)
    {
        ArgumentNullException.ThrowIfNull(meanImage);
        ArgumentNullException.ThrowIfNull(covariance);
        if (meanImage.Length != channels * height * width)
            throw new ArgumentException($"A mean image of {channels}×{height}×{width} needs {channels * height * width} values, got {meanImage.Length}.", nameof(meanImage));
        if (covariance.GetLength(0) != channels || covariance.GetLength(1) != channels)
            throw new ArgumentException($"The pixel covariance must be {channels}×{channels}.", nameof(covariance));
        Channels = channels;
        Height = height;
        Width = width;
        MeanImage = meanImage;
        Covariance = covariance;
        ImageCount = imageCount;
        int plane = height * width;
        MeanPixel = new float[channels];
        for (int c = 0; c < channels; c++)
        {
            double s = 0;
            for (int i = 0; i < plane; i++) s += meanImage[c * plane + i];
            MeanPixel[c] = (float)(s / plane);
        }
        Pca = ColorPca.FromCovariance(covariance);
    }

    /// <summary>Channels of the images measured.</summary>
    public int Channels { get; }

    /// <summary>Height of the images measured.</summary>
    public int Height { get; }

    /// <summary>Width of the images measured.</summary>
    public int Width { get; }

    /// <summary>Number of images measured.</summary>
    public long ImageCount { get; }

    /// <summary>The mean image, C×H×W, in byte units.</summary>
    public float[] MeanImage { get; }

    /// <summary>The mean of each channel over all pixels, in byte units.</summary>
    public float[] MeanPixel { get; }

    /// <summary>The C×C covariance of pixel values on the [0, 1] scale.</summary>
    public double[,] Covariance { get; }

    /// <summary>Principal components of <see cref="Covariance"/>.</summary>
    public ColorPca Pca { get; }

    /// <summary>Measures a data set in one streaming pass.</summary>
    /// <param name="dataset">The training set.</param>
    /// <param name="threads">Threads reading images; 0 for one per core.</param>
    /// <exception cref="ArgumentException">The data set is empty.</exception>
    public static DatasetStatistics Compute(IImageDataset dataset, int threads = 0)
    {
        ArgumentNullException.ThrowIfNull(dataset);
        if (dataset.Count == 0) throw new ArgumentException("Cannot measure an empty data set.", nameof(dataset));
        int c = dataset.Channels, plane = dataset.Height * dataset.Width, size = c * plane;
        int chunks = (dataset.Count + ChunkImages - 1) / ChunkImages;
        var partial = new Sums[chunks];
        var options = new ParallelOptions { MaxDegreeOfParallelism = threads > 0 ? threads : Environment.ProcessorCount };
        Parallel.For(0, chunks, options, k =>
        {
            var sums = new Sums(size, c);
            var image = new byte[size];
            int end = Math.Min(dataset.Count, (k + 1) * ChunkImages);
            for (int n = k * ChunkImages; n < end; n++)
            {
                dataset.ReadImage(n, image);
                sums.Add(image, c, plane);
            }
            partial[k] = sums;
        });
        var total = partial[0];
        for (int k = 1; k < chunks; k++) total.Merge(partial[k]);

        long images = dataset.Count, pixels = images * plane;
        var mean = new float[size];
        for (int i = 0; i < size; i++) mean[i] = (float)(total.PerPosition[i] / images);
        var cov = new double[c, c];
        for (int a = 0; a < c; a++)
            for (int b = 0; b < c; b++)
            {
                double ma = total.PerChannel[a] / pixels / 255.0, mb = total.PerChannel[b] / pixels / 255.0;
                cov[a, b] = total.Products[a * c + b] / pixels / (255.0 * 255.0) - ma * mb;
            }
        return new DatasetStatistics(c, dataset.Height, dataset.Width, mean, cov, images);
    }

    /// <summary>Running sums of one chunk of images.</summary>
    private sealed class Sums(int size, int channels)
    {
        public double[] PerPosition { get; } = new double[size];
        public double[] PerChannel { get; } = new double[channels];
        public double[] Products { get; } = new double[channels * channels];

        public void Add(byte[] image, int c, int plane)
        {
            for (int i = 0; i < image.Length; i++) PerPosition[i] += image[i];
            Span<double> x = stackalloc double[c];
            for (int p = 0; p < plane; p++)
            {
                for (int a = 0; a < c; a++) x[a] = image[a * plane + p];
                for (int a = 0; a < c; a++)
                {
                    PerChannel[a] += x[a];
                    for (int b = 0; b < c; b++) Products[a * c + b] += x[a] * x[b];
                }
            }
        }

        public void Merge(Sums other)
        {
            for (int i = 0; i < PerPosition.Length; i++) PerPosition[i] += other.PerPosition[i];
            for (int i = 0; i < PerChannel.Length; i++) PerChannel[i] += other.PerChannel[i];
            for (int i = 0; i < Products.Length; i++) Products[i] += other.Products[i];
        }
    }
}
