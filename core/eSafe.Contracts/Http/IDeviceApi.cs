using eSafe.Incidents;
using Refit;

namespace eSafe.Contracts.Http;

/// <summary>The server's API for devices (hosts, and Chromebook extensions through the server's own pipeline).</summary>
public interface IDeviceApi
{
    [Post("/api/v1/devices/enrol")]
    Task<EnrolmentResponse> EnrolAsync([Body] EnrolmentRequest request, CancellationToken cancellationToken);

    /// <summary>Delivers one sealed incident; safe to repeat (idempotent by incident ID).</summary>
    [Post("/api/v1/incidents")]
    Task<IngestReceipt> UploadIncidentAsync([Body] SealedIncident incident, [Authorize("Bearer")] string deviceToken, CancellationToken cancellationToken);

    /// <summary>
    /// Delivers one version 2 envelope in its binary form (<see cref="BinaryEnvelope.MediaType"/>, <see cref="BinaryEnvelope.Encode"/>);
    /// safe to repeat. A server older than version 2 answers 400 (it reads the body as JSON).
    /// </summary>
    [Post("/api/v1/incidents")]
    Task<IngestReceipt> UploadBinaryIncidentAsync([Body] HttpContent envelope, [Authorize("Bearer")] string deviceToken, CancellationToken cancellationToken);

    /// <summary>The versions of the libraries the device's school works with now.</summary>
    [Get("/api/v1/devices/libraries")]
    Task<LibraryVersions> GetLibraryVersionsAsync([Authorize("Bearer")] string deviceToken, CancellationToken cancellationToken);

    /// <summary>The compiled global library (application/octet-stream); 304 when <paramref name="ifNoneMatch"/> is its ETag.</summary>
    [Get("/api/v1/devices/libraries/global")]
    Task<HttpResponseMessage> DownloadGlobalLibraryAsync([Authorize("Bearer")] string deviceToken,
        [Header("If-None-Match")] string? ifNoneMatch, CancellationToken cancellationToken);

    /// <summary>The device's school's layer as a <see cref="SchoolLayerPackage"/>; 304 when <paramref name="ifNoneMatch"/> is its ETag.</summary>
    [Get("/api/v1/devices/libraries/school")]
    Task<HttpResponseMessage> DownloadSchoolLayerAsync([Authorize("Bearer")] string deviceToken,
        [Header("If-None-Match")] string? ifNoneMatch, CancellationToken cancellationToken);

    /// <summary>The device's heartbeat: versions, library versions, backlog and mode (docs/PROTOCOL.md, "Heartbeat").</summary>
    [Post("/api/v1/devices/heartbeat")]
    Task<HeartbeatReceipt> SendHeartbeatAsync([Body] HeartbeatRequest heartbeat, [Authorize("Bearer")] string deviceToken, CancellationToken cancellationToken);
}
