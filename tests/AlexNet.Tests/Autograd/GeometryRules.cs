using AlexNet.Autograd;
using AlexNet.Autograd.Kernels;
using Xunit;

namespace AlexNet.Tests.Autograd;

/// <summary>
/// The geometries each rule refuses, with a fragment the message must contain, and the edge geometries it accepts.
/// Shared by the tests of the rule itself, of <c>Ops</c>, and of every CPU and CUDA kernel entry, so that all of them
/// are held to the one rule.
/// </summary>
internal static class GeometryRules
{
    public static readonly (ConvGeometry Geometry, string Fragment)[] BadConvolutions =
    [
        (new(-1, 3, 5, 5, 4, 3, 3, 1, 1, 0, 0, 1), "batch"),
        (new(1, 0, 5, 5, 4, 3, 3, 1, 1, 0, 0, 1), "channel"),
        (new(1, 3, 0, 5, 4, 3, 3, 1, 1, 1, 1, 1), "row"),
        (new(1, 3, 5, 5, 0, 3, 3, 1, 1, 0, 0, 1), "output channel"),
        (new(1, 3, 5, 5, 4, 0, 3, 1, 1, 0, 0, 1), "1×1"),
        (new(1, 3, 5, 5, 4, 3, 3, 0, 0, 0, 0, 1), "stride"),
        (new(1, 3, 5, 5, 4, 3, 3, 1, 1, -1, -1, 1), "padding"),
        (new(1, 3, 5, 5, 4, 3, 3, 1, 1, 0, 0, 0), "groups"),
        (new(1, 3, 5, 5, 4, 3, 3, 1, 1, 0, 0, 2), "divide"),
        (new(1, 3, 2, 2, 4, 3, 3, 1, 1, 0, 0, 1), "larger than the padded input"),
        (new(70_000, 3, 128, 128, 4, 3, 3, 1, 1, 0, 0, 1), "elements"),
    ];

    /// <summary>Edges the rule accepts: an empty batch, a kernel exactly as large as the padded input, padding larger
    /// than the kernel (convolution allows it, as PyTorch).</summary>
    public static readonly ConvGeometry[] EdgeConvolutions =
    [
        new(0, 3, 5, 5, 4, 3, 3, 1, 1, 1, 1, 1),
        new(1, 2, 1, 1, 2, 3, 3, 1, 1, 1, 1, 2),
        new(1, 1, 2, 2, 1, 1, 1, 1, 1, 2, 2, 1),
    ];

    public static readonly (PoolGeometry Geometry, string Fragment)[] BadPoolings =
    [
        (new(-1, 1, 5, 5, 3, 3, 2, 2, 0, 0), "batch"),
        (new(1, 0, 5, 5, 3, 3, 2, 2, 0, 0), "channel"),
        (new(1, 1, 5, 0, 1, 1, 1, 1, 0, 0), "column"),
        (new(1, 1, 5, 5, 0, 3, 2, 2, 0, 0), "1×1"),
        (new(1, 1, 5, 5, 3, 3, 0, 1, 0, 0), "stride"),
        (new(1, 1, 5, 5, 3, 3, 1, 1, -1, 0), "padding"),
        (new(1, 1, 5, 5, 3, 3, 1, 1, 2, 2), "half the 3×3 window"), // the case Ops refused, the CPU ran and CUDA accepted
        (new(1, 1, 5, 5, 2, 2, 1, 1, 0, 2), "half the 2×2 window"),
        (new(1, 1, 2, 2, 5, 5, 1, 1, 0, 0), "larger than the padded input"),
        (new(70_000, 300, 128, 128, 2, 2, 2, 2, 0, 0), "elements"),
    ];

    /// <summary>Edges the rule accepts: an empty batch, padding of exactly half the window (odd and even windows), a
    /// window as large as the padded input.</summary>
    public static readonly PoolGeometry[] EdgePoolings =
    [
        new(0, 2, 5, 5, 3, 3, 2, 2, 0, 0),
        new(1, 1, 4, 4, 3, 3, 1, 1, 1, 1),
        new(1, 1, 3, 3, 2, 2, 1, 1, 1, 1),
        new(1, 1, 1, 1, 3, 3, 1, 1, 1, 1),
    ];

