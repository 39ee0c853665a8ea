using AlexNet.Autograd;
using AlexNet.Autograd.Cpu;
using AlexNet.Autograd.Kernels;

namespace AlexNet.Bench;

/// <summary>
/// The paper's convolutional stack (conv1 relu lrn pool, conv2 relu lrn pool, conv3 relu, conv4 relu, conv5 relu pool)
/// forward and backward through the kernels, as a training step would run it (no input gradient for conv1).
/// </summary>
internal static class StackBench
{
    /// <summary>Prints forward, backward and images per second.</summary>
    public static void Run(CpuBackend backend, int batch, int repeats)
    {
        var convs = PaperLayers.Convs(batch).Select(c => c.Geometry).ToArray();
        var buffers = new List<DeviceBuffer>();
        DeviceBuffer New(int length)
        {
            var b = backend.Allocate(length);
            backend.Fill(b, length, 0f);
            buffers.Add(b);
            return b;
        }
        // Per conv: input, weights, bias, pre-activation output (after relu in place of a separate buffer), grads.
        var x = convs.Select(g => New(g.InputCount)).ToArray();
        var w = convs.Select(g => New(g.WeightCount)).ToArray();
        var bias = convs.Select(g => New(g.OutChannels)).ToArray();
        var y = convs.Select(g => New(g.OutputCount)).ToArray();
        var dy = convs.Select(g => New(g.OutputCount)).ToArray();
        var dx = convs.Select(g => New(g.InputCount)).ToArray();
        var dw = convs.Select(g => New(g.WeightCount)).ToArray();
        var db = convs.Select(g => New(g.OutChannels)).ToArray();
        var key = RandomKey.FromSeed(3);
        backend.FillUniform(x[0], convs[0].InputCount, key, 0f, 1f);
        for (int i = 0; i < 5; i++) backend.FillNormal(w[i], convs[i].WeightCount, key.Fold((ulong)i), 0f, 0.01f);
        var lrn1 = PaperLayers.Lrn(batch, 96, 55);
        var lrn2 = PaperLayers.Lrn(batch, 256, 27);
        var pool1 = PaperLayers.Pool(batch, 96, 55);
        var pool2 = PaperLayers.Pool(batch, 256, 27);
        var pool5 = PaperLayers.Pool(batch, 256, 13);
        var n1 = New(lrn1.Count);
        var n2 = New(lrn2.Count);
        var p5 = New(pool5.OutputCount);
        var dp5 = New(pool5.OutputCount);
        var dn1 = New(lrn1.Count);
        var dn2 = New(lrn2.Count);
        backend.FillUniform(dp5, pool5.OutputCount, key.Fold(9), -1f, 1f);

        void Forward()
        {
            backend.Conv2dForward(x[0], w[0], bias[0], y[0], convs[0]);
            backend.Unary(UnaryKernel.Relu, y[0], y[0], convs[0].OutputCount);
            backend.LrnForward(y[0], n1, lrn1);
            backend.MaxPool2dForward(n1, x[1], pool1);
            backend.Conv2dForward(x[1], w[1], bias[1], y[1], convs[1]);
            backend.Unary(UnaryKernel.Relu, y[1], y[1], convs[1].OutputCount);
            backend.LrnForward(y[1], n2, lrn2);
            backend.MaxPool2dForward(n2, x[2], pool2);
            for (int i = 2; i < 5; i++)
            {
                backend.Conv2dForward(x[i], w[i], bias[i], y[i], convs[i]);
                backend.Unary(UnaryKernel.Relu, y[i], i < 4 ? x[i + 1] : y[i], convs[i].OutputCount);
            }
            backend.MaxPool2dForward(y[4], p5, pool5);
        }

        void Backward()
        {
            backend.MaxPool2dBackward(y[4], p5, dp5, dy[4], pool5);
            for (int i = 4; i >= 2; i--)
            {
                var activation = i < 4 ? x[i + 1] : y[i];
                if (i < 4) backend.ReluBackward(activation, dx[i + 1], dy[i], convs[i].OutputCount);
                else backend.ReluBackward(activation, dy[i], dy[i], convs[i].OutputCount);
                ConvBackward(i, true);
            }
            backend.MaxPool2dBackward(n2, x[2], dx[2], dn2, pool2);
            backend.LrnBackward(y[1], n2, dn2, dy[1], lrn2);
            backend.ReluBackward(y[1], dy[1], dy[1], convs[1].OutputCount);
            ConvBackward(1, true);
            backend.MaxPool2dBackward(n1, x[1], dx[1], dn1, pool1);
            backend.LrnBackward(y[0], n1, dn1, dy[0], lrn1);
            backend.ReluBackward(y[0], dy[0], dy[0], convs[0].OutputCount);
            ConvBackward(0, false);
        }

        void ConvBackward(int i, bool data)
        {
            if (data) backend.Conv2dBackwardData(dy[i], w[i], dx[i], convs[i]);
            backend.Conv2dBackwardFilter(x[i], dy[i], dw[i], convs[i]);
            backend.Conv2dBackwardBias(dy[i], db[i], convs[i]);
        }

        double f = Timing.BestMilliseconds(Forward, repeats);
        double b = Timing.BestMilliseconds(() => { Forward(); Backward(); }, repeats) - f;
        Console.WriteLine($"Conv stack (5 convs + relu + LRN + pools), batch {batch}, best of {repeats}");
        Console.WriteLine($"forward {f:F0} ms, backward {b:F0} ms, step {f + b:F0} ms: {batch * 1000.0 / (f + b):F1} img/s (forward only {batch * 1000.0 / f:F1} img/s)");
        Console.WriteLine();
        foreach (var buffer in buffers) buffer.Dispose();
    }
}
