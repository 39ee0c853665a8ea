using System.Runtime.CompilerServices;
using AlexNet.Autograd.Kernels;

namespace AlexNet.Autograd.Cpu;

/// <summary>
/// The CPU implementation of <see cref="IBackend"/>: pooled pinned host buffers, SIMD kernels and all cores.
/// It is the reference every other backend is tested against.
/// </summary>
/// <remarks>Kernels run synchronously: when a call returns its work is done, so <see cref="Synchronize"/> is a no-op.</remarks>
public sealed partial class CpuBackend : IBackend
{
    private static readonly Lazy<CpuBackend> s_default = new(() => new CpuBackend());
    private readonly BufferPool _pool = new();
    private readonly ParallelOptions _parallel;

    /// <summary>Creates a CPU backend.</summary>
    /// <param name="threads">Worker threads for parallel kernels; <see cref="Environment.ProcessorCount"/> when null.</param>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="threads"/> is less than 1.</exception>
    public CpuBackend(int? threads = null)
    {
        int t = threads ?? Environment.ProcessorCount;
        ArgumentOutOfRangeException.ThrowIfLessThan(t, 1, nameof(threads));
        Threads = t;
        _parallel = new ParallelOptions { MaxDegreeOfParallelism = t };
    }

    /// <summary>The shared instance used when a caller names no backend (created on first use).</summary>
    public static CpuBackend Default => s_default.Value;

    /// <summary>Number of worker threads the kernels use.</summary>
    public int Threads { get; }

    /// <summary>The GEMM micro-kernel behind GEMM and convolution: the fastest the hardware has (tests pick each one).</summary>
    internal GemmPath Path { get; init; } = PackedGemm.Best;

    /// <inheritdoc/>
    public string Name => "cpu";

    /// <inheritdoc/>
    public MemoryStats Memory => _pool.Stats;

    /// <inheritdoc/>
    public void ResetPeak() => _pool.ResetPeak();

    /// <inheritdoc/>
    DeviceBuffer IBackend.Allocate(int length)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(length);
        return Rent(length);
    }

    /// <inheritdoc/>
    DeviceBuffer IBackend.Upload(ReadOnlySpan<float> data)
    {
        var buffer = Rent(data.Length);
        data.CopyTo(buffer.Array);
        return buffer;
    }

    /// <inheritdoc/>
    void IBackend.Download(DeviceBuffer source, Span<float> destination)
    {
        var s = Cpu(source, destination.Length);
        s.Array.AsSpan(0, destination.Length).CopyTo(destination);
    }

    /// <inheritdoc/>
    public void Synchronize()
    {
    }

    /// <inheritdoc/>
    void IBackend.Fill(DeviceBuffer destination, int count, float value)
    {
        var d = Cpu(destination, count).Array;
        For(count, 1 << 16, (s, e) => d.AsSpan(s, e - s).Fill(value));
    }

    /// <inheritdoc/>
    void IBackend.Copy(DeviceBuffer source, DeviceBuffer destination, int count)
    {
        var s = Cpu(source, count).Array;
        var d = Cpu(destination, count).Array;
        s.AsSpan(0, count).CopyTo(d);
    }

    /// <inheritdoc/>
    void IBackend.FillUniform(DeviceBuffer destination, int count, RandomKey key, float low, float high)
    {
        var d = Cpu(destination, count).Array;
        float range = high - low;
        For(count, 1 << 14, (s, e) =>
        {
            for (int i = s; i < e; i++) d[i] = low + range * key.Uniform(i);
        });
    }

    /// <inheritdoc/>
    void IBackend.FillNormal(DeviceBuffer destination, int count, RandomKey key, float mean, float std)
    {
        var d = Cpu(destination, count).Array;
        For(count, 1 << 12, (s, e) =>
        {
            for (int i = s; i < e; i++) d[i] = mean + std * key.Normal(i);
        });
    }

    /// <summary>Drops the pooled arrays; live buffers stay valid.</summary>
    public void Dispose() => _pool.Clear();

    internal CpuBuffer Rent(int length) => new(this, _pool.Rent(length));

    internal void Return(float[] array) => _pool.Return(array);

    /// <summary>
    /// Runs <paramref name="body"/> over [0, count) split into at most <see cref="Threads"/> contiguous ranges of at least
    /// <paramref name="grain"/> items; inline when one range suffices (small work is not worth a thread hop).
    /// </summary>
    internal void For(int count, int grain, Action<int, int> body)
    {
        if (count <= 0) return;
        int chunks = (int)Math.Min(Threads, (count + (long)grain - 1) / Math.Max(grain, 1));
        if (chunks <= 1)
        {
            body(0, count);
            return;
        }
        Parallel.For(0, chunks, _parallel, c => body((int)((long)count * c / chunks), (int)((long)count * (c + 1) / chunks)));
    }

    /// <summary>Checks that <paramref name="buffer"/> is live CPU storage with at least <paramref name="needed"/> elements.</summary>
    /// <exception cref="ArgumentException">It belongs to another device or is too short.</exception>
    /// <exception cref="ObjectDisposedException">It was disposed.</exception>
    internal static CpuBuffer Cpu(DeviceBuffer buffer, long needed, [CallerArgumentExpression(nameof(buffer))] string name = "")
    {
        ArgumentNullException.ThrowIfNull(buffer, name);
        if (buffer is not CpuBuffer cpu)
            throw new ArgumentException($"Buffer '{name}' lives on {buffer.Backend.Name}, not on the CPU; transfer it explicitly.", name);
        ObjectDisposedException.ThrowIf(cpu.IsDisposed, cpu);
        if (needed < 0 || cpu.Length < needed)
            throw new ArgumentException($"Buffer '{name}' has {cpu.Length} elements but the call needs {needed}.", name);
        return cpu;
    }
}
