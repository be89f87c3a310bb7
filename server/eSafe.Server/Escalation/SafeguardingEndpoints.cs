using eSafe.Contracts;
using eSafe.Contracts.Http;
using eSafe.Server.Analysts;
using eSafe.Server.Web;

namespace eSafe.Server.Escalation;

/// <summary>A school's contacts, protocol and report password in the console: read by staff and the school, changed by senior analysts.</summary>
public static class SafeguardingEndpoints
{
    private const int MaxBodyBytes = 16 * 1024;

    public static RouteGroupBuilder MapSafeguardingApi(this RouteGroupBuilder console)
    {
        ArgumentNullException.ThrowIfNull(console);
        console.MapGet("/schools/{schoolId}/safeguarding", async (string schoolId, HttpContext context, Safeguarding safeguarding) =>
            Checked(schoolId) ?? (await safeguarding.GetAsync(ConsoleUsers.Of(context), schoolId, ClientAddress.Of(context), context.RequestAborted)).ToResult(Ok));
        console.MapPut("/schools/{schoolId}/contacts/{contactId}", async (string schoolId, string contactId, HttpContext context, Safeguarding safeguarding) =>
        {
            if (Checked(schoolId) is { } bad)
            {
                return bad;
            }

            var (contact, error) = await RequestBody.ReadJsonAsync(context, MaxBodyBytes, ContractsJson.Default.ContactRequest);
            return contact is null ? error! : (await safeguarding.SaveContactAsync(ConsoleUsers.Of(context), schoolId, contactId, contact,
                ClientAddress.Of(context), context.RequestAborted)).ToResult(Ok);
        });
        console.MapDelete("/schools/{schoolId}/contacts/{contactId}", async (string schoolId, string contactId, HttpContext context, Safeguarding safeguarding) =>
            Checked(schoolId) ?? (await safeguarding.RemoveContactAsync(ConsoleUsers.Of(context), schoolId, contactId, ClientAddress.Of(context),
                context.RequestAborted)).ToResult(Ok));
        console.MapPut("/schools/{schoolId}/protocol", async (string schoolId, HttpContext context, Safeguarding safeguarding) =>
        {
            if (Checked(schoolId) is { } bad)
            {
                return bad;
            }

            var (protocol, error) = await RequestBody.ReadJsonAsync(context, MaxBodyBytes, ContractsJson.Default.Protocol);
            return protocol is null ? error! : (await safeguarding.SaveProtocolAsync(ConsoleUsers.Of(context), schoolId, protocol,
                ClientAddress.Of(context), context.RequestAborted)).ToResult(Ok);
        });
        console.MapPost("/schools/{schoolId}/report-password", async (string schoolId, HttpContext context, Safeguarding safeguarding) =>
            Checked(schoolId) ?? (await safeguarding.IssueReportPasswordAsync(ConsoleUsers.Of(context), schoolId, ClientAddress.Of(context),
                context.RequestAborted)).ToResult(issued => TypedResults.Json(issued, ContractsJson.Default.ReportPasswordIssued)));
        return console;
    }

    private static IResult Ok(SafeguardingView view) => TypedResults.Json(view, ContractsJson.Default.SafeguardingView);

    private static IResult? Checked(string schoolId) => QueueQuery.IsServerId(schoolId) ? null : Problems.BadRequest("This is not a school ID.");
}
