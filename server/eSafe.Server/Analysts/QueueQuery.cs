using System.Globalization;
using eSafe.Contracts.Http;
using eSafe.Detection;
using eSafe.Incidents;

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
        var problems = new Dictionary<string, string[]>(StringComparer.Ordinal);
        string? One(string name)
        {
            var values = query[name];
            if (values.Count > 1)
            {
                problems[name] = [$"{name} may be given once."];
                return null;
            }

            return string.IsNullOrEmpty(values.ToString()) ? null : values.ToString();
        }

        string? Checked(string name, Func<string, bool> valid, string message)
        {
            var value = One(name);
            if (value is not null && !valid(value))
            {
                problems[name] = [message];
                return null;
            }

            return value;
        }

        int? Number(string name, int min, int max)
        {
            var value = One(name);
            if (value is null)
            {
                return null;
            }

            if (int.TryParse(value, NumberStyles.None, CultureInfo.InvariantCulture, out var number) && number >= min && number <= max)
            {
                return number;
            }

            problems[name] = [$"{name} must be a whole number from {min} to {max}."];
            return null;
        }

        var result = new IncidentQuery
        {
            SchoolId = Checked("schoolId", IsServerId, "schoolId is not a school ID."),
            Status = Checked("status", IncidentStatuses.IsKnown,
                $"status must be one of {IncidentStatuses.New}, {IncidentStatuses.InReview}, {IncidentStatuses.NoAction}, {IncidentStatuses.Escalated}."),
            Category = Checked("category", ThreatCategories.IsKnown, $"category must be one of {string.Join(", ", ThreatCategories.All)}."),
            Severity = Number("severity", ThreatEntry.MinSeverity, ThreatEntry.MaxSeverity),
            MinSeverity = Number("minSeverity", ThreatEntry.MinSeverity, ThreatEntry.MaxSeverity),
            Before = Checked("before", IncidentId.IsValid, "before must be an incident ID (26 characters), as given in next."),
            Limit = Number("limit", 1, MaxLimit),
        };
        errors = problems;
        return problems.Count == 0 ? result : null;
    }

    /// <summary>IDs the server issues: letters, digits, '-' and '_'.</summary>
    public static bool IsServerId(string? value) =>
        value is { Length: > 0 and <= 64 } && value.All(c => char.IsAsciiLetterOrDigit(c) || c is '-' or '_');
}
