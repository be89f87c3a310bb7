using eSafe.Detection.Compilation;

namespace eSafe.Detection.Sources;

/// <summary>
/// Reads a library's source (docs/THREAT-LIBRARY.md): a <c>library.txt</c> with its name and version,
/// and entries files with <c>category:</c> and <c>language:</c> headers then <c>ID | severity | phrase | exceptions | context</c>.
/// Every problem is reported with its file and line.
/// </summary>
public static class LibrarySource
{
    public const string ManifestName = "library.txt";

    /// <summary>One source file: its name (for messages) and text.</summary>
    public sealed record SourceFile(string Name, string Text);

    public static ThreatLibrary ReadFolder(string folder)
    {
        var manifest = Path.Combine(folder, ManifestName);
        if (!File.Exists(manifest))
        {
            throw new FormatException($"{folder} is not a library source folder: it has no {ManifestName}");
        }

        var files = Directory.EnumerateFiles(folder, "*.txt", SearchOption.AllDirectories)
            .Where(f => Path.GetFileName(f) != ManifestName)
            .Select(f => new SourceFile(Path.GetRelativePath(folder, f).Replace('\\', '/'), File.ReadAllText(f)));
        return Read(new SourceFile(ManifestName, File.ReadAllText(manifest)), files);
    }

    public static ThreatLibrary Read(SourceFile manifest, IEnumerable<SourceFile> entryFiles)
    {
        ArgumentNullException.ThrowIfNull(manifest);
        ArgumentNullException.ThrowIfNull(entryFiles);
        var headers = Headers(manifest, out _);
        var name = Required(headers, "name", manifest);
        var version = Required(headers, "version", manifest);
        var entries = new List<ThreatEntry>();
        var where = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var file in entryFiles.OrderBy(f => f.Name, StringComparer.Ordinal))
        {
            foreach (var (entry, line) in Entries(file))
            {
                if (!where.TryAdd(entry.Id, $"{file.Name}:{line}"))
                {
                    throw new FormatException($"{file.Name}:{line}: entry ID '{entry.Id}' is already used at {where[entry.Id]}");
                }

                entries.Add(entry);
            }
        }

        return new ThreatLibrary(name, version, entries);
    }

    private static IEnumerable<(ThreatEntry Entry, int Line)> Entries(SourceFile file)
    {
        var headers = Headers(file, out var firstEntryLine);
        var category = Required(headers, "category", file);
        var language = Required(headers, "language", file);
        if (!ThreatCategories.IsKnown(category))
        {
            throw new FormatException($"{file.Name}: category '{category}' is not one of {string.Join(", ", ThreatCategories.All)}");
        }

        var lines = Lines(file.Text);
        var phrases = new Dictionary<string, int>(StringComparer.Ordinal);
        for (var i = firstEntryLine; i < lines.Length; i++)
        {
            var line = lines[i].Trim();
            if (line.Length == 0 || line.StartsWith('#'))
            {
                continue;
            }

            var fields = Fields(line);
            if (fields.Length < 3)
            {
                throw new FormatException($"{file.Name}:{i + 1}: expected 'ID | severity | phrase | exceptions | context', found {fields.Length} fields");
            }

            if (!int.TryParse(fields[1], System.Globalization.NumberStyles.None, System.Globalization.CultureInfo.InvariantCulture, out var severity))
            {
                throw new FormatException($"{file.Name}:{i + 1}: severity '{fields[1]}' is not a number from 1 to 5");
            }

            var exceptions = fields.Length >= 4 && fields[3].Length > 0
                ? ContextSyntax.Split(fields[3], ';').Select(e => e.Trim()).Where(e => e.Length > 0).ToArray()
                : [];
            var entry = new ThreatEntry(fields[0], fields[2], category, severity, language, exceptions, fields.Length == 5 ? fields[4] : "");
            if (ThreatLibrary.Problem(entry) is { } problem)
            {
                throw new FormatException($"{file.Name}:{i + 1}: {problem}");
            }

            if (!phrases.TryAdd(entry.Phrase, i + 1))
            {
                throw new FormatException($"{file.Name}:{i + 1}: phrase '{entry.Phrase}' is already at line {phrases[entry.Phrase]}");
            }

            yield return (entry, i + 1);
        }
    }

    // ID | severity | phrase | exceptions | context: a '|' inside a set's braces is the set's; the context
    // (the last column) keeps its own '|'s.
    private static string[] Fields(string line)
    {
        var fields = ContextSyntax.Split(line, '|');
        return [.. fields.Take(4).Select(f => f.Trim()), .. fields.Count > 4 ? [string.Join('|', fields.Skip(4)).Trim()] : Array.Empty<string>()];
    }

    // "key: value" lines before the first entry; comments and blank lines are skipped.
    private static Dictionary<string, string> Headers(SourceFile file, out int firstEntryLine)
    {
        var headers = new Dictionary<string, string>(StringComparer.Ordinal);
        var lines = Lines(file.Text);
        for (var i = 0; i < lines.Length; i++)
        {
            var line = lines[i].Trim();
            if (line.Length == 0 || line.StartsWith('#'))
            {
                continue;
            }

            var colon = line.IndexOf(':', StringComparison.Ordinal);
            if (line.Contains('|', StringComparison.Ordinal) || colon <= 0)
            {
                firstEntryLine = i;
                return headers;
            }

            headers[line[..colon].Trim().ToLowerInvariant()] = line[(colon + 1)..].Trim();
        }

        firstEntryLine = lines.Length;
        return headers;
    }

    private static string Required(Dictionary<string, string> headers, string key, SourceFile file) =>
        headers.TryGetValue(key, out var value) && value.Length > 0
            ? value
            : throw new FormatException($"{file.Name}: the header '{key}:' is missing");

    private static string[] Lines(string text) => text.Split('\n');
}
