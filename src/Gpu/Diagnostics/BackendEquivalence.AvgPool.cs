using AlexNet.Autograd.Kernels;

namespace AlexNet.Gpu.Diagnostics;

internal static partial class BackendEquivalence
{
    /// <summary>cuDNN average pooling (padding counted) against the CPU: the sums run in another order, so a few ulps.</summary>
    private static void AvgPoolCase(BackendPair p)
    {
        (string Name, PoolGeometry G)[] geometries =
        [
            ("3x3/2", new PoolGeometry(2, 4, 13, 13, 3, 3, 2, 2, 0, 0)),
            ("2x2/2", new PoolGeometry(2, 2, 8, 8, 2, 2, 2, 2, 0, 0)),
            ("3x3/1 pad 1", new PoolGeometry(1, 2, 6, 7, 3, 3, 1, 1, 1, 1)),
            ("5x5/3 pad 2", new PoolGeometry(2, 3, 11, 9, 5, 5, 3, 3, 2, 2)),
        ];
        int seed = 900;
        foreach (var (name, g) in geometries)
        {
            var x = p.Random(g.InputCount, seed++);
            var y = p.Output(g.OutputCount);
            p.Run((b, t) => b.AvgPool2dForward(t[0], t[1], g), x, y);
            p.Compare(name + " forward", y, g.OutputCount, 1e-6, 1e-5);
            var dy = p.Random(g.OutputCount, seed++);
            var dx = p.Output(g.InputCount);
            p.Run((b, t) => b.AvgPool2dBackward(t[0], t[1], g), dy, dx);
            p.Compare(name + " backward", dx, g.InputCount, 1e-6, 1e-5);
        }
    }

    /// <summary>The NVRTC adaptive average pooling against the CPU: both sum in the same order, so the bits agree.</summary>
    private static void AdaptiveAvgPoolCase(BackendPair p)
    {
        (string Name, AdaptivePoolGeometry G)[] geometries =
        [
            ("13x13 to 6x6 (overlapping windows)", new AdaptivePoolGeometry(2, 4, 13, 13, 6, 6)),
            ("6x6 to 6x6 (identity)", new AdaptivePoolGeometry(2, 3, 6, 6, 6, 6)),
            ("1x1 to 6x6 (torchvision AlexNet at 64x64)", new AdaptivePoolGeometry(2, 5, 1, 1, 6, 6)),
            ("3x5 to 7x2", new AdaptivePoolGeometry(1, 3, 3, 5, 7, 2)),
        ];
        int seed = 950;
        foreach (var (name, g) in geometries)
        {
            var x = p.Random(g.InputCount, seed++);
            var y = p.Output(g.OutputCount);
            p.Run((b, t) => b.AdaptiveAvgPool2dForward(t[0], t[1], g), x, y);
            p.Compare(name + " forward", y, g.OutputCount, 0, 0);
            var dy = p.Random(g.OutputCount, seed++);
            var dx = p.Output(g.InputCount);
            p.Run((b, t) => b.AdaptiveAvgPool2dBackward(t[0], t[1], g), dy, dx);
            p.Compare(name + " backward", dx, g.InputCount, 0, 0);
        }
    }
}
