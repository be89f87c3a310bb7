using eSafe.Detection.Normalisation;

namespace eSafe.Detection.Compilation;

/// <summary>
/// Reads a library phrase (<c>cut+ myself</c>, <c>paedo*</c>, <c>bring {knife|blade} ~4 school</c>): its parts
/// (<see cref="RuleSyntax"/>) and, for one part, the plain phrases it stands for, each with whether its last
/// word may run on. A word is a word with an optional <c>+</c> or <c>*</c>, or a set of such words in braces.
/// </summary>
public static class PhraseSyntax
{
    public const int MaxWords = 12;
    public const int MaxLength = 1000;
    public const int MaxSetWords = 64;

    /// <summary>A part may stand for at most this many plain phrases (sets and inflections multiply).</summary>
    public const int MaxForms = 4096;

    /// <summary>Every plain phrase a part (no <c>~</c>) matches, each with whether its last word is a prefix (<c>*</c>).</summary>
    public static IReadOnlyList<(string Plain, bool Prefix)> Expand(string part)
    {
        if (PartProblem(part) is { } problem)
        {
            throw new FormatException(problem);
        }

        return Forms(part.Split(' '));
    }

    /// <summary>Why an entry's phrase cannot be used, or null (parts joined by <c>~N</c> and <c>~~N</c> allowed).</summary>
    public static string? Problem(string? phrase)
    {
        if (Whole(phrase) is { } problem)
        {
            return problem;
        }

        if (RuleSyntax.Problem(phrase!) is { } rule)
        {
            return rule;
        }

        return RuleSyntax.Parts(phrase!).Select(PartProblem).FirstOrDefault(p => p is not null);
    }

    /// <summary>Why an exception (one phrase, no <c>~</c>) cannot be used, or null.</summary>
    public static string? ExceptionProblem(string? phrase) =>
        Whole(phrase) ?? (phrase!.Contains('~', StringComparison.Ordinal) ? $"'{phrase}' must be one phrase, without '~'" : PartProblem(phrase));

    /// <summary>Why one part of a phrase (no <c>~</c>) cannot be used, or null.</summary>
    public static string? PartProblem(string part)
    {
        ArgumentNullException.ThrowIfNull(part);
        if (Whole(part) is { } problem)
        {
            return problem;
        }

        var words = part.Split(' ');
        if (words.Length > MaxWords)
        {
            return $"'{part}' has more than {MaxWords} words";
        }

        var forms = 1L;
        for (var i = 0; i < words.Length; i++)
        {
            var word = words[i];
            string? setProblem = null;
            var alternatives = word.StartsWith('{') || word.EndsWith('}') ? SetWords(word, part, out setProblem) : [word];
            if (alternatives is null)
            {
                return setProblem;
            }

            foreach (var alternative in alternatives)
            {
                if (WordProblem(alternative, word, part, last: i == words.Length - 1) is { } wordProblem)
                {
                    return wordProblem;
                }
            }

            forms *= alternatives.Sum(a => a.EndsWith('+') ? Inflections.Of(a[..^1]).Count() : 1);
            if (forms > MaxForms)
            {
                return $"'{part}' stands for more than {MaxForms} phrases: use fewer sets or '+' marks";
            }
        }

        return null;
    }

    private static string? Whole(string? phrase)
    {
        if (string.IsNullOrWhiteSpace(phrase))
        {
            return "the phrase is empty";
        }

        if (phrase.Length > MaxLength)
        {
            return $"the phrase is longer than {MaxLength} characters";
        }

        return phrase != phrase.Trim() || phrase.Contains("  ", StringComparison.Ordinal) || phrase.Any(c => c != ' ' && char.IsWhiteSpace(c))
            ? $"'{phrase}' must have single spaces between words and none around them"
            : null;
    }

    // The words of "{a|b+|c*}", or null with why not.
    private static string[]? SetWords(string word, string part, out string? problem)
    {
        problem = null;
        if (!word.StartsWith('{') || !word.EndsWith('}') || word.Length < 2 || word[1..^1].Any(c => c is '{' or '}'))
        {
            problem = $"'{word}' in '{part}' is not a set: write the words between one '{{' and one '}}', separated by '|' and no spaces";
            return null;
        }

        var words = word[1..^1].Split('|');
        if (words.Length < 2 || words.Length > MaxSetWords)
        {
            problem = $"the set '{word}' in '{part}' must have 2 to {MaxSetWords} words";
            return null;
        }

        if (words.Distinct(StringComparer.Ordinal).Count() != words.Length)
        {
            problem = $"the set '{word}' in '{part}' has a word twice";
            return null;
        }

        return words;
    }

    private static string? WordProblem(string word, string written, string part, bool last)
    {
        var body = word.TrimEnd('+', '*');
        if (body.Length == 0 || word.Length - body.Length > 1)
        {
            return $"'{word}' in '{part}' is not a word with at most one '+' or '*' after it";
        }

        if (word.EndsWith('*') && !last)
        {
            return $"'*' can only end the last word ('{part}')";
        }

        if (body.Any(c => c is '+' or '*'))
        {
            return $"'{word}' in '{part}' has '+' or '*' inside it";
        }

        if (body.Any(c => c is '{' or '}' or '|' or '~'))
        {
            return $"'{written}' in '{part}' has '{{', '}}', '|' or '~' where a word should be";
        }

        // A word the skeleton drops (an emoji, punctuation) would silently never match.
        return !body.Any(c => SkeletonTable.Class(c) == CharClass.Letter) && Skeleton.Of(body).Length == 0
            ? $"'{word}' in '{part}' has no letter to match"
            : null;
    }

    private static List<(string Plain, bool Prefix)> Forms(string[] words)
    {
        List<(string Plain, bool Prefix)> expanded = [("", false)];
        foreach (var word in words)
        {
            string[] alternatives = word.StartsWith('{') ? word[1..^1].Split('|') : [word];
            var forms = alternatives.SelectMany(a => a.EndsWith('+') ? Inflections.Of(a[..^1]).Select(f => (f, false))
                : [(a.TrimEnd('*'), a.EndsWith('*'))]).ToArray();
            expanded = [.. expanded.SelectMany(start => forms.Select(form => (start.Plain.Length == 0 ? form.Item1 : start.Plain + " " + form.Item1, form.Item2)))];
        }

        return [.. expanded.Distinct()];
    }
}
