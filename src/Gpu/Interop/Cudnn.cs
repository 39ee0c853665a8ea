using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using AlexNet.Gpu.Loading;

namespace AlexNet.Gpu.Interop;

/// <summary>
/// Bindings to cuDNN 9 through its shim <c>libcudnn.so.9</c> (legacy imperative API: tensors, filters, convolution,
/// pooling, LRN). <see cref="GpuLibraries.EnsureLoaded"/> must have loaded every sub-library first.
/// </summary>
internal static unsafe partial class Cudnn
{
    private const string Library = CudaLibrarySets.Cudnn;

    /// <summary><c>CUDNN_DATA_FLOAT</c>.</summary>
    public const int DataFloat = 0;
    /// <summary><c>CUDNN_TENSOR_NCHW</c>.</summary>
    public const int TensorNchw = 0;
    /// <summary><c>CUDNN_CROSS_CORRELATION</c>.</summary>
    public const int CrossCorrelation = 1;
    /// <summary><c>CUDNN_TENSOR_OP_MATH</c>.</summary>
    public const int TensorOpMath = 1;
    /// <summary><c>CUDNN_FMA_MATH</c>: FP32 without tensor cores (no TF32).</summary>
    public const int FmaMath = 3;
    /// <summary><c>CUDNN_POOLING_MAX_DETERMINISTIC</c>.</summary>
    public const int PoolingMaxDeterministic = 3;
    /// <summary><c>CUDNN_POOLING_AVERAGE_COUNT_INCLUDE_PADDING</c>.</summary>
    public const int PoolingAverageIncludePadding = 1;
    /// <summary><c>CUDNN_NOT_PROPAGATE_NAN</c>.</summary>
    public const int NotPropagateNan = 0;
    /// <summary><c>CUDNN_PROPAGATE_NAN</c>.</summary>
    public const int PropagateNan = 1;
    /// <summary><c>CUDNN_LRN_CROSS_CHANNEL_DIM1</c>.</summary>
    public const int LrnCrossChannel = 0;
    /// <summary><c>CUDNN_DETERMINISTIC</c>.</summary>
    public const int Deterministic = 1;
    /// <summary><c>CUDNN_STATUS_SUCCESS</c>.</summary>
    public const int StatusSuccess = 0;

    [LibraryImport(Library)] internal static partial nuint cudnnGetVersion();
    [LibraryImport(Library)] internal static partial nuint cudnnGetCudartVersion();
    [LibraryImport(Library)] internal static partial nint cudnnGetErrorString(int status);
    [LibraryImport(Library)] internal static partial void cudnnGetLastErrorString(byte* message, nuint maxSize);
    [LibraryImport(Library)] internal static partial int cudnnGraphVersionCheck();
    [LibraryImport(Library)] internal static partial int cudnnOpsVersionCheck();
    [LibraryImport(Library)] internal static partial int cudnnCnnVersionCheck();
    [LibraryImport(Library)] internal static partial int cudnnCreate(out nint handle);
    [LibraryImport(Library)] internal static partial int cudnnDestroy(nint handle);
    [LibraryImport(Library)] internal static partial int cudnnSetStream(nint handle, nint stream);

    [LibraryImport(Library)] internal static partial int cudnnCreateTensorDescriptor(out nint descriptor);
    [LibraryImport(Library)] internal static partial int cudnnDestroyTensorDescriptor(nint descriptor);
    [LibraryImport(Library)]
    internal static partial int cudnnSetTensor4dDescriptor(nint descriptor, int format, int dataType, int n, int c, int h, int w);
    [LibraryImport(Library)] internal static partial int cudnnCreateFilterDescriptor(out nint descriptor);
    [LibraryImport(Library)] internal static partial int cudnnDestroyFilterDescriptor(nint descriptor);
    [LibraryImport(Library)]
    internal static partial int cudnnSetFilter4dDescriptor(nint descriptor, int dataType, int format, int k, int c, int h, int w);
    [LibraryImport(Library)]
    internal static partial int cudnnAddTensor(nint handle, float* alpha, nint aDesc, nint a, float* beta, nint cDesc, nint c);

