using eSafe.Contracts.Http;
using eSafe.Server.Escalation;
using eSafe.Server.Storage;

namespace eSafe.Server.Workflow;

/// <summary>An incident's workflow as the console shows it: decisions, response, alert, what was sent, and what is wrong.</summary>
public static class WorkflowViews
{
    public static WorkflowView View(IncidentWorkflow workflow, IReadOnlyList<EscalationJob> jobs, SafeguardingRecord safeguarding)
    {
        ArgumentNullException.ThrowIfNull(workflow);
        ArgumentNullException.ThrowIfNull(jobs);
        ArgumentNullException.ThrowIfNull(safeguarding);
        var contacts = safeguarding.Contacts.ToDictionary(c => c.Id, StringComparer.Ordinal);
        var deliveries = jobs.Select(j =>
        {
            var contact = j.ContactId is { } id ? contacts.GetValueOrDefault(id) : null;
            return new DeliveryView(j.Id, j.Kind, contact?.Name ?? (j.ContactId is null ? null : "(contact since removed)"), contact?.Role,
                j.State, j.Attempts, j.CreatedAt, j.State == JobStates.Pending ? j.DueAt : null, j.CompletedAt, j.LastError ?? j.Outcome);
        }).ToList();
        return new WorkflowView(workflow.Version, workflow.Status, workflow.Decisions, workflow.Reopens, workflow.Response, workflow.AlertOpen,
            workflow.Alert?.Acknowledgement, deliveries, Warnings(workflow, jobs, safeguarding));
    }

    private static List<string> Warnings(IncidentWorkflow workflow, IReadOnlyList<EscalationJob> jobs, SafeguardingRecord safeguarding)
    {
        var warnings = new List<string>();
        if (workflow.Current is not { Outcome: DecisionOutcomes.Intervention, Severity: { } severity } decision)
        {
            return warnings;
        }

        var rule = safeguarding.Protocol.RuleFor(severity);
        if (rule.Weekly && !EscalationPlanner.IsAlert(decision, safeguarding))
        {
            warnings.Add("This school's protocol puts this severity in the weekly summary: no report is emailed now.");
        }
        else if (!jobs.Any(j => j.DecisionNumber == workflow.Decisions.Count))
        {
            warnings.Add($"No contact at this school is nominated for severity {severity} ({string.Join(", ", rule.Roles)}): nobody has been told. Add contacts, then reopen and decide again.");
        }

        if (EscalationPlanner.IsAlert(decision, safeguarding)
            && !SafeguardingRules.ContactsFor(EscalationPlanner.CallRule(decision, safeguarding), safeguarding.Contacts).Any(c => c.Phone is not null))
        {
            warnings.Add("No contact for this alert has a phone number: the school cannot be rung.");
        }

        if (rule.Email && safeguarding.ReportPassword is null)
        {
            warnings.Add("The school has no report password yet: reports cannot be sent until a senior analyst sets one.");
        }

        if (jobs.Any(j => j.State == JobStates.Failed))
        {
            warnings.Add("A delivery failed: see below, and tell the school another way.");
        }

        return warnings;
    }
}
