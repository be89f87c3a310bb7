using System.Text.Json;

namespace eSafe.Server.Storage;

/// <summary>
/// After a move between stores: a sample of records opened (decrypted) from both and compared, one line each. What is
/// compared is the records as the server uses them, so a blob bound to the wrong fields or a lost column shows.
/// </summary>
public static class MigrationSpotCheck
{
    public sealed record Stores(
        IIncidentStore Incidents,
        IIncidentWorkflowStore Workflows,
        IDeviceStore Devices,
        ISchoolStore Schools,
        ISafeguardingStore Safeguarding,
        IAuditLog Audit,
        IAnalystStore Accounts,
        ISchoolLibraryStore Libraries,
        IJobStore Jobs,
        IProposalStore Proposals,
        ISessionStore Sessions,
        ILoginThrottleStore Throttle,
        IEnrolmentCodeStore Codes);

    /// <summary>Prints each comparison; returns how many differ.</summary>
    public static async Task<int> RunAsync(Stores source, Stores target, TextWriter output, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(source);
        ArgumentNullException.ThrowIfNull(target);
        ArgumentNullException.ThrowIfNull(output);
        var differ = 0;
        async Task CheckAsync(string what, string? expected, string? actual)
        {
            var same = expected == actual;
            differ += same ? 0 : 1;
            await output.WriteLineAsync($"  {what}: {(same ? "same" : "DIFFERENT")}");
        }

        await output.WriteLineAsync("Spot check (opened with the keys from both stores and compared):");
        var sample = (await source.Incidents.ListAsync(new IncidentFilter { Limit = 2 }, cancellationToken))
            .Concat(await source.Incidents.ListAsync(new IncidentFilter { Priority = true, Limit = 1 }, cancellationToken))
            .DistinctBy(i => i.Id);
        foreach (var incident in sample)
        {
            var moved = await target.Incidents.GetAsync(incident.Id, cancellationToken);
            await CheckAsync($"incident {incident.Id} (text, URL, addresses, status)", Incident(incident), moved is null ? null : Incident(moved));
            var screenshot = await source.Incidents.GetScreenshotAsync(incident.Id, cancellationToken);
            var movedScreenshot = await target.Incidents.GetScreenshotAsync(incident.Id, cancellationToken);
            await CheckAsync($"its screenshot ({screenshot?.Length ?? 0} bytes)", Hash(screenshot), Hash(movedScreenshot));
            await CheckAsync("its workflow", Workflow(await source.Workflows.GetAsync(incident.Id, cancellationToken)),
                Workflow(await target.Workflows.GetAsync(incident.Id, cancellationToken)));
        }

        var schools = await source.Schools.ListAsync(cancellationToken);
        await CheckAsync($"schools ({schools.Count})", string.Join('\n', schools), string.Join('\n', await target.Schools.ListAsync(cancellationToken)));
        foreach (var school in schools.Take(3))
        {
            await CheckAsync($"devices of {school.Id}", Devices(await source.Devices.ListAsync(school.Id, cancellationToken)),
                Devices(await target.Devices.ListAsync(school.Id, cancellationToken)));
            await CheckAsync($"contacts and protocol of {school.Id}", Json(await source.Safeguarding.GetAsync(school.Id, cancellationToken)),
                Json(await target.Safeguarding.GetAsync(school.Id, cancellationToken)));
            await CheckAsync($"threat library layer of {school.Id}", Layer(await source.Libraries.GetAsync(school.Id, cancellationToken)),
                Layer(await target.Libraries.GetAsync(school.Id, cancellationToken)));
        }

        await CheckAsync("accounts", string.Join('\n', await source.Accounts.ListAsync(cancellationToken)),
            string.Join('\n', await target.Accounts.ListAsync(cancellationToken)));
        await CheckAsync("proposals", Proposals(await source.Proposals.ListAsync(null, 20, cancellationToken)),
            Proposals(await target.Proposals.ListAsync(null, 20, cancellationToken)));
        var sourceAudit = await source.Audit.VerifyAsync(cancellationToken);
        var targetAudit = await target.Audit.VerifyAsync(cancellationToken);
        await CheckAsync($"audit log ({sourceAudit.Entries} lines, chain and anchors {(sourceAudit.Intact ? "intact" : "NOT intact")})",
            $"{sourceAudit.Entries} {sourceAudit.Intact}", $"{targetAudit.Entries} {targetAudit.Intact}");
        return differ;
    }

    private static string Incident(StoredIncident i) =>
        JsonSerializer.Serialize(new IncidentContents(i.Incident, i.ServerSeenAddress, i.HasScreenshot), StorageJson.Default.IncidentContents)
        + $"\n{i.Status}\n{i.ReceivedAt.ToUnixTimeMilliseconds()}\n{i.AlertOpen}";

    private static string? Workflow(IncidentWorkflow? w) => w is null ? null : JsonSerializer.Serialize(w, StorageJson.Default.IncidentWorkflow);

    private static string Json(SafeguardingRecord r) => JsonSerializer.Serialize(r, StorageJson.Default.SafeguardingRecord);

    private static string Devices(IReadOnlyList<DeviceRecord> devices) => string.Join('\n', devices.OrderBy(d => d.Id, StringComparer.Ordinal)
        .Select(d => $"{d.Id} {d.MachineName} {d.EnrolledFrom} {Convert.ToHexString(d.TokenHash)} {d.Revoked}"));

    private static string Layer(SchoolLayerRecord l) =>
        $"{l.Version} {l.ChangedAt?.ToUnixTimeMilliseconds()} {string.Join(',', l.DisabledGlobalIds)}\n"
        + string.Join('\n', l.Entries.Select(e => $"{e.Id} {e.Phrase} {e.Category} {e.Severity} {e.Language} {string.Join(',', e.Exceptions)} {e.Context}"));

    private static string Proposals(IReadOnlyList<Contracts.Http.Proposal> proposals) =>
        string.Join('\n', proposals.Select(p => JsonSerializer.Serialize(p, StorageJson.Default.Proposal)));

    private static string? Hash(byte[]? bytes) => bytes is null ? null : Convert.ToHexString(System.Security.Cryptography.SHA256.HashData(bytes));
}
