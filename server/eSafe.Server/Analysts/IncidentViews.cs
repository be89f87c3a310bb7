using eSafe.Contracts.Http;
using eSafe.Server.Storage;

namespace eSafe.Server.Analysts;

/// <summary>Stored incidents as the console API shows them.</summary>
public static class IncidentViews
{
    public static IncidentSummary Summary(StoredIncident stored)
    {
        ArgumentNullException.ThrowIfNull(stored);
        var i = stored.Incident;
        return new IncidentSummary(i.Id, i.SchoolId, i.DeviceId, i.UserId, i.MachineName, i.OccurredAt, i.LocalOffsetMinutes,
            stored.ReceivedAt, i.Source, i.Category, i.Severity, stored.Status, i.MatchedText, i.Url, stored.HasScreenshot);
    }

    public static IncidentDetail Detail(StoredIncident stored)
    {
        ArgumentNullException.ThrowIfNull(stored);
        var i = stored.Incident;
        return new IncidentDetail(i.Id, i.SchoolId, i.DeviceId, i.UserId, i.MachineName, i.DeviceAddresses, stored.ServerSeenAddress,
            i.OccurredAt, i.LocalOffsetMinutes, stored.ReceivedAt, i.Url, i.PageTitle, i.Source, i.RuleId, i.Phrase, i.MatchedText,
            i.Category, i.Severity, i.Context, stored.HasScreenshot, i.ScreenshotMissingReason, stored.Status, i.HostVersion,
            i.LibraryVersion, i.ExtensionVersion, stored.ClockSkewSeconds is not null, stored.ClockSkewSeconds);
    }
}
