namespace eSafe.Detection.Compilation;

/// <summary>Turns a library's entries into the skeleton patterns the automaton is built from.</summary>
public static class PatternSet
{
    // A written 'l' may have been typed as 1, ! or | (read as 'i'): so each run of l's may also be i,
    // unless that leaves a skeleton so short it would match ordinary words (lit → it).
    private const int MinVariantLength = 3;
    private const int MaxLRuns = 3;

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
                foreach (var variant in WithLsAsIs(form.Symbols))
                {
                    if (variant.Length > 0 && seen.Add((variant, entry, options)))
                    {
                        patterns.Add(new Pattern(variant, entry, options));
                    }
                }
            }
        }
    }

    private static IEnumerable<string> WithLsAsIs(string skeleton)
    {
        yield return skeleton;

        var runs = new List<int>();
        for (var i = 0; i < skeleton.Length; i++)
        {
            if (skeleton[i] == 'l')
            {
                runs.Add(i);
            }
        }

        if (runs.Count is 0 or > MaxLRuns)
        {
            yield break;
        }

        for (var mask = 1; mask < 1 << runs.Count; mask++)
        {
            var chars = skeleton.ToCharArray();
            for (var r = 0; r < runs.Count; r++)
            {
                if ((mask & (1 << r)) != 0)
                {
                    chars[runs[r]] = 'i';
                }
            }

            // An l next to an i would merge with it (killing → kiiing → king): that variant reads as other words.
            var variant = new string(chars);
            if (variant.Length >= MinVariantLength && !MadeADouble(variant, runs))
            {
                yield return variant;
            }
        }
    }

    private static bool MadeADouble(string variant, List<int> changed) =>
        changed.Any(i => variant[i] == 'i' && ((i > 0 && variant[i - 1] == 'i') || (i + 1 < variant.Length && variant[i + 1] == 'i')));
}
