using System.Runtime.InteropServices;
using System.Text;
using AlexNet.Autograd.Kernels;
using AlexNet.Gpu.Interop;
using AlexNet.Gpu.Interop.Handles;
using AlexNet.Gpu.Kernels;

namespace AlexNet.Gpu;

/// <summary>
/// The kernel contract on one NVIDIA GPU: cuDNN for convolution, pooling and LRN, cuBLAS for GEMM, NVRTC-compiled
/// kernels for everything elementwise, all ordered on one stream.
/// </summary>
/// <remarks>
/// Not thread-safe: use one backend from one thread at a time (buffers may be disposed from any thread). The backend
/// makes its device's primary context current on whichever thread calls it. TF32 is off unless
/// <see cref="CudaBackendOptions.AllowTf32"/> is set, so results match the CPU backend to FP32 rounding.
/// </remarks>
public sealed partial class CudaBackend : IBackend
{
    [ThreadStatic] private static nint t_currentContext;

    private readonly int _deviceIndex;
    private readonly int _device;
    private readonly nint _context;
    private readonly CudaBackendOptions _options;
    private readonly CudaMemoryPool _pool;
    private readonly CudaStream _stream;
    private readonly CublasHandle _cublas;
    private readonly CudnnHandle _cudnn;
    private readonly KernelModule _kernels;
    private readonly nint _streamValue;
    private bool _disposed;

    /// <summary>Opens device <paramref name="deviceIndex"/>: loads the libraries, compiles the kernels, creates the handles.</summary>
    /// <param name="deviceIndex">CUDA device ordinal.</param>
    /// <param name="options">Settings; defaults when null.</param>
    /// <exception cref="GpuLibraryNotFoundException">A CUDA library could not be loaded.</exception>
    /// <exception cref="ArgumentOutOfRangeException">No device has that ordinal.</exception>
    /// <exception cref="GpuException">A CUDA call failed while setting up.</exception>
    public CudaBackend(int deviceIndex = 0, CudaBackendOptions? options = null)
    {
        GpuLibraries.EnsureLoaded();
        _options = options ?? new CudaBackendOptions();
        CudaRuntime.Check(CudaRuntime.cudaGetDeviceCount(out int count));
        if (deviceIndex < 0 || deviceIndex >= count)
        {
            throw new ArgumentOutOfRangeException(nameof(deviceIndex), deviceIndex, $"There are {count} CUDA devices.");
        }
        _deviceIndex = deviceIndex;
        Name = $"cuda:{deviceIndex}";
        _pool = new CudaMemoryPool(Name);
        CudaRuntime.Check(CudaRuntime.cudaSetDevice(deviceIndex));
        CudaRuntime.Check(CudaRuntime.cudaFree(0));
        CudaDriver.Check(CudaDriver.cuInit(0));
        CudaDriver.Check(CudaDriver.cuDeviceGet(out _device, deviceIndex));
        CudaDriver.Check(CudaDriver.cuDevicePrimaryCtxRetain(out _context, _device));
        try
        {
            CudaDriver.Check(CudaDriver.cuCtxSetCurrent(_context));
            t_currentContext = _context;
            CheckCudnnSubLibraries();
            _stream = CudaStream.Create();
            _streamValue = _stream.Value;
            _cublas = CublasHandle.Create(_streamValue, _options.AllowTf32 ? Cublas.Tf32TensorOpMath : Cublas.DefaultMath);
            _cudnn = CudnnHandle.Create(_streamValue);
            CudaRuntime.Check(CudaRuntime.cudaDeviceGetAttribute(out int major, CudaRuntime.DevAttrComputeCapabilityMajor, deviceIndex));
            CudaRuntime.Check(CudaRuntime.cudaDeviceGetAttribute(out int minor, CudaRuntime.DevAttrComputeCapabilityMinor, deviceIndex));
            _kernels = KernelModule.Load(major, minor);
            Device = QueryDevice(major, minor);
        }
        catch
        {
            _kernels?.Dispose();
            _cudnn?.Dispose();
            _cublas?.Dispose();
            _stream?.Dispose();
            CudaDriver.cuDevicePrimaryCtxRelease_v2(_device);
            throw;
        }
    }

    /// <inheritdoc/>
    public string Name { get; }

    /// <summary>The device and library versions.</summary>
    public CudaDeviceInfo Device { get; }

    /// <summary>The settings this backend runs with.</summary>
    public CudaBackendOptions Options => _options;

    /// <inheritdoc/>
    public MemoryStats Memory => _pool.Stats;

    /// <summary>Bytes held from the device for buffers (live and cached, rounded to buckets) plus the cuDNN workspace.</summary>
    public long ReservedBytes => _pool.ReservedBytes + _workspaceBytes;

    /// <summary>Bytes of the shared cuDNN workspace.</summary>
    public long WorkspaceBytes => _workspaceBytes;

    /// <inheritdoc/>
    public void ResetPeak() => _pool.ResetPeak();

    /// <summary>This backend seen as its kernel contract: the kernels are explicit interface members (out of a user's
    /// IntelliSense), so one kernel calling another goes through this view.</summary>
    private IBackend Kernels => this;

    /// <summary>Returns cached (not live) device blocks to the driver.</summary>
    public void ReleaseCachedMemory()
    {
        EnsureCurrent();
        Synchronize();
        _pool.ReleaseCached();
    }

