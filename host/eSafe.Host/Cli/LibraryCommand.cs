using System.CommandLine;
using eSafe.Detection;
using eSafe.Detection.Sources;

namespace eSafe.Host.Cli;

/// <summary><c>library compile</c> and <c>library inspect</c>.</summary>
public static class LibraryCommand
{
    public static Command Create()
    {
        var source = new Argument<string>("source") { Description = "The library's source folder (with library.txt)" };
        var output = new Option<string>("--output", "-o") { Description = "Where to write the compiled library", Required = true };
        var compile = new Command("compile", "Compile a library's source into the binary the host loads") { source, output };
        compile.SetAction(result => Guard("compile", () =>
        {
            var library = CompiledLibrary.Compile(LibrarySource.ReadFolder(result.GetValue(source)!));
            var bytes = LibraryFormat.Write(library);
            File.WriteAllBytes(result.GetValue(output)!, bytes);
            Console.WriteLine($"{library.Name} {library.Version}: {library.Entries.Count} entries, {library.StateCount} states, {bytes.Length / 1024} KB");
        }));

        var file = new Argument<string>("file") { Description = "A compiled library, or a source folder" };
        var inspect = new Command("inspect", "Show a library's name, version and what it holds") { file };
        inspect.SetAction(result => Guard("inspect", () =>
        {
            var library = LibraryFiles.Load(result.GetValue(file)!);
            Console.WriteLine($"library:  {library.Name}");
            Console.WriteLine($"version:  {library.Version}");
            Console.WriteLine($"entries:  {library.Entries.Count}");
            Console.WriteLine($"states:   {library.StateCount}");
            foreach (var group in library.Entries.GroupBy(e => e.Category).OrderBy(g => g.Key, StringComparer.Ordinal))
            {
                Console.WriteLine($"  {group.Key,-16} {group.Count(),6}   severity 5: {group.Count(e => e.Severity == 5)}");
            }

            foreach (var group in library.Entries.GroupBy(e => e.Language).OrderBy(g => g.Key, StringComparer.Ordinal))
            {
                Console.WriteLine($"  language {group.Key,-7} {group.Count(),6}");
            }
        }));

        return new Command("library", "Compile and inspect threat libraries") { compile, inspect };
    }

    private static int Guard(string verb, Action action)
    {
        try
        {
            action();
            return 0;
        }
        catch (Exception e) when (e is IOException or InvalidDataException or FormatException or UnauthorizedAccessException)
        {
            Console.Error.WriteLine($"esafe-host library {verb}: {e.Message}");
            return 2;
        }
    }
}
