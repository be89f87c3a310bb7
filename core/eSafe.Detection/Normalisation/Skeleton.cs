using System.Globalization;
using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;

namespace eSafe.Detection.Normalisation;

/// <summary>
/// A text reduced to its skeleton (see docs/THREAT-LIBRARY.md): the words' letters folded, separators
/// dropped, doubled letters counted once, with the original span of every symbol, how many times its
/// letter appeared in a row, and where words start. Reused between scans so that scanning allocates
/// nothing once warm.
/// </summary>
public sealed class Skeleton
{
    private const int MaxSplitGap = 3;

    // A lone leet symbol is a letter only among this many split letters at least (m y $ e l f, not a $ 5 fee).
    private const int MinSplitLettersAroundLoneSymbol = 3;
    private const int RunUnit = 1 << 16;
    private const int MaxRun = byte.MaxValue;
    private readonly List<int> _afterApostrophe = [];
    private char[] _symbols = [];          // filled from the letters only when asked for (Symbols): scanning reads the letters
    private int[] _letterRuns = new int[256];  // the letter in the low 16 bits, its run above: one store a symbol
    private int[] _from = new int[256];
    private int[] _to = new int[256];
    private bool[] _wordStart = new bool[257];
    private int[] _wordOf = [];            // each symbol's word number, counted only when asked for (WordOf)
    private int[] _wordAt = [];            // where each word starts
    private int _words = -1;               // how many words; -1 until counted

    /// <summary>How many symbols.</summary>
    public int Length { get; private set; }

    /// <summary>
    /// What the automaton walks: the letters, with i, l and the letters of 1, ! and | as one symbol (i). Worked
    /// out from the letters when asked for: the matcher itself reads <see cref="LetterRuns"/>, its code table
    /// giving l, 1, ! and | the code of i.
    /// </summary>
    public ReadOnlySpan<char> Symbols
    {
        get
        {
            if (_symbols.Length < Length)
            {
                _symbols = new char[_letterRuns.Length];
            }

            for (var k = 0; k < Length; k++)
            {
                _symbols[k] = SkeletonTable.Symbol((char)_letterRuns[k]);
            }

            return _symbols.AsSpan(0, Length);
        }
    }

    /// <summary>Each symbol's letter (<see cref="LetterAt"/>) in the low 16 bits, its run (<see cref="RunAt"/>) above.</summary>
    internal ReadOnlySpan<int> LetterRuns => _letterRuns.AsSpan(0, Length);

    /// <summary>
    /// The letter of a symbol: i and l apart, and 1 and ! as <see cref="SkeletonTable.IOrLWrittenOne"/>, | as
    /// <see cref="SkeletonTable.IOrLWrittenBar"/> (each an i or an l).
    /// </summary>
    public char LetterAt(int index) => (char)_letterRuns[index];

    /// <summary>True where a word starts, and at <see cref="Length"/>: the places a phrase may start or end.</summary>
    public ReadOnlySpan<bool> WordStarts => _wordStart.AsSpan(0, Length + 1);

    /// <summary>
    /// How many times a symbol's letter appeared in a row (kiiill: 1, 3, 2), counting split letters (l l) and
    /// leet (11) alike; 255 stands for 255 or more.
    /// </summary>
    public int RunAt(int index) => _letterRuns[index] >> 16;

    /// <summary>
    /// Whether a symbol follows an apostrophe inside a word (the ll of he'll): a word start where a phrase may
    /// end, but that a hit may neither start at nor, as one word, run across (he'll is not hell).
    /// </summary>
    public bool IsAfterApostrophe(int index) => _afterApostrophe.BinarySearch(index) >= 0;

    /// <summary>
    /// How many words there are before the one symbol <paramref name="index"/> is in: what the distances of
    /// <c>~N</c> and of a context are counted in. A part after an apostrophe (the ll of he'll) is no word of its own.
    /// </summary>
    public int WordOf(int index)
    {
        CountWords();
        return _wordOf[index];
    }

    /// <summary>How many words the text has (as <see cref="WordOf"/> counts them).</summary>
    public int WordCount
    {
        get
        {
            CountWords();
            return _words;
        }
    }

