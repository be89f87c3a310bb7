using eSafe.Contracts.Http;
using Microsoft.AspNetCore.Http.HttpResults;

namespace eSafe.Server.Ingest;

/// <summary>The one mapping of an <see cref="IngestOutcome"/> to HTTP, shared by the host's and the Chromebook's endpoints.</summary>
public static class IngestResults
{
    public static Results<Ok<IngestReceipt>, ProblemHttpResult, ValidationProblem> ToResult(IngestOutcome outcome)
    {
        ArgumentNullException.ThrowIfNull(outcome);
        return outcome.Result switch
        {
            IngestResult.Stored or IngestResult.Duplicate =>
                TypedResults.Ok(new IngestReceipt(outcome.IncidentId, outcome.Result == IngestResult.Duplicate)),
            IngestResult.Invalid => TypedResults.ValidationProblem(
                new Dictionary<string, string[]>(StringComparer.Ordinal) { ["incident"] = [.. outcome.Problems ?? []] },
                detail: outcome.Problem, title: "The request is not valid"),
            IngestResult.IdInUse => TypedResults.Problem(outcome.Problem, statusCode: StatusCodes.Status409Conflict, title: "Incident ID in use"),
            IngestResult.NotThisDevice => TypedResults.Problem(outcome.Problem, statusCode: StatusCodes.Status403Forbidden,
                title: "Not this device's incident"),
            _ => TypedResults.Problem(outcome.Problem, statusCode: StatusCodes.Status400BadRequest, title: "Bad request"),
        };
    }
}
