using eSafe.Contracts;
using eSafe.Contracts.Http;
using eSafe.Incidents;
using eSafe.Server.Analysts;
using eSafe.Server.Escalation;
using eSafe.Server.Web;

namespace eSafe.Server.Workflow;

/// <summary>The console's workflow API (docs/ESCALATION.md): decisions, reopening, the school's response and acknowledgement, counts and alerts.</summary>
public static class WorkflowEndpoints
{
    private const int MaxBodyBytes = 16 * 1024;

    public static RouteGroupBuilder MapWorkflowApi(this RouteGroupBuilder console)
    {
        ArgumentNullException.ThrowIfNull(console);
        console.MapGet("/queue/counts", async (HttpContext context, IncidentAccess access) =>
            TypedResults.Json(await access.CountsAsync(ConsoleUsers.Of(context), context.RequestAborted), ContractsJson.Default.QueueCounts));
        console.MapGet("/alerts", async (HttpContext context, AlertBoard board) =>
            TypedResults.Json(await board.OpenAsync(ConsoleUsers.Of(context), context.RequestAborted), ContractsJson.Default.IReadOnlyListAlertView));
        console.MapPost("/incidents/{id}/decision", (string id, HttpContext context, IncidentDecisions decisions) =>
            WithBodyAsync(id, context, ContractsJson.Default.DecisionRequest, (user, body, remote, ct) => decisions.DecideAsync(user, id, body, remote, ct)));
        console.MapPost("/incidents/{id}/reopen", (string id, HttpContext context, IncidentDecisions decisions) =>
            WithBodyAsync(id, context, ContractsJson.Default.ReopenRequest, (user, body, remote, ct) => decisions.ReopenAsync(user, id, body, remote, ct)));
        console.MapPost("/incidents/{id}/response", (string id, HttpContext context, IncidentDecisions decisions) =>
            WithBodyAsync(id, context, ContractsJson.Default.SchoolResponseRequest, (user, body, remote, ct) => decisions.RespondAsync(user, id, body, remote, ct)));
        console.MapPost("/incidents/{id}/acknowledge", async (string id, HttpContext context, IncidentDecisions decisions) =>
        {
            if (!IncidentId.IsValid(id))
            {
                return BadId();
            }

            var outcome = await decisions.AcknowledgeAsync(ConsoleUsers.Of(context), id, ClientAddress.Of(context), context.RequestAborted);
            return outcome.ToResult(Ok);
        });
        console.MapGet("/incidents/{id}/report", async (string id, HttpContext context, ReportDownloads reports) =>
        {
            if (!IncidentId.IsValid(id))
            {
                return BadId();
            }

            var outcome = await reports.GetAsync(ConsoleUsers.Of(context), id, ClientAddress.Of(context), context.RequestAborted);
            return outcome.ToResult(download => TypedResults.File(download.Pdf, "application/pdf", download.FileName));
        });
        return console;
    }

    private static async Task<IResult> WithBodyAsync<T>(string id, HttpContext context, System.Text.Json.Serialization.Metadata.JsonTypeInfo<T> type,
        Func<ConsoleUser, T, string?, CancellationToken, Task<Outcome<WorkflowView>>> act)
        where T : class
    {
        if (!IncidentId.IsValid(id))
        {
            return BadId();
        }

        var (body, error) = await RequestBody.ReadJsonAsync(context, MaxBodyBytes, type);
        if (body is null)
        {
            return error!;
        }

        var outcome = await act(ConsoleUsers.Of(context), body, ClientAddress.Of(context), context.RequestAborted);
        return outcome.ToResult(Ok);
    }

    private static IResult Ok(WorkflowView view) => TypedResults.Json(view, ContractsJson.Default.WorkflowView);

    private static IResult BadId() => Problems.BadRequest("The incident ID is not a 26-character sortable incident ID.");
}
