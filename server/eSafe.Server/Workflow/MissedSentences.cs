using eSafe.Contracts.Http;
using eSafe.Detection;
using eSafe.Detection.Quality;
using eSafe.Incidents;
using eSafe.Server.Analysts;
using eSafe.Server.Storage;
using eSafe.Server.Web;

namespace eSafe.Server.Workflow;

/// <summary>
/// The analysts' "missed" signal: from an incident's page, a sentence the library did not find and its category.
/// Staff only, on an incident they may read; checked before anything is stored, and audited.
/// </summary>
public sealed class MissedSentences(IncidentAccess access, IMissedSentenceStore store, IAuditLog audit, TimeProvider clock)
{
    public async Task<Outcome<MissedSentence>> FileAsync(ConsoleUser user, string incidentId, MissedSentenceRequest request, string? remote,
        CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(user);
        ArgumentNullException.ThrowIfNull(request);
        if (!user.IsStaff)
        {
            return Outcome.Forbidden<MissedSentence>("Only analysts file missed sentences.");
        }

        var problems = Problems(request);
        if (problems.Count > 0)
        {
            return Outcome.Invalid<MissedSentence>(problems, "The missed sentence is not valid; nothing was stored.");
        }

        if (await access.ReadableAsync(user, incidentId, remote, cancellationToken) is not { } stored)
        {
            return Outcome.NotFound<MissedSentence>("No such incident.");
        }

        var now = clock.GetUtcNow();
        var sentence = new MissedSentence(IncidentId.New(now), incidentId, request.Category, request.Text.Trim(), user.Username, now);
        await store.AddAsync(stored.Incident.SchoolId, stored.ReceivedAt, sentence, cancellationToken);
        await audit.AppendAsync(new AuditEvent(user.Username, AuditActions.MissedSentenceFiled, incidentId, stored.Incident.SchoolId, remote,
            $"{sentence.Id} {sentence.Category}"), cancellationToken);
        return sentence;
    }

    private static Dictionary<string, string[]> Problems(MissedSentenceRequest request)
    {
        var problems = new Dictionary<string, string[]>(StringComparer.Ordinal);
        if (request.Category is null || !ThreatCategories.IsKnown(request.Category))
        {
            problems["category"] = [$"The category must be one of {string.Join(", ", ThreatCategories.All)}."];
        }

        var text = request.Text?.Trim();
        if (string.IsNullOrEmpty(text) || text.Length > SentenceFile.MaxTextLength)
        {
            problems["text"] = [$"The sentence must have 1 to {SentenceFile.MaxTextLength} characters."];
        }
        else if (text.Any(c => char.IsControl(c)))
        {
            problems["text"] = ["The sentence must be one line without control characters."];
        }

        return problems;
    }
}