    /// <summary>The symbol word <paramref name="word"/> starts at.</summary>
    public int WordStartOf(int word)
    {
        CountWords();
        return _wordAt[word];
    }

    /// <summary>Where symbols <paramref name="start"/> to <paramref name="end"/> (exclusive) stand in the original text.</summary>
    public (int Start, int Length) OriginalSpan(int start, int end) => (_from[start], _to[end - 1] - _from[start]);

    public static Skeleton Of(ReadOnlySpan<char> text)
    {
        var skeleton = new Skeleton();
        skeleton.Build(text);
        return skeleton;
    }

    /// <summary>Replaces this skeleton with that of <paramref name="text"/>.</summary>
    public void Build(ReadOnlySpan<char> text)
    {
        EnsureCapacity((text.Length * 2) + 1);
        var n = 0;
        var tokenStart = -1;          // first symbol of the word being read; -1 between words
        var segmentStart = 0;         // first symbol since the word's start or its last apostrophe: doubles merge after it
        _afterApostrophe.Clear();
        var previousSingle = '\0';    // the previous word's symbol when it had only one (k i l l)
        var previousEnd = -MaxSplitGap - 1;
        var singles = 0;              // how many one-letter words in a row just before (split letters)
        var wordStartIndex = 0;
        var wordHasLetter = false;    // digits are leetspeak only in a word with a letter (k1ll, not 2026)
        for (var i = 0; i < text.Length;)
        {
            var c = text[i];
            var width = 1;
            char first, second = '\0';
            var isLetter = false;
            if (char.IsHighSurrogate(c) && i + 1 < text.Length && char.IsLowSurrogate(text[i + 1]))
            {
                width = 2;
                first = SkeletonTable.SkeletonOfSupplementary(char.ConvertToUtf32(c, text[i + 1]));
                isLetter = first != '\0';
            }
            else
            {
                var lookup = SkeletonTable.Lookup(c);
                first = SkeletonTable.FirstOf(lookup);
                second = SkeletonTable.SecondOf(lookup, c);
                switch (SkeletonTable.ClassOf(lookup))
                {
                    case CharClass.Letter:
                        isLetter = true;
                        break;
                    case CharClass.Ignorable:
                        // A combining mark right after a letter belongs to its span (é written e + U+0301).
                        if (tokenStart >= 0 && _to[n - 1] == i && IsMark(c))
                        {
                            _to[n - 1] = i + 1;
                        }

                        i++;
                        continue;
                    case CharClass.Apostrophe when tokenStart >= 0 && NextIsLetter(text, i):
                        // he'll: the next letter starts a part of the word of its own.
                        segmentStart = n;
                        _wordStart[n] = true;
                        _afterApostrophe.Add(n);
                        i++;
                        continue;
                    case CharClass.LeetSymbol:
                        isLetter = tokenStart >= 0 || NextIsLetter(text, i) || IsLoneAmongSplitLetters(text, i, singles, previousEnd);
                        break;
                    case CharClass.LeetInner:
                        isLetter = tokenStart >= 0 ? NextIsLetter(text, i) : IsLoneAmongSplitLetters(text, i, singles, previousEnd);
                        break;
                }
            }

            if (isLetter)
            {
                if (tokenStart < 0)
                {
                    tokenStart = n;
                    segmentStart = n;
                    wordStartIndex = i;
                    wordHasLetter = false;
                    _wordStart[n] = true;
                }

                wordHasLetter |= !char.IsDigit(c);

                n = Append(n, segmentStart, first, i, i + width);
                if (second != '\0')
                {
                    n = Append(n, segmentStart, second, i, i + width);
                }
            }
            else if (tokenStart >= 0)
            {
                n = wordHasLetter || i - wordStartIndex == 1 ? n : AsDigits(text, tokenStart, wordStartIndex, i);
                (n, previousSingle) = EndWord(text, n, tokenStart, wordStartIndex, previousSingle, previousEnd);
                singles = previousSingle == '\0' ? 0 : IsSplitGap(text, previousEnd, wordStartIndex) ? singles + 1 : 1;
                previousEnd = i;
                tokenStart = -1;
            }

            i += width;
        }

        if (tokenStart >= 0)
        {
            n = wordHasLetter || text.Length - wordStartIndex == 1 ? n : AsDigits(text, tokenStart, wordStartIndex, text.Length);
            (n, _) = EndWord(text, n, tokenStart, wordStartIndex, previousSingle, previousEnd);
        }

        _wordStart[n] = true;
        Length = n;
        _words = -1;
    }

