using eSafe.Contracts.Http;
using eSafe.Detection;
using eSafe.Detection.Compilation;

namespace eSafe.Server.Workflow;

/// <summary>What makes a decision, a reopening and a school's response valid; every problem is named by its field.</summary>
public static class DecisionRules
{
    public const int MinNarrative = 20;
    public const int MaxNarrative = 4000;
    public const int MaxReason = 1000;

    public static Dictionary<string, string[]> Problems(DecisionRequest decision)
    {
        ArgumentNullException.ThrowIfNull(decision);
        var problems = new Dictionary<string, string[]>(StringComparer.Ordinal);
        if (!DecisionOutcomes.IsKnown(decision.Outcome))
        {
            problems["outcome"] = [$"The outcome must be {DecisionOutcomes.NoAction} or {DecisionOutcomes.Intervention}."];
            return problems;
        }

        if (decision.Outcome == DecisionOutcomes.NoAction)
        {
            if (!NoActionReasons.IsKnown(decision.NoActionReason))
            {
                problems["noActionReason"] = [$"Say why no action is needed: {string.Join(", ", NoActionReasons.All)}."];
            }

            if (decision.Urgent)
            {
                problems["urgent"] = ["Only an intervention can be urgent."];
            }

            if (decision.ProposedException is { Length: > 0 } exception)
            {
                if (decision.NoActionReason != NoActionReasons.FalsePositive)
                {
                    problems["proposedException"] = ["An exception is proposed only for a false positive."];
                }
                else if (PhraseSyntax.ExceptionProblem(exception) is { } problem)
                {
                    problems["proposedException"] = ["The exception is written as a library phrase: " + problem + "."];
                }
            }

            Text(problems, "narrative", decision.Narrative, 0, MaxNarrative);
            return problems;
        }

        if (decision.Severity is not (>= ThreatEntry.MinSeverity and <= ThreatEntry.MaxSeverity))
        {
            problems["severity"] = ["An intervention needs a severity from 1 to 5."];
        }

        Text(problems, "narrative", decision.Narrative, MinNarrative, MaxNarrative);
        Text(problems, "escalationReason", decision.EscalationReason, 3, MaxReason);
        if (decision.NoActionReason is not null)
        {
            problems["noActionReason"] = ["A reason for no action does not go with an intervention."];
        }

        if (decision.ProposedException is { Length: > 0 })
        {
            problems["proposedException"] = ["An exception is proposed only for a false positive."];
        }

        return problems;
    }

    public static Dictionary<string, string[]> ReopenProblems(ReopenRequest request)
    {
        ArgumentNullException.ThrowIfNull(request);
        var problems = new Dictionary<string, string[]>(StringComparer.Ordinal);
        Text(problems, "reason", request.Reason, 3, MaxReason);
        return problems;
    }

    public static Dictionary<string, string[]> ResponseProblems(SchoolResponseRequest response, DateOnly today, DateOnly incidentDay)
    {
        ArgumentNullException.ThrowIfNull(response);
        var problems = new Dictionary<string, string[]>(StringComparer.Ordinal);
        Text(problems, "actionTaken", response.ActionTaken, 3, MaxNarrative);
        Text(problems, "actionBy", response.ActionBy, 1, 120);
        if (response.ActionDate > today.AddDays(1) || response.ActionDate < incidentDay.AddDays(-1))
        {
            problems["actionDate"] = ["The date the school acted is on or after the incident and not in the future."];
        }

        return problems;
    }

    // Text people write: control characters other than line breaks and tabs are refused.
    private static void Text(Dictionary<string, string[]> problems, string field, string? value, int min, int max)
    {
        var length = value?.Trim().Length ?? 0;
        if (length < min || length > max)
        {
            problems[field] = [min == 0 ? $"At most {max} characters." : $"Between {min} and {max} characters are needed."];
        }
        else if (value is not null && value.Any(c => char.IsControl(c) && c is not '\n' and not '\r' and not '\t'))
        {
            problems[field] = ["Control characters are not allowed."];
        }
    }
}