    [LibraryImport(Library)] internal static partial int cudnnCreateConvolutionDescriptor(out nint descriptor);
    [LibraryImport(Library)] internal static partial int cudnnDestroyConvolutionDescriptor(nint descriptor);
    [LibraryImport(Library)]
    internal static partial int cudnnSetConvolution2dDescriptor(nint descriptor, int padH, int padW, int strideH, int strideW,
        int dilationH, int dilationW, int mode, int computeType);
    [LibraryImport(Library)] internal static partial int cudnnSetConvolutionGroupCount(nint descriptor, int groups);
    [LibraryImport(Library)] internal static partial int cudnnSetConvolutionMathType(nint descriptor, int mathType);
    [LibraryImport(Library)]
    internal static partial int cudnnGetConvolution2dForwardOutputDim(nint convDesc, nint xDesc, nint wDesc, out int n, out int c, out int h, out int w);

    [LibraryImport(Library)] internal static partial int cudnnGetConvolutionForwardAlgorithmMaxCount(nint handle, out int count);
    [LibraryImport(Library)]
    internal static partial int cudnnFindConvolutionForwardAlgorithm(nint handle, nint xDesc, nint wDesc, nint convDesc, nint yDesc,
        int requested, out int returned, ConvolutionAlgoPerf* results);
    [LibraryImport(Library)]
    internal static partial int cudnnGetConvolutionForwardAlgorithm_v7(nint handle, nint xDesc, nint wDesc, nint convDesc, nint yDesc,
        int requested, out int returned, ConvolutionAlgoPerf* results);
    [LibraryImport(Library)]
    internal static partial int cudnnGetConvolutionForwardWorkspaceSize(nint handle, nint xDesc, nint wDesc, nint convDesc, nint yDesc,
        int algo, out nuint bytes);
    [LibraryImport(Library)]
    internal static partial int cudnnConvolutionForward(nint handle, float* alpha, nint xDesc, nint x, nint wDesc, nint w, nint convDesc,
        int algo, nint workspace, nuint workspaceBytes, float* beta, nint yDesc, nint y);

    [LibraryImport(Library)] internal static partial int cudnnGetConvolutionBackwardDataAlgorithmMaxCount(nint handle, out int count);
    [LibraryImport(Library)]
    internal static partial int cudnnFindConvolutionBackwardDataAlgorithm(nint handle, nint wDesc, nint dyDesc, nint convDesc, nint dxDesc,
        int requested, out int returned, ConvolutionAlgoPerf* results);
    [LibraryImport(Library)]
    internal static partial int cudnnGetConvolutionBackwardDataAlgorithm_v7(nint handle, nint wDesc, nint dyDesc, nint convDesc, nint dxDesc,
        int requested, out int returned, ConvolutionAlgoPerf* results);
    [LibraryImport(Library)]
    internal static partial int cudnnGetConvolutionBackwardDataWorkspaceSize(nint handle, nint wDesc, nint dyDesc, nint convDesc, nint dxDesc,
        int algo, out nuint bytes);
    [LibraryImport(Library)]
    internal static partial int cudnnConvolutionBackwardData(nint handle, float* alpha, nint wDesc, nint w, nint dyDesc, nint dy, nint convDesc,
        int algo, nint workspace, nuint workspaceBytes, float* beta, nint dxDesc, nint dx);

    [LibraryImport(Library)] internal static partial int cudnnGetConvolutionBackwardFilterAlgorithmMaxCount(nint handle, out int count);
    [LibraryImport(Library)]
    internal static partial int cudnnFindConvolutionBackwardFilterAlgorithm(nint handle, nint xDesc, nint dyDesc, nint convDesc, nint dwDesc,
        int requested, out int returned, ConvolutionAlgoPerf* results);
    [LibraryImport(Library)]
    internal static partial int cudnnGetConvolutionBackwardFilterAlgorithm_v7(nint handle, nint xDesc, nint dyDesc, nint convDesc, nint dwDesc,
        int requested, out int returned, ConvolutionAlgoPerf* results);
    [LibraryImport(Library)]
    internal static partial int cudnnGetConvolutionBackwardFilterWorkspaceSize(nint handle, nint xDesc, nint dyDesc, nint convDesc, nint dwDesc,
        int algo, out nuint bytes);
    [LibraryImport(Library)]
    internal static partial int cudnnConvolutionBackwardFilter(nint handle, float* alpha, nint xDesc, nint x, nint dyDesc, nint dy, nint convDesc,
        int algo, nint workspace, nuint workspaceBytes, float* beta, nint dwDesc, nint dw);
    [LibraryImport(Library)]
    internal static partial int cudnnConvolutionBackwardBias(nint handle, float* alpha, nint dyDesc, nint dy, float* beta, nint dbDesc, nint db);

