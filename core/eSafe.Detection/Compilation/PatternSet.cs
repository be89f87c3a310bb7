namespace eSafe.Detection.Compilation;

/// <summary>Turns a library's entries into the skeleton patterns the automaton is built from.</summary>
public static class PatternSet
{
    /// <summary>Every pattern of the library, in a stable order.</summary>
    public static List<Pattern> Of(IReadOnlyList<ThreatEntry> entries)
    {
        ArgumentNullException.ThrowIfNull(entries);
        var patterns = new List<Pattern>();
        var seen = new HashSet<(string, int, PatternOptions)>();
        for (var index = 0; index < entries.Count; index++)
        {
            var entry = entries[index];
            Add(entry.Phrase, index, PatternOptions.None);
            foreach (var exception in entry.Exceptions)
            {
                Add(exception, index, PatternOptions.Exception);
            }
        }

        patterns.Sort((a, b) => string.CompareOrdinal(a.Skeleton, b.Skeleton) is var bySkeleton and not 0 ? bySkeleton
            : a.Entry != b.Entry ? a.Entry.CompareTo(b.Entry) : a.Flags.CompareTo(b.Flags));
        return patterns;

        void Add(string phrase, int entry, PatternOptions flags)
        {
            foreach (var form in PhraseForm.Of(phrase))
            {
                var options = form.Prefix ? flags | PatternOptions.Prefix : flags;
                if (form.Symbols.Length > 0 && seen.Add((form.Symbols, entry, options)))
                {
                    patterns.Add(new Pattern(form.Symbols, entry, options));
                }
            }
        }
    }
}
