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

        var account = await accounts.FindAsync(user.Username, cancellationToken);
        return await ChangeAsync(user, id, remote, request.ExpectedVersion, async (stored, workflow, now) =>
        {
            if (!IncidentStatuses.IsUndecided(workflow.Status))
            {
                return "This incident has been decided already: reopen it to decide again.";
            }

            var decision = new Decision(request.Outcome, request.NoActionReason, request.Severity, Trimmed(request.Narrative),
                Trimmed(request.EscalationReason), request.Urgent, request.KeepFullUrl, Trimmed(request.ProposedException), user.Username,
                account?.DisplayName ?? user.DisplayName, account?.Qualifications, now);
            var intervention = decision.Outcome == DecisionOutcomes.Intervention;
            var school = await safeguarding.GetAsync(stored.Incident.SchoolId, cancellationToken);
            return workflow with
            {
                Status = intervention ? IncidentStatuses.Escalated : IncidentStatuses.NoAction,
                Decisions = [.. workflow.Decisions, decision],
                Alert = intervention && EscalationPlanner.IsAlert(decision, school) && !workflow.AlertOpen
                    ? new UrgentAlert(AcknowledgeTokens.New(), now, null)
                    : workflow.Alert,
            };
        }, (stored, before, decided, now) => DecidedAsync(user, stored, before, decided, now, remote, cancellationToken), cancellationToken);
    }

    // The decision is durable first; planning is idempotent (unique keys), and the upkeep plans again after a crash here.
    private async Task DecidedAsync(ConsoleUser user, StoredIncident stored, IncidentWorkflow before, IncidentWorkflow decided, DateTimeOffset now,
        string? remote, CancellationToken cancellationToken)
    {
        var (id, schoolId, decision) = (stored.Id, stored.Incident.SchoolId, decided.Decisions[^1]);
        var school = await safeguarding.GetAsync(schoolId, cancellationToken);
        foreach (var job in EscalationPlanner.Plan(schoolId, id, decided.Decisions.Count, decision, school, options, now))
        {
            await jobs.AddAsync(job, cancellationToken);
        }

        await audit.AppendAsync(new AuditEvent(user.Username, AuditActions.IncidentDecided, id, schoolId, remote, Describe(decision)), cancellationToken);
        if (decided.Alert is not null && decided.Alert != before.Alert)
        {
            await audit.AppendAsync(new AuditEvent(user.Username, AuditActions.AlertRaised, id, schoolId, remote), cancellationToken);
        }

        if (decision.ProposedException is { } exception)
        {
            await ProposeAsync(user, stored, exception, now, remote, cancellationToken);
        }
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

        return await ChangeAsync(user, id, remote, request.ExpectedVersion, (_, workflow, now) =>
        {
            if (IncidentStatuses.IsUndecided(workflow.Status))
            {
                return Task.FromResult<object>("This incident is not decided: there is nothing to reopen.");
            }

            // Reopening withdraws the decision: an alert still waiting is closed as withdrawn, so the calls stop.
            var alert = workflow.AlertOpen ? workflow.Alert! with { Acknowledgement = new Acknowledgement(user.DisplayName, "withdrawn", now) } : workflow.Alert;
            return Task.FromResult<object>(workflow with
            {
                Status = IncidentStatuses.New,
                Reopens = [.. workflow.Reopens, new Reopening(request.Reason.Trim(), user.Username, now)],
                Alert = alert,
            });
        }, Audited(user, AuditActions.IncidentReopened, remote, cancellationToken), cancellationToken);
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

        return await ChangeAsync(user, id, remote, null, (stored, workflow, now) =>
        {
            var problems = DecisionRules.ResponseProblems(request, DateOnly.FromDateTime(now.UtcDateTime),
                DateOnly.FromDateTime(stored.Incident.OccurredAt.UtcDateTime));
            object next = problems.Count > 0 ? Outcome.Invalid<WorkflowView>(problems, "The response is not complete; nothing was changed.")
                : workflow.Status != IncidentStatuses.Escalated ? "Only an incident escalated to the school and not yet closed takes the school's response."
                : workflow with
                {
                    Status = IncidentStatuses.Closed,
                    Response = new SchoolResponse(request.ActionTaken.Trim(), request.ActionDate, request.ActionBy.Trim(), user.Username, now),
                };
            return Task.FromResult(next);
        }, Audited(user, AuditActions.SchoolResponded, remote, cancellationToken), cancellationToken);
    }

    /// <summary>The school's contact acknowledges an urgent alert in the console.</summary>
    public async Task<Outcome<WorkflowView>> AcknowledgeAsync(ConsoleUser user, string id, string? remote, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(user);
        if (user.IsStaff)
        {
            return Outcome.Forbidden<WorkflowView>("Someone at the school acknowledges an alert: by phone, by the text's link or here as the school's contact.");
        }

        return await ChangeAsync(user, id, remote, null, (_, workflow, now) => Task.FromResult<object>(!workflow.AlertOpen
                ? "There is no alert waiting for acknowledgement on this incident."
                : workflow with { Alert = workflow.Alert! with { Acknowledgement = new Acknowledgement(user.DisplayName, "console", now) } }),
            Audited(user, AuditActions.AlertAcknowledged, remote, cancellationToken), cancellationToken);
    }

    /// <summary>
    /// Every change of a workflow: the incident read in the user's scope (refusals audited by <see cref="IncidentAccess"/>), the
    /// version the user saw checked, the change made — it returns the next workflow, a string saying why it cannot be made now
    /// (409), or a refusal of its own — saved with the store's version check, then <paramref name="saved"/> (audit, planning).
    /// </summary>
    private async Task<Outcome<WorkflowView>> ChangeAsync(ConsoleUser user, string id, string? remote, int? expectedVersion,
        Func<StoredIncident, IncidentWorkflow, DateTimeOffset, Task<object>> change,
        Func<StoredIncident, IncidentWorkflow, IncidentWorkflow, DateTimeOffset, Task> saved, CancellationToken cancellationToken)
    {
        if (await access.ReadableAsync(user, id, remote, cancellationToken) is not { } stored
            || await workflows.GetAsync(id, cancellationToken) is not { } workflow)
        {
            return Outcome.NotFound<WorkflowView>("There is no incident with this ID.");
        }

        if (expectedVersion is { } expected && expected != workflow.Version)
        {
            return Outcome.Conflict<WorkflowView>("Someone else changed this incident while you were looking at it: reload it.");
        }

        var now = clock.GetUtcNow();
        switch (await change(stored, workflow, now))
        {
            case Outcome<WorkflowView> refused:
                return refused;
            case IncidentWorkflow next:
                next = next with { Version = workflow.Version + 1 };
                if (!await workflows.SaveAsync(id, next, cancellationToken))
                {
                    return Outcome.Conflict<WorkflowView>("Someone else changed this incident at the same moment: reload it.");
                }

                await saved(stored, workflow, next, now);
                return WorkflowViews.View(next, await jobs.ListForIncidentAsync(id, cancellationToken),
                    await safeguarding.GetAsync(stored.Incident.SchoolId, cancellationToken));
            case var reason:
                return Outcome.Conflict<WorkflowView>(reason as string ?? "The change cannot be made.");
        }
    }

    private Func<StoredIncident, IncidentWorkflow, IncidentWorkflow, DateTimeOffset, Task> Audited(ConsoleUser user, string action, string? remote,
        CancellationToken cancellationToken) =>
        (stored, _, _, _) => audit.AppendAsync(new AuditEvent(user.Username, action, stored.Id, stored.Incident.SchoolId, remote), cancellationToken);

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
