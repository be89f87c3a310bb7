namespace eSafe.Detection;

/// <summary>
/// The first matcher: case-insensitive whole-word search for each phrase, whitespace runs folded to one
/// space. It sees through no obfuscation; the full engine replaces it.
/// </summary>
public sealed class WordMatcher : IThreatMatcher
{
    private readonly ThreatEntry[] _entries;
    private readonly string[] _phrases;

    public WordMatcher(ThreatLibrary library)
    {
        ArgumentNullException.ThrowIfNull(library);
        LibraryVersion = library.Version;
        _entries = [.. library.Entries];
        _phrases = [.. _entries.Select(e => Fold(e.Phrase))];
    }

    public string LibraryVersion { get; }

    public IReadOnlyList<ThreatMatch> Scan(string text)
    {
        ArgumentNullException.ThrowIfNull(text);
        var folded = Fold(text);
        List<ThreatMatch>? hits = null;
        for (var i = 0; i < _phrases.Length; i++)
        {
            var phrase = _phrases[i];
            for (var at = folded.IndexOf(phrase, StringComparison.Ordinal); at >= 0;
                 at = folded.IndexOf(phrase, at + 1, StringComparison.Ordinal))
            {
                if (IsWordStart(folded, at) && IsWordEnd(folded, at + phrase.Length))
                {
                    (hits ??= []).Add(new ThreatMatch(_entries[i], at, phrase.Length));
                }
            }
        }

        if (hits is null)
        {
            return [];
        }

        hits.Sort((a, b) => a.Start != b.Start ? a.Start.CompareTo(b.Start) : b.Length.CompareTo(a.Length));
        return hits;
    }

    // Lower-cases and turns every white-space character into a plain space, one character for one,
    // so that positions in the folded text are positions in the original.
    private static string Fold(string text) => string.Create(text.Length, text, static (span, source) =>
    {
        for (var i = 0; i < source.Length; i++)
        {
            var c = source[i];
            span[i] = char.IsWhiteSpace(c) ? ' ' : char.ToLowerInvariant(c);
        }
    });

    private static bool IsWordStart(string text, int at) => at == 0 || !char.IsLetterOrDigit(text[at - 1]);

    private static bool IsWordEnd(string text, int end) => end == text.Length || !char.IsLetterOrDigit(text[end]);
}
