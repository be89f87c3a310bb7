using eSafe.Contracts.Http;
using eSafe.Server.Analysts;
using eSafe.Server.Storage;

namespace eSafe.Server.Escalation;

/// <summary>The urgent alerts nobody at the school has acknowledged yet, within a user's scope: the console's banner.</summary>
public sealed class AlertBoard(IIncidentWorkflowStore workflows, IIncidentStore incidents, IJobStore jobs, ISafeguardingStore safeguarding,
    ISchoolStore schools, IServiceProvider services)
{
    public async Task<IReadOnlyList<AlertView>> OpenAsync(ConsoleUser user, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(user);
        var ids = await workflows.ListOpenAlertsAsync(user.Scope.Narrow(null), cancellationToken);
        var alerts = new List<AlertView>();
        var noProvider = services.GetService<Notifications.Phone.IPhoneNotifier>() is null;
        foreach (var id in ids)
        {
            if (await incidents.GetAsync(id, cancellationToken) is not { } stored || await workflows.GetAsync(id, cancellationToken) is not { Alert: { } alert })
            {
                continue;
            }

            var schoolId = stored.Incident.SchoolId;
            var calls = (await jobs.ListForIncidentAsync(id, cancellationToken))
                .Where(j => j.Kind == JobKinds.AlertCall && j.State == JobStates.Done && j.ContactId is not null).ToList();
            var contacts = (await safeguarding.GetAsync(schoolId, cancellationToken)).Contacts;
            var last = calls.Count == 0 ? null : contacts.FirstOrDefault(c => c.Id == calls[^1].ContactId)?.Name;
            var school = await schools.GetAsync(schoolId, cancellationToken);
            alerts.Add(new AlertView(id, schoolId, school?.Name ?? schoolId, stored.Incident.Severity, stored.Incident.Category, alert.RaisedAt,
                calls.Count, last, noProvider, alert.Acknowledgement));
        }

        return alerts;
    }
}
