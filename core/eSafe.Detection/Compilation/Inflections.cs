namespace eSafe.Detection.Compilation;

/// <summary>The English inflections a <c>word+</c> allows: kill → kills, killed, killing, killer, killers.</summary>
public static class Inflections
{
    public static IEnumerable<string> Of(string word)
    {
        ArgumentException.ThrowIfNullOrEmpty(word);
        yield return word;
        var last = word[^1];
        var beforeLast = word.Length > 1 ? word[^2] : '\0';
        var consonantY = last == 'y' && !IsVowel(beforeLast);
        var silentE = last == 'e' && beforeLast != 'e' && word.Length > 2;

        // Third person and plural.
        yield return consonantY ? word[..^1] + "ies"
            : word.EndsWith('s') || word.EndsWith('x') || word.EndsWith('z') || word.EndsWith("ch", StringComparison.Ordinal)
              || word.EndsWith("sh", StringComparison.Ordinal) ? word + "es"
            : word + "s";

        // The stems the other endings go on: cut → cutt (cutting, cutter), since a doubled letter is checked.
        string[] stems = !DoublesItsLastLetter(word) ? [word]
            : Syllables(word) == 1 ? [word + last]
            : [word + last, word];

        // Past.
        if (consonantY || last == 'e')
        {
            yield return consonantY ? word[..^1] + "ied" : word + "d";
        }
        else
        {
            foreach (var stem in stems)
            {
                yield return stem + "ed";
            }
        }

        // Present participle. Not the dropped-g "killin": with spaces not counted, "check in" would read as it.
        if (word.EndsWith("ie", StringComparison.Ordinal) || silentE)
        {
            yield return (word.EndsWith("ie", StringComparison.Ordinal) ? word[..^2] + "y" : word[..^1]) + "ing";
        }
        else
        {
            foreach (var stem in stems)
            {
                yield return stem + "ing";
            }
        }

        // Doer.
        foreach (var doer in consonantY ? [word[..^1] + "ier"] : last == 'e' ? [word + "r"] : stems.Select(stem => stem + "er"))
        {
            yield return doer;
            yield return doer + "s";
        }
    }

    // One vowel then one consonant at the end doubles the consonant before -ed, -ing, -er (stab → stabbed),
    // but not w, x or y (sew → sewing). The u of qu is not a vowel (quit → quitting).
    private static bool DoublesItsLastLetter(string word) =>
        word.Length >= 2 && char.IsAsciiLetterLower(word[^1]) && !IsVowel(word[^1]) && word[^1] is not ('w' or 'x' or 'y')
        && IsVowelAt(word, word.Length - 2) && (word.Length == 2 || !IsVowelAt(word, word.Length - 3));

    // Stress decides the doubling in longer words (admitted, visited): both are then allowed.
    private static int Syllables(string word)
    {
        var groups = 0;
        for (var i = 0; i < word.Length; i++)
        {
            if (IsVowelAt(word, i) && (i == 0 || !IsVowelAt(word, i - 1)))
            {
                groups++;
            }
        }

        return groups;
    }

    private static bool IsVowel(char c) => c is 'a' or 'e' or 'i' or 'o' or 'u';

    private static bool IsVowelAt(string word, int i) => IsVowel(word[i]) && !(word[i] == 'u' && i > 0 && word[i - 1] == 'q');
}
