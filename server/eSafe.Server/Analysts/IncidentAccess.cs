using eSafe.Contracts.Http;
using eSafe.Server.Storage;
using eSafe.Server.Workflow;

namespace eSafe.Server.Analysts;

/// <summary>
/// Every read of incidents and schools that the console makes goes through here: each one is limited to the user's
/// <see cref="AccessScope"/> (and a school's contact sees only what was escalated to the school), and each read is audited.
/// </summary>
public sealed class IncidentAccess(
    IIncidentStore incidents,
    IIncidentWorkflowStore workflows,
    IJobStore jobs,
    ISafeguardingStore safeguarding,
    ISchoolStore schools,
    IAuditLog audit)
{
    public const int TimelineLength = 50;

    /// <summary>What a school's contact may see: incidents escalated to the school, open or closed.</summary>
    public static IReadOnlyList<string> SchoolVisible { get; } = [IncidentStatuses.Escalated, IncidentStatuses.Closed];

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
        var filter = Filter(user, query);
        if (filter is null)
        {
            return new IncidentPage([], null);
        }

        var limit = query.Limit ?? QueueQuery.DefaultLimit;
        var found = await incidents.ListAsync(filter with { Limit = limit + 1 }, cancellationToken);
        var page = found.Take(limit).Select(IncidentViews.Summary).ToList();
        await audit.AppendAsync(new AuditEvent(user.Username, AuditActions.QueueRead, SchoolId: query.SchoolId, RemoteAddress: remoteAddress,
            Detail: $"{page.Count} incidents: {string.Join(' ', page.Select(p => p.Id))}"), cancellationToken);
        var next = found.Count > limit ? QueueQuery.Cursor(page[^1], filter.Priority) : null;
        return new IncidentPage(page, next);
    }

    /// <summary>The numbers kept in view: undecided incidents (staff) and open alerts, within the user's scope.</summary>
    public async Task<QueueCounts> CountsAsync(ConsoleUser user, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(user);
        var schoolIds = user.Scope.Narrow(null);
        var alerts = await workflows.ListOpenAlertsAsync(schoolIds, cancellationToken);
        if (!user.IsStaff)
        {
            var open = new IncidentFilter { SchoolIds = schoolIds, Statuses = [IncidentStatuses.Escalated] };
            return new QueueCounts(await incidents.CountAsync(open, cancellationToken), 0, alerts.Count, null);
        }

        var undecided = new IncidentFilter { SchoolIds = schoolIds, Statuses = [IncidentStatuses.New, IncidentStatuses.InReview] };
        var newest = await incidents.ListAsync(new IncidentFilter { SchoolIds = schoolIds, Limit = 1 }, cancellationToken);
        return new QueueCounts(await incidents.CountAsync(undecided, cancellationToken),
            await incidents.CountAsync(undecided with { MinSeverity = 4 }, cancellationToken), alerts.Count,
            newest.Count == 0 ? null : newest[0].Id);
    }

    /// <summary>One incident with its workflow and the pupil's timeline at the school, or null when there is none with that ID in the user's scope.</summary>
    public async Task<IncidentDetail?> GetAsync(ConsoleUser user, string id, string? remoteAddress, CancellationToken cancellationToken)
    {
        var stored = await ReadableAsync(user, id, remoteAddress, cancellationToken);
        if (stored is null)
        {
            return null;
        }

        var schoolId = stored.Incident.SchoolId;
        var workflow = await workflows.GetAsync(id, cancellationToken) ?? IncidentWorkflow.Initial(stored.Status);
        var view = WorkflowViews.View(workflow, await jobs.ListForIncidentAsync(id, cancellationToken), await safeguarding.GetAsync(schoolId, cancellationToken));
        var timeline = await incidents.ListAsync(new IncidentFilter
        {
            SchoolIds = [schoolId],
            User = (schoolId, stored.Incident.UserId),
            Statuses = user.IsStaff ? null : SchoolVisible,
            Limit = TimelineLength,
        }, cancellationToken);
        await audit.AppendAsync(new AuditEvent(user.Username, AuditActions.IncidentRead, id, schoolId, remoteAddress), cancellationToken);
        return IncidentViews.Detail(stored, view, [.. timeline.Where(t => t.Id != id).Select(IncidentViews.TimelineItem)]);
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

    /// <summary>The incident if the user may see it; a refusal of an existing incident is audited. Every service that opens an incident asks here.</summary>
    public async Task<StoredIncident?> ReadableAsync(ConsoleUser user, string id, string? remoteAddress, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(user);
        var stored = await incidents.GetAsync(id, cancellationToken);
        if (stored is not null && (!user.Scope.Includes(stored.Incident.SchoolId) || (!user.IsStaff && !SchoolVisible.Contains(stored.Status))))
        {
            await audit.AppendAsync(new AuditEvent(user.Username, AuditActions.IncidentRefused, id, stored.Incident.SchoolId, remoteAddress), cancellationToken);
            return null;
        }

        return stored;
    }

    /// <summary>The store's filter for a query in the user's scope; null when nothing can match.</summary>
    private static IncidentFilter? Filter(ConsoleUser user, IncidentQuery query)
    {
        var schoolIds = user.Scope.Narrow(query.SchoolId);
        IReadOnlyCollection<string>? statuses = query.Status switch
        {
            null => null,
            QueueQuery.Undecided => [IncidentStatuses.New, IncidentStatuses.InReview],
            { } one => [one],
        };
        if (!user.IsStaff)
        {
            statuses = statuses is null ? SchoolVisible : [.. statuses.Intersect(SchoolVisible)];
        }

        if (schoolIds is { Count: 0 } || statuses is { Count: 0 })
        {
            return null;
        }

        var priority = query.Order == QueueQuery.PriorityOrder;
        return new IncidentFilter
        {
            SchoolIds = schoolIds,
            Statuses = statuses,
            Category = query.Category,
            Severity = query.Severity,
            MinSeverity = query.MinSeverity,
            From = query.From is { } from ? new DateTimeOffset(from.ToDateTime(TimeOnly.MinValue), TimeSpan.Zero) : null,
            Until = query.To is { } to ? new DateTimeOffset(to.AddDays(1).ToDateTime(TimeOnly.MinValue), TimeSpan.Zero) : null,
            Priority = priority,
            After = query.Before is { } cursor ? QueueQuery.Place(cursor) : null,
        };
    }
}
