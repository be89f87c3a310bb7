using System.Globalization;
using eSafe.Contracts.Http;
using eSafe.Detection;
using eSafe.Incidents;
using eSafe.Server.Storage;
using eSafe.Server.Web;

namespace eSafe.Server.Analysts;

/// <summary>Reads the queue's filters from a query string, with a clear message for every bad value.</summary>
public static class QueueQuery
{
    public const int DefaultLimit = 50;
    public const int MaxLimit = 200;

    /// <summary>The status filter for new and in-review together: what waits for an analyst.</summary>
    public const string Undecided = "undecided";
    public const string NewestOrder = "newest";
    public const string PriorityOrder = "priority";

    /// <summary>The filters, or null with <paramref name="errors"/> saying what is wrong (by parameter).</summary>
    public static IncidentQuery? Parse(IQueryCollection query, out Dictionary<string, string[]> errors)
    {
        ArgumentNullException.ThrowIfNull(query);
        var parameters = new QueryParameters(query);
        var order = parameters.Checked("order", o => o is NewestOrder or PriorityOrder, $"order must be {NewestOrder} or {PriorityOrder}.");
        var result = new IncidentQuery
        {
            SchoolId = parameters.Checked("schoolId", IsServerId, "schoolId is not a school ID."),
            Status = parameters.Checked("status", s => s == Undecided || IncidentStatuses.IsKnown(s),
                $"status must be one of {Undecided}, {IncidentStatuses.New}, {IncidentStatuses.InReview}, {IncidentStatuses.NoAction}, "
                + $"{IncidentStatuses.Escalated}, {IncidentStatuses.Closed}."),
            Category = parameters.Checked("category", ThreatCategories.IsKnown, $"category must be one of {string.Join(", ", ThreatCategories.All)}."),
            Severity = parameters.Number("severity", ThreatEntry.MinSeverity, ThreatEntry.MaxSeverity),
            MinSeverity = parameters.Number("minSeverity", ThreatEntry.MinSeverity, ThreatEntry.MaxSeverity),
            From = parameters.Date("from"),
            To = parameters.Date("to"),
            Order = order,
            Before = parameters.Checked("before", c => Place(c) is { } place && (order == PriorityOrder) == (c.Length > 26),
                "before must be the next value of the page before, with the same order."),
            Limit = parameters.Number("limit", 1, MaxLimit),
        };
        if (result.From is { } from && result.To is { } to && to < from)
        {
            parameters.Problems["to"] = ["to must not be before from."];
        }

        errors = parameters.Problems;
        return errors.Count == 0 ? result : null;
    }

    /// <summary>The next page's cursor after this row: its ID, or its severity and ID when the queue is by priority.</summary>
    public static string Cursor(IncidentSummary last, bool priority)
    {
        ArgumentNullException.ThrowIfNull(last);
        return priority ? last.Severity.ToString(CultureInfo.InvariantCulture) + "." + last.Id : last.Id;
    }

    /// <summary>The place a cursor names; null when it is not a cursor.</summary>
    public static QueuePlace? Place(string cursor)
    {
        ArgumentNullException.ThrowIfNull(cursor);
        if (IncidentId.IsValid(cursor))
        {
            return new QueuePlace(cursor, 0);
        }

        return cursor.Length == 28 && cursor[1] == '.' && cursor[0] is >= '1' and <= '5' && IncidentId.IsValid(cursor[2..])
            ? new QueuePlace(cursor[2..], cursor[0] - '0')
            : null;
    }

    /// <summary>IDs the server issues: letters, digits, '-' and '_'.</summary>
    public static bool IsServerId(string? value) =>
        value is { Length: > 0 and <= 64 } && value.All(c => char.IsAsciiLetterOrDigit(c) || c is '-' or '_');
}
