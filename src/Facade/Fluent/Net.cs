using AlexNet.Autograd;

namespace AlexNet.Facade;

/// <summary>
/// Entry point of the fluent model API: <c>Net.Input(3, 227, 227).Conv("conv1", 96, 11, stride: 4).Relu().Lrn()...Build()</c>.
/// The builder only assembles the immutable layer records of <c>AlexNet.Layers</c>; <see cref="NetBuilder.Build"/>
/// validates them with <see cref="AlexNet.Layers.Network.Create"/>.
/// </summary>
public static class Net
{
    /// <summary>Starts a network on images of <paramref name="channels"/>×<paramref name="height"/>×<paramref name="width"/>.</summary>
    /// <exception cref="ArgumentException">A size is below 1.</exception>
    public static NetBuilder Input(int channels, int height, int width) => Input(new Shape(channels, height, width));

    /// <summary>Starts a network on flat vectors of <paramref name="features"/> values.</summary>
    /// <exception cref="ArgumentException">The size is below 1.</exception>
    public static NetBuilder Input(int features) => Input(new Shape(features));

    private static NetBuilder Input(Shape shape)
    {
        if (shape.Dims.Any(d => d < 1)) throw new ArgumentException($"Every input size must be ≥ 1; got {shape}.", nameof(shape));
        return new NetBuilder(shape, []);
    }
}
