namespace eSafe.Detection.Compilation;

/// <summary>Turns a library's entries into the skeleton patterns the automaton is built from.</summary>
public static class PatternSet
{
    /// <summary>Every pattern of the library, in a stable order.</summary>
    public static List<Pattern> Of(IReadOnlyList<ThreatEntry> entries)
    {
        ArgumentNullException.ThrowIfNull(entries);
        var patterns = new List<Pattern>();
        var seen = new HashSet<(string, int, PatternOptions, int)>();
        for (var index = 0; index < entries.Count; index++)
        {
            var entry = entries[index];
            var parts = RuleSyntax.Parts(entry.Phrase);
            for (var part = 0; part < parts.Count; part++)
            {
                // A phrase of one part is reported whole (part 0); the parts of a rule are joined after the scan.
                Add(parts[part], index, PatternOptions.None, parts.Count == 1 ? 0 : part + 1);
            }

            foreach (var exception in entry.Exceptions)
            {
                Add(exception, index, PatternOptions.Exception, 0);
            }
        }

        patterns.Sort((a, b) => string.CompareOrdinal(a.Skeleton, b.Skeleton) is var bySkeleton and not 0 ? bySkeleton
            : a.Entry != b.Entry ? a.Entry.CompareTo(b.Entry) : a.Flags != b.Flags ? a.Flags.CompareTo(b.Flags) : a.Part.CompareTo(b.Part));
        return patterns;

        void Add(string phrase, int entry, PatternOptions flags, int part)
        {
            foreach (var form in PhraseForm.Of(phrase))
            {
                var options = form.Prefix ? flags | PatternOptions.Prefix : flags;
                if (form.Symbols.Length > 0 && seen.Add((form.Symbols, entry, options, part)))
                {
                    patterns.Add(new Pattern(form.Symbols, entry, options, part));
                }
            }
        }
    }
}
