using eSafe.Contracts;
using eSafe.Server.Analysts;
using eSafe.Server.Web;

namespace eSafe.Server.Devices;

/// <summary>The console's device API: a school's devices, and revoking one (analysts; a school's contact for their own school).</summary>
public static class DeviceAdminEndpoints
{
    private const int MaxRevokeBytes = 4 * 1024;

    /// <summary>Maps onto the console's group, which has the session and same-origin checks applied already.</summary>
    public static RouteGroupBuilder MapDeviceAdmin(this RouteGroupBuilder console)
    {
        ArgumentNullException.ThrowIfNull(console);
        console.MapGet("/schools/{schoolId}/devices", ListAsync);
        console.MapPost("/devices/{deviceId}/revoke", RevokeAsync);
        return console;
    }

    private static async Task<IResult> ListAsync(string schoolId, HttpContext context, DeviceManagement management)
    {
        var (outcome, devices) = await management.ListAsync(Caller(context), schoolId, context.RequestAborted);
        // Out of scope looks like unknown: a school's contact learns nothing about other schools.
        return outcome == DeviceManagement.Outcome.Done
            ? TypedResults.Json(devices, ContractsJson.Default.IReadOnlyListDeviceInfo)
            : Problems.NotFound("There is no such school.");
    }

    private static async Task<IResult> RevokeAsync(string deviceId, HttpContext context, DeviceManagement management)
    {
        var (request, error) = await RequestBody.ReadJsonAsync(context, MaxRevokeBytes, ContractsJson.Default.RevokeDeviceRequest);
        if (request is null)
        {
            return error!;
        }

        var (outcome, device, problem) = await management.RevokeAsync(Caller(context), deviceId, request.Reason, context.RequestAborted);
        return outcome switch
        {
            DeviceManagement.Outcome.Done => TypedResults.Json(device!, ContractsJson.Default.DeviceInfo),
            DeviceManagement.Outcome.Invalid => Problems.Invalid(new Dictionary<string, string[]>(StringComparer.Ordinal) { ["reason"] = [problem!] },
                "The revocation is not valid; nothing was changed."),
            _ => Problems.NotFound("There is no such device."),
        };
    }

    private static DeviceManagement.Caller Caller(HttpContext context)
    {
        var user = ConsoleUser.From(context.User) ?? throw new InvalidOperationException("The console policy let in a request without a console user.");
        return new DeviceManagement.Caller(user.Username, user.Scope, ClientAddress.Of(context));
    }
}
