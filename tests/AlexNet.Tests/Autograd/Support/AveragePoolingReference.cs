namespace AlexNet.Tests.Autograd.Support;

/// <summary>Float64 references of average pooling, written straight from PyTorch's definitions.</summary>
internal static class AveragePoolingReference
{
    /// <summary>AvgPool2d with count_include_pad=True, ceil_mode=False: the window's in-bounds sum divided by kernel².</summary>
    public static Nd AvgPool2d(Nd x, int kernel, int stride, int pad)
    {
        int n = x.Shape[0], c = x.Shape[1], h = x.Shape[2], w = x.Shape[3];
        int oh = (h + 2 * pad - kernel) / stride + 1, ow = (w + 2 * pad - kernel) / stride + 1;
        var y = new Nd([n, c, oh, ow]);
        for (int b = 0; b < n; b++)
            for (int ch = 0; ch < c; ch++)
                for (int i = 0; i < oh; i++)
                    for (int j = 0; j < ow; j++)
                    {
                        double sum = 0;
                        for (int p = 0; p < kernel; p++)
                            for (int q = 0; q < kernel; q++)
                            {
                                int hi = i * stride + p - pad, wi = j * stride + q - pad;
                                if (hi >= 0 && hi < h && wi >= 0 && wi < w) sum += x[b, ch, hi, wi];
                            }
                        y[b, ch, i, j] = sum / (kernel * kernel);
                    }
        return y;
    }

    /// <summary>AdaptiveAvgPool2d: output (i, j) is the mean of rows [⌊iH/oh⌋, ⌈(i+1)H/oh⌉) × columns [⌊jW/ow⌋, ⌈(j+1)W/ow⌉),
    /// computed here with floating-point floor and ceiling, independently of the integer formulas under test.</summary>
    public static Nd AdaptiveAvgPool2d(Nd x, int oh, int ow)
    {
        int n = x.Shape[0], c = x.Shape[1], h = x.Shape[2], w = x.Shape[3];
        var y = new Nd([n, c, oh, ow]);
        for (int b = 0; b < n; b++)
            for (int ch = 0; ch < c; ch++)
                for (int i = 0; i < oh; i++)
                    for (int j = 0; j < ow; j++)
                    {
                        int h0 = (int)Math.Floor((double)i * h / oh), h1 = (int)Math.Ceiling((double)(i + 1) * h / oh);
                        int w0 = (int)Math.Floor((double)j * w / ow), w1 = (int)Math.Ceiling((double)(j + 1) * w / ow);
                        double sum = 0;
                        for (int p = h0; p < h1; p++)
                            for (int q = w0; q < w1; q++) sum += x[b, ch, p, q];
                        y[b, ch, i, j] = sum / ((h1 - h0) * (w1 - w0));
                    }
        return y;
    }
}
