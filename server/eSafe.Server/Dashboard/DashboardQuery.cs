using eSafe.Server.Analysts;
using eSafe.Server.Web;

namespace eSafe.Server.Dashboard;

/// <summary>The dashboard's filters from a query string: a school, and days from/to (the last 30 by default, at most a year).</summary>
public sealed record DashboardQuery(string? SchoolId, DateOnly From, DateOnly To)
{
    public const int DefaultDays = 30;
    public const int MaxDays = 366;

    /// <summary>The filters, or null with <paramref name="errors"/> saying what is wrong (by parameter).</summary>
    public static DashboardQuery? Parse(IQueryCollection query, DateOnly today, out Dictionary<string, string[]> errors)
    {
        var parameters = new QueryParameters(query);
        var schoolId = parameters.Checked("schoolId", QueueQuery.IsServerId, "schoolId is not a school ID.");
        var to = parameters.Date("to") ?? today;
        var from = parameters.Date("from") ?? to.AddDays(1 - DefaultDays);
        if (parameters.Problems.Count == 0 && (to < from || to.DayNumber - from.DayNumber >= MaxDays))
        {
            parameters.Problems["from"] = [$"from must be on or before to, and at most {MaxDays} days before it."];
        }

        errors = parameters.Problems;
        return errors.Count == 0 ? new DashboardQuery(schoolId, from, to) : null;
    }
}
