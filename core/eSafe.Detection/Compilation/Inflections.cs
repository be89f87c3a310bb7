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

        // Past.
        yield return consonantY ? word[..^1] + "ied" : last == 'e' ? word + "d" : word + "ed";

        // Present participle. Not the dropped-g "killin": with spaces not counted, "check in" would read as it.
        var stem = word.EndsWith("ie", StringComparison.Ordinal) ? word[..^2] + "y" : silentE ? word[..^1] : word;
        yield return stem + "ing";

        // Doer.
        yield return consonantY ? word[..^1] + "ier" : last == 'e' ? word + "r" : word + "er";
        yield return consonantY ? word[..^1] + "iers" : last == 'e' ? word + "rs" : word + "ers";
    }

    private static bool IsVowel(char c) => c is 'a' or 'e' or 'i' or 'o' or 'u';
}
