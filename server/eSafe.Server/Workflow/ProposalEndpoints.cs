using eSafe.Contracts;
using eSafe.Contracts.Http;
using eSafe.Server.Analysts;
using eSafe.Server.Web;

namespace eSafe.Server.Workflow;

/// <summary>Proposed library exceptions: listed for analysts, accepted or rejected by a senior analyst.</summary>
public static class ProposalEndpoints
{
    public static RouteGroupBuilder MapProposalApi(this RouteGroupBuilder console)
    {
        ArgumentNullException.ThrowIfNull(console);
        console.MapGet("/proposals", async (HttpContext context, ProposalReview review) =>
        {
            var parameters = new QueryParameters(context.Request.Query);
            var state = parameters.Checked("state", s => s is ProposalStates.Pending or ProposalStates.Accepted or ProposalStates.Rejected,
                "state must be pending, accepted or rejected.");
            if (parameters.Problems.Count > 0)
            {
                return Problems.Invalid(parameters.Problems, "The filter is not valid.");
            }

            return (await review.ListAsync(ConsoleUsers.Of(context), state, context.RequestAborted))
                .ToResult(list => TypedResults.Json(list, ContractsJson.Default.IReadOnlyListProposal));
        });
        console.MapPost("/proposals/{id}", async (string id, HttpContext context, ProposalReview review) =>
        {
            if (!eSafe.Incidents.IncidentId.IsValid(id))
            {
                return Problems.BadRequest("This is not a proposal ID.");
            }

            var (decision, error) = await RequestBody.ReadJsonAsync(context, 4096, ContractsJson.Default.ProposalDecision);
            return decision is null ? error! : (await review.DecideAsync(ConsoleUsers.Of(context), id, decision, ClientAddress.Of(context),
                context.RequestAborted)).ToResult(p => TypedResults.Json(p, ContractsJson.Default.Proposal));
        });
        return console;
    }
}
