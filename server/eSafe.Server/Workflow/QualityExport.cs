using System.Text.RegularExpressions;
using eSafe.Contracts.Http;
using eSafe.Detection.Quality;
using eSafe.Server.Analysts;
using eSafe.Server.Storage;

namespace eSafe.Server.Workflow;

/// <summary>
/// The analysts' signals as labelled sentences in the quality set's format (label TAB text): the text around the hit
/// of every incident decided "no action: false positive" (label benign), and every missed sentence (its category).
/// Only the text: no user ID, device, school or address, and web addresses inside the text are left out.
/// Senior analysts only; audited.
/// </summary>
public sealed partial class QualityExport(IIncidentStore incidents, IMissedSentenceStore missed, IAuditLog audit)
{
    public sealed record Counts(int FalsePositives, int Missed);

    /// <summary>The lines, or null when the user may not export.</summary>
    public async Task<(IReadOnlyList<string> Lines, Counts Counts)?> ExportAsync(ConsoleUser user, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(user);
        if (!user.IsSenior)
        {
            return null;
        }

        var schools = user.Scope.Narrow(null);
        var lines = new List<string>();
        var facts = await incidents.ListFactsAsync(new IncidentFilter { SchoolIds = schools, Statuses = [IncidentStatuses.NoAction] }, cancellationToken);
        var falsePositives = 0;
        foreach (var fact in facts.Where(f => f.NoActionReason == NoActionReasons.FalsePositive).OrderBy(f => f.Id, StringComparer.Ordinal))
        {
            if (await incidents.GetAsync(fact.Id, cancellationToken) is { } stored && Line(LabelledSentence.Benign, stored.Incident.Context) is { } line)
            {
                lines.Add(line);
                falsePositives++;
            }
        }

        var sentences = await missed.ListAsync(schools, cancellationToken);
        lines.AddRange(sentences.Select(s => Line(s.Category, s.Text)).OfType<string>());
        var counts = new Counts(falsePositives, lines.Count - falsePositives);
        await audit.AppendAsync(new AuditEvent(user.Username, AuditActions.QualityExported,
            Detail: $"{counts.FalsePositives} false positives, {counts.Missed} missed sentences"), cancellationToken);
        return (lines, counts);
    }

    private static string? Line(string label, string text)
    {
        var withoutAddresses = WebAddress().Replace(text, " ").Trim();
        return withoutAddresses.Length == 0 ? null : SentenceFile.Line(new LabelledSentence(label, withoutAddresses));
    }

    [GeneratedRegex(@"\b(?:https?://|www\.)\S+", RegexOptions.IgnoreCase)]
    private static partial Regex WebAddress();
}
