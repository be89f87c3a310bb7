using eSafe.Contracts.Http;
using eSafe.Server.Analysts;
using eSafe.Server.Storage;
using eSafe.Server.Web;

namespace eSafe.Server.Fleet;

/// <summary>
/// Device alerts acknowledged in the console. The acknowledgement is a line in the audit log (action
/// <see cref="FleetJobs.AlertAcknowledgedAudit"/>, the episode's key as its detail): append-only, shared by every server
/// process, and the proof of who took the alert on. A new episode of the same flag is a new key, so it is a new alert.
/// </summary>
public sealed class FleetAcknowledgements(FleetHealth health, IDeviceStore devices, ISchoolStore schools, IAuditLog audit)
{
    private const int Page = 500;
    private const string Channel = "console";

    /// <summary>The alerts raised now in the user's scope, each with its key and acknowledgement.</summary>
    public async Task<IReadOnlyList<FleetAlert>> ListAsync(AccessScope scope, CancellationToken cancellationToken)
    {
        var alerts = await health.AlertsAsync(scope, cancellationToken);
        if (alerts.Count == 0)
        {
            return alerts;
        }

        var acknowledged = await AcknowledgedAsync(cancellationToken);
        return [.. alerts.Select(a => a with { Acknowledgement = acknowledged.GetValueOrDefault(a.Key!) })];
    }

    /// <summary>Acknowledges the alert <paramref name="key"/> names, if it is raised now on a device in the user's scope.</summary>
    public async Task<Outcome<FleetAlert>> AcknowledgeAsync(ConsoleUser user, string key, string? remoteAddress, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(user);
        // Out of scope, unknown and no longer raised all look alike: nobody learns of another school's devices.
        const string none = "There is no such device alert raised now.";
        if (FleetAlertKey.Parse(key) is not { } episode || episode.ToString() != key
            || await devices.GetAsync(episode.DeviceId, cancellationToken) is not { } device || !user.Scope.Includes(device.SchoolId))
        {
            return Outcome.NotFound<FleetAlert>(none);
        }

        var schoolName = (await schools.GetAsync(device.SchoolId, cancellationToken))?.Name ?? device.SchoolId;
        if ((await health.SchoolAlertsAsync(device.SchoolId, schoolName, cancellationToken)).FirstOrDefault(a => a.Key == key) is not { } alert)
        {
            return Outcome.NotFound<FleetAlert>(none);
        }

        if ((await AcknowledgedAsync(cancellationToken)).GetValueOrDefault(key) is { } already)
        {
            return Outcome.Conflict<FleetAlert>($"{already.By} acknowledged this alert already ({already.At:yyyy-MM-dd HH:mm} UTC).");
        }

        var line = await audit.AppendAsync(new AuditEvent(user.Username, FleetJobs.AlertAcknowledgedAudit, SchoolId: device.SchoolId,
            RemoteAddress: remoteAddress, Detail: key), cancellationToken);
        return alert with { Acknowledgement = new Acknowledgement(user.Username, Channel, line.At) };
    }

    // Every acknowledgement, the first for each key winning (two analysts at once both leave their line; the earlier counts).
    private async Task<Dictionary<string, Acknowledgement>> AcknowledgedAsync(CancellationToken cancellationToken)
    {
        var found = new Dictionary<string, Acknowledgement>(StringComparer.Ordinal);
        for (long after = 0; ;)
        {
            var lines = await audit.QueryAsync(new AuditQuery { Action = FleetJobs.AlertAcknowledgedAudit, After = after, Limit = Page }, cancellationToken);
            foreach (var line in lines)
            {
                if (line.Detail is { } key)
                {
                    found.TryAdd(key, new Acknowledgement(line.Actor, Channel, line.At));
                }
            }

            if (lines.Count < Page)
            {
                return found;
            }

            after = lines[^1].Sequence;
        }
    }
}
