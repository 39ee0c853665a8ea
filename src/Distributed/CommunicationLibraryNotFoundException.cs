namespace AlexNet.Distributed;

/// <summary>The native library of a communication engine (Open MPI's <c>libmpi</c>, NVIDIA's <c>libnccl</c>) could not
/// be loaded, or is not the implementation these bindings are written for.</summary>
public sealed class CommunicationLibraryNotFoundException : DistributedException
{
    /// <summary>Creates the exception.</summary>
    /// <param name="library">The library, e.g. <c>libmpi.so.40</c>.</param>
    /// <param name="fix">How to install or point to it.</param>
    /// <param name="searched">Every path or soname tried, with the loader's error.</param>
    public CommunicationLibraryNotFoundException(string library, string fix, IReadOnlyList<string> searched)
        : base($"Could not load {library}. {fix} Searched:" + Environment.NewLine + string.Join(Environment.NewLine, searched.Select(s => "  " + s)))
    {
        Library = library;
        Searched = searched;
    }

    /// <summary>The library that could not be loaded.</summary>
    public string Library { get; }

    /// <summary>Every path or soname tried, in order.</summary>
    public IReadOnlyList<string> Searched { get; }
}
