using System.Security.Cryptography;
using System.Text.Json;
using eSafe.Contracts;
using eSafe.Contracts.Http;
using eSafe.Incidents;
using eSafe.Server.Security;
using eSafe.Server.Storage;
using eSafe.Server.Web;

namespace eSafe.Server.Devices;

/// <summary>The device API (docs/PROTOCOL.md §2): enrolment, and delivery of sealed incidents.</summary>
public static class DeviceEndpoints
{
    public static IEndpointRouteBuilder MapDeviceApi(this IEndpointRouteBuilder app)
    {
        app.MapPost("/api/v1/devices/enrol", EnrolAsync);
        app.MapPost("/api/v1/incidents", IngestAsync);
        return app;
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
    /// Checks, in order: the token (401), the size (413), the envelope (400), a repeat of a known ID (200,
    /// duplicate), the seal (400), the incident's fields and text (400; pupil and page text is neutralised, see
    /// <see cref="IncidentText"/>), that it names a rule the server knows with its category and severity (400,
    /// <see cref="IncidentRules"/>), that it is the token's school and device (403);
    /// only then is anything stored.
    /// </summary>
    private static async Task<IResult> IngestAsync(HttpContext context, DeviceAuthenticator authenticator, IIncidentStore incidents,
        SealingKeyRing keys, IncidentRules rules, TimeProvider clock, ILoggerFactory loggers, IAuditLog audit)
    {
        var log = loggers.CreateLogger(typeof(DeviceEndpoints));
        var device = await authenticator.AuthenticateAsync(context.Request);
        if (device is null)
        {
            context.Response.Headers.WWWAuthenticate = "Bearer";
            return Problems.Status(StatusCodes.Status401Unauthorized, "Device not recognised",
                "A valid device token is required (Authorization: Bearer <token>); enrol the device again if it was removed.");
        }

        var (envelope, error) = await RequestBody.ReadJsonAsync(context, DeviceLimits.MaxIncidentBytes, ContractsJson.Default.SealedIncident);
        if (envelope is null)
        {
            DeviceLog.Refused(log, device.Id, "unreadable or too large");
            return error!;
        }

        if (envelope.Version != IncidentSealer.CurrentVersion)
        {
            return Problems.BadRequest($"Envelope version {envelope.Version} is not supported; this server opens version {IncidentSealer.CurrentVersion}.");
        }

        if (!IncidentId.IsValid(envelope.IncidentId))
        {
            return Problems.BadRequest("The envelope's incidentId is not a 26-character sortable incident ID.");
        }

        var knownFrom = await incidents.FindDeviceAsync(envelope.IncidentId, context.RequestAborted);
        if (knownFrom is not null)
        {
            return knownFrom == device.Id
                ? TypedResults.Json(new IngestReceipt(envelope.IncidentId, Duplicate: true), ContractsJson.Default.IngestReceipt)
                : Problems.Status(StatusCodes.Status409Conflict, "Incident ID in use", "Another device has delivered an incident with this ID.");
        }

        byte[] json;
        using (var privateKey = keys.OpenPrivateKey(envelope.KeyId))
        {
            if (privateKey is null)
            {
                return Problems.BadRequest($"The incident cannot be opened: it is sealed to a key this server does not have; the current key is {keys.Current.KeyId}.");
            }

            try
            {
                json = IncidentSealer.Open(envelope, privateKey);
            }
            catch (CryptographicException)
            {
                DeviceLog.Refused(log, device.Id, "the seal did not open");
                return Problems.BadRequest("The incident cannot be opened: it was not sealed to this server's key, or it was changed on the way.");
            }
        }

        Incident? incident;
        try
        {
            incident = JsonSerializer.Deserialize(json, IncidentJson.Default.Incident);
        }
        catch (JsonException e)
        {
            var where = string.IsNullOrEmpty(e.Path) ? "" : $" (at {e.Path})";
            return Problems.BadRequest($"The sealed content is not an incident{where}.");
        }
        finally
        {
            CryptographicOperations.ZeroMemory(json);
        }

        if (incident is null)
        {
            return Problems.BadRequest("The sealed content is not an incident.");
        }

        if (incident.Id != envelope.IncidentId)
        {
            return Problems.BadRequest("The incident's id is not the envelope's incidentId.");
        }

        incident = IncidentText.Neutralise(incident);
        List<string> problems = [.. IncidentValidator.Problems(incident, clock.GetUtcNow()), .. IncidentText.Problems(incident)];
        if (problems.Count == 0 && await rules.ProblemAsync(incident, device.SchoolId, context.RequestAborted) is { } ruleProblem)
        {
            problems.Add(ruleProblem);
        }

        if (problems.Count > 0)
        {
            DeviceLog.Refused(log, device.Id, "invalid incident fields");
            return Problems.Invalid(new Dictionary<string, string[]>(StringComparer.Ordinal) { ["incident"] = [.. problems] },
                "The incident is not valid; nothing was stored.");
        }

        if (incident.SchoolId != device.SchoolId || incident.DeviceId != device.Id)
        {
            DeviceLog.Refused(log, device.Id, "the incident names another school or device");
            return Problems.Status(StatusCodes.Status403Forbidden, "Not this device's incident",
                "The incident's schoolId and deviceId must be those of the device whose token delivered it.");
        }

        var stored = new StoredIncident(incident with { Screenshot = null },
            DateTimeOffset.FromUnixTimeMilliseconds(clock.GetUtcNow().ToUnixTimeMilliseconds()),
            ClientAddress.Of(context), IncidentStatuses.New, incident.Screenshot is not null);
        var outcome = await incidents.AddAsync(stored, incident.Screenshot, context.RequestAborted);
        if (outcome == AddOutcome.Added)
        {
            DeviceLog.Received(log, incident.Id, device.Id, device.SchoolId, incident.Severity);
            await audit.AppendAsync(new AuditEvent("device:" + device.Id, AuditActions.IncidentReceived, incident.Id, device.SchoolId,
                stored.ServerSeenAddress), context.RequestAborted);
        }

        return TypedResults.Json(new IngestReceipt(incident.Id, outcome == AddOutcome.Duplicate), ContractsJson.Default.IngestReceipt);
    }
}
