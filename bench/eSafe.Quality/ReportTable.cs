using System.Globalization;
using System.Text;
using eSafe.Detection.Quality;

namespace eSafe.Quality;

/// <summary>The sentences' figures as a table, with the issue's targets, and (on request) what went wrong.</summary>
internal static class ReportTable
{
    public const double RecallTarget = 0.95;
    public const double CategoryTarget = 0.90;

    public static string Render(QualityReport report, bool details)
    {
        var text = new StringBuilder();
        text.AppendLine(CultureInfo.InvariantCulture, $"{"category",-16} {"sentences",9} {"found",6} {"recall",7} {"named",6} {"category",8} {"incidents",9} {"precision",9}");
        foreach (var score in report.Categories.Append(report.Overall))
        {
            text.AppendLine(CultureInfo.InvariantCulture,
                $"{score.Category,-16} {score.Positives,9} {score.Found,6} {score.Recall,7:0.000} {score.Named,6} {score.CategoryAccuracy,8:0.000} {score.Predicted,9} {score.Precision,9:0.000}");
        }

        text.AppendLine(CultureInfo.InvariantCulture, $"benign sentences that hit: {report.FalseHits.Count} of {report.Benign}");
        text.AppendLine(CultureInfo.InvariantCulture,
            $"targets: recall >= {RecallTarget:0.00} ({Met(report.Overall.Recall >= RecallTarget)}), category >= {CategoryTarget:0.00} ({Met(report.Overall.CategoryAccuracy >= CategoryTarget)})");
        if (details)
        {
            Section(text, "missed", report.Missed);
            Section(text, "named as another category", report.WrongCategory);
            Section(text, "benign sentences that hit", report.FalseHits);
        }

        return text.ToString();
    }

    private static string Met(bool met) => met ? "met" : "not met";

    private static void Section(StringBuilder text, string title, IReadOnlyList<SentenceOutcome> outcomes)
    {
        text.AppendLine(CultureInfo.InvariantCulture, $"-- {title} ({outcomes.Count})");
        foreach (var o in outcomes)
        {
            var found = o.FoundAs is null ? "" : $"  => {o.FoundAs} {o.EntryId} '{o.MatchedText}'";
            text.AppendLine(CultureInfo.InvariantCulture, $"{o.Sentence.Label,-16} {o.Sentence.Text}{found}");
        }
    }
}
