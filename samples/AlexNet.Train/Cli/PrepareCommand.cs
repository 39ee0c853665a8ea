using System.CommandLine;
using AlexNet.Facade;
using AlexNet.Train.Reporting;

namespace AlexNet.Train.Cli;

/// <summary><c>alexnet prepare</c>: decodes an image folder's splits once into image stores (<see cref="ImageStore"/>)
/// that training streams from disk.</summary>
internal static class PrepareCommand
{
    /// <summary>The splits a prepared folder may hold, in the order they are prepared; train first, whose classes the
    /// others must have.</summary>
    public static IReadOnlyList<string> Splits { get; } = ["train", "val", "test"];

    /// <summary>The store file of a split inside a prepared folder.</summary>
    public static string StorePath(string folder, string split) => Path.Combine(folder, split + ".store");

    /// <summary>Builds the command.</summary>
    public static Command Create()
    {
        var data = new Option<string>("--data", "-d") { Description = "Folder with train/ and optionally val/ and test/ sub-folders of <class>/*.jpg|png", Required = true };
        var output = new Option<string>("--output", "-o") { Description = "Folder that receives train.store (and val.store, test.store)", Required = true };
        var size = new Option<int>("--size") { Description = "Side of the stored squares: shorter side scaled to it, centre kept", DefaultValueFactory = _ => 256 }
            .Require(v => v is >= 1 and <= 65535, "in [1, 65535]");
        var threads = new Option<int>("--threads") { Description = "Decoding threads (0: one per core)", DefaultValueFactory = _ => 0 }.AtLeast(0, " (0: one per core)");
        var command = new Command("prepare", "Decode an image folder once into image stores that training streams from disk") { data, output, size, threads };
        command.SetAction(parse => Run(parse.GetValue(data)!, parse.GetValue(output)!, parse.GetValue(size), parse.GetValue(threads), parse.InvocationConfiguration.Output));
        return command;
    }

    private static int Run(string data, string output, int size, int threads, TextWriter console)
    {
        if (File.Exists(output)) throw new CliException($"--output '{output}' is a file; prepare writes its stores into a folder.", 2);
        if (!Directory.Exists(data)) throw new CliException($"--data '{data}' is not a folder.", 2);
        if (!Directory.Exists(Path.Combine(data, "train")))
            throw new CliException($"'{data}' has no train/ sub-folder; prepare expects {data}/train/<class>/*.jpg|png (and optionally val/ and test/).");

        // List every split first, so a bad val/ or test/ stops the command before anything is decoded or replaced.
        var listings = new List<(string Split, ImageFolderListing Listing)>();
        foreach (var split in Splits)
        {
            var folder = Path.Combine(data, split);
            if (!Directory.Exists(folder)) continue;
            listings.Add((split, ImageFolderListing.Scan(folder, listings.Count == 0 ? null : listings[0].Listing.ClassNames)));
        }
        Directory.CreateDirectory(output);
        int workers = threads > 0 ? threads : Environment.ProcessorCount;
        console.WriteLine($"preparing {string.Join(", ", listings.Select(l => $"{l.Split} ({l.Listing.Files.Count:N0} files)"))} of {listings[0].Listing.ClassNames.Count} classes at {size}×{size} on {workers} threads into '{output}'");
        foreach (var (split, listing) in listings)
        {
            PreparedStore result;
            using (var progress = new PrepareProgress(split, listing.Files.Count, console))
                result = ImageStore.Prepare(listing, StorePath(output, split), size, threads, progress.Report);
            console.WriteLine($"{split}: {result.Count:N0} images, {result.Skipped.Count:N0} skipped, {result.Elapsed.TotalSeconds:F1} s, "
                            + $"{result.ImagesPerSecond:N0} images/s ({result.ImagesPerSecond / workers:N0} per thread) -> {result.Path}");
            foreach (var skipped in result.Skipped.Take(5)) console.WriteLine($"  skipped {split}/{skipped.Path}: {skipped.Reason}");
            if (result.Skipped.Count > 5) console.WriteLine($"  … and {result.Skipped.Count - 5:N0} more (listed in the store)");
        }
        return 0;
    }
}
