using eSafe.Contracts.Http;
using eSafe.Server.Notifications.Phone;
using eSafe.Server.Storage;

namespace eSafe.Server.Escalation;

/// <summary>
/// An urgent alert acknowledged by phone (a key pressed on the call) or by the text's link: recorded on the incident with the
/// contact's name when the number is theirs, audited, and the calls stop (each call job checks the alert first).
/// </summary>
public sealed class AlertAcknowledgements(IIncidentWorkflowStore workflows, IIncidentStore incidents, ISafeguardingStore safeguarding,
    ISchoolStore schools, IAuditLog audit, TimeProvider clock) : IPhoneAcknowledgements
{
    private const int MaxAttempts = 5;

    public async Task<AcknowledgeOutcome> AcknowledgeAsync(string token, string channel, string? byPhone, CancellationToken cancellationToken)
    {
        for (var attempt = 0; attempt < MaxAttempts; attempt++)
        {
            if (await FindAsync(token, cancellationToken) is not { } found)
            {
                return AcknowledgeOutcome.Unknown;
            }

            var (stored, workflow) = found;
            if (!workflow.AlertOpen)
            {
                return AcknowledgeOutcome.AlreadyAcknowledged;
            }

            var contacts = (await safeguarding.GetAsync(stored.Incident.SchoolId, cancellationToken)).Contacts;
            var who = byPhone is null ? null : contacts.FirstOrDefault(c => c.Phone == byPhone);
            var by = who is null ? $"a school contact by {channel}" : $"{who.Name} ({who.Role})";
            var acknowledged = workflow with
            {
                Version = workflow.Version + 1,
                Alert = workflow.Alert! with { Acknowledgement = new Acknowledgement(by, channel, clock.GetUtcNow()) },
            };
            if (await workflows.SaveAsync(stored.Id, acknowledged, cancellationToken))
            {
                await audit.AppendAsync(new AuditEvent(who?.Id is { } id ? $"contact:{id}" : $"contact:{channel}", AuditActions.AlertAcknowledged,
                    stored.Id, stored.Incident.SchoolId, Detail: $"by {channel}"), cancellationToken);
                return AcknowledgeOutcome.Acknowledged;
            }
        }

        return AcknowledgeOutcome.AlreadyAcknowledged;
    }

    public async Task<AlertDescription?> DescribeAsync(string token, CancellationToken cancellationToken)
    {
        if (await FindAsync(token, cancellationToken) is not { } found)
        {
            return null;
        }

        var (stored, workflow) = found;
        var school = await schools.GetAsync(stored.Incident.SchoolId, cancellationToken);
        return new AlertDescription(school?.Name ?? stored.Incident.SchoolId, stored.Id, workflow.Current?.Severity ?? stored.Incident.Severity,
            !workflow.AlertOpen);
    }

    private async Task<(StoredIncident Incident, IncidentWorkflow Workflow)?> FindAsync(string token, CancellationToken cancellationToken)
    {
        if (await workflows.FindByAlertTokenAsync(token, cancellationToken) is not { } id
            || await incidents.GetAsync(id, cancellationToken) is not { } stored
            || await workflows.GetAsync(id, cancellationToken) is not { Alert: { } alert } workflow
            || alert.Token != token)
        {
            return null;
        }

        return (stored, workflow);
    }
}
