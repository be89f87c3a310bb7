using eSafe.Contracts;
using eSafe.Server.Analysts;
using eSafe.Server.Storage;
using eSafe.Server.Web;

namespace eSafe.Server.Dashboard;

/// <summary>GET /api/v1/dashboard?schoolId&amp;from&amp;to: the last 30 days by default, at most a year; scoped and audited.</summary>
public static class DashboardEndpoints
{
    public const int DefaultDays = 30;
    public const int MaxDays = 366;

    public static RouteGroupBuilder MapDashboardApi(this RouteGroupBuilder console)
    {
        ArgumentNullException.ThrowIfNull(console);
        console.MapGet("/dashboard", async (HttpContext context, IIncidentStore incidents, IAuditLog audit, TimeProvider clock) =>
        {
            var user = ConsoleUsers.Of(context);
            var parameters = new QueryParameters(context.Request.Query);
            var schoolId = parameters.Checked("schoolId", QueueQuery.IsServerId, "schoolId is not a school ID.");
            var today = DateOnly.FromDateTime(clock.GetUtcNow().UtcDateTime);
            var to = parameters.Date("to") ?? today;
            var from = parameters.Date("from") ?? to.AddDays(1 - DefaultDays);
            if (parameters.Problems.Count == 0 && (to < from || to.DayNumber - from.DayNumber >= MaxDays))
            {
                parameters.Problems["from"] = [$"from must be on or before to, and at most {MaxDays} days before it."];
            }

            if (parameters.Problems.Count > 0)
            {
                return Problems.Invalid(parameters.Problems, "The dashboard's filters are not valid.");
            }

            var schoolIds = user.Scope.Narrow(schoolId);
            var facts = schoolIds is { Count: 0 } ? [] : await incidents.ListFactsAsync(new IncidentFilter
            {
                SchoolIds = schoolIds,
                Statuses = user.IsStaff ? null : IncidentAccess.SchoolVisible,
                From = new DateTimeOffset(from.ToDateTime(TimeOnly.MinValue), TimeSpan.Zero),
                Until = new DateTimeOffset(to.AddDays(1).ToDateTime(TimeOnly.MinValue), TimeSpan.Zero),
            }, context.RequestAborted);
            await audit.AppendAsync(new AuditEvent(user.Username, AuditActions.DashboardRead, SchoolId: schoolId, RemoteAddress: ClientAddress.Of(context),
                Detail: $"{from:yyyy-MM-dd} to {to:yyyy-MM-dd}"), context.RequestAborted);
            return TypedResults.Json(DashboardFigures.Compute(facts, from, to, schoolId), ContractsJson.Default.DashboardView);
        });
        return console;
    }
}
