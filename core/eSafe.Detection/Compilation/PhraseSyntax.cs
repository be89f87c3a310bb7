using eSafe.Detection.Normalisation;

namespace eSafe.Detection.Compilation;

/// <summary>
/// Reads a library phrase (<c>cut+ myself</c>, <c>paedo*</c>) into the plain phrases it stands for, and
/// whether its last word may run on.
/// </summary>
public static class PhraseSyntax
{
    public const int MaxWords = 12;
    public const int MaxLength = 200;

    /// <summary>Every plain phrase the written one matches, and whether the last word is a prefix (<c>*</c>).</summary>
    public static (IReadOnlyList<string> Phrases, bool Prefix) Expand(string phrase)
    {
        if (Problem(phrase) is { } problem)
        {
            throw new FormatException(problem);
        }

        var words = phrase.Split(' ');
        var prefix = words[^1].EndsWith('*');
        IEnumerable<string> expanded = [""];
        foreach (var word in words)
        {
            var forms = word.EndsWith('+') ? Inflections.Of(word[..^1]).ToArray() : [word.TrimEnd('*')];
            expanded = expanded.SelectMany(start => forms.Select(form => start.Length == 0 ? form : start + " " + form)).ToArray();
        }

        return ([.. expanded.Distinct(StringComparer.Ordinal)], prefix);
    }

    /// <summary>Why a phrase cannot be used, or null.</summary>
    public static string? Problem(string? phrase)
    {
        if (string.IsNullOrWhiteSpace(phrase))
        {
            return "the phrase is empty";
        }

        if (phrase.Length > MaxLength)
        {
            return $"the phrase is longer than {MaxLength} characters";
        }

        if (phrase != phrase.Trim() || phrase.Contains("  ", StringComparison.Ordinal))
        {
            return $"'{phrase}' must have single spaces between words and none around them";
        }

        var words = phrase.Split(' ');
        if (words.Length > MaxWords)
        {
            return $"'{phrase}' has more than {MaxWords} words";
        }

        for (var i = 0; i < words.Length; i++)
        {
            var word = words[i];
            var body = word.TrimEnd('+', '*');
            if (body.Length == 0 || word.Length - body.Length > 1)
            {
                return $"'{word}' in '{phrase}' is not a word with at most one '+' or '*' after it";
            }

            if (word.EndsWith('*') && i != words.Length - 1)
            {
                return $"'*' can only end the last word ('{phrase}')";
            }

            if (body.Any(c => c is '+' or '*'))
            {
                return $"'{word}' in '{phrase}' has '+' or '*' inside it";
            }

            // A word the skeleton drops (an emoji, punctuation) would silently never match.
            if (!body.Any(c => SkeletonTable.Class(c) == CharClass.Letter) && Skeleton.Of(body).Length == 0)
            {
                return $"'{word}' in '{phrase}' has no letter to match";
            }
        }

        return null;
    }
}
