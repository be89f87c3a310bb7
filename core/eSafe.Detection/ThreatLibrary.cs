using eSafe.Detection.Compilation;

namespace eSafe.Detection;

/// <summary>A named, versioned set of threat entries, checked when it is made.</summary>
public sealed class ThreatLibrary
{
    public const int MaxEntries = 1_000_000;
    public const int MaxContextLength = 2000;

    public ThreatLibrary(string name, string version, IEnumerable<ThreatEntry> entries)
    {
        Name = IsToken(name, 64) ? name : throw new FormatException($"library name '{name}' must be letters, digits, '.', '-' or '_'");
        Version = IsToken(version, 64) ? version : throw new FormatException($"library version '{version}' must be letters, digits, '.', '-' or '_'");
        ArgumentNullException.ThrowIfNull(entries);
        Entries = [.. entries.OrderBy(e => e.Id, StringComparer.Ordinal)];
        if (Entries.Count > MaxEntries)
        {
            throw new FormatException($"library {name} has more than {MaxEntries} entries");
        }

        for (var i = 0; i < Entries.Count; i++)
        {
            if (Problem(Entries[i]) is { } problem)
            {
                throw new FormatException($"library {name}: {problem}");
            }

            if (i > 0 && Entries[i].Id == Entries[i - 1].Id)
            {
                throw new FormatException($"library {name} has the entry ID '{Entries[i].Id}' twice");
            }
        }
    }

    public string Name { get; }

    public string Version { get; }

    /// <summary>In order of ID.</summary>
    public IReadOnlyList<ThreatEntry> Entries { get; }

    /// <summary>Why an entry cannot be used, or null.</summary>
    public static string? Problem(ThreatEntry entry)
    {
        ArgumentNullException.ThrowIfNull(entry);
        if (!IsToken(entry.Id, 64))
        {
            return $"entry ID '{entry.Id}' must be 1 to 64 letters, digits, '.', '-' or '_'";
        }

        if (!ThreatCategories.IsKnown(entry.Category))
        {
            return $"entry {entry.Id} has an unknown category '{entry.Category}'";
        }

        if (entry.Severity is < ThreatEntry.MinSeverity or > ThreatEntry.MaxSeverity)
        {
            return $"entry {entry.Id} has severity {entry.Severity}; it must be 1 to 5";
        }

        if (!IsToken(entry.Language, 16))
        {
            return $"entry {entry.Id} has no valid language tag";
        }

        if (PhraseSyntax.Problem(entry.Phrase) is { } phrase)
        {
            return $"entry {entry.Id}: {phrase}";
        }

        if (entry.Exceptions.Count > 32)
        {
            return $"entry {entry.Id} has more than 32 exceptions";
        }

        if (entry.Context.Length > MaxContextLength)
        {
            return $"entry {entry.Id} has a context longer than {MaxContextLength} characters";
        }

        if (ContextSyntax.Problem(entry.Context) is { } context)
        {
            return $"entry {entry.Id}: {context}";
        }

        return entry.Exceptions.Select(PhraseSyntax.ExceptionProblem).FirstOrDefault(p => p is not null) is { } exception
            ? $"entry {entry.Id}, exception: {exception}"
            : null;
    }

    private static bool IsToken(string? value, int maxLength) =>
        value is { Length: > 0 } && value.Length <= maxLength && value.All(c => char.IsAsciiLetterOrDigit(c) || c is '-' or '_' or '.');
}
