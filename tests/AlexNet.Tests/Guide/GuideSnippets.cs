using AlexNet.Autograd;
using AlexNet.Autograd.Cpu;
using AlexNet.Facade;
using AlexNet.Layers;
using AlexNet.Onnx;

namespace AlexNet.Tests.Guide;

/// <summary>
/// The code of docs/library.md, compiled and run by <see cref="GuideTests"/>: every region between
/// <c>// guide:NAME</c> and <c>// end</c> must appear verbatim (up to indentation) in the guide's block of that name.
/// </summary>
internal static class GuideSnippets
{
    public static Network DefineLeNet()
    {
        // guide:define
        var net = Net.Input(1, 28, 28)
            .Conv("conv1", 6, 5, pad: 2).Relu().MaxPool(2, 2)
            .Conv("conv2", 16, 5).Relu().MaxPool(2, 2)
            .Flatten().Dense("fc1", 120).Relu().Dense("fc2", 84).Relu().Dense("fc3", 10)
            .Build();                                   // shapes checked here; He initialisation by default
        Console.WriteLine(net.Summary());
        // end
        return net;
    }

    // guide:batch
    /// <summary>Images [start, start + count) of a data set as a tensor [N, 1, 28, 28] in [0, 1], with their labels.</summary>
    public static (Tensor Images, int[] Labels) Batch(IImageDataset data, int start, int count)
    {
        var pixels = new byte[count * 28 * 28];
        var labels = new int[count];
        for (int i = 0; i < count; i++)
        {
            data.ReadImage(start + i, pixels.AsSpan(i * 784, 784));
            labels[i] = data.Label(start + i);
        }
        return (Tensor.FromArray([.. pixels.Select(b => b / 255f)], new Shape(count, 1, 28, 28)), labels);
    }
    // end

    public static TensorMap TrainByHand(Network net, IImageDataset train, int batchSize, float learningRate)
    {
        // guide:loop
        using var initial = net.Init(RandomKey.FromSeed(1));
        using var optimiser = new SgdMomentum(initial, momentum: 0.9f, weightDecay: 5e-4f);   // trains its own copy
        for (int start = 0; start + batchSize <= train.Count; start += batchSize)
        {
            using var scope = TensorScope.Begin();          // everything made in this step is released at its end
            var (x, labels) = Batch(train, start, batchSize);
            var key = RandomKey.FromSeed(start);             // dropout masks, if the network has dropout
            var (loss, grads) = Autodiff.ValueAndGrad(
                p => Ops.SoftmaxCrossEntropy(net.Apply(p, x, Mode.Train, key), labels), optimiser.Parameters);
            optimiser.Step(grads, learningRate);
        }
        return optimiser.TakeParameters();                  // the trained weights are the caller's from here
        // end
    }

    public static double Accuracy(Network net, TensorMap parameters, IImageDataset test)
    {
        // guide:evaluate
        int correct = 0;
        for (int start = 0; start < test.Count; start += 500)
        {
            using var scope = TensorScope.Begin();
            var (x, labels) = Batch(test, start, Math.Min(500, test.Count - start));
            var predicted = Inference.ArgMax(net.Apply(parameters, x, Mode.Eval, default));
            correct += predicted.Where((label, i) => label == labels[i]).Count();
        }
        Console.WriteLine($"test accuracy {(double)correct / test.Count:F4}");
        // end
        return (double)correct / test.Count;
    }

    public static (Network Network, TensorMap Parameters) SaveAndLoad(Network net, TensorMap parameters, string folder)
    {
        string path = Path.Combine(folder, "lenet.ckpt");
        // guide:save
        Checkpoint.Save(path, net, parameters, new Dictionary<string, string> { ["note"] = "LeNet, one epoch" });
        var (loaded, weights, metadata) = Checkpoint.Load(path);   // the network comes back with its weights
        // end
        return (loaded, weights);
    }

    public static void Export(Network net, TensorMap parameters, string folder)
    {
        string path = Path.Combine(folder, "lenet.onnx");
        // guide:onnx
        net.ExportOnnx(path, parameters);                   // namespace AlexNet.Onnx; opset 17, input 'input' [N, 1, 28, 28]
        // end
    }

