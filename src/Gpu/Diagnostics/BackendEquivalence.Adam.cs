using AlexNet.Autograd.Kernels;

namespace AlexNet.Gpu.Diagnostics;

internal static partial class BackendEquivalence
{
    /// <summary>Three fused Adam (or AdamW) steps from non-zero moments: the same per-element arithmetic on both
    /// sides, IEEE square root and division, so only a few ulps apart.</summary>
    private static void AdamCase(BackendPair p, bool decoupled)
    {
        const int n = 10_009;
        var w = p.Random(n, decoupled ? 810 : 800);
        var g = p.Random(n, decoupled ? 811 : 801);
        var m = p.Random(n, decoupled ? 812 : 802, -0.1f, 0.1f);
        var v = p.Random(n, decoupled ? 813 : 803, 0f, 0.01f);
        for (long step = 1; step <= 3; step++)
        {
            var c = AdamCoefficients.ForStep(1e-3f, 0.9f, 0.999f, 1e-8f, 0.01f, decoupled, step);
            p.Run((b, t) => b.AdamUpdate(t[0], t[1], t[2], t[3], n, c), w, g, m, v);
        }
        p.Compare("w after 3 steps", w, n, 1e-7, 1e-6);
        p.Compare("m after 3 steps", m, n, 1e-7, 1e-6);
        p.Compare("v after 3 steps", v, n, 1e-7, 1e-6);
    }
}