    /// <inheritdoc/>
    DeviceBuffer IBackend.Allocate(int length)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(length);
        EnsureCurrent();
        long bytes = (long)length * sizeof(float);
        nint pointer = _pool.Rent(bytes, out long bucket);
        return new CudaBuffer(this, _pool, length, pointer, bucket);
    }

    /// <inheritdoc/>
    unsafe DeviceBuffer IBackend.Upload(ReadOnlySpan<float> data)
    {
        var buffer = Kernels.Allocate(data.Length);
        if (data.Length == 0) return buffer;
        try
        {
            fixed (float* p = data)
            {
                CudaRuntime.Check(CudaRuntime.cudaMemcpyAsync(Ptr(buffer, data.Length, nameof(data)), (nint)p,
                    (nuint)((long)data.Length * sizeof(float)), CudaRuntime.MemcpyHostToDevice, _streamValue));
            }
            return buffer;
        }
        catch
        {
            buffer.Dispose();
            throw;
        }
    }

    /// <inheritdoc/>
    unsafe void IBackend.Download(DeviceBuffer source, Span<float> destination)
    {
        EnsureCurrent();
        var src = Ptr(source, destination.Length, nameof(source));
        if (destination.Length > 0)
        {
            fixed (float* p = destination)
            {
                CudaRuntime.Check(CudaRuntime.cudaMemcpyAsync((nint)p, src, (nuint)((long)destination.Length * sizeof(float)),
                    CudaRuntime.MemcpyDeviceToHost, _streamValue));
            }
        }
        _stream.Synchronize();
    }

    /// <inheritdoc/>
    public void Synchronize()
    {
        EnsureCurrent();
        _stream.Synchronize();
    }

    /// <inheritdoc/>
    public void Dispose()
    {
        if (_disposed) return;
        try
        {
            CudaDriver.cuCtxSetCurrent(_context);
            t_currentContext = _context;
            CudaRuntime.cudaSetDevice(_deviceIndex);
            CudaRuntime.cudaStreamSynchronize(_streamValue);
            DisposePlans();
            FreeWorkspace();
            _pool.Close();
            _kernels.Dispose();
            _cudnn.Dispose();
            _cublas.Dispose();
            _stream.Dispose();
        }
        finally
        {
            _disposed = true;
            CudaDriver.cuDevicePrimaryCtxRelease_v2(_device);
            t_currentContext = 0;
        }
    }

    /// <summary>
    /// Makes this backend's context current on the calling thread and returns its stream, for a collective library
    /// (NCCL) that enqueues its work behind this backend's kernels.
    /// </summary>
    internal nint CurrentStream()
    {
        EnsureCurrent();
        return _streamValue;
    }

    /// <summary>Makes this backend's context current on the calling thread.</summary>
    private void EnsureCurrent()
    {
        ObjectDisposedException.ThrowIf(_disposed, this);
        if (t_currentContext == _context) return;
        CudaDriver.Check(CudaDriver.cuCtxSetCurrent(_context));
        CudaRuntime.Check(CudaRuntime.cudaSetDevice(_deviceIndex));
        t_currentContext = _context;
    }

    /// <summary>The device address of <paramref name="buffer"/>, checking that it is this backend's, alive and long enough.</summary>
    private nint Ptr(DeviceBuffer buffer, long count, string name)
    {
        ArgumentNullException.ThrowIfNull(buffer, name);
        if (buffer is not CudaBuffer cuda || !ReferenceEquals(buffer.Backend, this))
        {
            throw new ArgumentException($"{name} lives on {buffer.Backend.Name}, not on {Name}; transfer it explicitly.", name);
        }
        if (cuda.IsDisposed) throw new ArgumentException($"{name} was already disposed.", name);
        if (count > cuda.Length)
        {
            throw new ArgumentException($"{name} has {cuda.Length} elements; the kernel needs {count}.", name);
        }
        return cuda.Pointer;
    }

    private static void CheckCudnnSubLibraries()
    {
        // Each check verifies that the sub-library loaded by the shim has the shim's version; a mismatch here
        // (CUDNN_STATUS_SUBLIBRARY_VERSION_MISMATCH) is the mixed-install problem of gpu-interop.md §7.3.
        try
        {
            Cudnn.Check(Cudnn.cudnnGraphVersionCheck());
            Cudnn.Check(Cudnn.cudnnOpsVersionCheck());
            Cudnn.Check(Cudnn.cudnnCnnVersionCheck());
        }
        catch (EntryPointNotFoundException)
        {
            // Pre-9 cuDNN has no version checks; the loader already verified the files.
        }
    }

    private unsafe CudaDeviceInfo QueryDevice(int major, int minor)
    {
        var name = new byte[256];
        fixed (byte* p = name) CudaDriver.Check(CudaDriver.cuDeviceGetName(p, name.Length, _device));
        int len = Array.IndexOf(name, (byte)0);
        CudaRuntime.Check(CudaRuntime.cudaDeviceGetAttribute(out int sms, CudaRuntime.DevAttrMultiProcessorCount, _deviceIndex));
        CudaRuntime.Check(CudaRuntime.cudaMemGetInfo(out _, out var total));
        CudaRuntime.Check(CudaRuntime.cudaDriverGetVersion(out int driver));
        CudaRuntime.Check(CudaRuntime.cudaRuntimeGetVersion(out int runtime));
        Cublas.Check(Cublas.cublasGetVersion_v2(_cublas.Value, out int cublas));
        Nvrtc.Check(Nvrtc.nvrtcVersion(out int nvMajor, out int nvMinor));
        return new CudaDeviceInfo(_deviceIndex, Encoding.UTF8.GetString(name, 0, len < 0 ? name.Length : len), $"{major}.{minor}", sms,
            (long)total, driver, runtime, (long)Cudnn.cudnnGetVersion(), cublas, $"{nvMajor}.{nvMinor}", _kernels.Architecture);
    }
}
