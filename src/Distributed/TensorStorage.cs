using AlexNet.Autograd;
using AlexNet.Autograd.Cpu;

namespace AlexNet.Distributed;

/// <summary>Reaches the storage of a tensor that a collective may overwrite, with the checks every communicator makes.</summary>
internal static class TensorStorage
{
    /// <summary>Refuses a tensor recorded on a tape: overwriting it would change a value a gradient depends on.</summary>
    /// <exception cref="ArgumentException">The tensor is recorded on a tape.</exception>
    public static void RequireWritable(Tensor tensor, string operation)
    {
        ArgumentNullException.ThrowIfNull(tensor);
        if (tensor.Tape is not null)
            throw new ArgumentException($"{operation} overwrites its tensor; pass a tensor you own (a copy, an optimiser's weights), not one recorded on a tape.", nameof(tensor));
    }

    /// <summary>The host array behind a CPU tensor (its first <see cref="Tensor.Count"/> elements are the tensor), or
    /// null for a tensor on another device.</summary>
    public static float[]? HostArray(Tensor tensor) => tensor.Buffer is CpuBuffer cpu ? cpu.Array : null;

    /// <summary>Overwrites a tensor on any device with <paramref name="values"/> (one upload and one device copy).</summary>
    public static void Overwrite(Tensor tensor, ReadOnlySpan<float> values)
    {
        if (HostArray(tensor) is { } array)
        {
            values[..tensor.Count].CopyTo(array);
            return;
        }
        using var staged = tensor.Backend.Upload(values[..tensor.Count]);
        tensor.Backend.Copy(staged, tensor.Buffer, tensor.Count);
    }

    /// <summary>Checks a root rank.</summary>
    /// <exception cref="ArgumentOutOfRangeException">It is not in 0 … size − 1.</exception>
    public static void RequireRoot(int root, int size)
    {
        if (root < 0 || root >= size)
            throw new ArgumentOutOfRangeException(nameof(root), root, $"The root must be a rank, 0 … {size - 1}.");
    }
}