    // Worked out once a scan needs it (a phrase of parts or a context has hit), so that other scans pay nothing.
    private void CountWords()
    {
        if (_words >= 0)
        {
            return;
        }

        if (_wordOf.Length < Length)
        {
            _wordOf = new int[_letterRuns.Length];
            _wordAt = new int[_letterRuns.Length];
        }

        var words = 0;
        var apostrophes = 0;
        for (var k = 0; k < Length; k++)
        {
            var partAfterApostrophe = apostrophes < _afterApostrophe.Count && _afterApostrophe[apostrophes] == k;
            apostrophes += partAfterApostrophe ? 1 : 0;
            if (_wordStart[k] && !partAfterApostrophe)
            {
                _wordAt[words++] = k;
            }

            _wordOf[k] = words - 1;
        }

        _words = words;
    }

    // Letters split up (k i l l) read as one word: a one-letter word right after another, with only a
    // short gap, joins it, and when it repeats the same letter it counts once (as doubled letters do).
    private (int N, char Single) EndWord(ReadOnlySpan<char> text, int n, int tokenStart, int wordStartIndex, char previousSingle, int previousEnd)
    {
        if (n - tokenStart != 1)
        {
            return (n, '\0');
        }

        var symbol = LetterAt(tokenStart);
        if (symbol == previousSingle && IsSplitGap(text, previousEnd, wordStartIndex) && tokenStart > 0)
        {
            _to[tokenStart - 1] = _to[tokenStart];
            var run = Math.Min(MaxRun, RunAt(tokenStart - 1) + RunAt(tokenStart));
            _letterRuns[tokenStart - 1] = symbol | (run * RunUnit);
            _wordStart[tokenStart] = false;
            return (n - 1, symbol);
        }

        return (n, symbol);
    }

    // Between two split letters: a short gap on one line.
    private static bool IsSplitGap(ReadOnlySpan<char> text, int previousEnd, int next) =>
        next - previousEnd <= MaxSplitGap && !text[previousEnd..next].Contains('\n');

    // A leet symbol standing alone (m y $ e l f) is a letter when split letters come just before and just
    // after it, enough of them that it is not ordinary punctuation between short words (a $ 5 fee).
    private static bool IsLoneAmongSplitLetters(ReadOnlySpan<char> text, int i, int singles, int previousEnd)
    {
        if (singles == 0 || !IsSplitGap(text, previousEnd, i) || !IsGapCharacter(text, i + 1))
        {
            return false;
        }

        var after = 0;
        for (var end = i + 1; after == 0 || singles + after < MinSplitLettersAroundLoneSymbol;)
        {
            var next = end;
            while (next < text.Length && IsGapCharacter(text, next))
            {
                next++;
            }

            var (width, isLetter) = next < text.Length && IsSplitGap(text, end, next) ? OneCharacterWord(text, next) : (0, false);
            if (width == 0)
            {
                break;
            }

            end = next + width;
            after += isLetter ? 1 : 0;
        }

        return after > 0 && singles + after >= MinSplitLettersAroundLoneSymbol;
    }

    // The end of the text or a separator (not half of a surrogate pair, which may be a letter).
    private static bool IsGapCharacter(ReadOnlySpan<char> text, int i) =>
        i >= text.Length || (SkeletonTable.Class(text[i]) == CharClass.Separator && !char.IsSurrogate(text[i]));

