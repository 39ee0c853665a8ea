using AlexNet.Autograd.Kernels;

namespace AlexNet.Autograd;

/// <summary>
/// The closed set of differentiable primitives. Each lives in its own file under <c>Primitives/</c> with its backward
/// rule beside its forward; everything else (layers, losses, optimisers) is composed from them.
/// </summary>
/// <remarks>
/// An operation records on a tape when one of its inputs is watched (see <see cref="Tape"/>); otherwise it records
/// nothing and its result belongs to the caller. All inputs of one operation must live on the same backend: move data
/// with <see cref="To"/> explicitly.
/// </remarks>
public static partial class Ops
{
    /// <summary>The common backend of the inputs.</summary>
    /// <exception cref="ArgumentException">Inputs live on different devices.</exception>
    private static IBackend BackendOf(string op, params ReadOnlySpan<Tensor> inputs)
    {
        var b = inputs[0].Backend;
        foreach (var t in inputs)
        {
            _ = t.Buffer; // throws a clear ObjectDisposedException for a released input
            if (!ReferenceEquals(t.Backend, b))
                throw new ArgumentException($"{op}: inputs live on different devices ({b.Name} and {t.Backend.Name}); move one with Ops.To(tensor, backend) first.");
        }
        return b;
    }

    /// <summary>Throws an ArgumentException naming the operation and the shapes involved.</summary>
    private static ArgumentException ShapeError(string op, string problem, params Tensor[] inputs) =>
        new($"{op}: {problem} (shapes {string.Join(", ", inputs.Select(t => t.Shape.ToString()))}).");

    private static DeviceBuffer Alloc(IBackend backend, Shape shape) => backend.Allocate(shape.Count);
}
