using eSafe.Contracts;
using eSafe.Server.Analysts;
using eSafe.Server.Storage;
using eSafe.Server.Web;

namespace eSafe.Server.Dashboard;

/// <summary>GET /api/v1/dashboard?schoolId&amp;from&amp;to: the last 30 days by default, at most a year; scoped and audited.</summary>
public static class DashboardEndpoints
{
    public static RouteGroupBuilder MapDashboardApi(this RouteGroupBuilder console)
    {
        ArgumentNullException.ThrowIfNull(console);
        console.MapGet("/dashboard", async (HttpContext context, IIncidentStore incidents, IAuditLog audit, TimeProvider clock) =>
        {
            var user = ConsoleUsers.Of(context);
            if (DashboardQuery.Parse(context.Request.Query, DateOnly.FromDateTime(clock.GetUtcNow().UtcDateTime), out var errors) is not { } query)
            {
                return Problems.Invalid(errors, "The dashboard's filters are not valid.");
            }

            var schoolIds = user.Scope.Narrow(query.SchoolId);
            var facts = schoolIds is { Count: 0 } ? [] : await incidents.ListFactsAsync(new IncidentFilter
            {
                SchoolIds = schoolIds,
                Statuses = user.IsStaff ? null : IncidentAccess.SchoolVisible,
                From = new DateTimeOffset(query.From.ToDateTime(TimeOnly.MinValue), TimeSpan.Zero),
                Until = new DateTimeOffset(query.To.AddDays(1).ToDateTime(TimeOnly.MinValue), TimeSpan.Zero),
            }, context.RequestAborted);
            await audit.AppendAsync(new AuditEvent(user.Username, AuditActions.DashboardRead, SchoolId: query.SchoolId,
                RemoteAddress: ClientAddress.Of(context), Detail: $"{query.From:yyyy-MM-dd} to {query.To:yyyy-MM-dd}"), context.RequestAborted);
            return TypedResults.Json(DashboardFigures.Compute(facts, query.From, query.To, query.SchoolId), ContractsJson.Default.DashboardView);
        });
        return console;
    }
}
