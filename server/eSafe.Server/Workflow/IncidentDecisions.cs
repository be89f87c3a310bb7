using eSafe.Contracts.Http;
using eSafe.Server.Analysts;
using eSafe.Server.Escalation;
using eSafe.Server.Notifications.Phone;
using eSafe.Server.Security;
using eSafe.Server.Storage;
using eSafe.Server.Web;

namespace eSafe.Server.Workflow;

/// <summary>
/// Changes an incident's workflow: an analyst's decision (which plans the school's protocol) or reopening, the school's
/// response, the acknowledgement of an urgent alert. Each change is saved with a version check and audited with who and when.
/// </summary>
public sealed class IncidentDecisions(
    IncidentAccess access,
    IIncidentWorkflowStore workflows,
    IJobStore jobs,
    ISafeguardingStore safeguarding,
    IProposalStore proposals,
    IAnalystStore accounts,
    IAuditLog audit,
    EscalationOptions options,
    TimeProvider clock)
{
    public async Task<Outcome<WorkflowView>> DecideAsync(ConsoleUser user, string id, DecisionRequest request, string? remote,
        CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(user);
        ArgumentNullException.ThrowIfNull(request);
        if (!user.IsStaff)
        {
            return Outcome.Forbidden<WorkflowView>("Only analysts decide incidents.");
        }

        var problems = DecisionRules.Problems(request);
        if (problems.Count > 0)
        {
            return Outcome.Invalid<WorkflowView>(problems, "The decision is not valid; nothing was changed.");
        }

        var (stored, workflow) = await OpenAsync(user, id, remote, cancellationToken);
        if (stored is null || workflow is null)
        {
            return Outcome.NotFound<WorkflowView>("There is no incident with this ID.");
        }

        if (!IncidentStatuses.IsUndecided(workflow.Status))
        {
            return Outcome.Conflict<WorkflowView>("This incident has been decided already: reopen it to decide again.");
        }

        if (request.ExpectedVersion is { } expected && expected != workflow.Version)
        {
            return Outcome.Conflict<WorkflowView>("Someone else changed this incident while you were looking at it: reload it and decide again.");
        }

        var account = await accounts.FindAsync(user.Username, cancellationToken);
        var now = clock.GetUtcNow();
        var decision = new Decision(request.Outcome, request.NoActionReason, request.Severity, Trimmed(request.Narrative),
            Trimmed(request.EscalationReason), request.Urgent, request.KeepFullUrl, Trimmed(request.ProposedException), user.Username,
            account?.DisplayName ?? user.DisplayName, account?.Qualifications, now);
        var school = await safeguarding.GetAsync(stored.Incident.SchoolId, cancellationToken);
        var intervention = decision.Outcome == DecisionOutcomes.Intervention;
        var alert = intervention && EscalationPlanner.IsAlert(decision, school) && !workflow.AlertOpen
            ? new UrgentAlert(AcknowledgeTokens.New(), now, null)
            : workflow.Alert;
        var decided = workflow with
        {
            Version = workflow.Version + 1,
            Status = intervention ? IncidentStatuses.Escalated : IncidentStatuses.NoAction,
            Decisions = [.. workflow.Decisions, decision],
            Alert = alert,
        };
        if (!await workflows.SaveAsync(id, decided, cancellationToken))
        {
            return Outcome.Conflict<WorkflowView>("Someone else changed this incident at the same moment: reload it and decide again.");
        }

        // The decision is durable first; planning is idempotent (unique keys), and the sweep plans again after a crash here.
        foreach (var job in EscalationPlanner.Plan(stored.Incident.SchoolId, id, decided.Decisions.Count, decision, school, options, now))
        {
            await jobs.AddAsync(job, cancellationToken);
        }

        var schoolId = stored.Incident.SchoolId;
        await audit.AppendAsync(new AuditEvent(user.Username, AuditActions.IncidentDecided, id, schoolId, remote, Describe(decision)), cancellationToken);
        if (alert is not null && alert != workflow.Alert)
        {
            await audit.AppendAsync(new AuditEvent(user.Username, AuditActions.AlertRaised, id, schoolId, remote), cancellationToken);
        }

        if (decision.ProposedException is { } exception)
        {
            await ProposeAsync(user, stored, exception, now, remote, cancellationToken);
        }

        return WorkflowViews.View(decided, await jobs.ListForIncidentAsync(id, cancellationToken), school);
    }

    public async Task<Outcome<WorkflowView>> ReopenAsync(ConsoleUser user, string id, ReopenRequest request, string? remote,
        CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(user);
        ArgumentNullException.ThrowIfNull(request);
        if (!user.IsStaff)
        {
            return Outcome.Forbidden<WorkflowView>("Only analysts reopen incidents.");
        }

        var problems = DecisionRules.ReopenProblems(request);
        if (problems.Count > 0)
        {
            return Outcome.Invalid<WorkflowView>(problems, "Say why the incident is reopened; nothing was changed.");
        }

        return await ChangeAsync(user, id, remote, request.ExpectedVersion, AuditActions.IncidentReopened, (workflow, now) =>
        {
            if (IncidentStatuses.IsUndecided(workflow.Status))
            {
                return "This incident is not decided: there is nothing to reopen.";
            }

            // Reopening withdraws the decision: an alert still waiting is closed as withdrawn, so the calls stop.
            var alert = workflow.AlertOpen ? workflow.Alert! with { Acknowledgement = new Acknowledgement(user.DisplayName, "withdrawn", now) } : workflow.Alert;
            return workflow with
            {
                Status = IncidentStatuses.New,
                Reopens = [.. workflow.Reopens, new Reopening(request.Reason.Trim(), user.Username, now)],
                Alert = alert,
            };
        }, cancellationToken);
    }

    /// <summary>The school's contact records what the school did; the incident is closed.</summary>
    public async Task<Outcome<WorkflowView>> RespondAsync(ConsoleUser user, string id, SchoolResponseRequest request, string? remote,
        CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(user);
        ArgumentNullException.ThrowIfNull(request);
        if (user.IsStaff)
        {
            return Outcome.Forbidden<WorkflowView>("The school's own contact records what the school did.");
        }

        var (stored, _) = await OpenAsync(user, id, remote, cancellationToken);
        if (stored is null)
        {
            return Outcome.NotFound<WorkflowView>("There is no incident with this ID.");
        }

        var today = DateOnly.FromDateTime(clock.GetUtcNow().UtcDateTime);
        var problems = DecisionRules.ResponseProblems(request, today, DateOnly.FromDateTime(stored.Incident.OccurredAt.UtcDateTime));
        if (problems.Count > 0)
        {
            return Outcome.Invalid<WorkflowView>(problems, "The response is not complete; nothing was changed.");
        }

        return await ChangeAsync(user, id, remote, null, AuditActions.SchoolResponded, (workflow, now) =>
            workflow.Status != IncidentStatuses.Escalated
                ? "Only an incident escalated to the school and not yet closed takes the school's response."
                : workflow with
                {
                    Status = IncidentStatuses.Closed,
                    Response = new SchoolResponse(request.ActionTaken.Trim(), request.ActionDate, request.ActionBy.Trim(), user.Username, now),
                }, cancellationToken);
    }

    /// <summary>The school's contact acknowledges an urgent alert in the console.</summary>
    public async Task<Outcome<WorkflowView>> AcknowledgeAsync(ConsoleUser user, string id, string? remote, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(user);
        if (user.IsStaff)
        {
            return Outcome.Forbidden<WorkflowView>("Someone at the school acknowledges an alert: by phone, by the text's link or here as the school's contact.");
        }

        return await ChangeAsync(user, id, remote, null, AuditActions.AlertAcknowledged, (workflow, now) =>
            !workflow.AlertOpen
                ? "There is no alert waiting for acknowledgement on this incident."
                : workflow with { Alert = workflow.Alert! with { Acknowledgement = new Acknowledgement(user.DisplayName, "console", now) } },
            cancellationToken);
    }

    // Reads the incident in the user's scope (refusals audited by IncidentAccess) and its workflow.
    private async Task<(StoredIncident? Incident, IncidentWorkflow? Workflow)> OpenAsync(ConsoleUser user, string id, string? remote,
        CancellationToken cancellationToken)
    {
        var stored = await access.ReadableAsync(user, id, remote, cancellationToken);
        return stored is null ? (null, null) : (stored, await workflows.GetAsync(id, cancellationToken));
    }

    // The change returns the next workflow, or a string saying why it cannot be made now.
    private async Task<Outcome<WorkflowView>> ChangeAsync(ConsoleUser user, string id, string? remote, int? expectedVersion, string action,
        Func<IncidentWorkflow, DateTimeOffset, object> change, CancellationToken cancellationToken)
    {
        var (stored, workflow) = await OpenAsync(user, id, remote, cancellationToken);
        if (stored is null || workflow is null)
        {
            return Outcome.NotFound<WorkflowView>("There is no incident with this ID.");
        }

        if (expectedVersion is { } expected && expected != workflow.Version)
        {
            return Outcome.Conflict<WorkflowView>("Someone else changed this incident while you were looking at it: reload it.");
        }

        var result = change(workflow, clock.GetUtcNow());
        if (result is not IncidentWorkflow next)
        {
            return Outcome.Conflict<WorkflowView>(result as string ?? "The change cannot be made.");
        }

        next = next with { Version = workflow.Version + 1 };
        if (!await workflows.SaveAsync(id, next, cancellationToken))
        {
            return Outcome.Conflict<WorkflowView>("Someone else changed this incident at the same moment: reload it.");
        }

        await audit.AppendAsync(new AuditEvent(user.Username, action, id, stored.Incident.SchoolId, remote), cancellationToken);
        return WorkflowViews.View(next, await jobs.ListForIncidentAsync(id, cancellationToken),
            await safeguarding.GetAsync(stored.Incident.SchoolId, cancellationToken));
    }

    private async Task ProposeAsync(ConsoleUser user, StoredIncident stored, string exception, DateTimeOffset now, string? remote,
        CancellationToken cancellationToken)
    {
        var proposal = new Proposal(Secrets.NewRecordId(now), stored.Id, stored.Incident.SchoolId, stored.Incident.RuleId, stored.Incident.Phrase,
            exception, user.Username, now, ProposalStates.Pending, null, null, null);
        await proposals.AddAsync(proposal, cancellationToken);
        await audit.AppendAsync(new AuditEvent(user.Username, AuditActions.ProposalMade, stored.Id, stored.Incident.SchoolId, remote,
            $"{proposal.Id} for {proposal.RuleId}"), cancellationToken);
    }

    private static string Describe(Decision d) => d.Outcome == DecisionOutcomes.Intervention
        ? $"intervention, severity {d.Severity}{(d.Urgent ? ", urgent" : "")}"
        : $"no action ({d.NoActionReason})";

    private static string? Trimmed(string? text) => string.IsNullOrWhiteSpace(text) ? null : text.Trim();
}
