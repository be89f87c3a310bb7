namespace eSafe.Detection.Quality;

/// <summary>
/// What the matcher made of a labelled set: a score per category, the overall one (its precision is over every
/// sentence that hit: a benign one that hits counts against it), and the sentences it got wrong.
/// </summary>
public sealed record QualityReport(
    IReadOnlyList<CategoryScore> Categories,
    CategoryScore Overall,
    int Benign,
    IReadOnlyList<SentenceOutcome> Missed,
    IReadOnlyList<SentenceOutcome> WrongCategory,
    IReadOnlyList<SentenceOutcome> FalseHits);

/// <summary>One sentence and what it was found as (null: no hit), with the entry that decided it.</summary>
public sealed record SentenceOutcome(LabelledSentence Sentence, string? FoundAs, string? EntryId, string? MatchedText);
