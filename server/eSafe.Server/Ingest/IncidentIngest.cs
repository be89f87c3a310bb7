using eSafe.Contracts.Http;
using eSafe.Incidents;
using eSafe.Server.Devices;
using eSafe.Server.Storage;

namespace eSafe.Server.Ingest;

/// <summary>
/// The one way an incident gets into the store, whoever built it: a host sealed it (<c>IngestSealedAsync</c>)
/// (either envelope version) or this server built it for a Chromebook (<see cref="IngestAsync"/>). Checks, in order: a repeat of a known
/// ID (duplicate, or 409 from another device), the seal, the incident's fields and text (pupil and page text
/// is neutralised, see <see cref="IncidentText"/>), that it names a rule the server knows with its category
/// and severity (<see cref="IncidentRules"/>), that it is the device's school and device; only then is
/// anything stored, and the receipt audited. An incident kept (stored now, or a repeat of one stored perhaps a moment ago
/// by a request still waiting) is answered only once it is on disk (<see cref="IDurableCommits"/>): on that answer the
/// device deletes its own copy.
/// </summary>
public sealed class IncidentIngest(IIncidentStore incidents, SealedContent sealedContent, IncidentRules rules, TimeProvider clock,
    IAuditLog audit, IDurableCommits durable, ILogger<IncidentIngest> log)
{
    /// <summary>A version 1 envelope (JSON).</summary>
    public Task<IngestOutcome> IngestSealedAsync(DeviceRecord device, SealedIncident envelope, string? remoteAddress,
        CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(envelope);
        return IngestOpenedAsync(device, envelope.IncidentId,
            () => sealedContent.Open(envelope, IncidentJson.Default.Incident, "incident"), remoteAddress, cancellationToken);
    }

    /// <summary>A version 2 envelope (binary), read in place from the request's body, which the caller holds until this ends.</summary>
    public Task<IngestOutcome> IngestSealedAsync(DeviceRecord device, BinaryEnvelope envelope, string? remoteAddress,
        CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(envelope);
        return IngestOpenedAsync(device, envelope.IncidentId, () => sealedContent.OpenIncident(envelope), remoteAddress, cancellationToken);
    }

    // Both envelope versions from here on: open, then the one path. A repeat is found by the store's insert, so a new incident
    // (nearly all of them) costs no lookup first; whatever is not stored is checked for a repeat before it is refused, so a
    // device's retry of an incident already kept is answered as one even if its envelope no longer opens or its fields no
    // longer pass (a sealing key retired, a clock moved on).
    private async Task<IngestOutcome> IngestOpenedAsync(DeviceRecord device, string envelopeIncidentId, Func<(Incident? Value, string? Problem)> open,
        string? remoteAddress, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(device);
        if (!IncidentId.IsValid(envelopeIncidentId))
        {
            return IngestOutcome.Unreadable("", "The envelope's incidentId is not a 26-character sortable incident ID.");
        }

        var (incident, problem) = open();
        var outcome = incident is null ? IngestOutcome.Unreadable(envelopeIncidentId, problem!)
            : incident.Id != envelopeIncidentId ? IngestOutcome.Unreadable(envelopeIncidentId, "The incident's id is not the envelope's incidentId.")
            : await StoreAsync(device, incident, remoteAddress, cancellationToken);
        return await FinishAsync(device, envelopeIncidentId, outcome, cancellationToken);
    }

    /// <summary>An incident already opened (built by this server's pipeline for a Chromebook, its screenshot attached).</summary>
    public async Task<IngestOutcome> IngestAsync(DeviceRecord device, Incident incident, string? remoteAddress, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(device);
        ArgumentNullException.ThrowIfNull(incident);
        return await FinishAsync(device, incident.Id, await StoreAsync(device, incident, remoteAddress, cancellationToken), cancellationToken);
    }

    // A repeat answered as one, a refusal logged, and a kept incident answered once it is durable.
    private async Task<IngestOutcome> FinishAsync(DeviceRecord device, string incidentId, IngestOutcome outcome, CancellationToken cancellationToken)
    {
        outcome = await RepeatOrAsync(device, incidentId, outcome, cancellationToken);
        if (outcome.Result is IngestResult.Unreadable or IngestResult.Invalid or IngestResult.NotThisDevice)
        {
            DeviceLog.Refused(log, device.Id, outcome.Result switch
            {
                IngestResult.Unreadable => "the incident did not open or read",
                IngestResult.Invalid => "invalid incident fields",
                _ => "the incident names another school or device",
            });
        }

        return await DurableAsync(outcome, cancellationToken);
    }

    private async Task<IngestOutcome> DurableAsync(IngestOutcome outcome, CancellationToken cancellationToken)
    {
        if (outcome.Kept)
        {
            await durable.WaitAsync(cancellationToken);
        }

        return outcome;
    }

    // A new incident stands as it is; anything else (a repeat the insert found, a refusal) is the repeat it is if the ID is known:
    // the same device's (a duplicate) or another's (a conflict).
    private async Task<IngestOutcome> RepeatOrAsync(DeviceRecord device, string incidentId, IngestOutcome outcome, CancellationToken cancellationToken)
    {
        if (outcome.Result == IngestResult.Stored || !IncidentId.IsValid(incidentId))
        {
            return outcome;
        }

        var knownFrom = await incidents.FindDeviceAsync(incidentId, cancellationToken);
        return knownFrom is null ? outcome
            : knownFrom == device.Id ? new IngestOutcome(IngestResult.Duplicate, incidentId)
            : new IngestOutcome(IngestResult.IdInUse, incidentId, "Another device has delivered an incident with this ID.");
    }

    private async Task<IngestOutcome> StoreAsync(DeviceRecord device, Incident incident, string? remoteAddress, CancellationToken cancellationToken)
    {
        incident = IncidentText.Neutralise(incident);
        List<string> problems = [.. IncidentValidator.Problems(incident, clock.GetUtcNow()), .. IncidentText.Problems(incident)];
        if (problems.Count == 0 && await rules.ProblemAsync(incident, device.SchoolId, cancellationToken) is { } ruleProblem)
        {
            problems.Add(ruleProblem);
        }

        if (problems.Count > 0)
        {
            return new IngestOutcome(IngestResult.Invalid, incident.Id ?? "", "The incident is not valid; nothing was stored.", problems);
        }

        if (incident.SchoolId != device.SchoolId || incident.DeviceId != device.Id)
        {
            return new IngestOutcome(IngestResult.NotThisDevice, incident.Id,
                "The incident's schoolId and deviceId must be those of the device whose token delivered it.");
        }

        var stored = new StoredIncident(incident with { Screenshot = null },
            DateTimeOffset.FromUnixTimeMilliseconds(clock.GetUtcNow().ToUnixTimeMilliseconds()),
            remoteAddress, IncidentStatuses.New, incident.Screenshot is not null);
        var added = await incidents.AddAsync(stored, incident.Screenshot, cancellationToken);
        if (added != AddOutcome.Added)
        {
            return new IngestOutcome(IngestResult.Duplicate, incident.Id);
        }

        DeviceLog.Received(log, incident.Id, device.Id, device.SchoolId, incident.Severity);
        await audit.AppendAsync(new AuditEvent("device:" + device.Id, AuditActions.IncidentReceived, incident.Id, device.SchoolId,
            remoteAddress), cancellationToken);
        return new IngestOutcome(IngestResult.Stored, incident.Id);
    }
}
