using eSafe.Contracts;
using eSafe.Server.Analysts;
using eSafe.Server.Devices;
using eSafe.Server.Web;

namespace eSafe.Server.Fleet;

/// <summary>The heartbeat devices send (docs/PROTOCOL.md, "Heartbeat"), and the console's view of a school's devices' health.</summary>
public static class FleetEndpoints
{
    /// <summary>Maps onto the device group, which has the device token checked already.</summary>
    public static RouteGroupBuilder MapFleetDevices(this RouteGroupBuilder devices)
    {
        ArgumentNullException.ThrowIfNull(devices);
        devices.MapPost("/heartbeat", HeartbeatAsync);
        return devices;
    }

    /// <summary>Maps onto the console's group, which has the session and same-origin checks applied already.</summary>
    public static RouteGroupBuilder MapFleetConsole(this RouteGroupBuilder console)
    {
        ArgumentNullException.ThrowIfNull(console);
        console.MapGet("/schools/{schoolId}/fleet", ViewAsync);
        console.MapGet("/fleet/alerts", AlertsAsync);
        console.MapPost("/fleet/alerts/{key}/acknowledge", AcknowledgeAsync);
        return console;
    }

    // The group checked the token (401); then the body (400/413): nothing is stored until every field is valid.
    private static async Task<IResult> HeartbeatAsync(HttpContext context, FleetHealth fleet)
    {
        var device = context.Device();
        var (request, error) = await RequestBody.ReadJsonAsync(context, HeartbeatRules.MaxBytes, ContractsJson.Default.HeartbeatRequest);
        if (request is null)
        {
            return error!;
        }

        if (HeartbeatRules.Problems(request) is { Count: > 0 } problems)
        {
            return Problems.Invalid(problems, "The heartbeat is not valid; nothing was stored.");
        }

        return TypedResults.Json(await fleet.RecordAsync(device, request, context.RequestAborted), ContractsJson.Default.HeartbeatReceipt);
    }

    private static async Task<IResult> ViewAsync(string schoolId, HttpContext context, FleetHealth fleet)
    {
        var user = User(context);
        var (outcome, view) = await fleet.ViewAsync(new DeviceManagement.Caller(user.Username, user.Scope, ClientAddress.Of(context)), schoolId,
            context.RequestAborted);
        // Out of scope looks like unknown: a school's contact learns nothing about other schools.
        return outcome == DeviceManagement.Outcome.Done
            ? TypedResults.Json(view!, ContractsJson.Default.FleetView)
            : Problems.NotFound("There is no such school.");
    }

    private static async Task<IResult> AlertsAsync(HttpContext context, FleetAcknowledgements alerts) =>
        TypedResults.Json(await alerts.ListAsync(User(context).Scope, context.RequestAborted), ContractsJson.Default.IReadOnlyListFleetAlert);

    private static async Task<IResult> AcknowledgeAsync(string key, HttpContext context, FleetAcknowledgements alerts)
    {
        if (key.Length > FleetAlertKey.MaxLength)
        {
            return Problems.BadRequest("The alert key is too long.");
        }

        var outcome = await alerts.AcknowledgeAsync(User(context), key, ClientAddress.Of(context), context.RequestAborted);
        return outcome.ToResult(alert => TypedResults.Json(alert, ContractsJson.Default.FleetAlert));
    }

    private static ConsoleUser User(HttpContext context) =>
        ConsoleUser.From(context.User) ?? throw new InvalidOperationException("The console policy let in a request without a console user.");
}
