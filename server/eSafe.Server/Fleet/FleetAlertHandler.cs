using eSafe.Contracts.Http;
using eSafe.Server.Escalation;
using eSafe.Server.Notifications.Email;
using eSafe.Server.Storage;

namespace eSafe.Server.Fleet;

/// <summary>
/// One flag's episode: without a contact, audits it and plans one email a school IT contact (role <c>it</c>) with an email
/// address, and one to the analysts' addresses (<see cref="FleetOptions.AnalystEmails"/>) when there are any; with a contact,
/// emails them. A device that is back (or revoked) by the time the job runs is not reported. Analysts also see and
/// acknowledge every alert in the console (<see cref="FleetAcknowledgements"/>).
/// </summary>
public sealed class FleetAlertHandler(FleetHealth health, ISchoolStore schools, ISafeguardingStore safeguarding, IAuditLog audit,
    FleetOptions options, IServiceProvider services) : IJobHandler
{
    public string Kind => FleetJobs.Alert;

    public async Task<JobResult> RunAsync(EscalationJob job, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(job);
        if (FleetAlertKey.Parse(job.UniqueKey) is not { } key)
        {
            return JobResult.Failed("The job does not name a device flag.");
        }

        var schoolName = (await schools.GetAsync(job.SchoolId, cancellationToken))?.Name ?? job.SchoolId;
        var alert = (await health.SchoolAlertsAsync(job.SchoolId, schoolName, cancellationToken)).FirstOrDefault(a => FleetAlertKey.Of(a) == key);
        if (alert is null)
        {
            return JobResult.Cancelled("The device is no longer flagged (it was heard from, or revoked).");
        }

        var school = await safeguarding.GetAsync(job.SchoolId, cancellationToken);
        if (job.ContactId is null)
        {
            await audit.AppendAsync(new AuditEvent("fleet", FleetJobs.AlertRaisedAudit, SchoolId: job.SchoolId,
                Detail: $"{key.Flag} on device {key.DeviceId} since {key.Since:O}"), cancellationToken);
            var contacts = school.Contacts.Where(c => c.Role == ContactRoles.It && c.Email is not null).Select(c => c.Id).ToList();
            if (options.AnalystAddresses().Count > 0)
            {
                contacts.Add(FleetJobs.Analysts);
            }

            return contacts.Count == 0
                ? JobResult.Done("The school has no IT contact with an email address and no analysts' address is set: the flag is shown in the console only.")
                : JobResult.Done($"Planned for {contacts.Count} recipients (IT contacts, analysts).", [.. contacts.Select(id =>
                    EscalationPlanner.New(FleetJobs.Alert, job.SchoolId, null, 0, id, 1, key.ForContact(id), job.DueAt))]);
        }

        List<EmailRecipient> to;
        if (job.ContactId == FleetJobs.Analysts)
        {
            to = [.. options.AnalystAddresses().Select(a => new EmailRecipient("", a))];
            if (to.Count == 0)
            {
                return JobResult.Cancelled("No analysts' address is set any more (Fleet:AnalystEmails).");
            }
        }
        else if (school.Contacts.FirstOrDefault(c => c.Id == job.ContactId) is { Email: { } email } contact)
        {
            to = [new EmailRecipient(contact.Name, email)];
        }
        else
        {
            return JobResult.Failed("The contact was removed, or has no email address any more.");
        }

        if (services.GetService<IEmailSender>() is not { } sender)
        {
            return JobResult.Failed("No mail server is configured on this server (the Smtp settings): the flag is shown in the console only.");
        }

        var device = (await health.OfDeviceAsync(alert.DeviceId, cancellationToken))!;
        var analysts = job.ContactId == FleetJobs.Analysts;
        try
        {
            await sender.SendAsync(analysts ? FleetEmails.ForAnalysts(alert, device.SilentSchoolHours, to) : FleetEmails.Alert(alert, device.SilentSchoolHours, to[0]),
                cancellationToken);
        }
        catch (EmailDeliveryException e)
        {
            return e.IsPermanent ? JobResult.Failed(e.Message) : JobResult.Retry(e.Message);
        }

        await audit.AppendAsync(new AuditEvent("fleet", FleetJobs.AlertSentAudit, SchoolId: job.SchoolId,
            Detail: $"{key.Flag} on device {key.DeviceId} to {(analysts ? "the analysts" : "contact " + job.ContactId)}"), cancellationToken);
        return JobResult.Done($"Device alert emailed to {string.Join(", ", to.Select(r => r.Address))}.");
    }
}
