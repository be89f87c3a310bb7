using eSafe.Contracts;
using eSafe.Contracts.Http;
using eSafe.Incidents;
using eSafe.Server.Devices;
using eSafe.Server.Ingest;
using eSafe.Server.Web;
using Microsoft.AspNetCore.Http.HttpResults;

namespace eSafe.Server.Direct;

/// <summary>
/// Chromebooks ("direct" mode, docs/PROTOCOL.md §2b): sealed batches of text in, screenshot requests out; sealed
/// screenshots in, stored incidents out. In the <c>/api/v1/devices</c> group, which has checked the token.
/// </summary>
public static class DirectEndpoints
{
    public static RouteGroupBuilder MapDirectMode(this RouteGroupBuilder devices)
    {
        ArgumentNullException.ThrowIfNull(devices);
        devices.MapPost("/direct/batches", BatchAsync);
        devices.MapPost("/direct/screenshots/{incidentId}", ScreenshotAsync);
        return devices;
    }

    private static async Task<IResult> BatchAsync(HttpContext context, DirectBatches batches)
    {
        var (envelope, error) = await RequestBody.ReadJsonAsync(context, DirectLimits.MaxBatchBytes, ContractsJson.Default.SealedIncident);
        if (envelope is null)
        {
            return error!;
        }

        var outcome = await batches.ProcessAsync(context.Device(), envelope, context.RequestAborted);
        return outcome.ToResult(reply => TypedResults.Json(reply, ContractsJson.Default.DirectBatchReply));
    }

    private static async Task<Results<Ok<IngestReceipt>, ProblemHttpResult, ValidationProblem>> ScreenshotAsync(HttpContext context,
        string incidentId, DirectScreenshots screenshots)
    {
        if (!IncidentId.IsValid(incidentId))
        {
            return TypedResults.Problem("The address does not name an incident ID.", statusCode: StatusCodes.Status400BadRequest, title: "Bad request");
        }

        var (envelope, error) = await RequestBody.ReadJsonAsync(context, DirectLimits.MaxScreenshotBytes, ContractsJson.Default.SealedIncident);
        if (envelope is null)
        {
            return (ProblemHttpResult)error!;
        }

        var outcome = await screenshots.CompleteAsync(context.Device(), incidentId, envelope, ClientAddress.Of(context), context.RequestAborted);
        return outcome is null
            ? TypedResults.Problem("This device has no incident waiting for a screenshot with that ID.", statusCode: StatusCodes.Status404NotFound,
                title: "Not found")
            : IngestResults.ToResult(outcome);
    }
}
