using eSafe.Detection;
using eSafe.Detection.Sources;

namespace eSafe.Host.Cli;

/// <summary>Loads what a <c>--library</c> names: a compiled file, or a source folder compiled on the spot.</summary>
public static class LibraryFiles
{
    public static CompiledLibrary Load(string path) =>
        Directory.Exists(path)
            ? CompiledLibrary.Compile(LibrarySource.ReadFolder(path))
            : File.Exists(path)
                ? LibraryFormat.Read(File.ReadAllBytes(path))
                : throw new FileNotFoundException($"no library at {path}");

    /// <summary>The libraries named, or the default one when none is.</summary>
    public static IReadOnlyList<CompiledLibrary> LoadAll(IReadOnlyList<string>? paths) =>
        paths is { Count: > 0 } ? [.. paths.Select(Load)] : [DefaultLibrary.Load()];
}
