using AlexNet.Gpu;
using AlexNet.Gpu.Loading;
using Xunit;

namespace AlexNet.Tests.Gpu;

public sealed class LibraryLoadingTests : IDisposable
{
    private readonly string _folder = Directory.CreateTempSubdirectory("alexnet-gpu-probe-").FullName;

    public void Dispose() => Directory.Delete(_folder, recursive: true);

    [Fact]
    public void MissingLibraryInEmptyFolderThrowsTypedExceptionListingWhatWasSearched()
    {
        var spec = new LibrarySpec("alexnet-test-missing", ["libalexnet_does_not_exist.so.9"]);
        var e = Assert.Throws<GpuLibraryNotFoundException>(() => LibraryProbe.Load([spec], [_folder], systemSearch: true));
        Assert.Contains(Path.Combine(_folder, "libalexnet_does_not_exist.so.9"), e.Message);
        Assert.Contains("libalexnet_does_not_exist.so.9", e.Missing[0]);
        Assert.Contains(e.Searched, s => s.StartsWith("libalexnet_does_not_exist.so.9 (", StringComparison.Ordinal));
        Assert.Contains(GpuLibraries.PathVariable, e.Message);
    }

    [Fact]
    public void NonexistentFolderIsReportedNotFatal()
    {
        var nowhere = Path.Combine(_folder, "no-such-dir");
        var spec = new LibrarySpec("alexnet-test-missing", ["libalexnet_does_not_exist.so.9"]);
        var e = Assert.Throws<GpuLibraryNotFoundException>(() => LibraryProbe.Load([spec], [nowhere], systemSearch: false));
        Assert.Contains(nowhere, e.Message);
        Assert.Contains("folder does not exist", e.Message);
    }

    [Fact]
    public void CorruptCudnnSubLibraryIsReportedWithTheLoaderErrorInsteadOfAborting()
    {
        // A file that exists but is not a shared object: the loader error is captured, nothing is called into.
        var fake = Path.Combine(_folder, "libcudnn_graph.so.9");
        File.WriteAllText(fake, "not an ELF file");
        var e = Assert.Throws<GpuLibraryNotFoundException>(() => LibraryProbe.Load(CudaLibrarySets.CudnnSet, [_folder], systemSearch: false));
        Assert.Contains(e.Searched, s => s.StartsWith(fake + " (", StringComparison.Ordinal) && !s.EndsWith("(no such file)", StringComparison.Ordinal));
        Assert.Contains(e.Missing, m => m.Contains("libcudnn_cnn.so.9", StringComparison.Ordinal));
        Assert.DoesNotContain(e.Missing, m => m.Contains("libcudnn_adv.so.9", StringComparison.Ordinal));
    }

    [Fact]
    public void OptionalLibraryMayBeAbsent()
    {
        var spec = new LibrarySpec("alexnet-test-optional", ["libalexnet_optional.so.1"], Required: false);
        var handles = LibraryProbe.Load([spec], [_folder], systemSearch: false);
        Assert.Empty(handles);
    }

    [Fact]
    public void WildcardNamesAreMatchedInFoldersOnly()
    {
        var spec = new LibrarySpec("alexnet-test-builtins", ["libalexnet-builtins.so.13.*"]);
        var e = Assert.Throws<GpuLibraryNotFoundException>(() => LibraryProbe.Load([spec], [_folder], systemSearch: true));
        Assert.DoesNotContain(e.Searched, s => s.StartsWith("libalexnet-builtins.so.13.* (", StringComparison.Ordinal));
    }

    [Fact]
    public void ProbingTheRealLibrariesNeverCrashesAndExplainsAFailure()
    {
        bool loaded = GpuLibraries.TryEnsureLoaded(out var error);
        Assert.Equal(loaded, error is null);
        if (!loaded)
        {
            Assert.Contains("Searched:", error);
            Assert.Throws<GpuLibraryNotFoundException>(GpuLibraries.EnsureLoaded);
            Assert.False(GpuAvailability.IsAvailable);
            Assert.False(string.IsNullOrEmpty(GpuAvailability.Reason));
        }
    }

    [Fact]
    public void SearchFoldersIncludeTheEnvironmentVariableFirstAndThePipLayout()
    {
        var before = Environment.GetEnvironmentVariable(GpuLibraries.PathVariable);
        try
        {
            Environment.SetEnvironmentVariable(GpuLibraries.PathVariable, "/x/one:/x/two");
            var folders = GpuLibraries.SearchFolders();
            Assert.Equal("/x/one", folders[0]);
            Assert.Equal("/x/two", folders[1]);
            Assert.Contains("/opt/torch/.venv/lib/python3.12/site-packages/nvidia/cu13/lib", folders);
            Assert.Contains("/opt/torch/.venv/lib/python3.12/site-packages/nvidia/cudnn/lib", folders);
        }
        finally
        {
            Environment.SetEnvironmentVariable(GpuLibraries.PathVariable, before);
        }
    }
}
