using System.Globalization;

namespace eSafe.Detection.Compilation;

/// <summary>
/// An entry's context (the fifth column): clauses separated by <c>;</c>, each <c>unless N: a|b|c</c> (a hit is
/// cancelled when one of the phrases lies within N words of it) or <c>with N: a|b</c> (a hit needs one of them
/// there). The phrases are ordinary phrases (marks and sets, no <c>~</c>).
/// </summary>
public static class ContextSyntax
{
    public const int MaxClauses = 8;
    public const int MaxPhrases = 64;
    public const int MaxWindow = 50;

    /// <param name="Required">True for <c>with</c>: a hit needs one of the phrases near; false for <c>unless</c>.</param>
    /// <param name="Window">How many words before the hit's first and after its last word are looked at.</param>
    public sealed record Clause(bool Required, int Window, IReadOnlyList<string> Phrases);

    /// <summary>The clauses of a context (none for an empty one).</summary>
    public static IReadOnlyList<Clause> Clauses(string? context)
    {
        var clauses = new List<Clause>();
        if (Read(context, clauses) is { } problem)
        {
            throw new FormatException(problem);
        }

        return clauses;
    }

    /// <summary>Why a context cannot be used, or null (an empty one is none).</summary>
    public static string? Problem(string? context) => Read(context, []);

    private static string? Read(string? context, List<Clause> clauses)
    {
        if (string.IsNullOrWhiteSpace(context))
        {
            return null;
        }

        var written = Split(context, ';').Select(c => c.Trim()).Where(c => c.Length > 0).ToArray();
        if (written.Length > MaxClauses)
        {
            return $"the context has more than {MaxClauses} clauses";
        }

        foreach (var clause in written)
        {
            var colon = clause.IndexOf(':', StringComparison.Ordinal);
            var head = colon < 0 ? [] : clause[..colon].Split(' ', StringSplitOptions.RemoveEmptyEntries);
            if (head is not [("unless" or "with") and var kind, var number]
                || !int.TryParse(number, NumberStyles.None, CultureInfo.InvariantCulture, out var window) || window is < 1 or > MaxWindow)
            {
                return $"the context clause '{clause}' is not 'unless N: word|word' or 'with N: word|word' with N from 1 to {MaxWindow}";
            }

            var phrases = Split(clause[(colon + 1)..], '|').Select(p => p.Trim()).ToArray();
            if (phrases.Length is 0 or > MaxPhrases || phrases.Any(p => p.Length == 0))
            {
                return $"the context clause '{clause}' must list 1 to {MaxPhrases} phrases separated by '|', none empty";
            }

            if (phrases.Select(PhraseSyntax.ExceptionProblem).FirstOrDefault(p => p is not null) is { } problem)
            {
                return $"the context clause '{clause}': {problem}";
            }

            clauses.Add(new Clause(kind == "with", window, phrases));
        }

        return null;
    }

    // Splits on the separator outside braces, so a set's '|' stays in its phrase.
    internal static List<string> Split(string text, char separator)
    {
        var pieces = new List<string>();
        var depth = 0;
        var start = 0;
        for (var i = 0; i < text.Length; i++)
        {
            depth += text[i] == '{' ? 1 : text[i] == '}' && depth > 0 ? -1 : 0;
            if (text[i] == separator && depth == 0)
            {
                pieces.Add(text[start..i]);
                start = i + 1;
            }
        }

        pieces.Add(text[start..]);
        return pieces;
    }
}