    // How many characters a word of one letter or one leet symbol at i takes (its marks included; 0 when
    // there is no such word), and whether it is a letter.
    private static (int Width, bool IsLetter) OneCharacterWord(ReadOnlySpan<char> text, int i)
    {
        var (width, isLetter) = char.IsHighSurrogate(text[i]) && i + 1 < text.Length && char.IsLowSurrogate(text[i + 1])
            ? (SkeletonTable.SkeletonOfSupplementary(char.ConvertToUtf32(text[i], text[i + 1])) != '\0' ? 2 : 0, true)
            : SkeletonTable.Class(text[i]) switch
            {
                CharClass.Letter => (1, true),
                CharClass.LeetSymbol or CharClass.LeetInner => (1, false),
                _ => (0, false),
            };
        if (width == 0)
        {
            return (0, false);
        }

        var end = i + width;
        while (end < text.Length && SkeletonTable.Class(text[end]) == CharClass.Ignorable)
        {
            end++;
        }

        return IsGapCharacter(text, end) ? (end - i, isLetter) : (0, false);
    }

    // A word of digits only is a number, not leetspeak: its symbols are rewritten as the digits themselves.
    // (A lone digit stays leet: it may be one of letters split up, "k 1 l l".)
    private int AsDigits(ReadOnlySpan<char> text, int tokenStart, int from, int to)
    {
        // A number has no parts (90's reads as 90 s only when it is a word).
        while (_afterApostrophe.Count > 0 && _afterApostrophe[^1] >= tokenStart)
        {
            _afterApostrophe.RemoveAt(_afterApostrophe.Count - 1);
        }

        var n = tokenStart;
        for (var i = from; i < to; i++)
        {
            if (char.IsDigit(text[i]))
            {
                n = Append(n, tokenStart, (char)('0' + (int)char.GetNumericValue(text[i])), i, i + 1);
            }
        }

        return n;
    }

    // Called for every letter: the arrays hold text.Length * 2 + 1 symbols (EnsureCapacity) and a character adds
    // at most two, so n + 1 is always inside them and the stores need no bounds checks.
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private int Append(int n, int segmentStart, char letter, int from, int to)
    {
        ref var letterRuns = ref MemoryMarshal.GetArrayDataReference(_letterRuns);
        ref var toAt = ref MemoryMarshal.GetArrayDataReference(_to);
        if (n > segmentStart && (char)Unsafe.Add(ref letterRuns, n - 1) == letter)
        {
            Unsafe.Add(ref toAt, n - 1) = to;
            ref var letterRun = ref Unsafe.Add(ref letterRuns, n - 1);
            if (letterRun < MaxRun * RunUnit)
            {
                letterRun += RunUnit;
            }

            return n;
        }

        Unsafe.Add(ref letterRuns, n) = letter | RunUnit;
        Unsafe.Add(ref MemoryMarshal.GetArrayDataReference(_from), n) = from;
        Unsafe.Add(ref toAt, n) = to;
        Unsafe.Add(ref MemoryMarshal.GetArrayDataReference(_wordStart), n + 1) = false;
        return n + 1;
    }

    // Whether the next visible character is a letter (or leet symbol): zero-width characters and marks are skipped.
    private static bool NextIsLetter(ReadOnlySpan<char> text, int i)
    {
        for (var j = i + 1; j < text.Length; j++)
        {
            var c = text[j];
            if (char.IsHighSurrogate(c))
            {
                return j + 1 < text.Length && char.IsLowSurrogate(text[j + 1])
                    && SkeletonTable.SkeletonOfSupplementary(char.ConvertToUtf32(c, text[j + 1])) != '\0';
            }

            var charClass = SkeletonTable.Class(c);
            if (charClass != CharClass.Ignorable)
            {
                return charClass is CharClass.Letter or CharClass.LeetSymbol;
            }
        }

        return false;
    }

    private static bool IsMark(char c) =>
        CharUnicodeInfo.GetUnicodeCategory(c) is UnicodeCategory.NonSpacingMark or UnicodeCategory.EnclosingMark or UnicodeCategory.SpacingCombiningMark;

    private void EnsureCapacity(int symbols)
    {
        if (_letterRuns.Length >= symbols)
        {
            return;
        }

        var size = Math.Max(symbols, _letterRuns.Length * 2);
        _letterRuns = new int[size];
        _from = new int[size];
        _to = new int[size];
        _wordStart = new bool[size + 1];
    }
}
