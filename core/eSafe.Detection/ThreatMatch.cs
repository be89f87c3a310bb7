namespace eSafe.Detection;

/// <summary>One hit: which entry, and where in the scanned text (UTF-16 code units).</summary>
public sealed record ThreatMatch(ThreatEntry Entry, int Start, int Length)
{
    /// <summary>The matched span of <paramref name="text"/>, as the pupil wrote it.</summary>
    public string MatchedText(string text) => text.Substring(Start, Length);

    /// <summary>The hit with up to <paramref name="radius"/> characters either side, for the analyst.</summary>
    public string Context(string text, int radius)
    {
        ArgumentNullException.ThrowIfNull(text);
        var from = Math.Max(0, Start - radius);
        var to = Math.Min(text.Length, Start + Length + radius);
        return text[from..to];
    }
}
