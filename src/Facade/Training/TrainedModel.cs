using AlexNet.Autograd.Cpu;
using AlexNet.Autograd.Kernels;
using AlexNet.Facade;
using AlexNet.Facade.Pipeline;

namespace AlexNet.Facade;

/// <summary>
/// A trained network read back from a training checkpoint together with the preprocessing it was trained with, ready to
/// classify images in one call: <c>using var model = TrainedModel.Load("best.ckpt"); var p = model.Predict("boot.png");</c>.
/// </summary>
/// <remarks>
/// The evaluation preprocessing is rebuilt from what the checkpoint recorded: the run's augmentation options without
/// their randomness (same crop size, padding, mean subtraction and scale; no PCA colour shift, no rotation) and the
/// training set's statistics (the mean image). An image file is decoded as the training images were stored: the
/// shorter side scaled to the stored size and the central square kept (<see cref="ImageDecoder"/>), converted to the
/// model's channels (luma for grey models). Disposing releases the weights.
/// </remarks>
public sealed class TrainedModel : IDisposable
{
    private TrainedModel(TrainingRun run, IBackend backend)
    {
        Run = run;
        Backend = backend;
        Transform = EvaluationTransform(run);
        Model = NetworkModel.Of(run.Network);
    }

    /// <summary>Everything the checkpoint holds: network, weights, options, statistics, class names, history.</summary>
    public TrainingRun Run { get; }

    /// <summary>The class names; a prediction's class index is an index into this list.</summary>
    public IReadOnlyList<string> ClassNames => Run.ClassNames;

    /// <summary>The evaluation preprocessing (crop, mean, scale; no randomness).</summary>
    public ImageTransform Transform { get; }

    /// <summary>The forward pass.</summary>
    public ModelFunction Model { get; }

    /// <summary>The device the weights live on and the forward pass runs on.</summary>
    public IBackend Backend { get; }

    /// <summary>Loads a training checkpoint (as <see cref="TrainingCheckpoint.Save"/> writes it, e.g. a run folder's
    /// <c>best.ckpt</c>).</summary>
    /// <param name="path">The checkpoint file.</param>
    /// <param name="backend">Where the weights go and the network runs; the CPU when null.</param>
    /// <exception cref="FileNotFoundException">The file does not exist.</exception>
    /// <exception cref="AlexNet.Layers.CheckpointFormatException">The file is not a training checkpoint or is damaged.</exception>
    public static TrainedModel Load(string path, IBackend? backend = null)
    {
        backend ??= CpuBackend.Default;
        return new TrainedModel(TrainingCheckpoint.Load(path, backend), backend);
    }

    /// <summary>The preprocessing a run's images get at evaluation: its augmentation options without their randomness,
    /// with the run's statistics.</summary>
    public static ImageTransform EvaluationTransform(TrainingRun run)
    {
        ArgumentNullException.ThrowIfNull(run);
        var s = run.Statistics;
        // Crops and reflections are drawn only in training (Render takes an explicit view); PCA and rotation are training-only too.
        var augmentation = run.Options.Augmentation
                           ?? throw new ArgumentException("The run's options have no augmentation: it did not train on images, so it has no image preprocessing.", nameof(run));
        var options = augmentation with { PcaStandardDeviation = 0, MaxRotationDegrees = 0 };
        return new ImageTransform(options, s.Channels, s.Height, s.Width, s);
    }

    /// <summary>Classifies a JPEG or PNG file.</summary>
    /// <param name="imagePath">The image file.</param>
    /// <param name="top">How many classes <see cref="Prediction.Top"/> lists (≥ 1; every class when the model has fewer).</param>
    /// <param name="tenCrop">Average the paper's ten crops instead of using the centre crop.</param>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="top"/> is below 1.</exception>
    /// <exception cref="InvalidDataException">The file is not a decodable JPEG or PNG.</exception>
    /// <exception cref="IOException">The file cannot be read.</exception>
    /// <exception cref="InvalidOperationException">The model's outputs are not finite (its weights diverged), or it was
    /// trained on images that are not square (give the pixels to <see cref="PredictPixels"/>).</exception>
    public Prediction Predict(string imagePath, int top = 5, bool tenCrop = false) => PredictPixels(ReadImage(imagePath), top, tenCrop);

