using eSafe.Contracts;
using eSafe.Incidents;
using eSafe.Server.Analysts;
using eSafe.Server.Web;

namespace eSafe.Server.Workflow;

/// <summary>The analysts' quality signals: a sentence the library missed, filed from an incident's page.</summary>
public static class QualityEndpoints
{
    private const int MaxBodyBytes = 8 * 1024;

    public static RouteGroupBuilder MapQualityApi(this RouteGroupBuilder console)
    {
        ArgumentNullException.ThrowIfNull(console);
        console.MapPost("/incidents/{id}/missed", async (string id, HttpContext context, MissedSentences missed) =>
        {
            if (!IncidentId.IsValid(id))
            {
                return Problems.BadRequest("The incident ID is not a 26-character sortable incident ID.");
            }

            var (body, error) = await RequestBody.ReadJsonAsync(context, MaxBodyBytes, ContractsJson.Default.MissedSentenceRequest);
            return body is null ? error! : (await missed.FileAsync(ConsoleUsers.Of(context), id, body, ClientAddress.Of(context), context.RequestAborted))
                .ToResult(sentence => TypedResults.Json(sentence, ContractsJson.Default.MissedSentence));
        });
        return console;
    }
}
