namespace eSafe.Detection;

/// <summary>One phrase of a threat library (docs/THREAT-LIBRARY.md).</summary>
/// <param name="Id">Stable ID, unique within its library (for example <c>sh-0001</c>).</param>
/// <param name="Phrase">The words to find, lower case, with <c>+</c> (inflections) and <c>*</c> (prefix) marks.</param>
/// <param name="Category">One of <see cref="ThreatCategories"/>.</param>
/// <param name="Severity">1 (lowest) to 5 (illegal or life-threatening).</param>
/// <param name="Language">BCP 47 tag of the phrase's language.</param>
/// <param name="Exceptions">Phrases that cancel a hit lying inside them ("kill the process").</param>
/// <param name="Context">Words a hit needs, or must not have, near it (<c>unless 8: macbeth|film</c>); empty for none.</param>
public sealed record ThreatEntry(string Id, string Phrase, string Category, int Severity, string Language = "en-GB",
    IReadOnlyList<string>? Exceptions = null, string? Context = null)
{
    public const int MinSeverity = 1;
    public const int MaxSeverity = 5;

    public IReadOnlyList<string> Exceptions { get; init; } = Exceptions ?? [];

    public string Context { get; init; } = Context ?? "";
}
