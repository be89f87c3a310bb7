namespace eSafe.Detection;

/// <summary>One phrase of a threat library.</summary>
/// <param name="Id">Stable ID, unique within its library (for example <c>sh-0001</c>).</param>
/// <param name="Phrase">The words to find, in plain lower-case text.</param>
/// <param name="Category">One of <see cref="ThreatCategories"/>.</param>
/// <param name="Severity">1 (lowest) to 5 (illegal or life-threatening).</param>
public sealed record ThreatEntry(string Id, string Phrase, string Category, int Severity)
{
    public const int MinSeverity = 1;
    public const int MaxSeverity = 5;
}
