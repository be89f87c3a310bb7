using eSafe.Contracts.Http;
using eSafe.Detection;
using eSafe.Incidents;
using eSafe.Server.Web;

namespace eSafe.Server.Analysts;

/// <summary>Reads the queue's filters from a query string, with a clear message for every bad value.</summary>
public static class QueueQuery
{
    public const int DefaultLimit = 50;
    public const int MaxLimit = 200;

    /// <summary>The filters, or null with <paramref name="errors"/> saying what is wrong (by parameter).</summary>
    public static IncidentQuery? Parse(IQueryCollection query, out Dictionary<string, string[]> errors)
    {
        ArgumentNullException.ThrowIfNull(query);
        var parameters = new QueryParameters(query);
        var result = new IncidentQuery
        {
            SchoolId = parameters.Checked("schoolId", IsServerId, "schoolId is not a school ID."),
            Status = parameters.Checked("status", IncidentStatuses.IsKnown,
                $"status must be one of {IncidentStatuses.New}, {IncidentStatuses.InReview}, {IncidentStatuses.NoAction}, {IncidentStatuses.Escalated}."),
            Category = parameters.Checked("category", ThreatCategories.IsKnown, $"category must be one of {string.Join(", ", ThreatCategories.All)}."),
            Severity = parameters.Number("severity", ThreatEntry.MinSeverity, ThreatEntry.MaxSeverity),
            MinSeverity = parameters.Number("minSeverity", ThreatEntry.MinSeverity, ThreatEntry.MaxSeverity),
            Before = parameters.Checked("before", IncidentId.IsValid, "before must be an incident ID (26 characters), as given in next."),
            Limit = parameters.Number("limit", 1, MaxLimit),
        };
        errors = parameters.Problems;
        return errors.Count == 0 ? result : null;
    }

    /// <summary>IDs the server issues: letters, digits, '-' and '_'.</summary>
    public static bool IsServerId(string? value) =>
        value is { Length: > 0 and <= 64 } && value.All(c => char.IsAsciiLetterOrDigit(c) || c is '-' or '_');
}
