using eSafe.Contracts.Http;
using eSafe.Server.Storage;

namespace eSafe.Server.Analysts;

/// <summary>
/// Every read of incidents and schools that the console makes goes through here: each one is limited to
/// the user's <see cref="AccessScope"/>, and each read of an incident or its screenshot is audited.
/// </summary>
public sealed class IncidentAccess(IIncidentStore incidents, ISchoolStore schools, IAuditLog audit)
{
    public async Task<IReadOnlyList<SchoolInfo>> SchoolsAsync(ConsoleUser user, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(user);
        var all = await schools.ListAsync(cancellationToken);
        return [.. all.Where(s => user.Scope.Includes(s.Id)).Select(s => new SchoolInfo(s.Id, s.Name))];
    }

    public async Task<IncidentPage> ListAsync(ConsoleUser user, IncidentQuery query, string? remoteAddress, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(user);
        ArgumentNullException.ThrowIfNull(query);
        var schoolIds = user.Scope.Narrow(query.SchoolId);
        if (schoolIds is { Count: 0 })
        {
            return new IncidentPage([], null);
        }

        var limit = query.Limit ?? QueueQuery.DefaultLimit;
        var found = await incidents.ListAsync(new IncidentFilter
        {
            SchoolIds = schoolIds,
            Status = query.Status,
            Category = query.Category,
            Severity = query.Severity,
            MinSeverity = query.MinSeverity,
            Before = query.Before,
            Limit = limit + 1,
        }, cancellationToken);
        var page = found.Take(limit).Select(IncidentViews.Summary).ToList();
        await audit.AppendAsync(new AuditEvent(user.Username, AuditActions.QueueRead, SchoolId: query.SchoolId, RemoteAddress: remoteAddress,
            Detail: $"{page.Count} incidents" + (page.Count > 0 ? ": " + string.Join(' ', page.Select(i => i.Id)) : "")), cancellationToken);
        return new IncidentPage(page, found.Count > limit ? page[^1].Id : null);
    }

    /// <summary>One incident, or null when there is none with that ID in the user's scope.</summary>
    public async Task<IncidentDetail?> GetAsync(ConsoleUser user, string id, string? remoteAddress, CancellationToken cancellationToken)
    {
        var stored = await ReadableAsync(user, id, remoteAddress, cancellationToken);
        if (stored is null)
        {
            return null;
        }

        await audit.AppendAsync(new AuditEvent(user.Username, AuditActions.IncidentRead, id, stored.Incident.SchoolId, remoteAddress), cancellationToken);
        return IncidentViews.Detail(stored);
    }

    /// <summary>An incident's screenshot; <c>Found</c> is false when there is no such incident in the user's scope.</summary>
    public async Task<(bool Found, byte[]? Jpeg)> GetScreenshotAsync(ConsoleUser user, string id, string? remoteAddress, CancellationToken cancellationToken)
    {
        var stored = await ReadableAsync(user, id, remoteAddress, cancellationToken);
        if (stored is null)
        {
            return (false, null);
        }

        var jpeg = stored.HasScreenshot ? await incidents.GetScreenshotAsync(id, cancellationToken) : null;
        if (jpeg is not null)
        {
            await audit.AppendAsync(new AuditEvent(user.Username, AuditActions.ScreenshotRead, id, stored.Incident.SchoolId, remoteAddress), cancellationToken);
        }

        return (true, jpeg);
    }

    private async Task<StoredIncident?> ReadableAsync(ConsoleUser user, string id, string? remoteAddress, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(user);
        var stored = await incidents.GetAsync(id, cancellationToken);
        if (stored is not null && !user.Scope.Includes(stored.Incident.SchoolId))
        {
            await audit.AppendAsync(new AuditEvent(user.Username, AuditActions.IncidentRefused, id, stored.Incident.SchoolId, remoteAddress), cancellationToken);
            return null;
        }

        return stored;
    }
}
