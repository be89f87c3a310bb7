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

    // Both envelope versions from here on: the ID in the clear, a repeat answered without opening, then open and the one path.
    private async Task<IngestOutcome> IngestOpenedAsync(DeviceRecord device, string envelopeIncidentId, Func<(Incident? Value, string? Problem)> open,
        string? remoteAddress, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(device);
        if (!IncidentId.IsValid(envelopeIncidentId))
        {
            return IngestOutcome.Unreadable("", "The envelope's incidentId is not a 26-character sortable incident ID.");
        }

        if (await KnownAsync(device, envelopeIncidentId, cancellationToken) is { } known)
        {
            return await DurableAsync(known, cancellationToken);
        }

        var (incident, problem) = open();
        if (incident is null)
        {
            DeviceLog.Refused(log, device.Id, "the incident did not open or read");
            return IngestOutcome.Unreadable(envelopeIncidentId, problem!);
        }

        return incident.Id != envelopeIncidentId
            ? IngestOutcome.Unreadable(envelopeIncidentId, "The incident's id is not the envelope's incidentId.")
            : await DurableAsync(await StoreAsync(device, incident, remoteAddress, cancellationToken), cancellationToken);
    }

    /// <summary>An incident already opened (built by this server's pipeline for a Chromebook, its screenshot attached).</summary>
    public async Task<IngestOutcome> IngestAsync(DeviceRecord device, Incident incident, string? remoteAddress, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(device);
        ArgumentNullException.ThrowIfNull(incident);
        return await DurableAsync(await KnownAsync(device, incident.Id, cancellationToken) is { } known
            ? known
            : await StoreAsync(device, incident, remoteAddress, cancellationToken), cancellationToken);
    }

    private async Task<IngestOutcome> DurableAsync(IngestOutcome outcome, CancellationToken cancellationToken)
    {
        if (outcome.Kept)
        {
            await durable.WaitAsync(cancellationToken);
        }

        return outcome;
    }

    private async Task<IngestOutcome?> KnownAsync(DeviceRecord device, string incidentId, CancellationToken cancellationToken)
    {
        var knownFrom = await incidents.FindDeviceAsync(incidentId, cancellationToken);
        return knownFrom is null ? null
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
            DeviceLog.Refused(log, device.Id, "invalid incident fields");
            return new IngestOutcome(IngestResult.Invalid, incident.Id ?? "", "The incident is not valid; nothing was stored.", problems);
        }

        if (incident.SchoolId != device.SchoolId || incident.DeviceId != device.Id)
        {
            DeviceLog.Refused(log, device.Id, "the incident names another school or device");
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