    [LibraryImport(Library)] internal static partial int cudnnCreatePoolingDescriptor(out nint descriptor);
    [LibraryImport(Library)] internal static partial int cudnnDestroyPoolingDescriptor(nint descriptor);
    [LibraryImport(Library)]
    internal static partial int cudnnSetPooling2dDescriptor(nint descriptor, int mode, int nanOption, int windowH, int windowW,
        int padH, int padW, int strideH, int strideW);
    [LibraryImport(Library)]
    internal static partial int cudnnGetPooling2dForwardOutputDim(nint poolDesc, nint xDesc, out int n, out int c, out int h, out int w);
    [LibraryImport(Library)]
    internal static partial int cudnnPoolingForward(nint handle, nint poolDesc, float* alpha, nint xDesc, nint x, float* beta, nint yDesc, nint y);
    [LibraryImport(Library)]
    internal static partial int cudnnPoolingBackward(nint handle, nint poolDesc, float* alpha, nint yDesc, nint y, nint dyDesc, nint dy,
        nint xDesc, nint x, float* beta, nint dxDesc, nint dx);

    [LibraryImport(Library)] internal static partial int cudnnCreateLRNDescriptor(out nint descriptor);
    [LibraryImport(Library)] internal static partial int cudnnDestroyLRNDescriptor(nint descriptor);
    [LibraryImport(Library)]
    internal static partial int cudnnSetLRNDescriptor(nint descriptor, uint n, double alpha, double beta, double k);
    [LibraryImport(Library)]
    internal static partial int cudnnLRNCrossChannelForward(nint handle, nint lrnDesc, int mode, float* alpha, nint xDesc, nint x,
        float* beta, nint yDesc, nint y);
    [LibraryImport(Library)]
    internal static partial int cudnnLRNCrossChannelBackward(nint handle, nint lrnDesc, int mode, float* alpha, nint yDesc, nint y,
        nint dyDesc, nint dy, nint xDesc, nint x, float* beta, nint dxDesc, nint dx);

    /// <summary>Throws a <see cref="CudnnException"/> naming the call when <paramref name="status"/> is not CUDNN_STATUS_SUCCESS.</summary>
    public static void Check(int status, [CallerArgumentExpression(nameof(status))] string call = "")
    {
        if (status == 0) return;
        throw new CudnnException(CallName.Of(call), status, Describe(status));
    }

    /// <summary>cuDNN's text for a status plus its last detailed error message, when it has one.</summary>
    public static string Describe(int status)
    {
        string text;
        try
        {
            text = Marshal.PtrToStringUTF8(cudnnGetErrorString(status)) ?? $"cudnnStatus {status}";
        }
        catch (Exception e) when (e is DllNotFoundException or EntryPointNotFoundException)
        {
            return $"cudnnStatus {status}";
        }
        try
        {
            const int size = 1024;
            byte* buffer = stackalloc byte[size];
            buffer[0] = 0;
            cudnnGetLastErrorString(buffer, size);
            buffer[size - 1] = 0;
            var detail = Marshal.PtrToStringUTF8((nint)buffer);
            if (!string.IsNullOrWhiteSpace(detail)) text += " (" + detail.Trim() + ")";
        }
        catch (EntryPointNotFoundException)
        {
            // cudnnGetLastErrorString exists from cuDNN 9 on; without it the status text is all there is.
        }
        return text;
    }
}