    public static readonly (LrnGeometry Geometry, string Fragment)[] BadLrns =
    [
        (new(-1, 4, 3, 3, 5, 1e-4f, 0.75f, 2f), "batch"),
        (new(1, 0, 3, 3, 5, 1e-4f, 0.75f, 2f), "channel"), // the case the CPU accepted and CUDA refused
        (new(1, 4, 0, 3, 5, 1e-4f, 0.75f, 2f), "row"),
        (new(1, 4, 3, 3, 4, 1e-4f, 0.75f, 2f), "odd"),
        (new(1, 4, 3, 3, 0, 1e-4f, 0.75f, 2f), "odd"),
        (new(1, 4, 3, 3, 5, -1e-4f, 0.75f, 2f), "α"),
        (new(1, 4, 3, 3, 5, 1e-4f, float.NaN, 2f), "β"),
        (new(1, 4, 3, 3, 5, 1e-4f, 0.75f, float.PositiveInfinity), "finite"),
        (new(70_000, 300, 128, 128, 5, 1e-4f, 0.75f, 2f), "elements"),
    ];

    /// <summary>Edges the rule accepts: an empty batch, one channel with a wider window, n = 1, k = 0.</summary>
    public static readonly LrnGeometry[] EdgeLrns =
    [
        new(0, 4, 3, 3, 5, 1e-4f, 0.75f, 2f),
        new(1, 1, 2, 2, 5, 0.3f, 0.75f, 2f),
        new(2, 3, 2, 2, 1, 0.3f, 0.75f, 1f),
        new(1, 3, 2, 2, 3, 0.3f, 0.75f, 0f),
    ];

    /// <summary>The case numbers, as xUnit theory data (its parameters must be serialisable).</summary>
    public static TheoryData<int> Indices(int count)
    {
        var data = new TheoryData<int>();
        for (int i = 0; i < count; i++) data.Add(i);
        return data;
    }

    /// <summary>Asserts an <see cref="ArgumentException"/> whose message contains <paramref name="fragment"/>.</summary>
    public static void Refuses(Action call, string fragment, string entry)
    {
        var e = Assert.ThrowsAny<ArgumentException>(call);
        Assert.True(e.Message.Contains(fragment, StringComparison.Ordinal), $"{entry}: message \"{e.Message}\" does not name \"{fragment}\".");
    }

    /// <summary>Every kernel entry of <paramref name="backend"/> that takes a convolution geometry, called with one-element buffers.</summary>
    public static IEnumerable<(string Entry, Action Call)> ConvEntries(IBackend backend, ConvGeometry g, DeviceBuffer b) =>
    [
        ("Conv2dForward", () => backend.Conv2dForward(b, b, b, b, g)),
        ("Conv2dBackwardData", () => backend.Conv2dBackwardData(b, b, b, g)),
        ("Conv2dBackwardFilter", () => backend.Conv2dBackwardFilter(b, b, b, g)),
        ("Conv2dBackwardBias", () => backend.Conv2dBackwardBias(b, b, g)),
    ];

    /// <summary>Every kernel entry of <paramref name="backend"/> that takes a pooling geometry.</summary>
    public static IEnumerable<(string Entry, Action Call)> PoolEntries(IBackend backend, PoolGeometry g, DeviceBuffer b) =>
    [
        ("MaxPool2dForward", () => backend.MaxPool2dForward(b, b, g)),
        ("MaxPool2dBackward", () => backend.MaxPool2dBackward(b, b, b, b, g)),
    ];

    /// <summary>Every kernel entry of <paramref name="backend"/> that takes an LRN geometry.</summary>
    public static IEnumerable<(string Entry, Action Call)> LrnEntries(IBackend backend, LrnGeometry g, DeviceBuffer b) =>
    [
        ("LrnForward", () => backend.LrnForward(b, b, g)),
        ("LrnBackward", () => backend.LrnBackward(b, b, b, b, g)),
    ];
}
