namespace AlexNet.Distributed;

/// <summary>Base class of every error raised by the communicators and their native bindings.</summary>
public class DistributedException : Exception
{
    /// <summary>Creates the exception with a message.</summary>
    public DistributedException(string message) : base(message) { }

    /// <summary>Creates the exception with a message and the error that caused it.</summary>
    public DistributedException(string message, Exception inner) : base(message, inner) { }
}
