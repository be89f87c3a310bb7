using System.Globalization;
using eSafe.Server.Notifications.Phone;
using eSafe.Server.Storage;

namespace eSafe.Server.Escalation;

/// <summary>
/// One step of an urgent alert: unless someone has acknowledged it, ring the next contact in the protocol's order (and text
/// them the acknowledgement link), then schedule the step after for the protocol's "call next after" minutes, round the
/// list again until someone acknowledges. A phone message names no pupil.
/// </summary>
public sealed class AlertCallHandler(IIncidentWorkflowStore workflows, IIncidentStore incidents, ISafeguardingStore safeguarding,
    ISchoolStore schools, IAuditLog audit, EscalationOptions options, TimeProvider clock, IServiceProvider services) : IJobHandler
{
    /// <summary>After this many calls nobody has answered, the alert stays in the banner for the analysts to ring the school themselves.</summary>
    public const int MaxCalls = 30;

    public string Kind => JobKinds.AlertCall;

    public async Task<JobResult> RunAsync(EscalationJob job, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(job);
        if (job.IncidentId is not { } id || await incidents.GetAsync(id, cancellationToken) is not { } stored
            || await workflows.GetAsync(id, cancellationToken) is not { } workflow)
        {
            return JobResult.Failed("The incident is no longer there.");
        }

        if (workflow.Decisions.Count != job.DecisionNumber || workflow.Current is not { } decision)
        {
            return JobResult.Cancelled("The decision was withdrawn (reopened).");
        }

        if (!workflow.AlertOpen)
        {
            var ack = workflow.Alert?.Acknowledgement;
            return JobResult.Cancelled(ack is null ? "There is no alert." : $"Acknowledged by {ack.By} at {ack.At:HH:mm:ss} UTC.");
        }

        var school = await safeguarding.GetAsync(stored.Incident.SchoolId, cancellationToken);
        var callees = SafeguardingRules.ContactsFor(EscalationPlanner.CallRule(decision, school), school.Contacts).Where(c => c.Phone is not null).ToList();
        if (callees.Count == 0)
        {
            return JobResult.Failed("No contact for this alert has a phone number: ring the school another way.");
        }

        if (services.GetService<IPhoneNotifier>() is not { } phone || services.GetService<TwilioOptions>() is not { } twilio)
        {
            return JobResult.Failed("No phone provider is configured on this server: ring the school yourself.");
        }

        if (job.Step >= MaxCalls)
        {
            return JobResult.Failed($"Nobody acknowledged after {MaxCalls} calls: ring the school yourself.");
        }

        var callee = callees[job.Step % callees.Count];
        var schoolName = (await schools.GetAsync(stored.Incident.SchoolId, cancellationToken))?.Name ?? "your school";
        var reference = id[^6..];
        var severity = decision.Severity ?? stored.Incident.Severity;
        var message = string.Create(CultureInfo.InvariantCulture,
            $"This is eSafe with an urgent safeguarding alert for {schoolName}, reference {Spelled(reference)}. Severity {severity}, {stored.Incident.Category.Replace('-', ' ')}. Please sign in to the eSafe console now.");
        var next = EscalationPlanner.New(JobKinds.AlertCall, job.SchoolId, id, job.DecisionNumber, null, job.Step + 1,
            EscalationPlanner.CallKey(id, job.DecisionNumber, job.Step + 1), clock.GetUtcNow() + options.Minutes(school.Protocol.CallNextAfterMinutes));
        try
        {
            await phone.CallAsync(new PhoneCall(callee.Phone!, message, workflow.Alert!.Token), cancellationToken);
        }
        catch (PhoneDeliveryException e) when (!e.IsPermanent)
        {
            return JobResult.Retry(e.Message);
        }
        catch (PhoneDeliveryException e)
        {
            // This number cannot be rung: record why, and ring the next contact at once.
            return new JobResult(JobStates.Failed, null, $"{callee.Name}: {e.Message}", [next with { DueAt = clock.GetUtcNow() }]) { ContactId = callee.Id };
        }

        var texted = "";
        try
        {
            await phone.SendTextAsync(new PhoneText(callee.Phone!,
                $"eSafe URGENT safeguarding alert for {schoolName}, ref {reference}, severity {severity}. Acknowledge: {twilio.AcknowledgeLink(workflow.Alert.Token)}"),
                cancellationToken);
            texted = " and texted";
        }
        catch (PhoneDeliveryException e)
        {
            texted = $"; the text failed ({e.Message})";
        }

        await audit.AppendAsync(new AuditEvent("escalation", AuditActions.CallPlaced, id, stored.Incident.SchoolId, Detail: $"contact {callee.Id}"),
            cancellationToken);
        return JobResult.Done($"Called {callee.Name} ({callee.Role}){texted}.", next) with { ContactId = callee.Id };
    }

    // "A 1 B" rather than "A1B": a reference read out letter by letter.
    private static string Spelled(string reference) => string.Join(' ', reference.ToCharArray());
}
