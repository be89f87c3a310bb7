using eSafe.Detection;

namespace eSafe.Benchmarks.Workload;

/// <summary>
/// A compiled phrase set written to a file, loaded as the host loads one: the file's bytes read into a fresh
/// array, then <see cref="LibraryFormat.Read(byte[])"/> (which keeps that array as the library's storage).
/// The file sits in the OS page cache after the first read, so a load is "cold" for the process, not the disk.
/// </summary>
internal static class LibraryFile
{
    public static string Write(CompiledSet set)
    {
        var path = Path.Combine(Path.GetTempPath(), $"esafe-bench-{set.Phrases}.eslib");
        File.WriteAllBytes(path, LibraryFormat.Write(set.Compiled));
        return path;
    }

    public static CompiledLibrary Load(string path) => LibraryFormat.Read(File.ReadAllBytes(path));
}
