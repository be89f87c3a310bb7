using eSafe.Contracts;
using eSafe.Contracts.Http;
using eSafe.Server.Ingest;
using eSafe.Server.Security;
using eSafe.Server.Storage;
using eSafe.Server.Web;
using eSafe.Incidents;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.Net.Http.Headers;

namespace eSafe.Server.Devices;

/// <summary>The device API (docs/PROTOCOL.md §2): enrolment, and delivery of sealed incidents.</summary>
public static class DeviceEndpoints
{
    /// <summary>
    /// Enrolment (the one device call without a token), then the <c>/api/v1/devices</c> group, whose token is
    /// checked once for every endpoint in it: incidents, libraries, Chromebooks' direct mode.
    /// </summary>
    public static RouteGroupBuilder MapDeviceApi(this IEndpointRouteBuilder app)
    {
        app.MapPost("/api/v1/devices/enrol", EnrolAsync);
        // The path hosts already deliver to; the same as the group's /incidents.
        app.MapPost("/api/v1/incidents", IngestAsync).RequireDevice();
        var devices = app.MapGroup("/api/v1/devices").RequireDevice();
        devices.MapPost("/incidents", IngestAsync);
        return devices;
    }

    private static async Task<IResult> EnrolAsync(HttpContext context, EnrolmentCodeCheck codeCheck, ISchoolStore schools, IDeviceStore devices,
        SealingKeyRing keys, IAuditLog audit, TimeProvider clock, ILoggerFactory loggers)
    {
        var (request, error) = await RequestBody.ReadJsonAsync(context, DeviceLimits.MaxEnrolmentBytes, ContractsJson.Default.EnrolmentRequest);
        if (request is null)
        {
            return error!;
        }

        var errors = new Dictionary<string, string[]>(StringComparer.Ordinal);
        if (string.IsNullOrWhiteSpace(request.EnrolmentCode))
        {
            errors["enrolmentCode"] = ["enrolmentCode is required."];
        }

        if (string.IsNullOrWhiteSpace(request.MachineName) || request.MachineName.Length > 255 || !UntrustedText.IsSafe(request.MachineName))
        {
            errors["machineName"] = ["machineName must be 1 to 255 characters of text, without control or text-direction characters."];
        }

        if (string.IsNullOrWhiteSpace(request.HostVersion) || request.HostVersion.Length > 64 || !UntrustedText.IsSafe(request.HostVersion))
        {
            errors["hostVersion"] = ["hostVersion must be 1 to 64 characters of text, without control or text-direction characters."];
        }

        if (errors.Count > 0)
        {
            return Problems.Invalid(errors, "The enrolment request is not valid.");
        }

        var remote = ClientAddress.Of(context);
        var redemption = await codeCheck.RedeemAsync(request.EnrolmentCode, context.RequestAborted);
        var school = redemption.Outcome == RedeemOutcome.Redeemed ? await schools.GetAsync(redemption.SchoolId!, context.RequestAborted) : null;
        if (school is null)
        {
            await audit.AppendAsync(new AuditEvent("device", AuditActions.EnrolmentRefused, SchoolId: redemption.SchoolId, RemoteAddress: remote,
                Detail: redemption.Outcome.ToString()), context.RequestAborted);
            return EnrolmentRefused(redemption.Outcome);
        }

        var deviceId = Secrets.NewDeviceId();
        var (token, tokenHash) = Secrets.NewDeviceToken(deviceId);
        await devices.AddAsync(new DeviceRecord(deviceId, school.Id, tokenHash, request.MachineName.Trim(), request.HostVersion.Trim(),
            clock.GetUtcNow(), remote), context.RequestAborted);
        await audit.AppendAsync(new AuditEvent("device:" + deviceId, AuditActions.DeviceEnrolled, SchoolId: school.Id, RemoteAddress: remote),
            context.RequestAborted);
        var log = loggers.CreateLogger(typeof(DeviceEndpoints));
        DeviceLog.Enrolled(log, deviceId, school.Id);
        return TypedResults.Json(new EnrolmentResponse(school.Id, deviceId, token, keys.Current),
            ContractsJson.Default.EnrolmentResponse);
    }

