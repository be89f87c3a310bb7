using eSafe.Contracts.Http;
using eSafe.Server.Security;
using eSafe.Server.Storage;

namespace eSafe.Server.Escalation;

/// <summary>
/// Turns an intervention into the school's protocol's jobs: a report email to each contact of the severity's roles, and
/// for an urgent alert the first call. Unique keys (incident, decision number, contact or step) make planning twice harmless.
/// </summary>
public static class EscalationPlanner
{
    public static IReadOnlyList<EscalationJob> Plan(string schoolId, string incidentId, int decisionNumber, Decision decision,
        SafeguardingRecord safeguarding, EscalationOptions options, DateTimeOffset now)
    {
        ArgumentNullException.ThrowIfNull(decision);
        ArgumentNullException.ThrowIfNull(safeguarding);
        if (decision.Outcome != DecisionOutcomes.Intervention || decision.Severity is not { } severity)
        {
            return [];
        }

        var rule = safeguarding.Protocol.RuleFor(severity);
        var jobs = new List<EscalationJob>();
        if (rule.Email || IsAlert(decision, safeguarding))
        {
            var emailRule = rule.Email ? rule : CallRule(decision, safeguarding);
            foreach (var contact in SafeguardingRules.ContactsFor(emailRule, safeguarding.Contacts).Where(c => c.Email is not null))
            {
                jobs.Add(New(JobKinds.ReportEmail, schoolId, incidentId, decisionNumber, contact.Id, 0, $"report:{incidentId}:{decisionNumber}:{contact.Id}", now));
            }
        }

        if (rule.Weekly && !IsAlert(decision, safeguarding))
        {
            // The school's weekly summary will carry it: make sure one is planned (the same job for every concern of the week).
            jobs.Add(WeeklySummaryHandler.Plan(schoolId, WeeklySummaryHandler.NextRun(now, options)));
        }

        if (IsAlert(decision, safeguarding))
        {
            jobs.Add(New(JobKinds.AlertCall, schoolId, incidentId, decisionNumber, null, 0, CallKey(incidentId, decisionNumber, 0), now));
        }

        return jobs;
    }

    /// <summary>An intervention at severity 5, one marked urgent, or one whose protocol rule says phone, rings the school.</summary>
    public static bool IsAlert(Decision decision, SafeguardingRecord safeguarding)
    {
        ArgumentNullException.ThrowIfNull(decision);
        ArgumentNullException.ThrowIfNull(safeguarding);
        return decision.Outcome == DecisionOutcomes.Intervention
            && (decision.Urgent || decision.Severity == 5 || (decision.Severity is { } s && safeguarding.Protocol.RuleFor(s).Phone));
    }

    /// <summary>Whose phones an alert rings: its severity's rule when that says phone, otherwise severity 5's.</summary>
    public static ProtocolRule CallRule(Decision decision, SafeguardingRecord safeguarding)
    {
        ArgumentNullException.ThrowIfNull(decision);
        ArgumentNullException.ThrowIfNull(safeguarding);
        var rule = safeguarding.Protocol.RuleFor(decision.Severity ?? 5);
        return rule.Phone ? rule : safeguarding.Protocol.RuleFor(5);
    }

    public static string CallKey(string incidentId, int decisionNumber, int step) => $"call:{incidentId}:{decisionNumber}:{step}";

    public static EscalationJob New(string kind, string schoolId, string? incidentId, int decisionNumber, string? contactId, int step,
        string uniqueKey, DateTimeOffset due) =>
        new(Secrets.NewRecordId(due), kind, schoolId, incidentId, decisionNumber, contactId, step, uniqueKey, due, due, JobStates.Pending, 0, null, null, null);
}
