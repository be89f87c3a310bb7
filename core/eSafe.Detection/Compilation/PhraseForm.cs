using eSafe.Detection.Normalisation;

namespace eSafe.Detection.Compilation;

/// <summary>
/// One written form of a phrase (kill myself, killing myself, killmyself ...) as a skeleton: the symbols the
/// automaton looks for, and what a hit of them is checked against: how many times each letter appears in
/// a row, and which letter each is (i and l are one symbol to the automaton). The automaton counts doubled
/// letters once; the check tells "shoot" from "shot" and "lit" from "ilt".
/// </summary>
public sealed class PhraseForm
{
    /// <summary>A run this long or longer is a stretched letter (kiiill): it stands for a run of any length.</summary>
    public const int StretchedRun = 3;

    private readonly char[] _letters;
    private readonly byte[] _minRuns;
    private readonly byte[] _maxRuns;
    private readonly bool[] _boundaries;

    private PhraseForm(char[] letters, byte[] minRuns, byte[] maxRuns, bool[] boundaries, bool multiWord, bool prefix)
    {
        Symbols = string.Create(letters.Length, letters, (symbols, from) =>
        {
            for (var k = 0; k < from.Length; k++)
            {
                symbols[k] = SkeletonTable.Symbol(from[k]);
            }
        });
        _letters = letters;
        _minRuns = minRuns;
        _maxRuns = maxRuns;
        _boundaries = boundaries;
        MultiWord = multiWord;
        Prefix = prefix;
    }

    /// <summary>What the automaton looks for.</summary>
    public string Symbols { get; }

    /// <summary>The phrase has more than one word.</summary>
    public bool MultiWord { get; }

    /// <summary>The last word may run on (<c>paedo*</c>).</summary>
    public bool Prefix { get; }

    /// <summary>
    /// Every form of one part of a library phrase, or of an exception or context phrase (its sets' words and
    /// inflections, each as written and with its words run together).
    /// </summary>
    public static IEnumerable<PhraseForm> Of(string phrase)
    {
        foreach (var (plain, prefix) in PhraseSyntax.Expand(phrase))
        {
            var separate = Of(Skeleton.Of(plain), plain.Contains(' ', StringComparison.Ordinal), prefix);
            yield return separate;
            if (separate.Joined() is { } joined)
            {
                yield return joined;
            }
        }
    }

    /// <summary>
    /// Whether symbols <paramref name="start"/> to <paramref name="end"/> of <paramref name="text"/> are this
    /// form: the same symbols, each run as long as the phrase's or stretched, and no apostrophe crossed that
    /// the phrase does not allow.
    /// </summary>
    public bool Fits(Skeleton text, int start, int end)
    {
        ArgumentNullException.ThrowIfNull(text);
        var length = Symbols.Length;
        if (Prefix ? start + length > end : start + length != end)
        {
            return false;
        }

        if (text.IsAfterApostrophe(start))
        {
            return false;
        }

        for (var k = 0; k < length; k++)
        {
            var at = start + k;
            // The same letter is the same symbol too (Symbols[k] is the symbol of _letters[k]).
            if (!SkeletonTable.SameLetter(_letters[k], text.LetterAt(at)))
            {
                return false;
            }

            var run = text.RunAt(at);
            if ((run < _minRuns[k] || run > _maxRuns[k]) && run < StretchedRun)
            {
                return false;
            }

            // he'll is not hell: a one-word phrase runs across an apostrophe only where it has one itself.
            if (k > 0 && !MultiWord && !_boundaries[k] && text.IsAfterApostrophe(at))
            {
                return false;
            }
        }

        return true;
    }

    /// <summary>
    /// Whether this form lies in <paramref name="text"/> from symbol <paramref name="start"/> on as whole words
    /// (a prefix to the end of its last word), as the automaton would find it; the end in <paramref name="end"/>.
    /// </summary>
    public bool FitsAt(Skeleton text, int start, out int end)
    {
        ArgumentNullException.ThrowIfNull(text);
        end = start + Symbols.Length;
        if (Symbols.Length == 0 || end > text.Length || !text.WordStarts[start])
        {
            return false;
        }

        var wordStarts = text.WordStarts;
        if (!Prefix && !wordStarts[end])
        {
            return false;
        }

        while (!wordStarts[end])
        {
            end++;
        }

        return Fits(text, start, end);
    }

    private static PhraseForm Of(Skeleton skeleton, bool multiWord, bool prefix)
    {
        var length = skeleton.Length;
        var letters = new char[length];
        var runs = new byte[length];
        for (var k = 0; k < length; k++)
        {
            letters[k] = skeleton.LetterAt(k);
            runs[k] = (byte)skeleton.RunAt(k);
        }

        var maxRuns = runs.ToArray();
        if (prefix && length > 0)
        {
            // paedo* also hits paedoo...: the word runs on, maybe with the same letter.
            maxRuns[^1] = byte.MaxValue;
        }

        return new PhraseForm(letters, runs, maxRuns, skeleton.WordStarts[..length].ToArray(), multiWord, prefix);
    }

    // Written without spaces ("wanttodie"), a letter doubled across two words counts once; typed once
    // ("wantodie") it still reads as the phrase. Null when no two words meet on the same letter.
    private PhraseForm? Joined()
    {
        var letters = new List<char>(Symbols.Length);
        var minRuns = new List<byte>(Symbols.Length);
        var maxRuns = new List<byte>(Symbols.Length);
        var boundaries = new List<bool>(Symbols.Length);
        for (var k = 0; k < Symbols.Length; k++)
        {
            if (k > 0 && _boundaries[k] && _letters[k] == letters[^1])
            {
                minRuns[^1] = 1;
                maxRuns[^1] = (byte)Math.Min(byte.MaxValue, maxRuns[^1] + _maxRuns[k]);
                continue;
            }

            letters.Add(_letters[k]);
            minRuns.Add(_minRuns[k]);
            maxRuns.Add(_maxRuns[k]);
            boundaries.Add(_boundaries[k]);
        }

        return letters.Count == Symbols.Length ? null
            : new PhraseForm([.. letters], [.. minRuns], [.. maxRuns], [.. boundaries], MultiWord, Prefix);
    }
}
