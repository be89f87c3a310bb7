namespace eSafe.Detection.Quality;

/// <summary>
/// A large text that should not hit at all, scanned paragraph by paragraph (blank-line separated, cut at the
/// 64 K characters of the largest text event the host accepts): every hit is a false hit.
/// </summary>
public static class BenignText
{
    public const int MaxEvent = 64 * 1024;

    /// <summary>Every hit, with the words around it; and how many events were scanned.</summary>
    public static (IReadOnlyList<(ThreatMatch Match, string Context)> Hits, int Events) Scan(IThreatMatcher matcher, string text)
    {
        ArgumentNullException.ThrowIfNull(matcher);
        ArgumentNullException.ThrowIfNull(text);
        var hits = new List<(ThreatMatch, string)>();
        var events = 0;
        foreach (var paragraph in text.Split("\n\n", StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries))
        {
            for (var at = 0; at < paragraph.Length; at += MaxEvent)
            {
                var part = paragraph.Substring(at, Math.Min(MaxEvent, paragraph.Length - at));
                events++;
                foreach (var match in matcher.Scan(part))
                {
                    hits.Add((match, match.Context(part, 40).ReplaceLineEndings(" ")));
                }
            }
        }

        return (hits, events);
    }
}
