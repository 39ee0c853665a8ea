using AlexNet.Autograd;
using AlexNet.Autograd.Kernels;

namespace AlexNet.Gpu.Diagnostics;

internal static partial class BackendEquivalence
{
    private enum ConvPart { Forward, BackwardData, BackwardFilter, BackwardBias }

    /// <summary>Convolution geometries: AlexNet's conv1 shape scaled down, a grouped 5×5 (conv2), a 3×3 pad 1 (conv3..5).</summary>
    private static readonly (string Name, ConvGeometry G)[] ConvGeometries =
    [
        ("11x11/4 (conv1)", new ConvGeometry(2, 3, 35, 35, 8, 11, 11, 4, 4, 0, 0, 1)),
        ("5x5 pad 2 groups 2 (conv2)", new ConvGeometry(2, 8, 13, 13, 12, 5, 5, 1, 1, 2, 2, 2)),
        ("3x3 pad 1 (conv3)", new ConvGeometry(3, 16, 9, 9, 24, 3, 3, 1, 1, 1, 1, 1)),
        ("3x3 pad 1 groups 2 (conv4/5)", new ConvGeometry(2, 16, 7, 7, 16, 3, 3, 1, 1, 1, 1, 2)),
    ];

    private static void ConvCases(BackendPair p, ConvPart part)
    {
        int seed = 100;
        foreach (var (name, g) in ConvGeometries)
        {
            var x = p.Random(g.InputCount, seed++);
            var w = p.Random(g.WeightCount, seed++, -0.2f, 0.2f);
            var dy = p.Random(g.OutputCount, seed++);
            int fanIn = g.InChannelsPerGroup * g.KernelHeight * g.KernelWidth;
            switch (part)
            {
                case ConvPart.Forward:
                {
                    var bias = p.Random(g.OutChannels, seed++);
                    var y = p.Output(g.OutputCount);
                    p.Run((b, t) => b.Conv2dForward(t[0], t[1], t[2], t[3], g), x, w, bias, y);
                    p.Compare(name + " with bias", y, g.OutputCount, 2e-6 * Math.Sqrt(fanIn), 1e-4);
                    var y0 = p.Output(g.OutputCount);
                    p.Run((b, t) => b.Conv2dForward(t[0], t[1], null, t[2], g), x, w, y0);
                    p.Compare(name + " no bias", y0, g.OutputCount, 2e-6 * Math.Sqrt(fanIn), 1e-4);
                    break;
                }
                case ConvPart.BackwardData:
                {
                    var dx = p.Output(g.InputCount);
                    p.Run((b, t) => b.Conv2dBackwardData(t[0], t[1], t[2], g), dy, w, dx);
                    int fanOut = g.OutChannelsPerGroup * g.KernelHeight * g.KernelWidth;
                    p.Compare(name, dx, g.InputCount, 2e-6 * Math.Sqrt(fanOut), 1e-4);
                    break;
                }
                case ConvPart.BackwardFilter:
                {
                    var dw = p.Output(g.WeightCount);
                    p.Run((b, t) => b.Conv2dBackwardFilter(t[0], t[1], t[2], g), x, dy, dw);
                    int terms = g.Batch * g.OutHeight * g.OutWidth;
                    p.Compare(name, dw, g.WeightCount, 2e-6 * Math.Sqrt(terms), 1e-4);
                    break;
                }
                default:
                {
                    var db = p.Output(g.OutChannels);
                    p.Run((b, t) => b.Conv2dBackwardBias(t[0], t[1], g), dy, db);
                    int terms = g.Batch * g.OutHeight * g.OutWidth;
                    p.Compare(name, db, g.OutChannels, 2e-6 * Math.Sqrt(terms), 1e-4);
                    break;
                }
            }
        }
    }

    private static void PoolCase(BackendPair p)
    {
        (string Name, PoolGeometry G)[] geometries =
        [
            ("3x3/2 (AlexNet)", new PoolGeometry(2, 4, 13, 13, 3, 3, 2, 2, 0, 0)),
            ("3x3/2 on 27x27", new PoolGeometry(1, 3, 27, 27, 3, 3, 2, 2, 0, 0)),
            ("2x2/2", new PoolGeometry(2, 2, 8, 8, 2, 2, 2, 2, 0, 0)),
            ("3x3/1 pad 1", new PoolGeometry(1, 2, 6, 7, 3, 3, 1, 1, 1, 1)),
        ];
        int seed = 200;
        foreach (var (name, g) in geometries)
        {
            var x = p.Random(g.InputCount, seed++);
            var y = p.Output(g.OutputCount);
            p.Run((b, t) => b.MaxPool2dForward(t[0], t[1], g), x, y);
            p.Compare(name + " forward", y, g.OutputCount, 0, 0);
            var dy = p.Random(g.OutputCount, seed++);
            var dx = p.Output(g.InputCount);
            p.Run((b, t) => b.MaxPool2dBackward(t[0], t[1], t[2], t[3], g), x, y, dy, dx);
            p.Compare(name + " backward", dx, g.InputCount, 1e-6, 1e-6);
        }
    }

