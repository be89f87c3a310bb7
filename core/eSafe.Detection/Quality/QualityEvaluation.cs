namespace eSafe.Detection.Quality;

/// <summary>Scans a labelled set with a matcher and scores it (<see cref="QualityReport"/>).</summary>
public static class QualityEvaluation
{
    public const string Overall = "overall";

    public static QualityReport Evaluate(IThreatMatcher matcher, IReadOnlyList<LabelledSentence> sentences)
    {
        ArgumentNullException.ThrowIfNull(matcher);
        ArgumentNullException.ThrowIfNull(sentences);
        var outcomes = sentences.Select(s => Outcome(matcher, s)).ToList();
        var positives = outcomes.Where(o => o.Sentence.IsPositive).ToList();

        var categories = ThreatCategories.All.Select(category => Score(category, outcomes.Where(o => o.Sentence.Label == category).ToList(),
            outcomes.Where(o => o.FoundAs == category).ToList())).ToList();
        var hits = outcomes.Where(o => o.FoundAs is not null).ToList();
        var overall = new CategoryScore(Overall, positives.Count, positives.Count(o => o.FoundAs is not null),
            positives.Count(o => o.FoundAs == o.Sentence.Label), hits.Count, hits.Count(o => o.Sentence.IsPositive));

        return new QualityReport(categories, overall, outcomes.Count - positives.Count,
            positives.Where(o => o.FoundAs is null).ToList(),
            positives.Where(o => o.FoundAs is not null && o.FoundAs != o.Sentence.Label).ToList(),
            outcomes.Where(o => !o.Sentence.IsPositive && o.FoundAs is not null).ToList());
    }

    private static CategoryScore Score(string category, List<SentenceOutcome> labelled, List<SentenceOutcome> predicted) =>
        new(category, labelled.Count, labelled.Count(o => o.FoundAs is not null), labelled.Count(o => o.FoundAs == category),
            predicted.Count, predicted.Count(o => o.Sentence.Label == category));

    // The incident's category is the hit of highest severity, the first of them on a tie (as the device pipeline picks).
    private static SentenceOutcome Outcome(IThreatMatcher matcher, LabelledSentence sentence)
    {
        ThreatMatch? best = null;
        foreach (var match in matcher.Scan(sentence.Text))
        {
            if (best is null || match.Entry.Severity > best.Entry.Severity)
            {
                best = match;
            }
        }

        return new SentenceOutcome(sentence, best?.Entry.Category, best?.Entry.Id, best?.MatchedText(sentence.Text));
    }
}
