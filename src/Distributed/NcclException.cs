namespace AlexNet.Distributed;

/// <summary>An NCCL call returned an error (<c>ncclResult_t</c> other than <c>ncclSuccess</c>).</summary>
public sealed class NcclException : DistributedException
{
    /// <summary>Creates the exception.</summary>
    /// <param name="call">The NCCL function, e.g. <c>ncclAllReduce</c>.</param>
    /// <param name="code">Its result code.</param>
    /// <param name="text">NCCL's text for the code (<c>ncclGetErrorString</c>).</param>
    public NcclException(string call, int code, string text) : base($"{call} failed with NCCL error {code}: {text}")
    {
        Call = call;
        Code = code;
    }

    /// <summary>The NCCL function that failed.</summary>
    public string Call { get; }

    /// <summary>Its result code.</summary>
    public int Code { get; }
}
