namespace AlexNet.Facade;

/// <summary>
/// The image files of a folder tree <c>root/&lt;class&gt;/*.jpg|jpeg|png</c> and their labels, checked as a classification
/// split: class folders sorted ordinally, files within a class sorted ordinally (the order <see cref="ImageFolderDataset"/>
/// uses). Nothing is decoded.
/// </summary>
public sealed class ImageFolderListing
{
    private static readonly string[] s_extensions = [".jpg", ".jpeg", ".png"];

    private ImageFolderListing(string root, IReadOnlyList<string> classNames, string[] files, int[] labels)
    {
        Root = root;
        ClassNames = classNames;
        Files = files;
        Labels = labels;
    }

    /// <summary>The folder scanned.</summary>
    public string Root { get; }

    /// <summary>The class names; a label indexes this list.</summary>
    public IReadOnlyList<string> ClassNames { get; }

    /// <summary>The image files (full paths), in label then name order.</summary>
    public IReadOnlyList<string> Files { get; }

    /// <summary>The label of each file.</summary>
    public IReadOnlyList<int> Labels { get; }

    /// <summary>The path of file <paramref name="index"/> relative to <see cref="Root"/>, '/'-separated.</summary>
    public string RelativeName(int index) => Path.GetRelativePath(Root, Files[index]).Replace(Path.DirectorySeparatorChar, '/');

    /// <summary>Lists and checks a folder tree.</summary>
    /// <param name="root">The folder whose sub-folders are the classes.</param>
    /// <param name="classNames">The training classes (for a validation or test folder, whose class folders must be
    /// exactly these); null takes the sub-folder names, of which there must be at least two.</param>
    /// <exception cref="DirectoryNotFoundException">The root does not exist.</exception>
    /// <exception cref="InvalidDataException">There is no class folder or only one, a class folder holds no image, or
    /// the class folders differ from <paramref name="classNames"/>; the message names the folders.</exception>
    public static ImageFolderListing Scan(string root, IReadOnlyList<string>? classNames = null)
    {
        ArgumentException.ThrowIfNullOrEmpty(root);
        if (!Directory.Exists(root)) throw new DirectoryNotFoundException($"Image folder '{root}' does not exist.");
        root = Path.GetFullPath(root);
        var folders = Directory.GetDirectories(root).Select(Path.GetFileName).OfType<string>().Order(StringComparer.Ordinal).ToArray();
        if (folders.Length == 0)
            throw new InvalidDataException($"'{root}' has no class sub-folders; expected {root}/<class>/<image>.jpg|png.");
        if (classNames is null && folders.Length == 1)
            throw new InvalidDataException($"'{root}' has one class folder, '{folders[0]}'; a classifier needs at least two: put each class's images in its own sub-folder {root}/<class>/.");
        var classes = classNames is null ? folders : [.. classNames];
        var unknown = folders.Except(classes, StringComparer.Ordinal).ToArray();
        var missing = classes.Except(folders, StringComparer.Ordinal).ToArray();
        if (unknown.Length > 0 || missing.Length > 0)
            throw new InvalidDataException($"The classes of '{root}' differ from the training classes:"
                + (unknown.Length > 0 ? $" not in training: {string.Join(", ", unknown)};" : "")
                + (missing.Length > 0 ? $" missing here: {string.Join(", ", missing)};" : "")
                + " give every split the same class folders.");
        var files = new List<string>();
        var labels = new List<int>();
        for (int label = 0; label < classes.Length; label++)
        {
            var folder = Path.Combine(root, classes[label]);
            var images = Directory.EnumerateFiles(folder)
                .Where(f => s_extensions.Contains(Path.GetExtension(f), StringComparer.OrdinalIgnoreCase))
                .Order(StringComparer.Ordinal).ToArray();
            if (images.Length == 0)
                throw new InvalidDataException($"Class folder '{folder}' holds no .jpg/.jpeg/.png image; add images or remove the folder.");
            files.AddRange(images);
            labels.AddRange(Enumerable.Repeat(label, images.Length));
        }
        return new ImageFolderListing(root, classes, [.. files], [.. labels]);
    }
}
