namespace AlexNet.Distributed;

/// <summary>An MPI call returned an error code (the communicator's error handler is set to return codes, not abort).</summary>
public sealed class MpiException : DistributedException
{
    /// <summary>Creates the exception.</summary>
    /// <param name="call">The MPI function, e.g. <c>MPI_Allreduce</c>.</param>
    /// <param name="code">Its return code.</param>
    /// <param name="text">MPI's text for the code (<c>MPI_Error_string</c>).</param>
    public MpiException(string call, int code, string text) : base($"{call} failed with MPI error {code}: {text}")
    {
        Call = call;
        Code = code;
    }

    /// <summary>The MPI function that failed.</summary>
    public string Call { get; }

    /// <summary>Its return code.</summary>
    public int Code { get; }
}
