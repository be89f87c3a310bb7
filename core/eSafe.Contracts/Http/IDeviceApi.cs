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
}
