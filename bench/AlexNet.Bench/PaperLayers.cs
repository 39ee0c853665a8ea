using AlexNet.Autograd.Kernels;

namespace AlexNet.Bench;

/// <summary>The five convolutions, three poolings and two LRNs of the paper's AlexNet (227×227 input, two towers as groups).</summary>
internal static class PaperLayers
{
    /// <summary>conv1..conv5 at a batch size, with their names.</summary>
    public static (string Name, ConvGeometry Geometry)[] Convs(int batch) =>
    [
        ("conv1", new ConvGeometry(batch, 3, 227, 227, 96, 11, 11, 4, 4, 0, 0, 1)),
        ("conv2", new ConvGeometry(batch, 96, 27, 27, 256, 5, 5, 1, 1, 2, 2, 2)),
        ("conv3", new ConvGeometry(batch, 256, 13, 13, 384, 3, 3, 1, 1, 1, 1, 1)),
        ("conv4", new ConvGeometry(batch, 384, 13, 13, 384, 3, 3, 1, 1, 1, 1, 2)),
        ("conv5", new ConvGeometry(batch, 384, 13, 13, 256, 3, 3, 1, 1, 1, 1, 2)),
    ];

    /// <summary>
    /// conv1..conv5 of <c>Presets.AlexNetFashion</c> (28×28 grey input, widths 32-64-96-96-64, two towers as groups; conv1
    /// and conv3 read both towers' inputs), the network the training sample uses by default.
    /// </summary>
    public static (string Name, ConvGeometry Geometry)[] FashionConvs(int batch) =>
    [
        ("conv1", new ConvGeometry(batch, 1, 28, 28, 32, 3, 3, 1, 1, 1, 1, 1)),
        ("conv2", new ConvGeometry(batch, 32, 13, 13, 64, 5, 5, 1, 1, 2, 2, 2)),
        ("conv3", new ConvGeometry(batch, 64, 6, 6, 96, 3, 3, 1, 1, 1, 1, 1)),
        ("conv4", new ConvGeometry(batch, 96, 6, 6, 96, 3, 3, 1, 1, 1, 1, 2)),
        ("conv5", new ConvGeometry(batch, 96, 6, 6, 64, 3, 3, 1, 1, 1, 1, 2)),
    ];

    /// <summary>Overlapping 3×3 stride-2 pooling over a feature map.</summary>
    public static PoolGeometry Pool(int batch, int channels, int size) => new(batch, channels, size, size, 3, 3, 2, 2, 0, 0);

    /// <summary>The paper's LRN (k = 2, n = 5, α = 1e-4, β = 0.75) over a feature map.</summary>
    public static LrnGeometry Lrn(int batch, int channels, int size) => new(batch, channels, size, size, 5, 1e-4f, 0.75f, 2f);
}
