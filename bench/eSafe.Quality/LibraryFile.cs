using eSafe.Detection;
using eSafe.Detection.Sources;

namespace eSafe.Quality;

/// <summary>A library to score instead of the built-in one: a compiled file, or a source folder compiled here.</summary>
internal static class LibraryFile
{
    public static CompiledLibrary Load(string path) =>
        Directory.Exists(path)
            ? CompiledLibrary.Compile(LibrarySource.ReadFolder(path))
            : LibraryFormat.Read(File.ReadAllBytes(path));
}
