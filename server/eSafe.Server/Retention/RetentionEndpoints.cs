using eSafe.Contracts;
using eSafe.Contracts.Http;
using eSafe.Server.Analysts;
using eSafe.Server.Web;

namespace eSafe.Server.Retention;

/// <summary><c>GET</c> and <c>PUT /api/v1/schools/{schoolId}/retention</c>.</summary>
public static class RetentionEndpoints
{
    private const int MaxBodyBytes = 1024;

    public static RouteGroupBuilder MapRetentionApi(this RouteGroupBuilder console)
    {
        ArgumentNullException.ThrowIfNull(console);
        console.MapGet("/schools/{schoolId}/retention", async (string schoolId, HttpContext context, SchoolRetention retention) =>
            Checked(schoolId) ?? (await retention.GetAsync(ConsoleUsers.Of(context), schoolId, context.RequestAborted)).ToResult(Ok));
        console.MapPut("/schools/{schoolId}/retention", async (string schoolId, HttpContext context, SchoolRetention retention) =>
        {
            if (Checked(schoolId) is { } bad)
            {
                return bad;
            }

            var (request, error) = await RequestBody.ReadJsonAsync(context, MaxBodyBytes, ContractsJson.Default.RetentionRequest);
            return request is null ? error! : (await retention.SetAsync(ConsoleUsers.Of(context), schoolId, request, ClientAddress.Of(context),
                context.RequestAborted)).ToResult(Ok);
        });
        return console;
    }

    private static IResult Ok(RetentionView view) => TypedResults.Json(view, ContractsJson.Default.RetentionView);

    private static IResult? Checked(string schoolId) => QueueQuery.IsServerId(schoolId) ? null : Problems.BadRequest("This is not a school ID.");
}