    public static Prediction TrainWithTheTrainer(Network net, IImageDataset train, IImageDataset test, string folder)
    {
        string path = Path.Combine(folder, "lenet-trainer.ckpt");
        // guide:trainer
        var options = new TrainingOptions
        {
            Augmentation = new AugmentationOptions { CropSize = 28, Scale = 1 / 64f },   // flips, mean image, scale
            Epochs = 1, BatchSize = 50, LearningRate = 0.05f,
        };
        var trainer = new Trainer(NetworkModel.Of(net), train, validation: null, options, CpuBackend.Default);
        using var start = TrainingState.Start(net.Init(RandomKey.FromSeed(1)), options);   // disposing releases its tensors
        using var end = trainer.Run(start, new ConsoleProgress());   // one line per epoch on the console
        TrainingCheckpoint.Save(path, new TrainingRun(net, end, options, DatasetStatistics.Compute(train), train.ClassNames));

        using var model = TrainedModel.Load(path);           // the weights with the run's preprocessing
        var pixels = new byte[28 * 28];
        test.ReadImage(0, pixels);
        var prediction = model.PredictPixels(pixels);        // or model.Predict("boot.png")
        Console.WriteLine($"{prediction.ClassName} ({prediction.Probability:P1})");
        // end
        return prediction;
    }

    public static EvaluationResult TrainOnRings(Rings train, Rings validation, Rings test)
    {
        // guide:dataset-train
        var net = Net.Input(2).Dense("hidden", 32).Relu().Dense("out", 2).Build();
        var options = new TrainingOptions { Epochs = 20, BatchSize = 32, LearningRate = 0.05f };   // no Augmentation: not images
        var trainer = new Trainer(NetworkModel.Of(net), train, validation, options, CpuBackend.Default);
        using var start = TrainingState.Start(net.Init(RandomKey.FromSeed(1)), options);
        using var end = trainer.Run(start);
        var result = Evaluator.Evaluate(NetworkModel.Of(net), end.Parameters, test, batchSize: 256, CpuBackend.Default);
        Console.WriteLine($"test error {result.Top1Error:P1}");
        // end
        return result;
    }

    public static GradientCheckResult CustomOp()
    {
        // guide:custom-op
        // softplus(x) = log(1 + eˣ), with its derivative eˣ / (1 + eˣ) written by hand.
        static Tensor Softplus(Tensor x) => Ops.Custom("softplus", [x],
            forward: xs =>
            {
                using var scope = TensorScope.Begin();     // releases the temporaries, keeps the result
                return scope.Keep(Ops.Log(Ops.Exp(xs[0]) + 1f));
            },
            backward: (xs, y, g) =>
            {
                using var scope = TensorScope.Begin();
                var e = Ops.Exp(xs[0]);
                return [scope.Keep(g * (e / (e + 1f)))];
            });

        var check = GradientCheck.Run(xs => Softplus(xs[0]), [Tensor.Normal(RandomKey.FromSeed(2), new Shape(4, 5))]);
        Console.WriteLine(check);                           // gradients agree: max error 3.27E-006 ≤ 1.00E-002
        // end
        return check;
    }

    public static Network CustomLayer()
    {
        // guide:custom-layer-use
        LayerKinds.Register<ConvReluBlock>();                    // only needed to save it (network JSON)
        var net = Net.Input(1, 28, 28).Add(new ConvReluBlock("block1", 8, 3)).MaxPool(2, 2).Flatten().Dense("out", 10).Build();
        // end
        return net;
    }
}

// guide:dataset
/// <summary>Points in the plane, labelled by the ring they lie on; training jitters each point.</summary>
public sealed class Rings(float[] points, int[] labels) : IDataset
{
    public int Count => labels.Length;
    public Shape ExampleShape { get; } = new(2);
    public IReadOnlyList<string> ClassNames { get; } = ["inner", "outer"];
    public int Label(int index) => labels[index];
    public void Read(int index, Span<float> destination) => points.AsSpan(2 * index, 2).CopyTo(destination);

    // Optional: the augmentation. The key is the example's own for this epoch, so runs are reproducible.
    public void ReadTraining(int index, RandomKey key, Span<float> destination)
    {
        Read(index, destination);
        destination[0] += 0.05f * key.Normal(0);
        destination[1] += 0.05f * key.Normal(1);
    }
}
// end

// guide:custom-layer
/// <summary>A 3×3-style convolution followed by ReLU as one layer kind, made of existing steps.</summary>
public sealed record ConvReluBlock(string Name, int Out, int Kernel) : Layer(Name)
{
    private Conv Conv => new(Name, Out, Kernel, Pad: Kernel / 2, Initializer: Initializer.He);

    /// <inheritdoc/>
    public override Shape OutputShape(Shape input) => Conv.OutputShape(input);

    /// <inheritdoc/>
    public override IReadOnlyList<ParameterSpec> ParameterSpecs(Shape input) => Conv.ParameterSpecs(input);

    /// <inheritdoc/>
    protected override void Lower(Lowering to)
    {
        to.Emit(new ConvStep(Conv.WeightName, Conv.BiasName, Kernel, Stride: 1, Pad: Kernel / 2), Conv.OutputShape(to.Input));
        to.Emit(new ReluStep());
    }
}
// end