    private static IResult EnrolmentRefused(RedeemOutcome outcome) => outcome switch
    {
        RedeemOutcome.UsedUp => Problems.Status(StatusCodes.Status403Forbidden, "Enrolment code used up",
            "This enrolment code has been used as many times as it allows. Ask the school's eSafe administrator for a new code."),
        RedeemOutcome.Expired => Problems.Status(StatusCodes.Status403Forbidden, "Enrolment code expired",
            "This enrolment code has expired. Ask the school's eSafe administrator for a new code."),
        _ => Problems.Status(StatusCodes.Status401Unauthorized, "Enrolment refused",
            "The enrolment code is not valid. Ask the school's eSafe administrator for the current code."),
    };

    /// <summary>
    /// The token was checked by the group (401); then the size (413) and the envelope (400): version 2's binary form when
    /// the body is <see cref="BinaryEnvelope.MediaType"/>, else version 1's JSON. The rest is <see cref="IncidentIngest"/>'s,
    /// shared with Chromebooks' incidents.
    /// </summary>
    private static async Task<Results<Ok<IngestReceipt>, ProblemHttpResult, ValidationProblem>> IngestAsync(HttpContext context, IncidentIngest ingest,
        ILoggerFactory loggers)
    {
        var device = context.Device();
        if (IsBinaryEnvelope(context.Request.ContentType))
        {
            return await IngestBinaryAsync(context, device, ingest, loggers);
        }

        var (envelope, error) = await RequestBody.ReadJsonAsync(context, DeviceLimits.MaxIncidentBytes, ContractsJson.Default.SealedIncident);
        if (envelope is null)
        {
            DeviceLog.Refused(loggers.CreateLogger(typeof(DeviceEndpoints)), device.Id, "unreadable or too large");
            return (ProblemHttpResult)error!;
        }

        return IngestResults.ToResult(await ingest.IngestSealedAsync(device, envelope, ClientAddress.Of(context), context.RequestAborted));
    }

    // The body is read once into a pooled buffer, the envelope parsed and opened in place there, and wiped when the answer is made.
    private static async Task<Results<Ok<IngestReceipt>, ProblemHttpResult, ValidationProblem>> IngestBinaryAsync(HttpContext context, DeviceRecord device,
        IncidentIngest ingest, ILoggerFactory loggers)
    {
        var (body, error) = await RequestBody.ReadPooledBodyAsync(context, DeviceLimits.MaxBinaryIncidentBytes);
        if (body is null)
        {
            DeviceLog.Refused(loggers.CreateLogger(typeof(DeviceEndpoints)), device.Id, "too large");
            return (ProblemHttpResult)error!;
        }

        using (body)
        {
            if (BinaryEnvelope.Parse(body.Memory, DeviceLimits.MaxBinaryIncidentBytes, out var problem) is not { } envelope)
            {
                DeviceLog.Refused(loggers.CreateLogger(typeof(DeviceEndpoints)), device.Id, "a malformed binary envelope");
                return TypedResults.Problem($"The body is not a sealed incident envelope: {problem}.", statusCode: StatusCodes.Status400BadRequest,
                    title: "Malformed envelope");
            }

            return IngestResults.ToResult(await ingest.IngestSealedAsync(device, envelope, ClientAddress.Of(context), context.RequestAborted));
        }
    }

    private static bool IsBinaryEnvelope(string? contentType) =>
        contentType is not null && MediaTypeHeaderValue.TryParse(contentType, out var parsed)
        && string.Equals(parsed.MediaType.Value, BinaryEnvelope.MediaType, StringComparison.OrdinalIgnoreCase);
}
