using AlexNet.Autograd;
using AlexNet.Autograd.Cpu;
using AlexNet.Facade;
using AlexNet.Layers;

namespace AlexNet.Bench;

/// <summary>
/// Whole networks on the path a user takes: <see cref="Network.Apply(TensorMap, Tensor, Mode, RandomKey)"/> inside
/// <see cref="Autodiff.ValueAndGrad(Func{TensorMap, Tensor}, TensorMap)"/>, softmax cross-entropy and
/// <see cref="SgdMomentum"/> (momentum 0.9, weight decay 5e-4), as the peer's <c>run.sh alexnet</c> and
/// <c>run.sh small</c> time TorchSharp's forward, backward and <c>optim.SGD</c>.
/// </summary>
internal static class NetworkBench
{
    /// <summary>
    /// The peer's <c>small</c> network, layer for layer: conv 5×5 64, conv 5×5 128 (two groups), conv 3×3 192, 192 and
    /// 128 (the last two grouped), LRN after conv1 and conv2, three overlapping 3/2 max-pools, fc 512, 512, 10 with
    /// dropout 0.5; 28×28 grey input. <see cref="Presets.AlexNet"/> with these widths is exactly that wiring.
    /// </summary>
    public static Network PeerSmall() =>
        Presets.AlexNet(channels: 1, size: 28, classes: 10, conv1: 64, conv2: 128, conv3: 192, conv4: 192, conv5: 128, fc: 512,
                        conv1Kernel: 5, conv1Stride: 1, conv1Pad: 2, conv2Kernel: 5);

    /// <summary>Times training steps and inference of <paramref name="net"/> at <paramref name="batch"/>; prints one block.</summary>
    public static void Run(CpuBackend backend, string name, Network net, int batch, int repeats)
    {
        var root = RandomKeys.Root(1);
        var init = net.Init(RandomKeys.Initialisation(root), backend);
        using var optimizer = new SgdMomentum(init, 0.9f, 5e-4f);
        init.DisposeAll();
        var key = RandomKey.FromSeed(2012);
        int classes = net.OutputShape.Dims[^1];
        using var x = Tensor.Uniform(key.Fold(1), new Shape([batch, .. net.InputShape.Dims]), -1f, 1f, backend);
        using var y = Tensor.FromArray([.. Enumerable.Range(0, batch).Select(i => (float)(i * 7919 % classes))], new Shape(batch), backend);

        int step = 0;
        void TrainStep()
        {
            int s = step++;
            var (value, gradients) = Autodiff.ValueAndGrad(
                p => Ops.SoftmaxCrossEntropy(net.Apply(p, x, Mode.Train, RandomKeys.Dropout(root, 0, s)), y), optimizer.Parameters);
            value.Dispose();
            optimizer.Step(gradients, 0.01f);
            gradients.DisposeAll();
        }
        void Infer() => net.Apply(optimizer.Parameters, x, Mode.Eval, default).Dispose();

        double train = Timing.MeanMilliseconds(TrainStep, repeats);
        double infer = Timing.MeanMilliseconds(Infer, repeats);
        Console.WriteLine($"{name}: {net.ParameterCount:N0} parameters, batch {batch}, mean of {repeats} after one warm-up step, as the peer (Network.Apply + ValueAndGrad + SgdMomentum)");
        Console.WriteLine($"train step {train:F0} ms: {batch * 1000.0 / train:F1} img/s; inference {infer:F0} ms: {batch * 1000.0 / infer:F1} img/s");
        Console.WriteLine();
    }
}
