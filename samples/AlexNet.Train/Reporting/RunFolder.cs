namespace AlexNet.Train.Reporting;

/// <summary>
/// Checks a run's output folder before training starts, so that a folder that cannot be written, or an output name
/// taken by a folder, stops the command at once instead of after the first epoch; and removes the temporary files an
/// interrupted run left behind (every output is written to a temporary file and renamed).
/// </summary>
internal static class RunFolder
{
    /// <summary>The files a run writes in its folder.</summary>
    public static IReadOnlyList<string> Outputs { get; } = ["last.ckpt", "best.ckpt", "metrics.csv", "metrics.jsonl", "loss.png", "error.png", "conv1.png"];

    /// <summary>The file whose lock marks the folder as in use by a training process.</summary>
    public const string LockName = ".alexnet-train.lock";

    /// <summary>Creates the folder if needed, checks that it can be written and that no output name is a folder, takes
    /// the folder's lock (so that two runs never write one folder), and deletes stale temporary files of earlier runs.</summary>
    /// <param name="folder">The run folder.</param>
    /// <param name="removed">The number of stale temporary files removed.</param>
    /// <returns>The lock; dispose it when the run ends (the operating system releases it if the process dies).</returns>
    /// <exception cref="Cli.CliException">The folder cannot be created or written, an output name is a folder, or
    /// another process trains in it.</exception>
    public static IDisposable Prepare(string folder, out int removed)
    {
        if (File.Exists(folder)) throw new Cli.CliException($"--output '{folder}' is a file; the run folder must be a folder (choose another --output).", 2);
        try
        {
            Directory.CreateDirectory(folder);
            var probe = Path.Combine(folder, $".write-test.{Guid.NewGuid():N}.tmp");
            using (new FileStream(probe, FileMode.CreateNew, FileAccess.Write, FileShare.None, 1, FileOptions.DeleteOnClose)) { }
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            throw new Cli.CliException($"Cannot write to the run folder '{folder}': {Cli.CliApp.Message(e)} Choose another --output.");
        }
        foreach (var name in Outputs)
        {
            var path = Path.Combine(folder, name);
            if (Directory.Exists(path))
                throw new Cli.CliException($"'{path}' is a folder, so the run could not write its {name}; remove or rename it, or choose another --output.");
        }
        FileStream held;
        try
        {
            held = new FileStream(Path.Combine(folder, LockName), FileMode.OpenOrCreate, FileAccess.ReadWrite, FileShare.None);
        }
        catch (IOException)
        {
            throw new Cli.CliException($"Another alexnet train is writing to '{folder}'; wait for it to end or choose another --output.");
        }
        removed = 0;
        foreach (var file in Directory.EnumerateFiles(folder).Where(IsStaleTemporary))
        {
            try
            {
                File.Delete(file);
                removed++;
            }
            catch (Exception e) when (e is IOException or UnauthorizedAccessException)
            {
                // Left for the next run: a file we cannot delete does not stop this one.
            }
        }
        return held;
    }

    /// <summary>True for the temporary files the run's writers use: <c>.&lt;output&gt;.&lt;id&gt;.tmp</c> (checkpoints),
    /// <c>&lt;output&gt;.tmp</c> and <c>&lt;output&gt;.tmp.png</c> (logs and images), and the write probe.</summary>
    private static bool IsStaleTemporary(string path)
    {
        var name = Path.GetFileName(path);
        if (name.StartsWith(".write-test.", StringComparison.Ordinal) && name.EndsWith(".tmp", StringComparison.Ordinal)) return true;
        return Outputs.Any(o => name == o + ".tmp" || name == o + ".tmp.png"
                                || (name.StartsWith("." + o + ".", StringComparison.Ordinal) && name.EndsWith(".tmp", StringComparison.Ordinal)));
    }
}
