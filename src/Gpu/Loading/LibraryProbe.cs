using System.Runtime.InteropServices;

namespace AlexNet.Gpu.Loading;

/// <summary>
/// Loads a list of native libraries in order, each by full path from the first folder that has it, falling back to the
/// system loader's own search by soname. Loading by full path in dependency order lets later <c>dlopen</c> calls by
/// soname (cuDNN's shim loading its sub-libraries, NVRTC loading its builtins) find the already-loaded copies.
/// </summary>
internal static class LibraryProbe
{
    /// <summary>
    /// Loads every library of <paramref name="specs"/> in order and returns their handles by logical name.
    /// </summary>
    /// <param name="specs">Libraries in dependency order.</param>
    /// <param name="folders">Folders to try, in order; missing folders are skipped but still reported.</param>
    /// <param name="systemSearch">Whether to try the plain soname with the system loader after the folders.</param>
    /// <exception cref="GpuLibraryNotFoundException">A required library could not be loaded.</exception>
    public static Dictionary<string, nint> Load(IReadOnlyList<LibrarySpec> specs, IReadOnlyList<string> folders, bool systemSearch)
    {
        var handles = new Dictionary<string, nint>(StringComparer.Ordinal);
        var searched = new List<string>();
        var missing = new List<string>();
        foreach (var spec in specs)
        {
            var attempts = new List<string>();
            nint handle = TryLoad(spec, folders, systemSearch, attempts);
            if (handle != 0)
            {
                handles[spec.Name] = handle;
            }
            else if (spec.Required)
            {
                missing.Add(string.Join(" | ", spec.FileNames));
                searched.AddRange(attempts);
            }
        }
        if (missing.Count > 0) throw new GpuLibraryNotFoundException(missing, searched);
        return handles;
    }

    private static nint TryLoad(LibrarySpec spec, IReadOnlyList<string> folders, bool systemSearch, List<string> attempts)
    {
        foreach (var folder in folders)
        {
            if (!Directory.Exists(folder))
            {
                attempts.Add($"{folder}/ (folder does not exist) for {string.Join(", ", spec.FileNames)}");
                continue;
            }
            foreach (var fileName in spec.FileNames)
            {
                foreach (var path in Candidates(folder, fileName))
                {
                    if (!File.Exists(path))
                    {
                        attempts.Add($"{path} (no such file)");
                        continue;
                    }
                    nint h = LoadOne(path, attempts);
                    if (h != 0) return h;
                }
            }
        }
        if (systemSearch)
        {
            foreach (var fileName in spec.FileNames)
            {
                if (fileName.Contains('*')) continue;
                nint h = LoadOne(fileName, attempts);
                if (h != 0) return h;
            }
        }
        return 0;
    }

    private static IEnumerable<string> Candidates(string folder, string fileName)
    {
        if (!fileName.Contains('*')) return [Path.Combine(folder, fileName)];
        try
        {
            return Directory.EnumerateFiles(folder, fileName)
                .Where(p => !Path.GetFileName(p).Contains(".alt.", StringComparison.Ordinal))
                .OrderByDescending(p => p, StringComparer.Ordinal)
                .ToArray();
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            return [];
        }
    }

    private static nint LoadOne(string pathOrSoname, List<string> attempts)
    {
        try
        {
            return NativeLibrary.Load(pathOrSoname);
        }
        catch (Exception e) when (e is DllNotFoundException or BadImageFormatException)
        {
            attempts.Add($"{pathOrSoname} ({LoaderError(e.Message)})");
            return 0;
        }
    }

    /// <summary>The dynamic loader's own text (the last non-empty line of .NET's message, which starts with generic advice).</summary>
    private static string LoaderError(string message)
    {
        var lines = message.Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
        return lines.Length == 0 ? "load failed" : lines[^1];
    }
}