    private static void LrnCase(BackendPair p)
    {
        (string Name, LrnGeometry G, float Scale)[] geometries =
        [
            ("paper n=5 a=1e-4 b=0.75 k=2 (cuDNN)", new LrnGeometry(2, 16, 5, 6, 5, 1e-4f, 0.75f, 2f), 30f),
            ("n=3 a=0.05 b=0.5 k=1 (cuDNN)", new LrnGeometry(2, 7, 4, 4, 3, 0.05f, 0.5f, 1f), 3f),
            ("n=17, wider than cuDNN allows (NVRTC kernel)", new LrnGeometry(2, 20, 3, 5, 17, 0.02f, 0.75f, 2f), 3f),
            ("n=5 k=0 (NVRTC kernel)", new LrnGeometry(1, 6, 3, 3, 5, 0.1f, 0.75f, 0f), 3f),
        ];
        int seed = 300;
        foreach (var (name, g, scale) in geometries)
        {
            var x = p.Random(g.Count, seed++, -scale, scale);
            var y = p.Output(g.Count);
            p.Run((b, t) => b.LrnForward(t[0], t[1], g), x, y);
            p.Compare(name + " forward", y, g.Count, 1e-6 * scale, 1e-5);
            var dy = p.Random(g.Count, seed++);
            var dx = p.Output(g.Count);
            p.Run((b, t) => b.LrnBackward(t[0], t[1], t[2], t[3], g), x, y, dy, dx);
            p.Compare(name + " backward", dx, g.Count, 1e-5, 1e-4);
        }
    }

    private static void SoftmaxCase(BackendPair p, bool log)
    {
        foreach (var (rows, cols, scale) in new[] { (7, 1000, 10f), (33, 3, 50f), (2, 4097, 1f) })
        {
            var x = p.Random(rows * cols, rows + cols, -scale, scale);
            var y = p.Output(rows * cols);
            p.Run((b, t) => b.Softmax(t[0], t[1], rows, cols, log), x, y);
            p.Compare($"{rows}x{cols} forward", y, rows * cols, log ? 1e-5 * scale : 1e-7, 1e-5);
            var dy = p.Random(rows * cols, rows * cols);
            var dx = p.Output(rows * cols);
            p.Run((b, t) => b.SoftmaxBackward(t[0], t[1], t[2], rows, cols, log), y, dy, dx);
            p.Compare($"{rows}x{cols} backward", dx, rows * cols, 1e-5, 1e-4);
        }
    }

    private static void CrossEntropyCase(BackendPair p)
    {
        foreach (var (rows, cols, scale) in new[] { (16, 1000, 5f), (5, 10, 100f) })
        {
            var logits = p.Random(rows * cols, rows * 7 + cols, -scale, scale);
            var labelData = Enumerable.Range(0, rows).Select(r => (float)((r * 37 + 3) % cols)).ToArray();
            var labels = p.Upload(labelData);
            var loss = p.Output(rows);
            var probs = p.Output(rows * cols);
            p.Run((b, t) => b.SoftmaxCrossEntropyForward(t[0], t[1], t[2], t[3], rows, cols), logits, labels, loss, probs);
            p.Compare($"{rows}x{cols} loss", loss, rows, 1e-5 * scale, 1e-5);
            p.Compare($"{rows}x{cols} probabilities", probs, rows * cols, 1e-7, 1e-4);
            var dloss = p.Random(rows, 500);
            var dlogits = p.Output(rows * cols);
            p.Run((b, t) => b.SoftmaxCrossEntropyBackward(t[0], t[1], t[2], t[3], rows, cols), probs, labels, dloss, dlogits);
            p.Compare($"{rows}x{cols} dlogits", dlogits, rows * cols, 1e-7, 1e-4);
        }
    }

    private static void DropoutCase(BackendPair p)
    {
        const int n = 50_001;
        var key = RandomKey.FromSeed(9).Fold(3);
        foreach (var prob in new[] { 0.5f, 0.1f, 0f })
        {
            var x = p.Random(n, 600);
            var y = p.Output(n);
            var mask = p.Output(n);
            p.Run((b, t) => b.DropoutForward(t[0], t[1], t[2], n, prob, key), x, y, mask);
            p.Compare($"p={prob} mask", mask, n, 0, 0);
            p.Compare($"p={prob} y", y, n, 0, 0);
        }
    }

    private static void SgdCase(BackendPair p)
    {
        const int n = 10_007;
        var w = p.Random(n, 700);
        var g = p.Random(n, 701);
        var v = p.Random(n, 702, -0.1f, 0.1f);
        for (int step = 0; step < 3; step++)
        {
            p.Run((b, t) => b.SgdMomentumUpdate(t[0], t[1], t[2], n, 0.01f, 0.9f, 5e-4f), w, g, v);
        }
        p.Compare("w after 3 steps", w, n, 1e-7, 1e-6);
        p.Compare("v after 3 steps", v, n, 1e-7, 1e-6);
    }
}