    /// <summary>Classifies a JPEG or PNG image held in memory (a file's bytes).</summary>
    /// <param name="encodedImage">The encoded image.</param>
    /// <param name="top">How many classes <see cref="Prediction.Top"/> lists (≥ 1; every class when the model has fewer).</param>
    /// <param name="tenCrop">Average the paper's ten crops instead of using the centre crop.</param>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="top"/> is below 1.</exception>
    /// <exception cref="InvalidDataException">The bytes are not a decodable JPEG or PNG.</exception>
    /// <exception cref="InvalidOperationException">The model's outputs are not finite, or it was trained on images that
    /// are not square.</exception>
    public Prediction Predict(byte[] encodedImage, int top = 5, bool tenCrop = false)
    {
        ArgumentNullException.ThrowIfNull(encodedImage);
        return PredictPixels(ToModelChannels(ImageDecoder.DecodeSquare(encodedImage, SquareSide())), top, tenCrop);
    }

    /// <summary>Classifies an image already in the stored form of the training set (channels × height × width bytes,
    /// planar), such as an image of an <see cref="IImageDataset"/>.</summary>
    /// <param name="pixels">The image's bytes.</param>
    /// <param name="top">How many classes <see cref="Prediction.Top"/> lists (≥ 1; every class when the model has fewer).</param>
    /// <param name="tenCrop">Average the paper's ten crops instead of using the centre crop.</param>
    /// <exception cref="ArgumentException">The pixels are not one image of the stored size.</exception>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="top"/> is below 1.</exception>
    /// <exception cref="InvalidOperationException">The model's outputs are not finite (its weights diverged).</exception>
    public Prediction PredictPixels(byte[] pixels, int top = 5, bool tenCrop = false)
    {
        ArgumentNullException.ThrowIfNull(pixels);
        int classes = ClassNames.Count;
        if (top < 1) throw new ArgumentOutOfRangeException(nameof(top), top, "Ask for at least 1 class.");
        var t = Transform;
        if (pixels.Length != t.InputLength)
            throw new ArgumentException($"The pixels hold {pixels.Length} bytes; one {t.Channels}×{t.Height}×{t.Width} image (planar) is {t.InputLength}.", nameof(pixels));
        var image = new InMemoryImageDataset(pixels, [0], t.Channels, t.Height, t.Width, ClassNames);
        var probabilities = Evaluator.Probabilities(Model, Run.State.Parameters, BatchBuilder.Evaluation(new ImageExamples(image, t, tenCrop), [0], 0), Backend, classes);
        if (!Evaluator.AllFinite(probabilities))
            throw new InvalidOperationException("The model's outputs are not finite (NaN or infinite): its weights diverged; use an earlier checkpoint of the run.");
        var best = Enumerable.Range(0, classes).OrderByDescending(c => probabilities[c]).ThenBy(c => c).Take(Math.Min(top, classes))
                             .Select(c => new ClassProbability(c, ClassNames[c], probabilities[c])).ToArray();
        return new Prediction(best, probabilities);
    }

    /// <summary>Reads an image file as the model's stored images: decoded, scaled and centre-cropped to the stored size,
    /// in the model's channels (planar bytes, what <see cref="PredictPixels"/> takes).</summary>
    /// <exception cref="InvalidDataException">The file is not a decodable JPEG or PNG.</exception>
    /// <exception cref="IOException">The file cannot be read.</exception>
    /// <exception cref="InvalidOperationException">The model was trained on images that are not square.</exception>
    public byte[] ReadImage(string imagePath)
    {
        ArgumentNullException.ThrowIfNull(imagePath);
        return ToModelChannels(ImageDecoder.DecodeSquare(imagePath, SquareSide()));
    }

    /// <summary>Releases the weights.</summary>
    public void Dispose()
    {
        Run.State.Dispose();
    }

    private int SquareSide()
    {
        var t = Transform;
        if (t.Height != t.Width)
            throw new InvalidOperationException($"The model was trained on {t.Height}×{t.Width} images, and image files are decoded to squares; "
                                              + "prepare the pixels yourself and call PredictPixels.");
        return t.Height;
    }

    /// <summary>Planar RGB to the model's channels: unchanged for colour, luma (ITU-R BT.601) for grey.</summary>
    private byte[] ToModelChannels(byte[] rgb)
    {
        int channels = Transform.Channels, plane = Transform.Height * Transform.Width;
        if (channels == 3) return rgb;
        if (channels != 1) throw new InvalidOperationException($"The model takes {channels}-channel images; image files give grey or RGB. Call PredictPixels with the pixels.");
        var grey = new byte[plane];
        for (int i = 0; i < plane; i++)
            grey[i] = (byte)Math.Round(0.299 * rgb[i] + 0.587 * rgb[plane + i] + 0.114 * rgb[2 * plane + i]);
        return grey;
    }
}
