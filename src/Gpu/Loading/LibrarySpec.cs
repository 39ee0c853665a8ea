namespace AlexNet.Gpu.Loading;

/// <summary>One native library to load: a logical name and the file names (sonames) that may provide it.</summary>
/// <param name="Name">Logical name, the key the import resolver looks up.</param>
/// <param name="FileNames">Candidate file names, best first. A name containing <c>*</c> is a pattern matched
/// against each folder's files (never passed to the system loader).</param>
/// <param name="Required">False for a library that is loaded when present but whose absence is not an error.</param>
internal sealed record LibrarySpec(string Name, IReadOnlyList<string> FileNames, bool Required = true);
