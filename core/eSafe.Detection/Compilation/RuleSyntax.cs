using System.Globalization;

namespace eSafe.Detection.Compilation;

/// <summary>
/// A phrase whose parts are joined by proximity: <c>A ~N B</c> (B starts within N words after A ends) and
/// <c>A ~~N B</c> (either order). A phrase without <c>~</c> is one part.
/// </summary>
public static class RuleSyntax
{
    public const int MaxParts = 8;
    public const int MaxWindow = 20;

    /// <summary>How the part after a link must lie from the part before it.</summary>
    /// <param name="Window">The later part starts at most this many words after the earlier one ends (1: right after it).</param>
    /// <param name="EitherOrder">The two parts may come in either order (<c>~~N</c>).</param>
    public readonly record struct Link(int Window, bool EitherOrder);

    /// <summary>The parts, in order (one when the phrase has no <c>~</c>).</summary>
    public static IReadOnlyList<string> Parts(string phrase) => Read(phrase).Parts;

    /// <summary>The links between consecutive parts (one fewer than the parts).</summary>
    public static IReadOnlyList<Link> Links(string phrase) => Read(phrase).Links;

    /// <summary>Why the phrase's <c>~</c> links cannot be used, or null (its parts are checked by <see cref="PhraseSyntax"/>).</summary>
    public static string? Problem(string phrase)
    {
        ArgumentNullException.ThrowIfNull(phrase);
        if (!phrase.Contains('~', StringComparison.Ordinal))
        {
            return null;
        }

        var tokens = phrase.Split(' ');
        var expectPart = true;
        var parts = 1;
        foreach (var token in tokens)
        {
            if (!token.StartsWith('~'))
            {
                if (token.Contains('~', StringComparison.Ordinal))
                {
                    return $"'{token}' in '{phrase}': '~' must stand alone between parts, as in 'knife ~4 school'";
                }

                expectPart = false;
                continue;
            }

            if (expectPart)
            {
                return $"'{token}' in '{phrase}' must come between two parts, as in 'knife ~4 school'";
            }

            if (LinkOf(token) is null)
            {
                return $"'{token}' in '{phrase}' is not '~N' or '~~N' with N from 1 to {MaxWindow}";
            }

            expectPart = true;
            if (++parts > MaxParts)
            {
                return $"'{phrase}' has more than {MaxParts} parts";
            }
        }

        return expectPart ? $"'{phrase}' ends with '~': a part must follow it" : null;
    }

    private static (List<string> Parts, List<Link> Links) Read(string phrase)
    {
        if (Problem(phrase) is { } problem)
        {
            throw new FormatException(problem);
        }

        var parts = new List<string>();
        var links = new List<Link>();
        var words = new List<string>();
        foreach (var token in phrase.Split(' '))
        {
            if (token.StartsWith('~'))
            {
                parts.Add(string.Join(' ', words));
                words.Clear();
                links.Add(LinkOf(token)!.Value);
            }
            else
            {
                words.Add(token);
            }
        }

        parts.Add(string.Join(' ', words));
        return (parts, links);
    }

    private static Link? LinkOf(string token)
    {
        var either = token.StartsWith("~~", StringComparison.Ordinal);
        var digits = token[(either ? 2 : 1)..];
        return digits.Length is > 0 and <= 2 && digits.All(char.IsAsciiDigit)
            && int.TryParse(digits, NumberStyles.None, CultureInfo.InvariantCulture, out var window) && window is >= 1 and <= MaxWindow
            ? new Link(window, either)
            : null;
    }
}
